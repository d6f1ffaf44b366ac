// Webhooks, delivery and retries: failures are retried with backoff, in order, then dead-lettered, visible
// and resendable; a receiver that is down gets everything in order when it is back; a redirect is a
// failure and is not followed; a receiver that never answers times out and is retried.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { loadConfig } from '@ccx/server';
import { startJobs } from '@ccx/server/testing';
import { expectTRPCError, test } from '../../support/harness.js';
import {
  adminOf,
  allocationChange,
  bodyOf,
  deliveriesOf,
  deliveryAttempts,
  ENV,
  feedOf,
  mark,
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

describe('retries, order and dead letters', () => {
  test('500 three times, then 200: delivered on the fourth attempt, with backoff, the same message each time', async ({
    h,
    w,
  }) => {
    const r = await startReceiver((n) => (n <= 3 ? 500 : 200));
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    await allocationChange(h, w);
    await until(h, 'the fourth attempt', () => r.requests.length >= 4);
    await sleep(200);
    await pump(h);
    await pump(h);
    expect(r.requests.map((q) => q.status)).toEqual([500, 500, 500, 200]);
    const ids = new Set(r.requests.map((q) => q.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    for (const q of r.requests) expect(verify(hook.secret, q).data.id).toBe(bodyOf(r.requests[0]!).data.id);
    // Backoff: base 20 ms × 2^(n−1), at least half of it: ≥ 10 + 20 + 40 ms in all.
    expect(r.requests[3]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(65);
    const [d] = await deliveriesOf(h, hook);
    expect(d).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      eventType: 'allocation.changed',
      eventId: bodyOf(r.requests[0]!).data.id,
    });
    expect(d!.deliveredAt).not.toBeNull();
  });

  test('a receiver that is down gets all 20 events in order, each once, when it comes back', async ({
    h,
    w,
  }) => {
    const state = { down: true };
    const r = await startReceiver(() => (state.down ? 503 : 204));
    const hook = await subscribe(h, w.placing, r.url, ['allocation.changed']);
    const since = await mark(h);
    const attemptsBefore = await deliveryAttempts(h);
    const jobs = startJobs(h.hub, { fastMs: 20, slowMs: 3_600_000 });
    try {
      for (let n = 0; n < 20; n++) {
        await allocationChange(h, w);
        if (n % 5 === 4) await sleep(60);
      }
      // Down for a while: several attempts fail.
      const deadline = Date.now() + 10_000;
      while (r.requests.length < 4 && Date.now() < deadline) await sleep(20);
      expect(r.requests.length).toBeGreaterThanOrEqual(4);
      await sleep(300);
      expect(r.accepted()).toEqual([]);
      state.down = false;
      const end = Date.now() + 20_000;
      while (r.accepted().length < 20 && Date.now() < end) await sleep(25);
      await sleep(200);
    } finally {
      await jobs.stop();
    }
    const expected = (await feedOf(h, w.placing, since, ['allocation.changed'])).map((e) => e.id);
    expect(expected).toHaveLength(20);
    const accepted = r.accepted().map((q) => verify(hook.secret, q).data.id);
    const duplicates = accepted.length - new Set(accepted).size;
    expect(duplicates).toBe(0);
    expect(accepted).toEqual(expected);
    // In order throughout: no later event was tried while an earlier one was still failing.
    const tried = r.requests.map((q) => Number(bodyOf(q).data.id));
    for (let i = 1; i < tried.length; i++) expect(tried[i]).toBeGreaterThanOrEqual(tried[i - 1]!);
    expect(r.requests.filter((q) => q.status === 503).every((q) => bodyOf(q).data.id === expected[0])).toBe(
      true,
    );
    const deliveries = await deliveriesOf(h, hook);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    // The hub's metrics counted every attempt the background work made, by result.
    const attempts = await deliveryAttempts(h);
    expect(attempts.delivered - attemptsBefore.delivered).toBeGreaterThanOrEqual(20);
    expect(attempts.retry - attemptsBefore.retry).toBe(r.requests.filter((q) => q.status === 503).length);
    expect(deliveries.find((d) => d.eventId === expected[0])!.attempts).toBeGreaterThan(1);
  });

  test('after CCX_WEBHOOK_MAX_ATTEMPTS failures the delivery is dead, visible, and resend delivers it', async ({
    h,
    w,
  }) => {
    const config = loadConfig({
      CCX_DATA_DIR: h.config.dataDir,
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...ENV,
      CCX_WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(config.webhooks.maxAttempts).toBe(3);
    const state = { up: false };
    const r = await startReceiver(() => (state.up ? 204 : 500));
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    await allocationChange(h, w);
    await until(
      h,
      'a dead delivery',
      async () => (await deliveriesOf(h, hook))[0]?.status === 'dead',
      config,
    );
    await sleep(150);
    await pump(h, config);
    expect(r.requests.map((q) => q.status)).toEqual([500, 500, 500]);
    const [dead] = await deliveriesOf(h, hook);
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'answered 500',
      nextAttemptAt: null,
      deliveredAt: null,
    });
    const deadEventId = bodyOf(r.requests[0]!).data.id;
    expect(dead!.eventId).toBe(deadEventId);

    // A dead letter does not hold the queue: the next event goes through once the receiver is back.
    state.up = true;
    await allocationChange(h, w);
    await until(h, 'the next event', () => r.accepted().length >= 1, config);
    expect(bodyOf(r.accepted()[0]!).data.id).not.toBe(deadEventId);
    expect((await deliveriesOf(h, hook)).find((d) => d.id === dead!.id)!.status).toBe('dead');

    // Only the webhook's own authority may resend, and only its own deliveries.
    const other = await adminOf(h, w.placing);
    await expectTRPCError(
      h.caller(other).webhooks.resend({ id: hook.id, deliveryId: dead!.id }),
      'NOT_FOUND',
    );
    const otherHook = await subscribe(h, w.placing, r.url, ['allocation.changed']);
    await expectTRPCError(
      h.caller(hook.admin).webhooks.resend({ id: otherHook.id, deliveryId: dead!.id }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h.caller(other).webhooks.resend({ id: otherHook.id, deliveryId: dead!.id }),
      'NOT_FOUND',
    );

    const resent = await h.caller(hook.admin).webhooks.resend({ id: hook.id, deliveryId: dead!.id });
    expect(resent).toMatchObject({ id: dead!.id, status: 'pending', attempts: 0, eventId: deadEventId });
    await until(h, 'the resent delivery', () => r.accepted().length >= 2, config);
    const again = r.accepted()[1]!;
    expect(verify(hook.secret, again).data.id).toBe(deadEventId);
    expect(again.headers['webhook-id']).toBe(`msg_${deadEventId}`);
    expect((await deliveriesOf(h, hook)).find((d) => d.id === dead!.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
    });
  });
});

describe('where the hub will send', () => {
  test('a 3xx is a failed delivery: the redirect is not followed', async ({ h, w }) => {
    const target = await startReceiver();
    const r = await startReceiver(() => ({ status: 307, headers: { location: target.url } }));
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    await allocationChange(h, w);
    await until(h, 'two attempts', () => r.requests.length >= 2);
    await sleep(100);
    await pump(h);
    expect(target.requests).toEqual([]);
    const [d] = await deliveriesOf(h, hook);
    expect(d).toMatchObject({
      status: 'pending',
      lastStatusCode: 307,
      lastError: 'answered 307',
      deliveredAt: null,
    });
    expect(d!.attempts).toBeGreaterThanOrEqual(2);
    // A permanent redirect likewise.
    r.answer(() => ({ status: 301, headers: { location: target.url } }));
    await until(h, 'a 301', () => r.requests.some((q) => q.status === 301));
    expect(target.requests).toEqual([]);
  });

  test('a receiver that never answers times out (CCX_WEBHOOK_TIMEOUT) and is retried', async ({ h, w }) => {
    expect(h.config.webhooks.timeoutSeconds).toBe(1);
    const r = await startReceiver((n) => (n === 1 ? 'hang' : 204));
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    await allocationChange(h, w);
    const started = Date.now();
    await until(h, 'the first attempt to fail', async () => (await deliveriesOf(h, hook))[0]?.attempts === 1);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(10_000);
    const [d] = await deliveriesOf(h, hook);
    expect(d).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(d!.lastError).toMatch(/no answer within 1000 ms/);
    await until(h, 'the retry', () => r.accepted().length >= 1);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.headers['webhook-id']).toBe(r.requests[0]!.headers['webhook-id']);
    expect((await deliveriesOf(h, hook))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
