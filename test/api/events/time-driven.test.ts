// The event feed, the time-driven events: restriction expiry, pre-placement grants and their expiry (to the
// grantee, the lead and the host, not a bare member), monitoring overdue (to the lead alone), each once.
import { describe, expect } from 'vitest';
import { emitGrantExpiries, emitOverdueMonitoring, emitRestrictionExpiries } from '@ccx/server/testing';
import { DAY_MS, makeMember, plusDays, publishOutcome, test, uniq } from '../../support/harness.js';
import {
  detail,
  eventsAbout,
  expectNone,
  expectNoText,
  mark,
  NOW,
  oneEvent,
  restrictionInput,
  TODAY,
} from './fixtures.js';

test.override({ clockAt: NOW });

describe('restriction events', () => {
  test('expired: emitted once the hub clock passes expiresOn, and only once however often the job runs', async ({
    h,
    w,
    clock,
  }) => {
    const expiresOn = plusDays(TODAY, 3);
    const i = restrictionInput(w.provision.id, 'embargo', { expiresOn });
    const r = detail(await h.caller(w.publisher.officer).restrictions.create(i));
    // One lifted before its expiry date never expires.
    const lifted = detail(
      await h
        .caller(w.publisher.officer)
        .restrictions.create(restrictionInput(w.provision.id, 'action-plan', { expiresOn })),
    );
    await h
      .caller(w.publisher.officer)
      .restrictions.lift({ id: lifted.id, version: 1, reason: 'resolved early' });
    const since = await mark(h);

    await emitRestrictionExpiries(h.db, h.hub.clock.now());
    clock.move(2 * DAY_MS);
    await emitRestrictionExpiries(h.db, h.hub.clock.now());
    await expectNone(h, w.placing, since, { type: 'restriction.expired' });

    clock.move(DAY_MS); // now on expiresOn: the first day it no longer applies
    expect(await emitRestrictionExpiries(h.db, h.hub.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await emitRestrictionExpiries(h.db, h.hub.clock.now())).toBe(0);
    clock.move(5 * DAY_MS);
    await emitRestrictionExpiries(h.db, h.hub.clock.now());

    const e = await oneEvent(h, w.placing, since, { recordId: r.id, type: 'restriction.expired' });
    expect(e).toMatchObject({ layer: 'detail', recordType: 'restriction', provisionId: w.provision.id });
    expect(e.at).toBe(new Date(new Date(NOW).getTime() + 3 * DAY_MS).toISOString());
    expect(e.data).toMatchObject({
      id: r.id,
      kind: 'embargo',
      status: 'expired',
      expiresOn,
      summary: i.summary,
    });
    const s = await oneEvent(h, w.member, since, { recordId: r.id, type: 'restriction.expired' });
    expect(s).toMatchObject({ id: e.id, layer: 'summary' });
    expect(s.data).toMatchObject({ id: r.id, kind: 'embargo', status: 'expired' });
    expectNoText(s, [i.summary, i.details, i.reasons[0]!.text]);
    await expectNone(h, w.placing, since, { recordId: lifted.id, type: 'restriction.expired' });
  });
});

describe('pre-placement grants', () => {
  test('access.prospective-granted and -expired reach the grantee, the lead and the host, not a bare member', async ({
    h,
    w,
    clock,
  }) => {
    const seeker = await makeMember(h, 'seeker');
    const since = await mark(h);
    const grant = await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'a possible placement for a child in our care',
      caseReference: `CASE-${uniq()}`,
      days: 2,
    });

    for (const m of [seeker, w.lead, w.host]) {
      const e = await oneEvent(h, m, since, {
        provisionId: w.provision.id,
        type: 'access.prospective-granted',
      });
      expect(e).toMatchObject({ layer: 'detail', provisionId: w.provision.id });
      expect(e.data).toMatchObject({
        grantId: grant.id,
        authorityId: seeker.id,
        provisionId: w.provision.id,
        caseReference: grant.caseReference,
        expiresAt: grant.expiresAt,
      });
    }
    for (const m of [w.member, w.placing, w.publisher])
      await expectNone(h, m, since, { type: 'access.prospective-granted' });

    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBe(0);
    clock.move(2 * DAY_MS + 1000);
    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBe(0);
    for (const m of [seeker, w.lead, w.host]) {
      const e = await oneEvent(h, m, since, {
        provisionId: w.provision.id,
        type: 'access.prospective-expired',
      });
      expect(e).toMatchObject({ layer: 'detail' });
      expect(e.data).toMatchObject({ grantId: grant.id, authorityId: seeker.id, expiresAt: grant.expiresAt });
    }
    for (const m of [w.member, w.placing, w.publisher])
      await expectNone(h, m, since, { type: 'access.prospective-expired' });
  });
});

describe('monitoring overdue', () => {
  test('emitted to the lead authority alone, once per due date', async ({ h, w, clock }) => {
    const lead = await makeMember(h, 'overdue-lead');
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: lead.id,
      rationale: 'lead',
      startsOn: '2026-01-01',
    });
    const o = await publishOutcome(h, lead.officer, p.id, { nextDueOn: plusDays(TODAY, 2) });
    const since = await mark(h);

    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await expectNone(h, lead, since, { provisionId: p.id, type: 'monitoring.overdue' });

    clock.move(4 * DAY_MS);
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    clock.move(DAY_MS);
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    const [first, ...rest] = await eventsAbout(h, lead, since, {
      provisionId: p.id,
      type: 'monitoring.overdue',
    });
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ layer: 'detail', provisionId: p.id, recordId: null });
    expect(first!.data).toMatchObject({
      provisionId: p.id,
      leadAuthorityId: lead.id,
      status: 'overdue',
      nextDueOn: plusDays(TODAY, 2),
      lastMonitoredOn: o.activityDate,
    });
    for (const m of [w.host, w.member, w.placing, w.lead])
      await expectNone(h, m, since, { provisionId: p.id, type: 'monitoring.overdue' });

    // A new due date that also passes is a new event.
    await h.caller(lead.officer).outcomes.amend({
      id: o.id,
      version: o.version,
      reason: 'next visit rescheduled',
      changes: { nextDueOn: plusDays(TODAY, 3) },
    });
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    const all = await eventsAbout(h, lead, since, { provisionId: p.id, type: 'monitoring.overdue' });
    expect(all.map((e) => e.data.nextDueOn)).toEqual([plusDays(TODAY, 2), plusDays(TODAY, 3)]);
  });
});
