// Operations: health and readiness probes, Prometheus metrics, OAuth discovery metadata, and
// migrations that apply once however often a database is opened.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect } from 'vitest';
import { openDatabase, type Database } from '@ccx/server';
import { ownerDbOf } from '@ccx/server/testing';
import { METRICS_HEADERS, queryRows } from '../support/harness.js';
import { httpTest as test } from '../support/http.js';

let baseUrl: string;
let token: string;

// A viewer's token, for what needs one.
test.beforeAll(async ({ h }) => {
  baseUrl = h.baseUrl;
  const member = await h.makeAuthority();
  const { principal } = await h.makeClient(member.id, 'viewer');
  token = (await h.hub.tokens.issue(principal)).token;
});

const expectedKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

describe('probes', () => {
  test('GET /healthz answers 200', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 with the database kind, after reaching the database', async () => {
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: expectedKind });
    const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: METRICS_HEADERS })).text();
    expect(metrics).toMatch(/^ccx_db_up 1$/m);
  });
});

describe('GET /metrics', () => {
  test('is Prometheus text with procedure, HTTP and database-pool metrics', async ({ h }) => {
    const called = await fetch(`${baseUrl}/trpc/providers.search?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(called.status).toBe(200);
    const refused = await fetch(`${baseUrl}/trpc/authorities.me`);
    expect(refused.status).toBe(401);

    const res = await fetch(`${baseUrl}/metrics`, { headers: METRICS_HEADERS });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();

    expect(text).toMatch(/^# TYPE ccx_procedure_calls_total counter$/m);
    expect(text).toMatch(
      /^ccx_procedure_calls_total\{procedure="providers\.search",type="query",code="OK"\} 1$/m,
    );
    expect(text).toMatch(
      /^ccx_procedure_calls_total\{procedure="authorities\.me",type="query",code="UNAUTHORIZED"\} 1$/m,
    );
    expect(text).toMatch(/^# TYPE ccx_procedure_duration_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE ccx_http_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^ccx_http_request_duration_seconds_count\{route="\/trpc",method="GET"\} \d+$/m);
    expect(text).toMatch(/^ccx_http_requests_total\{route="\/trpc",method="GET",status="200"\} \d+$/m);
    expect(text).toMatch(
      new RegExp(`^ccx_db_pool_max\\{kind="${expectedKind}"\\} ${h.hub.database.poolMax}$`, 'm'),
    );
    expect(text).toMatch(/^ccx_process_cpu_seconds_total \d/m);
  });

  test('keeps HTTP route labels bounded: one for all of tRPC, one for unmatched paths, one for console pages', async () => {
    await fetch(`${baseUrl}/no-such-page-${Date.now()}`);
    // Console pages (whatever the address a browser opens, built or not) share one label.
    await fetch(`${baseUrl}/settings/no-such-page-${Date.now()}`, { headers: { accept: 'text/html' } });
    const batch = `/trpc/providers.search,authorities.list?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`;
    const batched = await fetch(`${baseUrl}${batch}`, { headers: { authorization: `Bearer ${token}` } });
    expect(batched.status).toBe(200);
    await fetch(`${baseUrl}/trpc/no.such.procedure`);
    const text = await (await fetch(`${baseUrl}/metrics`, { headers: METRICS_HEADERS })).text();
    expect(text).toMatch(/ccx_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+/);
    expect(text).toMatch(/ccx_http_requests_total\{route="\/trpc",method="GET",status="404"\} 1$/m);
    const routes = new Set(
      [...text.matchAll(/^ccx_http_requests_total\{route="([^"]*)"/gm)].map((m) => m[1]),
    );
    const allowed = [
      '/healthz',
      '/readyz',
      '/metrics',
      '/.well-known/oauth-authorization-server',
      '/trpc',
      'unmatched',
      '(console page)',
    ];
    for (const route of routes) expect(allowed).toContain(route);
    expect(routes).toContain('/trpc');
    expect(routes).toContain('(console page)');
    expect(text).not.toMatch(/no-such-page|no\.such\.procedure|providers\.search,/);
    expect(text).not.toMatch(/route="\/(providers|provisions|authorities|clients)/);
  });
});

describe('GET /.well-known/oauth-authorization-server', () => {
  test('describes the token endpoint (RFC 8414)', async ({ h }) => {
    const res = await fetch(`${baseUrl}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, unknown>;
    const issuer = h.config.issuer;
    expect(meta).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
    });
    expect(meta.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
  });
});

describe('migrations', () => {
  const TABLES = ['authorities', 'clients', 'providers', 'provisions', 'signing_keys'];

  const journalEntries = async (): Promise<number> => {
    const journalFile = path.resolve(import.meta.dirname, '../../server/drizzle/meta/_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: unknown[] };
    return journal.entries.length;
  };

  const inspect = async (database: Database) => {
    const tables = await queryRows<{ table_name: string }>(
      ownerDbOf(database.db),
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const [applied] = await queryRows<{ n: number | string }>(
      ownerDbOf(database.db),
      sql`select count(*) as n from drizzle.__drizzle_migrations`,
    );
    return { tables: tables.map((t) => t.table_name), applied: Number(applied?.n) };
  };

  /** Opens the same database several times (sequentially, then — where the engine allows — at once). */
  const openTwice = async (open: () => Promise<Database>, concurrent: boolean) => {
    const expected = await journalEntries();
    expect(expected).toBeGreaterThanOrEqual(1);

    const first = await open();
    try {
      const seen = await inspect(first);
      expect(seen.tables).toEqual(expect.arrayContaining(TABLES));
      expect(seen.applied).toBe(expected);
      await first.db.execute(
        sql`insert into authorities (id, name, region, qa_inbox) values ('survivor', 'Survivor', 'london', 'qa@s.example')`,
      );
    } finally {
      await first.close();
    }

    const again = concurrent ? await Promise.all([open(), open(), open()]) : [await open()];
    try {
      for (const db of again) {
        const seen = await inspect(db);
        expect(seen.tables).toEqual(expect.arrayContaining(TABLES));
        expect(seen.applied).toBe(expected);
        // Reopening kept the data: nothing was dropped and re-created.
        const rows = await queryRows<{ id: string }>(
          db.db,
          sql`select id from authorities where id = 'survivor'`,
        );
        expect(rows).toEqual([{ id: 'survivor' }]);
      }
    } finally {
      for (const db of again) await db.close();
    }
  };

  test('applies migrations once to a PGlite data folder opened twice', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ccx-migrate-'));
    try {
      await openTwice(() => openDatabase({ kind: 'pglite', dataDir: dir }), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!process.env.TEST_DATABASE_URL)(
    'applies migrations once to a PostgreSQL database opened twice, and three times at once',
    async () => {
      const adminUrl = process.env.TEST_DATABASE_URL!;
      const name = `ccx_migrate_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      try {
        await openTwice(() => openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 2 }), true);
      } finally {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    },
  );

  test('the harness database has every table', async ({ h }) => {
    const seen = await inspect(h.hub.database);
    expect(seen.tables).toEqual(expect.arrayContaining(TABLES));
    expect(seen.applied).toBe(await journalEntries());
  });
});
