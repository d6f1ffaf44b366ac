// The monitoring schedule: default frequencies per provision type and the hub-admin's changes to them;
// each provision's next due date from its latest published outcome (its own nextDueOn, else its date
// plus the frequency, clamped at month ends); withdrawn outcomes and drafts don't count; due soon,
// overdue and never monitored; allocations.mine; and the hub-admin's overdue report per lead authority.
import { describe, expect } from 'vitest';
import { PROVISION_TYPES, type MonitoringState, type ProvisionType } from '@ccx/schema';
import {
  DAY_MS,
  expectTRPCError,
  makeMember,
  plusDays,
  publishOutcome,
  test as base,
  uniq,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
const TODAY = '2026-06-15';

const admin = (h: Harness) => h.caller(h.hubAdmin);

/** Whole days from one date to another. */
const daysFrom = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * The file's `lead` authority; `setting`, a provision of a type, led by `by` (the file's lead unless
 * told otherwise, or none); and `monitored`, which publishes an outcome of `activityDate` with its own
 * next due date or none.
 */
const test = base
  .extend('lead', { scope: 'file' }, ({ h }) => makeMember(h, 'lead'))
  .extend(
    'setting',
    { scope: 'file' },
    ({ h, lead }) =>
      async (
        type: ProvisionType = 'childrens-home',
        opts: { by?: Member | null; name?: string; startsOn?: string } = {},
      ) => {
        const provision = await h.makeProvision({ type, ...(opts.name ? { name: opts.name } : {}) });
        const by = opts.by === undefined ? lead : opts.by;
        if (by)
          await admin(h).allocations.assign({
            provisionId: provision.id,
            authorityId: by.id,
            rationale: 'lead by agreement',
            startsOn: opts.startsOn ?? '2026-01-01',
          });
        return provision;
      },
  )
  .extend(
    'monitored',
    { scope: 'file' },
    ({ h, lead }) =>
      (provisionId: string, activityDate: string, nextDueOn?: string, by: Member = lead) =>
        publishOutcome(h, by.officer, provisionId, { activityDate, nextDueOn, overallRating: 2 }),
  );
test.override({ clockAt: NOW });

/** The monitoring state of a provision as the placement check reports it. */
const stateOf = async (h: Harness, provisionId: string): Promise<MonitoringState> =>
  (await admin(h).checks.placement({ provisionId })).monitoring;

const setFrequency = (h: Harness, type: ProvisionType, months: number) =>
  admin(h).monitoring.setFrequency({ type, months });

const NEVER: MonitoringState = {
  status: 'never-monitored',
  lastMonitoredOn: null,
  nextDueOn: null,
  daysOverdue: 0,
};

describe('monitoring frequencies', () => {
  test('default to annual, and every 3 months for unregulated settings', async ({ h }) => {
    const member = await makeMember(h, 'member');
    const list = await h.caller(member.officer).monitoring.frequencies();
    expect(list).toHaveLength(PROVISION_TYPES.length);
    expect(Object.fromEntries(list.map((f) => [f.type, f.months]))).toEqual(
      Object.fromEntries(PROVISION_TYPES.map((t) => [t, t === 'unregulated' ? 3 : 12])),
    );
  });

  test('apply to the next due date: a year on, or 3 months on for unregulated settings', async ({
    h,
    setting,
    monitored,
  }) => {
    const home = await setting('childrens-home');
    await monitored(home.id, '2026-01-10');
    expect(await stateOf(h, home.id)).toEqual({
      status: 'ok',
      lastMonitoredOn: '2026-01-10',
      nextDueOn: '2027-01-10',
      daysOverdue: 0,
    });

    const soon = await setting('unregulated');
    await monitored(soon.id, '2026-04-01');
    expect(await stateOf(h, soon.id)).toEqual({
      status: 'due-soon',
      lastMonitoredOn: '2026-04-01',
      nextDueOn: '2026-07-01',
      daysOverdue: 0,
    });

    const late = await setting('unregulated');
    await monitored(late.id, '2026-03-01');
    expect(await stateOf(h, late.id)).toEqual({
      status: 'overdue',
      lastMonitoredOn: '2026-03-01',
      nextDueOn: '2026-06-01',
      daysOverdue: 14,
    });
  });

  test('are set by the hub-admin only, within 1 to 60 months', async ({ h }) => {
    const member = await makeMember(h, 'member');
    const memberAdmin = (await h.makeClient(member.id, 'admin')).principal;
    const hostOfficer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
    for (const who of [member.officer, memberAdmin, hostOfficer])
      await expectTRPCError(
        h.caller(who).monitoring.setFrequency({ type: 'childrens-home', months: 6 }),
        'FORBIDDEN',
      );
    for (const months of [0, 61, 1.5])
      await expectTRPCError(setFrequency(h, 'childrens-home', months), 'BAD_REQUEST');
    await expectTRPCError(
      admin(h).monitoring.setFrequency({ type: 'castle' as ProvisionType, months: 6 }),
      'BAD_REQUEST',
    );
    expect((await admin(h).monitoring.frequencies()).find((f) => f.type === 'childrens-home')?.months).toBe(
      12,
    );
  });

  test("the hub-admin's change moves the due dates of that type only, and is audited", async ({
    h,
    setting,
    monitored,
  }) => {
    const home = await setting('childrens-home');
    await monitored(home.id, '2026-01-10');
    const school = await setting('residential-special-school');
    await monitored(school.id, '2026-01-10');
    const ownDate = await setting('childrens-home');
    await monitored(ownDate.id, '2026-01-10', '2026-12-01');
    try {
      const afterSix = await setFrequency(h, 'childrens-home', 6);
      expect(afterSix).toContainEqual({ type: 'childrens-home', months: 6 });
      expect(afterSix).toContainEqual({ type: 'unregulated', months: 3 });
      expect(await stateOf(h, home.id)).toMatchObject({ status: 'due-soon', nextDueOn: '2026-07-10' });

      await setFrequency(h, 'childrens-home', 3);
      expect(await stateOf(h, home.id)).toEqual({
        status: 'overdue',
        lastMonitoredOn: '2026-01-10',
        nextDueOn: '2026-04-10',
        daysOverdue: 66,
      });
      // The placement check follows: monitoring is now overdue.
      const check = await admin(h).checks.placement({ provisionId: home.id });
      expect(check.reasons.map((r) => r.code)).toContain('monitoring-overdue');

      // Other types keep theirs; an outcome's own next due date is not moved by the frequency.
      expect(await stateOf(h, school.id)).toMatchObject({ status: 'ok', nextDueOn: '2027-01-10' });
      expect(await stateOf(h, ownDate.id)).toMatchObject({ status: 'ok', nextDueOn: '2026-12-01' });

      const audit = await admin(h).audit.list({ scope: 'mine', action: 'monitoring.frequency' });
      expect(audit.items[0]).toMatchObject({
        authorityId: h.hostAuthorityId,
        clientId: h.hubAdmin.clientId,
        recordIds: ['childrens-home'],
        details: { type: 'childrens-home', months: 3 },
      });

      // Unregulated settings can be brought into line with the rest.
      const unregulated = await setting('unregulated');
      await monitored(unregulated.id, '2026-03-01');
      expect((await stateOf(h, unregulated.id)).nextDueOn).toBe('2026-06-01');
      await setFrequency(h, 'unregulated', 12);
      expect(await stateOf(h, unregulated.id)).toMatchObject({ status: 'ok', nextDueOn: '2027-03-01' });
    } finally {
      await setFrequency(h, 'childrens-home', 12);
      await setFrequency(h, 'unregulated', 3);
    }
    expect(await stateOf(h, home.id)).toMatchObject({ status: 'ok', nextDueOn: '2027-01-10' });
  });
});

describe('the next due date', () => {
  test("is the latest published outcome's own nextDueOn when it sets one", async ({
    h,
    setting,
    monitored,
  }) => {
    const later = await setting();
    await monitored(later.id, '2026-06-01', '2026-09-01');
    expect(await stateOf(h, later.id)).toEqual({
      status: 'ok',
      lastMonitoredOn: '2026-06-01',
      nextDueOn: '2026-09-01',
      daysOverdue: 0,
    });
    const sooner = await setting();
    await monitored(sooner.id, '2026-06-01', '2026-06-10');
    expect(await stateOf(h, sooner.id)).toEqual({
      status: 'overdue',
      lastMonitoredOn: '2026-06-01',
      nextDueOn: '2026-06-10',
      daysOverdue: 5,
    });
  });

  test('clamps to the end of the month: 31 January + 1 month is 28 February', async ({
    h,
    setting,
    monitored,
  }) => {
    try {
      await setFrequency(h, 'short-breaks-home', 1);
      const p = await setting('short-breaks-home');
      await monitored(p.id, '2026-01-31');
      expect(await stateOf(h, p.id)).toEqual({
        status: 'overdue',
        lastMonitoredOn: '2026-01-31',
        nextDueOn: '2026-02-28',
        daysOverdue: daysFrom('2026-02-28', TODAY),
      });
      // 30 November + 3 months (unregulated) is 28 February; 31 August + 3 months is 30 November.
      const u = await setting('unregulated');
      await monitored(u.id, '2025-11-30');
      expect((await stateOf(h, u.id)).nextDueOn).toBe('2026-02-28');
      const v = await setting('unregulated');
      await monitored(v.id, '2025-08-31');
      expect((await stateOf(h, v.id)).nextDueOn).toBe('2025-11-30');
    } finally {
      await setFrequency(h, 'short-breaks-home', 12);
    }
  });

  test('clamps to 29 February in a leap year, and from it a year later to 28 February', async ({
    h,
    clock,
    setting,
    monitored,
  }) => {
    try {
      await setFrequency(h, 'short-breaks-home', 1);
      clock.set('2024-03-10T12:00:00Z');
      const p = await setting('short-breaks-home', { startsOn: '2024-01-01' });
      await monitored(p.id, '2024-01-31');
      expect(await stateOf(h, p.id)).toEqual({
        status: 'overdue',
        lastMonitoredOn: '2024-01-31',
        nextDueOn: '2024-02-29',
        daysOverdue: 10,
      });
      clock.set('2025-02-01T12:00:00Z');
      const q = await setting('childrens-home', { startsOn: '2024-01-01' });
      await monitored(q.id, '2024-02-29');
      expect(await stateOf(h, q.id)).toEqual({
        status: 'due-soon',
        lastMonitoredOn: '2024-02-29',
        nextDueOn: '2025-02-28',
        daysOverdue: 0,
      });
    } finally {
      await setFrequency(h, 'short-breaks-home', 12);
    }
  });

  test('ignores drafts and withdrawn outcomes; an amendment counts', async ({
    h,
    lead,
    setting,
    monitored,
  }) => {
    const p = await setting();
    expect(await stateOf(h, p.id)).toEqual(NEVER);

    const older = await monitored(p.id, '2025-05-01');
    const overdue: MonitoringState = {
      status: 'overdue',
      lastMonitoredOn: '2025-05-01',
      nextDueOn: '2026-05-01',
      daysOverdue: 45,
    };
    expect(await stateOf(h, p.id)).toEqual(overdue);

    // A newer draft changes nothing until it is published.
    const draft = await h.caller(lead.officer).outcomes.create({
      provisionId: p.id,
      activityType: 'monitoring-visit',
      activityDate: '2026-06-10',
      overallRating: 1,
      summary: `draft ${uniq()}`,
      nextDueOn: '2026-06-30',
    });
    if (draft.layer !== 'detail') throw new Error('the writer sees its draft');
    expect(await stateOf(h, p.id)).toEqual(overdue);
    const published = await h.caller(lead.officer).outcomes.publish({ id: draft.id, version: draft.version });
    if (published.layer !== 'detail') throw new Error('the publisher sees detail');
    expect(await stateOf(h, p.id)).toEqual({
      status: 'due-soon',
      lastMonitoredOn: '2026-06-10',
      nextDueOn: '2026-06-30',
      daysOverdue: 0,
    });

    // An amendment of the next due date counts.
    const amended = await h.caller(lead.officer).outcomes.amend({
      id: published.id,
      version: published.version,
      reason: 'next visit agreed for the autumn',
      changes: { nextDueOn: '2026-10-01' },
    });
    if (amended.layer !== 'detail') throw new Error('the publisher sees detail');
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'ok', nextDueOn: '2026-10-01' });

    // Withdrawn, it no longer counts: back to the older outcome, then to never monitored.
    await h.caller(lead.officer).outcomes.withdraw({
      id: amended.id,
      version: amended.version,
      reason: 'recorded against the wrong setting',
    });
    expect(await stateOf(h, p.id)).toEqual(overdue);
    await h.caller(lead.officer).outcomes.withdraw({
      id: older.id,
      version: older.version,
      reason: 'recorded against the wrong setting',
    });
    expect(await stateOf(h, p.id)).toEqual(NEVER);
  });

  test('follows the latest activity date, not the order of publication', async ({
    h,
    setting,
    monitored,
  }) => {
    const p = await setting();
    await monitored(p.id, '2026-06-01');
    await monitored(p.id, '2025-09-01');
    expect(await stateOf(h, p.id)).toMatchObject({ lastMonitoredOn: '2026-06-01', nextDueOn: '2027-06-01' });
  });
});

describe('due soon and overdue', () => {
  test('due within 30 days (today included) is due-soon; after the due date it is overdue by whole days', async ({
    h,
    setting,
    monitored,
  }) => {
    const cases: [string, MonitoringState['status'], number][] = [
      [plusDays(TODAY, 31), 'ok', 0],
      [plusDays(TODAY, 30), 'due-soon', 0],
      [TODAY, 'due-soon', 0],
      [plusDays(TODAY, -1), 'overdue', 1],
      [plusDays(TODAY, -40), 'overdue', 40],
    ];
    for (const [nextDueOn, status, daysOverdue] of cases) {
      const p = await setting();
      await monitored(p.id, '2026-06-01', nextDueOn);
      expect(await stateOf(h, p.id), nextDueOn).toEqual({
        status,
        lastMonitoredOn: '2026-06-01',
        nextDueOn,
        daysOverdue,
      });
    }
  });

  test('the days overdue grow as the hub clock moves, counted in English dates', async ({
    h,
    clock,
    setting,
    monitored,
  }) => {
    const p = await setting();
    await monitored(p.id, '2026-06-01', '2026-06-20');
    expect((await stateOf(h, p.id)).status).toBe('due-soon');
    clock.move(5 * DAY_MS); // 20 June: due today
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'due-soon', daysOverdue: 0 });
    clock.move(10 * DAY_MS); // 30 June
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'overdue', daysOverdue: 10 });
    // 23:30 UTC on 30 June is already 1 July in England (BST).
    clock.set('2026-06-30T23:30:00Z');
    expect(await stateOf(h, p.id)).toMatchObject({ status: 'overdue', daysOverdue: 11 });
  });
});

describe('allocations.mine', () => {
  test('shows, for each current allocation, whether monitoring is due or overdue', async ({
    h,
    lead,
    setting,
    monitored,
  }) => {
    const mine = await makeMember(h, 'mine');
    const ok = await setting('childrens-home', { by: mine });
    await monitored(ok.id, '2026-06-01', undefined, mine);
    const soon = await setting('unregulated', { by: mine });
    await monitored(soon.id, '2026-04-01', undefined, mine);
    const late = await setting('childrens-home', { by: mine });
    await monitored(late.id, '2025-05-01', undefined, mine);
    const never = await setting('childrens-home', { by: mine });
    // Someone else's allocation, and one taken away from this authority, are not shown.
    await setting('childrens-home', { by: lead });
    const moved = await setting('childrens-home', { by: mine });
    await admin(h).allocations.assign({
      provisionId: moved.id,
      authorityId: lead.id,
      rationale: 'reassigned',
    });

    const allocations = await h.caller(mine.officer).allocations.mine();
    const byProvision = Object.fromEntries(allocations.map((a) => [a.provisionId, a.monitoring]));
    expect(Object.keys(byProvision).sort()).toEqual([ok.id, soon.id, late.id, never.id].sort());
    expect(allocations.every((a) => a.authorityId === mine.id && a.current)).toBe(true);
    expect(byProvision[ok.id]).toEqual({
      status: 'ok',
      lastMonitoredOn: '2026-06-01',
      nextDueOn: '2027-06-01',
      daysOverdue: 0,
    });
    expect(byProvision[soon.id]).toMatchObject({ status: 'due-soon', nextDueOn: '2026-07-01' });
    expect(byProvision[late.id]).toEqual({
      status: 'overdue',
      lastMonitoredOn: '2025-05-01',
      nextDueOn: '2026-05-01',
      daysOverdue: 45,
    });
    expect(byProvision[never.id]).toEqual(NEVER);

    const bare = await makeMember(h, 'bare');
    expect(await h.caller(bare.officer).allocations.mine()).toEqual([]);
  });
});

describe('monitoring.overdue', () => {
  test('is for the hub-admin only', async ({ h, lead }) => {
    const member = await makeMember(h, 'member');
    const memberAdmin = (await h.makeClient(member.id, 'admin')).principal;
    for (const who of [member.officer, memberAdmin, lead.officer])
      await expectTRPCError(h.caller(who).monitoring.overdue(), 'FORBIDDEN');
  });

  test('groups overdue and never-monitored provisions per lead authority and omits the rest', async ({
    h,
    setting,
    monitored,
  }) => {
    const a = await makeMember(h, 'lead-a');
    const b = await makeMember(h, 'lead-b');
    const tag = uniq();
    const late = await setting('childrens-home', { by: a, name: `A late ${tag}` });
    await monitored(late.id, '2025-05-01', undefined, a);
    const never = await setting('childrens-home', { by: a, name: `B never ${tag}` });
    const lateUnregulated = await setting('unregulated', { by: a, name: `C late unregulated ${tag}` });
    await monitored(lateUnregulated.id, '2026-01-15', undefined, a);
    const ok = await setting('childrens-home', { by: a, name: `D ok ${tag}` });
    await monitored(ok.id, '2026-06-01', undefined, a);
    const soon = await setting('childrens-home', { by: a, name: `E soon ${tag}` });
    await monitored(soon.id, '2026-01-01', '2026-07-01', a);
    const fine = await setting('childrens-home', { by: b, name: `F fine ${tag}` });
    await monitored(fine.id, '2026-06-01', undefined, b);
    const unallocated = await setting('childrens-home', { by: null, name: `G unallocated ${tag}` });
    await monitored(unallocated.id, '2025-01-01', undefined, a);

    const report = await admin(h).monitoring.overdue();
    const entryA = report.find((e) => e.authorityId === a.id);
    expect(entryA).toEqual({
      authorityId: a.id,
      overdue: 2,
      neverMonitored: 1,
      provisions: [
        {
          provisionId: late.id,
          name: `A late ${tag}`,
          monitoring: {
            status: 'overdue',
            lastMonitoredOn: '2025-05-01',
            nextDueOn: '2026-05-01',
            daysOverdue: 45,
          },
        },
        { provisionId: never.id, name: `B never ${tag}`, monitoring: NEVER },
        {
          provisionId: lateUnregulated.id,
          name: `C late unregulated ${tag}`,
          monitoring: {
            status: 'overdue',
            lastMonitoredOn: '2026-01-15',
            nextDueOn: '2026-04-15',
            daysOverdue: 61,
          },
        },
      ],
    });
    expect(report.find((e) => e.authorityId === b.id)).toBeUndefined();
    const listed = report.flatMap((e) => e.provisions.map((p) => p.provisionId));
    for (const id of [ok.id, soon.id, fine.id, unallocated.id]) expect(listed).not.toContain(id);
    for (const e of report) {
      expect(e.overdue).toBe(e.provisions.filter((p) => p.monitoring.status === 'overdue').length);
      expect(e.neverMonitored).toBe(
        e.provisions.filter((p) => p.monitoring.status === 'never-monitored').length,
      );
      expect(e.provisions.length).toBeGreaterThan(0);
    }

    // Reassigned, the provision moves to its new lead's entry.
    await admin(h).allocations.assign({ provisionId: never.id, authorityId: b.id, rationale: 'reassigned' });
    const after = await admin(h).monitoring.overdue();
    expect(after.find((e) => e.authorityId === a.id)).toMatchObject({ overdue: 2, neverMonitored: 0 });
    expect(after.find((e) => e.authorityId === b.id)).toMatchObject({
      neverMonitored: 1,
      provisions: [{ provisionId: never.id, monitoring: NEVER }],
    });
  });

  test('lists a provision under its current lead only: not under an allocation that ran out or has not begun', async ({
    h,
    setting,
  }) => {
    const former = await makeMember(h, 'former');
    const future = await makeMember(h, 'future');
    const ranOut = await setting('childrens-home', { by: null });
    await admin(h).allocations.assign({
      provisionId: ranOut.id,
      authorityId: former.id,
      rationale: 'a fixed term that has ended',
      startsOn: '2025-01-01',
      endsOn: '2026-01-01',
    });
    const notYet = await setting('childrens-home', { by: null });
    await admin(h).allocations.assign({
      provisionId: notYet.id,
      authorityId: future.id,
      rationale: 'starts next month',
      startsOn: '2026-07-01',
    });
    // Neither is anyone's lead today (the check agrees), so neither is in anyone's overdue list.
    for (const id of [ranOut.id, notYet.id])
      expect((await admin(h).checks.placement({ provisionId: id })).lead).toBeNull();
    const report = await admin(h).monitoring.overdue();
    expect(report.find((e) => e.authorityId === former.id)).toBeUndefined();
    expect(report.find((e) => e.authorityId === future.id)).toBeUndefined();
    expect(await h.caller(former.officer).allocations.mine()).toEqual([]);
  });
});
