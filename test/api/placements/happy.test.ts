// Placement declarations (need-to-know, issue 3), what works: declare (from today in London time),
// supersede (the old one kept in history), and end.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test, type Member } from '../../support/harness.js';

// 23:30 UTC on 1 May is already 2 May in England (BST): the hub dates declarations in London time.
const NOW = '2026-05-01T23:30:00Z';
const TODAY = '2026-05-02';

test.override({ clockAt: NOW });

describe('placements.declare', () => {
  let a: Member;
  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'declarer');
  });

  test('declares a count at a provision, from today (London time) by default', async ({ h }) => {
    const p = await h.makeProvision();
    const placement = await h.caller(a.officer).placements.declare({ provisionId: p.id, children: 3 });
    expect(placement).toMatchObject({
      authorityId: a.id,
      provisionId: p.id,
      children: 3,
      fromDate: TODAY,
      endedOn: null,
      open: true,
      version: 1,
    });
    const explicit = await h
      .caller(a.officer)
      .placements.declare({ provisionId: (await h.makeProvision()).id, children: 1, fromDate: '2026-02-03' });
    expect(explicit.fromDate).toBe('2026-02-03');
    expect(explicit.open).toBe(true);
  });

  test('a second declaration supersedes the first, which is ended and kept in history', async ({ h }) => {
    const p = await h.makeProvision();
    const first = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p.id, children: 2, fromDate: '2026-03-01' });
    const second = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p.id, children: 4, fromDate: '2026-04-10' });
    expect(second).toMatchObject({ children: 4, fromDate: '2026-04-10', open: true, endedOn: null });
    expect(second.id).not.toBe(first.id);

    const open = (await h.caller(a.officer).placements.mine()).filter((r) => r.provisionId === p.id);
    expect(open.map((r) => r.id)).toEqual([second.id]);

    const all = (await h.caller(a.officer).placements.mine({ includeEnded: true })).filter(
      (r) => r.provisionId === p.id,
    );
    expect(all).toHaveLength(2);
    const old = all.find((r) => r.id === first.id);
    expect(old).toMatchObject({ children: 2, fromDate: '2026-03-01', endedOn: '2026-04-10', open: false });
    expect(old?.version).toBe(2);

    // A declaration dated before the open one cannot supersede it.
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-04-01' }),
      'BAD_REQUEST',
    );
    expect(
      (await h.caller(a.officer).placements.mine({ includeEnded: true })).filter(
        (r) => r.provisionId === p.id,
      ),
    ).toHaveLength(2);
  });
});

describe('placements.end', () => {
  let a: Member;
  let b: Member;
  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'ender');
    b = await makeMember(h, 'other');
  });

  test("ends the caller's own declaration; another authority's answers 404", async ({ h }) => {
    const p = await h.makeProvision();
    const placement = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p.id, children: 2, fromDate: '2026-04-01' });
    await expectTRPCError(
      h.caller(b.officer).placements.end({ id: placement.id, version: placement.version }),
      'NOT_FOUND',
    );
    await expectTRPCError(h.caller(a.officer).placements.end({ id: randomUUID(), version: 1 }), 'NOT_FOUND');

    const ended = await h.caller(a.officer).placements.end({ id: placement.id, version: placement.version });
    expect(ended).toMatchObject({ id: placement.id, endedOn: TODAY, open: false, version: 2 });
    expect((await h.caller(a.officer).placements.mine()).map((r) => r.id)).not.toContain(placement.id);
    expect((await h.caller(a.officer).placements.mine({ includeEnded: true })).map((r) => r.id)).toContain(
      placement.id,
    );
  });
});
