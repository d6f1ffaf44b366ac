// The access policy's SQL face: the same rules as policy.ts, as SQL expressions that lists and
// searches filter and label rows with, so a list never loads a record its caller may not see.
import { and, eq, or, sql, type AnyColumn, type Placeholder, type SQL } from 'drizzle-orm';
import { accessGrants, allocations, authorities, placements, provisions } from '../db/schema/index.js';
import { londonDate } from '../shared/dates.js';
import { currentLeadSql } from './allocations.js';

/**
 * Who is asking and when: values, or `PREPARED_POLICY` for a statement prepared once and run with
 * the `policyValues` of each caller (the placeholders authorityId, today and now).
 */
export type SqlPolicyContext = { authorityId: string; now: Date } | typeof PREPARED_POLICY;

export const PREPARED_POLICY = { prepared: true } as const;

/** The placeholder values a statement built on PREPARED_POLICY needs. */
export const policyValues = (c: { authorityId: string; now: Date }) => ({
  authorityId: c.authorityId,
  today: londonDate(c.now),
  now: c.now.toISOString(),
});

type Bound = { authorityId: string | Placeholder; today: string | Placeholder; now: string | Placeholder };

const bind = (c: SqlPolicyContext): Bound =>
  'prepared' in c
    ? {
        authorityId: sql.placeholder('authorityId'),
        today: sql.placeholder('today'),
        now: sql.placeholder('now'),
      }
    : { authorityId: c.authorityId, today: londonDate(c.now), now: c.now.toISOString() };

const member = (c: Bound): SQL =>
  sql`exists (select 1 from ${authorities} where ${authorities.id} = ${c.authorityId} and ${authorities.status} = 'active')`;

/** lead, host, placing or prospective at the provision in `provisionColumn`. */
export const needToKnowSql = (context: SqlPolicyContext, provisionColumn: AnyColumn | SQL): SQL => {
  const c = bind(context);
  return sql`(
    exists (select 1 from ${allocations} where ${allocations.provisionId} = ${provisionColumn} and ${allocations.authorityId} = ${c.authorityId}
      and ${currentLeadSql(c.today)})
    or exists (select 1 from ${provisions} where ${provisions.id} = ${provisionColumn} and ${provisions.hostAuthorityId} = ${c.authorityId})
    or exists (select 1 from ${placements} where ${placements.provisionId} = ${provisionColumn} and ${placements.authorityId} = ${c.authorityId}
      and ${placements.fromDate} <= ${c.today}::date and (${placements.endedOn} is null or ${placements.endedOn} > ${c.today}::date))
    or exists (select 1 from ${accessGrants} where ${accessGrants.provisionId} = ${provisionColumn} and ${accessGrants.authorityId} = ${c.authorityId}
      and ${accessGrants.kind} = 'prospective' and ${accessGrants.revokedAt} is null and ${accessGrants.expiresAt} > ${c.now}::timestamptz)
  )`;
};

const shared = (c: Bound, recordIdColumn: AnyColumn): SQL =>
  sql`exists (select 1 from ${accessGrants} where ${accessGrants.recordId} = ${recordIdColumn} and ${accessGrants.authorityId} = ${c.authorityId}
    and ${accessGrants.kind} = 'share' and ${accessGrants.revokedAt} is null
    and (${accessGrants.expiresAt} is null or ${accessGrants.expiresAt} > ${c.now}::timestamptz))`;

/** lead, host, placing or prospective at any provision of the provider in `providerColumn`. */
export const needToKnowProviderSql = (c: SqlPolicyContext, providerColumn: AnyColumn | SQL): SQL => {
  const p2 = sql.raw('ntk_p');
  return sql`exists (select 1 from ${provisions} as ${p2} where ${p2}.provider_id = ${providerColumn} and ${needToKnowSql(c, sql`${p2}.id`)})`;
};

export type RecordColumns = {
  id: AnyColumn;
  publisherAuthorityId: AnyColumn;
  /** A record type without drafts passes the literal sql`'published'`. */
  status: AnyColumn | SQL;
  restricted: AnyColumn | SQL;
  provisionId: AnyColumn;
  /** For records that may be about a whole provider (provisionId null, providerId set). */
  providerId?: AnyColumn;
  /**
   * False for record types with no summary layer (concerns): bare members see nothing. SQL for a
   * statement over rows of several types (the event feed).
   */
  hasSummary?: boolean | SQL;
  /**
   * The caller's need-to-know at the record's provision when the statement has already computed it
   * once per provision (needToKnowSql over the provision, joined in), so it is not evaluated again
   * for every record there.
   */
  provisionNeedToKnow?: SQL;
  /**
   * Whether the record has ended by `today` (a date SQL value), as policy.ts's hasEnded: a restricted
   * record that has ended no longer signals. Absent: only a withdrawn status ends it. The event feed
   * passes sql`false` (an event keeps the facts of its moment: a signal's end is itself an event).
   */
  ended?: ((today: SQL) => SQL) | SQL;
};

/** The layer ('detail' | 'summary' | 'signal' | 'none') at which the caller sees each row: rules in policy.ts order. */
export const layerSql = (
  context: SqlPolicyContext,
  r: RecordColumns,
): SQL<'detail' | 'summary' | 'signal' | 'none'> => {
  const c = bind(context);
  const atProvision = r.provisionNeedToKnow ?? needToKnowSql(context, r.provisionId);
  const today = sql`${c.today}::date`;
  const ended =
    r.ended === undefined
      ? sql`${r.status} = 'withdrawn'`
      : typeof r.ended === 'function'
        ? sql`(${r.status} = 'withdrawn' or coalesce(${r.ended(today)}, false))`
        : r.ended;
  return sql<'detail' | 'summary' | 'signal' | 'none'>`case
    when not ${member(c)} then 'none'
    when ${r.publisherAuthorityId} = ${c.authorityId} then 'detail'
    when ${r.status} = 'draft' then 'none'
    when ${shared(c, r.id)} then 'detail'
    when ${r.restricted} then (case when ${ended} then 'none' else 'signal' end)
    when ${
      r.providerId
        ? sql`(case when ${r.provisionId} is not null then ${atProvision} else ${needToKnowProviderSql(context, r.providerId)} end)`
        : atProvision
    } then 'detail'
    else ${
      r.hasSummary === undefined || r.hasSummary === true
        ? sql`'summary'`
        : r.hasSummary === false
          ? sql`'none'`
          : sql`(case when ${r.hasSummary} then 'summary' else 'none' end)`
    } end`;
};

/**
 * A pre-placement grant at a setting the authority hosts or currently leads (on `now`'s London date):
 * it is told of such grants (DESIGN.md §3) and sees them in access.grants, though it cannot end them.
 */
export const watchedProspectiveGrantSql = (authorityId: string, now: Date) =>
  and(
    eq(accessGrants.kind, 'prospective'),
    or(
      sql`exists (select 1 from ${provisions} where ${provisions.id} = ${accessGrants.provisionId} and ${provisions.hostAuthorityId} = ${authorityId})`,
      sql`exists (select 1 from ${allocations} where ${allocations.provisionId} = ${accessGrants.provisionId} and ${allocations.authorityId} = ${authorityId} and ${currentLeadSql(londonDate(now))})`,
    ),
  );
