// Webhooks (issue: events): real receivers on 127.0.0.1 get a Standard Webhooks delivery for every event
// type, verified with the `standardwebhooks` package; each payload is the feed's event at the receiver's
// layer; failures are retried with backoff, then dead-lettered, visible and resendable; a receiver that
// is down gets everything in order when it is back; secrets rotate with two signatures during the
// overlap; a redirect is a failure and is not followed; a receiver that never answers times out.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { describe, expect } from 'vitest';
import { EVENT_TYPES, type CcxEvent, type EventType } from '@ccx/schema';
import { loadConfig, type Config, type Principal } from '@ccx/server';
import { deliverDue, fanOut } from '@ccx/server/testing';
import { headSeq } from '@ccx/server/testing';
import { startJobs } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { emitGrantExpiries, emitOverdueMonitoring, emitRestrictionExpiries } from '@ccx/server/testing';
import {
  createHarness,
  DAY_MS,
  expectTRPCError,
  londonToday,
  makeMember,
  plusDays,
  publishOutcome,
  queryRows,
  test,
  uniq,
  type Harness,
  type Member,
  type World,
} from '../../support/harness.js';

const ENV = {
  CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  CCX_WEBHOOK_RETRY_BASE_MS: '20',
  CCX_WEBHOOK_TIMEOUT: '1s',
};

// ---------------------------------------------------------------------------------------------------
// A receiver: a plain node:http server that records every request and answers as told.

type Request = { headers: Record<string, string>; body: string; status: number | 'hang'; at: number };
type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
  );

type Receiver = {
  url: string;
  /** Every request, in arrival order, with the status it was answered with. */
  requests: Request[];
  /** The requests it accepted (answered 2xx). */
  accepted(): Request[];
  /** Changes how the n-th request (counted from 1) is answered. */
  answer(f: (n: number) => Answer): void;
  close(): Promise<void>;
};

const receivers: Receiver[] = [];

const startReceiver = async (answer: (n: number) => Answer = () => 204): Promise<Receiver> => {
  const requests: Request[] = [];
  const state = { answer };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = state.answer(requests.length + 1);
      const status = typeof a === 'object' ? a.status : a;
      requests.push({
        headers: flat(req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        at: Date.now(),
      });
      if (status === 'hang') return; // never answers
      res.writeHead(status, typeof a === 'object' ? a.headers : {});
      res.end(status >= 200 && status < 300 ? '' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const r: Receiver = {
    url: `http://127.0.0.1:${port}/ccx/hook`,
    requests,
    accepted: () => requests.filter((q) => typeof q.status === 'number' && q.status >= 200 && q.status < 300),
    answer: (f) => {
      state.answer = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(r);
  return r;
};

type Body = { type: string; timestamp: string; data: CcxEvent & { webhookId?: string } };
const bodyOf = (q: Request): Body => JSON.parse(q.body) as Body;

/** Verifies a request as a receiver would, with the standardwebhooks package; answers the message. */
const verify = (secret: string, q: Pick<Request, 'body' | 'headers'>): Body =>
  new Webhook(secret).verify(q.body, q.headers) as Body;

/** The same body with one byte changed: a digit of the event id, or one in the middle. */
const tamper = (body: string): string => {
  const at = body.indexOf('"id":"');
  const i = at >= 0 ? at + 6 : Math.floor(body.length / 2);
  return `${body.slice(0, i)}${body[i] === '9' ? '8' : '9'}${body.slice(i + 1)}`;
};

// ---------------------------------------------------------------------------------------------------

test.override({ hubEnv: ENV });
test.afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const today = () => londonToday(new Date());
/** An outcome that is not due for a year, so it never turns overdue during these tests. */
const notDue = () => ({ nextDueOn: plusDays(today(), 365) });

/** The detail view a writer gets back (any other layer fails the test). */
const detail = <V extends { layer: string }>(v: V): Extract<V, { layer: 'detail' }> => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${v.layer}`);
  return v as Extract<V, { layer: 'detail' }>;
};

/**
 * Sequences everything committed so far. The sequencer waits for every transaction older than an event
 * to end — on PostgreSQL that is any in the cluster, other test files' included — so one call may not do.
 */
const settle = async (h: Harness) => {
  const end = Date.now() + 20_000;
  for (;;) {
    await sequenceEvents(h.db);
    const [row] = await queryRows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from events where seq is null`,
    );
    if (row!.n === 0) return;
    if (Date.now() > end) throw new Error('events stayed unsequenced for 20 s');
    await sleep(10);
  }
};

/** The hub's /metrics counter of delivery attempts, by result. */
const deliveryAttempts = async (h: Harness): Promise<Record<'delivered' | 'retry' | 'dead', number>> => {
  const metric = await h.hub.metrics.registry.getSingleMetric('ccx_webhook_delivery_attempts_total')!.get();
  const of = (result: string) => metric.values.find((v) => v.labels.result === result)?.value ?? 0;
  return { delivered: of('delivered'), retry: of('retry'), dead: of('dead') };
};

/** One round of the background work: sequence, fan out, deliver. */
const pump = async (h: Harness, config: Config = h.config) => {
  await sequenceEvents(h.db);
  await fanOut(h.db, h.hub.clock.now());
  await deliverDue(h.db, config);
};

/** Pumps until the condition holds (or fails the test after `ms`). */
const until = async (
  h: Harness,
  what: string,
  cond: () => boolean | Promise<boolean>,
  config?: Config,
  ms = 15_000,
) => {
  const end = Date.now() + ms;
  for (;;) {
    await pump(h, config);
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

const admins = new Map<string, Principal>();
/** An admin client of the authority (webhooks are an admin's business). */
const adminOf = async (h: Harness, m: Member): Promise<Principal> => {
  const known = admins.get(m.id);
  if (known) return known;
  const p = (await h.makeClient(m.id, 'admin', `${m.id} admin`)).principal;
  admins.set(m.id, p);
  return p;
};

const subscribe = async (
  h: Harness,
  m: Member,
  url: string,
  eventTypes: EventType[],
  provisionIds?: string[],
): Promise<{ id: string; secret: string; admin: Principal }> => {
  const admin = await adminOf(h, m);
  // A new webhook starts at the feed's head: sequence what is already committed first, so it is not new to it.
  await settle(h);
  const created = await h
    .caller(admin)
    .webhooks.create({ url, eventTypes, ...(provisionIds ? { provisionIds } : {}) });
  expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(created.webhook).toMatchObject({ authorityId: m.id, url, eventTypes, status: 'active' });
  hooks.push({ id: created.webhook.id, admin });
  return { id: created.webhook.id, secret: created.secret, admin };
};

// Every test's webhooks are deleted after it, so no test's queue reaches into the next.
const hooks: { id: string; admin: Principal }[] = [];
test.afterEach(async ({ h }) => {
  for (const hook of hooks.splice(0)) {
    await h
      .caller(hook.admin)
      .webhooks.delete({ id: hook.id })
      .catch(() => undefined);
  }
  await pump(h);
});

const deliveriesOf = async (h: Harness, hook: { id: string; admin: Principal }) =>
  h.caller(hook.admin).webhooks.deliveries({ id: hook.id, limit: 200 });

/** Every event after `since` in the authority's feed, of the given types. */
const feedOf = async (h: Harness, m: Member, since: number, types?: EventType[]): Promise<CcxEvent[]> => {
  await settle(h);
  const all: CcxEvent[] = [];
  let cursor = String(since);
  for (;;) {
    const page = await h
      .caller(m.officer)
      .events.list({ since: cursor, limit: 500, ...(types ? { types } : {}) });
    if (page.items.length === 0) return all;
    all.push(...page.items);
    cursor = page.nextSince!;
  }
};

const mark = async (h: Harness) => {
  await settle(h);
  return headSeq(h.db);
};

/** A new member-audience event (allocation.changed) on a fresh provision. */
const allocationChange = async (h: Harness, w: World, provisionId?: string) => {
  const p = provisionId ?? (await h.makeProvision({ hostAuthorityId: w.host.id })).id;
  await h
    .caller(h.hubAdmin)
    .allocations.assign({ provisionId: p, authorityId: w.lead.id, rationale: `rota ${uniq()}` });
  return p;
};

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
    // allocation.changed, provision.ofsted-grade-changed, provision.registration-changed
    const p2 = await h.makeProvision({ hostAuthorityId: w.host.id });
    await allocationChange(h, w, p2.id);
    const v = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p2.id, version: p2.version, ofstedGrade: 'good' });
    await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p2.id, version: v.version, registrationStatus: 'cancelled' });
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

    const deliveries = await deliveriesOf(h, hook);
    expect(deliveries).toHaveLength(expected.length);
    expect(
      deliveries.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 204),
    ).toBe(true);
    expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(expected.map((e) => e.id)));
  });
});

describe('what each subscriber receives', () => {
  test('a bare member gets the summary, a placing authority the detail, a restricted record the signal', async ({
    h,
    w,
  }) => {
    const rm = await startReceiver();
    const rp = await startReceiver();
    const types: EventType[] = ['outcome.published', 'restriction.created'];
    const hm = await subscribe(h, w.member, rm.url, types);
    const hp = await subscribe(h, w.placing, rp.url, types);

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
    await until(h, 'two deliveries each', () => rm.accepted().length >= 2 && rp.accepted().length >= 2);

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
        type: 'restriction.created',
        layer: 'signal',
        recordId: null,
        recordType: null,
      });
      expect(e.data).toEqual({
        message: expect.stringContaining(w.publisher.qaInbox) as string,
        contact: w.publisher.qaInbox,
      });
    }
    for (const q of [rm.requests[1]!, rp.requests[1]!]) {
      expect(q.body).not.toContain(emb.id);
      expect(q.body).not.toContain(secret);
      expect(q.body).not.toContain('informal-embargo');
    }
    // Each delivery is the feed's event at that subscriber's layer.
    expect([mo, me]).toEqual((await feedOf(h, w.member, Number(mo!.id) - 1, types)).slice(0, 2));
    expect([po, pe]).toEqual((await feedOf(h, w.placing, Number(po!.id) - 1, types)).slice(0, 2));
  });

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
  });

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

describe('where the hub will send', () => {
  test('refuses http:// to a non-loopback host, private, link-local and metadata addresses, and other schemes', async ({
    h,
    w,
  }) => {
    const admin = await adminOf(h, w.member);
    const c = h.caller(admin);
    for (const url of [
      'http://example.com/hook',
      'http://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://172.16.5.4/hook',
      'https://192.168.1.10/hook',
      'https://100.64.0.1/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://0.0.0.0/hook',
      'ftp://example.com/hook',
      'https://user:pass@example.com/hook',
      'not a url',
    ]) {
      await expectTRPCError(c.webhooks.create({ url, eventTypes: ['allocation.changed'] }), 'BAD_REQUEST');
    }
    await expectTRPCError(
      c.webhooks.create({ url: 'https://example.com/hook', eventTypes: [] }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      c.webhooks.create({ url: 'https://example.com/hook', eventTypes: ['outcome.deleted' as EventType] }),
      'BAD_REQUEST',
    );
    // A public https URL is accepted (its name is checked each time it is resolved, at delivery).
    const ok = await c.webhooks.create({
      url: 'https://example.com/hook',
      eventTypes: ['allocation.changed'],
    });
    hooks.push({ id: ok.webhook.id, admin });
    expect(ok.webhook.url).toBe('https://example.com/hook');
    expect((await c.webhooks.list()).map((x) => x.id)).toContain(ok.webhook.id);
  });

  test('http to loopback only when CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK is on', async ({ h, w }) => {
    const strict = await createHarness();
    try {
      expect(strict.config.webhooks.allowHttpLoopback).toBe(false);
      const member = await makeMember(strict, 'strict');
      const admin = (await strict.makeClient(member.id, 'admin')).principal;
      const c = strict.caller(admin);
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost:8080/hook',
        'https://127.0.0.1/hook',
        'https://[::1]/hook',
      ])
        await expectTRPCError(c.webhooks.create({ url, eventTypes: ['allocation.changed'] }), 'BAD_REQUEST');
    } finally {
      await strict.close();
    }
    // With it on, loopback over http is fine.
    const r = await startReceiver();
    await subscribe(h, w.member, r.url, ['allocation.changed']);
  });

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
