// Monitoring outcomes: created as a private draft, then published to the partnership. Every read goes
// through the access policy: detail, summary or the restricted signal, and each read of detail is audited.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  ACTION_DUE_DAYS,
  type ActionItem,
  type OutcomeDetail,
  type OutcomeStatus,
  type OutcomeView,
  type Page,
} from '@ccx/schema';
import {
  contactOf,
  decide,
  decideRecord,
  currentAllocationSql,
  layerSql,
  loadWorld,
  deriveRecordBases,
  type Decision,
  type PolicyRecord,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import { emitEvent } from '../../events/emit.js';
import type { Db } from '../../db/index.js';
import { allocations, outcomes, outcomeVersions, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { afterKeys, encodeKeys, iso, isoOrNull, toPage } from '../pagination.js';

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

/** Keeps one version of an outcome: what changed, why, and its content as it then stood. */
export const recordVersion = async (
  tx: Db,
  actor: Actor,
  row: OutcomeRow,
  change: string,
  note: string | null,
): Promise<OutcomeHistory[number]> => {
  const snapshot = snapshotOf(row);
  await tx.insert(outcomeVersions).values({
    outcomeId: row.id,
    version: row.version,
    change,
    note,
    snapshot,
    byAuthorityId: actor.authorityId,
    byClientId: actor.clientId,
    at: actor.now,
  });
  return {
    version: row.version,
    at: actor.now.toISOString(),
    change,
    note,
    byAuthorityId: actor.authorityId,
    snapshot,
  };
};

/** The outbox row of an outcome change: its summary and detail as they now stand; who receives what is the policy's. */
export const emitOutcomeEvent = (
  tx: Db,
  type: 'outcome.published' | 'outcome.amended' | 'outcome.withdrawn',
  row: OutcomeRow,
  at: Date,
) =>
  emitEvent(tx, {
    type,
    at,
    audience: 'record',
    recordType: 'outcome',
    recordId: row.id,
    publisherAuthorityId: row.authorityId,
    restricted: row.restricted,
    provisionId: row.provisionId,
    summary: toSummary(row),
    detail: toDetail(row),
  });

/** The kept versions of some outcomes, oldest first, in one query. */
export const historyOf = async (tx: Db, ids: string[]): Promise<Map<string, OutcomeHistory>> => {
  if (ids.length === 0) return new Map();
  return histories(
    await tx
      .select()
      .from(outcomeVersions)
      .where(inArray(outcomeVersions.outcomeId, ids))
      .orderBy(asc(outcomeVersions.outcomeId), asc(outcomeVersions.version)),
  );
};

/** Version rows (ordered by outcome, then version) as each outcome's history. */
export const histories = (rows: (typeof outcomeVersions.$inferSelect)[]): Map<string, OutcomeHistory> => {
  const byId = new Map<string, OutcomeHistory>();
  for (const v of rows) {
    const list = byId.get(v.outcomeId) ?? [];
    list.push({
      version: v.version,
      at: iso(v.at),
      change: v.change,
      note: v.note,
      byAuthorityId: v.byAuthorityId,
      snapshot: v.snapshot as Record<string, unknown>,
    });
    byId.set(v.outcomeId, list);
  }
  return byId;
};

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

export const restrictedSignal = (
  provisionId: string,
  contact: string,
): Extract<OutcomeView, { layer: 'signal' }> => ({
  layer: 'signal',
  provisionId,
  contact,
  message: `a member authority holds restricted information about this setting: contact ${contact} before placing`,
});

export const policyRecordOf = (r: OutcomeRow): PolicyRecord => ({
  type: 'outcome',
  id: r.id,
  publisherAuthorityId: r.authorityId,
  status: r.status as PolicyRecord['status'],
  restricted: r.restricted,
  scope: { provisionId: r.provisionId },
});

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
  const actionItems: ActionItem[] = input.actionItems.map((a) => ({
    id: randomUUID().slice(0, 8),
    description: a.description,
    concernLevel: a.concernLevel,
    dueOn: a.dueOn ?? addDays(input.activityDate, ACTION_DUE_DAYS[a.concernLevel]),
    status: 'open',
    history: [],
  }));
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
      createdBy: actor.clientId,
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
  return toDetail(row!);
};

export const publishOutcome = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number },
): Promise<OutcomeView> => {
  const today = londonDate(actor.now);
  // One statement publishes the caller's own draft at the version it read, deciding whether it
  // publishes as the lead authority; when it changes nothing, the row says why.
  const [updated] = await tx
    .update(outcomes)
    .set({
      status: 'published',
      publishedAt: actor.now,
      byLead: sql`exists (select 1 from ${allocations} where ${allocations.provisionId} = ${outcomes.provisionId}
        and ${allocations.authorityId} = ${actor.authorityId} and ${allocations.role} = 'quality' and ${currentAllocationSql(today)})`,
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
  if (!updated) {
    const [row] = await tx.select().from(outcomes).where(eq(outcomes.id, input.id));
    // Another authority's draft is not the caller's to know of.
    if (!row || (row.authorityId !== actor.authorityId && row.status === 'draft'))
      throw notFound(`outcome ${input.id}`);
    if (row.authorityId !== actor.authorityId)
      throw new AppError('FORBIDDEN', 'only the authority that wrote an outcome can publish it');
    if (row.status !== 'draft')
      throw new AppError('CONFLICT', `outcome ${input.id} is already ${row.status}`);
    throw new AppError(
      'CONFLICT',
      `outcome ${input.id} has changed: you sent version ${input.version}, the current version is ${row.version}`,
    );
  }
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.publish',
    recordType: 'outcome',
    recordIds: [input.id],
    provisionIds: [updated.provisionId],
    basis: 'publisher',
    details: { byLead: updated.byLead },
  });
  // A draft has no versions: the one just recorded is its whole history.
  const published = await recordVersion(tx, actor, updated, 'published', null);
  await emitOutcomeEvent(tx, 'outcome.published', updated, actor.now);
  return toDetail(updated, [published]);
};

const view = async (tx: Db, row: OutcomeRow, decision: Decision): Promise<OutcomeView | null> => {
  switch (decision.layer) {
    case 'detail':
      return toDetail(row, (await historyOf(tx, [row.id])).get(row.id));
    case 'summary':
      return toSummary(row);
    case 'signal':
      return restrictedSignal(
        row.provisionId,
        (await contactOf(tx, row.authorityId)) ?? 'the publishing authority',
      );
    case 'none':
      return null;
  }
};

export const getOutcome = async (tx: Db, actor: Actor, id: string): Promise<OutcomeView> => {
  const [row] = await tx.select().from(outcomes).where(eq(outcomes.id, id));
  if (!row) throw notFound(`outcome ${id}`);
  const decision = await decideRecord(tx, actor.authorityId, policyRecordOf(row), actor.now);
  const result = await view(tx, row, decision);
  if (!result) throw notFound(`outcome ${id}`);
  if (decision.layer === 'detail') {
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'outcome.read',
      recordType: 'outcome',
      recordIds: [id],
      provisionIds: [row.provisionId],
      basis: decision.basis,
      details: { rule: decision.rule },
    });
  }
  return result;
};

const outcomeLayerSql = (actor: Pick<Actor, 'authorityId' | 'now'>) =>
  layerSql(
    { authorityId: actor.authorityId, now: actor.now },
    {
      id: outcomes.id,
      publisherAuthorityId: outcomes.authorityId,
      status: outcomes.status,
      restricted: outcomes.restricted,
      provisionId: outcomes.provisionId,
    },
  );

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

/** Maps listed rows to their views, one signal per publisher and provision, auditing any detail read. */
const presentOutcomes = async (
  tx: Db,
  actor: Actor,
  rows: { outcome: OutcomeRow; layer: string }[],
): Promise<OutcomeView[]> => {
  const detailRows = rows.filter((r) => r.layer === 'detail').map((r) => r.outcome);
  const histories = await historyOf(
    tx,
    detailRows.map((r) => r.id),
  );
  // The audit entry names the basis of each detail read; each provision's facts are loaded once.
  const readBases: Record<string, string> = {};
  const byProvision = new Map<string, OutcomeRow[]>();
  for (const r of detailRows) byProvision.set(r.provisionId, [...(byProvision.get(r.provisionId) ?? []), r]);
  for (const [provisionId, group] of byProvision) {
    const world = await loadWorld(
      tx,
      actor.authorityId,
      { provisionId },
      group.map((r) => r.id),
      actor.now,
    );
    for (const r of group) {
      const record = policyRecordOf(r);
      readBases[r.id] =
        decide(deriveRecordBases(world, actor.authorityId, record), record).basis ?? 'unknown';
    }
  }
  const items: OutcomeView[] = [];
  const signalled = new Set<string>();
  for (const { outcome, layer: l } of rows) {
    if (l === 'signal') {
      // One signal per publishing authority and provision: the count of restricted records is itself restricted.
      const key = `${outcome.authorityId}:${outcome.provisionId}`;
      if (signalled.has(key)) continue;
      signalled.add(key);
      items.push(
        restrictedSignal(
          outcome.provisionId,
          (await contactOf(tx, outcome.authorityId)) ?? 'the publishing authority',
        ),
      );
    } else if (l === 'detail') {
      items.push(toDetail(outcome, histories.get(outcome.id)));
    } else {
      items.push(toSummary(outcome));
    }
  }
  if (detailRows.length > 0) {
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'outcome.list',
      recordType: 'outcome',
      recordIds: rows.filter((r) => r.layer !== 'signal').map((r) => r.outcome.id),
      provisionIds: [...new Set(rows.filter((r) => r.layer !== 'signal').map((r) => r.outcome.provisionId))],
      basis: [...new Set(Object.values(readBases))].sort().join(','),
      details: { detail: readBases },
    });
  }
  return items;
};
