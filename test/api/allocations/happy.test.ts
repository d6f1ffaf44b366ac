// Allocations (need-to-know, issue 3), what works: assign, reassign with history (the lead basis moves),
// list and mine, and what counts as current.
import { describe, expect } from 'vitest';
import { makeMember, test, type Member } from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('allocations.assign, list and mine', () => {
  let a: Member;
  let b: Member;

  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'alloca');
    b = await makeMember(h, 'allocb');
  });

  test('reassigning closes the previous allocation and keeps it in history', async ({ h }) => {
    const p = await h.makeProvision();
    const first = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: a.id, rationale: 'first lead' });
    const second = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: b.id, rationale: 'second lead' });

    const current = await h
      .caller(a.officer)
      .allocations.list({ provisionId: p.id })
      .then((p) => p.items);
    expect(current.map((x) => x.id)).toEqual([second.id]);

    const history = await h
      .caller(a.officer)
      .allocations.list({ provisionId: p.id, currentOnly: false })
      .then((p) => p.items);
    expect(history).toHaveLength(2);
    const old = history.find((x) => x.id === first.id);
    expect(old).toMatchObject({ authorityId: a.id, current: false, rationale: 'first lead' });
    expect(old?.endedReason).toMatch(new RegExp(`reassigned to ${b.id}`));
    expect(history.find((x) => x.id === second.id)).toMatchObject({ authorityId: b.id, current: true });

    // The old lead has lost its lead basis; the new one has it.
    const explainA = await h.caller(a.officer).access.explain({ provisionId: p.id });
    expect(explainA.bases.map((x) => x.basis)).not.toContain('lead');
    const explainB = await h.caller(b.officer).access.explain({ provisionId: p.id });
    expect(explainB.bases.map((x) => x.basis)).toContain('lead');
    expect(explainB.layer).toBe('detail');

    // Only one current allocation per provision and role, in the database as well.
    const all = await h
      .caller(h.hubAdmin)
      .allocations.list({ provisionId: p.id, currentOnly: false })
      .then((p) => p.items);
    expect(all.filter((x) => x.current)).toHaveLength(1);
  });

  test("mine lists the caller's current allocations; list filters by provision and authority", async ({
    h,
  }) => {
    const c = await makeMember(h, 'allocc');
    const d = await makeMember(h, 'allocd');
    const [p1, p2, p3] = [await h.makeProvision(), await h.makeProvision(), await h.makeProvision()];
    const x1 = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p1.id, authorityId: c.id, rationale: 'c leads p1' });
    const x2 = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p2.id, authorityId: c.id, rationale: 'c leads p2' });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p3.id, authorityId: d.id, rationale: 'd leads p3' });
    // p2 moves to d: c keeps only p1.
    const x4 = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p2.id, authorityId: d.id, rationale: 'd takes p2' });

    expect((await h.caller(c.officer).allocations.mine()).map((x) => x.id)).toEqual([x1.id]);
    expect((await h.caller(d.officer).allocations.mine()).map((x) => x.provisionId).sort()).toEqual(
      [p2.id, p3.id].sort(),
    );
    const byC = await h
      .caller(d.officer)
      .allocations.list({ authorityId: c.id, currentOnly: false })
      .then((p) => p.items);
    expect(byC.map((x) => x.id).sort()).toEqual([x1.id, x2.id].sort());
    expect(
      await h
        .caller(d.officer)
        .allocations.list({ authorityId: c.id })
        .then((p) => p.items),
    ).toEqual([expect.objectContaining({ id: x1.id })]);
    expect(
      await h
        .caller(d.officer)
        .allocations.list({ provisionId: p2.id })
        .then((p) => p.items),
    ).toEqual([expect.objectContaining({ id: x4.id, authorityId: d.id })]);
    expect(
      await h
        .caller(d.officer)
        .allocations.list({ provisionId: p2.id, authorityId: c.id })
        .then((p) => p.items),
    ).toEqual([]);
  });

  test('a future start or a past end is not current', async ({ h }) => {
    const e = await makeMember(h, 'alloce');
    const [p1, p2] = [await h.makeProvision(), await h.makeProvision()];
    const future = await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p1.id,
      authorityId: e.id,
      rationale: 'from next month',
      startsOn: '2026-07-01',
    });
    expect(future.current).toBe(false);
    const lapsed = await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p2.id,
      authorityId: e.id,
      rationale: 'for the spring',
      startsOn: '2026-03-01',
      endsOn: '2026-06-01',
    });
    expect(lapsed.current).toBe(false);
    expect(await h.caller(e.officer).allocations.mine()).toEqual([]);
    const explain = await h.caller(e.officer).access.explain({ provisionId: p2.id });
    expect(explain.bases.map((x) => x.basis)).not.toContain('lead');
  });
});
