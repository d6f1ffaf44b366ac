// The `ccx` command line against a real hub over HTTP. The main flow runs the CLI as child processes
// (as a council officer would run it); the many small cases call `main(argv, io)` in-process.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { createCcxClient, items, type CcxClient } from '@ccx/client';
import { parseCsv } from '../../client-sdk/src/cli/csv.js';
import type { CliIo } from '../../client-sdk/src/cli/io.js';
import { COMMANDS } from '../../client-sdk/src/cli/program.js';
import { startJobs } from '@ccx/server/testing';
import { httpTest, type HttpHarness } from '../support/http.js';
import { londonToday, plusDays, publishOutcome } from '../support/harness.js';
import { isolatedEnv, runMain, spawnCli, type CliEnv, type CliRun as Run } from '../support/cli.js';
import { repoRoot } from '../support/hub-process.js';

type Creds = { id: string; secret: string };

/** The hub's background jobs, running fast for the whole file. */
const test = httpTest.extend('jobs', { scope: 'file', auto: true }, ({ h }, { onCleanup }) => {
  const jobs = startJobs(h.hub, { fastMs: 25 });
  onCleanup(() => jobs.stop());
  return jobs;
});

let dir: string;
let lead: Creds & { authorityId: string; qaInbox: string };
let placing: Creds & { authorityId: string };
let placingAdmin: Creds;
let hubAdmin: Creds;
/** Oak House: monitored by the lead; clear until the lead publishes an action plan on it. */
let oak: { id: string; urn: string };
/** Elm House: monitored and rated well: clear. */
let elm: { id: string; urn: string };
/** Ash House: registration cancelled: do-not-place. */
let ash: { id: string; urn: string };
let today: string;

/** Environment without the developer's own ccx settings, so only what a test gives is used. */
const envFor = (h: HttpHarness, c: Creds | null, extra: Record<string, string> = {}): CliEnv =>
  isolatedEnv(dir, path.join(dir, 'no-config.json'), {
    ...(c ? { CCX_URL: h.baseUrl, CCX_CLIENT_ID: c.id, CCX_CLIENT_SECRET: c.secret } : {}),
    ...extra,
  });

/** Runs `ccx` as a child process, as `npm run ccx` does. */
const runCli = (args: string[], env: CliEnv): Promise<Run> => spawnCli(args, { cwd: dir, env });

/** Runs `main(argv, io)` in this process with captured output. */
const runIn = (
  args: string[],
  env: CliEnv,
  opts: { signal?: AbortSignal; onOutput?: (stdout: string) => void; prompt?: CliIo['prompt'] } = {},
): Promise<Run> => runMain(args, { env, cwd: dir, signal: opts.signal, prompt: opts.prompt }, opts.onOutput);

const sdk = (h: HttpHarness, c: Creds): CcxClient =>
  createCcxClient({ baseUrl: h.baseUrl, clientId: c.id, clientSecret: c.secret, retry: { baseDelayMs: 10 } });

const file = async (name: string, content: string): Promise<string> => {
  await writeFile(path.join(dir, name), content, 'utf8');
  return name;
};

const noStack = (r: Run) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);

// The smallest body limit an operator might set (1 MiB), so that a full import meets it.
test.override({ hubEnv: { CCX_MAX_BODY_BYTES: String(1024 * 1024) } });

// A working folder, and the councils, clients and settings the commands are run against.
test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-'));
  today = londonToday(new Date());

  const leadAuthority = await h.makeAuthority({ id: 'lead-shire', name: 'Lead Shire Council' });
  const leadOfficer = await h.makeClient(leadAuthority.id, 'officer', 'lead officer');
  lead = {
    id: leadOfficer.client.id,
    secret: leadOfficer.clientSecret,
    authorityId: leadAuthority.id,
    qaInbox: leadAuthority.qaInbox,
  };
  const placingAuthority = await h.makeAuthority({ id: 'placing-borough', name: 'Placing Borough Council' });
  const placingOfficer = await h.makeClient(placingAuthority.id, 'officer', 'placing officer');
  placing = {
    id: placingOfficer.client.id,
    secret: placingOfficer.clientSecret,
    authorityId: placingAuthority.id,
  };
  const admin = await h.makeClient(placingAuthority.id, 'admin', 'placing admin');
  placingAdmin = { id: admin.client.id, secret: admin.clientSecret };
  const host = await h.makeClient(h.hostAuthorityId, 'hub-admin', 'cli hub-admin');
  hubAdmin = { id: host.client.id, secret: host.clientSecret };

  const provider = await h.makeProvider({ name: 'Invented Care Homes Ltd' });
  const make = async (name: string, urn: string, extra: { registrationStatus?: 'cancelled' } = {}) => {
    const p = await h.makeProvision({
      providerId: provider.id,
      name,
      urn,
      ofstedGrade: 'good',
      ofstedGradeDate: '2026-01-15',
      hostAuthorityId: leadAuthority.id,
      ...extra,
    });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: leadAuthority.id,
      rationale: 'lead by agreement',
      startsOn: '2026-01-01',
    });
    return { id: p.id, urn };
  };
  oak = await make('Oak House', 'SC900001');
  elm = await make('Elm House', 'SC900002');
  ash = await make('Ash House', 'SC900003', { registrationStatus: 'cancelled' });
  const recent = { activityDate: plusDays(today, -10), nextDueOn: plusDays(today, 180), overallRating: 1 };
  await publishOutcome(h, leadOfficer.principal, elm.id, recent);
  await publishOutcome(h, leadOfficer.principal, ash.id, recent);
}, 60_000);

test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the end-to-end flow, as child processes', () => {
  test('a lead authority publishes an outcome from a JSON file; the placing authority checks: clear', async ({
    h,
  }) => {
    const outcome = {
      provisionId: oak.id,
      activityType: 'full-qa-visit',
      activityDate: plusDays(today, -7),
      announced: true,
      overallRating: 1,
      sectionJudgements: [{ section: 'leadership and management', judgement: 'good' }],
      summary: 'Invented visit: a settled home, records in good order.',
      actionItems: [{ description: 'Refresh the fire-drill log', concernLevel: 'low' }],
      nextDueOn: plusDays(today, 200),
    };
    await file('outcome.json', JSON.stringify(outcome, null, 2));
    const published = await runCli(['outcomes', 'publish', 'outcome.json'], envFor(h, lead));
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('1 outcome published');
    const [, row] = published.stdout.split('\n');
    const id = row!.split(/\s+/)[0]!;
    const view = await sdk(h, lead).outcomes.get.query({ id });
    expect(view).toMatchObject({ layer: 'detail', status: 'published', provisionId: oak.id });

    const check = await runCli(['check', oak.urn], envFor(h, placing));
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^VERDICT\s+PROVISION\s+REASONS/);
    expect(check.stdout).toMatch(/clear\s+Oak House \(SC900001\)/);
    expect(check.stdout).toContain(
      `Lead authority: Lead Shire Council since 2026-01-01, contact ${lead.qaInbox}`,
    );
  });

  test('the lead publishes a restriction; the check turns to caution (exit 3), naming whom to contact', async ({
    h,
  }) => {
    await file(
      'restriction.json',
      JSON.stringify({
        provisionId: oak.id,
        kind: 'action-plan',
        reasons: [{ category: 'quality', text: 'Invented: staffing rota gaps at night' }],
        summary: 'Action plan agreed with the provider',
      }),
    );
    const created = await runCli(['restrictions', 'create', 'restriction.json'], envFor(h, lead));
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/action-plan\s+active\s+Lead Shire Council \(lead-shire\)/);
    expect(created.stdout).toContain('1 restriction published');

    const check = await runCli(['check', oak.urn], envFor(h, placing));
    expect(check.code).toBe(3);
    expect(check.stdout).toMatch(/caution\s+Oak House \(SC900001\)\s+restriction-by-member: /);
    expect(check.stdout).toContain(`(contact ${lead.qaInbox})`);

    const json = await runIn(['check', oak.id, '--json'], envFor(h, placing));
    expect(json.code).toBe(3);
    const parsed = JSON.parse(json.stdout) as {
      verdict: string;
      provisionId: string;
      reasons: { code: string }[];
    };
    expect(parsed).toMatchObject({ verdict: 'caution', provisionId: oak.id });
    expect(parsed.reasons.map((r) => r.code)).toContain('restriction-by-member');
  });

  test('check --file with mixed verdicts and a setting not found exits 5, the worst result', async ({
    h,
  }) => {
    await file(
      'shortlist.csv',
      [
        'name,urn',
        `Oak House,${oak.urn}`,
        `Elm House,${elm.urn}`,
        `Ash House,${ash.urn}`,
        'Nowhere House,SC999999',
        '',
      ].join('\r\n'),
    );
    const r = await runCli(['check', '--file', 'shortlist.csv'], envFor(h, placing));
    expect(r.code).toBe(5);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ROW\s+INPUT\s+VERDICT\s+PROVISION\s+REASONS$/);
    expect(r.stdout).toMatch(/2\s+SC900001\s+caution\s+Oak House/);
    expect(r.stdout).toMatch(/3\s+SC900002\s+clear\s+Elm House \(SC900002\)\s+-/);
    expect(r.stdout).toMatch(/4\s+SC900003\s+do-not-place\s+Ash House.*registration-not-active/);
    expect(r.stdout).toMatch(/5\s+SC999999\s+not found/);
    expect(r.stdout).toContain('4 checked: 1 clear, 1 caution, 1 do-not-place, 1 not found');
  });

  test('placements import: a bad file reports every bad row by row and column, exits 1 and imports nothing', async ({
    h,
  }) => {
    await file(
      'placements-bad.csv',
      [
        'Ofsted URN,Children,From date,Note',
        `${oak.urn},2,2026-02-01,fine`,
        'SC12,1,2026-02-01,URN too short',
        `${elm.urn},0,2026-02-01,no children`,
        'SC999998,1,2026-02-01,unknown setting',
        `${oak.urn},1,2026-02-01,"duplicate, with a comma"`,
        `${ash.urn},1,2026-13-01,bad month`,
      ].join('\r\n'),
    );
    const r = await runCli(['placements', 'import', 'placements-bad.csv', '--progress'], envFor(h, placing));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ROW\s+COLUMN\s+PROBLEM/);
    expect(r.stderr).toMatch(/3\s+Ofsted URN\s+must be an Ofsted URN/);
    expect(r.stderr).toMatch(/4\s+Children\s+must be at least 1/);
    expect(r.stderr).toMatch(/5\s+Ofsted URN\s+no provision with Ofsted URN SC999998/);
    expect(r.stderr).toMatch(/6\s+Ofsted URN\s+duplicate of row 2:/);
    expect(r.stderr).toMatch(/7\s+From date\s+must be a date/);
    expect(r.stderr).toContain('nothing was imported');
    expect(r.stderr).toContain('reading');
    expect(r.stderr).toContain('sending');
    noStack(r);
    expect(await sdk(h, placing).placements.mine.query({})).toEqual([]);
  });

  test('placements import: a good file, first as a dry run, then for real', async ({ h }) => {
    await file(
      'placements.csv',
      ['urn,children,fromDate', `${oak.urn},2,2026-02-01`, `${elm.urn},1,2026-03-01`].join('\r\n') + '\r\n',
    );
    const dry = await runIn(['placements', 'import', 'placements.csv', '--dry-run'], envFor(h, placing));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: all 2 rows are valid; importing would open 2');
    expect(await sdk(h, placing).placements.mine.query({})).toEqual([]);

    const r = await runCli(['placements', 'import', 'placements.csv'], envFor(h, placing));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 2 rows: opened 2, changed 0, unchanged 0, ended 0');
    const mine = await sdk(h, placing).placements.mine.query({});
    expect(mine.map((p) => [p.provisionId, p.children]).sort()).toEqual(
      [
        [oak.id, 2],
        [elm.id, 1],
      ].sort(),
    );
  });

  test('restrictions list shows the restriction', async ({ h }) => {
    const r = await runCli(['restrictions', 'list', '--provision', oak.urn], envFor(h, placing));
    expect(r.code).toBe(0);
    const [restriction] = (await sdk(h, placing).restrictions.list.query({ provisionId: oak.id })).items;
    expect(restriction && 'id' in restriction).toBe(true);
    expect(r.stdout).toMatch(/^ID\s+KIND\s+STATUS\s+ISSUER\s+APPLIES TO\s+FROM\s+UNTIL\s+REASONS/);
    expect(r.stdout).toContain(restriction && 'id' in restriction ? restriction.id : '?');
    expect(r.stdout).toMatch(
      new RegExp(
        `action-plan\\s+active\\s+Lead Shire Council \\(lead-shire\\)\\s+setting ${oak.urn} Oak House`,
      ),
    );
  });

  test('export restrictions as CSV: every page, parsed back, matches the API’s list', async ({ h }) => {
    // More restrictions than one page holds, with awkward text, so paging and quoting both matter.
    const leadCaller = h.caller((await h.makeClient(lead.authorityId, 'officer')).principal);
    for (let i = 0; i < 3; i++)
      await leadCaller.restrictions.create({
        provisionId: ash.id,
        kind: 'letter-of-concern',
        reasons: [{ category: 'contract-compliance', text: `Invented, "quoted", line\nbreak ${i}` }],
      });
    const r = await runCli(
      ['export', 'restrictions', '--format', 'csv', '--out', 'restrictions.csv'],
      envFor(h, placing),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote 4 restrictions to restrictions.csv');
    const text = await readFile(path.join(dir, 'restrictions.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    const col = (name: string) => header!.indexOf(name);
    expect(header!.slice(0, 4)).toEqual(['id', 'layer', 'status', 'kind']);
    const ccx = sdk(h, placing);
    const api = [];
    for await (const x of items((i: { cursor?: string; limit?: number }) => ccx.restrictions.list.query(i), {
      limit: 2,
    }))
      api.push(x);
    expect(rows).toHaveLength(api.length);
    const byId = new Map(rows.map((row) => [row[col('id')], row]));
    for (const x of api) {
      if (x.layer === 'signal') continue;
      const row = byId.get(x.id)!;
      expect(row[col('kind')]).toBe(x.kind);
      expect(row[col('status')]).toBe(x.status);
      expect(row[col('layer')]).toBe(x.layer);
      expect(row[col('effective from')]).toBe(x.effectiveFrom);
      // Every reason in one cell, `category: text; …`.
      if (x.layer === 'detail')
        expect(row[col('reasons')]).toBe(x.reasons.map((y) => `${y.category}: ${y.text}`).join('; '));
    }
  });

  test('events tail prints the events the authority may see, and --json one object per line', async ({
    h,
  }) => {
    const ccx = sdk(h, placing);
    // Events become visible once the hub's sequencer has numbered them: wait for all four restrictions.
    for (let i = 0; i < 100; i++) {
      const page = await ccx.events.list.query({ limit: 500 });
      if (page.items.filter((e) => e.type === 'restriction.created').length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const feed = (await ccx.events.list.query({ limit: 500 })).items;
    const r = await runCli(['events', 'tail', '--since', '0'], envFor(h, placing));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('outcome.published');
    expect(r.stdout).toContain('restriction.created');
    expect(r.stdout.trim().split('\n')).toHaveLength(feed.length);
    expect(r.stderr).toContain(`continue with --since ${feed[feed.length - 1]!.id}`);

    // Like tail: without --since, the newest ten (or --last n), oldest first.
    expect(feed.length).toBeGreaterThan(3);
    const newest = await runIn(['events', 'tail', '--json'], envFor(h, placing));
    const ids = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids(newest.stdout)).toEqual(feed.slice(-10).map((e) => e.id));
    const three = await runIn(['events', 'tail', '--json', '--last', '3'], envFor(h, placing));
    expect(ids(three.stdout)).toEqual(feed.slice(-3).map((e) => e.id));
    expect(three.stderr).toContain(`continue with --since ${feed[feed.length - 1]!.id}`);
    const both = await runIn(['events', 'tail', '--last', '3', '--since', '0'], envFor(h, placing));
    expect(both.code).toBe(2);

    const json = await runIn(['events', 'tail', '--json', '--since', feed[0]!.id], envFor(h, placing));
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; type: string });
    expect(lines.map((e) => e.id)).toEqual(feed.slice(1).map((e) => e.id));
  });

  test('login writes the config file with mode 600; a config file others may read is refused', async ({
    h,
  }) => {
    const config = path.join(dir, 'login', 'config.json');
    const env = envFor(h, null, { CCX_CONFIG: config });
    const login = await runCli(
      ['login', '--url', h.baseUrl, '--client-id', placing.id, '--client-secret', placing.secret],
      env,
    );
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('as "placing officer" (officer) of Placing Borough Council');
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(config, 'utf8'))).toEqual({
      url: h.baseUrl,
      clientId: placing.id,
      clientSecret: placing.secret,
    });

    const whoami = await runIn(['whoami'], env);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain('authority:    Placing Borough Council (placing-borough)');
    expect(whoami.stdout).toContain(`credentials:  all from config file ${config}`);

    await chmod(config, 0o644);
    const refused = await runCli(['whoami'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('accessible by others (mode 644)');
    expect(refused.stderr).toContain(`chmod 600 ${config}`);
    expect(refused.stdout).toBe('');
    // Credentials given in full do not need the file, so an unsafe one is not read.
    expect((await runIn(['whoami'], { ...env, ...envFor(h, placing), CCX_CONFIG: config })).code).toBe(0);
  });

  test('--help exits 0; an unknown command exits 2 with a hint', async ({ h }) => {
    const [help, unknown] = await Promise.all([
      runCli(['--help'], envFor(h, null)),
      runCli(['chekc', oak.urn], envFor(h, null)),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ccx <command>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "chekc" — did you mean "check"?');
  });
});

describe('in-process cases', () => {
  test('--help works for every command and group, and --version prints the version', async ({ h }) => {
    for (const cmd of COMMANDS) {
      const r = await runIn([...cmd.name.split(' '), '--help'], envFor(h, null));
      expect([cmd.name, r.code, r.stderr]).toEqual([cmd.name, 0, '']);
      expect(r.stdout).toContain(`Usage: ccx ${cmd.name}`);
    }
    for (const group of ['placements', 'outcomes', 'restrictions', 'events', 'authorities', 'clients']) {
      const r = await runIn([group, '--help'], envFor(h, null));
      expect([group, r.code]).toEqual([group, 0]);
    }
    expect((await runIn(['help', 'placements', 'import'], envFor(h, null))).stdout).toContain(
      'Usage: ccx placements import',
    );
    const v = await runIn(['--version'], envFor(h, null));
    expect(v.stdout).toMatch(/^ccx \d+\.\d+\.\d+\n$/);
  });

  test('usage errors exit 2 and say what is wrong', async ({ h }) => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: ccx <command>/],
      [['check', oak.urn, '--bogus'], /unknown option --bogus for `ccx check`/],
      [['placements'], /`ccx placements` needs a command/],
      [['placements', 'imprt', 'x.csv'], /unknown placements command "imprt" — did you mean "import"\?/],
      [['placements', 'import'], /`ccx placements import` needs 1 argument/],
      [['check'], /give an Ofsted URN or provision id, or --file/],
      [['check', 'not-a-urn'], /is not a provision id \(UUID\) or an Ofsted URN/],
      [['export', 'concerns'], /cannot export "concerns"/],
      [['export', 'outcomes', '--format', 'xlsx'], /--format must be one of: csv, json/],
      [['check', '--file'], /argument missing/],
    ];
    for (const [args, message] of cases) {
      const r = await runIn(args, envFor(h, placing));
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
    }
  });

  test('login asks for what is not given, the secret without echo, and writes nothing for refused credentials', async ({
    h,
  }) => {
    const config = path.join(dir, 'asked', 'config.json');
    const asked: [string, boolean][] = [];
    const answers: Record<string, string> = { 'Client id: ': placing.id, 'Client secret: ': placing.secret };
    const prompt = (question: string, o: { secret?: boolean } = {}) => {
      asked.push([question, o.secret === true]);
      return Promise.resolve(answers[question] ?? '');
    };
    const env = envFor(h, null, { CCX_CONFIG: config });
    const r = await runIn(['login', '--url', h.baseUrl], env, { prompt });
    expect(r.code).toBe(0);
    expect(asked).toEqual([
      ['Client id: ', false],
      ['Client secret: ', true],
    ]);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(path.dirname(config)).toBe(path.join(dir, 'asked'));
    expect((await stat(path.dirname(config))).mode & 0o777).toBe(0o700);

    answers['Client secret: '] = 'ccxs_wrong';
    const other = path.join(dir, 'asked', 'other.json');
    const refused = await runIn(['login', '--url', h.baseUrl], { ...env, CCX_CONFIG: other }, { prompt });
    expect(refused.code).toBe(1);
    await expect(stat(other)).rejects.toThrow();
    // No terminal to ask on: say which flag is needed.
    const noTty = await runIn(['login', '--url', h.baseUrl], { ...env, CCX_CONFIG: other });
    expect([noTty.code, noTty.stderr]).toEqual([2, expect.stringContaining('give --client-id')]);
    expect((await runIn(['logout'], env)).stdout).toContain(`deleted ${config}`);
  });

  test('says which credential is missing, and where it looked', async ({ h }) => {
    const r = await runIn(['check', oak.urn], {
      ...envFor(h, null),
      CCX_URL: h.baseUrl,
      CCX_CLIENT_ID: placing.id,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing the client secret');
    expect(r.stderr).toContain('give --client-secret or set CCX_CLIENT_SECRET');
    expect(r.stderr).toContain(path.join(dir, 'no-config.json'));
    // Flags win over the environment.
    const flagged = await runIn(['whoami', '--client-secret', placing.secret, '--json'], {
      ...envFor(h, null),
      CCX_URL: h.baseUrl,
      CCX_CLIENT_ID: placing.id,
      CCX_CLIENT_SECRET: 'wrong',
    });
    expect(flagged.code).toBe(0);
    expect(JSON.parse(flagged.stdout)).toMatchObject({
      sources: { url: 'environment', clientId: 'environment', clientSecret: 'flag' },
      authority: { id: 'placing-borough' },
    });
  });

  test('hub errors print the message, the field issues and the request id, never a stack; exit 1', async ({
    h,
  }) => {
    const bad = await runIn(['check', oak.urn], envFor(h, { id: placing.id, secret: 'ccxs_wrong' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/UNAUTHORIZED 401/);
    noStack(bad);

    await file(
      'outcomes-bad.json',
      JSON.stringify([
        {
          provisionId: elm.id,
          activityType: 'desk-review',
          activityDate: today,
          overallRating: 2,
          summary: 'Invented desk review',
        },
        {
          provisionId: elm.id,
          activityType: 'tea-party',
          activityDate: today,
          overallRating: 9,
          summary: 'x',
        },
      ]),
    );
    const refused = await runIn(['outcomes', 'publish', 'outcomes-bad.json'], envFor(h, lead));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'outcome 2 of outcomes-bad.json: the hub refused the input (BAD_REQUEST 400)',
    );
    expect(refused.stderr).toMatch(/\n\s+activityType: /);
    expect(refused.stderr).toMatch(/\n\s+overallRating: /);
    expect(refused.stderr).toMatch(/request id: \S+/);
    expect(refused.stderr).toContain('nothing was published. 1 draft was kept');
    noStack(refused);
    const published = (await sdk(h, lead).outcomes.list.query({ provisionId: elm.id })).items;
    expect(published.filter((o) => o.layer !== 'signal' && o.activityType === 'desk-review')).toEqual([]);

    // Corrected and run again: the kept draft is reused (the same idempotency key), then both are published.
    await file(
      'outcomes-bad.json',
      JSON.stringify([
        {
          provisionId: elm.id,
          activityType: 'desk-review',
          activityDate: today,
          overallRating: 2,
          summary: 'Invented desk review',
        },
        {
          provisionId: elm.id,
          activityType: 'contract-meeting',
          activityDate: today,
          overallRating: 2,
          summary: 'Invented meeting',
        },
      ]),
    );
    const fixed = await runIn(['outcomes', 'publish', 'outcomes-bad.json', '--json'], envFor(h, lead));
    expect(fixed.code).toBe(0);
    expect((JSON.parse(fixed.stdout) as { status: string }[]).map((o) => o.status)).toEqual([
      'published',
      'published',
    ]);
    const mine = (await sdk(h, lead).outcomes.list.query({ provisionId: elm.id, includeDrafts: true })).items;
    expect(mine.filter((o) => o.layer === 'detail' && o.activityType === 'desk-review')).toHaveLength(1);

    // A port nothing listens on: the SDK retries, then the CLI names the cause.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await runIn(['whoami'], {
      ...envFor(h, placing),
      CCX_URL: `http://127.0.0.1:${port}`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`ccx: cannot reach the hub: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    noStack(unreachable);
  });

  test('check with several settings, --json for a shortlist, and exit 4 when one is not found', async ({
    h,
  }) => {
    await file(
      'shortlist-ids.csv',
      `provision_id\r\n${elm.id}\r\n\r\n00000000-0000-4000-8000-000000000000\r\nrubbish\r\n`,
    );
    const r = await runIn(['check', '--file', 'shortlist-ids.csv', '--json'], envFor(h, placing));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      results: { row: number; ok: boolean; verdict?: string; status?: string }[];
    };
    expect(out.summary).toEqual({ checked: 3, clear: 1, caution: 0, doNotPlace: 0, notFound: 1, invalid: 1 });
    expect(out.results.map((x) => [x.row, x.verdict ?? x.status])).toEqual([
      [2, 'clear'],
      [4, 'not-found'],
      [5, 'invalid'],
    ]);
    const missing = await runIn(['check', 'SC999999'], envFor(h, placing));
    expect([missing.code, missing.stderr]).toEqual([
      4,
      'ccx: not found: no provision with Ofsted URN SC999999\n',
    ]);
    const several = await runIn(['check', elm.urn, oak.urn], envFor(h, placing));
    expect(several.code).toBe(3);
    expect(several.stdout).toMatch(/^INPUT\s+VERDICT/);
    await file('header-only.csv', 'urn\r\n');
    const empty = await runIn(['check', '--file', 'header-only.csv'], envFor(h, placing));
    expect([empty.code, empty.stderr]).toEqual([1, 'ccx: header-only.csv has no settings to check\n']);
    // A file of bare URNs with no header row.
    await file('bare.csv', `${elm.urn}\n${elm.urn}\n`);
    const bare = await runIn(['check', '--file', 'bare.csv'], envFor(h, placing));
    expect([bare.code, bare.stdout]).toEqual([0, expect.stringContaining('2 checked: 2 clear')]);
  });

  test('placements import: a file larger than the hub takes in one request says so, and why it cannot be split', async ({
    h,
  }) => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `SC${100000 + i},2,2026-01-01`);
    await file('huge.csv', ['urn,children,fromDate', ...rows].join('\n'));
    const r = await runIn(['placements', 'import', 'huge.csv', '--dry-run'], envFor(h, placing));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ccx: huge\.csv: 20000 rows make a request of \d+ KB, more than the hub accepts/,
    );
    expect(r.stderr).toContain('CCX_MAX_BODY_BYTES');
    await file('too-many.csv', ['urn,children', ...rows, 'SC999990,1'].join('\n'));
    const tooMany = await runIn(['placements', 'import', 'too-many.csv'], envFor(h, placing));
    expect([tooMany.code, tooMany.stderr]).toEqual([
      1,
      'ccx: too-many.csv has 20001 rows; the hub takes at most 20000 per import\n',
    ]);
  });

  test('the sample files of docs/examples are read as documented', async ({ h }) => {
    const examples = path.join(repoRoot, 'docs/examples');
    const shortlist = await runIn(
      ['check', '--file', path.join(examples, 'shortlist.csv'), '--json'],
      envFor(h, placing),
    );
    const checked = JSON.parse(shortlist.stdout) as { results: { row: number; input: string }[] };
    expect(checked.results.map((x) => [x.row, x.input])).toEqual([
      [2, 'SC900001'],
      [3, 'SC900002'],
      [4, '1234567'],
    ]);
    // Its settings are invented: only the one named by an id that no test world has is reported.
    const placements = await runIn(
      ['placements', 'import', path.join(examples, 'placements.csv'), '--dry-run', '--json'],
      envFor(h, placing),
    );
    expect(placements.code).toBe(1);
    expect((JSON.parse(placements.stdout) as { errors: unknown[] }).errors).toEqual([
      { row: 3, column: 'provisionId', message: 'no provision 5b1e7c1a-3f0e-4d7a-9c61-2f4d8e9a0b13' },
    ]);
  });

  test('check --file sends a long shortlist in calls of at most 500', async ({ h }) => {
    const urns = Array.from({ length: 1001 }, (_, i) => `SC8${String(i).padStart(5, '0')}`);
    await file('long.csv', ['urn', ...urns, elm.urn].join('\n'));
    const audit = h.caller((await h.makeClient(placing.authorityId, 'officer')).principal).audit;
    const countCalls = async () =>
      (await audit.list({ action: 'check.placementMany', limit: 200 })).items.length;
    const before = await countCalls();
    const r = await runIn(['check', '--file', 'long.csv', '--json'], envFor(h, placing));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as { summary: Record<string, number>; results: { row: number }[] };
    expect(out.summary).toMatchObject({ checked: 1002, clear: 1, notFound: 1001 });
    expect(out.results.at(-1)!.row).toBe(1003);
    // 1002 settings: three calls (500, 500, 2), each audited once.
    expect((await countCalls()) - before).toBe(3);
  });

  test('outcomes list and export of outcomes and allocations (JSON and CSV)', async ({ h }) => {
    const list = await runIn(['outcomes', 'list', '--provision', oak.id], envFor(h, placing));
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/full-qa-visit/);

    const outcomes = await runIn(['export', 'outcomes', '--format', 'json'], envFor(h, placing));
    expect(outcomes.code).toBe(0);
    const api = (await sdk(h, placing).outcomes.list.query({ limit: 500 })).items;
    expect((JSON.parse(outcomes.stdout) as unknown[]).length).toBe(api.length);

    const allocations = await runIn(['export', 'allocations'], envFor(h, placing));
    expect(allocations.code).toBe(0);
    const [header, ...rows] = parseCsv(allocations.stdout);
    expect(allocations.stdout.startsWith('\uFEFF')).toBe(false);
    const apiAllocations = (await sdk(h, placing).allocations.list.query({ limit: 500 })).items;
    expect(rows).toHaveLength(apiAllocations.length);
    expect(header).toEqual(
      expect.arrayContaining(['id', 'setting URN', 'setting name', 'lead authority', 'starts on']),
    );
  });

  /**
   * Runs `events tail --follow` from just before the last event: once that event is printed, the
   * catch-up read is over, and `act` makes new events that only the follow mode can print. Stops when
   * `done` says the output is complete.
   */
  const follow = async (
    h: HttpHarness,
    extra: string[],
    act: () => Promise<void>,
    done: (stdout: string) => boolean,
  ) => {
    const stop = new AbortController();
    const last = (await sdk(h, placing).events.list.query({ limit: 500 })).items.at(-1)!.id;
    let acted: Promise<void> | undefined;
    const running = runIn(
      ['events', 'tail', '--follow', '--since', String(Number(last) - 1), ...extra],
      envFor(h, placing),
      {
        signal: stop.signal,
        onOutput: (out) => {
          acted ??= act();
          if (done(out)) stop.abort();
        },
      },
    );
    const timer = setTimeout(() => stop.abort(), 15_000);
    const r = await running;
    clearTimeout(timer);
    await acted;
    return { ...r, last };
  };

  test('events tail --follow prints new events as they happen, through the live subscription, until stopped', async ({
    h,
  }) => {
    let created = '';
    const r = await follow(
      h,
      ['--json'],
      async () => {
        const made = await h
          .caller((await h.makeClient(lead.authorityId, 'officer')).principal)
          .restrictions.create({
            provisionId: oak.id,
            kind: 'letter-of-concern',
            reasons: [{ category: 'quality', text: 'Invented follow-up' }],
          });
        if (made.layer === 'signal') throw new Error('the issuer sees its restriction in detail');
        created = made.id;
      },
      (out) => created !== '' && out.includes(created),
    );
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; type: string; recordId: string });
    expect(events[0]!.id).toBe(r.last);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'restriction.created', recordId: created }),
    );
  });

  test('events tail --follow --poll asks the feed every few seconds instead', async ({ h }) => {
    const r = await follow(
      h,
      ['--poll', '1'],
      async () => {
        const officer = h.caller((await h.makeClient(lead.authorityId, 'officer')).principal);
        const made = await officer.restrictions.create({
          provisionId: ash.id,
          kind: 'action-plan',
          reasons: [{ category: 'quality', text: 'Invented, lifted at once' }],
        });
        if (made.layer !== 'detail') throw new Error('the issuer sees its restriction in detail');
        await officer.restrictions.lift({ id: made.id, version: made.version, reason: 'invented: resolved' });
      },
      (out) => out.includes('restriction.lifted'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restriction\.created\s+summary\s+setting SC\d+ .*action-plan/);
    expect(r.stdout).toMatch(/restriction\.lifted/);
  });

  test('admin commands: authorities create, list, update; clients create (secret once), list, revoke', async ({
    h,
  }) => {
    const create = await runIn(
      [
        'authorities',
        'create',
        '--id',
        'example-shire',
        '--name',
        'Example Shire Council',
        '--region',
        'south-west',
        '--qa-inbox',
        'qa@example-shire.example.gov.uk',
      ],
      envFor(h, hubAdmin),
    );
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('name:        Example Shire Council');
    const list = await runIn(['authorities', 'list'], envFor(h, placing));
    expect(list.stdout).toMatch(/example-shire\s+Example Shire Council\s+south-west\s+active/);
    const update = await runIn(
      ['authorities', 'update', 'example-shire', '--status', 'suspended', '--json'],
      envFor(h, hubAdmin),
    );
    expect(update.code).toBe(0);
    expect(JSON.parse(update.stdout)).toMatchObject({ id: 'example-shire', status: 'suspended', version: 2 });
    const stale = await runIn(
      ['authorities', 'update', 'example-shire', '--name', 'Renamed', '--expect-version', '1'],
      envFor(h, hubAdmin),
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('CONFLICT');
    const forbidden = await runIn(
      ['authorities', 'update', 'example-shire', '--status', 'active'],
      envFor(h, placing),
    );
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('FORBIDDEN 403');
    expect((await runIn(['authorities', 'get', 'example-shire'], envFor(h, placing))).stdout).toContain(
      'suspended',
    );

    const made = await runIn(
      ['clients', 'create', '--name', 'case system', '--role', 'viewer'],
      envFor(h, placingAdmin),
    );
    expect(made.code).toBe(0);
    const id = /client id:\s+(\S+)/.exec(made.stdout)![1]!;
    const secret = /client secret:\s+(\S+)/.exec(made.stdout)![1]!;
    expect(made.stderr).toContain('shown only this once');
    expect((await runIn(['whoami'], envFor(h, { id, secret }))).stdout).toContain('role:         viewer');
    const clients = await runIn(['clients', 'list'], envFor(h, placingAdmin));
    expect(clients.stdout).toMatch(
      new RegExp(`${id}\\s+.+\\(placing-borough\\)\\s+case system\\s+viewer\\s+active`),
    );
    expect(clients.stdout).not.toContain(secret);
    const revoked = await runIn(['clients', 'revoke', id], envFor(h, placingAdmin));
    expect([revoked.code, revoked.stdout]).toEqual([0, expect.stringContaining(`revoked ${id}`)]);
    expect((await runIn(['whoami'], envFor(h, { id, secret }))).code).toBe(1);
  });

  test('restrictions lift, and a non-issuer is refused', async ({ h }) => {
    const [first] = (await sdk(h, lead).restrictions.list.query({ provisionId: oak.id, kind: 'action-plan' }))
      .items;
    if (!first || first.layer === 'signal') throw new Error('the lead sees its action plan');
    const refused = await runIn(
      ['restrictions', 'lift', first.id, '--reason', 'not mine'],
      envFor(h, placing),
    );
    expect(refused.code).toBe(1);
    const lifted = await runIn(
      ['restrictions', 'lift', first.id, '--reason', 'action plan completed'],
      envFor(h, lead),
    );
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toContain(`lifted restriction ${first.id}`);
    const after = await runIn(
      ['restrictions', 'list', '--provision', oak.id, '--kind', 'action-plan', '--json'],
      envFor(h, placing),
    );
    expect(JSON.parse(after.stdout)).toEqual([expect.objectContaining({ id: first.id, status: 'lifted' })]);
  });
});
