// The audit log (need-to-know, issue 3): every write and every read of detail on the actor's hash
// chain with its basis; lists name every record they returned; the database refuses changes; verify
// finds a changed or removed entry; the scopes of audit.list; and the signed export of a chain head.
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect } from 'vitest';
import type { AuditEntry } from '@ccx/schema';
import { appendAudit, GENESIS_HASH, verifyAuditChain } from '@ccx/server/testing';
import { ownerDbOf } from '@ccx/server/testing';
import {
  expectDbRefusal,
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  queryRows,
  test,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** Every entry of an authority's own chain, oldest first. */
const chain = async (h: Harness, m: Member): Promise<AuditEntry[]> => {
  const items: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await h
      .caller(m.officer)
      .audit.list({ scope: 'mine', limit: 200, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items.reverse();
};

const lastEntry = async (h: Harness, m: Member): Promise<AuditEntry | undefined> =>
  (await h.caller(m.officer).audit.list({ scope: 'mine', limit: 1 })).items[0];

const headSeq = async (h: Harness, m: Member): Promise<number> =>
  (await h.caller(m.officer).audit.verify()).head?.seq ?? 0;

/** Runs statements against audit_log with its append-only trigger switched off, in one transaction. */
const withTriggerOff = async (h: Harness, statement: ReturnType<typeof sql>) => {
  await ownerDbOf(h.hub.database.db).transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  });
};

describe('writes are audited', () => {
  test("every write appends to the actor's own chain, with its basis, client and time", async ({ h, w }) => {
    const a = await makeMember(h, 'writer');
    const p = await h.makeProvision({ urn: `SC${String(Date.now()).slice(-6)}` });
    const placement = await h.caller(a.officer).placements.declare({ provisionId: p.id, children: 2 });
    await h.caller(a.officer).placements.end({ id: placement.id, version: placement.version });
    await h.caller(a.officer).placements.import({ rows: [{ urn: p.urn, children: 1 }] });
    const outcome = await publishOutcome(h, a.officer, p.id);
    const grant = await h
      .caller(a.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: w.member.id });
    await h.caller(a.officer).access.revoke({ grantId: grant.id });
    const pros = await h.caller(a.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'looking for a home for a sibling group',
      caseReference: 'CASE/2026/77',
    });

    const entries = await chain(h, a);
    expect(entries.map((e) => [e.seq, e.action, e.basis])).toEqual([
      [1, 'placement.declare', 'placing'],
      [2, 'placement.end', 'placing'],
      [3, 'placement.import', 'placing'],
      [4, 'outcome.create', 'publisher'],
      [5, 'outcome.publish', 'publisher'],
      [6, 'access.share', 'publisher'],
      [7, 'access.revoke', 'granter'],
      [8, 'access.prospective', 'prospective'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({
        authorityId: a.id,
        clientId: a.officer.clientId,
        at: new Date(NOW).toISOString(),
      });
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    expect(entries[0]!.recordIds).toEqual([placement.id]);
    expect(entries[4]!.recordIds).toEqual([outcome.id]);
    expect(entries[5]!.recordIds).toEqual([outcome.id, grant.id]);
    expect(entries[5]!.details).toMatchObject({ to: w.member.id });
    expect(entries[7]).toMatchObject({
      recordIds: [pros.id],
      provisionIds: [w.provision.id],
      details: { reason: 'looking for a home for a sibling group', caseReference: 'CASE/2026/77', days: 7 },
    });
    // Placement counts are audited; nobody's identity is.
    expect(entries[0]!.details).toMatchObject({ children: 2 });

    const verified = await h.caller(a.officer).audit.verify();
    expect(verified).toEqual({
      authorityId: a.id,
      entries: 8,
      ok: true,
      firstBroken: null,
      head: { seq: 8, hash: entries[7]!.hash },
    });
  });

  test('a refused write leaves no entry', async ({ h, w }) => {
    const a = await makeMember(h, 'refused');
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: w.provision.id, children: 0 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(a.officer).access.requestProspective({
        provisionId: w.provision.id,
        reason: 'a reason long enough',
        caseReference: 'Jane Smith',
      }),
      'BAD_REQUEST',
    );
    expect(await headSeq(h, a)).toBe(0);
  });
});

describe('reads of detail are audited with their basis', () => {
  let outcome: Awaited<ReturnType<typeof publishOutcome>>;
  let shared: Member;
  let seeker: Member;

  test.beforeAll(async ({ h, w }) => {
    outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    shared = await makeMember(h, 'auditshared');
    await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: shared.id });
    seeker = await makeMember(h, 'auditseeker');
    await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'checking before a placement',
      caseReference: 'CR-9',
    });
  });

  test('outcomes.get writes outcome.read with the basis that gave detail', async ({ h, w }) => {
    const cases: [string, Member, string][] = [
      ['placing', w.placing, 'placing'],
      ['lead', w.lead, 'lead'],
      ['host', w.host, 'host'],
      ['publisher', w.publisher, 'publisher'],
      ['granted', shared, 'granted'],
      ['prospective', seeker, 'prospective'],
    ];
    for (const [label, m, basis] of cases) {
      const before = await headSeq(h, m);
      const view = await h.caller(m.officer).outcomes.get({ id: outcome.id });
      expect(view.layer, label).toBe('detail');
      const entry = await lastEntry(h, m);
      expect(entry, label).toMatchObject({
        seq: before + 1,
        authorityId: m.id,
        clientId: m.officer.clientId,
        action: 'outcome.read',
        recordType: 'outcome',
        recordIds: [outcome.id],
        provisionIds: [w.provision.id],
        basis,
      });
      expect(entry?.details, label).toMatchObject({
        rule:
          basis === 'publisher'
            ? 'publisher-detail'
            : basis === 'granted'
              ? 'granted-detail'
              : 'need-to-know-detail',
      });
    }
  });

  test('a read of the summary or of the restricted signal writes nothing', async ({ h, w }) => {
    const restricted = await publishOutcome(h, w.publisher.officer, w.provision.id, { restricted: true });
    for (const m of [w.member, w.lead]) {
      const before = await headSeq(h, m);
      const id = m === w.member ? outcome.id : restricted.id;
      const view = await h.caller(m.officer).outcomes.get({ id });
      expect(view.layer).toBe(m === w.member ? 'summary' : 'signal');
      await h.caller(m.officer).access.explain({ recordType: 'outcome', recordId: id });
      expect(await headSeq(h, m)).toBe(before);
    }
    const before = await headSeq(h, w.member);
    const listed = await h
      .caller(w.member.officer)
      .outcomes.listForProvision({ provisionId: w.provision.id });
    expect(listed.every((o) => o.layer !== 'detail')).toBe(true);
    expect(await headSeq(h, w.member)).toBe(before);
  });

  test("listForProvision's entry names every record it returned, and the basis of each detail", async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    const reader = await makeMember(h, 'lister');
    await h
      .caller(reader.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    const other = await makeMember(h, 'otherpublisher');
    const o1 = await publishOutcome(h, w.publisher.officer, p.id);
    const o2 = await publishOutcome(h, w.publisher.officer, p.id, { restricted: true });
    const o3 = await publishOutcome(h, other.officer, p.id, { activityDate: '2026-05-01' });

    const listed = await h.caller(reader.officer).outcomes.listForProvision({ provisionId: p.id });
    expect(listed.map((o) => o.layer).sort()).toEqual(['detail', 'detail', 'signal']);
    const returnedIds = listed.flatMap((o) => ('id' in o ? [o.id] : []));
    const entry = await lastEntry(h, reader);
    expect(entry).toMatchObject({ action: 'outcome.list', provisionIds: [p.id], basis: 'placing' });
    expect([...(entry?.recordIds ?? [])].sort()).toEqual(returnedIds.sort());
    expect([...(entry?.recordIds ?? [])].sort()).toEqual([o1.id, o3.id].sort());
    expect(entry?.recordIds).not.toContain(o2.id);
    expect(entry?.details).toEqual({ detail: { [o1.id]: 'placing', [o3.id]: 'placing' } });

    // The publisher sees its own two in detail and the other's in summary: all three are named.
    const byPublisher = await h.caller(w.publisher.officer).outcomes.listForProvision({ provisionId: p.id });
    const publisherEntry = await lastEntry(h, w.publisher);
    const ids = byPublisher.flatMap((o) => ('id' in o ? [o.id] : []));
    expect(ids.sort()).toEqual([o1.id, o2.id, o3.id].sort());
    expect(publisherEntry).toMatchObject({ action: 'outcome.list', basis: 'publisher' });
    expect([...(publisherEntry?.recordIds ?? [])].sort()).toEqual(ids.sort());
    expect(publisherEntry?.details).toEqual({ detail: { [o1.id]: 'publisher', [o2.id]: 'publisher' } });
  });
});

describe('audit.list scopes', () => {
  test('the publisher sees who read its records; the lead sees grants and reads at its provisions', async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: w.lead.id, rationale: 'lead here' });
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    const outcome = await publishOutcome(h, w.publisher.officer, p.id);
    const seeker = await makeMember(h, 'scopeseeker');
    const grant = await h.caller(seeker.officer).access.requestProspective({
      provisionId: p.id,
      reason: 'urgent search for a placement',
      caseReference: 'LAC-2026-001',
    });
    await h.caller(w.placing.officer).outcomes.get({ id: outcome.id });
    await h.caller(seeker.officer).outcomes.get({ id: outcome.id });
    await h.caller(w.member.officer).outcomes.get({ id: outcome.id }); // summary: not a read of detail

    const readsOfMine = await h
      .caller(w.publisher.officer)
      .audit.list({ scope: 'reads-of-my-records', recordId: outcome.id });
    expect(readsOfMine.items.map((e) => [e.authorityId, e.action, e.basis])).toEqual([
      [seeker.id, 'outcome.read', 'prospective'],
      [w.placing.id, 'outcome.read', 'placing'],
    ]);
    const allOfMine = await h
      .caller(w.publisher.officer)
      .audit.list({ scope: 'reads-of-my-records', limit: 200 });
    expect(allOfMine.items.every((e) => e.authorityId !== w.publisher.id)).toBe(true);

    const atMine = await h.caller(w.lead.officer).audit.list({ scope: 'reads-at-my-provisions', limit: 200 });
    const atP = atMine.items.filter((e) => e.provisionIds.includes(p.id));
    expect(atP).toContainEqual(
      expect.objectContaining({
        authorityId: seeker.id,
        action: 'access.prospective',
        recordIds: [grant.id],
        details: expect.objectContaining({
          reason: 'urgent search for a placement',
          caseReference: 'LAC-2026-001',
        }) as unknown,
      }),
    );
    expect(atP).toContainEqual(
      expect.objectContaining({ authorityId: seeker.id, action: 'outcome.read', basis: 'prospective' }),
    );
    expect(atP).toContainEqual(
      expect.objectContaining({ authorityId: w.placing.id, action: 'outcome.read', basis: 'placing' }),
    );
    expect(atMine.items.every((e) => e.authorityId !== w.lead.id)).toBe(true);
    // The host authority sees the pre-placement grant at the setting in its area too.
    const atHosted = await h
      .caller(w.host.officer)
      .audit.list({ scope: 'reads-at-my-provisions', limit: 200 });
    expect(atHosted.items).toContainEqual(
      expect.objectContaining({
        authorityId: seeker.id,
        action: 'access.prospective',
        recordIds: [grant.id],
      }),
    );
    expect(atP.some((e) => e.authorityId === w.member.id)).toBe(false);

    // A bare member's view of the same: nothing at a provision it does not lead, no records of its own.
    expect((await h.caller(w.member.officer).audit.list({ scope: 'reads-at-my-provisions' })).items).toEqual(
      [],
    );
    expect((await h.caller(w.member.officer).audit.list({ scope: 'reads-of-my-records' })).items).toEqual([]);

    // 'mine' is only the caller's own chain; the action filter narrows it.
    const mine = await h.caller(seeker.officer).audit.list({ scope: 'mine' });
    expect(mine.items.map((e) => e.action)).toEqual(['outcome.read', 'access.prospective']);
    expect((await h.caller(seeker.officer).audit.list({ action: 'outcome.read' })).items).toHaveLength(1);
  });

  test("shows others' reads and grants, never their writes: a draft written at my provision stays theirs", async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: w.lead.id, rationale: 'lead here' });
    const draft = await h.caller(w.publisher.officer).outcomes.create(outcomeInput(p.id));
    if (draft.layer !== 'detail') throw new Error('a draft is seen in detail by its writer');
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    for (const who of [w.lead, w.host]) {
      const seen = (await h.caller(who.officer).audit.list({ scope: 'reads-at-my-provisions', limit: 200 }))
        .items;
      expect(seen.filter((e) => e.provisionIds.includes(p.id))).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain(draft.id);
    }
  });

  test('pages with a cursor, newest first, and refuses a bad cursor', async ({ h }) => {
    const a = await makeMember(h, 'pager');
    for (let i = 0; i < 5; i++) {
      await h
        .caller(a.officer)
        .placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    }
    const first = await h.caller(a.officer).audit.list({ limit: 2 });
    expect(first.items.map((e) => e.seq)).toEqual([5, 4]);
    const second = await h.caller(a.officer).audit.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.seq)).toEqual([3, 2]);
    const third = await h.caller(a.officer).audit.list({ limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((e) => e.seq)).toEqual([1]);
    expect(third.nextCursor).toBeNull();
    await expectTRPCError(h.caller(a.officer).audit.list({ cursor: 'not a cursor' }), 'BAD_REQUEST');
  });

  test('is not for viewers (403)', async ({ h, w }) => {
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(h.caller(viewer).audit.list({ scope: 'mine' }), 'FORBIDDEN');
    await expectTRPCError(h.caller(viewer).audit.verify(), 'FORBIDDEN');
    await expectTRPCError(h.caller(viewer).audit.exportHead(), 'FORBIDDEN');
    await expectTRPCError(h.caller(null).audit.list({}), 'UNAUTHORIZED');
  });
});

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

  test("verifies an intact chain; another authority's chain only for the hub-admin", async ({ h }) => {
    const a = await chainOf(h, 'verifya', 3);
    const b = await chainOf(h, 'verifyb', 2);
    expect(await h.caller(a.officer).audit.verify({ authorityId: a.id })).toMatchObject({
      authorityId: a.id,
      ok: true,
      entries: 3,
      firstBroken: null,
    });
    await expectTRPCError(h.caller(a.officer).audit.verify({ authorityId: b.id }), 'FORBIDDEN');
    const admin = (await h.makeClient(a.id, 'admin')).principal;
    await expectTRPCError(h.caller(admin).audit.verify({ authorityId: b.id }), 'FORBIDDEN');
    await expectTRPCError(h.caller(admin).audit.exportHead({ authorityId: b.id }), 'FORBIDDEN');
    expect(await h.caller(h.hubAdmin).audit.verify({ authorityId: b.id })).toMatchObject({
      authorityId: b.id,
      ok: true,
      entries: 2,
    });
    expect(await h.caller(h.hubAdmin).audit.verify()).toMatchObject({
      authorityId: h.hostAuthorityId,
      ok: true,
    });
    // An authority that has done nothing has an empty, intact chain.
    const quiet = await makeMember(h, 'quiet');
    expect(await h.caller(quiet.officer).audit.verify()).toEqual({
      authorityId: quiet.id,
      entries: 0,
      ok: true,
      firstBroken: null,
      head: null,
    });
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

describe('audit.exportHead', () => {
  test("is a JWS signed with the hub's key over the head that verify reports", async ({ h }) => {
    const a = await makeMember(h, 'exporter');
    await h.caller(a.officer).placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    await h.caller(a.officer).placements.declare({ provisionId: (await h.makeProvision()).id, children: 2 });
    const verified = await h.caller(a.officer).audit.verify();
    const head = await h.caller(a.officer).audit.exportHead();
    expect(head).toMatchObject({ authorityId: a.id, seq: 2, hash: verified.head?.hash });

    const jwks = createLocalJWKSet(await h.hub.keys.jwks());
    const { payload, protectedHeader } = await jwtVerify(head.jws, jwks, {
      issuer: h.config.issuer,
      subject: `audit:${a.id}`,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'ccx-audit-head+jwt' });
    expect(payload).toMatchObject({ authority: a.id, seq: 2, hash: verified.head?.hash });

    // A changed payload (a longer chain claimed) does not verify.
    const [header, body, signature] = head.jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...(JSON.parse(Buffer.from(body!, 'base64url').toString()) as object), seq: 99 }),
    ).toString('base64url');
    await expect(jwtVerify(`${header}.${forged}.${signature}`, jwks)).rejects.toThrow();
    expect(decodeProtectedHeader(head.jws).kid).toBeTruthy();

    // The hub-admin may export any chain; an empty chain exports its genesis.
    const quiet = await makeMember(h, 'quietexport');
    const empty = await h.caller(h.hubAdmin).audit.exportHead({ authorityId: quiet.id });
    expect(empty).toMatchObject({ authorityId: quiet.id, seq: 0, hash: '0'.repeat(64) });
    await expectTRPCError(h.caller(a.officer).audit.exportHead({ authorityId: quiet.id }), 'FORBIDDEN');
  });
});
