// Monitoring, the due dates: the next due date from the latest published outcome (its own nextDueOn, else
// its date plus the frequency, clamped at month ends; drafts and withdrawn outcomes don't count), and
// due soon / overdue / never monitored as the hub clock moves, counted in English dates.
import { describe, expect } from 'vitest';
import { type MonitoringState } from '@ccx/schema';
import { type Due } from './fixtures.js';
import { plusDays, uniq, DAY_MS } from '../../support/harness.js';
import { daysFrom, NEVER, NOW, setFrequency, stateOf, test, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

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
    const overdue: Due = {
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
