// Brute force at the token endpoint (OWASP API2, ASVS 2.2.1): failures past the first few are
// answered slowly, too many in the window lock the client id (429 with Retry-After, even for the
// right secret) until the lock runs out, parallel guesses cannot race past the limit, and an unknown
// id is treated exactly like a known one.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { METRICS_HEADERS } from '../support/harness.js';
import { httpTest as test, type HttpAnswer, type HttpHarness, type OAuthError } from '../support/http.js';

const MAX_FAILURES = 5;
const LOCK_SECONDS = 2;
const DELAY_MS = 60;

let authorityId: string;

test.override({
  hubEnv: {
    CCX_TOKEN_MAX_FAILURES: String(MAX_FAILURES),
    CCX_TOKEN_LOCK: `${LOCK_SECONDS}s`,
    CCX_TOKEN_FAILURE_WINDOW: '10m',
    CCX_TOKEN_FAILURE_DELAY_MS: String(DELAY_MS),
  },
});
test.beforeAll(async ({ h }) => {
  authorityId = (await h.makeAuthority()).id;
});

const attempt = async (h: HttpHarness, id: string, secret: string): Promise<HttpAnswer & { ms: number }> => {
  const started = performance.now();
  const answer = await h.requestToken({
    form: { grant_type: 'client_credentials', client_id: id, client_secret: secret },
  });
  return { ...answer, ms: performance.now() - started };
};

const newClient = async (h: HttpHarness) => {
  const created = await h.makeClient(authorityId, 'officer');
  return { id: created.client.id, secret: created.clientSecret };
};

/** Status, Retry-After presence and error code: what an attacker can observe apart from time. */
const shape = (a: HttpAnswer) => ({
  status: a.status,
  retryAfter: a.headers.get('retry-after') !== null,
  error: (a.body as OAuthError).error,
});

describe('failed attempts for one client id', () => {
  test('are answered at once for the first three, then ever more slowly', async ({ h }) => {
    const client = await newClient(h);
    const answers = [];
    for (let i = 0; i < MAX_FAILURES; i++) answers.push(await attempt(h, client.id, 'ccxs_wrong'));
    expect(answers.map((a) => a.status)).toEqual(Array(MAX_FAILURES).fill(401));
    // The 4th waits DELAY_MS and the 5th twice that; the first three wait nothing.
    expect(answers[3]!.ms).toBeGreaterThanOrEqual(DELAY_MS);
    expect(answers[4]!.ms).toBeGreaterThanOrEqual(2 * DELAY_MS);
  });

  test('lock the id once past the limit: even the right secret gets 429 with Retry-After until the lock runs out', async ({
    h,
  }) => {
    const client = await newClient(h);
    const early = await h.getToken(client.id, client.secret);
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await attempt(h, client.id, 'ccxs_wrong')).status).toBe(401);
    const locked = await attempt(h, client.id, 'ccxs_wrong');
    expect(locked.status).toBe(429);
    const body = locked.body as OAuthError;
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/too many failed attempts/);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
    expect(locked.text).not.toContain('access_token');

    const right = await attempt(h, client.id, client.secret);
    expect(right.status).toBe(429);
    expect(right.text).not.toContain('access_token');

    // A token issued before the lock still works: the lock guards the endpoint, not the client.
    expect((await h.trpcGet('authorities.me', `Bearer ${early}`)).status).toBe(200);

    await sleep(LOCK_SECONDS * 1000 + 300);
    expect((await attempt(h, client.id, client.secret)).status).toBe(200);
    // A success starts the id afresh: the next failure is answered at once, not slowed.
    const after = await attempt(h, client.id, 'ccxs_wrong');
    expect(after.status).toBe(401);
    expect(after.ms).toBeLessThan(DELAY_MS * 4);
  });

  test('do not touch another client id', async ({ h }) => {
    const victim = await newClient(h);
    const bystander = await newClient(h);
    for (let i = 0; i <= MAX_FAILURES; i++) await attempt(h, victim.id, 'ccxs_wrong');
    expect((await attempt(h, victim.id, victim.secret)).status).toBe(429);
    expect((await attempt(h, bystander.id, bystander.secret)).status).toBe(200);
  });

  test('cannot race past the limit in parallel: at most the limit are checked, the rest are refused as locked', async ({
    h,
  }) => {
    const client = await newClient(h);
    const answers = await Promise.all(Array.from({ length: 30 }, () => attempt(h, client.id, 'ccxs_wrong')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30 - MAX_FAILURES);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect((await attempt(h, client.id, client.secret)).status).toBe(429);
  });

  test('behave the same for an id that does not exist, so the lock does not reveal which ids do', async ({
    h,
  }) => {
    const known = await newClient(h);
    const unknownId = `ccx_${'0'.repeat(20)}`;
    const knownAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i <= MAX_FAILURES; i++) {
      knownAnswers.push(shape(await attempt(h, known.id, 'ccxs_wrong')));
      unknownAnswers.push(shape(await attempt(h, unknownId, 'ccxs_wrong')));
    }
    expect(unknownAnswers).toEqual(knownAnswers);
    expect(knownAnswers.at(-1)).toEqual({ status: 429, retryAfter: true, error: 'invalid_client' });
  });

  test('are counted in the metrics as refused and locked', async ({ h }) => {
    const metrics = await (await fetch(`${h.baseUrl}/metrics`, { headers: METRICS_HEADERS })).text();
    expect(metrics).toMatch(/ccx_token_requests_total\{result="refused"\} [1-9]/);
    expect(metrics).toMatch(/ccx_token_requests_total\{result="locked"\} [1-9]/);
    expect(metrics).toMatch(/ccx_token_requests_total\{result="issued"\} [1-9]/);
  });
});
