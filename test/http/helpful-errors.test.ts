// Errors that help, over real HTTP on both doors (/trpc and REST /api/v1): an input that fits none of
// a union's forms says what to give; an unknown field is refused (nothing written) naming the field it
// was probably meant to be; input that is not JSON says where it broke without echoing it; an expired
// token is told apart from an invalid one (and only a genuine one is called expired); an unknown
// procedure or route names the nearest real one.
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, type JWTPayload } from 'jose';
import { describe, expect } from 'vitest';
import type { Role } from '@ccx/schema';
import { httpTest as test, readAnswer, type HttpAnswer, type HttpHarness } from '../support/http.js';
import { uniq } from '../support/harness.js';

type Issue = { path: string; message: string; code?: string };
type TrpcError = { error: { message: string; data: { code: string; httpStatus: number; issues?: Issue[] } } };
type Problem = { status: number; code: string; detail: string; issues?: Issue[] };

const EXPIRED = 'the access token has expired; get a new one from /oauth/token';
const NOT_VALID = 'the access token is not valid';

let baseUrl: string;
const tokens = {} as Record<Role, string>;
let authorityId: string;
let provision: { id: string; urn: string | null };
let officerClaims: JWTPayload;

const send = async (path: string, init: RequestInit & { token?: string | undefined } = {}) => {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (typeof rest.body === 'string' && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const answer = await readAnswer(await fetch(`${baseUrl}${path}`, { ...rest, headers }));
  // No answer ever carries a stack trace.
  expect(answer.text).not.toMatch(/\n\s+at .*:\d+:\d+/);
  return answer;
};

const trpcQuery = (procedure: string, input: unknown, token = tokens.officer) =>
  send(
    `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
    { token },
  );
const trpcMutation = (procedure: string, body: unknown, token = tokens.officer) =>
  send(`/trpc/${procedure}`, {
    method: 'POST',
    token,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const rest = (method: string, path: string, body?: unknown, token = tokens.officer) =>
  send(`/api/v1${path}`, {
    method,
    token,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const trpcErrorOf = (answer: HttpAnswer, status: number) => {
  expect(answer.status, answer.text).toBe(status);
  return (answer.body as TrpcError).error;
};
const problemOf = (answer: HttpAnswer, status: number): Problem => {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return answer.body as Problem;
};

test.beforeAll(async ({ h }) => {
  baseUrl = h.baseUrl;
  authorityId = (await h.makeAuthority()).id;
  for (const role of ['viewer', 'officer', 'admin'] as const)
    tokens[role] = (await h.makeClientWithToken(authorityId, role)).token;
  tokens['hub-admin'] = (await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin')).token;
  const urn = `SC${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  provision = await h.makeProvision({ urn });
  officerClaims = decodeJwt(tokens.officer);
});

describe('an input that fits none of the alternatives says what to give', () => {
  test('checks.placement with neither field: give either provisionId or urn, on /trpc and REST', async () => {
    const viaTrpc = trpcErrorOf(await trpcQuery('checks.placement', {}), 400);
    expect(viaTrpc.message).toBe('invalid input: give either provisionId or urn');
    expect(viaTrpc.data.issues).toEqual([
      { path: '(input)', message: 'give either provisionId or urn', code: 'invalid_union' },
    ]);
    const viaRest = problemOf(await rest('GET', '/checks/placement'), 400);
    expect(viaRest.detail).toBe('invalid input: give either provisionId or urn');
    expect(viaRest.issues?.[0]).toMatchObject({ path: '(input)', message: 'give either provisionId or urn' });
  });

  test('both fields at once: not both', async () => {
    const both = { provisionId: provision.id, urn: provision.urn };
    expect(trpcErrorOf(await trpcQuery('checks.placement', both), 400).message).toBe(
      'invalid input: give either provisionId or urn, not both',
    );
    const viaRest = problemOf(
      await rest('GET', `/checks/placement?provisionId=${provision.id}&urn=${provision.urn}`),
      400,
    );
    expect(viaRest.detail).toContain('give either provisionId or urn, not both');
  });

  test('each item of a batch, by its place in the list', async () => {
    const body = { items: [{ provisionId: provision.id }, {}] };
    const viaTrpc = trpcErrorOf(await trpcMutation('checks.placementMany', body), 400);
    expect(viaTrpc.data.issues).toEqual([
      { path: 'items.1', message: 'give either provisionId or urn', code: 'invalid_union' },
    ]);
    const viaRest = problemOf(await rest('POST', '/checks/placement/batch', body), 400);
    expect(viaRest.issues?.[0]).toMatchObject({ path: 'items.1', message: 'give either provisionId or urn' });
  });

  test('access.explain names each form, a provision or a record', async () => {
    const expected = 'give either provisionId or recordType and recordId';
    expect(trpcErrorOf(await trpcQuery('access.explain', {}), 400).data.issues?.[0]?.message).toBe(expected);
    expect(problemOf(await rest('GET', '/access/explain'), 400).detail).toContain(expected);
    // A form half given is answered for that form's missing field.
    const half = trpcErrorOf(await trpcQuery('access.explain', { recordType: 'outcome' }), 400);
    expect(half.message).toContain('give either provisionId or recordType and recordId');
  });

  test('a value of the right form but wrong is still named field by field', async () => {
    const error = trpcErrorOf(await trpcQuery('checks.placement', { urn: 'not a urn' }), 400);
    expect(error.data.issues?.map((i) => i.path)).toEqual(['urn']);
    expect(error.data.issues?.[0]?.message).toMatch(/Ofsted URN/);
  });
});

describe('an unknown field is refused, naming the one probably meant', () => {
  test('a typo in a query: limt for limit', async () => {
    const error = trpcErrorOf(await trpcQuery('providers.search', { q: 'x', limt: 5 }), 400);
    expect(error.data.issues).toEqual([
      { path: 'limt', message: 'unknown field "limt" — did you mean "limit"?', code: 'unrecognized_keys' },
    ]);
    expect(error.message).toBe('invalid input: limt: unknown field "limt" — did you mean "limit"?');
    const check = trpcErrorOf(await trpcQuery('checks.placement', { urn: provision.urn, limt: 5 }), 400);
    expect(check.data.issues).toEqual([
      { path: 'limt', message: 'unknown field "limt"', code: 'unrecognized_keys' },
    ]);
  });

  test('a field the procedure does not take, with nothing like it: no guess', async () => {
    const error = trpcErrorOf(await trpcQuery('providers.search', { colour: 'blue', shade: 1 }), 400);
    expect(error.data.issues).toEqual([
      { path: 'colour', message: 'unknown field "colour"', code: 'unrecognized_keys' },
      { path: 'shade', message: 'unknown field "shade"', code: 'unrecognized_keys' },
    ]);
  });

  test('placements.declare with authorityId: refused on both doors, and nothing is written', async ({
    h,
  }) => {
    const provisionId = (await h.makeProvision()).id;
    const declared = async () =>
      (
        await h
          .caller({ clientId: 'x', authorityId, role: 'officer', tokenId: 'x' })
          .placements.mine({ includeEnded: true })
      ).filter((p) => p.provisionId === provisionId).length;
    const body = { provisionId, children: 1, authorityId: 'someone-else' };
    const viaTrpc = trpcErrorOf(await trpcMutation('placements.declare', body), 400);
    expect(viaTrpc.data.issues).toEqual([
      { path: 'authorityId', message: 'unknown field "authorityId"', code: 'unrecognized_keys' },
    ]);
    const viaRest = problemOf(await rest('POST', '/placements', body), 400);
    expect(viaRest.issues).toEqual([
      { path: 'authorityId', message: 'unknown field "authorityId"', code: 'unrecognized_keys' },
    ]);
    expect(await declared()).toBe(0);
    // The same body without the stray field is accepted, so it was the field that was refused.
    const { authorityId: _stray, ...good } = body;
    expect((await trpcMutation('placements.declare', good)).status).toBe(200);
    expect(await declared()).toBe(1);
  });

  test('in a nested object: an action item of an outcome, by its path', async ({ h }) => {
    const provisionId = (await h.makeProvision()).id;
    const body = {
      provisionId,
      activityType: 'monitoring-visit',
      activityDate: '2026-01-10',
      overallRating: 2,
      summary: 'A visit',
      actionItems: [{ description: 'Fix the door', concernLevel: 'low', dueon: '2026-02-01' }],
    };
    const expected = {
      path: 'actionItems.0.dueon',
      message: 'unknown field "dueon" — did you mean "dueOn"?',
      code: 'unrecognized_keys',
    };
    expect(trpcErrorOf(await trpcMutation('outcomes.create', body), 400).data.issues).toEqual([expected]);
    expect(problemOf(await rest('POST', '/outcomes', body), 400).issues).toEqual([expected]);
    const listed = await h
      .caller({ clientId: 'x', authorityId, role: 'officer', tokenId: 'x' })
      .outcomes.listForProvision({ provisionId, includeDrafts: true });
    expect(listed).toHaveLength(0);
  });

  test('a name cut short is matched to the field it begins', async () => {
    const error = trpcErrorOf(
      await trpcMutation('providers.create', { name: `P ${uniq()}`, idempotency: 'abcdefgh1' }),
      400,
    );
    expect(error.data.issues?.[0]?.message).toBe(
      'unknown field "idempotency" — did you mean "idempotencyKey"?',
    );
  });

  test('an unknown query parameter on REST, with the nearest the route takes', async () => {
    const typo = problemOf(await rest('GET', '/providers?q=x&limt=5'), 400);
    expect(typo.issues).toEqual([
      { path: 'limt', message: 'unknown query parameter "limt" — did you mean "limit"?', code: 'custom' },
    ]);
    // limit and cursor are refused too where a route does not page, rather than silently ignored.
    const notPaged = problemOf(await rest('GET', `/checks/placement?urn=${provision.urn}&limit=5`), 400);
    expect(notPaged.issues?.[0]).toMatchObject({ path: 'limit', message: 'unknown query parameter "limit"' });
    expect((await rest('GET', '/providers?q=x&limit=5')).status).toBe(200);
  });

  test('the OpenAPI document says so: request bodies allow no other properties', async () => {
    const doc = (await send('/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    const deref = (schema: unknown): Record<string, unknown> => {
      const ref = (schema as { $ref?: string }).$ref;
      return ref ? deref(doc.components.schemas[ref.split('/').pop()!]) : (schema as Record<string, unknown>);
    };
    // Every request body of every route, and the objects inside it (an outcome's action items).
    const open: string[] = [];
    const walk = (schema: unknown, where: string, seen: Set<unknown>): void => {
      const s = deref(schema);
      if (!s || typeof s !== 'object' || seen.has(s)) return;
      seen.add(s);
      if (s.type === 'object' && s.properties && s.additionalProperties !== false) open.push(where);
      for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
        walk(sub, `${where}.${name}`, seen);
      if (s.items) walk(s.items, `${where}[]`, seen);
      for (const key of ['anyOf', 'oneOf', 'allOf'])
        for (const [i, sub] of ((s[key] ?? []) as unknown[]).entries()) walk(sub, `${where}|${i}`, seen);
    };
    let bodies = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const body = op.requestBody?.content['application/json']?.schema;
        if (body === undefined) continue;
        bodies++;
        walk(body, `${method.toUpperCase()} ${path}`, new Set());
      }
    expect(bodies).toBeGreaterThan(20);
    expect(open).toEqual([]);
    const declare = deref(
      doc.paths['/api/v1/placements']?.post?.requestBody?.content['application/json']?.schema,
    );
    expect(declare.additionalProperties).toBe(false);
  });
});

describe('input that is not JSON says where it broke, and nothing of what was sent', () => {
  test('a body on /trpc', async () => {
    const answer = await trpcMutation('providers.create', '{"name": "unterminated secret');
    const error = trpcErrorOf(answer, 400);
    expect(error.message).toMatch(/^the request body is not valid JSON: at position \d+/);
    expect(error.data.issues?.[0]).toMatchObject({ path: '(input)', code: 'invalid_json' });
    expect(answer.text).not.toContain('secret');
  });

  test('the input query parameter on /trpc', async () => {
    const answer = await send(`/trpc/providers.search?input=${encodeURIComponent('{nope-secret')}`, {
      token: tokens.officer,
    });
    const error = trpcErrorOf(answer, 400);
    expect(error.message).toMatch(/^the input query parameter is not valid JSON: /);
    expect(answer.text).not.toContain('nope-secret');
  });

  test('a body on REST, and a large one is never echoed', async () => {
    const cut = problemOf(await rest('POST', '/providers', '{"name": '), 400);
    expect(cut.detail).toMatch(/^the request body is not valid JSON: /);
    const large = await rest('POST', '/providers', `{"name": ${'x'.repeat(20_000)}}`);
    expect(problemOf(large, 400).detail).toBe("the request body is not valid JSON: unexpected character 'x'");
    expect(large.text.length).toBeLessThan(1000);
    expect(large.text).not.toContain('xxxxxxxx');
  });
});

describe('an expired token is told apart from an invalid one', () => {
  const forgeExpired = async (h: HttpHarness, claims: Record<string, unknown> = {}) => {
    const { kid, key } = await h.hub.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const { iat: _iat, exp: _exp, ...rest } = officerClaims;
    return new SignJWT({ ...rest, iat: now - 7200, exp: now - 3600, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(key);
  };
  const challenge = (message: string) =>
    `Bearer realm="ccx", error="invalid_token", error_description="${message}"`;

  test('on /trpc, REST and a live subscription', async ({ h }) => {
    const expired = await forgeExpired(h);
    const viaTrpc = await trpcQuery('authorities.me', undefined, expired);
    expect(trpcErrorOf(viaTrpc, 401).message).toBe(EXPIRED);
    expect(viaTrpc.headers.get('www-authenticate')).toBe(challenge(EXPIRED));

    const viaRest = await rest('GET', '/authorities/me', undefined, expired);
    expect(problemOf(viaRest, 401).detail).toBe(EXPIRED);
    expect(viaRest.headers.get('www-authenticate')).toBe(challenge(EXPIRED));

    const live = await send('/trpc/events.subscribe?input=%7B%7D', { token: expired });
    expect(trpcErrorOf(live, 401).message).toBe(EXPIRED);
    expect(live.headers.get('www-authenticate')).toBe(challenge(EXPIRED));
  });

  test('a garbage, tampered or foreign token is only "not valid", even when it has expired too', async ({
    h,
  }) => {
    const expired = await forgeExpired(h);
    const [head, body] = expired.split('.');
    const candidates = [
      'garbage',
      `${head}.${body}.${'A'.repeat(86)}`,
      await forgeExpired(h, { aud: 'another-api' }),
      await forgeExpired(h, { iss: 'https://elsewhere.example' }),
      await forgeExpired(h, { role: 'hub-admin' }),
    ];
    for (const token of candidates) {
      const viaTrpc = await trpcQuery('authorities.me', undefined, token);
      expect(trpcErrorOf(viaTrpc, 401).message).toBe(NOT_VALID);
      expect(viaTrpc.headers.get('www-authenticate')).toBe(challenge(NOT_VALID));
      const viaRest = await rest('GET', '/authorities/me', undefined, token);
      expect(problemOf(viaRest, 401).detail).toBe(NOT_VALID);
      expect(viaRest.text).not.toMatch(/expir/i);
      const live = await send('/trpc/events.subscribe?input=%7B%7D', { token });
      expect(trpcErrorOf(live, 401).message).toBe(NOT_VALID);
    }
  });

  test('no token at all still asks for one', async () => {
    const answer = await trpcQuery('authorities.me', undefined, '');
    expect(trpcErrorOf(answer, 401).message).toMatch(/an access token is required/);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ccx"');
  });
});

describe('an unknown procedure or route names the nearest real one', () => {
  test('a procedure on /trpc', async () => {
    const error = trpcErrorOf(await trpcQuery('checks.placment', { urn: provision.urn }), 404);
    expect(error.message).toBe('no procedure "checks.placment" — did you mean "checks.placement"?');
    expect(error.data.code).toBe('NOT_FOUND');
    const far = trpcErrorOf(await send('/trpc/nothing.like.it', { method: 'POST', body: '{}' }), 404);
    expect(far.message).toBe('no procedure "nothing.like.it"');
  });

  test('a REST route', async () => {
    const near = problemOf(await rest('GET', `/check/placement?urn=${provision.urn}`), 404);
    expect(near.detail).toBe(
      'no route for GET /api/v1/check/placement — did you mean "/api/v1/checks/placement"?',
    );
    const withId = problemOf(await rest('GET', `/provision/${provision.id}`), 404);
    expect(withId.detail).toContain(`did you mean "/api/v1/provisions/${provision.id}"?`);
    const far = problemOf(await rest('GET', `/${randomUUID()}`), 404);
    expect(far.detail).not.toContain('did you mean');
  });

  test('any other path; and no guess for a path like none', async () => {
    expect((await send('/')).body).toMatchObject({ message: 'no route for GET /' });
    const answer = await send('/healthzz');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      error: 'not_found',
      message: 'no route for GET /healthzz — did you mean "/healthz"?',
    });
  });
});
