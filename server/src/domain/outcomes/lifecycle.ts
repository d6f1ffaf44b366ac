// After publication: amendments (a new version, the old ones kept), withdrawal (with a reason, kept in
// history) and action-item progress (every change of status or due date kept). Only the publisher acts.
// Before it: a draft, seen by no one but the authority writing it, can be deleted outright.
import { eq, sql } from 'drizzle-orm';
import { type ActionItem, type OutcomeView } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { outcomes, outcomeVersions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { londonDate } from '../../shared/dates.js';
import { historyOf, newActionItems, outcomeRecords, toDetail } from './outcomes.js';

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
  // Items an amendment adds are published with it: their default due dates count from today.
  const added = newActionItems(addActionItems ?? [], londonDate(actor.now), row.status === 'draft');
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

/**
 * Deletes a draft. Its author is the authority that wrote it: any of that authority's officers (a
 * person or an API client) may delete it, at the version they read. A draft was never seen by another
 * authority, so no event is sent; the deletion is audited. A published outcome is withdrawn instead.
 */
export const deleteDraftOutcome = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number },
): Promise<{ id: string; deleted: true }> => {
  const row = await outcomeRecords.lockForChange(tx, actor, input.id, input.version, {
    forbidden: 'only the authority that wrote an outcome can delete its draft',
    closed: (r) =>
      r.status === 'draft'
        ? null
        : `outcome ${input.id} is ${r.status === 'withdrawn' ? 'withdrawn' : 'published'}: only a draft can be deleted; a published outcome is withdrawn instead (it stays in its history)`,
  });
  await tx.delete(outcomeVersions).where(eq(outcomeVersions.outcomeId, input.id));
  await tx.delete(outcomes).where(eq(outcomes.id, input.id));
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'outcome.delete-draft',
    recordType: 'outcome',
    recordIds: [input.id],
    provisionIds: [row.provisionId],
    basis: 'publisher',
    details: { version: input.version, activityType: row.activityType, activityDate: row.activityDate },
  });
  return { id: input.id, deleted: true };
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
  // A due date given is the publisher's own: no longer counted again at publication.
  const { dueOnFromPublication: _default, ...kept } = item;
  const changed: ActionItem = {
    ...(input.dueOn === undefined ? item : kept),
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
