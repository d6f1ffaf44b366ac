// Allocations, refusals: an unknown provision or authority (404), a period that ends before it starts or
// no rationale (400) — each writing nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test, type Member } from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('allocations.assign, list and mine', () => {
  let a: Member;

  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'alloca');
  });

  test('refuses an unknown provision or authority (404) and a period that ends before it starts (400)', async ({
    h,
  }) => {
    const p = await h.makeProvision();
    await expectTRPCError(
      h
        .caller(h.hubAdmin)
        .allocations.assign({ provisionId: randomUUID(), authorityId: a.id, rationale: 'x y z' }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h
        .caller(h.hubAdmin)
        .allocations.assign({ provisionId: p.id, authorityId: 'no-such-council', rationale: 'x y z' }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).allocations.assign({
        provisionId: p.id,
        authorityId: a.id,
        rationale: 'x y z',
        startsOn: '2026-07-01',
        endsOn: '2026-07-01',
      }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).allocations.assign({ provisionId: p.id, authorityId: a.id, rationale: '' }),
      'BAD_REQUEST',
    );
    expect(
      await h
        .caller(h.hubAdmin)
        .allocations.list({ provisionId: p.id, currentOnly: false })
        .then((p) => p.items),
    ).toEqual([]);
  });
});
