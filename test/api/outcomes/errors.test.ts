// Monitoring outcomes, refusals: a future activity date, an unknown provision or record, a stale version
// (a conflict that names the current one), publishing twice, withdrawing a draft, an empty amendment.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, outcomeInput, publishOutcome, test } from '../../support/harness.js';
import { detail, NOW, versionRows } from './fixtures.js';

test.override({ clockAt: NOW });

describe('outcomes.create', () => {
  test('refuses an activity date in the future (in England), an unknown provision and a viewer', async ({
    h,
    w,
    clock,
  }) => {
    const future = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id, { activityDate: '2026-06-16' })),
      'BAD_REQUEST',
    );
    expect(future.message).toMatch(/future/);
    await expectTRPCError(h.caller(w.lead.officer).outcomes.create(outcomeInput(randomUUID())), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id, { overallRating: 6 })),
      'BAD_REQUEST',
    );
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(h.caller(viewer).outcomes.create(outcomeInput(w.provision.id)), 'FORBIDDEN');

    // 23:30 UTC on 15 June is already 16 June in England: that date is today, not the future.
    clock.set('2026-06-15T23:30:00Z');
    const late = await h
      .caller(w.lead.officer)
      .outcomes.create(outcomeInput(w.provision.id, { activityDate: '2026-06-16' }));
    expect(late.layer === 'detail' && late.activityDate).toBe('2026-06-16');
  });
});

describe('outcomes.publish', () => {
  test('answers 404 to another authority for a draft, 409 for a stale version and 409 when published twice', async ({
    h,
    w,
  }) => {
    const draft = await h.caller(w.publisher.officer).outcomes.create(outcomeInput(w.provision.id));
    if (draft.layer !== 'detail') throw new Error('expected detail');
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.publish({ id: draft.id, version: 1 }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h.caller(w.publisher.officer).outcomes.publish({ id: randomUUID(), version: 1 }),
      'NOT_FOUND',
    );
    const stale = await expectTRPCError(
      h.caller(w.publisher.officer).outcomes.publish({ id: draft.id, version: 2 }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(/version/);

    const published = await h.caller(w.publisher.officer).outcomes.publish({ id: draft.id, version: 1 });
    expect(published).toMatchObject({ layer: 'detail', status: 'published', version: 2, byLead: false });
    if (published.layer !== 'detail') return;
    expect(published.publishedAt).toBe(new Date(NOW).toISOString());

    await expectTRPCError(
      h.caller(w.publisher.officer).outcomes.publish({ id: draft.id, version: 2 }),
      'CONFLICT',
    );
    await expectTRPCError(
      h.caller(w.publisher.officer).outcomes.publish({ id: draft.id, version: 1 }),
      'CONFLICT',
    );
    // Now it is published, another authority knows of it but may not publish it.
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.publish({ id: draft.id, version: 2 }),
      'FORBIDDEN',
    );
  });
});

describe('layers of a published outcome', () => {
  test('listForProvision answers 404 for an unknown provision', async ({ h, w }) => {
    await expectTRPCError(
      h.caller(w.member.officer).outcomes.listForProvision({ provisionId: randomUUID() }),
      'NOT_FOUND',
    );
  });
});

describe('refusals', () => {
  test('withdrawing a draft is a conflict, and leaves it a draft', async ({ h, w }) => {
    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const err = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.withdraw({ id: draft.id, version: 1, reason: 'never mind' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/draft/);
    expect(detail(await h.caller(w.lead.officer).outcomes.get({ id: draft.id }))).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });

  test('a stale version is a conflict that names the current version, for amend, withdraw and action items', async ({
    h,
    w,
  }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const lead = h.caller(w.lead.officer);
    await lead.outcomes.amend({
      id: published.id,
      version: 2,
      reason: 'first amendment',
      changes: { overallRating: 5 },
    });
    for (const stale of [1, 2, 4]) {
      const amend = await expectTRPCError(
        lead.outcomes.amend({
          id: published.id,
          version: stale,
          reason: 'stale amendment',
          changes: { overallRating: 1 },
        }),
        'CONFLICT',
      );
      expect(amend.message).toMatch(new RegExp(`you sent version ${stale}, the current version is 3`));
    }
    const withdraw = await expectTRPCError(
      lead.outcomes.withdraw({ id: published.id, version: 2, reason: 'stale withdrawal' }),
      'CONFLICT',
    );
    expect(withdraw.message).toMatch(/current version is 3/);
    const item = await expectTRPCError(
      lead.outcomes.updateActionItem({
        outcomeId: published.id,
        version: 2,
        itemId: published.actionItems[0]!.id,
        status: 'met',
      }),
      'CONFLICT',
    );
    expect(item.message).toMatch(/current version is 3/);
    expect(detail(await lead.outcomes.get({ id: published.id }))).toMatchObject({
      version: 3,
      overallRating: 5,
      status: 'amended',
    });
  });

  test('an amendment must change something, say why, and keep the activity date in the past', async ({
    h,
    w,
  }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const lead = h.caller(w.lead.officer);
    const base = { id: published.id, version: published.version };
    const none = await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'no changes at all', changes: {} }),
      'BAD_REQUEST',
    );
    expect(none.message).toMatch(/change at least one field/);
    // An empty list of new action items changes nothing either: no new version for it.
    const noItems = await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'no new items', changes: { addActionItems: [] } }),
      'BAD_REQUEST',
    );
    expect(noItems.message).toMatch(/change at least one field/);
    await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'only undefined', changes: { summary: undefined } }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      lead.outcomes.amend({
        ...base,
        reason: 'unknown fields only',
        changes: { colour: 'red' } as unknown as { overallRating: number },
      }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'x', changes: { overallRating: 2 } }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'rating out of range', changes: { overallRating: 6 } }),
      'BAD_REQUEST',
    );
    const future = await expectTRPCError(
      lead.outcomes.amend({ ...base, reason: 'date in the future', changes: { activityDate: '2026-06-16' } }),
      'BAD_REQUEST',
    );
    expect(future.message).toMatch(/future/);
    await expectTRPCError(lead.outcomes.withdraw({ ...base, reason: 'x' }), 'BAD_REQUEST');
    expect(detail(await lead.outcomes.get({ id: published.id }))).toMatchObject({
      version: published.version,
      status: 'published',
    });
    expect(await versionRows(h, published.id)).toHaveLength(1);
  });
});

describe('action items', () => {
  test('answers NOT_FOUND for an unknown item and BAD_REQUEST with neither status nor date', async ({
    h,
    w,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const lead = h.caller(w.lead.officer);
    await expectTRPCError(
      lead.outcomes.updateActionItem({
        outcomeId: o.id,
        version: o.version,
        itemId: 'nosuchid',
        status: 'met',
      }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      lead.outcomes.updateActionItem({ outcomeId: o.id, version: o.version, itemId: o.actionItems[0]!.id }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      lead.outcomes.updateActionItem({
        outcomeId: o.id,
        version: o.version,
        itemId: o.actionItems[0]!.id,
        status: 'closed' as 'met',
      }),
      'BAD_REQUEST',
    );
    expect(detail(await lead.outcomes.get({ id: o.id })).version).toBe(o.version);
  });
});
