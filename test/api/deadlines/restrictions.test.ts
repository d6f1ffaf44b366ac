// Deadlines on restrictions: a letter of concern's compliance period (Knowsley, 15 working days) and a
// restriction's review date. Each, once passed, is one event to its publisher and the setting's lead,
// a line in their overdue lists and a reason in the placement check; the issuer records compliance (or
// not) or a review, which ends it. A restricted record's deadline reveals nothing to a signal-layer caller.
import { describe, expect, vi } from 'vitest';
import { DAY_MS, expectTRPCError, test } from '../../support/harness.js';
import {
  deadlineEvents,
  deadlineReasons,
  detail,
  freshWorld,
  mark,
  NOW,
  overdueAbout,
  restrictionInput,
  runJob,
} from './fixtures.js';

test.override({ clockAt: NOW });
// The first test builds the hub (migrations included) on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

describe('a letter of concern whose compliance period ends without compliance recorded', () => {
  test('is one event to publisher and lead, overdue for both, a check reason; compliance ends it', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    const issuer = h.caller(w.publisher.officer);
    // From Monday 14 December 2026, 15 working days: Thursday 7 January 2027.
    const r = detail(await issuer.restrictions.create(restrictionInput(w.provision.id, 'letter-of-concern')));
    expect(r.complianceDueOn).toBe('2027-01-07');
    expect(r).toMatchObject({ complianceRecordedOn: null, complied: null });
    const since = await mark(h);

    // On the due date itself it has not passed: due soon, not overdue, and no reason.
    clock.set('2027-01-07T10:00:00Z');
    await runJob(h);
    expect(await deadlineEvents(h, w.publisher, since, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.publisher, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.publisher, r.id, 7)).toMatchObject([
      { kind: 'compliance', state: 'due-soon', dueOn: '2027-01-07', daysOverdue: 0 },
    ]);
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);

    clock.set('2027-01-08T10:00:00Z');
    expect(await runJob(h)).toBeGreaterThanOrEqual(1);
    await runJob(h);
    clock.move(3 * DAY_MS);
    await runJob(h);

    for (const m of [w.publisher, w.lead]) {
      const events = await deadlineEvents(h, m, since, r.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'deadline.compliance-overdue',
        layer: 'detail',
        provisionId: w.provision.id,
        data: {
          recordType: 'restriction',
          recordId: r.id,
          kind: 'compliance',
          dueOn: '2027-01-07',
          message: 'compliance period ended on 7 January 2027 without compliance recorded',
          publisherAuthorityId: w.publisher.id,
        },
      });
    }
    // The placing authority and a bare member are not told.
    expect(await deadlineEvents(h, w.placing, since, r.id)).toEqual([]);
    expect(await deadlineEvents(h, w.member, since, r.id)).toEqual([]);

    expect(await overdueAbout(h, w.publisher, r.id)).toMatchObject([
      { kind: 'compliance', state: 'overdue', dueOn: '2027-01-07', as: 'publisher', daysOverdue: 4 },
    ]);
    expect(await overdueAbout(h, w.lead, r.id)).toMatchObject([{ kind: 'compliance', as: 'lead' }]);
    expect(await overdueAbout(h, w.member, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.placing, r.id)).toEqual([]);
    // The hub-admin sees every authority's.
    const all = (await h.caller(h.hubAdmin).deadlines.overdue({})).items.filter((i) => i.recordId === r.id);
    expect(all).toMatchObject([{ kind: 'compliance', as: 'hub-admin' }]);

    for (const m of [w.lead, w.placing, w.publisher]) {
      const { check, reasons } = await deadlineReasons(h, m, w.provision.id);
      expect(reasons).toEqual([
        {
          code: 'compliance-overdue',
          verdict: 'caution',
          message: 'compliance period ended on 7 January 2027 without compliance recorded',
          recordId: r.id,
          contact: w.publisher.qaInbox,
        },
      ]);
      expect(check.verdict).not.toBe('clear');
    }

    // The issuer records the provider's compliance: the deadline ends.
    const current = detail(await issuer.restrictions.get({ id: r.id }));
    const complied = detail(
      await issuer.restrictions.comply({
        id: r.id,
        version: current.version,
        complied: true,
        note: 'staffing plan received',
      }),
    );
    expect(complied).toMatchObject({
      complianceRecordedOn: '2027-01-11',
      complied: true,
      complianceNote: 'staffing plan received',
    });
    expect(complied.history.at(-1)).toMatchObject({
      change: 'compliance-recorded',
      note: 'staffing plan received',
    });
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);
    expect(await overdueAbout(h, w.publisher, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.lead, r.id)).toEqual([]);
    await runJob(h);
    expect(await deadlineEvents(h, w.lead, since, r.id)).toHaveLength(1);
  });

  test('non-compliance recorded stays a reason ("did not comply by …"), not an overdue deadline', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    const issuer = h.caller(w.publisher.officer);
    const r = detail(await issuer.restrictions.create(restrictionInput(w.provision.id, 'letter-of-concern')));
    clock.set('2027-01-12T10:00:00Z');
    const notMet = detail(
      await issuer.restrictions.comply({ id: r.id, version: r.version, complied: false }),
    );
    expect(notMet).toMatchObject({ complied: false, complianceRecordedOn: '2027-01-12' });
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toMatchObject([
      {
        code: 'compliance-not-met',
        verdict: 'caution',
        message: 'did not comply by 7 January 2027 (non-compliance recorded on 12 January 2027)',
        recordId: r.id,
      },
    ]);
    expect(await overdueAbout(h, w.publisher, r.id)).toEqual([]);
    // Recording the same again changes nothing; a later compliance ends it.
    await expectTRPCError(
      issuer.restrictions.comply({ id: r.id, version: notMet.version, complied: false }),
      'CONFLICT',
    );
    await issuer.restrictions.comply({ id: r.id, version: notMet.version, complied: true });
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);
  });

  test('a restricted letter of concern: a signal-layer caller (even the lead) learns nothing of its deadline', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    const issuer = h.caller(w.publisher.officer);
    const r = detail(
      await issuer.restrictions.create(
        restrictionInput(w.provision.id, 'letter-of-concern', { restricted: true }),
      ),
    );
    const since = await mark(h);
    clock.set('2027-01-20T10:00:00Z');
    await runJob(h);
    // Only the publisher is told: the lead may not read the record.
    expect(await deadlineEvents(h, w.publisher, since, r.id)).toHaveLength(1);
    expect(await deadlineEvents(h, w.lead, since, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.lead, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.publisher, r.id)).toHaveLength(1);
    for (const m of [w.lead, w.member, w.placing]) {
      const { check, reasons } = await deadlineReasons(h, m, w.provision.id);
      expect(reasons).toEqual([]);
      const text = JSON.stringify(check);
      expect(text).not.toContain(r.id);
      expect(text).not.toMatch(/compliance|January 2027|letter/);
      expect(check.reasons.map((x) => x.code)).toContain('restricted-information');
    }
    expect((await deadlineReasons(h, w.publisher, w.provision.id)).reasons).toMatchObject([
      { code: 'compliance-overdue', recordId: r.id },
    ]);
  });
});

describe('a restriction whose review date passes without a review recorded', () => {
  test('is one event to publisher and lead, overdue, a reason; a review recorded ends it', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    const issuer = h.caller(w.publisher.officer);
    const r = detail(
      await issuer.restrictions.create(
        restrictionInput(w.provision.id, 'action-plan', { reviewOn: '2026-12-16' }),
      ),
    );
    const since = await mark(h);
    clock.set('2026-12-17T10:00:00Z');
    await runJob(h);
    await runJob(h);
    for (const m of [w.publisher, w.lead]) {
      expect(await deadlineEvents(h, m, since, r.id)).toMatchObject([
        {
          type: 'deadline.review-overdue',
          data: { kind: 'review', dueOn: '2026-12-16', message: 'review due on 16 December 2026 has passed' },
        },
      ]);
    }
    expect(await deadlineEvents(h, w.member, since, r.id)).toEqual([]);
    expect(await overdueAbout(h, w.lead, r.id)).toMatchObject([
      { kind: 'review', state: 'overdue', daysOverdue: 1 },
    ]);
    // The review date is in the summary: a bare member's check says so too.
    for (const m of [w.lead, w.member]) {
      expect((await deadlineReasons(h, m, w.provision.id)).reasons).toMatchObject([
        { code: 'review-overdue', message: 'review due on 16 December 2026 has passed', recordId: r.id },
      ]);
    }

    await expectTRPCError(
      issuer.restrictions.review({ id: r.id, version: r.version, nextReviewOn: '2026-12-17' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h
        .caller(w.lead.officer)
        .restrictions.review({ id: r.id, version: r.version, nextReviewOn: '2027-03-01' }),
      'FORBIDDEN',
    );
    const reviewed = detail(
      await issuer.restrictions.review({
        id: r.id,
        version: r.version,
        nextReviewOn: '2027-03-01',
        note: 'improving',
      }),
    );
    expect(reviewed).toMatchObject({ reviewedOn: '2026-12-17', reviewOn: '2027-03-01' });
    expect(reviewed.history.at(-1)).toMatchObject({ change: 'reviewed', note: 'improving' });
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);
    expect(await overdueAbout(h, w.lead, r.id)).toEqual([]);

    // The next review passing is told again, once.
    clock.set('2027-03-02T10:00:00Z');
    await runJob(h);
    await runJob(h);
    expect((await deadlineEvents(h, w.lead, since, r.id)).map((e) => e.data.dueOn)).toEqual([
      '2026-12-16',
      '2027-03-01',
    ]);
  });
});

describe('refusals', () => {
  test('compliance on a restriction without a compliance period, by another authority, or in the future', async ({
    h,
  }) => {
    const w = await freshWorld(h);
    const issuer = h.caller(w.publisher.officer);
    const plan = detail(await issuer.restrictions.create(restrictionInput(w.provision.id, 'action-plan')));
    const e = await expectTRPCError(
      issuer.restrictions.comply({ id: plan.id, version: plan.version, complied: true }),
      'BAD_REQUEST',
    );
    expect(e.message).toMatch(/no compliance period/);
    const loc = detail(
      await issuer.restrictions.create(restrictionInput(w.provision.id, 'letter-of-concern')),
    );
    await expectTRPCError(
      h.caller(w.lead.officer).restrictions.comply({ id: loc.id, version: loc.version, complied: true }),
      'FORBIDDEN',
    );
    await expectTRPCError(
      issuer.restrictions.comply({
        id: loc.id,
        version: loc.version,
        complied: true,
        recordedOn: '2027-01-01',
      }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      issuer.restrictions.comply({ id: loc.id, version: loc.version + 1, complied: true }),
      'CONFLICT',
    );
  });

  test("only the hub-admin lists another authority's deadlines", async ({ h }) => {
    const w = await freshWorld(h);
    await expectTRPCError(
      h.caller(w.lead.officer).deadlines.overdue({ authorityId: w.publisher.id }),
      'FORBIDDEN',
    );
    await expectTRPCError(h.caller(w.lead.officer).deadlines.overdue({ dueWithinDays: 91 }), 'BAD_REQUEST');
    expect(await h.caller(h.hubAdmin).deadlines.overdue({ authorityId: w.publisher.id })).toEqual({
      items: [],
    });
  });
});
