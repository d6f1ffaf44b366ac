// The audit log: every write and every read of detail, appended to the acting authority's hash
// chain in the caller's transaction. Entries cannot be changed (the database refuses), and a
// changed or missing entry breaks the chain, which verifyAuditChain finds.
import { createHash } from 'node:crypto';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { SignJWT } from 'jose';
import type { AuditEntry } from '@ccx/schema';
import type { SigningKeyStore } from '../auth/signing-keys.js';
import { rowsOf, type Db } from '../db/index.js';
import { auditHeads, auditLog } from '../db/schema/index.js';
import { canonicalJson } from './canonical-json.js';

export { canonicalJson };

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = {
  authorityId: string;
  clientId: string | null;
  /** The person who acted, when the call was made with a session. */
  personId?: string | null;
  action: string;
  recordType?: string | null;
  recordIds?: string[];
  provisionIds?: string[];
  /** The access basis (or rule) the action relied on, e.g. `placing` or `publisher`. */
  basis?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
};

/** An audit entry as its hash covers it: every field but the hashes, `at` as an ISO string. */
export type HashedAuditEntry = Omit<AuditEntry, 'hash' | 'prevHash'>;

/**
 * The fields an entry's hash covers. `personId` is present only when a person acted, so entries
 * written before people could sign in (and every entry of an API client) hash exactly as they did.
 */
const hashedFields = (e: Omit<HashedAuditEntry, 'seq'> & { seq?: number }) => ({
  authorityId: e.authorityId,
  ...(e.seq === undefined ? {} : { seq: e.seq }),
  at: e.at,
  clientId: e.clientId,
  ...(e.personId ? { personId: e.personId } : {}),
  action: e.action,
  recordType: e.recordType,
  recordIds: e.recordIds,
  provisionIds: e.provisionIds,
  basis: e.basis,
  requestId: e.requestId,
  details: e.details,
});

/**
 * The hash of one entry: SHA-256 over the previous entry's hash and the entry's canonical JSON. The
 * one definition appending and verifying both use (and anything that writes whole chains at once).
 */
export const hashAuditEntry = (prevHash: string, e: HashedAuditEntry): string =>
  createHash('sha256')
    .update(`${prevHash}\n`)
    .update(canonicalJson(hashedFields(e)))
    .digest('hex');

/**
 * Appends one entry to the authority's chain, in one statement. Call inside the transaction of the
 * change it records (a read's entry, with nothing else to commit, may be appended on its own). The statement advances the chain head (locking it until that transaction ends,
 * so a chain never forks) and computes the new hash from the head's previous one inside PostgreSQL:
 * the entry's canonical JSON ends with its `seq` (the last key in order), so everything before the
 * number is sent as text and the database hashes `prevHash + "\n" + text + seq + "}"` exactly as
 * hashAuditEntry does, which verification recomputes.
 */
export const appendAudit = async (tx: Db, input: AuditInput): Promise<{ seq: number; hash: string }> => {
  const entry: Omit<HashedAuditEntry, 'seq'> = {
    authorityId: input.authorityId,
    at: (input.at ?? new Date()).toISOString(),
    clientId: input.clientId,
    personId: input.personId ?? null,
    action: input.action,
    recordType: input.recordType ?? null,
    recordIds: input.recordIds ?? [],
    provisionIds: input.provisionIds ?? [],
    basis: input.basis ?? null,
    requestId: input.requestId ?? null,
    details: input.details ?? {},
  };
  const withoutSeq = canonicalJson(hashedFields(entry));
  const prefix = `${withoutSeq.slice(0, -1)},"seq":`;
  const hashOf = (prev: SQL, seq: SQL) =>
    sql`encode(sha256(convert_to(${prev} || E'\n' || ${prefix}::text || (${seq})::text || '}', 'UTF8')), 'hex')`;
  const result = await tx.execute(sql`
    with head as (
      insert into ${auditHeads} as h (authority_id, seq, prev_hash, hash)
      values (${input.authorityId}, 1, ${GENESIS_HASH}, ${hashOf(sql`${GENESIS_HASH}::text`, sql`1`)})
      on conflict (authority_id) do update set
        seq = h.seq + 1,
        prev_hash = h.hash,
        hash = ${hashOf(sql`h.hash`, sql`h.seq + 1`)}
      returning h.seq, h.prev_hash, h.hash
    )
    insert into ${auditLog} (authority_id, seq, at, client_id, person_id, action, record_type, record_ids, provision_ids, basis, request_id, details, prev_hash, hash)
    select ${entry.authorityId}, head.seq, ${entry.at}::timestamptz, ${entry.clientId}, ${entry.personId}, ${entry.action}, ${entry.recordType},
      ${sql.param(entry.recordIds)}::text[], ${sql.param(entry.provisionIds)}::text[], ${entry.basis}, ${entry.requestId},
      ${JSON.stringify(entry.details)}::jsonb, head.prev_hash, head.hash
    from head
    returning seq, hash`);
  const rows = rowsOf<{ seq: number; hash: string }>(result);
  return { seq: Number(rows[0]!.seq), hash: rows[0]!.hash };
};

type AuditRow = typeof auditLog.$inferSelect;

export const toEntry = (r: AuditRow): AuditEntry => ({
  authorityId: r.authorityId,
  seq: r.seq,
  at: r.at.toISOString(),
  clientId: r.clientId,
  personId: r.personId,
  action: r.action,
  recordType: r.recordType,
  recordIds: r.recordIds,
  provisionIds: r.provisionIds,
  basis: r.basis,
  requestId: r.requestId,
  details: r.details as Record<string, unknown>,
  prevHash: r.prevHash,
  hash: r.hash,
});

export type VerifyResult = {
  authorityId: string;
  entries: number;
  ok: boolean;
  firstBroken: { seq: number; reason: string } | null;
  head: { seq: number; hash: string } | null;
};

/** Walks one chain from its first entry and names the first entry that does not hold. */
export const verifyAuditChain = async (db: Db, authorityId: string): Promise<VerifyResult> => {
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.authorityId, authorityId));
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  const broken = (seq: number, reason: string): VerifyResult => ({
    authorityId,
    entries,
    ok: false,
    firstBroken: { seq, reason },
    head: head ? { seq: head.seq, hash: head.hash } : null,
  });
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.authorityId, authorityId), sql`${auditLog.seq} >= ${expectedSeq}`))
      .orderBy(asc(auditLog.seq))
      .limit(2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      const e = toEntry(row);
      if (e.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
      if (e.prevHash !== prevHash)
        return broken(e.seq, 'its previous-hash does not match the entry before it');
      if (hashAuditEntry(prevHash, e) !== e.hash)
        return broken(e.seq, 'its content does not match its hash (the entry was changed)');
      prevHash = e.hash;
      expectedSeq++;
    }
  }
  const last = expectedSeq - 1;
  if (head && (head.seq !== last || head.hash !== prevHash)) {
    return broken(
      last + 1,
      `the chain head says ${head.seq} entries but ${last} were found (entries were removed)`,
    );
  }
  return {
    authorityId,
    entries,
    ok: true,
    firstBroken: null,
    head: head ? { seq: head.seq, hash: head.hash } : null,
  };
};

/** The chain head signed with the hub's key, so an authority can keep proof of it outside the hub. */
export const exportAuditHead = async (
  db: Db,
  keys: SigningKeyStore,
  issuer: string,
  authorityId: string,
): Promise<{ authorityId: string; seq: number; hash: string; jws: string }> => {
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.authorityId, authorityId));
  const seq = head?.seq ?? 0;
  const hash = head?.hash ?? GENESIS_HASH;
  const { kid, key } = await keys.signingKey();
  const jws = await new SignJWT({ authority: authorityId, seq, hash })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'ccx-audit-head+jwt' })
    .setIssuer(issuer)
    .setSubject(`audit:${authorityId}`)
    .setIssuedAt()
    .sign(key);
  return { authorityId, seq, hash, jws };
};
