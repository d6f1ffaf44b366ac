// Restrictions, refusals: the target rule (exactly one of provision and provider, and a known one), bad
// dates and missing reasons, and a lift without a reason, on a stale version or of a lifted restriction.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, test } from '../../support/harness.js';
import { create, detailOf, get, input, lastEntry, NOW, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

describe('restrictions.create: who, on what', () => {
  test('takes exactly one of provisionId and providerId, and refuses an unknown one', async ({ h, w }) => {
    const caller = h.caller(w.publisher.officer);
    const both = input({ provisionId: w.provision.id }, 'embargo', { providerId: w.provision.providerId });
    await expectTRPCError(caller.restrictions.create(both), 'BAD_REQUEST');
    const { provisionId: _p, ...neither } = input({ provisionId: w.provision.id }, 'embargo');
    await expectTRPCError(caller.restrictions.create(neither), 'BAD_REQUEST');
    const e1 = await expectTRPCError(
      caller.restrictions.create(input({ provisionId: randomUUID() }, 'embargo')),
      'NOT_FOUND',
    );
    expect(e1.message).toMatch(/provision/);
    const e2 = await expectTRPCError(
      caller.restrictions.create(input({ providerId: randomUUID() }, 'embargo')),
      'NOT_FOUND',
    );
    expect(e2.message).toMatch(/provider/);
  });

  test('refuses an expiry on or before effectiveFrom, no reason, and a viewer client', async ({ h, w }) => {
    const caller = h.caller(w.publisher.officer);
    const target = { provisionId: w.provision.id };
    await expectTRPCError(
      caller.restrictions.create(input(target, 'embargo', { effectiveFrom: TODAY, expiresOn: TODAY })),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      caller.restrictions.create(input(target, 'embargo', { reasons: [] })),
      'BAD_REQUEST',
    );
    const viewer = (await h.makeClient(w.publisher.id, 'viewer')).principal;
    await expectTRPCError(h.caller(viewer).restrictions.create(input(target, 'embargo')), 'FORBIDDEN');
  });
});

describe('restrictions.update and lift', () => {
  test('lift needs a reason and the current version; a lifted restriction can be neither changed nor lifted again', async ({
    h,
    w,
  }) => {
    const r = await create(h, w.publisher.officer, input({ provisionId: w.provision.id }, 'embargo'));
    const caller = h.caller(w.publisher.officer);
    await expectTRPCError(
      caller.restrictions.lift({ id: r.id, version: 1 } as unknown as Parameters<
        typeof caller.restrictions.lift
      >[0]),
      'BAD_REQUEST',
    );
    await expectTRPCError(caller.restrictions.lift({ id: r.id, version: 1, reason: '  ' }), 'BAD_REQUEST');
    await caller.restrictions.update({ id: r.id, version: 1, details: 'more detail', note: 'added detail' });
    await expectTRPCError(caller.restrictions.lift({ id: r.id, version: 1, reason: 'improved' }), 'CONFLICT');

    const lifted = detailOf(
      await caller.restrictions.lift({ id: r.id, version: 2, reason: 'the provider met the action plan' }),
    );
    expect(lifted).toMatchObject({
      status: 'lifted',
      liftedOn: TODAY,
      liftedReason: 'the provider met the action plan',
      version: 3,
      details: 'more detail',
    });
    expect(lifted.history.map((v) => [v.version, v.change, v.note])).toEqual([
      [1, 'created', null],
      [2, 'updated', 'added detail'],
      [3, 'lifted', 'the provider met the action plan'],
    ]);

    await expectTRPCError(caller.restrictions.update({ id: r.id, version: 3, summary: 'again' }), 'CONFLICT');
    await expectTRPCError(
      caller.restrictions.lift({ id: r.id, version: 3, reason: 'once more' }),
      'CONFLICT',
    );

    const summary = await get(h, w.member, r.id);
    expect(summary).toMatchObject({ layer: 'summary', status: 'lifted', liftedOn: TODAY });
    expect(JSON.stringify(summary)).not.toContain('the provider met the action plan');
    expect(await lastEntry(h, w.publisher)).toMatchObject({
      action: 'restriction.lift',
      recordIds: [r.id],
      basis: 'publisher',
    });
  });
});
