// `ccx monitoring report` against a real hub over HTTP: the hub-admin's report per lead authority as a
// table and as JSON (the hub's own answer); an officer refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type CliCreds, type CliEnv, type CliRun, clientEnv, runInDir } from '../support/cli.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';
import { publishOutcome } from '../support/harness.js';

let dir: string;
let hubAdmin: CliCreds;
let officer: CliCreds;
let leadId: string;

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-monitoring-'));
  const lead = await h.makeAuthority({ id: 'report-shire', name: 'Report Shire Council' });
  leadId = lead.id;
  const o = await h.makeClient(lead.id, 'officer', 'report officer');
  officer = { id: o.client.id, secret: o.clientSecret };
  const host = await h.makeClient(h.hostAuthorityId, 'hub-admin', 'report hub-admin');
  hubAdmin = { id: host.client.id, secret: host.clientSecret };
  const home = await h.makeProvision({ type: 'childrens-home' });
  await h.caller(h.hubAdmin).allocations.assign({
    provisionId: home.id,
    authorityId: lead.id,
    rationale: 'lead by agreement',
  });
  await h.makeProvision({ type: 'childrens-home' }).then((p) =>
    h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: lead.id,
      rationale: 'lead by agreement',
    }),
  );
  await publishOutcome(h, o.principal, home.id, { activityDate: '2026-06-01', nextDueOn: undefined });
});
test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const envFor = (h: HttpHarness, c: CliCreds): CliEnv => clientEnv(dir, h.baseUrl, c);

const runIn = (args: string[], env: CliEnv): Promise<CliRun> => runInDir(dir, args, env);

describe('ccx monitoring report', () => {
  test('prints a row per lead authority, and the hub’s own answer with --json', async ({ h }) => {
    const table = await runIn(['monitoring', 'report'], envFor(h, hubAdmin));
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout).toMatch(/^Monitoring report as of \d{4}-\d{2}-\d{2}\n/);
    expect(table.stdout).toMatch(/Report Shire Council\s+2\s+1\s+0\s+0\s+1\n/);

    const json = await runIn(['monitoring', 'report', '--json'], envFor(h, hubAdmin));
    expect(json.code).toBe(0);
    const answer = await h.caller(h.hubAdmin).monitoring.report();
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(answer)));
    expect(answer.rows.find((r) => r.authorityId === leadId)).toMatchObject({
      settingsAllocated: 2,
      visitsInTime: 1,
      neverMonitored: 1,
    });
  });

  test('refuses an officer, and takes no arguments', async ({ h }) => {
    const refused = await runIn(['monitoring', 'report'], envFor(h, officer));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN 403');
    const usage = await runIn(['monitoring', 'report', 'extra'], envFor(h, hubAdmin));
    expect(usage.code).toBe(2);
  });
});
