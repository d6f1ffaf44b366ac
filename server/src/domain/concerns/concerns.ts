// Concerns ("QA cases"): logged by any member about a provision. Detail-only records: authorities with
// a need-to-know basis read them; every concern in the last 12 months counts towards the risk RAG.
import { and, count, desc, eq, gte, type SQL } from 'drizzle-orm';
import { riskRagOf, type ConcernView, type RiskRag } from '@ccx/schema';
import { CONCERN, type SqlPolicyContext } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { concerns, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { addMonths } from '../monitoring/schedule.js';
import { iso } from '../pagination.js';
import { recordKit } from '../records/kit.js';

type ConcernRow = typeof concerns.$inferSelect;

const toConcern = (r: ConcernRow): Extract<ConcernView, { layer: 'detail' }> => ({
  layer: 'detail',
  id: r.id,
  provisionId: r.provisionId,
  loggedByAuthorityId: r.authorityId,
  category: r.category as Extract<ConcernView, { layer: 'detail' }>['category'],
  severity: r.severity as Extract<ConcernView, { layer: 'detail' }>['severity'],
  occurredOn: r.occurredOn,
  summary: r.summary,
  restricted: r.restricted,
  createdAt: iso(r.createdAt),
});

/** Concerns through the record kit: a detail view only (no summary layer), no versions yet. */
const concernRecords = recordKit(CONCERN, { detail: (r) => toConcern(r) });

/** The layer at which the caller sees each concern row (no summary layer: a bare member sees nothing). */
export const concernLayerSql = (context: SqlPolicyContext, provisionNeedToKnow?: SQL) =>
  CONCERN.layerSql(context, provisionNeedToKnow);

/** The first day of the risk window: concerns on or after it count (12 months back from today). */
export const riskWindowStart = (today: string, months = 12): string => addDays(addMonths(today, -months), 1);

export const logConcern = async (
  tx: Db,
  actor: Actor,
  input: {
    provisionId: string;
    category: string;
    severity: string;
    occurredOn: string;
    summary: string;
    restricted: boolean;
  },
): Promise<ConcernView> => {
  const [p] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!p) throw notFound(`provision ${input.provisionId}`);
  if (input.occurredOn > londonDate(actor.now))
    throw new AppError('VALIDATION', `occurredOn ${input.occurredOn} is in the future`);
  const [row] = await tx
    .insert(concerns)
    .values({ ...input, authorityId: actor.authorityId, createdBy: actedBy(actor) })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'concern.log',
    recordType: 'concern',
    recordIds: [row!.id],
    provisionIds: [input.provisionId],
    basis: 'publisher',
    details: { category: input.category, severity: input.severity },
  });
  return concernRecords.named(tx, toConcern(row!));
};

/** Concerns at a provision in the window: how many in all, its risk RAG, and those the caller may read. */
export const listConcerns = async (
  tx: Db,
  actor: Actor,
  input: { provisionId: string; sinceMonths: number },
): Promise<{
  provisionId: string;
  concernsLast12Months: number;
  riskRag: RiskRag;
  items: ConcernView[];
  notVisible: number;
}> => {
  const [p] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!p) throw notFound(`provision ${input.provisionId}`);
  const today = londonDate(actor.now);
  const { total } = await riskOf(tx, input.provisionId, today);
  const layer = concernLayerSql({ authorityId: actor.authorityId, now: actor.now });
  const rows = await tx
    .select({ concern: concerns, layer })
    .from(concerns)
    .where(
      and(
        eq(concerns.provisionId, input.provisionId),
        gte(concerns.occurredOn, riskWindowStart(today, input.sinceMonths)),
      ),
    )
    .orderBy(desc(concerns.occurredOn), desc(concerns.id));
  // Those the caller may not read are counted; restricted ones also show as one signal per logger.
  const notVisible = rows.filter((r) => r.layer !== 'detail').length;
  const items = (await concernRecords.present(
    tx,
    actor,
    rows.map((r) => ({ row: r.concern, layer: r.layer })),
  )) as ConcernView[];
  return {
    provisionId: input.provisionId,
    concernsLast12Months: total,
    riskRag: riskRagOf(total),
    items,
    notVisible,
  };
};

/** The risk RAG of one provision: every concern in the last 12 months counts, whoever may read it. */
export const riskOf = async (
  db: Db,
  provisionId: string,
  today: string,
): Promise<{ total: number; rag: RiskRag }> => {
  const [row] = await db
    .select({ n: count() })
    .from(concerns)
    .where(and(eq(concerns.provisionId, provisionId), gte(concerns.occurredOn, riskWindowStart(today))));
  const total = row?.n ?? 0;
  return { total, rag: riskRagOf(total) };
};
