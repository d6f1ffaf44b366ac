// What the `ccx` command prints for people: settings as `SC123456 Harbour House`, authorities by name,
// ratings with their direction, and `ccx export` CSV with a fixed set of columns per kind, the same
// whatever the data (and for an empty export), lists joined into one cell. Run in-process against a hub.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parseCsv } from '../../client-sdk/src/cli/csv.js';
import { columnsToCsv, type CsvColumn } from '../../client-sdk/src/cli/output.js';
import { EXPORT_COLUMNS } from '../../client-sdk/src/cli/commands/export.js';
import { runMain, type CliRun } from '../support/cli.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';
import { leadAndPlace, outcomeInput } from '../support/harness.js';

type Creds = { id: string; secret: string };

let dir: string;
let lead: Creds & { authorityId: string };
let placing: Creds & { authorityId: string };
let quiet: Creds;
let harbour: { id: string; urn: string };

const runIn = (h: HttpHarness, c: Creds, args: string[]): Promise<CliRun> =>
  runMain(args, {
    env: {
      HOME: dir,
      CCX_CONFIG: path.join(dir, 'no-config.json'),
      CCX_URL: h.baseUrl,
      CCX_CLIENT_ID: c.id,
      CCX_CLIENT_SECRET: c.secret,
    },
    cwd: dir,
  });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-output-'));
  const creds = async (id: string, name: string) => {
    const a = await h.makeAuthority({ id, name });
    const c = await h.makeClient(a.id, 'officer', `${id} officer`);
    return { id: c.client.id, secret: c.clientSecret, authorityId: a.id, principal: c.principal };
  };
  const l = await creds('harbourside', 'Harbourside Borough Council');
  const p = await creds('inland', 'Inland County Council');
  const q = await creds('far-away', 'Far Away Council');
  lead = l;
  placing = p;
  quiet = q;
  const provider = await h.makeProvider({ name: 'Invented Harbour Care Ltd' });
  const provision = await h.makeProvision({
    providerId: provider.id,
    name: 'Harbour House',
    urn: 'SC777001',
    hostAuthorityId: l.authorityId,
  });
  harbour = { id: provision.id, urn: 'SC777001' };
  await leadAndPlace(h, provision.id, {
    lead: l.authorityId,
    rationale: 'lead by agreement',
    startsOn: '2026-01-01',
    placing: p.principal,
    children: 1,
    fromDate: '2026-01-01',
  });
  const lc = h.caller(l.principal);
  await lc.restrictions.create({
    provisionId: provision.id,
    kind: 'action-plan',
    reasons: [
      { category: 'quality', text: 'Invented: night staffing' },
      { category: 'safeguarding', text: 'Invented: missing-from-care log' },
    ],
  });
  await lc.restrictions.create({
    providerId: provider.id,
    kind: 'letter-of-concern',
    reasons: [{ category: 'contract-compliance', text: 'Invented: late returns' }],
  });
  // Restricted: the placing authority sees only a signal.
  await lc.restrictions.create({
    provisionId: provision.id,
    kind: 'informal-embargo',
    reasons: [{ category: 'criminal-investigation', text: 'Invented: secret matter' }],
  });
  const input = outcomeInput(provision.id, {
    overallRating: 4,
    activityDate: '2026-03-01',
    actionItems: [
      { description: 'Invented: fix rota', concernLevel: 'medium', dueOn: '2026-11-16' },
      { description: 'Invented: train staff', concernLevel: 'low', dueOn: '2026-12-01' },
    ],
  });
  const draft = await lc.outcomes.create(input);
  if (draft.layer !== 'detail') throw new Error('draft');
  await lc.outcomes.publish({ id: draft.id, version: draft.version });
});

test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('restrictions list names the setting, the provider and the issuer; a signal names its setting', async ({
  h,
}) => {
  const r = await runIn(h, placing, ['restrictions', 'list']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    /action-plan\s+active\s+Harbourside Borough Council \(harbourside\)\s+setting SC777001 Harbour House/,
  );
  expect(r.stdout).toMatch(
    /letter-of-concern\s+active\s+Harbourside Borough Council.*provider Invented Harbour Care Ltd/,
  );
  expect(r.stdout).toMatch(/\(restricted\).*setting SC777001 Harbour House/);
  // Ids remain in the ID column, but nothing is identified by a bare UUID alone.
  for (const line of r.stdout.split('\n').slice(1).filter(Boolean))
    expect(line.replace(UUID, '')).not.toMatch(UUID);
  expect(r.stdout).not.toContain('secret matter');
});

test('outcomes list names the setting and the publisher, and says which end of the rating is worst', async ({
  h,
}) => {
  const r = await runIn(h, placing, ['outcomes', 'list']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/RATING \(5 = MOST SERIOUS\)/);
  expect(r.stdout).toMatch(
    /SC777001 Harbour House\s+Harbourside Borough Council \(harbourside\)\s+unannounced-visit\s+2026-03-01\s+4 of 5 significant/,
  );
});

test('placements list names the setting', async ({ h }) => {
  const r = await runIn(h, placing, ['placements', 'list']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ID\s+SETTING\s+CHILDREN/);
  expect(r.stdout).toContain('SC777001 Harbour House');
});

test('a placement check says which end of the rating is worst', async ({ h }) => {
  const r = await runIn(h, placing, ['check', harbour.urn]);
  expect(r.stdout).toContain('rated 4 of 5 (significant), where 5 is the most serious');
  expect(r.stdout).toMatch(/issued by Harbourside Borough Council \(harbourside\)/);
});

const exportCsv = async (h: HttpHarness, c: Creds, what: string) => {
  const r = await runIn(h, c, ['export', what, '--format', 'csv']);
  expect(r.code, r.stderr).toBe(0);
  const [header, ...rows] = parseCsv(r.stdout);
  return { header: header!, rows, cell: (row: string[], name: string) => row[header!.indexOf(name)] };
};

test('every export kind has its fixed header, the same for an empty export', async ({ h }) => {
  for (const what of ['restrictions', 'outcomes', 'allocations'] as const) {
    const expected = EXPORT_COLUMNS[what].map((c) => c.header);
    const full = await exportCsv(h, placing, what);
    expect(full.header, what).toEqual(expected);
    expect(full.rows.length, what).toBeGreaterThan(0);
    for (const row of full.rows) expect(row, what).toHaveLength(expected.length);
    // Never a numbered column spread out of a list.
    expect(full.header.some((x) => /\.\d+\./.test(x) || /\.\d+$/.test(x))).toBe(false);
  }
  // No records (every member sees this hub's records, so the export's own writer is given none):
  // the same header, and no rows.
  for (const what of ['restrictions', 'outcomes', 'allocations'] as const) {
    const [header, ...rows] = parseCsv(columnsToCsv(EXPORT_COLUMNS[what] as CsvColumn<object>[], []));
    expect(header, what).toEqual(EXPORT_COLUMNS[what].map((c) => c.header));
    expect(rows, what).toEqual([]);
  }
});

test('a restrictions export: names beside ids, reasons in one cell, lower layers leave detail empty', async ({
  h,
}) => {
  const asLead = await exportCsv(h, lead, 'restrictions');
  const plan = asLead.rows.find((row) => asLead.cell(row, 'kind') === 'action-plan')!;
  expect(asLead.cell(plan, 'layer')).toBe('detail');
  expect(asLead.cell(plan, 'setting URN')).toBe('SC777001');
  expect(asLead.cell(plan, 'setting name')).toBe('Harbour House');
  expect(asLead.cell(plan, 'setting id')).toBe(harbour.id);
  expect(asLead.cell(plan, 'issuer')).toBe('Harbourside Borough Council');
  expect(asLead.cell(plan, 'issuer id')).toBe('harbourside');
  expect(asLead.cell(plan, 'applies to')).toBe('setting');
  expect(asLead.cell(plan, 'reasons')).toBe(
    'quality: Invented: night staffing; safeguarding: Invented: missing-from-care log',
  );
  const letter = asLead.rows.find((row) => asLead.cell(row, 'kind') === 'letter-of-concern')!;
  expect(asLead.cell(letter, 'applies to')).toBe('provider');
  expect(asLead.cell(letter, 'provider name')).toBe('Invented Harbour Care Ltd');

  // A member with no basis at the setting: summaries (detail columns empty) and the signal.
  const asQuiet = await exportCsv(h, quiet, 'restrictions');
  const summary = asQuiet.rows.find((row) => asQuiet.cell(row, 'kind') === 'action-plan')!;
  expect(asQuiet.cell(summary, 'layer')).toBe('summary');
  expect(asQuiet.cell(summary, 'issuer')).toBe('Harbourside Borough Council');
  for (const name of ['reasons', 'summary', 'details', 'version', 'history'])
    expect(asQuiet.cell(summary, name), name).toBe('');
  const signal = asQuiet.rows.find((row) => asQuiet.cell(row, 'layer') === 'signal')!;
  expect(asQuiet.cell(signal, 'setting URN')).toBe('SC777001');
  expect(asQuiet.cell(signal, 'setting name')).toBe('Harbour House');
  for (const name of ['id', 'kind', 'status', 'issuer', 'issuer id', 'reasons'])
    expect(asQuiet.cell(signal, name), name).toBe('');
  expect(asQuiet.cell(signal, 'contact')).toMatch(/@/);
});

test('an outcomes export: rating with its direction, action items in one cell', async ({ h }) => {
  const out = await exportCsv(h, placing, 'outcomes');
  expect(out.header).toContain('overall rating (1 no concerns – 5 catastrophic)');
  const [row] = out.rows;
  expect(out.cell(row!, 'overall rating (1 no concerns – 5 catastrophic)')).toBe('4');
  expect(out.cell(row!, 'overall rating in words')).toBe('significant');
  expect(out.cell(row!, 'publisher')).toBe('Harbourside Borough Council');
  expect(out.cell(row!, 'setting name')).toBe('Harbour House');
  expect(out.cell(row!, 'action items')).toBe(
    'Invented: fix rota (medium, due 2026-11-16, open); Invented: train staff (low, due 2026-12-01, open)',
  );
});

test('an allocations export names the setting and the lead authority', async ({ h }) => {
  const out = await exportCsv(h, placing, 'allocations');
  const row = out.rows.find((r) => out.cell(r, 'setting id') === harbour.id)!;
  expect(out.cell(row, 'setting URN')).toBe('SC777001');
  expect(out.cell(row, 'lead authority')).toBe('Harbourside Borough Council');
  expect(out.cell(row, 'lead authority id')).toBe('harbourside');
  expect(out.cell(row, 'status')).toBe('current');
});

test('a JSON export keeps the records whole, names included', async ({ h }) => {
  const r = await runIn(h, placing, ['export', 'restrictions', '--format', 'json']);
  const records = JSON.parse(r.stdout) as Record<string, unknown>[];
  const plan = records.find((x) => x.kind === 'action-plan')!;
  expect(plan).toMatchObject({
    provision: { id: harbour.id, urn: 'SC777001', name: 'Harbour House' },
    issuerAuthority: { id: 'harbourside', name: 'Harbourside Borough Council' },
    reasons: [expect.anything(), expect.anything()],
  });
});
