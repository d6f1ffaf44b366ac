// `ccx concerns bands` and `ccx concerns set-bands` against a real hub over HTTP: the default bands as a
// table and as JSON (the hub's own answer); the hub-admin moves them and a setting's rating follows;
// an officer is refused, and so are a high band not above the medium one and a missing figure.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type CliCreds, type CliEnv, type CliRun, clientEnv, runInDir } from '../support/cli.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';

let dir: string;
let hubAdmin: CliCreds;
let officer: CliCreds;
let provisionId: string;

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-concerns-bands-'));
  const member = await h.makeAuthority({ id: 'bands-shire', name: 'Bands Shire Council' });
  const o = await h.makeClient(member.id, 'officer', 'bands officer');
  officer = { id: o.client.id, secret: o.clientSecret };
  const host = await h.makeClient(h.hostAuthorityId, 'hub-admin', 'bands hub-admin');
  hubAdmin = { id: host.client.id, secret: host.clientSecret };
  // Four counting concerns at one setting: low by the defaults (medium from 5), medium from 4.
  const home = await h.makeProvision({ type: 'childrens-home' });
  provisionId = home.id;
  for (const daysAgo of [3, 4, 5, 6])
    await h.caller(o.principal).concerns.log({
      provisionId,
      level: 'minor',
      category: 'quality',
      occurredOn: new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10),
      summary: `staffing shortfall ${daysAgo} days ago`,
      restricted: false,
    });
});
test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const envFor = (h: HttpHarness, c: CliCreds): CliEnv => clientEnv(dir, h.baseUrl, c);

const runIn = (args: string[], env: CliEnv): Promise<CliRun> => runInDir(dir, args, env);

describe('ccx concerns bands and set-bands', () => {
  test('prints the default bands, and the hub’s own answer with --json', async ({ h }) => {
    const table = await runIn(['concerns', 'bands'], envFor(h, officer));
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout).toMatch(/^Risk bands: the defaults/);
    expect(table.stdout).toMatch(/\blow\s+1 to 4\n/);
    expect(table.stdout).toMatch(/\bmedium\s+5 to 10\n/);
    expect(table.stdout).toMatch(/\bhigh\s+11 or more\n/);
    expect(table.stdout).toContain('level-2 concern raises the rating to at least medium');

    const json = await runIn(['concerns', 'bands', '--json'], envFor(h, officer));
    expect(json.code).toBe(0);
    const answer = await h.caller(h.hubAdmin).concerns.riskBands();
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(answer)));
    expect(answer).toMatchObject({ mediumFrom: 5, highFrom: 11, isDefault: true });

    const list = await runIn(['concerns', 'list', provisionId], envFor(h, officer));
    expect(list.stdout).toMatch(/risk low \(4 counting concerns/);
  });

  test('refuses an officer, a high band not above the medium one, and a missing figure', async ({ h }) => {
    const refused = await runIn(
      ['concerns', 'set-bands', '--medium-from', '4', '--high-from', '9'],
      envFor(h, officer),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN 403');

    const upsideDown = await runIn(
      ['concerns', 'set-bands', '--medium-from', '9', '--high-from', '4'],
      envFor(h, hubAdmin),
    );
    expect(upsideDown.code).toBe(1);
    expect(upsideDown.stderr).toContain('highFrom must be more than mediumFrom');

    const missing = await runIn(['concerns', 'set-bands', '--medium-from', '4'], envFor(h, hubAdmin));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--high-from');
    const notANumber = await runIn(
      ['concerns', 'set-bands', '--medium-from', 'four', '--high-from', '9'],
      envFor(h, hubAdmin),
    );
    expect(notANumber.code).toBe(2);

    expect(await h.caller(h.hubAdmin).concerns.riskBands()).toMatchObject({ isDefault: true });
  });

  test('the hub-admin sets the bands; every member reads them and a rating follows', async ({ h }) => {
    const set = await runIn(
      ['concerns', 'set-bands', '--medium-from', '4', '--high-from', '9'],
      envFor(h, hubAdmin),
    );
    expect([set.code, set.stderr]).toEqual([0, '']);
    expect(set.stdout).toMatch(/^Risk bands: set by the hub-admin on \d{4}-\d{2}-\d{2}\n/);
    expect(set.stdout).toMatch(/\blow\s+1 to 3\n/);
    expect(set.stdout).toMatch(/\bmedium\s+4 to 8\n/);
    expect(set.stdout).toMatch(/\bhigh\s+9 or more\n/);

    const read = await runIn(['concerns', 'bands', '--json'], envFor(h, officer));
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ mediumFrom: 4, highFrom: 9, isDefault: false });
    expect(await h.caller(h.hubAdmin).concerns.riskBands()).toMatchObject({ mediumFrom: 4, highFrom: 9 });

    const list = await runIn(['concerns', 'list', provisionId], envFor(h, officer));
    expect(list.stdout).toMatch(/risk medium \(4 counting concerns/);
  });
});
