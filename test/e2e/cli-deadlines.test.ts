// `ccx deadlines overdue` and `ccx restrictions comply` against a real hub over HTTP: a letter of
// concern whose compliance period has ended is listed for its issuer (as a table and as the hub's own
// answer), is a reason in the placement check, and recording the provider's compliance ends it; only
// the issuer may record it, and the command asks for one answer, complied or not.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type CliCreds, type CliEnv, type CliRun, clientEnv, runInDir } from '../support/cli.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';

let dir: string;
let issuer: CliCreds;
let other: CliCreds;
let letterId: string;
let provisionId: string;

const londonDay = (offsetDays: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-deadlines-'));
  const issuing = await h.makeAuthority({ id: 'letter-shire', name: 'Letter Shire Council' });
  const i = await h.makeClient(issuing.id, 'officer', 'letter officer');
  issuer = { id: i.client.id, secret: i.clientSecret };
  const elsewhere = await h.makeAuthority({ id: 'other-shire', name: 'Other Shire Council' });
  const o = await h.makeClient(elsewhere.id, 'officer', 'other officer');
  other = { id: o.client.id, secret: o.clientSecret };
  const home = await h.makeProvision({ type: 'childrens-home', name: 'Larch House' });
  provisionId = home.id;
  const letter = await h.caller(i.principal).restrictions.create({
    provisionId,
    kind: 'letter-of-concern',
    reasons: [{ category: 'quality', text: 'Monthly reports not received' }],
    summary: 'Letter of concern about reporting',
    details: 'Three monthly reports missing.',
    effectiveFrom: londonDay(-40),
    complianceDueOn: londonDay(-5),
  });
  letterId = letter.layer === 'detail' ? letter.id : '';
});
test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const envFor = (h: HttpHarness, c: CliCreds): CliEnv => clientEnv(dir, h.baseUrl, c);

const runIn = (args: string[], env: CliEnv): Promise<CliRun> => runInDir(dir, args, env);

describe('ccx deadlines overdue and restrictions comply', () => {
  test('lists the passed compliance period; recording compliance ends it', async ({ h }) => {
    expect(letterId).not.toBe('');
    const table = await runIn(['deadlines', 'overdue'], envFor(h, issuer));
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout).toContain(`overdue 5d`);
    expect(table.stdout).toContain(`restriction ${letterId}`);
    expect(table.stdout).toContain('without compliance recorded');

    const json = await runIn(['deadlines', 'overdue', '--json'], envFor(h, issuer));
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as { recordId: string; kind: string; dueOn: string }[];
    expect(listed.filter((d) => d.recordId === letterId)).toMatchObject([
      { kind: 'compliance', dueOn: londonDay(-5) },
    ]);
    // Another member is told nothing of it.
    const theirs = await runIn(['deadlines', 'overdue', '--json'], envFor(h, other));
    expect(JSON.parse(theirs.stdout)).toEqual([]);

    const check = await runIn(['check', provisionId, '--json'], envFor(h, issuer));
    expect(JSON.stringify(JSON.parse(check.stdout))).toContain('compliance-overdue');

    const done = await runIn(
      ['restrictions', 'comply', letterId, '--complied', '--note', 'reports received'],
      envFor(h, issuer),
    );
    expect([done.code, done.stderr]).toEqual([0, '']);
    expect(done.stdout).toBe(`recorded that the provider complied (restriction ${letterId})\n`);

    const after = await runIn(['deadlines', 'overdue'], envFor(h, issuer));
    expect(after.stdout).toBe('nothing overdue\n');
    const checked = await runIn(['check', provisionId, '--json'], envFor(h, issuer));
    expect(JSON.stringify(JSON.parse(checked.stdout))).not.toContain('compliance-overdue');
  });

  test('refuses another member, and asks for complied or not', async ({ h }) => {
    const refused = await runIn(['restrictions', 'comply', letterId, '--not-complied'], envFor(h, other));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');

    const neither = await runIn(['restrictions', 'comply', letterId], envFor(h, issuer));
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --complied or --not-complied');
    const both = await runIn(
      ['restrictions', 'comply', letterId, '--complied', '--not-complied'],
      envFor(h, issuer),
    );
    expect(both.code).toBe(2);
  });
});
