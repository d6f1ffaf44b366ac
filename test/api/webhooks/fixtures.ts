// Shared fixtures for the webhook tests: the hub's env (http to loopback allowed, fast retries, a 1 s
// timeout); real receivers on 127.0.0.1 (plain node:http servers that record every request and answer
// as told), verify and tamper, pump/until, subscribe (whose webhooks are deleted after each test), feedOf.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';
import { type CcxEvent, type EventType } from '@ccx/schema';
import { type Config, type Principal } from '@ccx/server';
import { deliverDue, fanOut } from '@ccx/server/testing';
import { headSeq } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import {
  londonToday,
  plusDays,
  queryRows,
  uniq,
  type Harness,
  type Member,
  type World,
} from '../../support/harness.js';

export const ENV = {
  CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  CCX_WEBHOOK_RETRY_BASE_MS: '20',
  CCX_WEBHOOK_TIMEOUT: '1s',
};

// ---------------------------------------------------------------------------------------------------
// A receiver: a plain node:http server that records every request and answers as told.

export type Request = { headers: Record<string, string>; body: string; status: number | 'hang'; at: number };
export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

export const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
  );

export type Receiver = {
  url: string;
  /** Every request, in arrival order, with the status it was answered with. */
  requests: Request[];
  /** The requests it accepted (answered 2xx). */
  accepted(): Request[];
  /** Changes how the n-th request (counted from 1) is answered. */
  answer(f: (n: number) => Answer): void;
  close(): Promise<void>;
};

export const receivers: Receiver[] = [];

export const startReceiver = async (answer: (n: number) => Answer = () => 204): Promise<Receiver> => {
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

export type Body = { type: string; timestamp: string; data: CcxEvent & { webhookId?: string } };
export const bodyOf = (q: Request): Body => JSON.parse(q.body) as Body;

/** Verifies a request as a receiver would, with the standardwebhooks package; answers the message. */
export const verify = (secret: string, q: Pick<Request, 'body' | 'headers'>): Body =>
  new Webhook(secret).verify(q.body, q.headers) as Body;

/** The same body with one byte changed: a digit of the event id, or one in the middle. */
export const tamper = (body: string): string => {
  const at = body.indexOf('"id":"');
  const i = at >= 0 ? at + 6 : Math.floor(body.length / 2);
  return `${body.slice(0, i)}${body[i] === '9' ? '8' : '9'}${body.slice(i + 1)}`;
};

export const today = () => londonToday(new Date());
/** An outcome that is not due for a year, so it never turns overdue during these tests. */
export const notDue = () => ({ nextDueOn: plusDays(today(), 365) });

/** The detail view a writer gets back (any other layer fails the test). */
export const detail = <V extends { layer: string }>(v: V): Extract<V, { layer: 'detail' }> => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${v.layer}`);
  return v as Extract<V, { layer: 'detail' }>;
};

/**
 * Sequences everything committed so far. The sequencer waits for every transaction older than an event
 * to end — on PostgreSQL that is any in the cluster, other test files' included — so one call may not do.
 */
export const settle = async (h: Harness) => {
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
export const deliveryAttempts = async (
  h: Harness,
): Promise<Record<'delivered' | 'retry' | 'dead', number>> => {
  const metric = await h.hub.metrics.registry.getSingleMetric('ccx_webhook_delivery_attempts_total')!.get();
  const of = (result: string) => metric.values.find((v) => v.labels.result === result)?.value ?? 0;
  return { delivered: of('delivered'), retry: of('retry'), dead: of('dead') };
};

/** One round of the background work: sequence, fan out, deliver. */
export const pump = async (h: Harness, config: Config = h.config) => {
  await sequenceEvents(h.db);
  await fanOut(h.db, h.hub.clock.now());
  await deliverDue(h.db, config);
};

/** Pumps until the condition holds (or fails the test after `ms`). */
export const until = async (
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

export const admins = new Map<string, Principal>();
/** An admin client of the authority (webhooks are an admin's business). */
export const adminOf = async (h: Harness, m: Member): Promise<Principal> => {
  const known = admins.get(m.id);
  if (known) return known;
  const p = (await h.makeClient(m.id, 'admin', `${m.id} admin`)).principal;
  admins.set(m.id, p);
  return p;
};

export const subscribe = async (
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
export const hooks: { id: string; admin: Principal }[] = [];

/** Closes every receiver the file started (each test file's afterAll). */
export const closeReceivers = async () => {
  await Promise.all(receivers.map((r) => r.close()));
};

/** Deletes the webhooks the test made, then pumps (each test file's afterEach). */
export const deleteHooks = async ({ h }: { h: Harness }) => {
  for (const hook of hooks.splice(0)) {
    await h
      .caller(hook.admin)
      .webhooks.delete({ id: hook.id })
      .catch(() => undefined);
  }
  await pump(h);
};

export const deliveriesOf = async (h: Harness, hook: { id: string; admin: Principal }) =>
  h.caller(hook.admin).webhooks.deliveries({ id: hook.id, limit: 200 });

/** Every event after `since` in the authority's feed, of the given types. */
export const feedOf = async (
  h: Harness,
  m: Member,
  since: number,
  types?: EventType[],
): Promise<CcxEvent[]> => {
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

export const mark = async (h: Harness) => {
  await settle(h);
  return headSeq(h.db);
};

/** A new member-audience event (allocation.changed) on a fresh provision. */
export const allocationChange = async (h: Harness, w: World, provisionId?: string) => {
  const p = provisionId ?? (await h.makeProvision({ hostAuthorityId: w.host.id })).id;
  await h
    .caller(h.hubAdmin)
    .allocations.assign({ provisionId: p, authorityId: w.lead.id, rationale: `rota ${uniq()}` });
  return p;
};
