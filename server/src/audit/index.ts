// The audit log: every write and every read of detail, appended to the acting authority's hash
// chain in the caller's transaction. Entries cannot be changed (the database refuses), and a
// changed or missing entry breaks the chain, which verifyAuditChain finds.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import type { AuditEntry } from '@ccx/schema';
import type { SigningKeyStore } from '../auth/signing-keys.js';
import type { Db } from '../db/index.js';
import { allocations, auditHeads, auditLog, outcomes, provisions } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

export { canonicalJson };

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = {
  authorityId: string;
  clientId: string | null;
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

/** Who is acting, for audit entries: a principal plus the request id. */
export type Actor = { authorityId: string; clientId: string; requestId?: string | undefined };

type Hashed = Omit<AuditEntry, 'hash' | 'prevHash'>;

const hashEntry = (prevHash: string, e: Hashed): string =>
  createHash('sha256')
    .update(`${prevHash}\n`)
    .update(
      canonicalJson({
        authorityId: e.authorityId,
        seq: e.seq,
        at: e.at,
        clientId: e.clientId,
        action: e.action,
        recordType: e.recordType,
        recordIds: e.recordIds,
        provisionIds: e.provisionIds,
        basis: e.basis,
        requestId: e.requestId,
        details: e.details,
      }),
    )
    .digest('hex');

/** Appends one entry to the authority's chain. Call inside the transaction of the change it records. */
export const appendAudit = async (tx: Db, input: AuditInput): Promise<{ seq: number; hash: string }> => {
  // One statement both locks the chain head and advances it (creating it for a first entry).
  const [head] = await tx
    .insert(auditHeads)
    .values({ authorityId: input.authorityId, seq: 1, hash: GENESIS_HASH })
    .onConflictDoUpdate({ target: auditHeads.authorityId, set: { seq: sql`${auditHeads.seq} + 1` } })
    .returning({ seq: auditHeads.seq, prevHash: auditHeads.hash });
  const entry: Hashed = {
    authorityId: input.authorityId,
    seq: head!.seq,
    at: (input.at ?? new Date()).toISOString(),
    clientId: input.clientId,
    action: input.action,
    recordType: input.recordType ?? null,
    recordIds: input.recordIds ?? [],
    provisionIds: input.provisionIds ?? [],
    basis: input.basis ?? null,
    requestId: input.requestId ?? null,
    details: input.details ?? {},
  };
  const hash = hashEntry(head!.prevHash, entry);
  await tx.insert(auditLog).values({ ...entry, at: new Date(entry.at), prevHash: head!.prevHash, hash });
  await tx.update(auditHeads).set({ hash }).where(eq(auditHeads.authorityId, input.authorityId));
  return { seq: entry.seq, hash };
};

type AuditRow = typeof auditLog.$inferSelect;

const toEntry = (r: AuditRow): AuditEntry => ({
  authorityId: r.authorityId,
  seq: r.seq,
  at: r.at.toISOString(),
  clientId: r.clientId,
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
      if (hashEntry(prevHash, e) !== e.hash)
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

/**
 * What other authorities' entries an authority may see: reads of, and access given to, the records it
 * published; reads and pre-placement grants at the settings it leads or hosts. Never their writes (a
 * draft, a declaration), which are theirs to know.
 */
const ACTIONS_ON_MY_RECORDS = ['outcome.read', 'outcome.list', 'access.share', 'access.revoke'];
const ACTIONS_AT_MY_PROVISIONS = ['outcome.read', 'outcome.list', 'access.prospective'];

export type AuditListInput = {
  scope: 'mine' | 'reads-of-my-records' | 'reads-at-my-provisions';
  recordId?: string | undefined;
  action?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

/**
 * An authority's view of the log: its own actions, or what other authorities did with the records
 * it published or at the provisions it leads or hosts. Newest first.
 */
export const listAudit = async (
  db: Db,
  authorityId: string,
  input: AuditListInput,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> => {
  let before: number | undefined;
  if (input.cursor) {
    before = Number(Buffer.from(input.cursor, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(before) || before < 1) throw new AppError('VALIDATION', 'cursor is not valid');
  }
  const scope =
    input.scope === 'mine'
      ? eq(auditLog.authorityId, authorityId)
      : input.scope === 'reads-of-my-records'
        ? and(
            sql`${auditLog.authorityId} <> ${authorityId}`,
            inArray(auditLog.action, ACTIONS_ON_MY_RECORDS),
            sql`${auditLog.recordIds} && coalesce((select array_agg(${outcomes.id}::text) from ${outcomes} where ${outcomes.authorityId} = ${authorityId}), '{}'::text[])`,
          )
        : and(
            sql`${auditLog.authorityId} <> ${authorityId}`,
            inArray(auditLog.action, ACTIONS_AT_MY_PROVISIONS),
            sql`${auditLog.provisionIds} && coalesce((select array_agg(id) from (select ${allocations.provisionId}::text as id from ${allocations} where ${allocations.authorityId} = ${authorityId} and ${allocations.endedAt} is null union select ${provisions.id}::text from ${provisions} where ${provisions.hostAuthorityId} = ${authorityId}) as mine), '{}'::text[])`,
          );
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        scope,
        input.recordId ? sql`${auditLog.recordIds} @> array[${input.recordId}]::text[]` : undefined,
        input.action ? eq(auditLog.action, input.action) : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toEntry),
    nextCursor: rows.length > input.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  };
};
