// The placement check, part one: the facts about each checked setting, as the caller may see them —
// the setting and its provider, its current lead, its latest published outcome, the restrictions on it
// and its provider, its concerns of the last 12 months, its overdue action items, and the histories of
// what the caller reads in detail — read by one statement prepared once per database, one row per
// setting found, each kind of record beside it as JSON.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DEFAULT_RISK_BANDS, type Layer, type RiskBands } from '@ccx/schema';
import {
  CONCERN,
  currentLeadSql,
  needToKnowSql,
  OUTCOME,
  PREPARED_POLICY,
  policyValues,
  RESTRICTION,
  signalIdsOf,
} from '../../access/index.js';
import type { Db } from '../../db/index.js';
import { jsonRowReader, type JsonRow } from '../../db/json-rows.js';
import { perDatabase } from '../../db/prepared.js';
import {
  allocations,
  authorities,
  concerns,
  monitoringFrequencies,
  monitoringRiskFrequencies,
  outcomes,
  outcomeVersions,
  providers,
  provisions,
  restrictions,
  restrictionVersions,
  riskBands,
} from '../../db/schema/index.js';
import type { Actor } from '../actor.js';
import { countingConcernSql, riskWindowStart } from '../concerns/concerns.js';
import { overdueActionsSql } from '../deadlines/check.js';
import { countsAsMonitoringSql } from '../monitoring/rules.js';
import { histories as outcomeHistories } from '../outcomes/outcomes.js';
import { activeRestrictionSql, histories as restrictionHistories } from '../restrictions/restrictions.js';
import type { CheckFacts, CheckTarget, SignificantConcern } from './verdict.js';

// The checked provisions. Aliased: the policy's subqueries read the provisions table, and an unaliased
// outer "provisions"."id" would be captured by them. Every record subquery below reads its table under
// its own name (the policy's SQL names the tables' columns) in a scope of its own.
const target = alias(provisions, 'checked_provision');
const leadAuthority = alias(authorities, 'lead_authority');
const asked = alias(provisions, 'asked');
const seenLayer = sql.raw('seen_layer');

/**
 * The caller's need-to-know at the checked provision, decided once per provision and read by every
 * record's layer. LIMIT keeps PostgreSQL from inlining it (and the policy's subqueries) into each use.
 */
const knownAt = (db: Db) =>
  db
    .select({ known: sql<boolean>`${needToKnowSql(PREPARED_POLICY, target.id)}`.as('known') })
    .from(sql`(values (1)) as one`)
    .limit(1)
    .as('known_at');

/**
 * The latest published outcome the caller reads (summary or detail), whoever published it, with its
 * layer (decided once), its publisher's contact and, read in detail, its history. "Not signal or none"
 * rather than "detail or summary": PostgreSQL estimates the first to keep most rows, so it walks
 * outcomes_latest_idx in order and stops at the first; the second it estimates keeps almost none, and
 * it would read and sort every outcome of the setting.
 */
const latestSql = (known: SQL) => {
  const layer = OUTCOME.layerSql(PREPARED_POLICY, known);
  const o = alias(outcomes, 'latest');
  const publisher = alias(authorities, 'publisher');
  return sql<{
    outcome: JsonRow;
    layer: Layer;
    contact: string | null;
    history: JsonRow[] | null;
  } | null>`(select jsonb_build_object('outcome', to_jsonb(${o}), 'layer', ${o}.${seenLayer}, 'contact', ${publisher.qaInbox},
      'history', case when ${o}.${seenLayer} = 'detail' then (select jsonb_agg(to_jsonb(${outcomeVersions}) order by ${outcomeVersions.version})
        from ${outcomeVersions} where ${outcomeVersions.outcomeId} = ${o.id}) end)
    from (select ${outcomes}.*, ${layer} as ${seenLayer} from ${outcomes}
      where ${outcomes.provisionId} = ${target.id} and ${outcomes.status} in ('published', 'amended')
        and ${layer} not in ('signal', 'none')
      order by ${outcomes.activityDate} desc, ${outcomes.publishedAt} desc limit 1) as ${o}
    left join ${authorities} as ${publisher} on ${publisher.id} = ${o.authorityId})`;
};

/** The latest outcome that counts as monitoring that the caller sees (its date and next due date: the schedule's). */
const monitoredSql = (known: SQL) =>
  sql<{
    activityDate: string;
    nextDueOn: string | null;
  } | null>`(select jsonb_build_object('activityDate', ${outcomes.activityDate}, 'nextDueOn', ${outcomes.nextDueOn})
    from ${outcomes}
    where ${outcomes.provisionId} = ${target.id} and ${countsAsMonitoringSql(outcomes)}
      and ${OUTCOME.layerSql(PREPARED_POLICY, known)} in ('detail', 'summary')
    order by ${outcomes.activityDate} desc, ${outcomes.publishedAt} desc limit 1)`;

/** The newest published outcome, whoever sees it, with its layer: a signal when the caller sees only that. */
const newestSql = (known: SQL) =>
  sql<{
    id: string;
    authorityId: string;
    layer: Layer;
    contact: string | null;
  } | null>`(select jsonb_build_object('id', ${outcomes.id}, 'authorityId', ${outcomes.authorityId},
      'layer', ${OUTCOME.layerSql(PREPARED_POLICY, known)},
      'contact', (select ${authorities.qaInbox} from ${authorities} where ${authorities.id} = ${outcomes.authorityId}))
    from ${outcomes}
    where ${outcomes.provisionId} = ${target.id} and ${outcomes.status} in ('published', 'amended')
    order by ${outcomes.activityDate} desc, ${outcomes.publishedAt} desc limit 1)`;

/** Restrictions active today on the provision or its provider, newest first, each with its layer (decided once). */
const restrictionsSql = (known: SQL) => {
  const r = alias(restrictions, 'active_restriction');
  const issuer = alias(authorities, 'issuer');
  return sql<
    | {
        restriction: JsonRow;
        layer: Layer;
        contact: string;
        issuerName: string;
        history: JsonRow[] | null;
      }[]
    | null
  >`(select jsonb_agg(jsonb_build_object('restriction', to_jsonb(${r}), 'layer', ${r}.${seenLayer},
        'contact', ${issuer.qaInbox}, 'issuerName', ${issuer.name},
        'history', case when ${r}.${seenLayer} = 'detail' then (select jsonb_agg(to_jsonb(${restrictionVersions}) order by ${restrictionVersions.version})
          from ${restrictionVersions} where ${restrictionVersions.restrictionId} = ${r.id}) end)
      order by ${r.effectiveFrom} desc, ${r.id} desc)
    from (select ${restrictions}.*, ${RESTRICTION.layerSql(PREPARED_POLICY, known)} as ${seenLayer} from ${restrictions}
      where (${restrictions.provisionId} = ${target.id} or ${restrictions.providerId} = ${target.providerId})
        and ${activeRestrictionSql(sql`${sql.placeholder('today')}::date`)}
      offset 0) as ${r}
    inner join ${authorities} as ${issuer} on ${issuer.id} = ${r.issuerAuthorityId})`;
};

/**
 * Counting concerns (open or substantiated) of the last 12 months: how many, how many at level 2, who
 * holds restricted ones the caller may not read (they still tell it to ask before placing), and the
 * significant ones (level 2 or safeguarding), each with the layer the caller reads it at (decided once).
 */
const concernsSql = (known: SQL) => {
  const c = alias(concerns, 'counted_concern');
  const logger = alias(authorities, 'logger');
  return sql<{
    n: number;
    levelTwo: number;
    // [publisher, contact, concern id] of each the caller sees only as a signal (the id makes its signal id).
    signals: [string, string, string][] | null;
    significant: SignificantConcern[] | null;
  }>`(select jsonb_build_object('n', count(*), 'levelTwo', count(*) filter (where ${c.level} = 'level-2'),
      'signals', jsonb_agg(jsonb_build_array(${c.authorityId}, ${logger.qaInbox}, ${c.id})) filter (where ${c}.${seenLayer} = 'signal'),
      'significant', jsonb_agg(jsonb_build_object('id', ${c.id}, 'authorityId', ${c.authorityId}, 'authorityName', ${logger.name},
          'contact', ${logger.qaInbox}, 'level', ${c.level}, 'category', ${c.category}, 'status', ${c.status},
          'occurredOn', ${c.occurredOn}, 'summary', ${c.summary}, 'layer', ${c}.${seenLayer})
        order by ${c.occurredOn} desc, ${c.id}) filter (where ${c.level} = 'level-2' or ${c.category} = 'safeguarding'))
    from (select ${concerns}.*, ${CONCERN.layerSql(PREPARED_POLICY, known)} as ${seenLayer} from ${concerns}
      where ${concerns.provisionId} = ${target.id} and ${countingConcernSql()}
        and ${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date
      offset 0) as ${c}
    inner join ${authorities} as ${logger} on ${logger.id} = ${c.authorityId})`;
};

/** Counting concerns of the last 12 months over every setting of the provider: the provider's rating. */
const providerConcernsSql = sql<{
  n: number;
  levelTwo: number;
}>`(select jsonb_build_object('n', count(*), 'levelTwo', count(*) filter (where ${concerns.level} = 'level-2'))
  from ${concerns} inner join ${provisions} on ${provisions.id} = ${concerns.provisionId}
  where ${provisions.providerId} = ${target.providerId} and ${countingConcernSql()}
    and ${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date)`;

/** The check's one statement, prepared once per database. */
export const checkStatement = perDatabase((db) => {
  const known = knownAt(db);
  const knownSql = sql`${known.known}`;
  return (
    db
      .select({
        provision: target,
        provider: providers,
        months: monitoringFrequencies.months,
        // The hub-admin's risk intervals for the type, by trigger (defaults where absent).
        risk: sql<Record<
          string,
          number
        > | null>`(select jsonb_object_agg(${monitoringRiskFrequencies.trigger}, ${monitoringRiskFrequencies.months}) from ${monitoringRiskFrequencies} where ${monitoringRiskFrequencies.provisionType} = ${target.type})`,
        lead: {
          authorityId: allocations.authorityId,
          since: allocations.startsOn,
          name: leadAuthority.name,
          qaInbox: leadAuthority.qaInbox,
        },
        latest: latestSql(knownSql),
        monitored: monitoredSql(knownSql),
        newest: newestSql(knownSql),
        restrictions: restrictionsSql(knownSql),
        concerns: concernsSql(knownSql),
        providerConcerns: providerConcernsSql,
        overdueActions: overdueActionsSql(target.id, knownSql),
        // The risk rating's bands (one row at most) and the settings asked for by id that were merged,
        // with the ones they were merged into: neither depends on the row, so each is read once.
        riskBands: sql<RiskBands | null>`(select jsonb_build_object('mediumFrom', ${riskBands.mediumFrom}, 'highFrom', ${riskBands.highFrom}) from ${riskBands} limit 1)`,
        mergedInto: sql<Record<
          string,
          string
        > | null>`(select jsonb_object_agg(${asked.id}, ${asked.mergedIntoId}) from ${provisions} as ${asked} where ${asked.id} = any(${sql.placeholder('ids')}::uuid[]) and ${asked.mergedIntoId} is not null)`,
      })
      .from(target)
      .innerJoin(providers, eq(providers.id, target.providerId))
      .leftJoin(monitoringFrequencies, eq(monitoringFrequencies.provisionType, target.type))
      // One current quality allocation at most (allocations_one_current).
      .leftJoin(
        allocations,
        and(eq(allocations.provisionId, target.id), currentLeadSql(sql.placeholder('today'))),
      )
      .leftJoin(leadAuthority, eq(leadAuthority.id, allocations.authorityId))
      .leftJoinLateral(known, sql`true`)
      // A merged setting's id answers with the one it was merged into (merges keep one level of pointer).
      // The ids resolved first (an init plan, once), so both arms keep their index scans.
      .where(
        sql`(${target.id} = any(array(select coalesce(${asked.mergedIntoId}, ${asked.id}) from ${provisions} as ${asked} where ${asked.id} = any(${sql.placeholder('ids')}::uuid[])))
        or ${target.urn} = any(${sql.placeholder('urns')}::text[])) and ${target.status} <> 'merged'`,
      )
      .prepare('ccx_check_facts')
  );
});

const readOutcome = jsonRowReader(outcomes);
const readOutcomeVersion = jsonRowReader(outcomeVersions);
const readRestriction = jsonRowReader(restrictions);
const readRestrictionVersion = jsonRowReader(restrictionVersions);

/**
 * The check's rows for settings asked for by id or URN, as `caller` may see them on its day: one per
 * setting found (a merged setting's id finds the one it was merged into), its records read back into
 * the tables' rows. `db` is the database itself: the statement runs prepared.
 */
export const readCheckRows = async (
  db: Db,
  caller: { authorityId: string; now: Date },
  asking: { ids: string[]; urns: string[] },
) => {
  const policy = policyValues(caller);
  const rows = await checkStatement(db).execute({
    ...asking,
    ...policy,
    riskFrom: riskWindowStart(policy.today),
  });
  return rows.map((row) => ({
    ...row,
    // A left join's columns: all null when there is no current lead.
    lead: row.lead?.authorityId ? (row.lead as NonNullable<CheckFacts['lead']>) : null,
    latest: row.latest && {
      outcome: readOutcome(row.latest.outcome),
      layer: row.latest.layer,
      contact: row.latest.contact,
      history: (row.latest.history ?? []).map(readOutcomeVersion),
    },
    restrictions: (row.restrictions ?? []).map((r) => ({
      ...r,
      restriction: readRestriction(r.restriction),
      history: (r.history ?? []).map(readRestrictionVersion),
    })),
  }));
};

type CheckRow = Awaited<ReturnType<typeof readCheckRows>>[number];

/** One setting's facts from its row; `signalIdOf` gives each signal's opaque id for the caller. */
const factsOf = (row: CheckRow, signalIdOf: (type: string, id: string) => string): CheckFacts => {
  const { provision, provider, months, risk, lead, latest, monitored, newest, concerns: c } = row;
  return {
    provision,
    provider,
    months,
    risk,
    monitored,
    lead,
    latest: latest && {
      outcome: latest.outcome,
      layer: latest.layer,
      contact: latest.contact ?? 'the publishing authority',
      history: outcomeHistories(latest.history).get(latest.outcome.id) ?? [],
    },
    outcomeSignal:
      newest?.layer === 'signal'
        ? {
            authorityId: newest.authorityId,
            contact: newest.contact ?? 'the publishing authority',
            signalId: signalIdOf('outcome', newest.id),
          }
        : null,
    // Its own and its provider's, newest first.
    restrictions: row.restrictions.map(({ restriction, layer, contact, issuerName, history }) => ({
      restriction,
      layer,
      contact,
      issuerName,
      history: restrictionHistories(history).get(restriction.id) ?? [],
      ...(layer === 'signal' ? { signalId: signalIdOf('restriction', restriction.id) } : {}),
    })),
    concerns: {
      n: c.n,
      signals: (c.signals ?? []).map(([issuer, contact, id]): [string, string, string] => [
        issuer,
        contact,
        signalIdOf('concern', id),
      ]),
      levelTwo: c.levelTwo,
      significant: c.significant ?? [],
    },
    providerConcerns: row.providerConcerns,
    riskBands: row.riskBands ?? DEFAULT_RISK_BANDS,
    overdueActions: row.overdueActions ?? [],
  };
};

/**
 * The facts of each target as the actor may see them, in the targets' order; undefined where no
 * setting answers to the target. `db` is the database itself: the read runs as a prepared statement.
 */
export const loadCheckFacts = async (
  db: Db,
  actor: Actor,
  targets: CheckTarget[],
): Promise<(CheckFacts | undefined)[]> => {
  const ids = [...new Set(targets.flatMap((t) => ('provisionId' in t ? [t.provisionId] : [])))];
  const urns = [...new Set(targets.flatMap((t) => ('urn' in t ? [t.urn] : [])))];
  // The signal key is read once per database handle; beside the statement, not after it.
  const [rows, signalIds] = await Promise.all([readCheckRows(db, actor, { ids, urns }), signalIdsOf(db)]);
  const signalIdOf = (type: string, id: string) => signalIds(actor.authorityId, type, id);
  const facts = new Map(rows.map((row) => [row.provision.id, factsOf(row, signalIdOf)]));
  const byId = new Map(facts);
  // An id of a setting since merged answers as the one it was merged into.
  for (const [from, into] of Object.entries(rows[0]?.mergedInto ?? {})) {
    const survivor = facts.get(into);
    if (survivor) byId.set(from, survivor);
  }
  const byUrn = new Map(
    [...facts.values()].flatMap((f) => (f.provision.urn ? [[f.provision.urn, f] as const] : [])),
  );
  return targets.map((t) => ('provisionId' in t ? byId.get(t.provisionId) : byUrn.get(t.urn)));
};
