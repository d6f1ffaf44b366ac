// Deadlines passing, as events: each passed deadline once (a job mark keyed by the record, the item
// and the date, so a deadline moved later and passing again is told again), to the record's publisher
// and the setting's current lead (the policy's deadlineAudience).
import { and, sql } from 'drizzle-orm';
import type { ActionItem, EventType } from '@ccx/schema';
import { deadlineAudience, OUTCOME, RESTRICTION, type RecordRef } from '../../access/index.js';
import type { Db } from '../../db/index.js';
import { jobMarks, outcomes, restrictions } from '../../db/schema/index.js';
import { emitEvent } from '../../events/emit.js';
import { londonDate } from '../../shared/dates.js';
import { activeRestrictionSql } from '../restrictions/restrictions.js';
import { actionItemDeadline, complianceDeadline, reviewDeadline, type DeadlineFinding } from './rules.js';

const EVENT_OF: Record<DeadlineFinding['kind'], EventType> = {
  'action-item': 'deadline.action-overdue',
  compliance: 'deadline.compliance-overdue',
  review: 'deadline.review-overdue',
};

/** Claims a mark; true only for the one caller that made it. */
const markOnce = async (tx: Db, kind: string, key: string): Promise<boolean> =>
  (await tx.insert(jobMarks).values({ kind, key }).onConflictDoNothing().returning({ key: jobMarks.key }))
    .length > 0;

const tell = async (db: Db, now: Date, record: RecordRef, d: DeadlineFinding): Promise<boolean> => {
  const type = EVENT_OF[d.kind];
  const key = [record.id, d.itemId, d.dueOn].filter(Boolean).join(':');
  return db.transaction(async (tx) => {
    if (!(await markOnce(tx, type, key))) return false;
    const data = {
      recordType: record.type,
      recordId: record.id,
      kind: d.kind,
      itemId: d.itemId,
      what: d.what,
      dueOn: d.dueOn,
      message: d.message,
      publisherAuthorityId: record.publisherAuthorityId,
      provisionId: record.provisionId,
      providerId: record.providerId,
    };
    await emitEvent(tx, {
      type,
      at: now,
      audience: 'authorities',
      authorityIds: await deadlineAudience(tx, record, now),
      provisionId: record.provisionId,
      providerId: record.providerId,
      summary: data,
    });
    return true;
  });
};

/** Emits each deadline that has passed and not yet been told; answers how many were told. */
export const emitPassedDeadlines = async (db: Db, now: Date): Promise<number> => {
  const today = londonDate(now);
  let n = 0;
  const passedRestrictions = await db
    .select()
    .from(restrictions)
    .where(
      and(
        activeRestrictionSql(today),
        sql`((${restrictions.complianceDueOn} < ${today}::date and ${restrictions.complianceRecordedOn} is null) or ${restrictions.reviewOn} < ${today}::date)`,
      ),
    )
    .limit(1000);
  for (const r of passedRestrictions) {
    const record = RESTRICTION.recordRef(r);
    for (const d of [complianceDeadline(r, today), reviewDeadline(r, today)])
      if (d?.state === 'overdue' && (await tell(db, now, record, d))) n++;
  }
  const passedOutcomes = await db
    .select()
    .from(outcomes)
    .where(
      and(
        sql`${outcomes.status} in ('published', 'amended')`,
        sql`exists (select 1 from jsonb_array_elements(${outcomes.actionItems}) as item
          where item->>'status' <> 'met' and (item->>'dueOn')::date < ${today}::date)`,
      ),
    )
    .limit(1000);
  for (const o of passedOutcomes) {
    const record = OUTCOME.recordRef(o);
    for (const item of o.actionItems as ActionItem[]) {
      const d = actionItemDeadline(item, today);
      if (d?.state === 'overdue' && (await tell(db, now, record, d))) n++;
    }
  }
  return n;
};
