// Restrictions, dates by the calendar: 15 working days for a letter of concern across bank holidays,
// and status (pending, active, expired, lifted) by the calendar alone, in England.
import { describe, expect } from 'vitest';
import { DAY_MS, expectTRPCError, test, type Member, type World } from '../../support/harness.js';
import { create, detailOf, get, idsOf, input, NOW } from './fixtures.js';

test.override({ clockAt: NOW });

describe('letters of concern: a compliance period of 15 working days', () => {
  const target = (w: World) => ({ provisionId: w.provision.id });

  test('skips Christmas Day, Boxing Day (substitute Monday 28th) and New Year’s Day', async ({ h, w }) => {
    // From Monday 14 December 2026: 15 16 17 18 | 21 22 23 24 (25 and 28 are holidays) |
    // 29 30 31 (1 January is a holiday) | 4 5 6 7 January: the 15th working day is Thursday 7 January.
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-12-14' }),
    );
    expect(r.complianceDueOn).toBe('2027-01-07');
  });

  test('counts from today when effectiveFrom is not given', async ({ h, w, clock }) => {
    // Friday 18 December 2026: 21 22 23 24 | 29 30 31 | 4 5 6 7 8 | 11 12 13 → Wednesday 13 January.
    clock.set('2026-12-18T10:00:00Z');
    const r = await create(h, w.publisher.officer, input(target(w), 'letter-of-concern'));
    expect(r).toMatchObject({ effectiveFrom: '2026-12-18', complianceDueOn: '2027-01-13' });
  });

  test('skips Good Friday and Easter Monday', async ({ h, w }) => {
    // From Monday 23 March 2026: 24 25 26 27 | 30 31 1 2 (3 April Good Friday) | (6 April Easter
    // Monday) 7 8 9 10 | 13 14 15: the 15th working day is Wednesday 15 April.
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-03-23' }),
    );
    expect(r.complianceDueOn).toBe('2026-04-15');
  });

  test('keeps a compliance date given explicitly', async ({ h, w }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-03-23', complianceDueOn: '2026-04-03' }),
    );
    expect(r.complianceDueOn).toBe('2026-04-03');
  });
});

describe('status follows the calendar, with nobody touching the restriction', () => {
  test('pending before effectiveFrom, active from it, expired once expiresOn arrives (in England)', async ({
    h,
    w,
    clock,
  }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'embargo', {
        effectiveFrom: '2026-06-16',
        expiresOn: '2026-06-20',
      }),
    );
    const statusOf = async (m: Member) => (await get(h, m, r.id)) as { status?: string };
    const activeIds = async (active: boolean) =>
      idsOf(
        await h
          .caller(w.member.officer)
          .restrictions.list({ provisionId: w.provision.id, issuerAuthorityId: w.publisher.id, active })
          .then((p) => p.items),
      );

    expect(r.status).toBe('pending');
    expect((await statusOf(w.member)).status).toBe('pending');
    expect(await activeIds(true)).not.toContain(r.id);
    expect(await activeIds(false)).not.toContain(r.id);

    clock.move(DAY_MS); // 16 June
    expect((await statusOf(w.member)).status).toBe('active');
    expect((await statusOf(w.placing)).status).toBe('active');
    expect(await activeIds(true)).toContain(r.id);
    expect(await activeIds(false)).not.toContain(r.id);

    // 22:59:59 UTC on 19 June is still 19 June in England (BST): the last day it applies.
    clock.set('2026-06-19T22:59:59Z');
    expect((await statusOf(w.member)).status).toBe('active');
    expect(await activeIds(true)).toContain(r.id);

    // 23:00 UTC is midnight in England: 20 June, its expiry date. It has stopped by itself.
    clock.set('2026-06-19T23:00:00Z');
    expect((await statusOf(w.member)).status).toBe('expired');
    expect(await activeIds(true)).not.toContain(r.id);
    expect(await activeIds(false)).toContain(r.id);
    const seen = detailOf(await get(h, w.publisher, r.id));
    expect(seen).toMatchObject({ status: 'expired', version: 1, updatedAt: r.updatedAt });
    expect(seen.history).toHaveLength(1);
  });

  test('a lift dated ahead takes effect on its date', async ({ h, w, clock }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'framework-suspension'),
    );
    const lifted = detailOf(
      await h
        .caller(w.publisher.officer)
        .restrictions.lift({ id: r.id, version: 1, liftedOn: '2026-06-17', reason: 'ends on the 17th' }),
    );
    expect(lifted).toMatchObject({ status: 'active', liftedOn: '2026-06-17' });
    clock.move(2 * DAY_MS);
    expect(await get(h, w.member, r.id)).toMatchObject({ layer: 'summary', status: 'lifted' });
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .restrictions.lift({ id: r.id, version: 1, liftedOn: '2026-06-01', reason: 'x'.repeat(5) }),
      'CONFLICT',
    );
  });
});
