// The placement check's part in deadlines: the published outcomes at the checked settings with action
// items past their due date, only those the caller reads in detail (an action item is detail); and the
// reasons they and the active restrictions' passed deadlines give.
import { and, eq, sql } from 'drizzle-orm';
import type { ActionItem, CheckReasonCode } from '@ccx/schema';
import { needToKnowSql, OUTCOME, PREPARED_POLICY } from '../../access/index.js';
import type { Db } from '../../db/index.js';
import { perDatabase } from '../../db/prepared.js';
import { authorities, outcomes } from '../../db/schema/index.js';
import { actionItemReasons, restrictionDeadlineReasons } from './rules.js';

export type OverdueActions = { outcomeId: string; provisionId: string; items: ActionItem[]; contact: string };

const statements = perDatabase((db) => ({
  overdueActions: db
    .select({
      outcomeId: outcomes.id,
      provisionId: outcomes.provisionId,
      items: outcomes.actionItems,
      contact: authorities.qaInbox,
    })
    .from(outcomes)
    .innerJoin(authorities, eq(authorities.id, outcomes.authorityId))
    .where(
      and(
        sql`${outcomes.provisionId} = any(${sql.placeholder('provisionIds')}::uuid[])`,
        sql`${outcomes.status} in ('published', 'amended')`,
        sql`exists (select 1 from jsonb_array_elements(${outcomes.actionItems}) as item
          where item->>'status' <> 'met' and (item->>'dueOn')::date < ${sql.placeholder('today')}::date)`,
        sql`${OUTCOME.layerSql(PREPARED_POLICY, needToKnowSql(PREPARED_POLICY, outcomes.provisionId))} = 'detail'`,
      ),
    )
    .orderBy(outcomes.activityDate, outcomes.id)
    .prepare('ccx_check_overdue_actions'),
}));

/** The outcomes at these settings with overdue action items that the caller reads in detail. */
export const loadOverdueActions = async (
  db: Db,
  provisionIds: string[],
  policy: { authorityId: string; today: string; now: string },
): Promise<Map<string, OverdueActions[]>> => {
  const byProvision = new Map<string, OverdueActions[]>();
  if (provisionIds.length === 0) return byProvision;
  const rows = await statements(db).overdueActions.execute({ provisionIds, ...policy });
  for (const r of rows) {
    const row = { ...r, items: r.items as ActionItem[] };
    byProvision.set(r.provisionId, [...(byProvision.get(r.provisionId) ?? []), row]);
  }
  return byProvision;
};

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
