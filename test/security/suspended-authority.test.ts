// A suspended member authority is refused everywhere, with the reason: its API clients' tokens and its
// people's sessions, over tRPC and REST, on reads and writes alike answer 403 "…suspended…" — but for
// the few calls that let it understand why (its own authority, its own sessions, signing out). A live
// event stream stops. Reinstating it lets every call through again.
import { describe, expect } from 'vitest';
import { httpTest as test, type HttpAnswer, type HttpHarness } from '../support/http.js';
import { expectTRPCError, outcomeInput } from '../support/harness.js';

const SUSPENDED = "your authority's membership of the partnership is suspended; contact the hub-admin";

type Credential = { authorization?: string; cookie?: string };

/** A raw request with either a bearer token or a session cookie (and the hub's own Origin for a write). */
const send = async (
  h: HttpHarness,
  method: string,
  path: string,
  who: Credential,
  body?: unknown,
): Promise<HttpAnswer> => {
  const headers: Record<string, string> = { origin: h.baseUrl, 'x-ccx-csrf': '1' };
  if (who.authorization) headers.authorization = who.authorization;
  if (who.cookie) headers.cookie = who.cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
};

const trpcQuery = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

/** What every door is asked, per credential: tRPC queries and a mutation, REST reads and a write. */
const calls = (provisionId: string) =>
  [
    { name: 'tRPC allocations.list', method: 'GET', path: trpcQuery('allocations.list', {}) },
    { name: 'tRPC outcomes.list', method: 'GET', path: trpcQuery('outcomes.list', {}) },
    { name: 'tRPC events.list', method: 'GET', path: trpcQuery('events.list', {}) },
    { name: 'tRPC system.ping', method: 'GET', path: trpcQuery('system.ping') },
    { name: 'tRPC provisions.get', method: 'GET', path: trpcQuery('provisions.get', { id: provisionId }) },
    {
      name: 'tRPC outcomes.create',
      method: 'POST',
      path: '/trpc/outcomes.create',
      body: outcomeInput(provisionId),
    },
    { name: 'REST GET /allocations', method: 'GET', path: '/api/v1/allocations' },
    { name: 'REST GET /outcomes', method: 'GET', path: '/api/v1/outcomes' },
    { name: 'REST HEAD /allocations', method: 'HEAD', path: '/api/v1/allocations' },
    {
      name: 'REST POST /outcomes',
      method: 'POST',
      path: '/api/v1/outcomes',
      body: outcomeInput(provisionId),
    },
  ] as const;

const expectSuspended = (answer: HttpAnswer, what: string) => {
  expect(answer.status, `${what}: ${answer.text}`).toBe(403);
  if (answer.text === '') return; // HEAD: no body
  const message =
    (answer.body as { error?: { message?: string } }).error?.message ??
    (answer.body as { detail?: string }).detail;
  expect(message, what).toBe(SUSPENDED);
};

describe('a suspended authority', () => {
  test('is refused on every door, by token and by session, until it is reinstated', async ({ h }) => {
    const authority = await h.makeAuthority();
    const client = await h.makeClientWithToken(authority.id, 'officer');
    const person = await h.makePerson(authority.id, 'officer');
    const provision = await h.makeProvision();
    const credentials: [string, Credential][] = [
      ['token', { authorization: `Bearer ${client.token}` }],
      ['session', { cookie: person.cookie }],
    ];
    const matrix = calls(provision.id);

    // Active: every call goes through (a write creates a draft).
    for (const [kind, who] of credentials)
      for (const c of matrix) {
        const answer = await send(h, c.method, c.path, who, 'body' in c ? c.body : undefined);
        expect([200, 201], `${kind} ${c.name} while active: ${answer.text}`).toContain(answer.status);
      }

    const suspended = await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: authority.version, status: 'suspended' });

    const draftsBefore = await h.caller(client.principal).outcomes.list({ includeDrafts: true });
    for (const [kind, who] of credentials)
      for (const c of matrix)
        expectSuspended(
          await send(h, c.method, c.path, who, 'body' in c ? c.body : undefined),
          `${kind} ${c.name}`,
        );
    // The refused writes wrote nothing.
    const draftsAfter = await h.caller(client.principal).outcomes.list({ includeDrafts: true });
    expect(draftsAfter.items.length).toBe(draftsBefore.items.length);

    // What lets it understand why: its own authority (whose status says so), and the person's session.
    const me = await send(h, 'GET', trpcQuery('authorities.me'), credentials[0]![1]);
    expect(me.status).toBe(200);
    expect(me.text).toContain('"status":"suspended"');
    const restMe = await send(h, 'GET', '/api/v1/authorities/me', credentials[1]![1]);
    expect(restMe.status, restMe.text).toBe(200);
    expect((await send(h, 'GET', trpcQuery('auth.me'), credentials[1]![1])).status).toBe(200);

    // A new token is not issued to it.
    const refusedToken = await h.requestToken({
      form: {
        grant_type: 'client_credentials',
        client_id: client.client.id,
        client_secret: client.clientSecret,
      },
    });
    expect(refusedToken.status).toBe(401);

    await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: suspended.version, status: 'active' });
    for (const [kind, who] of credentials)
      for (const c of matrix.filter((m) => m.method !== 'POST')) {
        const answer = await send(h, c.method, c.path, who);
        expect(answer.status, `${kind} ${c.name} once reinstated: ${answer.text}`).toBe(200);
      }

    // Signing out still works while suspended (suspended again, for that).
    const again = await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: suspended.version + 1, status: 'suspended' });
    expect(again.status).toBe('suspended');
    const signOut = await send(h, 'POST', '/trpc/auth.signOut', credentials[1]![1], {});
    expect(signOut.status, signOut.text).toBe(200);
    const afterSignOut = await send(h, 'GET', trpcQuery('auth.me'), credentials[1]![1]);
    expect(afterSignOut.status).toBe(401);
  });

  test('an authority that left is not told it is suspended: its token is simply not valid', async ({ h }) => {
    const authority = await h.makeAuthority();
    const client = await h.makeClientWithToken(authority.id, 'officer');
    await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: authority.version, status: 'left' });
    const answer = await send(h, 'GET', trpcQuery('allocations.list', {}), {
      authorization: `Bearer ${client.token}`,
    });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('suspended');
  });

  test("a live event stream ends once the subscriber's authority is suspended", async ({ h }) => {
    const authority = await h.makeAuthority();
    const officer = (await h.makeClient(authority.id, 'officer')).principal;
    const stream = await h.caller(officer).events.subscribe({});
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: authority.version, status: 'suspended' });
    const error = await expectTRPCError(next, 'FORBIDDEN');
    expect(error.message).toBe(SUSPENDED);
  });
});
