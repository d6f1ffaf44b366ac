// Explicit access: shares of one record with one authority, and self-service pre-placement grants.
import { and, count, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Grant, RecordType } from '@ccx/schema';
import {
  currentLeadSql,
  decideRecord,
  isGrantActive,
  policyRecordFor,
  watchedProspectiveGrantSql,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import { emitEvent } from '../../events/emit.js';
import type { Db } from '../../db/index.js';
import { accessGrants, allocations, authorities, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { endOfLondonDay, londonDate } from '../../shared/dates.js';
import { iso, isoOrNull } from '../pagination.js';
import { nameAll, nameOne } from '../../db/names.js';

type GrantRow = typeof accessGrants.$inferSelect;

const toGrant = (r: GrantRow, now: Date): Grant => ({
  id: r.id,
  kind: r.kind as Grant['kind'],
  authorityId: r.authorityId,
  provisionId: r.provisionId,
  recordType: r.recordType as Grant['recordType'],
  recordId: r.recordId,
  grantedByAuthorityId: r.grantedByAuthorityId,
  reason: r.reason,
  caseReference: r.caseReference,
  createdAt: iso(r.createdAt),
  expiresAt: isoOrNull(r.expiresAt),
  revokedAt: isoOrNull(r.revokedAt),
  active: isGrantActive(r, now),
});

const activeMember = async (tx: Db, authorityId: string): Promise<void> => {
  const [a] = await tx
    .select({ status: authorities.status })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  if (!a) throw notFound(`authority ${authorityId}`);
  if (a.status !== 'active')
    throw new AppError('VALIDATION', `authority ${authorityId} is ${a.status}, not an active member`);
};

/** access.share: the publisher, or the lead authority of the record's provision, shares it with one authority. */
export const shareRecord = async (
  tx: Db,
  actor: Actor,
  input: { recordType: RecordType; recordId: string; authorityId: string; until?: string | undefined },
): Promise<Grant> => {
  const record = await policyRecordFor(tx, input.recordType, input.recordId);
  if (!record) throw notFound(`${input.recordType} ${input.recordId}`);
  const decision = await decideRecord(tx, actor.authorityId, record, actor.now);
  if (decision.layer === 'none') throw notFound(`${input.recordType} ${input.recordId}`);
  const isPublisher = record.publisherAuthorityId === actor.authorityId;
  const isLead = decision.bases.some((b) => b.basis === 'lead');
  if (!isPublisher && !isLead)
    throw new AppError(
      'FORBIDDEN',
      'only the publishing authority or the lead authority of the setting may share a record',
    );
  // A restricted record's detail is for its publisher and those it chose: the lead, who sees only
  // the signal, must not be able to pass on what it may not read itself.
  if (!isPublisher && record.restricted)
    throw new AppError('FORBIDDEN', 'only the publishing authority may share a restricted record');
  if (record.status === 'draft') throw new AppError('CONFLICT', 'publish the record before sharing it');
  if (input.authorityId === actor.authorityId)
    throw new AppError('VALIDATION', 'an authority cannot share a record with itself');
  await activeMember(tx, input.authorityId);
  if (input.until && input.until < londonDate(actor.now))
    throw new AppError('VALIDATION', `until ${input.until} is in the past`);
  const [row] = await tx
    .insert(accessGrants)
    .values({
      kind: 'share',
      authorityId: input.authorityId,
      provisionId: record.provisionId,
      recordType: input.recordType,
      recordId: input.recordId,
      grantedByAuthorityId: actor.authorityId,
      grantedByClientId: actedBy(actor),
      expiresAt: input.until ? endOfLondonDay(input.until) : null,
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'access.share',
    recordType: input.recordType,
    recordIds: [input.recordId, row!.id],
    provisionIds: record.provisionId ? [record.provisionId] : [],
    basis: isPublisher ? 'publisher' : 'lead',
    details: { to: input.authorityId, until: input.until ?? null },
  });
  return nameOne(tx, toGrant(row!, actor.now));
};

/** access.requestProspective: self-service pre-placement access to one provision, for a few days. */
export const requestProspective = async (
  tx: Db,
  actor: Actor,
  input: { provisionId: string; reason: string; caseReference: string; days: number },
  maxOpen: number,
): Promise<Grant> => {
  const [provision] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  // Serialise an authority's requests so two at once cannot both slip under the limit.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`prospective:${actor.authorityId}`}))`);
  const [open] = await tx
    .select({ n: count() })
    .from(accessGrants)
    .where(
      and(
        eq(accessGrants.authorityId, actor.authorityId),
        eq(accessGrants.kind, 'prospective'),
        isNull(accessGrants.revokedAt),
        gt(accessGrants.expiresAt, actor.now),
      ),
    );
  const [existing] = await tx
    .select({ expiresAt: accessGrants.expiresAt })
    .from(accessGrants)
    .where(
      and(
        eq(accessGrants.authorityId, actor.authorityId),
        eq(accessGrants.kind, 'prospective'),
        eq(accessGrants.provisionId, input.provisionId),
        isNull(accessGrants.revokedAt),
        gt(accessGrants.expiresAt, actor.now),
      ),
    );
  if (existing) {
    throw new AppError(
      'CONFLICT',
      `your authority already holds an open pre-placement grant for this setting, until ${existing.expiresAt?.toISOString()}`,
    );
  }
  if ((open?.n ?? 0) >= maxOpen) {
    throw new AppError(
      'CONFLICT',
      `your authority already holds ${maxOpen} open pre-placement grants, the most allowed; revoke one you no longer need`,
    );
  }
  const [row] = await tx
    .insert(accessGrants)
    .values({
      kind: 'prospective',
      authorityId: actor.authorityId,
      provisionId: input.provisionId,
      grantedByAuthorityId: actor.authorityId,
      grantedByClientId: actedBy(actor),
      reason: input.reason,
      caseReference: input.caseReference,
      expiresAt: new Date(actor.now.getTime() + input.days * 86_400_000),
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'access.prospective',
    recordType: 'grant',
    recordIds: [row!.id],
    provisionIds: [input.provisionId],
    basis: 'prospective',
    details: { reason: input.reason, caseReference: input.caseReference, days: input.days },
  });
  // The (current) lead and host authorities are told of every pre-placement grant at their settings.
  const [host] = await tx
    .select({ id: provisions.hostAuthorityId })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  const leads = await tx
    .select({ authorityId: allocations.authorityId })
    .from(allocations)
    .where(and(eq(allocations.provisionId, input.provisionId), currentLeadSql(londonDate(actor.now))));
  await emitEvent(tx, {
    type: 'access.prospective-granted',
    at: actor.now,
    audience: 'authorities',
    authorityIds: [
      ...new Set([actor.authorityId, ...(host ? [host.id] : []), ...leads.map((l) => l.authorityId)]),
    ],
    provisionId: input.provisionId,
    summary: {
      grantId: row!.id,
      provisionId: input.provisionId,
      authorityId: actor.authorityId,
      reason: input.reason,
      caseReference: input.caseReference,
      expiresAt: row!.expiresAt?.toISOString() ?? null,
    },
  });
  return nameOne(tx, toGrant(row!, actor.now));
};

/** access.revoke: the granting authority ends a grant (an authority may also end its own pre-placement grant). */
export const revokeGrant = async (tx: Db, actor: Actor, input: { grantId: string }): Promise<Grant> => {
  const [row] = await tx.select().from(accessGrants).where(eq(accessGrants.id, input.grantId)).for('update');
  if (!row || (row.grantedByAuthorityId !== actor.authorityId && row.authorityId !== actor.authorityId)) {
    // A grant the caller can see but not end is forbidden; one it cannot see is not found (DESIGN.md §7).
    const [watched] = row
      ? await tx
          .select({ id: accessGrants.id })
          .from(accessGrants)
          .where(and(eq(accessGrants.id, row.id), watchedProspectiveGrantSql(actor.authorityId, actor.now)))
      : [];
    if (watched)
      throw new AppError('FORBIDDEN', 'only the authority holding a pre-placement grant can end it');
    throw notFound(`grant ${input.grantId}`);
  }
  if (row.grantedByAuthorityId !== actor.authorityId && row.kind !== 'prospective') {
    throw new AppError('FORBIDDEN', 'only the authority that shared a record can revoke the share');
  }
  if (row.revokedAt) return nameOne(tx, toGrant(row, actor.now));
  const [updated] = await tx
    .update(accessGrants)
    .set({ revokedAt: actor.now })
    .where(eq(accessGrants.id, input.grantId))
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'access.revoke',
    recordType: 'grant',
    recordIds: [input.grantId, ...(row.recordId ? [row.recordId] : [])],
    provisionIds: row.provisionId ? [row.provisionId] : [],
    basis: row.grantedByAuthorityId === actor.authorityId ? 'granter' : 'grantee',
  });
  return nameOne(tx, toGrant(updated!, actor.now));
};

/**
 * Grants the caller may see: those to or from its authority, and every pre-placement grant at a
 * provision it leads or hosts (so the lead and host know who is looking).
 */
export const listGrants = async (
  db: Db,
  actor: Actor,
  input: {
    provisionId?: string | undefined;
    kind?: 'share' | 'prospective' | undefined;
    activeOnly: boolean;
  },
): Promise<Grant[]> => {
  const me = actor.authorityId;
  const now = actor.now;
  const rows = await db
    .select()
    .from(accessGrants)
    .where(
      and(
        or(
          eq(accessGrants.authorityId, me),
          eq(accessGrants.grantedByAuthorityId, me),
          watchedProspectiveGrantSql(me, now),
        ),
        input.provisionId ? eq(accessGrants.provisionId, input.provisionId) : undefined,
        input.kind ? eq(accessGrants.kind, input.kind) : undefined,
        input.activeOnly
          ? and(
              isNull(accessGrants.revokedAt),
              or(isNull(accessGrants.expiresAt), gt(accessGrants.expiresAt, now)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(accessGrants.createdAt))
    .limit(1000);
  return nameAll(
    db,
    rows.map((r) => toGrant(r, now)),
  );
};
