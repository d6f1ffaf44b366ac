// Resource limits (OWASP API4): each API client has a request rate. Past its burst the hub answers
// 429 with Retry-After, for tRPC and REST alike, other clients carry on, and the client is served
// again once the header's seconds have passed.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { RateLimiter } from '@ccx/server/testing';
import { httpTest as test, readAnswer } from '../support/http.js';

const BURST = 5;
let authorityId: string;

// 60 a minute is one a second, so the test waits about a second for the bucket to refill.
test.override({ hubEnv: { CCX_RATE_LIMIT: '60', CCX_RATE_BURST: String(BURST) } });
test.beforeAll(async ({ h }) => {
  authorityId = (await h.makeAuthority()).id;
});

const bearer = (token: string) => `Bearer ${token}`;

describe('a client past its rate', () => {
  test('is answered 429 with Retry-After over tRPC, while another client is served', async ({ h }) => {
    const a = await h.makeClientWithToken(authorityId, 'viewer');
    const b = await h.makeClientWithToken(authorityId, 'viewer');
    for (let i = 0; i < BURST; i++)
      expect((await h.trpcGet('system.ping', bearer(a.token))).status).toBe(200);
    const refused = await h.trpcGet('system.ping', bearer(a.token));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const error = (refused.body as { error: { message: string; data: { code: string } } }).error;
    expect(error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toMatch(/too many requests; retry after \d+ s/);
    expect((await h.trpcGet('system.ping', bearer(b.token))).status).toBe(200);

    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 100);
    expect((await h.trpcGet('system.ping', bearer(a.token))).status).toBe(200);
  });

  test('is answered 429 with Retry-After and a problem document over REST', async ({ h }) => {
    const a = await h.makeClientWithToken(authorityId, 'viewer');
    const get = async () =>
      readAnswer(await fetch(`${h.baseUrl}/api/v1/ping`, { headers: { authorization: bearer(a.token) } }));
    for (let i = 0; i < BURST; i++) expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((refused.body as { status: number }).status).toBe(429);
  });

  test('counts every call of a batch, answering the calls past the burst with 429', async ({ h }) => {
    const a = await h.makeClientWithToken(authorityId, 'viewer');
    const n = BURST + 3;
    const paths = Array.from({ length: n }, () => 'system.ping').join(',');
    const input = encodeURIComponent(JSON.stringify({}));
    const res = await fetch(`${h.baseUrl}/trpc/${paths}?batch=1&input=${input}`, {
      headers: { authorization: bearer(a.token) },
    });
    const answers = (await res.json()) as { result?: unknown; error?: { data: { httpStatus: number } } }[];
    expect(answers).toHaveLength(n);
    expect(answers.filter((x) => x.result).length).toBe(BURST);
    expect(answers.filter((x) => x.error?.data.httpStatus === 429).length).toBe(n - BURST);
  });

  test('does not spend the rate of an unauthenticated caller: a 401 stays a 401', async ({ h }) => {
    for (let i = 0; i < BURST + 2; i++) expect((await h.trpcGet('system.ping')).status).toBe(401);
  });
});

describe('the token bucket', () => {
  const at = (ms: { now: number }) => () => ms.now;

  test('gives the burst at once, then the sustained rate, and says how long to wait', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter({ perMinute: 120, burst: 3 }, at(clock));
    expect([1, 2, 3].map(() => limiter.take('c').ok)).toEqual([true, true, true]);
    expect(limiter.take('c')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.now = 499;
    expect(limiter.take('c').ok).toBe(false);
    clock.now = 1000; // 120 a minute: one more every 500 ms
    expect(limiter.take('c').ok).toBe(true);
    expect(limiter.take('other').ok).toBe(true);
  });

  test('rounds a long wait up to whole seconds', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter({ perMinute: 6, burst: 1 }, at(clock));
    expect(limiter.take('c').ok).toBe(true);
    expect(limiter.take('c')).toEqual({ ok: false, retryAfterSeconds: 10 });
    clock.now = 2500;
    expect(limiter.take('c')).toEqual({ ok: false, retryAfterSeconds: 8 });
  });

  test('never refills past the burst, and is off at 0', () => {
    const clock = { now: 0 };
    const limiter = new RateLimiter({ perMinute: 60, burst: 2 }, at(clock));
    clock.now = 3_600_000;
    expect([1, 2, 3].map(() => limiter.take('c').ok)).toEqual([true, true, false]);
    const off = new RateLimiter({ perMinute: 0, burst: 1 }, at(clock));
    expect(Array.from({ length: 1000 }, () => off.take('c').ok).every(Boolean)).toBe(true);
  });
});
