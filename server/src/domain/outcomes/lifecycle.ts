// After publication: amendments (a new version, the old ones kept), withdrawal (with a reason, kept in
// history) and action-item progress (every change of status or due date kept). Only the publisher acts.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ACTION_DUE_DAYS, type ActionItem, type OutcomeView } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { outcomes } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { historyOf, outcomeRecords, toDetail } from './outcomes.js';

type OutcomeRow = typeof outcomes.$inferSelect;

/** Locks the outcome and checks the caller may change it at the version it names. */
const lockForChange = (
  tx: Db,
  actor: Actor,
  id: string,
  version: number,
  verb: string,
): Promise<OutcomeRow> =>
  outcomeRecords.lockForChange(tx, actor, id, version, {
    forbidden: `only the authority that published an outcome can ${verb} it`,
    closed: (row) =>
      row.status === 'withdrawn' ? `outcome ${id} was withdrawn; it can no longer be changed` : null,
  });

const detailOf = async (tx: Db, row: OutcomeRow): Promise<OutcomeView> =>
  outcomeRecords.named(tx, toDetail(row, (await historyOf(tx, [row.id])).get(row.id)));

export type AmendInput = {
  id: string;
  version: number;
  reason: string;
  changes: {
    activityType?: OutcomeRow['activityType'] | undefined;
    activityDate?: string | undefined;
    announced?: boolean | undefined;
    overallRating?: number | undefined;
    sectionJudgements?: unknown[] | undefined;
    summary?: string | undefined;
    findings?: string | undefined;
    nextDueOn?: string | null | undefined;
    restricted?: boolean | undefined;
    addActionItems?:
      | { description: string; concernLevel: ActionItem['concernLevel']; dueOn?: string | undefined }[]
      | undefined;
  };
};

export const amendOutcome = async (tx: Db, actor: Actor, input: AmendInput): Promise<OutcomeView> => {
  const row = await lockForChange(tx, actor, input.id, input.version, 'amend');
  const { addActionItems, ...changes } = input.changes;
  const activityDate = changes.activityDate ?? row.activityDate;
  if (activityDate > londonDate(actor.now))
    throw new AppError('VALIDATION', `activityDate ${activityDate} is in the future`);
  const added = (addActionItems ?? []).map((a): ActionItem => ({
    id: randomUUID().slice(0, 8),
    description: a.description,
    concernLevel: a.concernLevel,
    dueOn: a.dueOn ?? addDays(activityDate, ACTION_DUE_DAYS[a.concernLevel]),
    status: 'open',
    history: [],
  }));
  outcomeRecords.refuseNoChange(row, {
    ...changes,
    ...(added.length > 0 ? { actionItems: [...(row.actionItems as ActionItem[]), ...added] } : {}),
  });
  const actionItems = [...(row.actionItems as ActionItem[]), ...added];
  // A draft is still being written: it changes in place. A published outcome gets a new version.
  const published = row.status !== 'draft';
  const [updated] = await tx
    .update(outcomes)
    .set({
      ...changes,
      actionItems,
      ...(published ? { status: 'amended', amendedAt: actor.now } : {}),
      version: sql`${outcomes.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(outcomes.id, input.id))
    .returning();
  if (published) {
    await outcomeRecords.keepVersion(tx, actor, updated!, 'amended', input.reason);
    await outcomeRecords.emit(tx, 'outcome.amended', updated!, actor.now);
  }
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.amend',
    recordType: 'outcome',
    recordIds: [input.id],
    provisionIds: [row.provisionId],
    basis: 'publisher',
    details: { fromVersion: input.version, reason: input.reason, fields: Object.keys(input.changes).sort() },
  });
  return detailOf(tx, updated!);
};

export const withdrawOutcome = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number; reason: string },
): Promise<OutcomeView> => {
  const row = await lockForChange(tx, actor, input.id, input.version, 'withdraw');
  if (row.status === 'draft')
    throw new AppError('CONFLICT', `outcome ${input.id} is a draft: there is nothing published to withdraw`);
  const [updated] = await tx
    .update(outcomes)
    .set({
      status: 'withdrawn',
      withdrawnAt: actor.now,
      withdrawnReason: input.reason,
      version: sql`${outcomes.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(outcomes.id, input.id))
    .returning();
  await outcomeRecords.keepVersion(tx, actor, updated!, 'withdrawn', input.reason);
  await outcomeRecords.emit(tx, 'outcome.withdrawn', updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.withdraw',
    recordType: 'outcome',
    recordIds: [input.id],
    provisionIds: [row.provisionId],
    basis: 'publisher',
    details: { reason: input.reason },
  });
  return detailOf(tx, updated!);
};

export const updateActionItem = async (
  tx: Db,
  actor: Actor,
  input: {
    outcomeId: string;
    version: number;
    itemId: string;
    status?: ActionItem['status'] | undefined;
    dueOn?: string | undefined;
    note?: string | undefined;
  },
): Promise<OutcomeView> => {
  const row = await lockForChange(tx, actor, input.outcomeId, input.version, 'update the action items of');
  const items = row.actionItems as ActionItem[];
  const item = items.find((i) => i.id === input.itemId);
  if (!item) throw notFound(`action item ${input.itemId}`);
  const status = input.status ?? (input.dueOn && input.dueOn > item.dueOn ? 'extended' : item.status);
  const dueOn = input.dueOn ?? item.dueOn;
  const changed: ActionItem = {
    ...item,
    status,
    dueOn,
    history: [
      ...(item.history ?? []),
      {
        at: actor.now.toISOString(),
        status,
        dueOn,
        note: input.note ?? null,
        byAuthorityId: actor.authorityId,
      },
    ],
  };
  const [updated] = await tx
    .update(outcomes)
    .set({
      actionItems: items.map((i) => (i.id === item.id ? changed : i)),
      version: sql`${outcomes.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(outcomes.id, input.outcomeId))
    .returning();
  if (row.status !== 'draft')
    await outcomeRecords.keepVersion(
      tx,
      actor,
      updated!,
      'action-item',
      input.note ?? `${item.id}: ${status}, due ${dueOn}`,
    );
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.action-item',
    recordType: 'outcome',
    recordIds: [input.outcomeId],
    provisionIds: [row.provisionId],
    basis: 'publisher',
    details: { itemId: item.id, status, dueOn },
  });
  return detailOf(tx, updated!);
};
