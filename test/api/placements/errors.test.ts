// Placement declarations, refusals: an unknown provision (404), a bad count (400), a stale version or an
// already ended declaration (409), an end date before the start (400).
import { randomUUID } from 'node:crypto';
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

  test('answers 404 for an unknown provision and 400 for a count of 0 (or too many)', async ({ h }) => {
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: randomUUID(), children: 1 }),
      'NOT_FOUND',
    );
    const p = await h.makeProvision();
    const zero = await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: p.id, children: 0 }),
      'BAD_REQUEST',
    );
    expect(zero.message).toMatch(/children/);
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: p.id, children: -2 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: p.id, children: 1.5 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: p.id, children: 501 }),
      'BAD_REQUEST',
    );
    expect(await h.caller(a.officer).placements.mine({ includeEnded: true })).not.toContainEqual(
      expect.objectContaining({ provisionId: p.id }),
    );
  });
});

describe('placements.end', () => {
  let a: Member;
  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'ender');
  });

  test('refuses a stale version (409) and an already ended declaration (409)', async ({ h }) => {
    const p = await h.makeProvision();
    const placement = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p.id, children: 2, fromDate: '2026-04-01' });
    const stale = await expectTRPCError(
      h.caller(a.officer).placements.end({ id: placement.id, version: placement.version + 1 }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(/version/);
    const ended = await h
      .caller(a.officer)
      .placements.end({ id: placement.id, version: placement.version, endedOn: '2026-04-20' });
    expect(ended.endedOn).toBe('2026-04-20');
    const again = await expectTRPCError(
      h.caller(a.officer).placements.end({ id: placement.id, version: ended.version }),
      'CONFLICT',
    );
    expect(again.message).toMatch(/already ended/);
  });

  test('refuses an end date before the declaration began', async ({ h }) => {
    const p = await h.makeProvision();
    const placement = await h
      .caller(a.officer)
      .placements.declare({ provisionId: p.id, children: 2, fromDate: '2026-04-01' });
    await expectTRPCError(
      h.caller(a.officer).placements.end({ id: placement.id, version: 1, endedOn: '2026-03-31' }),
      'BAD_REQUEST',
    );
  });
});
