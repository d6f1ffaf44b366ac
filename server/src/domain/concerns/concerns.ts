// Concerns ("QA cases"): logged by any member about a provision, at a level (Knowsley: minor, level 1,
// level 2) and in a category. Need-to-know-only records (no summary layer). Every version is kept;
// only the logging authority corrects, substantiates, unsubstantiates or closes one. Open and
// substantiated concerns of the last 12 months count towards the setting's and its provider's risk
// rating; unsubstantiated and closed ones stop counting.
import { and, count, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import {
  COUNTING_CONCERN_STATUSES,
  isSignificantConcern,
  riskRagOf,
  type ConcernCategory,
  type ConcernDetail,
  type LoggedConcernLevel,
  type ConcernStatus,
  type ConcernView,
  type RiskBands,
  type RiskRag,
} from '@ccx/schema';
import { CONCERN, type SqlPolicyContext } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { concerns, concernVersions, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { addMonths } from '../monitoring/schedule.js';
import { iso } from '../pagination.js';
import { historyEntry, recordKit, type VersionRow } from '../records/kit.js';
import { riskBandsOf } from './risk-bands.js';

type ConcernRow = typeof concerns.$inferSelect;
type History = ConcernDetail['history'];

/** SQL: the concern counts (open or substantiated). */
export const countingConcernSql = (): SQL =>
  sql`${concerns.status} in (${sql.join(
    COUNTING_CONCERN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )})`;

export const toConcern = (r: ConcernRow, _today: string, history: History): ConcernDetail => ({
  layer: 'detail',
  id: r.id,
  provisionId: r.provisionId,
  loggedByAuthorityId: r.authorityId,
  category: r.category as ConcernCategory,
  level: r.level as LoggedConcernLevel,
  status: r.status as ConcernStatus,
  counts: COUNTING_CONCERN_STATUSES.includes(r.status as ConcernStatus),
  significant: isSignificantConcern(r),
  occurredOn: r.occurredOn,
  summary: r.summary,
  restricted: r.restricted,
  closedReason: r.closedReason,
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  history,
});

const snapshotEntry = (v: VersionRow): History[number] => {
  const s = (v.snapshot ?? {}) as Record<string, unknown>;
  return {
    ...historyEntry(v),
    ...(typeof s.level === 'string' ? { level: s.level as LoggedConcernLevel } : {}),
    ...(typeof s.category === 'string' ? { category: s.category as ConcernCategory } : {}),
    ...(typeof s.status === 'string' ? { status: s.status as ConcernStatus } : {}),
    ...(typeof s.occurredOn === 'string' ? { occurredOn: s.occurredOn } : {}),
    ...(typeof s.summary === 'string' ? { summary: s.summary } : {}),
  };
};

/** Concerns through the record kit: a detail view only (no summary layer), every version kept. */
export const concernRecords = recordKit(
  CONCERN,
  { detail: toConcern },
  {
    table: concernVersions,
    recordId: concernVersions.concernId,
    version: concernVersions.version,
    snapshot: ({ createdAt: _c, updatedAt: _u, ...snapshot }) => snapshot,
    entry: snapshotEntry,
  },
);

/** The layer at which the caller sees each concern row (no summary layer: a bare member sees nothing). */
export const concernLayerSql = (context: SqlPolicyContext, provisionNeedToKnow?: SQL) =>
  CONCERN.layerSql(context, provisionNeedToKnow);

/** The first day of the risk window: concerns on or after it count (12 months back from today). */
export const riskWindowStart = (today: string, months = 12): string => addDays(addMonths(today, -months), 1);

const provisionOf = async (tx: Db, provisionId: string) => {
  const [p] = await tx
    .select({ id: provisions.id, providerId: provisions.providerId })
    .from(provisions)
    .where(eq(provisions.id, provisionId));
  if (!p) throw notFound(`provision ${provisionId}`);
  return p;
};

const detailOf = async (tx: Db, row: ConcernRow, today: string): Promise<ConcernDetail> =>
  concernRecords.named(
    tx,
    toConcern(row, today, (await concernRecords.historyOf(tx, [row.id])).get(row.id) ?? []),
  );

export const logConcern = async (
  tx: Db,
  actor: Actor,
  input: {
    provisionId: string;
    category: ConcernCategory;
    level: LoggedConcernLevel;
    occurredOn: string;
    summary: string;
    restricted: boolean;
  },
): Promise<ConcernView> => {
  await provisionOf(tx, input.provisionId);
  const today = londonDate(actor.now);
  if (input.occurredOn > today)
    throw new AppError('VALIDATION', `occurredOn ${input.occurredOn} is in the future`);
  const [row] = await tx
    .insert(concerns)
    .values({
      provisionId: input.provisionId,
      category: input.category,
      level: input.level,
      occurredOn: input.occurredOn,
      summary: input.summary,
      restricted: input.restricted,
      authorityId: actor.authorityId,
      createdBy: actedBy(actor),
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    .returning();
  await concernRecords.keepVersion(tx, actor, row!, 'logged', null);
  await concernRecords.emit(tx, 'concern.logged', row!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'concern.log',
    recordType: 'concern',
    recordIds: [row!.id],
    provisionIds: [input.provisionId],
    basis: 'publisher',
    details: { category: input.category, level: input.level },
  });
  return detailOf(tx, row!, today);
};

/** Locks a concern for change: only the authority that logged it may, and a closed one no longer changes. */
const lockForChange = (tx: Db, actor: Actor, id: string, version: number): Promise<ConcernRow> =>
  concernRecords.lockForChange(tx, actor, id, version, {
    forbidden:
      'only the authority that logged a concern can correct, substantiate or close it: contact that authority',
    closed: (row) => (row.status === 'closed' ? `concern ${id} was closed and no longer changes` : null),
  });

const change = async (
  tx: Db,
  actor: Actor,
  row: ConcernRow,
  set: Partial<ConcernRow>,
  what: { change: string; note: string | null; event: 'concern.updated' | 'concern.closed'; action: string },
  details: Record<string, unknown>,
): Promise<ConcernView> => {
  const [updated] = await tx
    .update(concerns)
    .set({ ...set, version: sql`${concerns.version} + 1`, updatedAt: actor.now })
    .where(eq(concerns.id, row.id))
    .returning();
  await concernRecords.keepVersion(tx, actor, updated!, what.change, what.note);
  await concernRecords.emit(tx, what.event, updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: what.action,
    recordType: 'concern',
    recordIds: [row.id],
    provisionIds: [row.provisionId],
    basis: 'publisher',
    details: { fromVersion: row.version, ...details, note: what.note },
  });
  return detailOf(tx, updated!, londonDate(actor.now));
};

export type ConcernCorrectInput = {
  id: string;
  version: number;
  note: string;
  idempotencyKey?: string | undefined;
} & Partial<{
  category: ConcernCategory;
  level: LoggedConcernLevel;
  occurredOn: string;
  summary: string;
  restricted: boolean;
}>;

/** Corrects a concern's fields; the note says why, and the version before stays in its history. */
export const correctConcern = async (
  tx: Db,
  actor: Actor,
  input: ConcernCorrectInput,
): Promise<ConcernView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  const { id: _id, version: _v, note, idempotencyKey: _key, ...changes } = input;
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  concernRecords.refuseNoChange(row, defined);
  if (typeof defined.occurredOn === 'string' && defined.occurredOn > londonDate(actor.now))
    throw new AppError('VALIDATION', `occurredOn ${defined.occurredOn} is in the future`);
  return change(
    tx,
    actor,
    row,
    defined,
    { change: 'corrected', note, event: 'concern.updated', action: 'concern.correct' },
    { fields: Object.keys(defined).sort() },
  );
};

/** Marks a concern substantiated or unsubstantiated (an unsubstantiated one stops counting). */
export const markConcern = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number; note?: string | undefined },
  status: 'substantiated' | 'unsubstantiated',
): Promise<ConcernView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  if (row.status === status) throw new AppError('VALIDATION', `concern ${input.id} is already ${status}`);
  return change(
    tx,
    actor,
    row,
    { status },
    {
      change: status,
      note: input.note ?? null,
      event: 'concern.updated',
      action: `concern.${status === 'substantiated' ? 'substantiate' : 'unsubstantiate'}`,
    },
    { from: row.status, to: status },
  );
};

/** Closes a concern with a reason: it stops counting and no longer changes. */
export const closeConcern = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number; reason: string },
): Promise<ConcernView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  return change(
    tx,
    actor,
    row,
    { status: 'closed', closedReason: input.reason },
    { change: 'closed', note: input.reason, event: 'concern.closed', action: 'concern.close' },
    { from: row.status },
  );
};

export const getConcern = (tx: Db, actor: Actor, id: string): Promise<ConcernView> =>
  concernRecords.get(tx, actor, id) as Promise<ConcernView>;

/** Concerns at a provision in the window: the ratings, and those the caller may read (signals for restricted ones). */
export const listConcerns = async (
  tx: Db,
  actor: Actor,
  input: { provisionId: string; sinceMonths: number },
): Promise<{
  provisionId: string;
  concernsLast12Months: number;
  riskRag: RiskRag;
  providerId: string;
  providerConcernsLast12Months: number;
  providerRiskRag: RiskRag;
  items: ConcernView[];
  notVisible: number;
}> => {
  const p = await provisionOf(tx, input.provisionId);
  const today = londonDate(actor.now);
  const risk = await riskOf(tx, input.provisionId, today);
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
    concernsLast12Months: risk.setting.total,
    riskRag: risk.setting.rag,
    providerId: p.providerId,
    providerConcernsLast12Months: risk.provider.total,
    providerRiskRag: risk.provider.rag,
    items,
    notVisible,
  };
};

type Risk = { total: number; levelTwo: number; rag: RiskRag };

/** Counting concerns in the window of some settings: how many, and how many at level 2. */
const countIn = async (db: Db, where: SQL, today: string, bands: RiskBands): Promise<Risk> => {
  const [row] = await db
    .select({
      n: count(),
      levelTwo: sql<number>`count(*) filter (where ${concerns.level} = 'level-2')::int`,
    })
    .from(concerns)
    .where(and(where, countingConcernSql(), gte(concerns.occurredOn, riskWindowStart(today))));
  const total = Number(row?.n ?? 0);
  const levelTwo = Number(row?.levelTwo ?? 0);
  return { total, levelTwo, rag: riskRagOf(total, bands, levelTwo) };
};

/**
 * The risk rating of one provision and of its provider (every setting of it): every counting concern
 * in the last 12 months counts, whoever may read it.
 */
export const riskOf = async (
  db: Db,
  provisionId: string,
  today: string,
): Promise<{ setting: Risk; provider: Risk; bands: RiskBands }> => {
  const p = await provisionOf(db, provisionId);
  const bands = await riskBandsOf(db);
  const ofProvider = db
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.providerId, p.providerId));
  const [setting, provider] = await Promise.all([
    countIn(db, eq(concerns.provisionId, provisionId), today, bands),
    countIn(db, inArray(concerns.provisionId, ofProvider), today, bands),
  ]);
  return { setting, provider, bands };
};
