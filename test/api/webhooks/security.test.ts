// Webhooks, who sees what: each subscriber gets the event at its own layer (summary, detail, the neutral
// signal for a restricted record); another authority's webhook is not found; only an admin manages them.
import { describe, expect } from 'vitest';
import { type EventType } from '@ccx/schema';
import { expectTRPCError, publishOutcome, test, uniq } from '../../support/harness.js';
import {
  adminOf,
  allocationChange,
  bodyOf,
  detail,
  ENV,
  feedOf,
  notDue,
  pump,
  startReceiver,
  subscribe,
  until,
  verify,
  closeReceivers,
  deleteHooks,
} from './fixtures.js';

test.override({ hubEnv: ENV });
test.afterAll(closeReceivers);
// Every test's webhooks are deleted after it, so no test's queue reaches into the next.
test.afterEach(deleteHooks);

describe('what each subscriber receives', () => {
  test('a bare member gets the summary, a placing authority the detail, a restricted record the signal', async ({
    h,
    w,
  }) => {
    const rm = await startReceiver();
    const rp = await startReceiver();
    const rh = await startReceiver();
    // A restricted record reaches a signal-layer subscriber as signal.raised, never as its own type.
    const types: EventType[] = ['outcome.published', 'restriction.created', 'signal.raised'];
    const hm = await subscribe(h, w.member, rm.url, types);
    const hp = await subscribe(h, w.placing, rp.url, types);
    // A subscriber to the record types alone gets no signal: its filter may not tell a record's kind.
    await subscribe(h, w.host, rh.url, ['outcome.published', 'restriction.created']);

    const o = await publishOutcome(h, w.lead.officer, w.provision.id, notDue());
    const secret = `secret reason ${uniq()}`;
    const emb = detail(
      await h.caller(w.publisher.officer).restrictions.create({
        provisionId: w.provision.id,
        kind: 'informal-embargo',
        reasons: [{ category: 'safeguarding', text: secret }],
        summary: `informal summary ${uniq()}`,
      }),
    );
    await until(
      h,
      'two deliveries each, one to the host',
      () => rm.accepted().length >= 2 && rp.accepted().length >= 2 && rh.accepted().length >= 1,
    );
    await pump(h);
    expect(rh.requests.map((q) => bodyOf(q).type)).toEqual(['outcome.published']);

    const [mo, me] = rm.requests.map((q) => verify(hm.secret, q).data);
    const [po, pe] = rp.requests.map((q) => verify(hp.secret, q).data);
    expect(mo).toMatchObject({ type: 'outcome.published', layer: 'summary', recordId: o.id });
    expect(mo!.data).not.toHaveProperty('findings');
    expect(mo!.data).not.toHaveProperty('summary');
    expect(rm.requests[0]!.body).not.toContain(o.input.findings);
    expect(rm.requests[0]!.body).not.toContain(o.input.summary);
    expect(po).toMatchObject({ type: 'outcome.published', layer: 'detail', recordId: o.id });
    expect(po!.data).toMatchObject({ findings: o.input.findings, summary: o.input.summary });
    expect(mo!.id).toBe(po!.id);

    for (const e of [me!, pe!]) {
      expect(e).toMatchObject({
        type: 'signal.raised',
        layer: 'signal',
        recordId: null,
        recordType: null,
      });
      expect(e.data).toEqual({
        message: expect.stringContaining(w.publisher.qaInbox) as string,
        contact: w.publisher.qaInbox,
        signalId: expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as string,
      });
    }
    for (const q of [rm.requests[1]!, rp.requests[1]!]) {
      expect(q.body).not.toContain(emb.id);
      expect(q.body).not.toContain(secret);
      expect(q.body).not.toContain('informal-embargo');
      expect(q.body).not.toContain('restriction');
    }
    // Each subscriber its own opaque id for the one record.
    expect(me!.data.signalId).not.toBe(pe!.data.signalId);
    // Each delivery is the feed's event at that subscriber's layer.
    expect([mo, me]).toEqual((await feedOf(h, w.member, Number(mo!.id) - 1, types)).slice(0, 2));
    expect([po, pe]).toEqual((await feedOf(h, w.placing, Number(po!.id) - 1, types)).slice(0, 2));
  });
});

describe('secrets, pings and ownership', () => {
  test("another authority's webhook is not found; only an admin manages webhooks; a deleted one receives nothing", async ({
    h,
    w,
  }) => {
    const r = await startReceiver();
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    const other = await adminOf(h, w.placing);
    const c = h.caller(other);
    await expectTRPCError(c.webhooks.delete({ id: hook.id }), 'NOT_FOUND');
    await expectTRPCError(c.webhooks.test({ id: hook.id }), 'NOT_FOUND');
    await expectTRPCError(c.webhooks.deliveries({ id: hook.id }), 'NOT_FOUND');
    await expectTRPCError(c.webhooks.rotateSecret({ id: hook.id }), 'NOT_FOUND');
    await expectTRPCError(c.webhooks.resend({ id: hook.id, deliveryId: hook.id }), 'NOT_FOUND');
    expect((await c.webhooks.list()).map((x) => x.id)).not.toContain(hook.id);
    expect(r.requests).toEqual([]);
    await expectTRPCError(
      h.caller(w.member.officer).webhooks.create({ url: r.url, eventTypes: ['allocation.changed'] }),
      'FORBIDDEN',
    );
    await expectTRPCError(h.caller(w.member.officer).webhooks.list(), 'FORBIDDEN');

    expect((await h.caller(hook.admin).webhooks.list()).map((x) => x.id)).toContain(hook.id);
    const deleted = await h.caller(hook.admin).webhooks.delete({ id: hook.id });
    expect(deleted).toMatchObject({ id: hook.id, status: 'disabled' });
    expect((await h.caller(hook.admin).webhooks.list()).map((x) => x.id)).not.toContain(hook.id);
    await expectTRPCError(h.caller(hook.admin).webhooks.test({ id: hook.id }), 'NOT_FOUND');
    await allocationChange(h, w);
    for (let n = 0; n < 3; n++) await pump(h);
    expect(r.requests).toEqual([]);
  });
});
