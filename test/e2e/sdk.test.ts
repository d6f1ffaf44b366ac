// The SDK against a real hub over HTTP: typed calls, pagination, typed errors, tokens, safe retries
// with idempotency keys, the live subscription, and the webhook verifier.
import { Webhook } from 'standardwebhooks';
import { describe, expect } from 'vitest';
import {
  CcxError,
  createCcxClient,
  items,
  verifyWebhook,
  WebhookVerificationError,
  type CcxClient,
} from '@ccx/client';
import { startJobs } from '@ccx/server/testing';
import { httpTest } from '../support/http.js';

/** The hub's background jobs, running fast for the whole file. */
const test = httpTest.extend('jobs', { scope: 'file', auto: true }, ({ h }, { onCleanup }) => {
  const jobs = startJobs(h.hub, { fastMs: 25 });
  onCleanup(() => jobs.stop());
  return jobs;
});

let baseUrl: string;
let officer: { id: string; secret: string; authorityId: string };

const clientFor = (
  c: { id: string; secret: string },
  extra: Partial<Parameters<typeof createCcxClient>[0]> = {},
): CcxClient =>
  createCcxClient({ baseUrl, clientId: c.id, clientSecret: c.secret, retry: { baseDelayMs: 10 }, ...extra });

// An officer client the SDK signs in as.
test.beforeAll(async ({ h }) => {
  baseUrl = h.baseUrl;
  const authority = await h.makeAuthority({ id: 'sdk-council' });
  const made = await h.makeClient(authority.id, 'officer');
  officer = { id: made.client.id, secret: made.clientSecret, authorityId: authority.id };
});
describe('typed calls', () => {
  test('answers authorities.me with the caller', async () => {
    const ccx = clientFor(officer);
    const me = await ccx.authorities.me.query();
    expect(me.authority.id).toBe('sdk-council');
    expect(me.client?.role).toBe('officer');
  });

  test('gives its cached access token for calls of your own, and still answers typed calls', async () => {
    const ccx = clientFor(officer);
    const token = await ccx.accessToken();
    expect(token.split('.')).toHaveLength(3); // a JWT
    expect(await ccx.accessToken()).toBe(token); // cached, not fetched again
    const res = await fetch(`${baseUrl}/api/v1/authorities/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { authority: { id: string } }).authority.id).toBe('sdk-council');
    expect((await ccx.authorities.me.query()).authority.id).toBe('sdk-council');
  });

  test('iterates every item of a paginated list', async ({ h }) => {
    const provider = await h.makeProvider({ name: 'Paging Care Ltd' });
    for (let i = 0; i < 17; i++)
      await h.makeProvision({ providerId: provider.id, name: `Paging House ${String(i).padStart(2, '0')}` });
    const ccx = clientFor(officer);
    const names: string[] = [];
    for await (const p of items((input) => ccx.provisions.search.query(input), {
      providerId: provider.id,
      limit: 5,
    }))
      names.push(p.name);
    expect(names).toHaveLength(17);
    expect(new Set(names).size).toBe(17);
    expect(names).toEqual([...names].sort());
  });
});

describe('typed errors', () => {
  test('a 400 is a CcxError with the issues field by field', async () => {
    const ccx = clientFor(officer);
    const err = await ccx.provisions.update
      .mutate({ id: 'nope', version: 0, name: '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcxError);
    const e = err as CcxError;
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.httpStatus).toBe(400);
    expect(e.issues.map((i) => i.path).sort()).toEqual(expect.arrayContaining(['id', 'name', 'version']));
    expect(e.requestId).toBeTruthy();
  });

  test('404 and 403 keep their codes', async () => {
    const ccx = clientFor(officer);
    const missing = (await ccx.provisions.get
      .query({ id: '00000000-0000-4000-8000-000000000000' })
      .catch((e: unknown) => e)) as CcxError;
    expect([missing.code, missing.httpStatus]).toEqual(['NOT_FOUND', 404]);
    const forbidden = (await ccx.authorities.create
      .mutate({ id: 'nope-council', name: 'Nope', region: 'london', qaInbox: 'qa@nope.example.gov.uk' })
      .catch((e: unknown) => e)) as CcxError;
    expect([forbidden.code, forbidden.httpStatus]).toEqual(['FORBIDDEN', 403]);
  });

  test('bad credentials are an UNAUTHORIZED CcxError', async () => {
    const ccx = clientFor({ id: officer.id, secret: 'ccxs_wrong' });
    const err = (await ccx.authorities.me.query().catch((e: unknown) => e)) as CcxError;
    expect(err).toBeInstanceOf(CcxError);
    expect([err.code, err.httpStatus]).toEqual(['UNAUTHORIZED', 401]);
  });
});

describe('tokens', () => {
  test('fetches one token for many calls, and a new one after the hub refuses it', async ({ h }) => {
    let tokenRequests = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/oauth/token')) tokenRequests++;
      return fetch(input, init);
    };
    const made = await h.makeClient('sdk-council', 'viewer');
    const ccx = clientFor({ id: made.client.id, secret: made.clientSecret }, { fetch: counting });
    await Promise.all([
      ccx.authorities.me.query(),
      ccx.authorities.list.query(),
      ccx.allocations.mine.query(),
    ]);
    await ccx.authorities.me.query();
    expect(tokenRequests).toBe(1);
    // Rotating the hub's key does not invalidate tokens; revoking the client does, at once.
    await h.caller(h.hubAdmin).clients.revoke({ id: made.client.id });
    const err = (await ccx.authorities.me.query().catch((e: unknown) => e)) as CcxError;
    expect(err.code).toBe('UNAUTHORIZED');
    expect(tokenRequests).toBe(2);
  });
});

describe('retries', () => {
  /** A fetch that answers the first `n` calls to /trpc with `status` (without reaching the hub). */
  const failing = (n: number, status: number, headers: Record<string, string> = {}) => {
    let left = n;
    const seen = { trpc: 0 };
    const f: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/trpc/')) {
        seen.trpc++;
        if (left-- > 0) return Promise.resolve(new Response('{}', { status, headers }));
      }
      return fetch(input, init);
    };
    return { f, seen };
  };

  test('retries a query through 503s', async () => {
    const { f, seen } = failing(2, 503);
    const me = await clientFor(officer, { fetch: f }).authorities.me.query();
    expect(me.authority.id).toBe('sdk-council');
    expect(seen.trpc).toBe(3);
  });

  test('honours Retry-After on 429', async () => {
    const { f, seen } = failing(1, 429, { 'retry-after': '1' });
    const started = Date.now();
    await clientFor(officer, { fetch: f }).authorities.me.query();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(seen.trpc).toBe(2);
  });

  test('retries a write it sent with an idempotency key, and the hub makes one record', async () => {
    // The first attempt reaches the hub, but the answer is lost on the way back.
    let dropped = false;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!dropped && String(input instanceof Request ? input.url : input).includes('providers.create')) {
        dropped = true;
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const ccx = clientFor(officer, { fetch: lossy });
    const provider = await ccx.providers.create.mutate({ name: 'Retry Safe Care Ltd' });
    expect(dropped).toBe(true);
    const found = await ccx.providers.search.query({ q: 'Retry Safe Care' });
    expect(found.items.map((p) => p.id)).toEqual([provider.id]);
  });

  test('never retries a write the hub does not key: a lost answer to clients.create is an error, one client made', async ({
    h,
  }) => {
    const made = await h.makeClient('sdk-council', 'admin');
    const admin = { id: made.client.id, secret: made.clientSecret };
    let sent = 0;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input instanceof Request ? input.url : input).includes('clients.create')) {
        sent++;
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const ccx = clientFor(admin, { fetch: lossy });
    const err = await ccx.clients.create
      .mutate({ name: 'Lost answer tool', role: 'viewer' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcxError);
    expect((err as CcxError).code).toBe('NETWORK');
    expect(sent).toBe(1);
    const listed = await clientFor(admin).clients.list.query();
    expect(listed.filter((c) => c.name === 'Lost answer tool')).toHaveLength(1);
  });

  test('keeps an idempotency key the caller gave, and retries the write with it', async () => {
    const { f, seen } = failing(1, 503);
    const ccx = clientFor(officer, { fetch: f });
    // An explicit key is kept (the SDK adds one only when there is none); with it, a 503 is retried.
    const made = await ccx.providers.create.mutate({
      name: 'Keyed Care Ltd',
      idempotencyKey: 'sdk-test-key-0001',
    });
    expect(seen.trpc).toBe(2);
    // The same key again answers the first result: no second record.
    const again = await ccx.providers.create.mutate({
      name: 'Keyed Care Ltd',
      idempotencyKey: 'sdk-test-key-0001',
    });
    expect(again.id).toBe(made.id);
  });
});

describe('live events', () => {
  test('receives an event through the subscription', async ({ h }) => {
    const ccx = clientFor(officer);
    const received: string[] = [];
    const sub = ccx.events.subscribe.subscribe(
      { lastEventId: '0' },
      { onData: (e) => received.push(e.data.type), onError: () => undefined },
    );
    const p = await h.makeProvision({ hostAuthorityId: 'sdk-council' });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: 'sdk-council', rationale: 'sdk test' });
    for (let i = 0; i < 100 && !received.includes('allocation.changed'); i++)
      await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(received).toContain('allocation.changed');
  });
});

describe('verifyWebhook', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const body = JSON.stringify({
    type: 'restriction.created',
    timestamp: '2026-11-23T10:00:00Z',
    data: { id: '42' },
  });

  test('accepts what a Standard Webhooks signer signed, and refuses a changed byte, an old timestamp or another secret', () => {
    const now = new Date();
    const headers = new Webhook(secret).sign('msg_42', now, body);
    const signed = {
      'webhook-id': 'msg_42',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': headers,
    };
    expect(verifyWebhook(secret, body, signed)).toMatchObject({
      id: 'msg_42',
      type: 'restriction.created',
      data: { id: '42' },
    });
    expect(() => verifyWebhook(secret, body.replace('42', '43'), signed)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, body, signed, { now: new Date(now.getTime() + 3_600_000) })).toThrow(
      /tolerance/,
    );
    const other = `whsec_${Buffer.from('another secret of 32 bytes!!!!!!').toString('base64')}`;
    expect(() => verifyWebhook(other, body, signed)).toThrow(WebhookVerificationError);
  });
});
