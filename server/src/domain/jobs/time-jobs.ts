// Events that time alone causes: a restriction's expiry date arriving, monitoring falling overdue, a
// pre-placement grant running out. Each is emitted once (a job mark), whichever process finds it.
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { currentLeadSql, RESTRICTION } from '../../access/index.js';
import type { Db } from '../../db/index.js';
import { accessGrants, allocations, jobMarks, provisions, restrictions } from '../../db/schema/index.js';
import { londonDate } from '../../shared/dates.js';
import { monitoringStates } from '../monitoring/schedule.js';
import { emitEvent } from '../../events/emit.js';

/** Claims a mark; true only for the one caller that made it. */
const markOnce = async (tx: Db, kind: string, key: string): Promise<boolean> => {
  const rows = await tx
    .insert(jobMarks)
    .values({ kind, key })
    .onConflictDoNothing()
    .returning({ key: jobMarks.key });
  return rows.length > 0;
};

/** What a restriction.expired event carries at each layer. */
export const expiryEventData = (r: typeof restrictions.$inferSelect) => {
  const summary = {
    id: r.id,
    kind: r.kind,
    status: 'expired',
    issuerAuthorityId: r.issuerAuthorityId,
    provisionId: r.provisionId,
    providerId: r.providerId,
    effectiveFrom: r.effectiveFrom,
    expiresOn: r.expiresOn,
  };
  return { summary, detail: { ...summary, reasons: r.reasons, summary: r.summary } };
};

export const emitRestrictionExpiries = async (db: Db, now: Date): Promise<number> => {
  const today = londonDate(now);
  const due = await db
    .select()
    .from(restrictions)
    .where(
      and(
        lte(restrictions.expiresOn, today),
        sql`(${restrictions.liftedOn} is null or ${restrictions.liftedOn} > ${restrictions.expiresOn})`,
        sql`not exists (select 1 from ${jobMarks} where ${jobMarks.kind} = 'restriction.expired' and ${jobMarks.key} = ${restrictions.id}::text)`,
      ),
    )
    .limit(500);
  let n = 0;
  for (const r of due) {
    await db.transaction(async (tx) => {
      if (!(await markOnce(tx, 'restriction.expired', r.id))) return;
      const { summary, detail } = expiryEventData(r);
      await emitEvent(tx, {
        type: 'restriction.expired',
        at: now,
        audience: 'record',
        ...RESTRICTION.eventFacts(r),
        summary,
        detail,
      });
      n++;
    });
  }
  return n;
};

/** Monitoring falling overdue at a setting is told to its current lead, whose work it is, and no one else. */
export const emitOverdueMonitoring = async (db: Db, now: Date): Promise<number> => {
  const current = await db
    .select({
      provisionId: allocations.provisionId,
      authorityId: allocations.authorityId,
      name: provisions.name,
    })
    .from(allocations)
    .innerJoin(provisions, eq(provisions.id, allocations.provisionId))
    .where(currentLeadSql(londonDate(now)));
  const states = await monitoringStates(
    db,
    current.map((c) => c.provisionId),
    now,
  );
  let n = 0;
  for (const c of current) {
    const s = states.get(c.provisionId);
    if (!s || s.status !== 'overdue') continue;
    await db.transaction(async (tx) => {
      if (!(await markOnce(tx, 'monitoring.overdue', `${c.provisionId}:${s.nextDueOn}`))) return;
      await emitEvent(tx, {
        type: 'monitoring.overdue',
        at: now,
        audience: 'authorities',
        authorityIds: [c.authorityId],
        provisionId: c.provisionId,
        summary: { provisionId: c.provisionId, name: c.name, leadAuthorityId: c.authorityId, ...s },
      });
      n++;
    });
  }
  return n;
};

export const emitGrantExpiries = async (db: Db, now: Date): Promise<number> => {
  const expired = await db
    .select({ grant: accessGrants, hostAuthorityId: provisions.hostAuthorityId })
    .from(accessGrants)
    .innerJoin(provisions, eq(provisions.id, accessGrants.provisionId))
    .where(
      and(
        eq(accessGrants.kind, 'prospective'),
        isNull(accessGrants.revokedAt),
        lte(accessGrants.expiresAt, now),
        sql`not exists (select 1 from ${jobMarks} where ${jobMarks.kind} = 'grant.expired' and ${jobMarks.key} = ${accessGrants.id}::text)`,
      ),
    )
    .limit(500);
  let n = 0;
  for (const { grant: g, hostAuthorityId } of expired) {
    await db.transaction(async (tx) => {
      if (!(await markOnce(tx, 'grant.expired', g.id))) return;
      // The grantee, the host and the current lead (as the job runs) are told the grant has ended.
      const leads = await tx
        .select({ authorityId: allocations.authorityId })
        .from(allocations)
        .where(and(eq(allocations.provisionId, g.provisionId!), currentLeadSql(londonDate(now))));
      await emitEvent(tx, {
        type: 'access.prospective-expired',
        at: now,
        audience: 'authorities',
        authorityIds: [...new Set([g.authorityId, hostAuthorityId, ...leads.map((l) => l.authorityId)])],
        provisionId: g.provisionId,
        summary: {
          grantId: g.id,
          provisionId: g.provisionId,
          authorityId: g.authorityId,
          caseReference: g.caseReference,
          expiresAt: g.expiresAt?.toISOString() ?? null,
        },
      });
      n++;
    });
  }
  return n;
};
