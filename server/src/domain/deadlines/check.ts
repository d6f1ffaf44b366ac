// The placement check's part in deadlines: the published outcomes at the checked settings with action
// items past their due date, only those the caller reads in detail (an action item is detail); and the
// reasons they and the active restrictions' passed deadlines give.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { ActionItem, CheckReasonCode } from '@ccx/schema';
import { needToKnowSql, OUTCOME, PREPARED_POLICY } from '../../access/index.js';
import { authorities, outcomes } from '../../db/schema/index.js';
import { actionItemReasons, restrictionDeadlineReasons } from './rules.js';

export type OverdueActions = { outcomeId: string; provisionId: string; items: ActionItem[]; contact: string };

/**
 * SQL, for a statement built on PREPARED_POLICY (placeholders authorityId, today, now): the published
 * outcomes at the provision in `provisionColumn` with action items past due that the caller reads in
 * detail, as a JSON array of OverdueActions (oldest activity first), or null when there are none.
 * `provisionNeedToKnow`: the caller's need-to-know there, when the statement has it once per provision.
 */
export const overdueActionsSql = (
  provisionColumn: AnyColumn | SQL,
  provisionNeedToKnow: SQL = needToKnowSql(PREPARED_POLICY, outcomes.provisionId),
): SQL<OverdueActions[] | null> =>
  sql<
    OverdueActions[] | null
  >`(select jsonb_agg(jsonb_build_object('outcomeId', ${outcomes.id}, 'provisionId', ${outcomes.provisionId},
      'items', ${outcomes.actionItems}, 'contact', ${authorities.qaInbox}) order by ${outcomes.activityDate}, ${outcomes.id})
    from ${outcomes} inner join ${authorities} on ${authorities.id} = ${outcomes.authorityId}
    where ${outcomes.provisionId} = ${provisionColumn}
      and ${outcomes.status} in ('published', 'amended')
      and exists (select 1 from jsonb_array_elements(${outcomes.actionItems}) as item
        where item->>'status' <> 'met' and (item->>'dueOn')::date < ${sql.placeholder('today')}::date)
      and ${OUTCOME.layerSql(PREPARED_POLICY, provisionNeedToKnow)} = 'detail')`;

type DeadlineReason = { code: CheckReasonCode; message: string; recordId: string; contact: string };

/** The reasons of overdue action items (the caller reads each outcome in detail). */
export const overdueActionReasons = (overdue: OverdueActions[], today: string): DeadlineReason[] =>
  overdue.flatMap((o) =>
    actionItemReasons(o.items, today).map((d) => ({
      code: d.code,
      message: d.message,
      recordId: o.outcomeId,
      contact: o.contact,
    })),
  );

/** The reasons of an active restriction's passed deadlines, at the caller's layer. */
export const restrictionDeadlineCheckReasons = (
  r: Parameters<typeof restrictionDeadlineReasons>[0] & { id: string },
  layer: 'detail' | 'summary' | 'signal' | 'none',
  today: string,
  contact: string,
): DeadlineReason[] =>
  restrictionDeadlineReasons(r, layer, today).map((d) => ({
    code: d.code,
    message: d.message,
    recordId: r.id,
    contact,
  }));
