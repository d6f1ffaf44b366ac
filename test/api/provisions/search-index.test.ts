// The directory's name searches and their trigram indexes (migration 0015): on both databases the
// indexes exist and serve `name ILIKE '%fragment%'`, what they find is exactly what the searches must
// find, and provisions.search and providers.search find by any fragment. Where pg_trgm cannot be
// created the migrations still apply, without the indexes, and the remedy docs/operations.md gives works.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { openDatabase, rowsOf, type Db } from '@ccx/server/testing';
import { test } from '../../support/harness.js';
import { ids } from './fixtures.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const MIGRATIONS = fileURLToPath(new URL('../../../server/drizzle', import.meta.url));
const JOURNAL = JSON.parse(readFileSync(`${MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
  entries: unknown[];
};
const INDEXES = { provisions: 'provisions_name_trgm_idx', providers: 'providers_name_trgm_idx' } as const;

/** The LIKE pattern of a search for `q`, escaped as the searches escape it: wildcards taken literally. */
const contains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const trigramIndexes = async (db: Db) =>
  rowsOf<{ name: string; definition: string }>(
    await db.execute(sql`select indexname as name, indexdef as definition from pg_indexes
      where tablename in ('provisions', 'providers') and indexname like '%trgm%' order by indexname`),
  );

/** Runs `query` where the planner may not scan a table or walk a btree: only a bitmap index scan serves a filter. */
const indexOnly = <T>(db: Db, query: SQL) =>
  db.transaction(async (tx) => {
    for (const setting of ['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan'])
      await tx.execute(sql`select set_config(${setting}, 'off', true)`);
    return rowsOf<T>(await tx.execute(query));
  });

let viewer: Principal;
let providerId: string;
const made: Record<string, { id: string }> = {};

/** Settings by key, all of one provider: every search below is scoped to it. */
const SETTINGS = {
  willowA: 'Willow House',
  willowB: 'Little WILLOW Lodge',
  willowC: 'Willowbrook',
  ash: 'Ash Grove',
  pct: '100% Care Home',
  nopct: '100 Care Home',
  under: 'A_B House',
  nounder: 'AxB House',
  slash: 'C\\D House',
  welsh: 'Tŷ Gwyn',
} as const;

/** Fragments and what they must find: whole words, the middle of a word, any case, fragments too short
 * for a trigram, non-ASCII, and LIKE's wildcards and escape character taken literally. */
const FRAGMENTS: [string, (keyof typeof SETTINGS)[]][] = [
  ['willow', ['willowA', 'willowB', 'willowC']],
  ['WiLLoW', ['willowA', 'willowB', 'willowC']],
  ['illo', ['willowA', 'willowB', 'willowC']],
  ['llowbr', ['willowC']],
  ['ow', ['willowA', 'willowB', 'willowC']],
  ['w', ['willowA', 'willowB', 'willowC', 'welsh']],
  ['h gr', ['ash']],
  ['ŷ gw', ['welsh']],
  ['100%', ['pct']],
  ['0% c', ['pct']],
  ['%', ['pct']],
  ['_', ['under']],
  ['a_b', ['under']],
  ['\\', ['slash']],
  ['c\\d h', ['slash']],
  ['%%', []],
  ['__', []],
  ['no such setting', []],
];

test.beforeAll(async ({ h }) => {
  const member = await h.makeAuthority();
  viewer = (await h.makeClient(member.id, 'viewer')).principal;
  providerId = (await h.makeProvider({ name: 'Index Provider' })).id;
  for (const [key, name] of Object.entries(SETTINGS))
    made[key] = await h.makeProvision({ name, providerId, type: 'unregulated' });
});

const keys = (k: string[]) => ids(k.map((x) => made[x]!));

describe('the trigram indexes', () => {
  test('exist on provisions.name and providers.name, as gin_trgm_ops', async ({ h }) => {
    const found = await trigramIndexes(h.db);
    expect(found.map((i) => i.name)).toEqual([INDEXES.providers, INDEXES.provisions]);
    for (const i of found) expect(i.definition).toMatch(/USING gin \(name (\w+\.)?gin_trgm_ops\)/);
  });

  test.for(['illo', 'WiLLoW', '100%', 'a_b', 'w'])(
    "serve the search's condition (name ILIKE a pattern) for %j when nothing else may",
    async (q, { h }) => {
      for (const [table, index] of Object.entries(INDEXES)) {
        const plan = await indexOnly<{ 'QUERY PLAN': string }>(
          h.db,
          sql`explain select id from ${sql.identifier(table)} where status = 'active'
            and name ilike ${contains(q)} order by name, id limit 21`,
        );
        expect(plan.map((r) => r['QUERY PLAN']).join('\n'), table).toContain(`Bitmap Index Scan on ${index}`);
      }
    },
  );

  test('find through the index exactly what the fragments must find', async ({ h }) => {
    for (const [q, want] of FRAGMENTS) {
      const rows = await indexOnly<{ id: string }>(
        h.db,
        sql`select id from provisions where provider_id = ${providerId} and name ilike ${contains(q)}`,
      );
      expect(ids(rows), q).toEqual(keys(want));
    }
  });
});

describe('provisions.search by name fragment', () => {
  test.for(FRAGMENTS)('%j finds the right settings', async ([q, want], { h }) => {
    const page = await h.caller(viewer).provisions.search({ q, providerId, limit: 50 });
    expect(ids(page.items)).toEqual(keys(want));
  });
});

describe('providers.search by name fragment', () => {
  test('finds providers by any fragment, in any case, with wildcards taken literally', async ({ h }) => {
    const names = ['Willow Care Ltd', 'Little WILLOW Homes', '100% Care Ltd', 'A_B Care', 'AxB Care'];
    const byName = new Map<string, string>();
    for (const name of names) byName.set(name, (await h.makeProvider({ name })).id);
    const search = async (q: string) =>
      ids((await h.caller(viewer).providers.search({ q, limit: 50 })).items);
    const want = (...n: string[]) => n.map((x) => byName.get(x)!).sort();
    expect(await search('willow')).toEqual(want('Willow Care Ltd', 'Little WILLOW Homes'));
    expect(await search('ILLO')).toEqual(want('Willow Care Ltd', 'Little WILLOW Homes'));
    expect(await search('ttle wi')).toEqual(want('Little WILLOW Homes'));
    expect(await search('100%')).toEqual(want('100% Care Ltd'));
    expect(await search('a_b')).toEqual(want('A_B Care'));
    expect(await search('%%')).toEqual([]);
    const indexed = await indexOnly<{ id: string }>(
      h.db,
      sql`select id from providers where name ilike ${contains('illo')}`,
    );
    expect(ids(indexed)).toEqual(want('Willow Care Ltd', 'Little WILLOW Homes'));
  });
});

describe('without pg_trgm', () => {
  test('an embedded database that cannot load it still takes every migration, without the indexes', async () => {
    const client = new PGlite();
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: MIGRATIONS });
      const applied = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      );
      expect(applied[0]!.n).toBe(JOURNAL.entries.length);
      expect(await trigramIndexes(db as unknown as Db)).toEqual([]);
      const names = await db.execute(sql`select name from provisions where name ilike ${contains('illo')}`);
      expect(names.rows).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test.runIf(onPostgres)(
    'PostgreSQL refusing CREATE EXTENSION still takes every migration; the documented remedy adds the indexes',
    async () => {
      const adminUrl = new URL(process.env.TEST_DATABASE_URL!);
      const name = `ccx_test_notrgm_${Date.now().toString(36)}`;
      const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const owner = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        // As a managed service's allow-list or a missing privilege would: CREATE EXTENSION is refused.
        await owner.unsafe(`create function refuse_extensions() returns event_trigger language plpgsql as $$
          begin raise exception 'extensions are not allowed here' using errcode = 'insufficient_privilege'; end $$;
          create event trigger refuse_extensions on ddl_command_start when tag in ('CREATE EXTENSION')
          execute function refuse_extensions()`);
        const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1 });
        try {
          expect(await trigramIndexes(database.db)).toEqual([]);
          const [applied] = await owner<
            { n: number }[]
          >`select count(*)::int as n from drizzle.__drizzle_migrations`;
          expect(applied!.n).toBe(JOURNAL.entries.length);
        } finally {
          await database.close();
        }
        // docs/operations.md: a superuser creates the extension, then the owner creates the indexes.
        await owner.unsafe(`drop event trigger refuse_extensions; create extension if not exists pg_trgm;
          create index if not exists providers_name_trgm_idx on providers using gin (name gin_trgm_ops);
          create index if not exists provisions_name_trgm_idx on provisions using gin (name gin_trgm_ops)`);
        const again = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1 });
        try {
          expect((await trigramIndexes(again.db)).map((i) => i.name)).toEqual([
            INDEXES.providers,
            INDEXES.provisions,
          ]);
        } finally {
          await again.close();
        }
      } finally {
        await owner.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    },
  );
});
