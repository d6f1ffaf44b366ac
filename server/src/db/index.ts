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
  /**
   * True when the hub's own database role cannot change or remove audit rows even with the
   * append-only triggers dropped: it lacks UPDATE, DELETE and TRUNCATE on audit_log and is not a
   * superuser or the table's owner. Always false on the embedded database (one user, triggers only).
   */
  auditRowsProtected: boolean;
  ping(): Promise<void>;
  /**
   * LISTEN on a channel (a connection of its own on PostgreSQL); `onListening` runs each time it is
   * (re)established. Answers the function that stops listening.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onListening: () => void,
  ): Promise<() => Promise<void>>;
  /** NOTIFY on a channel, outside any transaction. */
  notify(channel: string, payload: string): Promise<void>;
  /** How many hub processes are listening on this database now (1 on the embedded database). */
  listeners(): Promise<number>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Serialises migrations when several hub processes start on one PostgreSQL at once. */
const MIGRATION_LOCK_ID = 0x63637801;

export type OpenDatabaseOptions =
  | { kind: 'pglite'; /** a folder, or 'memory' for an in-memory database */ dataDir: string }
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      /**
       * The role that owns the schema, when it is not the hub's own: migrations run as it, and it
       * grants the hub's role what the hub needs (audit rows: read and append only).
       */
      ownerUrl?: string;
    };

/** The application name of each hub process's LISTEN connection (Database.listeners counts them). */
const LISTENER_APPLICATION = 'ccx-listen';

/** The embedded database's buffer pool (PostgreSQL's shared_buffers). */
const PGLITE_SHARED_BUFFERS = '16MB';

const preparedDatabases = new WeakMap<Db, Db>();

/** The rows of a raw `db.execute`: postgres.js answers an array, PGlite an object holding `rows`. */
export const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;

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
    const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] =
      await Promise.all([
        import('@electric-sql/pglite'),
        import('@electric-sql/pglite/contrib/pg_trgm'),
        import('drizzle-orm/pglite'),
        import('drizzle-orm/pglite/migrator'),
      ]);
    // pg_trgm indexes the directory's name searches (migration 0015); a data folder that has it must
    // always be opened with it loaded.
    const client = new PGlite({
      ...(dir ? { dataDir: dir } : {}),
      extensions: { pg_trgm },
      // PostgreSQL's own default of 128 MB of shared buffers is all resident in the hub's process
      // once touched (PGlite is PostgreSQL compiled to WebAssembly, in this process's memory). The
      // embedded database is a partnership's trial or a small one; its files are also in the
      // operating system's cache. 16 MB keeps the hub about 110 MB smaller (docs/benchmarking.md).
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      poolMax: 1,
      auditRowsProtected: false,
      ping: async () => {
        await client.query('select 1');
      },
      listen: async (channel, onPayload, onListening) => {
        const unlisten = await client.listen(channel, onPayload);
        onListening();
        return unlisten;
      },
      notify: async (channel, payload) => {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      },
      // The embedded database belongs to this one process.
      listeners: () => Promise.resolve(1),
      close: () => client.close(),
    };
  }

  const poolMax = opts.poolMax ?? 10;
  const options = {
    max: poolMax,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 60,
    // Reconnect within half a second once the server is back (the driver's default backoff grows
    // towards 20 s, and a query waits it out before even trying), so an outage ends when PostgreSQL's does.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  };
  const client = postgres(opts.url, { ...options, connection: { application_name: 'ccx' } });
  // The hot paths' statements are prepared once (prepared.ts) and carry the access policy's
  // subqueries, which take PostgreSQL longer to plan than to run. They run on a pool of their own
  // whose connections plan each of them once; everything else keeps a plan made for its values
  // (forcing generic plans on every statement made the event feed's plans much worse).
  const preparedClient = postgres(opts.url, {
    ...options,
    connection: { application_name: 'ccx-prepared', plan_cache_mode: 'force_generic_plan' },
  });
  // LISTEN on a connection of its own, named so that any process can count the hub processes listening.
  const listenerClient = postgres(opts.url, {
    ...options,
    max: 1,
    connection: { application_name: LISTENER_APPLICATION },
  });
  // Migrate on one dedicated connection that holds the advisory lock throughout.
  const migrator = postgres(opts.ownerUrl ?? opts.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  let auditRowsProtected: boolean;
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    if (opts.ownerUrl) await grantHubRole(migrator, client);
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    auditRowsProtected = await auditProtectedFrom(client);
  } catch (err) {
    await Promise.all([
      client.end({ timeout: 1 }),
      preparedClient.end({ timeout: 1 }),
      listenerClient.end({ timeout: 1 }),
    ]);
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
    auditRowsProtected,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    listen: async (channel, onPayload, onListening) => {
      const listening = await listenerClient.listen(channel, onPayload, onListening);
      return () => listening.unlisten();
    },
    notify: async (channel, payload) => {
      await client.notify(channel, payload);
    },
    listeners: async () => {
      const [row] = await client<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = ${LISTENER_APPLICATION}`;
      return row?.n ?? 0;
    },
    close: async () => {
      await Promise.all([
        client.end({ timeout: 5 }),
        preparedClient.end({ timeout: 5 }),
        listenerClient.end({ timeout: 5 }),
      ]);
    },
  };
};

/**
 * Gives the hub's role (the one `client` connects as) what it needs on the owner's schema: rows of
 * every table, except audit rows, which it may read and append but never change or remove. Run after
 * every migration, so new tables are covered.
 */
const grantHubRole = async (owner: postgres.Sql, client: postgres.Sql): Promise<void> => {
  const [hubRole] = await client<{ name: string }[]>`select current_user as name`;
  const [ownerRole] = await owner<{ name: string }[]>`select current_user as name`;
  if (!hubRole || !ownerRole || hubRole.name === ownerRole.name) return;
  const role = owner(hubRole.name);
  await owner.begin(async (tx) => {
    await tx`grant usage on schema public to ${role}`;
    await tx`grant select, insert, update, delete on all tables in schema public to ${role}`;
    await tx`grant usage, select on all sequences in schema public to ${role}`;
    const [audit] = await tx`select to_regclass('public.audit_log') as t`;
    if (audit?.t) await tx`revoke update, delete, truncate on audit_log from ${role}`;
  });
};

/** Whether the connected role could alter audit rows if the append-only triggers were dropped. */
const auditProtectedFrom = async (client: postgres.Sql): Promise<boolean> => {
  const [row] = await client<{ protected: boolean }[]>`
    select not (r.rolsuper
      or pg_has_role(current_user, c.relowner, 'USAGE')
      or has_table_privilege(c.oid, 'UPDATE')
      or has_table_privilege(c.oid, 'DELETE')
      or has_table_privilege(c.oid, 'TRUNCATE')) as protected
    from pg_class c, pg_roles r
    where c.oid = 'public.audit_log'::regclass and r.rolname = current_user`;
  return row?.protected ?? false;
};
