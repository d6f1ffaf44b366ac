// Monitoring, what works: default frequencies and the hub-admin's changes to them; allocations.mine
// with each allocation's monitoring state; the hub-admin's overdue report per (current) lead authority.
import { describe, expect } from 'vitest';
import { PROVISION_TYPES } from '@ccx/schema';
import { makeMember, uniq } from '../../support/harness.js';
import { admin, NEVER, NOW, setFrequency, stateOf, test, typeInterval } from './fixtures.js';

test.override({ clockAt: NOW });

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
      expect(afterSix).toContainEqual(expect.objectContaining({ type: 'childrens-home', months: 6 }));
      expect(afterSix).toContainEqual(expect.objectContaining({ type: 'unregulated', months: 3 }));
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
      interval: typeInterval(12),
    });
    expect(byProvision[soon.id]).toMatchObject({ status: 'due-soon', nextDueOn: '2026-07-01' });
    expect(byProvision[late.id]).toEqual({
      status: 'overdue',
      lastMonitoredOn: '2025-05-01',
      nextDueOn: '2026-05-01',
      daysOverdue: 45,
      interval: typeInterval(12),
    });
    expect(byProvision[never.id]).toEqual({ ...NEVER, interval: typeInterval(12) });

    const bare = await makeMember(h, 'bare');
    expect(await h.caller(bare.officer).allocations.mine()).toEqual([]);
  });
});

describe('monitoring.overdue', () => {
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
            interval: typeInterval(12),
          },
        },
        {
          provisionId: never.id,
          name: `B never ${tag}`,
          monitoring: { ...NEVER, interval: typeInterval(12) },
        },
        {
          provisionId: lateUnregulated.id,
          name: `C late unregulated ${tag}`,
          monitoring: {
            status: 'overdue',
            lastMonitoredOn: '2026-01-15',
            nextDueOn: '2026-04-15',
            daysOverdue: 61,
            interval: typeInterval(3, 'unregulated'),
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
