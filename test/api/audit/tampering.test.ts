// The audit chain's integrity: the database hashes as verify does, appends without fork or gap, refuses
// changes, and verify finds a changed or removed entry.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { appendAudit, GENESIS_HASH, verifyAuditChain } from '@ccx/server/testing';
import { ownerDbOf } from '@ccx/server/testing';
import {
  expectDbRefusal,
  makeMember,
  queryRows,
  test,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** Runs statements against audit_log with its append-only trigger switched off, in one transaction. */
const withTriggerOff = async (h: Harness, statement: ReturnType<typeof sql>) => {
  await ownerDbOf(h.hub.database.db).transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  });
};

describe('audit.verify and tampering', () => {
  /** A fresh authority with a chain of `n` placement declarations. */
  const chainOf = async (h: Harness, prefix: string, n: number): Promise<Member> => {
    const m = await makeMember(h, prefix);
    for (let i = 0; i < n; i++) {
      await h
        .caller(m.officer)
        .placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    }
    return m;
  };

  test('hashes in the database exactly as verification does, whatever the text: unicode, quotes, escapes', async ({
    h,
  }) => {
    const m = await makeMember(h, 'hashtext');
    const awkward = [
      'Ysgol Pen-y-Bryn — “quoted” ’apostrophes’ café naïve',
      'emoji 🧒🏽 and astral 𝔘 characters',
      'back\\slash "double" \n newline \t tab \u0001 control',
      'U+2028 \u2028 and U+2029 \u2029 separators',
      '',
    ];
    const appended = [];
    for (const [i, text] of awkward.entries()) {
      appended.push(
        await h.hub.database.db.transaction((tx) =>
          appendAudit(tx, {
            authorityId: m.id,
            clientId: null,
            action: 'test.hash',
            recordIds: [text, `${i}`],
            details: { text, nested: { [text || 'empty']: [i, 1.5, -0, 1e21, true, null] } },
            at: new Date(Date.UTC(2026, 5, 15, 10, 0, i, 123)),
          }),
        ),
      );
    }
    expect(appended.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5]);
    const rows = await queryRows<{ seq: number; prev_hash: string; hash: string }>(
      h.hub.database.db,
      sql`select seq, prev_hash, hash from audit_log where authority_id = ${m.id} order by seq`,
    );
    expect(rows.map((r) => r.hash)).toEqual(appended.map((a) => a.hash));
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(h.hub.database.db, m.id)).toMatchObject({ ok: true, entries: 5 });
    // The head keeps the last hash and the one before it.
    const [head] = await queryRows<{ seq: number; hash: string; prev_hash: string }>(
      h.hub.database.db,
      sql`select seq, hash, prev_hash from audit_heads where authority_id = ${m.id}`,
    );
    expect(head).toEqual({ seq: 5, hash: rows[4]!.hash, prev_hash: rows[3]!.hash });
  });

  test('appends concurrent entries to one chain without a fork or a gap, in a transaction or on their own', async ({
    h,
  }) => {
    const m = await makeMember(h, 'hashrace');
    const entries = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const entry = { authorityId: m.id, clientId: null, action: 'test.race', details: { i } };
        // Half inside a transaction (a write's entry), half as a statement of their own (a read's).
        return i % 2
          ? h.hub.database.db.transaction((tx) => appendAudit(tx, entry))
          : appendAudit(h.hub.database.db, entry);
      }),
    );
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await verifyAuditChain(h.hub.database.db, m.id)).toMatchObject({ ok: true, entries: 20 });
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE of audit entries, even to the schema’s owner', async ({
    h,
  }) => {
    const a = await chainOf(h, 'immutable', 2);
    // The owner, because on PostgreSQL the hub's own role is refused before the trigger runs
    // (test/security/audit-role.test.ts).
    const db = ownerDbOf(h.hub.database.db);
    expect(
      await expectDbRefusal(
        db.execute(
          sql`update audit_log set details = '{"x":1}'::jsonb where authority_id = ${a.id} and seq = 1`,
        ),
      ),
    ).toMatch(/append-only: UPDATE refused/);
    expect(
      await expectDbRefusal(db.execute(sql`delete from audit_log where authority_id = ${a.id}`)),
    ).toMatch(/append-only: DELETE refused/);
    expect(await expectDbRefusal(db.execute(sql`truncate audit_log`))).toMatch(
      /append-only: TRUNCATE refused/,
    );
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log where authority_id = ${a.id}`,
    );
    expect(rows[0]?.n).toBe(2);
    expect(await h.caller(a.officer).audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  test('an entry edited in the database (trigger switched off) is named by verify', async ({ h }) => {
    const a = await chainOf(h, 'tampered', 4);
    const bystander = await chainOf(h, 'bystander', 2);
    await withTriggerOff(
      h,
      sql`update audit_log set details = '{"x":1}'::jsonb where authority_id = ${a.id} and seq = 2`,
    );
    const result = await h.caller(a.officer).audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(2);
    expect(result.firstBroken?.reason).toMatch(/changed/);
    expect(await h.caller(h.hubAdmin).audit.verify({ authorityId: a.id })).toMatchObject({
      ok: false,
      firstBroken: { seq: 2 },
    });
    // Other chains are unaffected; the trigger is back on.
    expect(await h.caller(bystander.officer).audit.verify()).toMatchObject({ ok: true });
    expect(
      await expectDbRefusal(
        ownerDbOf(h.hub.database.db).execute(
          sql`update audit_log set action = 'x' where authority_id = ${a.id} and seq = 3`,
        ),
      ),
    ).toMatch(/append-only/);
  });

  test('an edited hash, a removed middle entry and a removed last entry are each found', async ({ h }) => {
    const edited = await chainOf(h, 'rehashed', 3);
    await withTriggerOff(
      h,
      sql`update audit_log set hash = ${'f'.repeat(64)} where authority_id = ${edited.id} and seq = 3`,
    );
    expect((await h.caller(edited.officer).audit.verify()).firstBroken?.seq).toBe(3);

    const middle = await chainOf(h, 'middle', 4);
    await withTriggerOff(h, sql`delete from audit_log where authority_id = ${middle.id} and seq = 2`);
    const m = await h.caller(middle.officer).audit.verify();
    expect(m).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    expect(m.firstBroken?.reason).toMatch(/missing/);

    const last = await chainOf(h, 'truncated', 3);
    await withTriggerOff(h, sql`delete from audit_log where authority_id = ${last.id} and seq = 3`);
    const l = await h.caller(last.officer).audit.verify();
    expect(l).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    expect(l.firstBroken?.reason).toMatch(/removed/);
  });
});
