// The demo's printed commands, pasted as a new user would: `npm run demo` on an empty folder, then every
// command it prints, in order, in one bash session against that demo hub. Each must work — except those
// the demo says are meant to fail (`expected: exit 3`, `expected: 401 …`), which must fail exactly so —
// and those that need PostgreSQL, which are not run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sourceArgs } from '../support/hub-process.js';
import { describeStep, runShellSession, type SessionResult, type ShellStep } from './shell-session.js';

type PrintedCommand = {
  line: number;
  command: string;
  /** The command's comments, its own and those on the lines under it. */
  comment: string;
  expectExit?: number;
  expectStatuses?: number[];
  skip?: string;
};

/** `npm run demo`, from source, on its own folder and a free port; resolves with what it printed. */
const startDemo = (dataDir: string): Promise<{ child: ChildProcess; printed: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, sourceArgs('server/src/demo/main.ts'), {
      cwd: repoRoot,
      env: {
        ...process.env,
        CCX_DATA_DIR: dataDir,
        PORT: '0',
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        // The guessed-secret loop still ends locked out, without waiting seconds between its guesses.
        CCX_TOKEN_FAILURE_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`the demo did not finish printing:\n${out}`));
    }, 55_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, printed: out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${out}`));
    });
  });

const COMMAND = /^ {2}(?:curl|npm|npx|export|for) |^ {2}[A-Z_]+=/;

/** The commands among the demo's lines, with what their comments say to expect of them. */
const parsePrinted = (printed: string): { commands: PrintedCommand[]; others: string[] } => {
  const commands: PrintedCommand[] = [];
  const others: string[] = [];
  printed.split('\n').forEach((text, i) => {
    if (COMMAND.test(text)) {
      const hash = text.search(/\s#\s/);
      commands.push({
        line: i + 1,
        command: (hash < 0 ? text : text.slice(0, hash)).trim(),
        comment: hash < 0 ? '' : text.slice(hash).replace(/^\s*#\s*/, ''),
      });
    } else if (/^ {4,}#/.test(text) && commands.length > 0) {
      commands.at(-1)!.comment += ` ${text.trim().replace(/^#\s*/, '')}`;
    } else if (/^ {2}\S/.test(text)) others.push(text);
  });
  for (const c of commands) {
    const expected = /expected:\s*(.*)$/.exec(c.comment)?.[1];
    const exit = expected && /^exit (\d+)/.exec(expected);
    if (exit) c.expectExit = Number(exit[1]);
    else if (expected) c.expectStatuses = [...new Set(expected.match(/\b[1-5]\d\d\b/g)?.map(Number))];
    if (/needs PostgreSQL/.test(c.comment)) c.skip = 'needs PostgreSQL';
  }
  return { commands, others };
};

let dataDir: string;
let workDir: string;
let demo: ChildProcess | undefined;
let printed = '';
let commands: PrintedCommand[] = [];
let others: string[] = [];
let session: SessionResult;
let steps: (ShellStep & { printed: PrintedCommand })[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-demo-data-'));
  workDir = await mkdtemp(path.join(tmpdir(), 'ccx-demo-work-'));
  const started = await startDemo(dataDir);
  demo = started.child;
  printed = started.printed;
  ({ commands, others } = parsePrinted(printed));
  steps = commands
    .filter((c) => !c.skip)
    .map((c) => ({
      printed: c,
      label: `demo output line ${c.line}: ${c.command.slice(0, 100)}`,
      firstLine: c.line,
      // The CSV goes to a folder of the test's, not into the checkout.
      code: c.command
        .replace('> restrictions.csv', `> '${path.join(workDir, 'restrictions.csv')}'`)
        // The compiled admin tool runs as in a person's shell, without the test's source condition
        // (which points @ccx/schema at its TypeScript, for tsx).
        .replaceAll('npm run -s admin', 'NODE_OPTIONS= npm run -s admin'),
      ...(c.expectExit === undefined ? {} : { expectExit: c.expectExit }),
      ...(c.expectStatuses ? { allowHttpErrors: true } : {}),
    }));
  session = await runShellSession(steps, {
    cwd: repoRoot,
    // Nothing of the test's environment stands in for what the demo says to export.
    env: {
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
      HOME: workDir,
      XDG_CONFIG_HOME: path.join(workDir, '.config'),
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    },
    timeoutMs: 80_000,
  });
}, 150_000);

afterAll(async () => {
  if (demo?.pid && demo.exitCode === null) process.kill(-demo.pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

describe('the commands npm run demo prints', () => {
  it('are commands to paste, with the ccx credentials exported before ccx and the SDK need them', () => {
    expect(commands.length).toBeGreaterThanOrEqual(25);
    // Indented lines that are not commands: the client credentials and the REST addresses.
    for (const line of others) expect(line).toMatch(/client_id=|password=|^ {2}http:\/\//);
    expect(printed).not.toMatch(/npm run ccx\b/);
    const exportAt = commands.findIndex((c) => c.command.startsWith('export CCX_URL='));
    expect(exportAt).toBeGreaterThanOrEqual(0);
    expect(commands[exportAt]!.command).toMatch(
      /CCX_URL=\S+ CCX_CLIENT_ID=ccx_\S+ CCX_CLIENT_SECRET=ccxs_\S+/,
    );
    const needCredentials = commands.filter((c) => /^npm run -s ccx |^npx tsx /.test(c.command));
    expect(needCredentials.length).toBeGreaterThanOrEqual(6);
    for (const c of needCredentials) expect(c.line).toBeGreaterThan(commands[exportAt]!.line);
    // Only the benchmark is left out, and the six meant to fail say how.
    expect(commands.filter((c) => c.skip).map((c) => c.command)).toEqual([
      expect.stringMatching(/^npm run bench:data /),
      'npm run bench',
    ]);
    expect(commands.filter((c) => c.expectExit !== undefined || c.expectStatuses)).toHaveLength(9);
  });

  it('work against the demo hub, and those meant to fail fail exactly as the demo says', () => {
    const problems: string[] = [];
    for (const r of session.results) {
      const { printed: c } = r.step as (typeof steps)[number];
      if (r.failure) problems.push(describeStep(r, `exited with ${r.exitCode}`));
      else if (c.expectExit !== undefined) {
        if (r.exitCode !== c.expectExit)
          problems.push(
            describeStep(r, `ended with exit status ${r.exitCode}, the demo says ${c.expectExit}`),
          );
      } else if (c.expectStatuses) {
        const got = [...new Set(r.statuses)].sort();
        if (JSON.stringify(got) !== JSON.stringify([...c.expectStatuses].sort()))
          problems.push(
            describeStep(
              r,
              `answered HTTP ${r.statuses.join(' ')}, the demo says ${c.expectStatuses.join(', ')}`,
            ),
          );
      } else if (r.exitCode !== 0) problems.push(describeStep(r, `ended with exit status ${r.exitCode}`));
    }
    if (session.results.length < steps.length && problems.length === 0)
      problems.push(
        `the session stopped after ${session.results.length} of ${steps.length} commands:\n${session.trailing}`,
      );
    expect(problems.join('\n\n'), 'every printed command does what the demo says').toBe('');
  });

  it('export restrictions --format csv > restrictions.csv writes a CSV file, header first', async () => {
    const csv = await readFile(path.join(workDir, 'restrictions.csv'), 'utf8');
    const [header, ...rows] = csv.trimEnd().split(/\r?\n/);
    // Column names, not npm's banner or a JSON answer: the file opens in a spreadsheet as it is.
    expect(header).toMatch(/^[A-Za-z][\w. -]*(?:,[A-Za-z][\w. -]*)+$/);
    expect(header!.split(',')).toEqual(expect.arrayContaining(['id', 'kind']));
    expect(rows.length).toBeGreaterThan(0);
  });
});
