// The placement check, refusals: an unknown setting is not found, a malformed id or URN is a bad request,
// and the batch form refuses more than 500 items or none.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, insertProvisions, uniq } from '../../support/harness.js';
import { codes, NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('check by URN, and unknown settings', () => {
  test('an unknown id or URN is NOT_FOUND; a malformed one is BAD_REQUEST', async ({ h, checker }) => {
    await expectTRPCError(
      h.caller(checker.officer).checks.placement({ provisionId: randomUUID() }),
      'NOT_FOUND',
    );
    await expectTRPCError(h.caller(checker.officer).checks.placement({ urn: 'SC000001' }), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(checker.officer).checks.placement({ provisionId: 'not-an-id' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(h.caller(checker.officer).checks.placement({ urn: 'XY12' }), 'BAD_REQUEST');
  });
});

describe('checks.placementMany', () => {
  test('takes up to 500 items in one call and refuses 501 or none', async ({ h, checker }) => {
    const provider = await h.makeProvider();
    const rows = await insertProvisions(h.hub.database.db, {
      count: 501,
      providerId: provider.id,
      hostAuthorityId: h.hostAuthorityId,
      urnPrefix: '9',
      namePrefix: `Bulk ${uniq()}`,
    });
    expect(rows).toHaveLength(501);
    const items = rows.map((r) => ({ provisionId: r.id }));
    const many = await h.caller(checker.officer).checks.placementMany({ items: items.slice(0, 500) });
    expect(many.summary).toEqual({ clear: 0, caution: 500, doNotPlace: 0, notFound: 0 });
    expect(
      many.results.every((r) => r.ok && codes(r).sort().join() === 'never-monitored,no-lead-authority'),
    ).toBe(true);
    const tooMany = await expectTRPCError(
      h.caller(checker.officer).checks.placementMany({ items }),
      'BAD_REQUEST',
    );
    expect(tooMany.message).toContain('500');
    await expectTRPCError(h.caller(checker.officer).checks.placementMany({ items: [] }), 'BAD_REQUEST');
  });
});
