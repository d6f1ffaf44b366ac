// Monitoring, who counts and how often: only a quality-monitoring activity (a visit or a review, not a
// contract meeting) published by the setting's lead resets its schedule — other members' outcomes stay
// intelligence; and a risk (an Ofsted grade of requires improvement or inadequate, a change of
// registered manager in the last 12 months) shortens the interval, by the hub-admin's figures or the
// defaults. The check, the schedule (allocations.mine, monitoring.overdue), the report and the overdue
// job agree.
import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ActivityType, OfstedGrade, ProvisionType } from '@ccx/schema';
import { emitOverdueMonitoring } from '@ccx/server/testing';
import {
  expectTRPCError,
  makeMember,
  publishOutcome,
  queryRows,
  type Harness,
  type Member,
} from '../../support/harness.js';
import { admin, monitoringOf, NOW, stateOf, test, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

/** A setting of a type and grade, led by `by` since 1 January 2026. */
const ledSetting = async (
  h: Harness,
  by: Member,
  opts: { type?: ProvisionType; ofstedGrade?: OfstedGrade } = {},
) => {
  const p = await h.makeProvision({
    type: opts.type ?? 'childrens-home',
    ofstedGrade: opts.ofstedGrade ?? 'good',
  });
  await admin(h).allocations.assign({
    provisionId: p.id,
    authorityId: by.id,
    rationale: 'lead by agreement',
    startsOn: '2026-01-01',
  });
  return p;
};

const publish = (
  h: Harness,
  by: Member,
  provisionId: string,
  activityDate: string,
  activityType: ActivityType = 'monitoring-visit',
  overallRating = 2,
) =>
  publishOutcome(h, by.officer, provisionId, {
    activityDate,
    activityType,
    overallRating,
    nextDueOn: undefined,
  });

describe('what resets the schedule', () => {
  test("another member's outcome is intelligence: shown, rated, but monitoring is not reset", async ({
    h,
    lead,
  }) => {
    const other = await makeMember(h, 'other-visitor');
    const p = await ledSetting(h, lead);
    await publish(h, lead, p.id, '2025-05-01');
    const theirs = await publish(h, other, p.id, '2026-06-01', 'full-qa-visit', 4);
    const check = await admin(h).checks.placement({ provisionId: p.id });
    // The latest outcome shown, and its rating's reason, are the other member's.
    expect(check.latestOutcome).toMatchObject({ id: theirs.id });
    expect(check.reasons.map((r) => r.code)).toContain('latest-rating-of-concern');
    // The schedule still runs from the lead's visit of 1 May 2025: overdue since 1 May 2026.
    expect(check.monitoring).toMatchObject({
      status: 'overdue',
      lastMonitoredOn: '2025-05-01',
      nextDueOn: '2026-05-01',
    });
    expect(check.reasons.map((r) => r.code)).toContain('monitoring-overdue');

    // With only another member's outcome, the setting was never monitored.
    const q = await ledSetting(h, lead);
    await publish(h, other, q.id, '2026-06-01');
    const never = await admin(h).checks.placement({ provisionId: q.id });
    expect(never.monitoring.status).toBe('never-monitored');
    expect(never.reasons.find((r) => r.code === 'never-monitored')?.message).toMatch(/lead authority/);
  });

  test("the lead's desk review and visits reset it; its contract meeting does not", async ({ h, lead }) => {
    const desk = await ledSetting(h, lead);
    await publish(h, lead, desk.id, '2026-06-01', 'desk-review');
    expect(await stateOf(h, desk.id)).toMatchObject({ status: 'ok', lastMonitoredOn: '2026-06-01' });

    for (const type of ['full-qa-visit', 'unannounced-visit', 'compliance-review'] as const) {
      const p = await ledSetting(h, lead);
      await publish(h, lead, p.id, '2026-05-20', type);
      expect((await stateOf(h, p.id)).lastMonitoredOn).toBe('2026-05-20');
    }

    const meeting = await ledSetting(h, lead);
    await publish(h, lead, meeting.id, '2025-06-01', 'monitoring-visit');
    await publish(h, lead, meeting.id, '2026-06-10', 'contract-meeting');
    expect(await stateOf(h, meeting.id)).toMatchObject({
      status: 'overdue',
      lastMonitoredOn: '2025-06-01',
      nextDueOn: '2026-06-01',
    });
  });

  test('a change of lead: the former lead’s visit while it led still counts, its later ones do not', async ({
    h,
    lead,
  }) => {
    const next = await makeMember(h, 'next-lead');
    const p = await ledSetting(h, lead);
    await publish(h, lead, p.id, '2025-06-10');
    await admin(h).allocations.assign({ provisionId: p.id, authorityId: next.id, rationale: 'reassigned' });
    // Published by the lead of the time: the new lead inherits the schedule from it (due 10 June 2026).
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'overdue', lastMonitoredOn: '2025-06-10' });
    // The former lead visits again: no longer the lead, so it does not count.
    await publish(h, lead, p.id, '2026-06-12');
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'overdue', lastMonitoredOn: '2025-06-10' });
    // The new lead's visit does.
    await publish(h, next, p.id, '2026-06-14');
    expect(await stateOf(h, p.id)).toMatchObject({
      status: 'ok',
      lastMonitoredOn: '2026-06-14',
      nextDueOn: '2027-06-14',
    });
    expect(
      (await h.caller(next.officer).allocations.mine()).find((a) => a.provisionId === p.id)?.monitoring,
    ).toMatchObject({ status: 'ok', lastMonitoredOn: '2026-06-14' });
  });
});

describe('risk-based frequency', () => {
  test('a grade of requires improvement or inadequate, or a new manager, shortens the interval', async ({
    h,
    lead,
  }) => {
    const good = await ledSetting(h, lead);
    const ri = await ledSetting(h, lead, { ofstedGrade: 'requires-improvement' });
    const inadequate = await ledSetting(h, lead, { ofstedGrade: 'inadequate' });
    const newManager = await ledSetting(h, lead);
    const oldManager = await ledSetting(h, lead);
    for (const p of [good, ri, inadequate, newManager, oldManager])
      await publish(h, lead, p.id, '2026-02-01');
    const recordManager = async (id: string, on: string) => {
      const current = await h.caller(h.hubAdmin).provisions.get({ id });
      return admin(h).provisions.update({ id, version: current.version, registeredManagerChangedOn: on });
    };
    expect((await recordManager(newManager.id, '2025-09-01')).registeredManagerChangedOn).toBe('2025-09-01');
    await recordManager(oldManager.id, '2025-06-14');

    expect((await monitoringOf(h, good.id)).interval).toEqual({
      months: 12,
      trigger: null,
      reason: 'every 12 months: the interval for its type (childrens-home)',
    });
    expect(await monitoringOf(h, ri.id)).toMatchObject({
      status: 'ok',
      nextDueOn: '2026-08-01',
      interval: {
        months: 6,
        trigger: 'grade-requires-improvement',
        reason: 'every 6 months: Ofsted grade requires improvement',
      },
    });
    expect(await monitoringOf(h, inadequate.id)).toMatchObject({
      status: 'overdue',
      nextDueOn: '2026-05-01',
      interval: { months: 3, trigger: 'grade-inadequate', reason: 'every 3 months: Ofsted grade inadequate' },
    });
    expect(await monitoringOf(h, newManager.id)).toMatchObject({
      nextDueOn: '2026-08-01',
      interval: {
        months: 6,
        trigger: 'manager-changed',
        reason: 'every 6 months: registered manager changed on 2025-09-01',
      },
    });
    // A change a year and a day ago no longer counts.
    expect((await monitoringOf(h, oldManager.id)).interval.trigger).toBeNull();

    // The risk brings forward a later date the visit set itself, never puts an earlier one back.
    const own = await ledSetting(h, lead, { ofstedGrade: 'inadequate' });
    await publishOutcome(h, lead.officer, own.id, { activityDate: '2026-06-01', nextDueOn: '2027-01-01' });
    expect((await stateOf(h, own.id)).nextDueOn).toBe('2026-09-01');
    const sooner = await ledSetting(h, lead, { ofstedGrade: 'inadequate' });
    await publishOutcome(h, lead.officer, sooner.id, { activityDate: '2026-06-01', nextDueOn: '2026-07-01' });
    expect((await stateOf(h, sooner.id)).nextDueOn).toBe('2026-07-01');
  });

  test("the hub-admin's figures per type and trigger override the defaults; longer than the type's is refused", async ({
    h,
    lead,
  }) => {
    const defaults = await h.caller(lead.officer).monitoring.frequencies();
    expect(defaults.find((f) => f.type === 'childrens-home')?.risk).toEqual({
      'grade-inadequate': 3,
      'grade-requires-improvement': 6,
      'manager-changed': 6,
    });
    // Never longer than the type's own interval: unregulated settings are visited every 3 months anyway.
    expect(defaults.find((f) => f.type === 'unregulated')?.risk).toEqual({
      'grade-inadequate': 3,
      'grade-requires-improvement': 3,
      'manager-changed': 3,
    });
    const ri = await ledSetting(h, lead, { type: 'short-breaks-home', ofstedGrade: 'requires-improvement' });
    const home = await ledSetting(h, lead, { ofstedGrade: 'requires-improvement' });
    await publish(h, lead, ri.id, '2026-02-01');
    await publish(h, lead, home.id, '2026-02-01');
    try {
      const after = await admin(h).monitoring.setFrequency({
        type: 'short-breaks-home',
        risk: { 'grade-requires-improvement': 4 },
      });
      expect(after.find((f) => f.type === 'short-breaks-home')).toEqual({
        type: 'short-breaks-home',
        months: 12,
        risk: { 'grade-inadequate': 3, 'grade-requires-improvement': 4, 'manager-changed': 6 },
      });
      expect(await monitoringOf(h, ri.id)).toMatchObject({
        status: 'overdue',
        nextDueOn: '2026-06-01',
        interval: { months: 4, trigger: 'grade-requires-improvement' },
      });
      // Another type is untouched.
      expect((await monitoringOf(h, home.id)).interval.months).toBe(6);

      await expectTRPCError(
        admin(h).monitoring.setFrequency({ type: 'short-breaks-home', risk: { 'manager-changed': 13 } }),
        'BAD_REQUEST',
      );
      await expectTRPCError(admin(h).monitoring.setFrequency({ type: 'short-breaks-home' }), 'BAD_REQUEST');
      await expectTRPCError(
        h
          .caller(lead.officer)
          .monitoring.setFrequency({ type: 'short-breaks-home', risk: { 'grade-inadequate': 2 } }),
        'FORBIDDEN',
      );
      // A member other than the host may not record a change of manager.
      const current = await h.caller(h.hubAdmin).provisions.get({ id: home.id });
      await expectTRPCError(
        h.caller(lead.officer).provisions.update({
          id: home.id,
          version: current.version,
          registeredManagerChangedOn: '2026-06-01',
        }),
        'FORBIDDEN',
      );
    } finally {
      await admin(h).monitoring.setFrequency({
        type: 'short-breaks-home',
        risk: { 'grade-requires-improvement': 6 },
      });
    }
  });
});

describe('one rule everywhere', () => {
  test('the check, allocations.mine, monitoring.overdue, the report and the overdue job agree', async ({
    h,
  }) => {
    const a = await makeMember(h, 'agree-lead');
    const other = await makeMember(h, 'agree-other');
    // Overdue: the lead visited 1 May 2025; another member's and the lead's contract meeting since.
    const late = await ledSetting(h, a);
    await publish(h, a, late.id, '2025-05-01');
    await publish(h, other, late.id, '2026-06-01');
    await publish(h, a, late.id, '2026-06-02', 'contract-meeting');
    // Overdue only because the inadequate grade shortens the interval (visited 1 February).
    const risky = await ledSetting(h, a, { ofstedGrade: 'inadequate' });
    await publish(h, a, risky.id, '2026-02-01');
    // Never monitored: only another member has been.
    const never = await ledSetting(h, a);
    await publish(h, other, never.id, '2026-06-01');
    // Fine.
    const fine = await ledSetting(h, a);
    await publish(h, a, fine.id, '2026-03-01');

    const check = Object.fromEntries(
      await Promise.all(
        [late, risky, never, fine].map(async (p) => [p.id, (await monitoringOf(h, p.id)).status] as const),
      ),
    );
    expect(check).toEqual({
      [late.id]: 'overdue',
      [risky.id]: 'overdue',
      [never.id]: 'never-monitored',
      [fine.id]: 'ok',
    });
    const mine = Object.fromEntries(
      (await h.caller(a.officer).allocations.mine()).map((x) => [x.provisionId, x.monitoring?.status]),
    );
    expect(mine).toEqual(check);
    const overdue = (await admin(h).monitoring.overdue()).find((e) => e.authorityId === a.id);
    expect(overdue).toMatchObject({ overdue: 2, neverMonitored: 1 });
    expect(Object.fromEntries(overdue!.provisions.map((p) => [p.provisionId, p.monitoring.status]))).toEqual({
      [late.id]: 'overdue',
      [risky.id]: 'overdue',
      [never.id]: 'never-monitored',
    });
    const row = (await admin(h).monitoring.report()).rows.find((r) => r.authorityId === a.id);
    expect(row).toMatchObject({ settingsAllocated: 4, overdueNow: 2, neverMonitored: 1 });

    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    const ids = [late.id, risky.id, never.id, fine.id];
    const marks = (
      await queryRows<{ key: string }>(h.db, sql`select key from job_marks where kind = 'monitoring.overdue'`)
    ).filter((m) => ids.some((id) => m.key.startsWith(`${id}:`)));
    expect(marks.map((m) => m.key).sort()).toEqual(
      [`${late.id}:2026-05-01`, `${risky.id}:2026-05-01`].sort(),
    );
    expect(TODAY).toBe('2026-06-15');
  });
});
