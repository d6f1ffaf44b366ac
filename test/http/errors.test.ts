// Error behaviour over real HTTP: bad input field by field (400), unknown procedures and records
// (404), oversized bodies (413) and batches (400), and unexpected failures (500) that say nothing
// but "internal error" and the request id. No answer ever carries a stack trace.
import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { PLACEMENT_IMPORT_MAX_ROWS, type Role } from '@ccx/schema';
import { appRouter, type AppRouter } from '@ccx/server';
import { ownerDbOf } from '@ccx/server/testing';
import { METRICS_HEADERS } from '../support/harness.js';
import { httpTest as test, readAnswer } from '../support/http.js';

type Issue = { path: string; message: string; code?: string };
type ErrorBody = {
  error: {
    message: string;
    code: number;
    data: { code: string; httpStatus: number; path?: string; requestId?: string; issues?: Issue[] };
  };
};
type Answer = { status: number; headers: Headers; text: string; body: unknown };

const MAX_BATCH = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let baseUrl: string;
let answersChecked = 0;
const tokens = {} as Record<Role | 'otherAdmin', string>;
let memberId: string;

/** Fails if a JSON value carries a "stack" anywhere, at any depth. */
const assertNoStack = (value: unknown, where: string): void => {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoStack(v, `${where}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      expect(k, `${where} has a stack`).not.toBe('stack');
      assertNoStack(v, `${where}.${k}`);
    }
  }
};

/** Every request of this file goes through here, so every answer is checked for stack traces. */
const request = async (path: string, init: RequestInit = {}): Promise<Answer> => {
  const { status, headers, text, body } = await readAnswer(await fetch(`${baseUrl}${path}`, init));
  assertNoStack(body, `${init.method ?? 'GET'} ${path}`);
  expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack-trace lines in any form
  answersChecked++;
  return { status, headers, text, body };
};

const auth = (token: string | undefined, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  ...extra,
});

const query = (procedure: string, input: unknown, token?: string, headers: Record<string, string> = {}) =>
  request(
    `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
    { headers: auth(token, headers) },
  );

const mutate = (procedure: string, body: unknown, token?: string, headers: Record<string, string> = {}) =>
  request(`/trpc/${procedure}`, {
    method: 'POST',
    headers: auth(token, { 'content-type': 'application/json', ...headers }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const errorOf = (a: Answer): ErrorBody['error'] => {
  expect(a.body, a.text).toHaveProperty('error');
  return (a.body as ErrorBody).error;
};

test.override({ hubEnv: { CCX_MAX_BATCH_SIZE: String(MAX_BATCH) } });
// Tokens of each role of a member authority, the hub-admin's, and another authority's admin's.
test.beforeAll(async ({ h }) => {
  baseUrl = h.baseUrl;

  memberId = (await h.makeAuthority()).id;
  const other = (await h.makeAuthority()).id;
  const issue = async (authorityId: string, role: Role) => {
    const { principal } = await h.makeClient(authorityId, role);
    return (await h.hub.tokens.issue(principal)).token;
  };
  tokens.viewer = await issue(memberId, 'viewer');
  tokens.officer = await issue(memberId, 'officer');
  tokens.admin = await issue(memberId, 'admin');
  tokens['hub-admin'] = await issue(h.hostAuthorityId, 'hub-admin');
  tokens.otherAdmin = await issue(other, 'admin');
});

describe('bad input: 400 with the issues field by field', () => {
  test('names every bad field of provisions.create, with its message', async () => {
    const a = await mutate(
      'provisions.create',
      {
        providerId: randomUUID(),
        name: '   ',
        urn: 'NOT-A-URN',
        type: 'childrens-home',
        hostAuthorityId: memberId,
      },
      tokens['hub-admin'],
    );
    expect(a.status).toBe(400);
    const error = errorOf(a);
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, path: 'provisions.create' });
    const issues = error.data.issues ?? [];
    expect(issues.map((i) => i.path).sort()).toEqual(['name', 'urn']);
    expect(issues.find((i) => i.path === 'name')?.message).toBe('must not be empty');
    expect(issues.find((i) => i.path === 'urn')?.message).toMatch(/Ofsted URN/);
    expect(error.message).toMatch(/name: must not be empty/);
    expect(error.message).toMatch(/urn: must be an Ofsted URN/);
    expect(error.data.requestId).toBe(a.headers.get('x-request-id'));
  });

  test('names missing, mistyped and out-of-range fields', async () => {
    const a = await mutate(
      'provisions.create',
      { name: 'x'.repeat(201), type: 'castle', hostAuthorityId: 'Not A Slug', ofstedGradeDate: '2025-13-45' },
      tokens['hub-admin'],
    );
    expect(a.status).toBe(400);
    const paths = (errorOf(a).data.issues ?? []).map((i) => i.path).sort();
    expect(paths).toEqual(['hostAuthorityId', 'name', 'ofstedGradeDate', 'providerId', 'type']);
  });

  test('answers input that is not an object at all with an issue for the whole input', async () => {
    const a = await mutate('providers.create', '"hello"', tokens.officer);
    expect(a.status).toBe(400);
    expect(errorOf(a).data.issues?.[0]?.path).toBe('(input)');
  });

  test('answers malformed JSON with 400, not 500', async () => {
    const a = await mutate('providers.create', '{"name": "unterminated', tokens.officer);
    expect(a.status).toBe(400);
    expect(['PARSE_ERROR', 'BAD_REQUEST']).toContain(errorOf(a).data.code);
    const q = await request(`/trpc/providers.search?input=${encodeURIComponent('{nope')}`, {
      headers: auth(tokens.viewer),
    });
    expect(q.status).toBe(400);
  });

  test('answers text the database cannot hold (a NUL character) with 400, not 500', async () => {
    const a = await query('provisions.search', { q: 'a\u0000b' }, tokens.viewer);
    expect(a.status).toBe(400);
    const b = await mutate('providers.create', { name: 'Nul\u0000Ltd' }, tokens.officer);
    expect(b.status).toBe(400);
    expect(errorOf(b).message).toMatch(/NUL/);
  });

  test('gives a real tRPC client the issues as typed error data', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${baseUrl}/trpc`,
          headers: { authorization: `Bearer ${tokens['hub-admin']}` },
        }),
      ],
    });
    const provider = await client.providers.create.mutate({ name: 'Typed Client Ltd' });
    expect(provider.name).toBe('Typed Client Ltd');
    let caught: unknown;
    try {
      await client.provisions.create.mutate({
        providerId: provider.id,
        name: '',
        urn: 'bad',
        type: 'childrens-home',
        hostAuthorityId: memberId,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TRPCClientError);
    const err = caught as TRPCClientError<AppRouter>;
    expect(err.data?.httpStatus).toBe(400);
    expect(err.data?.code).toBe('BAD_REQUEST');
    expect(err.data && 'issues' in err.data ? err.data.issues.map((i) => i.path).sort() : []).toEqual([
      'name',
      'urn',
    ]);
    expect(err.data && 'stack' in err.data).toBe(false);
    // Nothing was created.
    const page = await client.provisions.search.query({ providerId: provider.id });
    expect(page.items).toEqual([]);
  });
});

describe('status codes', () => {
  test('answers an unknown procedure with 404', async () => {
    const q = await query('provisions.nonexistent', {}, tokens.viewer);
    expect(q.status).toBe(404);
    expect(errorOf(q).data.code).toBe('NOT_FOUND');
    const m = await mutate('nothing.here', {}, tokens.viewer);
    expect(m.status).toBe(404);
    const anon = await query('nothing.here', undefined);
    expect(anon.status).toBe(404);
  });

  test('answers an unknown route with 404', async () => {
    const a = await request('/nowhere');
    expect(a.status).toBe(404);
    expect(a.body).toMatchObject({ error: 'not_found' });
  });

  test('answers an unknown record with 404, the same whether missing or hidden', async ({ h }) => {
    const id = randomUUID();
    const a = await query('provisions.get', { id }, tokens.viewer);
    expect(a.status).toBe(404);
    expect(errorOf(a)).toMatchObject({ message: `provision ${id} not found`, data: { code: 'NOT_FOUND' } });
    expect((await query('providers.get', { id: randomUUID() }, tokens.viewer)).status).toBe(404);
    expect((await query('authorities.get', { id: 'atlantis' }, tokens.viewer)).status).toBe(404);

    // Another authority's client is hidden from an authority admin: 404, as for one that does not exist.
    const { client } = await h.makeClient(memberId, 'viewer', 'hidden from the other admin');
    const hidden = await mutate('clients.revoke', { id: client.id }, tokens.otherAdmin);
    const missing = await mutate('clients.revoke', { id: 'ccx_00000000000000000000' }, tokens.otherAdmin);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(errorOf(hidden).message.replace(client.id, '…')).toBe(
      errorOf(missing).message.replace('ccx_00000000000000000000', '…'),
    );
  });

  test('answers a forbidden action with 403 and the reason, and a stale version with 409', async ({ h }) => {
    const host = await query('authorities.get', { id: h.hostAuthorityId }, tokens.viewer);
    const version = (host.body as { result: { data: { version: number } } }).result.data.version;
    const f = await mutate(
      'authorities.update',
      { id: h.hostAuthorityId, version, status: 'suspended' },
      tokens['hub-admin'],
    );
    expect(f.status).toBe(403);
    expect(errorOf(f).message).toMatch(/host authority/);

    const role = await mutate('providers.create', { name: 'Viewer Ltd' }, tokens.viewer);
    expect(role.status).toBe(403);
    expect(errorOf(role).message).toMatch(/officer/);

    // A provider's name is the hub-admin's or a host's of one of its settings: another member's officer
    // is refused, and told to propose a correction instead.
    const p = await h.makeProvider();
    const notHost = await mutate('providers.update', { id: p.id, version: 1, name: 'New' }, tokens.officer);
    expect(notHost.status).toBe(403);
    expect(errorOf(notHost).message).toMatch(/providers\.proposeCorrection/);

    await h.makeProvision({ providerId: p.id, hostAuthorityId: memberId });
    const ok = await mutate('providers.update', { id: p.id, version: 1, name: 'New' }, tokens.officer);
    expect(ok.status).toBe(200);
    const stale = await mutate('providers.update', { id: p.id, version: 1, name: 'Old' }, tokens.officer);
    expect(stale.status).toBe(409);
    expect(errorOf(stale).message).toMatch(/current version is 2/);
  });

  test('answers every procedure with 401 and a Bearer challenge when no token is sent', async () => {
    const procedures = // Typed as the nested router record, but at run time a flat record of dotted paths.
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    // The ways in (signing in, a link's set-up, single sign-on discovery) need no token: they are
    // what a person without one calls (test/api/people).
    const WAYS_IN = [
      'auth.signIn',
      'auth.secondFactor',
      'auth.acceptLink',
      'auth.confirmTotp',
      'auth.ssoFor',
      'passkeys.signInOptions',
      'passkeys.signIn',
    ];
    const paths = Object.keys(procedures).filter((p) => !WAYS_IN.includes(p));
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const a = procedures[path]!._def.type === 'mutation' ? await mutate(path, {}) : await query(path, {});
      expect(a.status, path).toBe(401);
      expect(a.headers.get('www-authenticate'), path).toBe('Bearer realm="ccx"');
      expect(errorOf(a).data.code, path).toBe('UNAUTHORIZED');
    }
  });
});

describe('size limits', () => {
  test('runs with the default 4 MiB body limit, which a full yearly import fits', ({ h }) => {
    expect(h.config.maxBodyBytes).toBe(4 * 1024 * 1024);
    expect(h.config.maxBatchSize).toBe(MAX_BATCH);
    // The largest import the contract allows, each row naming its provision both ways.
    const rows = Array.from({ length: PLACEMENT_IMPORT_MAX_ROWS }, (_, i) => ({
      provisionId: randomUUID(),
      urn: `SC${String(100000 + i)}`,
      children: 500,
      fromDate: '2026-04-01',
    }));
    const body = JSON.stringify({ rows, dryRun: false, endMissing: true, asOf: '2026-04-01' });
    expect(Buffer.byteLength(body)).toBeLessThan(h.config.maxBodyBytes);
  });

  test('refuses a 5 MB body with 413', async () => {
    const a = await mutate('providers.create', { name: 'x'.repeat(5 * 1024 * 1024) }, tokens.officer);
    expect(a.status).toBe(413);
    expect(errorOf(a).data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(a.text.length).toBeLessThan(2000);
  });

  test('reads a body under the limit, and refuses its oversized field by validation (400)', async () => {
    const a = await mutate('providers.create', { name: 'x'.repeat(900 * 1024) }, tokens.officer);
    expect(a.status).toBe(400);
    expect(errorOf(a).data.issues?.map((i) => i.path)).toEqual(['name']);
    expect(a.text.length).toBeLessThan(5000);
  });

  test(`answers a batch of ${MAX_BATCH} and refuses a larger one with 400`, async ({ h }) => {
    const p = await h.makeProvider();
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => 'providers.get').join(',');
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { id: p.id }]));
      return `/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
    };
    const ok = await request(batch(MAX_BATCH), { headers: auth(tokens.viewer) });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(MAX_BATCH);

    const tooMany = await request(batch(MAX_BATCH + 1), { headers: auth(tokens.viewer) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toMatch(/batch/i);

    const posted = await request(
      `/trpc/${Array.from({ length: MAX_BATCH + 1 }, () => 'providers.create').join(',')}?batch=1`,
      {
        method: 'POST',
        headers: auth(tokens.officer, { 'content-type': 'application/json' }),
        body: JSON.stringify(
          Object.fromEntries(
            Array.from({ length: MAX_BATCH + 1 }, (_, i) => [String(i), { name: `Batch ${i}` }]),
          ),
        ),
      },
    );
    expect(posted.status).toBe(400);
    const created = await query('providers.search', { q: 'Batch ' }, tokens.viewer);
    expect((created.body as { result: { data: { items: unknown[] } } }).result.data.items).toEqual([]);
  });
});

describe('unexpected failures', () => {
  test('answers 500 with only "internal error" and the request id: no SQL, table, stack or driver', async ({
    h,
  }) => {
    // Renaming a table is the owner's right, not the hub's (on PostgreSQL the hub has a role of its own).
    const db = ownerDbOf(h.hub.database.db);
    await db.execute(sql`alter table provisions rename to provisions_gone`);
    let a: Answer;
    try {
      a = await query('provisions.search', { q: 'anything' }, tokens.viewer, {
        'x-request-id': 'boom-500.test',
      });
    } finally {
      await db.execute(sql`alter table provisions_gone rename to provisions`);
    }
    expect(a.status).toBe(500);
    expect(a.headers.get('x-request-id')).toBe('boom-500.test');
    const error = errorOf(a);
    expect(error.message).toBe('internal error (request id boom-500.test)');
    expect(error.data).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      httpStatus: 500,
      path: 'provisions.search',
      requestId: 'boom-500.test',
    });
    for (const leak of [
      /select/i,
      /from\s/i,
      /relation/i,
      /does not exist/i,
      /"provisions"/,
      /provisions_gone/,
      /ofsted/i,
      /drizzle/i,
      /postgres/i,
      /pglite/i,
      /failed query/i,
      /stack/i,
      /\.ts\b/,
      /node_modules/,
    ]) {
      expect(a.text).not.toMatch(leak);
    }

    // The failure is counted, and the hub works again once the table is back.
    const metrics = await request('/metrics', { headers: METRICS_HEADERS });
    expect(metrics.text).toMatch(
      /ccx_procedure_calls_total\{procedure="provisions\.search",type="query",code="INTERNAL_SERVER_ERROR"\} 1\b/,
    );
    expect((await query('provisions.search', {}, tokens.viewer)).status).toBe(200);
  });
});

describe('request ids', () => {
  test('gives every answer a new x-request-id when none is sent', async () => {
    const a = await request('/healthz');
    const b = await request('/healthz');
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    const e = await query('provisions.get', { id: randomUUID() }, tokens.viewer);
    expect(e.headers.get('x-request-id')).toMatch(UUID);
    expect(errorOf(e).data.requestId).toBe(e.headers.get('x-request-id'));
  });

  test('echoes a well-formed incoming x-request-id, in the header and in error data', async () => {
    const ok = await query('providers.search', {}, tokens.viewer, { 'x-request-id': 'lb-1234.abc:def_9' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('lb-1234.abc:def_9');
    const e = await query('provisions.get', { id: 'not-a-uuid' }, tokens.viewer, {
      'x-request-id': 'trace-42',
    });
    expect(e.status).toBe(400);
    expect(e.headers.get('x-request-id')).toBe('trace-42');
    expect(errorOf(e).data.requestId).toBe('trace-42');
    const anon = await query('providers.search', {}, undefined, { 'x-request-id': 'trace-43' });
    expect(anon.status).toBe(401);
    expect(errorOf(anon).data.requestId).toBe('trace-43');
  });

  test('replaces a malformed or overlong incoming x-request-id', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(101), '<script>', 'a/b']) {
      const a = await request('/healthz', { headers: { 'x-request-id': bad } });
      expect(a.headers.get('x-request-id')).toMatch(UUID);
    }
  });
});

test('checked every answer for stack traces', () => {
  expect(answersChecked).toBeGreaterThan(40);
});
