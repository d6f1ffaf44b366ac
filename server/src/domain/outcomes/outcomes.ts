// Monitoring outcomes: created as a private draft, then published to the partnership. Every read goes
// through the access policy: detail, summary or the restricted signal, and each read of detail is audited.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  ACTION_DUE_DAYS,
  type ActionItem,
  type OutcomeDetail,
  type OutcomeStatus,
  type OutcomeView,
  type Page,
} from '@ccx/schema';
import { currentLeadSql, OUTCOME } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { allocations, outcomes, outcomeVersions, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { afterKeys, encodeKeys, iso, isoOrNull, toPage } from '../pagination.js';
import { historyEntry, recordKit, versionConflict, type VersionRow } from '../records/kit.js';

type OutcomeRow = typeof outcomes.$inferSelect;

export type OutcomeCreateInput = {
  provisionId: string;
  activityType: OutcomeDetail['activityType'];
  activityDate: string;
  announced: boolean;
  overallRating: number;
  sectionJudgements: OutcomeDetail['sectionJudgements'];
  summary: string;
  findings: string;
  actionItems: {
    description: string;
    concernLevel: ActionItem['concernLevel'];
    dueOn?: string | undefined;
  }[];
  nextDueOn?: string | undefined;
  restricted: boolean;
};

/** The summary layer: what every member sees. */
export const toSummary = (r: OutcomeRow): Extract<OutcomeView, { layer: 'summary' }> => ({
  layer: 'summary',
  id: r.id,
  provisionId: r.provisionId,
  publisherAuthorityId: r.authorityId,
  status: r.status as OutcomeDetail['status'],
  activityType: r.activityType as OutcomeDetail['activityType'],
  activityDate: r.activityDate,
  overallRating: r.overallRating,
  byLead: r.byLead,
  publishedAt: isoOrNull(r.publishedAt),
});

/** The detail layer: the summary and everything else. */
export type OutcomeHistory = Extract<OutcomeView, { layer: 'detail' }>['history'];

/** The content of an outcome as it stands, kept with each version. */
export const snapshotOf = (r: OutcomeRow): Record<string, unknown> => ({
  status: r.status,
  restricted: r.restricted,
  activityType: r.activityType,
  activityDate: r.activityDate,
  announced: r.announced,
  overallRating: r.overallRating,
  sectionJudgements: r.sectionJudgements,
  summary: r.summary,
  findings: r.findings,
  actionItems: r.actionItems,
  nextDueOn: r.nextDueOn,
});

export const toDetail = (
  r: OutcomeRow,
  history: OutcomeHistory = [],
): Extract<OutcomeView, { layer: 'detail' }> => ({
  ...toSummary(r),
  layer: 'detail',
  version: r.version,
  restricted: r.restricted,
  announced: r.announced,
  sectionJudgements: r.sectionJudgements as OutcomeDetail['sectionJudgements'],
  summary: r.summary,
  findings: r.findings,
  actionItems: r.actionItems as ActionItem[],
  nextDueOn: r.nextDueOn,
  withdrawnReason: r.withdrawnReason,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  history,
});

/** Outcomes through the record kit: views, signal, history, change and events from one descriptor. */
export const outcomeRecords = recordKit(
  OUTCOME,
  {
    summary: (r) => toSummary(r),
    detail: (r, _today, history: OutcomeHistory[number][]) => toDetail(r, history),
  },
  {
    table: outcomeVersions,
    recordId: outcomeVersions.outcomeId,
    version: outcomeVersions.version,
    snapshot: snapshotOf,
    entry: (v: VersionRow): OutcomeHistory[number] => ({
      ...historyEntry(v),
      snapshot: v.snapshot as Record<string, unknown>,
    }),
  },
);

/** The kept versions of some outcomes, oldest first, in one query. */
export const historyOf = (tx: Db, ids: string[]) => outcomeRecords.historyOf(tx, ids);

/** Version rows (ordered by outcome, then version) as each outcome's history. */
export const histories = (rows: (typeof outcomeVersions.$inferSelect)[]): Map<string, OutcomeHistory> =>
  outcomeRecords.histories(rows, (v) => (v as typeof outcomeVersions.$inferSelect).outcomeId);

/**
 * New action items. An explicit dueOn is kept as given, even before the publication date (a report
 * entered late, or one whose timescale was agreed at the visit: then it is overdue at once). Without
 * one, the due date is `from` plus the concern level's days, `from` being the publication date; in a
 * draft it is today, marked to be counted again when the draft is published.
 */
export const newActionItems = (
  items: { description: string; concernLevel: ActionItem['concernLevel']; dueOn?: string | undefined }[],
  from: string,
  draft: boolean,
): ActionItem[] =>
  items.map((a) => ({
    id: randomUUID().slice(0, 8),
    description: a.description,
    concernLevel: a.concernLevel,
    dueOn: a.dueOn ?? addDays(from, ACTION_DUE_DAYS[a.concernLevel]),
    ...(a.dueOn === undefined && draft ? { dueOnFromPublication: true } : {}),
    status: 'open',
    history: [],
  }));

/** At publication: each default due date counted again from the publication date. */
export const dueFromPublication = (items: ActionItem[], publishedOn: string): ActionItem[] =>
  items.map(({ dueOnFromPublication, ...item }) =>
    dueOnFromPublication
      ? { ...item, dueOn: addDays(publishedOn, ACTION_DUE_DAYS[item.concernLevel]) }
      : item,
  );

export const createOutcome = async (
  tx: Db,
  actor: Actor,
  input: OutcomeCreateInput,
): Promise<OutcomeView> => {
  const [provision] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  if (input.activityDate > londonDate(actor.now))
    throw new AppError('VALIDATION', `activityDate ${input.activityDate} is in the future`);
  const actionItems = newActionItems(input.actionItems, londonDate(actor.now), true);
  const [row] = await tx
    .insert(outcomes)
    .values({
      provisionId: input.provisionId,
      authorityId: actor.authorityId,
      status: 'draft',
      restricted: input.restricted,
      activityType: input.activityType,
      activityDate: input.activityDate,
      announced: input.announced,
      overallRating: input.overallRating,
      sectionJudgements: input.sectionJudgements,
      summary: input.summary,
      findings: input.findings,
      actionItems,
      nextDueOn: input.nextDueOn ?? null,
      createdBy: actedBy(actor),
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.create',
    recordType: 'outcome',
    recordIds: [row!.id],
    provisionIds: [input.provisionId],
    basis: 'publisher',
  });
  return outcomeRecords.named(tx, toDetail(row!));
};

export const publishOutcome = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number },
): Promise<OutcomeView> => {
  const today = londonDate(actor.now);
  // One statement publishes the caller's own draft at the version it read, deciding whether it
  // publishes as the lead authority; when it changes nothing, the row says why.
  const [published] = await tx
    .update(outcomes)
    .set({
      status: 'published',
      publishedAt: actor.now,
      byLead: sql`exists (select 1 from ${allocations} where ${allocations.provisionId} = ${outcomes.provisionId}
        and ${allocations.authorityId} = ${actor.authorityId} and ${currentLeadSql(today)})`,
      version: sql`${outcomes.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(outcomes.id, input.id),
        eq(outcomes.authorityId, actor.authorityId),
        eq(outcomes.status, 'draft'),
        eq(outcomes.version, input.version),
      ),
    )
    .returning();
  if (!published) {
    const [row] = await tx.select().from(outcomes).where(eq(outcomes.id, input.id));
    // Another authority's draft is not the caller's to know of.
    if (!row || (row.authorityId !== actor.authorityId && row.status === 'draft'))
      throw notFound(`outcome ${input.id}`);
    if (row.authorityId !== actor.authorityId)
      throw new AppError('FORBIDDEN', 'only the authority that wrote an outcome can publish it');
    if (row.status !== 'draft')
      throw new AppError('CONFLICT', `outcome ${input.id} is already ${row.status}`);
    throw versionConflict('outcome', input.id, input.version, row.version);
  }
  // Default due dates count from publication (a draft's were counted from the day it was written).
  const drafted = published.actionItems as ActionItem[];
  const updated = drafted.some((i) => i.dueOnFromPublication)
    ? (
        await tx
          .update(outcomes)
          .set({ actionItems: dueFromPublication(drafted, today) })
          .where(eq(outcomes.id, input.id))
          .returning()
      )[0]!
    : published;
  // The audit entry, the first version and the event go out together: the transaction's connection
  // sends the statements at once and the database runs them in order, one round trip for the three.
  // A draft has no versions: the one recorded now is its whole history.
  const [, kept] = await Promise.all([
    appendAudit(tx, {
      ...auditActor(actor),
      action: 'outcome.publish',
      recordType: 'outcome',
      recordIds: [input.id],
      provisionIds: [updated.provisionId],
      basis: 'publisher',
      details: { byLead: updated.byLead },
    }),
    outcomeRecords.keepVersion(tx, actor, updated, 'published', null),
    outcomeRecords.emit(tx, 'outcome.published', updated, actor.now),
  ]);
  return outcomeRecords.named(tx, toDetail(updated, [kept]));
};

export const getOutcome = (tx: Db, actor: Actor, id: string): Promise<OutcomeView> =>
  outcomeRecords.get(tx, actor, id) as Promise<OutcomeView>;

const outcomeLayerSql = (actor: Pick<Actor, 'authorityId' | 'now'>) =>
  OUTCOME.layerSql({ authorityId: actor.authorityId, now: actor.now });

/** Every outcome at a provision the caller may know of, newest first, each at the caller's layer. */
export const listOutcomesForProvision = async (
  tx: Db,
  actor: Actor,
  input: { provisionId: string; includeDrafts: boolean },
): Promise<OutcomeView[]> => {
  const [provision] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  const layer = outcomeLayerSql(actor);
  const rows = await tx
    .select({ outcome: outcomes, layer })
    .from(outcomes)
    .where(
      and(
        eq(outcomes.provisionId, input.provisionId),
        sql`${layer} <> 'none'`,
        input.includeDrafts ? undefined : sql`${outcomes.status} <> 'draft'`,
      ),
    )
    .orderBy(desc(outcomes.activityDate), desc(outcomes.id));
  return presentOutcomes(tx, actor, rows);
};

export type OutcomeListInput = {
  provisionId?: string | undefined;
  publisherAuthorityId?: string | undefined;
  status?: OutcomeStatus | undefined;
  activityFrom?: string | undefined;
  activityTo?: string | undefined;
  includeDrafts: boolean;
  cursor?: string | undefined;
  limit: number;
};

const outcomeKeys = [
  { column: outcomes.activityDate, cast: 'date' as const },
  { column: outcomes.id, cast: 'uuid' as const },
];

/**
 * Every outcome the caller may know of, at every provision, newest activity first, a page at a time.
 * Restricted outcomes the caller may not read collapse into one signal per publisher and provision:
 * the signals come whole on the first page and take no part in the paging, so no count leaks.
 */
export const listOutcomes = async (
  tx: Db,
  actor: Actor,
  input: OutcomeListInput,
): Promise<Page<OutcomeView>> => {
  const layer = outcomeLayerSql(actor);
  // Signals answer to where and whose only: a filter on content (status, dates) would tell, by a
  // signal's presence or absence, what the caller may not know.
  const scope = and(
    input.provisionId ? eq(outcomes.provisionId, input.provisionId) : undefined,
    input.publisherAuthorityId ? eq(outcomes.authorityId, input.publisherAuthorityId) : undefined,
  );
  const filters = and(
    scope,
    input.status ? eq(outcomes.status, input.status) : undefined,
    input.activityFrom ? sql`${outcomes.activityDate} >= ${input.activityFrom}` : undefined,
    input.activityTo ? sql`${outcomes.activityDate} <= ${input.activityTo}` : undefined,
    // A draft is its publisher's alone (the policy gives no one else a layer for it).
    input.includeDrafts || input.status === 'draft' ? undefined : sql`${outcomes.status} <> 'draft'`,
  );
  const rows = await tx
    .select({ outcome: outcomes, layer })
    .from(outcomes)
    .where(and(sql`${layer} in ('detail', 'summary')`, filters, afterKeys(input.cursor, outcomeKeys, 'desc')))
    .orderBy(desc(outcomes.activityDate), desc(outcomes.id))
    .limit(input.limit + 1);
  const signals = input.cursor
    ? []
    : await tx
        .select({ outcome: outcomes, layer })
        .from(outcomes)
        .where(and(sql`${layer} = 'signal'`, scope))
        .orderBy(desc(outcomes.activityDate), desc(outcomes.id));
  const { items: page, nextCursor } = toPage(rows, input.limit, ({ outcome: o }) =>
    encodeKeys([o.activityDate, o.id]),
  );
  return { items: await presentOutcomes(tx, actor, [...signals, ...page]), nextCursor };
};

/** Listed rows as views: one signal per publisher and provision, any read of detail audited. */
const presentOutcomes = (
  tx: Db,
  actor: Actor,
  rows: { outcome: OutcomeRow; layer: string }[],
): Promise<OutcomeView[]> =>
  outcomeRecords.present(
    tx,
    actor,
    rows.map((r) => ({ row: r.outcome, layer: r.layer })),
  ) as Promise<OutcomeView[]>;
