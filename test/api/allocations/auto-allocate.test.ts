// allocations.autoAllocate: each rule of the algorithm with its rationale, skips, dry run, real run,
// determinism, and lapsed or future allocations.
import { test as vitestTest, describe, expect } from 'vitest';
import type { AutoAllocateResult } from '@ccx/schema';
import { createHarness, test, uniq, type Harness, type Member } from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('allocations.autoAllocate', () => {
  // Each test gets a hub and a database of its own: the algorithm looks at every provision and every
  // allocation.
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its pattern
  const test = vitestTest.extend('h', async ({}, { onCleanup }) => {
    const h = await createHarness({}, { clockAt: NOW });
    onCleanup(() => h.close());
    return h;
  });

  /** Authorities whose ids sort in the given order (a… before b… before c…). */
  const members = async (h: Harness, ...letters: string[]): Promise<Member[]> => {
    const u = uniq();
    const out: Member[] = [];
    for (const l of letters) {
      const id = `${l}${l}-${u}`;
      await h.makeAuthority({ id });
      out.push({
        id,
        qaInbox: `qa@${id}.example.gov.uk`,
        officer: (await h.makeClient(id, 'officer')).principal,
      });
    }
    return out;
  };

  const place = async (h: Harness, m: Member, provisionId: string, children: number) =>
    h.caller(m.officer).placements.declare({ provisionId, children, fromDate: '2026-01-01' });

  const proposalFor = (result: AutoAllocateResult, provisionId: string) =>
    result.proposals.find((p) => p.provisionId === provisionId);

  test('chooses the host authority when it places there, even with fewer children', async ({ h }) => {
    const [host, big] = await members(h, 'h', 'b');
    const p = await h.makeProvision({ hostAuthorityId: host!.id });
    await place(h, host!, p.id, 1);
    await place(h, big!, p.id, 5);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(result.proposals).toHaveLength(1);
    const proposal = proposalFor(result, p.id);
    expect(proposal).toMatchObject({ provisionId: p.id, provisionName: p.name, authorityId: host!.id });
    expect(proposal?.rationale).toMatch(/host authority/);
    expect(proposal?.rationale).toContain(host!.id);
    expect(proposal?.placing).toEqual(
      expect.arrayContaining([
        { authorityId: host!.id, authority: { id: host!.id, name: `Council ${host!.id}` }, children: 1 },
        { authorityId: big!.id, authority: { id: big!.id, name: `Council ${big!.id}` }, children: 5 },
      ]),
    );
  });

  test('otherwise chooses the authority with most children placed', async ({ h }) => {
    const [small, big] = await members(h, 'a', 'z');
    const p = await h.makeProvision(); // stands in the hub operator's area; it places nothing
    await place(h, small!, p.id, 1);
    await place(h, big!, p.id, 3);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    const proposal = proposalFor(result, p.id);
    expect(proposal?.authorityId).toBe(big!.id);
    expect(proposal?.rationale).toMatch(/most children/);
    expect(proposal?.rationale).toMatch(/3 of 4/);
  });

  test('on a tie of children chooses the one with fewest current allocations', async ({ h }) => {
    const [busy, free] = await members(h, 'a', 'b');
    const elsewhere = await h.makeProvision();
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: elsewhere.id, authorityId: busy!.id, rationale: 'busy leads' });
    const p = await h.makeProvision();
    await place(h, busy!, p.id, 2);
    await place(h, free!, p.id, 2);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(result.proposals).toHaveLength(1);
    const proposal = proposalFor(result, p.id);
    expect(proposal?.authorityId).toBe(free!.id);
    expect(proposal?.rationale).toMatch(/fewest current allocations/);
  });

  test('on a tie again chooses by authority id', async ({ h }) => {
    const [first, second] = await members(h, 'b', 'c');
    const p = await h.makeProvision();
    // Declared in reverse order, so insertion order cannot be what decides.
    await place(h, second!, p.id, 2);
    await place(h, first!, p.id, 2);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    const proposal = proposalFor(result, p.id);
    expect(proposal?.authorityId).toBe(first!.id);
    expect(proposal?.rationale).toMatch(/first by id/);
  });

  test("counts the run's own proposals when breaking ties, so tied provisions are shared out", async ({
    h,
  }) => {
    const [x, y] = await members(h, 'd', 'e');
    const [p1, p2] = [await h.makeProvision(), await h.makeProvision()];
    for (const p of [p1, p2]) {
      await place(h, x!, p.id, 1);
      await place(h, y!, p.id, 1);
    }
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(result.proposals).toHaveLength(2);
    // The first provision (in the run's order) goes to x by id, the second to y (fewest allocations).
    expect(result.proposals.map((p) => p.authorityId)).toEqual([x!.id, y!.id]);
    expect(result.proposals[1]?.rationale).toMatch(/fewest current allocations/);
  });

  test('skips provisions with one placing member, ended placements, or a current allocation', async ({
    h,
  }) => {
    const [x, y] = await members(h, 'f', 'g');
    const single = await h.makeProvision();
    await place(h, x!, single.id, 3);
    const allocated = await h.makeProvision();
    await place(h, x!, allocated.id, 1);
    await place(h, y!, allocated.id, 1);
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: allocated.id, authorityId: y!.id, rationale: 'y leads' });
    const ended = await h.makeProvision();
    await place(h, x!, ended.id, 1);
    const gone = await place(h, y!, ended.id, 1);
    await h.caller(y!.officer).placements.end({ id: gone.id, version: gone.version, endedOn: '2026-05-01' });
    const future = await h.makeProvision();
    await place(h, x!, future.id, 1);
    await h
      .caller(y!.officer)
      .placements.declare({ provisionId: future.id, children: 1, fromDate: '2026-09-01' });
    const counted = await h.makeProvision();
    await place(h, x!, counted.id, 1);
    await place(h, y!, counted.id, 1);

    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(result.proposals.map((p) => p.provisionId)).toEqual([counted.id]);
  });

  test('a dry run (the default) proposes without writing; a real run writes, and a second run proposes nothing', async ({
    h,
  }) => {
    const [x, y, z] = await members(h, 'a', 'b', 'c');
    const [p1, p2] = [await h.makeProvision({ hostAuthorityId: z!.id }), await h.makeProvision()];
    await place(h, x!, p1.id, 1);
    await place(h, z!, p1.id, 1);
    await place(h, x!, p2.id, 1);
    await place(h, y!, p2.id, 4);

    const dry = await h.caller(h.hubAdmin).allocations.autoAllocate();
    expect(dry.dryRun).toBe(true);
    expect(dry.assigned).toBe(0);
    expect(dry.proposals).toHaveLength(2);
    expect(
      await h
        .caller(h.hubAdmin)
        .allocations.list({ currentOnly: false })
        .then((p) => p.items),
    ).toEqual([]);

    const real = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: false });
    expect(real).toEqual({ ...dry, dryRun: false, assigned: 2 });
    const written = await h
      .caller(h.hubAdmin)
      .allocations.list()
      .then((p) => p.items);
    expect(written).toHaveLength(2);
    expect(written.find((a) => a.provisionId === p1.id)).toMatchObject({ authorityId: z!.id, current: true });
    expect(written.find((a) => a.provisionId === p2.id)).toMatchObject({ authorityId: y!.id, current: true });
    for (const a of written) {
      const proposal = proposalFor(real, a.provisionId);
      expect(a.rationale).toBe(`automatic: ${proposal?.rationale ?? ''}`);
    }
    expect((await h.caller(z!.officer).allocations.mine()).map((a) => a.provisionId)).toEqual([p1.id]);

    const again = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: false });
    expect(again).toEqual({ dryRun: false, proposals: [], assigned: 0 });
    expect(
      await h
        .caller(h.hubAdmin)
        .allocations.list({ currentOnly: false })
        .then((p) => p.items),
    ).toHaveLength(2);

    const audit = await h.caller(h.hubAdmin).audit.list({ scope: 'mine', action: 'allocation.auto' });
    expect(audit.items).toHaveLength(2);
  });

  test('is deterministic: the same world gives the same proposals, run after run', async ({ h }) => {
    const ms = await members(h, 'a', 'b', 'c', 'd');
    const provisions = [];
    for (let i = 0; i < 6; i++) provisions.push(await h.makeProvision({ hostAuthorityId: ms[i % 4]!.id }));
    // A mix of host, most-children and tie cases.
    for (const [i, p] of provisions.entries()) {
      await place(h, ms[(i + 1) % 4]!, p.id, 2);
      await place(h, ms[(i + 2) % 4]!, p.id, i % 2 === 0 ? 2 : 3);
      if (i % 3 === 0) await place(h, ms[i % 4]!, p.id, 1);
    }
    const one = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    const two = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(two).toEqual(one);
    expect(one.proposals).toHaveLength(6);
    for (const p of one.proposals) expect(p.rationale.length).toBeGreaterThan(20);
    const real = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: false });
    expect(real.proposals).toEqual(one.proposals);
  });

  test('treats a lapsed allocation (its end date passed) as no current allocation', async ({ h }) => {
    const [x, y] = await members(h, 'a', 'b');
    const p = await h.makeProvision();
    await place(h, x!, p.id, 1);
    await place(h, y!, p.id, 2);
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: x!.id,
      rationale: 'for the spring only',
      startsOn: '2026-03-01',
      endsOn: '2026-06-01',
    });
    expect(
      await h
        .caller(h.hubAdmin)
        .allocations.list({ provisionId: p.id })
        .then((p) => p.items),
    ).toEqual([]);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: false });
    expect(result.proposals.map((q) => [q.provisionId, q.authorityId])).toEqual([[p.id, y!.id]]);
    const current = await h
      .caller(h.hubAdmin)
      .allocations.list({ provisionId: p.id })
      .then((p) => p.items);
    expect(current).toEqual([expect.objectContaining({ authorityId: y!.id, current: true })]);
    expect(
      await h
        .caller(h.hubAdmin)
        .allocations.list({ provisionId: p.id, currentOnly: false })
        .then((p) => p.items),
    ).toHaveLength(2);
  });

  test('does not count a lapsed allocation among the current ones when breaking a tie', async ({ h }) => {
    const [x, y] = await members(h, 'a', 'b');
    const elsewhere = await h.makeProvision();
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: elsewhere.id,
      authorityId: x!.id,
      rationale: 'for the spring only',
      startsOn: '2026-03-01',
      endsOn: '2026-06-01',
    });
    const p = await h.makeProvision();
    await place(h, x!, p.id, 2);
    await place(h, y!, p.id, 2);
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    // Both have 0 current allocations, so the id decides.
    expect(result.proposals).toEqual([expect.objectContaining({ provisionId: p.id, authorityId: x!.id })]);
    expect(result.proposals[0]?.rationale).toMatch(/each have 0 current allocations/);
  });

  test('leaves alone a provision whose allocation starts later', async ({ h }) => {
    const [x, y] = await members(h, 'a', 'b');
    const p = await h.makeProvision();
    await place(h, x!, p.id, 1);
    await place(h, y!, p.id, 2);
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: x!.id,
      rationale: 'x takes over in the autumn',
      startsOn: '2026-09-01',
    });
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    expect(result.proposals).toEqual([]);
  });
});
