// Listing the audit trail: an authority's own entries, and what other authorities did with the
// records it published or at the settings it leads or hosts — each entry cut to what the viewer may know.
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { AuditEntry } from '@ccx/schema';
import {
  currentLeadSql,
  RECORD_TYPES,
  visibleRecordIds,
  watchedProspectiveGrantSql,
} from '../../access/index.js';
import type { SigningKeyStore } from '../../auth/signing-keys.js';
import { exportAuditHead, toEntry, verifyAuditChain } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { accessGrants, allocations, auditLog, provisions } from '../../db/schema/index.js';
import { londonDate } from '../../shared/dates.js';
import { AppError } from '../../shared/errors.js';
import { nameAll } from '../../db/names.js';

/**
 * What other authorities' entries an authority may see: reads of, and access given to, the records it
 * published (of every record type); reads of every record at the settings it leads or hosts, the
 * placement checks of them, and pre-placement grants there. Never their writes (a draft, a
 * declaration), which are theirs to know.
 */
const READS = [
  ...Object.values(RECORD_TYPES).flatMap((d) => [`${d.type}.read`, `${d.type}.list`]),
  // A placement check shows the records behind its reasons: its entry names them and the settings checked.
  'check.placement',
  'check.placementMany',
];
const ACTIONS_ON_MY_RECORDS = [...READS, 'access.share', 'access.revoke'];
const ACTIONS_AT_MY_PROVISIONS = [...READS, 'access.prospective'];

/** The ids of the provisions the authority currently leads or hosts. */
const myProvisions = (authorityId: string, now: Date) =>
  sql`select ${allocations.provisionId}::text as id from ${allocations} where ${allocations.authorityId} = ${authorityId} and ${currentLeadSql(londonDate(now))} union select ${provisions.id}::text from ${provisions} where ${provisions.hostAuthorityId} = ${authorityId}`;

/**
 * The ids of every record, of every type, at the provisions the authority leads or hosts: about one of
 * them, or about the whole provider of one.
 */
const recordsAt = (authorityId: string, now: Date) =>
  sql.join(
    Object.values(RECORD_TYPES).map((d) =>
      d.columns.providerId
        ? sql`(select ${d.columns.id}::text from ${d.table} where ${d.columns.provisionId}::text in (${myProvisions(authorityId, now)}) or ${d.columns.providerId} in (select ${provisions.providerId} from ${provisions} where ${provisions.id}::text in (${myProvisions(authorityId, now)})))`
        : sql`(select ${d.columns.id}::text from ${d.table} where ${d.columns.provisionId}::text in (${myProvisions(authorityId, now)}))`,
    ),
    sql` union all `,
  );

/** The ids of every record, of every type, that the authority published. */
const publishedBy = (authorityId: string) =>
  sql.join(
    Object.values(RECORD_TYPES).map(
      (d) =>
        sql`(select ${d.columns.id}::text from ${d.table} where ${d.columns.publisher} = ${authorityId})`,
    ),
    sql` union all `,
  );

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
  viewer: { authorityId: string; now: Date },
  input: AuditListInput,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> => {
  const { authorityId } = viewer;
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
            sql`${auditLog.recordIds} && coalesce((select array_agg(id) from (${publishedBy(authorityId)}) as mine(id)), '{}'::text[])`,
          )
        : and(
            sql`${auditLog.authorityId} <> ${authorityId}`,
            inArray(auditLog.action, ACTIONS_AT_MY_PROVISIONS),
            or(
              sql`${auditLog.provisionIds} && coalesce((select array_agg(id) from (${myProvisions(authorityId, viewer.now)}) as mine), '{}'::text[])`,
              // A read of a record there, wherever the reading call was aimed (a provider-wide record).
              and(
                inArray(auditLog.action, READS),
                sql`${auditLog.recordIds} && coalesce((select array_agg(id) from (${recordsAt(authorityId, viewer.now)}) as there(id)), '{}'::text[])`,
              ),
            ),
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
  const entries = items.map(toEntry);
  return {
    // The authority and settings each entry names, beside their ids (its details stay as hashed).
    items: await nameAll(
      db,
      input.scope === 'mine' ? entries : await cutToWhatViewerKnows(db, viewer, entries, input.recordId),
    ),
    nextCursor: rows.length > input.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Another authority's entries name everything that authority touched in one call, which may include
 * records the viewer may not know of (its drafts, restricted records, others' grants). Each entry is
 * cut down to the records (of every type) the viewer sees at summary or detail and the grants it is party to or told
 * of; an entry left with none is dropped, and a cut one says so (its hash is the whole entry's).
 */
const cutToWhatViewerKnows = async (
  db: Db,
  viewer: { authorityId: string; now: Date },
  entries: AuditEntry[],
  filterId: string | undefined,
): Promise<AuditEntry[]> => {
  const ids = [...new Set(entries.flatMap((e) => e.recordIds))].filter((id) => UUID.test(id));
  const known = new Set<string>();
  if (ids.length > 0) {
    const me = viewer.authorityId;
    const [visibleRecords, visibleGrants] = await Promise.all([
      visibleRecordIds(db, viewer, ids),
      db
        .select({ id: accessGrants.id })
        .from(accessGrants)
        .where(
          and(
            inArray(accessGrants.id, ids),
            or(
              eq(accessGrants.authorityId, me),
              eq(accessGrants.grantedByAuthorityId, me),
              watchedProspectiveGrantSql(me, viewer.now),
            ),
          ),
        ),
    ]);
    for (const id of [...visibleRecords, ...visibleGrants.map((g) => g.id)]) known.add(id);
  }
  // Filtering by a record the viewer may not know of must not tell it where that record was touched.
  if (filterId !== undefined && !known.has(filterId)) return [];
  return entries.flatMap((e) => {
    const hidden = e.recordIds.filter((id) => !known.has(id));
    if (hidden.length === 0) return [e];
    const recordIds = e.recordIds.filter((id) => known.has(id));
    if (recordIds.length === 0) return [];
    const drop = new Set(hidden);
    return [
      { ...e, recordIds, details: withoutIds(e.details, drop) as Record<string, unknown>, redacted: true },
    ];
  });
};

/** A copy of audit details without the given ids, as keys, array elements or values. */
const withoutIds = (value: unknown, ids: Set<string>): unknown => {
  if (Array.isArray(value))
    return value.filter((v) => !(typeof v === 'string' && ids.has(v))).map((v) => withoutIds(v, ids));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !ids.has(k) && !(typeof v === 'string' && ids.has(v)))
      .map(([k, v]) => [k, withoutIds(v, ids)]),
  );
};

/** Only the hub-admin may name another authority's chain. */
const chainOf = (actor: { authorityId: string; role: string }, authorityId: string | undefined): string => {
  if (authorityId && authorityId !== actor.authorityId && actor.role !== 'hub-admin') {
    throw new AppError('FORBIDDEN', "only the hub-admin can verify another authority's audit chain");
  }
  return authorityId ?? actor.authorityId;
};

/** Verifies the caller's chain, or (the hub-admin) any authority's. */
export const verifyChain = (
  db: Db,
  actor: { authorityId: string; role: string },
  authorityId: string | undefined,
) => verifyAuditChain(db, chainOf(actor, authorityId));

/** The caller's chain head (or, for the hub-admin, any authority's), signed with the hub's key. */
export const exportChainHead = (
  db: Db,
  keys: SigningKeyStore,
  issuer: string,
  actor: { authorityId: string; role: string },
  authorityId: string | undefined,
) => exportAuditHead(db, keys, issuer, chainOf(actor, authorityId));
