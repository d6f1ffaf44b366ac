// Opens the hub's database: embedded PGlite in the data folder by default, PostgreSQL when a URL is given.
// Both are driven through one drizzle type, so repository code is written once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export { schema };
export type Schema = typeof schema;
/** The common drizzle type of PGlite and postgres.js databases; a transaction is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Largest number of pooled connections (1 for PGlite). */
  poolMax: number;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Serialises migrations when several hub processes start on one PostgreSQL at once. */
const MIGRATION_LOCK_ID = 0x63637801;

export type OpenDatabaseOptions =
  | { kind: 'pglite'; /** a folder, or 'memory' for an in-memory database */ dataDir: string }
  | { kind: 'postgres'; url: string; poolMax?: number };

const preparedDatabases = new WeakMap<Db, Db>();

/** Where statements prepared once for `db` run: a pool of its own on PostgreSQL, `db` itself on PGlite. */
export const preparedDatabaseOf = (db: Db): Db => preparedDatabases.get(db) ?? db;

/** Opens the database and applies any pending migrations. */
export const openDatabase = async (opts: OpenDatabaseOptions): Promise<Database> => {
  if (opts.kind === 'pglite') {
    let dir: string | undefined;
    if (opts.dataDir !== 'memory') {
      dir = path.resolve(opts.dataDir, 'pglite');
      await mkdir(dir, { recursive: true });
    }
    // Loaded only when used: the embedded engine costs about 40 MB of memory in a hub on PostgreSQL.
    const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    const client = new PGlite(dir);
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      poolMax: 1,
      ping: async () => {
        await client.query('select 1');
      },
      close: () => client.close(),
    };
  }

  const poolMax = opts.poolMax ?? 10;
  const options = { max: poolMax, onnotice: () => {}, connect_timeout: 5, idle_timeout: 60 };
  const client = postgres(opts.url, { ...options, connection: { application_name: 'ccx' } });
  // The hot paths' statements are prepared once (prepared.ts) and carry the access policy's
  // subqueries, which take PostgreSQL longer to plan than to run. They run on a pool of their own
  // whose connections plan each of them once; everything else keeps a plan made for its values
  // (forcing generic plans on every statement made the event feed's plans much worse).
  const preparedClient = postgres(opts.url, {
    ...options,
    connection: { application_name: 'ccx-prepared', plan_cache_mode: 'force_generic_plan' },
  });
  // Migrate on one dedicated connection that holds the advisory lock throughout.
  const migrator = postgres(opts.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } catch (err) {
    await Promise.all([client.end({ timeout: 1 }), preparedClient.end({ timeout: 1 })]);
    throw err;
  } finally {
    await migrator.end({ timeout: 5 });
  }
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  preparedDatabases.set(db, drizzlePostgres(preparedClient, { schema }));
  return {
    db,
    kind: 'postgres',
    poolMax,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), preparedClient.end({ timeout: 5 })]);
    },
  };
};
