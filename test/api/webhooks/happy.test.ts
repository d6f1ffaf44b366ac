// Webhooks (issue: events), what works: real receivers on 127.0.0.1 get a Standard Webhooks delivery for
// every event type, verified with the `standardwebhooks` package, each the feed's event at the receiver's
// layer; a provision filter; secrets rotate with two signatures during the overlap; a signed ping.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { EVENT_TYPES, type CcxEvent } from '@ccx/schema';
import {
  emitGrantExpiries,
  emitOverdueMonitoring,
  emitPassedDeadlines,
  emitRestrictionExpiries,
} from '@ccx/server/testing';
import { DAY_MS, makeMember, plusDays, publishOutcome, test, uniq } from '../../support/harness.js';
import {
  allocationChange,
  bodyOf,
  deliveriesOf,
  detail,
  ENV,
  feedOf,
  mark,
  notDue,
  pump,
  startReceiver,
  subscribe,
  tamper,
  today,
  until,
  verify,
  closeReceivers,
  deleteHooks,
} from './fixtures.js';

test.override({ hubEnv: ENV });
test.afterAll(closeReceivers);
// Every test's webhooks are deleted after it, so no test's queue reaches into the next.
test.afterEach(deleteHooks);

describe('a delivery for every event type', () => {
  test('each verifies with standardwebhooks, fails once a byte changes, and carries the feed event at the lead’s layer', async ({
    h,
    w,
  }) => {
    const r = await startReceiver();
    const hook = await subscribe(h, w.lead, r.url, [...EVENT_TYPES]);
    const since = await mark(h);

    // outcome.published, amended, withdrawn (the lead publishes)
    const o = await publishOutcome(h, w.lead.officer, w.provision.id, notDue());
    const amended = detail(
      await h.caller(w.lead.officer).outcomes.amend({
        id: o.id,
        version: o.version,
        reason: 'rating reviewed',
        changes: { overallRating: 2 },
      }),
    );
    await h
      .caller(w.lead.officer)
      .outcomes.withdraw({ id: o.id, version: amended.version, reason: 'in error' });
    // restriction.created, updated, lifted, expired (another member issues)
    const x = h.caller(w.publisher.officer);
    const reason = [{ category: 'quality' as const, text: `reason ${uniq()}` }];
    const r1 = detail(
      await x.restrictions.create({
        provisionId: w.provision.id,
        kind: 'action-plan',
        reasons: reason,
      }),
    );
    await x.restrictions.update({ id: r1.id, version: 1, summary: 'progress reviewed' });
    await x.restrictions.lift({ id: r1.id, version: 2, reason: 'completed' });
    const r2 = detail(
      await x.restrictions.create({
        provisionId: w.provision.id,
        kind: 'embargo',
        reasons: reason,
        expiresOn: plusDays(today(), 1),
      }),
    );
    await emitRestrictionExpiries(h.db, new Date(Date.now() + 2 * DAY_MS));
    // signal.raised, signal.ended (another member's restricted record: the lead sees only its signal)
    const hidden = detail(
      await x.restrictions.create({
        provisionId: w.provision.id,
        kind: 'action-plan',
        reasons: reason,
        restricted: true,
      }),
    );
    await x.restrictions.lift({ id: hidden.id, version: hidden.version, reason: 'completed' });
    // concern.logged, updated, closed (another member logs it; the lead reads it in detail)
    const c = detail(
      await x.concerns.log({
        provisionId: w.provision.id,
        category: 'quality',
        level: 'minor',
        occurredOn: today(),
        summary: `concern ${uniq()}`,
      }),
    );
    const corrected = detail(
      await x.concerns.correct({ id: c.id, version: c.version, level: 'level-1', note: 'a second incident' }),
    );
    await x.concerns.close({ id: c.id, version: corrected.version, reason: 'resolved at the visit' });
    // allocation.changed, provision.ofsted-grade-changed, provision.registration-changed
    const p2 = await h.makeProvision({ hostAuthorityId: w.host.id });
    await allocationChange(h, w, p2.id);
    const v = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p2.id, version: p2.version, ofstedGrade: 'good' });
    await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p2.id, version: v.version, registrationStatus: 'cancelled' });
    // directory.correction-proposed, -decided (the lead proposes; p2's host declines)
    const proposed = await h.caller(w.lead.officer).provisions.proposeCorrection({
      provisionId: p2.id,
      changes: { ofstedGrade: 'outstanding' },
      reason: `the Ofsted report of this week ${uniq()}`,
    });
    await h.caller(w.host.officer).corrections.decline({
      id: proposed.id,
      version: proposed.version,
      note: 'the report we hold says good',
    });
    // directory.merged (every member is told)
    const survivor = await h.makeProvision({ hostAuthorityId: w.host.id });
    const duplicate = await h.makeProvision({ hostAuthorityId: w.host.id, providerId: survivor.providerId });
    await h.caller(h.hubAdmin).provisions.merge({ survivorId: survivor.id, mergedId: duplicate.id });
    // access.prospective-granted and -expired (the lead is told)
    const seeker = await makeMember(h, 'seeker');
    await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'a possible placement for a child',
      caseReference: `CASE-${uniq()}`,
      days: 1,
    });
    await emitGrantExpiries(h.db, new Date(Date.now() + 2 * DAY_MS));
    // monitoring.overdue (to the lead)
    const p3 = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p3.id, authorityId: w.lead.id, rationale: 'lead' });
    await publishOutcome(h, w.lead.officer, p3.id, { nextDueOn: plusDays(today(), 1) });
    await emitOverdueMonitoring(h.db, new Date(Date.now() + 3 * DAY_MS));
    // deadline.action-overdue (the lead's own action item), deadline.compliance-overdue and
    // deadline.review-overdue (another member's letter of concern, which the lead reads in detail)
    await publishOutcome(h, w.lead.officer, w.provision.id, {
      ...notDue(),
      actionItems: [
        { description: `due tomorrow ${uniq()}`, concernLevel: 'high', dueOn: plusDays(today(), 1) },
      ],
    });
    await x.restrictions.create({
      provisionId: w.provision.id,
      kind: 'letter-of-concern',
      reasons: reason,
      complianceDueOn: plusDays(today(), 1),
      reviewOn: plusDays(today(), 1),
    });
    await emitPassedDeadlines(h.db, new Date(Date.now() + 3 * DAY_MS));

    const expected = await feedOf(h, w.lead, since);
    expect(new Set(expected.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    await until(h, `${expected.length} deliveries`, () => r.accepted().length >= expected.length);
    await pump(h);
    expect(r.requests).toHaveLength(expected.length);

    for (const [i, q] of r.requests.entries()) {
      const e = expected[i]!;
      const message = verify(hook.secret, q);
      expect(message).toEqual({ type: e.type, timestamp: e.at, data: e });
      expect(q.headers['webhook-id']).toBe(`msg_${e.id}`);
      expect(q.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(q.headers['webhook-timestamp']) - q.at / 1000)).toBeLessThan(5);
      expect(q.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      // One changed byte, or another secret: refused.
      const tampered = tamper(q.body);
      expect(tampered).not.toBe(q.body);
      expect(tampered.length).toBe(q.body.length);
      expect(() => verify(hook.secret, { ...q, body: tampered })).toThrow();
      expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, q)).toThrow();
      expect(() => verify(hook.secret, { ...q, headers: { ...q.headers, 'webhook-id': 'msg_0' } })).toThrow();
    }
    // The record events are the lead's detail; the expired restriction is there as such.
    const byType = new Map<string, CcxEvent>();
    for (const q of r.requests) if (!byType.has(bodyOf(q).type)) byType.set(bodyOf(q).type, bodyOf(q).data);
    expect(byType.get('outcome.published')).toMatchObject({ layer: 'detail', recordId: o.id });
    expect(byType.get('restriction.expired')).toMatchObject({ layer: 'detail', recordId: r2.id });
    expect(byType.get('monitoring.overdue')).toMatchObject({ layer: 'detail', provisionId: p3.id });
    expect(byType.get('concern.logged')).toMatchObject({ layer: 'detail', recordId: c.id });
    // A restricted record's start and end: the signal only, nothing of the record.
    for (const type of ['signal.raised', 'signal.ended'])
      expect(byType.get(type), type).toMatchObject({ layer: 'signal', recordType: null, recordId: null });
    expect(byType.get('signal.ended')!.data.signalId).toBe(byType.get('signal.raised')!.data.signalId);
    expect(JSON.stringify([byType.get('signal.raised'), byType.get('signal.ended')])).not.toContain(
      hidden.id,
    );

    const deliveries = await deliveriesOf(h, hook);
    expect(deliveries).toHaveLength(expected.length);
    expect(
      deliveries.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 204),
    ).toBe(true);
    expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(expected.map((e) => e.id)));
  });
});

describe('what each subscriber receives', () => {
  test('a provision filter delivers only events about those provisions', async ({ h, w }) => {
    const r = await startReceiver();
    const p1 = await h.makeProvision({ hostAuthorityId: w.host.id });
    const p2 = await h.makeProvision({ hostAuthorityId: w.host.id });
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed'], [p1.id]);
    const since = await mark(h);
    await allocationChange(h, w, p2.id);
    await allocationChange(h, w, p1.id);
    await allocationChange(h, w, p2.id);
    await allocationChange(h, w, p1.id);
    await until(h, 'two deliveries', () => r.accepted().length >= 2);
    await pump(h);
    const got = r.requests.map((q) => verify(hook.secret, q).data);
    expect(got.map((e) => e.provisionId)).toEqual([p1.id, p1.id]);
    const feed = (await feedOf(h, w.member, since, ['allocation.changed'])).filter(
      (e) => e.provisionId === p1.id,
    );
    expect(got).toEqual(feed);
    const deliveries = await deliveriesOf(h, hook);
    expect(deliveries).toHaveLength(2);
  });
});

describe('secrets, pings and ownership', () => {
  test('rotateSecret: during the overlap two signatures, and both secrets verify; after it only the new one', async ({
    h,
    w,
    clock,
  }) => {
    const r = await startReceiver();
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    await allocationChange(h, w);
    await until(h, 'one delivery', () => r.accepted().length >= 1);
    expect(r.requests[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    verify(hook.secret, r.requests[0]!);

    const rotated = await h.caller(hook.admin).webhooks.rotateSecret({ id: hook.id });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.webhook.secretRotatedAt).not.toBeNull();
    await allocationChange(h, w);
    await until(h, 'a second delivery', () => r.accepted().length >= 2);
    const q = r.requests[1]!;
    const signatures = q.headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    expect(verify(rotated.secret, q).data.type).toBe('allocation.changed');
    expect(verify(hook.secret, q).data.type).toBe('allocation.changed');
    // The first signature is the new secret's, the second the old one's.
    const only = (sig: string) => ({ ...q, headers: { ...q.headers, 'webhook-signature': sig } });
    expect(() => verify(rotated.secret, only(signatures[0]!))).not.toThrow();
    expect(() => verify(hook.secret, only(signatures[0]!))).toThrow();
    expect(() => verify(hook.secret, only(signatures[1]!))).not.toThrow();
    expect(() => verify(rotated.secret, only(signatures[1]!))).toThrow();

    // A rotation whose overlap (a day) is over: signed with the new secret only.
    clock.set(new Date(Date.now() - 2 * DAY_MS));
    const later = await h.caller(hook.admin).webhooks.rotateSecret({ id: hook.id });
    clock.reset();
    await allocationChange(h, w);
    await until(h, 'a third delivery', () => r.accepted().length >= 3);
    const q3 = r.requests[2]!;
    expect(q3.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verify(later.secret, q3).data.type).toBe('allocation.changed');
    expect(() => verify(rotated.secret, q3)).toThrow();

    // Secrets are shown once: never in the list.
    const list = await h.caller(hook.admin).webhooks.list();
    const json = JSON.stringify(list);
    for (const s of [hook.secret, rotated.secret, later.secret]) {
      expect(json).not.toContain(s);
      expect(json).not.toContain(s.slice(6));
    }
  });

  test('webhooks.test sends a signed ping now; a refused ping is reported and not retried', async ({
    h,
    w,
  }) => {
    const r = await startReceiver();
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    const ok = await h.caller(hook.admin).webhooks.test({ id: hook.id });
    expect(ok).toMatchObject({
      ok: true,
      status: 'delivered',
      attempts: 1,
      eventId: 'test',
      eventType: 'webhook.test',
      lastStatusCode: 204,
    });
    expect(r.requests).toHaveLength(1);
    const ping = verify(hook.secret, r.requests[0]!);
    expect(ping).toMatchObject({
      type: 'webhook.test',
      data: { webhookId: hook.id, authorityId: w.member.id },
    });
    expect(r.requests[0]!.headers['webhook-id']).toMatch(/^msg_test_/);
    expect(() => verify(hook.secret, { ...r.requests[0]!, body: tamper(r.requests[0]!.body) })).toThrow();

    r.answer(() => 500);
    const refused = await h.caller(hook.admin).webhooks.test({ id: hook.id });
    expect(refused).toMatchObject({ ok: false, status: 'failed', attempts: 1, lastStatusCode: 500 });
    for (let n = 0; n < 5; n++) {
      await pump(h);
      await sleep(30);
    }
    expect(r.requests).toHaveLength(2);
    const deliveries = await deliveriesOf(h, hook);
    expect(deliveries.map((d) => d.status).sort()).toEqual(['delivered', 'failed']);
    // Resending a test ping sends it again at once (the queue carries only events, in order).
    r.answer(() => 204);
    const failed = deliveries.find((d) => d.status === 'failed')!;
    const again = await h.caller(hook.admin).webhooks.resend({ id: hook.id, deliveryId: failed.id });
    expect(again).toMatchObject({ id: failed.id, status: 'delivered', attempts: 1, lastStatusCode: 204 });
    expect(r.requests).toHaveLength(3);
    expect(verify(hook.secret, r.requests[2]!)).toMatchObject({ type: 'webhook.test' });
  });
});
