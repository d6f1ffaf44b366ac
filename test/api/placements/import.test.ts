// The yearly placement import: by provision id or Ofsted URN, all or nothing, every bad row reported, dry
// run, replace semantics, and 5,000 rows at once.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Placement } from '@ccx/schema';
import {
  expectTRPCError,
  insertProvisions,
  makeMember,
  test,
  uniq,
  type Harness,
} from '../../support/harness.js';

// 23:30 UTC on 1 May is already 2 May in England (BST): the hub dates declarations in London time.
const NOW = '2026-05-01T23:30:00Z';
const TODAY = '2026-05-02';

/** Six-digit URNs for this file's provisions made through the API ("SC" + 6 digits). */
let urnCounter = 100_000 + Math.floor(Math.random() * 800_000);
const nextUrn = () => `SC${urnCounter++}`;

const makeProvisionWithUrn = async (h: Harness) => h.makeProvision({ urn: nextUrn() });

test.override({ clockAt: NOW });

const byProvision = (rows: Placement[]) =>
  Object.fromEntries(rows.map((r) => [r.provisionId, r])) as Record<string, Placement | undefined>;

describe('placements.import', () => {
  test('opens declarations from rows by Ofsted URN and by provision id', async ({ h }) => {
    const a = await makeMember(h, 'importer');
    const [p1, p2, p3] = [
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
    ];
    const report = await h.caller(a.officer).placements.import({
      rows: [
        { urn: p1.urn, children: 2 },
        { urn: ` ${p2.urn!.toLowerCase()} `, children: '3', fromDate: '2026-04-01' },
        { provisionId: p3.id, children: 1 },
      ],
    });
    expect(report).toEqual({
      dryRun: false,
      applied: true,
      rows: 3,
      errors: [],
      opened: 3,
      changed: 0,
      unchanged: 0,
      ended: 0,
    });
    const mine = byProvision(await h.caller(a.officer).placements.mine());
    expect(mine[p1.id]).toMatchObject({ children: 2, fromDate: TODAY, open: true });
    expect(mine[p2.id]).toMatchObject({ children: 3, fromDate: '2026-04-01', open: true });
    expect(mine[p3.id]).toMatchObject({ children: 1, fromDate: TODAY, open: true });
  });

  test('a dry run reports what it would do and changes nothing', async ({ h }) => {
    const a = await makeMember(h, 'dryrun');
    const [p1, p2] = [await makeProvisionWithUrn(h), await makeProvisionWithUrn(h)];
    const kept = await h.caller(a.officer).placements.declare({ provisionId: p2.id, children: 1 });
    const report = await h.caller(a.officer).placements.import({
      dryRun: true,
      rows: [{ urn: p1.urn, children: 2 }],
    });
    expect(report).toEqual({
      dryRun: true,
      applied: false,
      rows: 1,
      errors: [],
      opened: 1,
      changed: 0,
      unchanged: 0,
      ended: 1,
    });
    const all = await h.caller(a.officer).placements.mine({ includeEnded: true });
    expect(all).toEqual([kept]);

    // A dry run with bad rows reports them too, and still changes nothing.
    const bad = await h.caller(a.officer).placements.import({
      dryRun: true,
      rows: [{ urn: 'SC000001', children: 2 }],
    });
    expect(bad.applied).toBe(false);
    expect(bad.errors).toEqual([expect.objectContaining({ row: 1, field: 'urn' })]);
    expect(await h.caller(a.officer).placements.mine({ includeEnded: true })).toEqual([kept]);
  });

  test('a file with bad rows changes nothing and reports every bad row with its row number and field', async ({
    h,
  }) => {
    const a = await makeMember(h, 'badfile');
    const [p1, p2, p3, p4] = [
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
    ];
    const existing = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p4.id, children: 2, fromDate: '2026-03-01' });
    const before = await h.caller(a.officer).placements.mine({ includeEnded: true });

    const report = await h.caller(a.officer).placements.import({
      rows: [
        { urn: p1.urn, children: 2 }, // 1 good
        { urn: 'SC000002', children: 1 }, // 2 unknown URN
        { urn: p2.urn, children: -1 }, // 3 negative count
        { provisionId: p1.id, children: 1 }, // 4 duplicate of row 1 (same provision, by id)
        { provisionId: p3.id, urn: p3.urn, children: 1 }, // 5 both id and URN
        { provisionId: p3.id, children: 1, fromDate: '2026-13-40' }, // 6 bad date
        { urn: 'not-a-urn', children: 1 }, // 7 malformed URN
        { provisionId: randomUUID(), children: 1 }, // 8 unknown provision id
        { children: 1 }, // 9 neither id nor URN
        { provisionId: p4.id, children: 'many' }, // 10 count that is not a number
        { urn: p2.urn, children: 2 }, // 11 duplicate of row 3
      ],
    });
    expect(report.applied).toBe(false);
    expect(report.dryRun).toBe(false);
    expect(report.rows).toBe(11);
    const found = report.errors.map((e) => `${e.row}:${e.field}`);
    expect(found).toEqual([
      '2:urn',
      '3:children',
      '4:provision',
      '5:provision',
      '6:fromDate',
      '7:urn',
      '8:provisionId',
      '9:provision',
      '10:children',
      '11:provision',
    ]);
    const message = (row: number) => report.errors.find((e) => e.row === row)?.message ?? '';
    expect(message(2)).toMatch(/SC000002/);
    expect(message(4)).toMatch(/duplicate of row 1/);
    expect(message(11)).toMatch(/duplicate of row 3/);
    expect(message(5)).toMatch(/exactly one/);
    expect(message(7)).toMatch(/URN/);
    for (const e of report.errors) expect(e.message.length).toBeGreaterThan(0);

    // Nothing changed: the good row did not open, the declaration missing from the file is still open.
    const after = await h.caller(a.officer).placements.mine({ includeEnded: true });
    expect(after).toEqual(before);
    expect(after).toEqual([existing]);
  });

  test('replaces the open list: missing declarations end, changed counts supersede, unchanged ones stay', async ({
    h,
  }) => {
    const a = await makeMember(h, 'replace');
    const [pA, pB, pC, pD] = [
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
      await makeProvisionWithUrn(h),
    ];
    const dA = await h
      .caller(a.officer)
      .placements.declare({ provisionId: pA.id, children: 2, fromDate: '2026-02-01' });
    const dB = await h
      .caller(a.officer)
      .placements.declare({ provisionId: pB.id, children: 3, fromDate: '2026-02-01' });
    const dC = await h
      .caller(a.officer)
      .placements.declare({ provisionId: pC.id, children: 1, fromDate: '2026-02-01' });

    const report = await h.caller(a.officer).placements.import({
      rows: [
        { urn: pA.urn, children: 2 },
        { provisionId: pB.id, children: 5 },
        { urn: pD.urn, children: 4 },
      ],
    });
    expect(report).toMatchObject({
      applied: true,
      errors: [],
      opened: 1,
      changed: 1,
      unchanged: 1,
      ended: 1,
    });

    const open = byProvision(await h.caller(a.officer).placements.mine());
    expect(Object.keys(open).sort()).toEqual([pA.id, pB.id, pD.id].sort());
    expect(open[pA.id]).toEqual(dA); // unchanged: the same declaration, untouched
    expect(open[pB.id]).toMatchObject({ children: 5, fromDate: TODAY, open: true });
    expect(open[pB.id]?.id).not.toBe(dB.id);
    expect(open[pD.id]).toMatchObject({ children: 4, fromDate: TODAY });

    const all = await h.caller(a.officer).placements.mine({ includeEnded: true });
    expect(all).toHaveLength(5);
    expect(all.find((r) => r.id === dB.id)).toMatchObject({ children: 3, endedOn: TODAY, open: false });
    expect(all.find((r) => r.id === dC.id)).toMatchObject({ children: 1, endedOn: TODAY, open: false });

    // The same file again changes nothing.
    const again = await h.caller(a.officer).placements.import({
      rows: [
        { urn: pA.urn, children: 2 },
        { provisionId: pB.id, children: 5 },
        { urn: pD.urn, children: 4 },
      ],
    });
    expect(again).toMatchObject({ applied: true, opened: 0, changed: 0, unchanged: 3, ended: 0 });
    expect(await h.caller(a.officer).placements.mine({ includeEnded: true })).toHaveLength(5);
  });

  test('with endMissing false keeps declarations that are not in the file', async ({ h }) => {
    const a = await makeMember(h, 'keep');
    const [p1, p2] = [await makeProvisionWithUrn(h), await makeProvisionWithUrn(h)];
    const d1 = await h.caller(a.officer).placements.declare({ provisionId: p1.id, children: 2 });
    const report = await h
      .caller(a.officer)
      .placements.import({ endMissing: false, rows: [{ urn: p2.urn, children: 1 }] });
    expect(report).toMatchObject({ applied: true, opened: 1, ended: 0 });
    expect((await h.caller(a.officer).placements.mine()).map((r) => r.id)).toContain(d1.id);
  });

  test('refuses an empty file and a viewer', async ({ h }) => {
    const a = await makeMember(h, 'empty');
    await expectTRPCError(h.caller(a.officer).placements.import({ rows: [] }), 'BAD_REQUEST');
    const viewer = (await h.makeClient(a.id, 'viewer')).principal;
    const p = await makeProvisionWithUrn(h);
    await expectTRPCError(
      h.caller(viewer).placements.import({ rows: [{ urn: p.urn, children: 1 }] }),
      'FORBIDDEN',
    );
  });

  test('imports 5,000 rows in one call, and a 5,000-row file with one bad row changes nothing', async ({
    h,
  }) => {
    const a = await makeMember(h, 'bulk');
    const provider = await h.makeProvider();
    const made = await insertProvisions(h.hub.database.db, {
      count: 5000,
      providerId: provider.id,
      hostAuthorityId: h.hostAuthorityId,
      urnPrefix: '9',
      namePrefix: `Bulk ${uniq()}`,
    });
    expect(made).toHaveLength(5000);
    const rows = made.map((p, i) =>
      i % 2 === 0 ? { urn: p.urn, children: (i % 7) + 1 } : { provisionId: p.id, children: (i % 7) + 1 },
    );
    const expectedChildren = rows.reduce((n, r) => n + r.children, 0);

    const started = performance.now();
    const report = await h.caller(a.officer).placements.import({ rows });
    const ms = Math.round(performance.now() - started);
    console.log(`placements.import 5000 rows: ${ms} ms (${h.hub.database.kind})`);

    expect(report).toEqual({
      dryRun: false,
      applied: true,
      rows: 5000,
      errors: [],
      opened: 5000,
      changed: 0,
      unchanged: 0,
      ended: 0,
    });
    const mine = await h.caller(a.officer).placements.mine();
    expect(mine).toHaveLength(5000);
    expect(mine.reduce((n, r) => n + r.children, 0)).toBe(expectedChildren);
    expect(new Set(mine.map((r) => r.provisionId)).size).toBe(5000);

    // Every count changed, but row 4,999 names an unknown URN: all or nothing.
    const changedRows = rows.map((r, i) =>
      i === 4998 ? { urn: '9999999', children: 1 } : { ...r, children: r.children + 1 },
    );
    const refused = await h.caller(a.officer).placements.import({ rows: changedRows });
    expect(refused.applied).toBe(false);
    expect(refused.errors).toEqual([expect.objectContaining({ row: 4999, field: 'urn' })]);
    const still = await h.caller(a.officer).placements.mine({ includeEnded: true });
    expect(still).toHaveLength(5000);
    expect(still.reduce((n, r) => n + r.children, 0)).toBe(expectedChildren);

    // The same file again: everything unchanged.
    const same = await h.caller(a.officer).placements.import({ rows });
    expect(same).toMatchObject({
      applied: true,
      errors: [],
      opened: 0,
      changed: 0,
      unchanged: 5000,
      ended: 0,
    });
  }, 120_000);
});
