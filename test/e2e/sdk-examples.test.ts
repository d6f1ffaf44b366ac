// The SDK guide's examples, run as a reader runs them (tsx, in their own processes) against a hub, and
// shown in docs/sdk.md exactly as they are here. `npm run typecheck` type-checks them with the rest.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { describe, expect } from 'vitest';
import { repoRoot, tsxBin } from '../support/hub-process.js';
import { leadAndPlace } from '../support/harness.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';
import { sequenceEvents } from '@ccx/server/testing';

const execFileP = promisify(execFile);
const examples = path.join(repoRoot, 'docs/sdk-examples');
const EXAMPLES = [
  'check-a-setting.ts',
  'publish-an-outcome.ts',
  'export-restrictions.ts',
  'follow-events.ts',
  'webhook-receiver.ts',
];

let lead: { id: string; secret: string };
let placing: { id: string; secret: string };
let provision: { id: string; urn: string | null; name: string };

/** Runs an example as its reader would, with the caller's credentials; answers its output and exit code. */
const runExample = async (
  h: HttpHarness,
  file: string,
  who: { id: string; secret: string },
  args: string[] = [],
) => {
  const env = { ...process.env, CCX_URL: h.baseUrl, CCX_CLIENT_ID: who.id, CCX_CLIENT_SECRET: who.secret };
  return execFileP(tsxBin, ['--conditions=ccx-source', path.join(examples, file), ...args], {
    cwd: repoRoot,
    env,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
};

test.beforeAll(async ({ h }) => {
  const host = await h.makeAuthority({ id: 'examples-lead' });
  const other = await h.makeAuthority({ id: 'examples-placing' });
  const leadClient = await h.makeClient(host.id, 'officer');
  const placingClient = await h.makeClient(other.id, 'officer');
  lead = { id: leadClient.client.id, secret: leadClient.clientSecret };
  placing = { id: placingClient.client.id, secret: placingClient.clientSecret };
  provision = await h.makeProvision({ hostAuthorityId: host.id, urn: 'SC880001', name: 'Elm Tree House' });
  await leadAndPlace(h, provision.id, {
    lead: host.id,
    rationale: 'host authority leads',
    startsOn: '2026-01-01',
    placing: placingClient.principal,
    children: 1,
    fromDate: '2026-03-01',
  });
}, 60_000);

describe('docs/sdk.md', () => {
  test('shows every example exactly as it is tested', async () => {
    const guide = await readFile(path.join(repoRoot, 'docs/sdk.md'), 'utf8');
    for (const file of EXAMPLES) {
      const source = (await readFile(path.join(examples, file), 'utf8')).trim();
      expect(guide, `${file} in docs/sdk.md`).toContain(`\`\`\`ts\n${source}\n\`\`\``);
    }
  });
});

describe('the SDK examples, run against a hub', () => {
  test('check-a-setting: the verdict, its reasons and the lead; a code by verdict; an unknown URN', async ({
    h,
  }) => {
    const run = await runExample(h, 'check-a-setting.ts', placing, ['SC880001']);
    expect(run.stdout).toMatch(/^Elm Tree House \(.+\): caution$/m);
    expect(run.stdout).toMatch(/- \[caution\] .+/);
    expect(run.stdout).toContain('lead authority: Council examples-lead <qa@examples-lead.example.gov.uk>');
    expect(run.code).toBe(3);
    const unknown = await runExample(h, 'check-a-setting.ts', placing, ['SC000404']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('no setting with URN SC000404');
  });

  test('publish-an-outcome: publishes, is refused a stale version with 409, amends the current one', async ({
    h,
  }) => {
    const run = await runExample(h, 'publish-an-outcome.ts', lead, [provision.id]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = /^published outcome (\S+), version 2$/m.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(/^version 1 refused \(409\); amended to version 3$/m);
    const stored = await h.caller(h.hubAdmin).outcomes.listForProvision({ provisionId: provision.id });
    expect(stored.map((o) => (o.layer === 'signal' ? 'signal' : [o.id, o.status, o.overallRating]))).toEqual([
      [id, 'amended', 3],
    ]);
  });

  test('export-restrictions: every active restriction the caller may know of, one CSV line each', async ({
    h,
  }) => {
    const lister = await h.makeClient('examples-lead', 'officer');
    for (const kind of ['action-plan', 'letter-of-concern'] as const)
      await h.caller(lister.principal).restrictions.create({
        provisionId: provision.id,
        kind,
        reasons: [{ category: 'quality', text: `${kind} for the example` }],
        summary: `${kind} summary`,
      });
    const run = await runExample(h, 'export-restrictions.ts', placing);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('layer,kind,status,provision,issuer,summary');
    expect(lines.slice(1).sort()).toEqual([
      `detail,action-plan,active,${provision.id},examples-lead,"action-plan summary"`,
      `detail,letter-of-concern,active,${provision.id},examples-lead,"letter-of-concern summary"`,
    ]);
  });

  test('follow-events: catches up from a cursor and says where to start next time', async ({ h }) => {
    await sequenceEvents(h.hub.database.db);
    const run = await runExample(h, 'follow-events.ts', placing, ['0']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ outcome\.published at \S+ \(detail\)$/m);
    expect(run.stdout).toMatch(/^\d+ restriction\.created at \S+ \(detail\)$/m);
    const last = /^next time, start after (\d+)$/m.exec(run.stdout)?.[1];
    expect(Number(last)).toBeGreaterThan(0);
    const again = await runExample(h, 'follow-events.ts', placing, [last!]);
    expect(again.stdout.trim()).toBe(`next time, start after ${last}`);
  });

  test('webhook-receiver: accepts a signed delivery with 204, refuses a changed byte with 400', async () => {
    const secret = `whsec_${Buffer.from('an example secret of 32 bytes!!!').toString('base64')}`;
    const child = spawn(tsxBin, ['--conditions=ccx-source', path.join(examples, 'webhook-receiver.ts')], {
      cwd: repoRoot,
      env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' },
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      for (let i = 0; i < 200 && !/listening on port \d+/.test(out); i++)
        await new Promise((r) => setTimeout(r, 50));
      const port = /listening on port (\d+)/.exec(out)?.[1];
      expect(port).toBeDefined();
      const body = JSON.stringify({
        type: 'restriction.created',
        timestamp: new Date().toISOString(),
        data: {},
      });
      const id = 'msg_example_1';
      const at = new Date();
      const signature = new Webhook(secret).sign(id, at, body);
      const headers = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      };
      const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body });
      expect(ok.status).toBe(204);
      const tampered = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers,
        body: body.replace('created', 'lifted!'),
      });
      expect(tampered.status).toBe(400);
      // The example logs after it answers, and its output arrives through a pipe: wait for the line.
      for (let i = 0; i < 50 && !out.includes('refused: no signature matches'); i++) await sleep(100);
      expect(out).toContain('received restriction.created (msg_example_1)');
      expect(out).toContain('refused: no signature matches');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  });
});
