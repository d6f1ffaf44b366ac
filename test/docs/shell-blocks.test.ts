// Docs that run: every sh/bash block of the README and of getting started, in order, in one bash
// session per document, against a fresh hub of its own — as a new user would paste them. A block
// fails on a non-zero exit or an HTTP error; blocks marked `<!-- docs-test: skip … -->` (installing,
// starting the hub, the benchmark, the development workflow) are not run.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, startHubProcess, type HubProcess } from '../support/hub-process.js';
import { extractShellBlocks } from './markdown.js';
import { describeStep, runShellSession, type ShellStep } from './shell-session.js';

const DOCUMENTED_URL = 'http://127.0.0.1:3000';
const DOCUMENTED_DATA_DIR = './.data';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A hub of the document's own, started as `npm start` would on an empty data folder. */
const freshHub = async (): Promise<{ hub: HubProcess; dataDir: string; home: string }> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-docs-data-'));
  const home = await mkdtemp(path.join(tmpdir(), 'ccx-docs-home-'));
  cleanups.push(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });
  const hub = await startHubProcess(dataDir);
  cleanups.unshift(() => Promise.resolve(hub.kill()));
  return { hub, dataDir, home };
};

describe('the docs test itself', () => {
  it('reads the shell blocks of a document with their markers, indented ones included', () => {
    const blocks = extractShellBlocks(
      [
        '<!-- docs-test: skip (starts the hub) -->',
        '',
        '```sh',
        'npm start',
        '```',
        '```ts',
        'const x = 1;',
        '```',
        '- a list item',
        '',
        '  <!-- docs-test: exit 3 (caution) -->',
        '  ```bash',
        '  npm run -s ccx -- check SC123456',
        '  ```',
        '```sh',
        'echo one',
        '```',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { number: 1, firstLine: 4, code: 'npm start', skip: '(starts the hub)' },
      { number: 2, firstLine: 13, code: 'npm run -s ccx -- check SC123456', expectExit: 3 },
      { number: 3, firstLine: 16, code: 'echo one' },
    ]);
  });

  it('carries variables between steps and names the line that failed, with its output', async () => {
    const session = await runShellSession(
      [
        { label: 'first', firstLine: 10, code: 'GREETING=hello' },
        { label: 'second', firstLine: 20, code: 'echo "$GREETING"\nfalse\necho never' },
        { label: 'third', firstLine: 30, code: 'echo not reached' },
      ],
      { cwd: repoRoot },
    );
    expect(session.results).toHaveLength(2);
    expect(session.results[1]).toMatchObject({
      output: 'hello',
      exitCode: 1,
      failure: { line: 21, command: 'false' },
    });
  });
});

describe.each(['README.md', 'docs/getting-started.md'])('%s', (document) => {
  it('runs every shell block in order against a fresh hub', { timeout: 90_000 }, async () => {
    const blocks = extractShellBlocks(await readFile(path.join(repoRoot, document), 'utf8'));
    const runnable = blocks.filter((b) => !b.skip);
    // Skipping is for the few blocks that install, start a hub or take minutes, not a way out.
    expect(blocks.length - runnable.length).toBeLessThanOrEqual(3);
    expect(runnable.length).toBeGreaterThanOrEqual(3);

    const { hub, dataDir, home } = await freshHub();
    const steps: ShellStep[] = runnable.map((b) => ({
      label: `${document}, shell block ${b.number} (line ${b.firstLine})`,
      firstLine: b.firstLine,
      code: b.code.replaceAll(DOCUMENTED_URL, hub.url).replaceAll(DOCUMENTED_DATA_DIR, dataDir),
      ...(b.expectExit === undefined ? {} : { expectExit: b.expectExit }),
    }));
    const session = await runShellSession(steps, {
      cwd: repoRoot,
      env: {
        // The ccx command and node resolve workspace packages to their source, as in every test.
        NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
        // No saved ccx login of the machine's user may stand in for what the document sets.
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      },
      timeoutMs: 75_000,
    });

    const problems: string[] = [];
    for (const r of session.results) {
      const expected = r.step.expectExit ?? 0;
      if (r.failure) problems.push(describeStep(r, `exited with ${r.exitCode}`));
      else if (r.exitCode !== expected)
        problems.push(describeStep(r, `ended with exit status ${r.exitCode}, documented as ${expected}`));
    }
    if (session.results.length < steps.length && problems.length === 0)
      problems.push(
        `the session stopped after ${session.results.length} of ${steps.length} blocks:\n${session.trailing}`,
      );
    expect(problems.join('\n\n'), 'every documented command works on a fresh hub').toBe('');
  });
});
