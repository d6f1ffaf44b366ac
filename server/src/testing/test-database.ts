// A fresh, isolated database for one test file: in-memory PGlite by default, or a throw-away
// PostgreSQL database when TEST_DATABASE_URL is set (created here, dropped on close). On PostgreSQL
// the hub connects as a role of its own that the schema's owner grants rights to, as in production
// (docs/operations.md), so every test also proves the hub needs no more than those rights.
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { openDatabase, schema, type Database, type Db } from '../db/index.js';

/** The role test hubs connect as; created once per server, granted rights per database. */
export const TEST_HUB_ROLE = 'ccx_test_hub';

const owners = new WeakMap<Db, Db>();

/**
 * The database as its owner sees it, for tests that tamper with what the hub itself may not touch
 * (audit rows). On PGlite that is the hub's own connection.
 */
export const ownerDbOf = (db: Db): Db => owners.get(db) ?? db;

export const openTestDatabase = async (): Promise<Database> => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ kind: 'pglite', dataDir: 'memory' });

  const name = `ccx_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  // Test files start in parallel: whichever creates the role first wins, the others use it.
  await admin.unsafe(`do $$ begin create role ${TEST_HUB_ROLE} login;
    exception when duplicate_object or unique_violation then null; end $$`);
  const ownerUrl = new URL(url);
  ownerUrl.pathname = `/${name}`;
  const hubUrl = new URL(ownerUrl);
  hubUrl.username = TEST_HUB_ROLE;
  hubUrl.password = '';
  const database = await openDatabase({
    kind: 'postgres',
    url: hubUrl.toString(),
    ownerUrl: ownerUrl.toString(),
    poolMax: 5,
  });
  const ownerClient = postgres(ownerUrl.toString(), { max: 1, onnotice: () => {} });
  owners.set(database.db, drizzle(ownerClient, { schema }));
  return {
    ...database,
    close: async () => {
      await Promise.all([database.close(), ownerClient.end({ timeout: 5 })]);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
};
