// A fresh, isolated database for one test file: in-memory PGlite by default, or a throw-away
// PostgreSQL database when TEST_DATABASE_URL is set (created here, dropped on close).
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from './index.js';

export const openTestDatabase = async (): Promise<Database> => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ kind: 'pglite', dataDir: 'memory' });

  const name = `ccx_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: target.toString(), poolMax: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
};
