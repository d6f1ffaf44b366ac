// The overdue list: the deadlines of the records an authority published, and of the records at the
// settings it leads that the policy lets it read in detail — passed, and (when asked) falling due
// soon. The hub-admin sees every authority's, or one authority's.
import { and, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { ActionItem, Deadline, RecordType } from '@ccx/schema';
import { currentLeadSql, OUTCOME, RESTRICTION } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { allocations, outcomes, provisions, restrictions } from '../../db/schema/index.js';
import { nameOne } from '../../db/names.js';
import { AppError } from '../../shared/errors.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { auditActor, type Actor } from '../actor.js';
import { activeRestrictionSql } from '../restrictions/restrictions.js';
import { actionItemDeadline, complianceDeadline, reviewDeadline, type DeadlineFinding } from './rules.js';

/** SQL: `authorityId` is today the lead of the provision, or of any provision of the provider. */
const leadsSql = (
  authorityId: string,
  today: string,
  provisionId: AnyColumn,
  providerId?: AnyColumn,
): SQL => {
  const p = sql.raw('dl_p');
  return sql`exists (select 1 from ${allocations} where ${allocations.authorityId} = ${authorityId}
    and ${currentLeadSql(today)} and (${allocations.provisionId} = ${provisionId}
    ${providerId ? sql`or ${allocations.provisionId} in (select ${p}.id from ${provisions} as ${p} where ${p}.provider_id = ${providerId})` : sql``}))`;
};

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export const listDeadlines = async (
  tx: Db,
  actor: Actor,
  input: { dueWithinDays: number; authorityId?: string | undefined },
): Promise<{ items: Deadline[] }> => {
  if (input.authorityId && input.authorityId !== actor.authorityId && actor.role !== 'hub-admin')
    throw new AppError('FORBIDDEN', "only the hub-admin lists another authority's deadlines");
  const today = londonDate(actor.now);
  const horizon = addDays(today, input.dueWithinDays);
  // The hub-admin without an authority sees every deadline; anyone else, their authority's.
  const subject = input.authorityId ?? (actor.role === 'hub-admin' ? null : actor.authorityId);
  const ctx = (authorityId: string) => ({ authorityId, now: actor.now });
  const rLayer = RESTRICTION.layerSql(ctx(actor.authorityId));
  const oLayer = OUTCOME.layerSql(ctx(actor.authorityId));

  const restrictionScope = subject
    ? or(
        sql`${restrictions.issuerAuthorityId} = ${subject}`,
        and(
          leadsSql(subject, today, restrictions.provisionId, restrictions.providerId),
          sql`${RESTRICTION.layerSql(ctx(subject))} = 'detail'`,
        ),
      )
    : undefined;
  const restrictionRows = await tx
    .select({
      r: restrictions,
      layer: rLayer,
      leads: sql<boolean>`${leadsSql(actor.authorityId, today, restrictions.provisionId, restrictions.providerId)}`,
    })
    .from(restrictions)
    .where(
      and(
        activeRestrictionSql(today),
        sql`((${restrictions.complianceDueOn} <= ${horizon}::date and ${restrictions.complianceRecordedOn} is null) or ${restrictions.reviewOn} <= ${horizon}::date)`,
        restrictionScope,
      ),
    );
  const outcomeScope = subject
    ? or(
        sql`${outcomes.authorityId} = ${subject}`,
        and(
          leadsSql(subject, today, outcomes.provisionId),
          sql`${OUTCOME.layerSql(ctx(subject))} = 'detail'`,
        ),
      )
    : undefined;
  const outcomeRows = await tx
    .select({
      o: outcomes,
      layer: oLayer,
      leads: sql<boolean>`${leadsSql(actor.authorityId, today, outcomes.provisionId)}`,
    })
    .from(outcomes)
    .where(
      and(
        sql`${outcomes.status} in ('published', 'amended')`,
        sql`exists (select 1 from jsonb_array_elements(${outcomes.actionItems}) as item
          where item->>'status' <> 'met' and (item->>'dueOn')::date <= ${horizon}::date)`,
        outcomeScope,
      ),
    );

  const items: Deadline[] = [];
  const detailIds = new Set<string>();
  const add = (
    d: DeadlineFinding,
    recordType: RecordType & ('outcome' | 'restriction'),
    row: { id: string; provisionId: string | null; providerId: string | null; publisher: string },
    layer: string,
    leads: boolean,
  ) => {
    if (d.state === 'not-met' || (d.state === 'due' && (input.dueWithinDays === 0 || d.dueOn > horizon)))
      return;
    // A restricted record the caller sees only as a signal (the hub-admin's oversight reaches no further):
    // its deadline reaches no one it was not shared with, and a line would give away its id.
    if (layer === 'signal' || layer === 'none') return;
    const detail = layer === 'detail';
    if (detail) detailIds.add(row.id);
    items.push({
      kind: d.kind,
      state: d.state === 'overdue' ? 'overdue' : 'due-soon',
      dueOn: d.dueOn,
      daysOverdue: daysBetween(d.dueOn, today),
      recordType,
      recordId: row.id,
      itemId: d.itemId,
      // The hub-admin may see deadlines of records it may not read: the what stays with the record.
      message: detail ? d.message : d.message.replace(/: .*$/, ''),
      what: detail || (layer === 'summary' && recordType === 'restriction') ? d.what : `a ${recordType}`,
      provisionId: row.provisionId,
      providerId: row.providerId,
      publisherAuthorityId: row.publisher,
      as: row.publisher === actor.authorityId ? 'publisher' : leads ? 'lead' : 'hub-admin',
    });
  };
  for (const { r, layer, leads } of restrictionRows) {
    const row = {
      id: r.id,
      provisionId: r.provisionId,
      providerId: r.providerId,
      publisher: r.issuerAuthorityId,
    };
    for (const d of [complianceDeadline(r, today), reviewDeadline(r, today)])
      if (d) add(d, 'restriction', row, layer, leads);
  }
  for (const { o, layer, leads } of outcomeRows) {
    const row = { id: o.id, provisionId: o.provisionId, providerId: null, publisher: o.authorityId };
    for (const item of o.actionItems as ActionItem[]) {
      const d = actionItemDeadline(item, today);
      if (d) add(d, 'outcome', row, layer, leads);
    }
  }
  items.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.recordId.localeCompare(b.recordId));
  if (detailIds.size > 0)
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'deadline.list',
      recordIds: [...detailIds],
      provisionIds: [...new Set(items.flatMap((i) => (i.provisionId ? [i.provisionId] : [])))],
      basis: subject === actor.authorityId ? 'publisher-or-lead' : 'hub-admin',
      details: { dueWithinDays: input.dueWithinDays, authorityId: subject },
    });
  return nameOne(tx, { items });
};
