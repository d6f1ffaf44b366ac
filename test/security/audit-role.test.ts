// Defence in depth for the audit trail: on PostgreSQL the hub connects as a role of its own that may
// read and append audit rows but never change, remove or truncate them, nor switch off the
// append-only triggers; the schema's owner migrates and grants. On both databases the triggers
// refuse changes even to the owner. (Every other PostgreSQL test file runs its hub as that role too.)
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect } from 'vitest';
import { openDatabase } from '@ccx/server';
import { ownerDbOf, TEST_HUB_ROLE } from '@ccx/server/testing';
import { rowsOf } from '@ccx/server/testing';
import { test } from '../support/harness.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

test.beforeAll(async ({ h }) => {
  // A few audited writes, so there are rows to attack.
  const a = await h.makeAuthority();
  await h.makeClient(a.id, 'officer');
  await h.makeProvision();
});

/** The error a statement fails with, as "SQLSTATE: message" (drizzle wraps the driver's error). */
const failure = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (err) {
    let e: unknown = err;
    while (e && typeof e === 'object' && !('code' in e && typeof e.code === 'string') && 'cause' in e)
      e = e.cause;
    const { code, message } = e as { code?: string; message?: string };
    return `${code}: ${message}`;
  }
  return 'succeeded';
};

const ATTACKS = {
  update: sql`update audit_log set basis = 'lead'`,
  delete: sql`delete from audit_log`,
  truncate: sql`truncate audit_log`,
};

describe('the hub’s own connection', () => {
  test.runIf(onPostgres)('is a role that cannot update, delete or truncate audit rows', async ({ h }) => {
    expect(h.hub.database.auditRowsProtected).toBe(true);
    for (const [what, statement] of Object.entries(ATTACKS)) {
      const result = await failure(() => h.hub.database.db.execute(statement));
      expect(result, what).toMatch(/^42501: permission denied for table audit_log/);
    }
  });

  test.runIf(onPostgres)(
    'cannot switch off or drop the append-only triggers, nor drop the table',
    async ({ h }) => {
      const db = h.hub.database.db;
      for (const statement of [
        sql`alter table audit_log disable trigger audit_log_no_update`,
        sql`drop trigger audit_log_no_update on audit_log`,
        sql`drop table audit_log`,
      ]) {
        expect(await failure(() => db.execute(statement))).toMatch(
          /^42501: must be owner of (table|relation) audit_log/,
        );
      }
    },
  );

  test.runIf(onPostgres)('still appends audit rows and reads them, and the chains verify', async ({ h }) => {
    const count = async () =>
      rowsOf<{ n: number }>(
        await h.hub.database.db.execute(sql`select count(*)::int as n from audit_log`),
      )[0]!.n;
    const before = await count();
    await h.makeProvision();
    expect(await count()).toBeGreaterThan(before);
    expect((await h.caller(h.hubAdmin).audit.verify({})).ok).toBe(true);
  });

  test.runIf(onPostgres)('is reported unprotected when the hub connects as the owner itself', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const name = `ccx_test_owner_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${name}"`);
    try {
      url.pathname = `/${name}`;
      const asOwner = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1 });
      expect(asOwner.auditRowsProtected).toBe(false);
      await asOwner.close();
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  test.skipIf(onPostgres)('is the embedded database’s only user, which the triggers alone guard', ({ h }) => {
    expect(h.hub.database.auditRowsProtected).toBe(false);
  });
});

describe('the append-only triggers', () => {
  test('refuse updates, deletes and truncation even to the schema’s owner', async ({ h }) => {
    const owner = ownerDbOf(h.hub.database.db);
    for (const [what, statement] of Object.entries(ATTACKS)) {
      expect(await failure(() => owner.execute(statement)), what).toMatch(/audit_log is append-only/);
    }
  });
});

test.runIf(onPostgres)(`runs its hub as ${TEST_HUB_ROLE}`, async ({ h }) => {
  const [row] = rowsOf<{ role: string }>(await h.hub.database.db.execute(sql`select current_user as role`));
  expect(row?.role).toBe(TEST_HUB_ROLE);
});
