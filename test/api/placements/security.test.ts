// Placement declarations, who may do what: a viewer may not declare but may read its authority's list;
// an authority sees only its own declarations.
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test, type Member } from '../../support/harness.js';

// 23:30 UTC on 1 May is already 2 May in England (BST): the hub dates declarations in London time.
const NOW = '2026-05-01T23:30:00Z';
test.override({ clockAt: NOW });

describe('placements.declare', () => {
  let a: Member;
  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'declarer');
  });

  test('is refused to a viewer client', async ({ h }) => {
    const viewer = (await h.makeClient(a.id, 'viewer')).principal;
    const p = await h.makeProvision();
    await expectTRPCError(
      h.caller(viewer).placements.declare({ provisionId: p.id, children: 1 }),
      'FORBIDDEN',
    );
  });
});

describe('placements.mine', () => {
  test("lists only the caller's authority's declarations, open ones unless includeEnded", async ({ h }) => {
    const a = await makeMember(h, 'mine');
    const b = await makeMember(h, 'notmine');
    const [p1, p2, p3] = [await h.makeProvision(), await h.makeProvision(), await h.makeProvision()];
    const d1 = await h.caller(a.officer).placements.declare({ provisionId: p1.id, children: 1 });
    const d2 = await h.caller(a.officer).placements.declare({ provisionId: p2.id, children: 2 });
    await h.caller(b.officer).placements.declare({ provisionId: p3.id, children: 5 });
    await h.caller(a.officer).placements.end({ id: d2.id, version: d2.version });

    const open = await h.caller(a.officer).placements.mine();
    expect(open.map((r) => r.id)).toEqual([d1.id]);
    const all = await h.caller(a.officer).placements.mine({ includeEnded: true });
    expect(all.map((r) => r.id).sort()).toEqual([d1.id, d2.id].sort());
    expect(all.every((r) => r.authorityId === a.id)).toBe(true);
    // A viewer of the authority may read its list.
    const viewer = (await h.makeClient(a.id, 'viewer')).principal;
    expect((await h.caller(viewer).placements.mine()).map((r) => r.id)).toEqual([d1.id]);
  });
});
