// Information leakage (OWASP API8, ASVS 7.1.1 and 8.3): a run that issues and refuses tokens, makes
// and rotates secrets and is refused for bad input logs, at the most verbose level, no secret and no
// token, and no answer or header carries a secret it was not meant to, SQL, a stack trace or the
// names of the software underneath.
import { Writable } from 'node:stream';
import { describe, expect } from 'vitest';
import { createLogger } from '@ccx/server/testing';
import { readAnswer, httpTest as test, type HttpAnswer, type HttpHarness } from '../support/http.js';

const logLines: string[] = [];
/** Every answer of the run, with what it was for. */
const answers: { what: string; answer: HttpAnswer }[] = [];
/** Secrets and tokens that must never appear in a log line. */
const secrets: string[] = [];

const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

const send = async (
  h: HttpHarness,
  what: string,
  url: string,
  init: RequestInit = {},
): Promise<HttpAnswer> => {
  const answer = await readAnswer(await fetch(`${h.baseUrl}${url}`, init));
  answers.push({ what, answer });
  return answer;
};
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const post = (token: string, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test.beforeAll(async ({ h }) => {
  h.hub.log = createLogger('trace', capture);
  const authorityId = (await h.makeAuthority()).id;
  const admin = await h.makeClient(authorityId, 'admin');
  secrets.push(admin.clientSecret);

  // Tokens by both client authentication methods, and refusals of bad secrets.
  const issued = await send(
    h,
    'token (form)',
    '/oauth/token',
    form({ grant_type: 'client_credentials', client_id: admin.client.id, client_secret: admin.clientSecret }),
  );
  const token = (issued.body as { access_token: string }).access_token;
  secrets.push(token);
  const basic = Buffer.from(`${admin.client.id}:${admin.clientSecret}`).toString('base64');
  const viaBasic = await send(h, 'token (basic)', '/oauth/token', {
    ...form({ grant_type: 'client_credentials' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
  });
  secrets.push((viaBasic.body as { access_token: string }).access_token);
  const wrongSecret = 'ccxs_this-is-a-wrong-secret-that-must-not-be-logged';
  secrets.push(wrongSecret);
  await send(
    h,
    'token (bad secret)',
    '/oauth/token',
    form({ grant_type: 'client_credentials', client_id: admin.client.id, client_secret: wrongSecret }),
  );

  // A client and a webhook made, a secret rotated: their secrets travel only in their answers.
  const client = await send(
    h,
    'clients.create',
    '/trpc/clients.create',
    post(token, { name: 'tool', role: 'viewer' }),
  );
  secrets.push((client.body as { result: { data: { clientSecret: string } } }).result.data.clientSecret);
  const hook = await send(
    h,
    'webhooks.create',
    '/trpc/webhooks.create',
    post(token, { url: 'https://receiver.example.org/ccx', eventTypes: ['outcome.published'] }),
  );
  const created = (hook.body as { result: { data: { webhook: { id: string }; secret: string } } }).result
    .data;
  secrets.push(created.secret);
  const rotated = await send(
    h,
    'webhooks.rotateSecret',
    '/trpc/webhooks.rotateSecret',
    post(token, { id: created.webhook.id }),
  );
  secrets.push((rotated.body as { result: { data: { secret: string } } }).result.data.secret);

  // Bad tokens: forged, truncated, in a header and in a subscription's connection parameters.
  const forged = `${token.slice(0, -8)}AAAAAAAA`;
  secrets.push(forged);
  await send(h, 'forged token', '/trpc/authorities.me', { headers: { authorization: `Bearer ${forged}` } });
  await send(h, 'truncated token', '/trpc/authorities.me', {
    headers: { authorization: `Bearer ${token.slice(0, 40)}` },
  });
  await send(
    h,
    'subscription with a bad token',
    `/trpc/events.subscribe?connectionParams=${encodeURIComponent(JSON.stringify({ token: forged }))}`,
  );
  // Client mistakes: bad input, malformed JSON, an unknown record, a forbidden call, an unknown route.
  await send(
    h,
    'bad input',
    '/trpc/provisions.create',
    post(token, { name: "'; select * from clients; --", type: 7 }),
  );
  await send(h, 'malformed JSON', '/trpc/provisions.create', { ...post(token, {}), body: '{"name": ' });
  await send(
    h,
    'unknown record',
    `/trpc/outcomes.get?input=${encodeURIComponent(JSON.stringify({ id: 'nope' }))}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  await send(h, 'forbidden', '/trpc/authorities.create', post(token, { id: 'x', name: 'X' }));
  await send(h, 'unknown route', '/wp-admin/setup.php');
  await send(h, 'REST bad input', '/api/v1/provisions', post(token, { name: 42 }));
});

const LEAKS: [string, RegExp][] = [
  ['a stack trace', /\bat [\w.<>]+ \(|node:internal|\.ts:\d+:\d+|\.js:\d+:\d+/],
  ['SQL', /\b(select|insert|update|delete)\b[^"]{0,80}\b(from|into|set|where)\b/i],
  ['a driver or framework name', /postgres\.js|drizzle|pglite|PostgresError|express|x-powered-by/i],
];

describe('the logs of the run', () => {
  test('were written, at trace level, for every request', () => {
    expect(logLines.length).toBeGreaterThan(answers.length);
    expect(secrets.length).toBeGreaterThanOrEqual(8);
  });

  test('carry no secret and no token, whole or in part', () => {
    for (const line of logLines) {
      for (const secret of secrets) {
        expect(line).not.toContain(secret);
        expect(line).not.toContain(secret.slice(-24));
      }
      expect(line).not.toMatch(/ccxs_|whsec_|Bearer |Basic [A-Za-z0-9+/=]{8}/);
    }
  });

  test('carry no stack trace or SQL for what was the client’s mistake', () => {
    for (const line of logLines) {
      const entry = JSON.parse(line) as { level: number; err?: unknown; stack?: unknown };
      expect(entry.level, line).toBeLessThan(50); // nothing logged as an error
      expect(entry.err, line).toBeUndefined();
      expect(line).not.toMatch(LEAKS[0]![1]);
    }
  });
});

describe('the answers of the run', () => {
  test('were all client errors or successes', () => {
    for (const { what, answer } of answers) expect(answer.status, what).toBeLessThan(500);
  });

  test('carry a secret only where it is handed out, and never in a header', () => {
    const handOut = new Set([
      'token (form)',
      'token (basic)',
      'clients.create',
      'webhooks.create',
      'webhooks.rotateSecret',
    ]);
    for (const { what, answer } of answers) {
      const headers = [...answer.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      for (const secret of secrets) expect(headers, what).not.toContain(secret);
      expect(answer.headers.get('x-powered-by'), what).toBeNull();
      expect(answer.headers.get('server'), what).toBeNull();
      if (!handOut.has(what)) for (const secret of secrets) expect(answer.text, what).not.toContain(secret);
    }
  });

  test('carry no stack trace, SQL or names of the software underneath', () => {
    for (const { what, answer } of answers) {
      // The echoed input is the client's own text, so bad input's SQL-looking name is allowed back.
      const text = answer.text.replace("'; select * from clients; --", '');
      for (const [leak, pattern] of LEAKS) expect(text, `${what}: ${leak}`).not.toMatch(pattern);
      expect(answer.headers.get('cache-control') ?? 'no-store', what).not.toMatch(/public/);
    }
  });
});
