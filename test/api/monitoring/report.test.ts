// The hub-admin's monitoring report: per lead authority, the settings it leads today, its own visits
// made in time and out of time, and how many are overdue now or never monitored. Only the hub-admin
// may read it.
import { describe, expect } from 'vitest';
import { makeMember, publishOutcome } from '../../support/harness.js';
import { admin, NOW, stateOf, TODAY, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('monitoring.report', () => {
  test('counts each lead authority: settings, visits in and out of time, overdue now, never monitored', async ({
    h,
    setting,
  }) => {
    const a = await makeMember(h, 'report-a');
    const b = await makeMember(h, 'report-b');
    const d = await makeMember(h, 'report-d');
    // A home visited on time first (due by the allocation's start plus a year), then late: the first
    // visit set 1 March as the next due date, and the second came on 10 April.
    const home = await setting('childrens-home', { by: a, startsOn: '2026-01-01' });
    await publishOutcome(h, a.officer, home.id, { activityDate: '2026-02-01', nextDueOn: '2026-03-01' });
    await publishOutcome(h, a.officer, home.id, { activityDate: '2026-04-10', nextDueOn: undefined });
    // Another member's visit is not the lead's: it moves the due date but is not counted for A.
    await publishOutcome(h, b.officer, home.id, { activityDate: '2026-05-01', nextDueOn: undefined });
    // An unregulated setting (every 3 months) visited in time on 1 February: due again 1 May, overdue now.
    const flat = await setting('unregulated', { by: a, startsOn: '2026-01-01' });
    await publishOutcome(h, a.officer, flat.id, { activityDate: '2026-02-01', nextDueOn: undefined });
    expect((await stateOf(h, flat.id)).status).toBe('overdue');
    // Never visited.
    await setting('childrens-home', { by: a, startsOn: '2026-01-01' });
    // Led by A once, now by D: A no longer counts it.
    const moved = await setting('childrens-home', { by: a, startsOn: '2026-01-01' });
    await admin(h).allocations.assign({
      provisionId: moved.id,
      authorityId: d.id,
      rationale: 'reassigned by agreement',
    });

    const report = await admin(h).monitoring.report();
    expect(report.asOf).toBe(TODAY);
    const rowOf = (id: string) => report.rows.find((r) => r.authorityId === id);
    expect(rowOf(a.id)).toMatchObject({
      authorityId: a.id,
      settingsAllocated: 3,
      visitsInTime: 2,
      visitsOutOfTime: 1,
      overdueNow: 1,
      neverMonitored: 1,
    });
    expect(rowOf(d.id)).toMatchObject({
      settingsAllocated: 1,
      visitsInTime: 0,
      visitsOutOfTime: 0,
      overdueNow: 0,
      neverMonitored: 1,
    });
    // An authority that leads nothing has no row.
    expect(rowOf(b.id)).toBeUndefined();
    // Names beside ids, as every answer gives them.
    expect(rowOf(a.id)?.authority?.id).toBe(a.id);
  });

  test('is for the hub-admin only', async ({ h }) => {
    const member = await makeMember(h, 'report-officer');
    await expect(h.caller(member.officer).monitoring.report()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
