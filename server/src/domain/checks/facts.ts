// The placement check, part one: the facts about each checked setting, as the caller may see them —
// the setting and its provider, its current lead, its latest published outcome, the restrictions on it
// and its provider, its concerns of the last 12 months — read by seven statements prepared once per
// database, whatever the number of settings checked.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  CONCERN,
  currentLeadSql,
  needToKnowSql,
  OUTCOME,
  PREPARED_POLICY,
  policyValues,
  RESTRICTION,
} from '../../access/index.js';
import type { Db } from '../../db/index.js';
import { perDatabase } from '../../db/prepared.js';
import {
  allocations,
  authorities,
  concerns,
  monitoringFrequencies,
  outcomes,
  outcomeVersions,
  providers,
  provisions,
  restrictions,
  restrictionVersions,
} from '../../db/schema/index.js';
import { londonDate } from '../../shared/dates.js';
import type { Actor } from '../actor.js';
import { riskWindowStart } from '../concerns/concerns.js';
import { histories as outcomeHistories, type OutcomeHistory } from '../outcomes/outcomes.js';
import { activeRestrictionSql, histories as restrictionHistories } from '../restrictions/restrictions.js';
import type { CheckFacts, CheckTarget } from './verdict.js';

const anyOf = (column: Parameters<typeof eq>[0], name: string, type: 'uuid' | 'text') =>
  sql`${column} = any(${sql.placeholder(name)}::${sql.raw(type)}[])`;

const forProvisions = (column: Parameters<typeof eq>[0]) => anyOf(column, 'provisionIds', 'uuid');

// The checked provisions. Aliased: needToKnowSql's own subqueries read the provisions table, and an
// unaliased outer "provisions"."id" would be captured by them.
const target = alias(provisions, 'checked_provision');
const leadAuthority = alias(authorities, 'lead_authority');

/** The caller's need-to-know at each checked provision, once per provision rather than per record. */
const knownAt = (db: Db) =>
  db
    .select({ id: target.id, known: sql<boolean>`${needToKnowSql(PREPARED_POLICY, target.id)}`.as('known') })
    .from(target)
    .where(forProvisions(target.id))
    .as('known_at');

/**
 * Each provision with its provider, its monitoring frequency and its current lead, if any (one
 * current quality allocation at most: allocations_one_current).
 */
const foundStatement = (db: Db) =>
  db
    .select({
      provision: provisions,
      provider: providers,
      months: monitoringFrequencies.months,
      lead: {
        authorityId: allocations.authorityId,
        since: allocations.startsOn,
        name: leadAuthority.name,
        qaInbox: leadAuthority.qaInbox,
      },
    })
    .from(provisions)
    .innerJoin(providers, eq(providers.id, provisions.providerId))
    .leftJoin(monitoringFrequencies, eq(monitoringFrequencies.provisionType, provisions.type))
    .leftJoin(
      allocations,
      and(eq(allocations.provisionId, provisions.id), currentLeadSql(sql.placeholder('today'))),
    )
    .leftJoin(leadAuthority, eq(leadAuthority.id, allocations.authorityId))
    .where(sql`(${anyOf(provisions.id, 'ids', 'uuid')} or ${anyOf(provisions.urn, 'urns', 'text')})`)
    .prepare('ccx_check_found');

/**
 * The latest published outcome of each provision (the one the verdict and the schedule read): one
 * probe of outcomes_latest_idx per provision, its layer decided for that row alone.
 */
const latestStatement = (db: Db) => {
  const latestOutcome = db
    .select({ id: outcomes.id })
    .from(outcomes)
    .where(and(eq(outcomes.provisionId, target.id), sql`${outcomes.status} in ('published', 'amended')`))
    .orderBy(desc(outcomes.activityDate), desc(outcomes.publishedAt))
    .limit(1)
    .as('latest_outcome');
  return db
    .select({
      outcome: outcomes,
      contact: authorities.qaInbox,
      layer: OUTCOME.layerSql(PREPARED_POLICY, needToKnowSql(PREPARED_POLICY, target.id)),
    })
    .from(target)
    .innerJoinLateral(latestOutcome, sql`true`)
    .innerJoin(outcomes, eq(outcomes.id, latestOutcome.id))
    .innerJoin(authorities, eq(authorities.id, outcomes.authorityId))
    .where(forProvisions(target.id))
    .prepare('ccx_check_latest');
};

/** Restrictions active today on the provisions or their providers, newest first. */
const restrictionsStatement = (db: Db) => {
  const known = knownAt(db);
  return db
    .select({
      restriction: restrictions,
      contact: authorities.qaInbox,
      issuerName: authorities.name,
      layer: RESTRICTION.layerSql(PREPARED_POLICY, sql`${known.known}`),
    })
    .from(restrictions)
    .innerJoin(authorities, eq(authorities.id, restrictions.issuerAuthorityId))
    .leftJoin(known, eq(known.id, restrictions.provisionId))
    .where(
      and(
        sql`(${forProvisions(restrictions.provisionId)} or ${anyOf(restrictions.providerId, 'providerIds', 'uuid')})`,
        activeRestrictionSql(sql`${sql.placeholder('today')}::date`),
      ),
    )
    .orderBy(desc(restrictions.effectiveFrom), desc(restrictions.id))
    .prepare('ccx_check_restrictions');
};

/**
 * Concerns of the last 12 months, and who holds restricted ones the caller may not read: they still
 * tell it to ask before placing.
 */
const concernsStatement = (db: Db) => {
  const known = knownAt(db);
  return db
    .select({
      provisionId: concerns.provisionId,
      n: sql<number>`count(*)::int`,
      signals: sql<
        [string, string][] | null
      >`jsonb_agg(distinct jsonb_build_array(${concerns.authorityId}, ${authorities.qaInbox})) filter (where ${CONCERN.layerSql(PREPARED_POLICY, sql`${known.known}`)} = 'signal')`,
    })
    .from(concerns)
    .innerJoin(authorities, eq(authorities.id, concerns.authorityId))
    .innerJoin(known, eq(known.id, concerns.provisionId))
    .where(
      and(
        forProvisions(concerns.provisionId),
        sql`${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date`,
      ),
    )
    .groupBy(concerns.provisionId)
    .prepare('ccx_check_concerns');
};

/** The check's statements, prepared once per database. */
export const checkStatements = perDatabase((db) => ({
  found: foundStatement(db),
  latest: latestStatement(db),
  restrictions: restrictionsStatement(db),
  concerns: concernsStatement(db),
  outcomeVersions: db
    .select()
    .from(outcomeVersions)
    .where(anyOf(outcomeVersions.outcomeId, 'ids', 'uuid'))
    .orderBy(asc(outcomeVersions.outcomeId), asc(outcomeVersions.version))
    .prepare('ccx_check_outcome_versions'),
  restrictionVersions: db
    .select()
    .from(restrictionVersions)
    .where(anyOf(restrictionVersions.restrictionId, 'ids', 'uuid'))
    .orderBy(asc(restrictionVersions.restrictionId), asc(restrictionVersions.version))
    .prepare('ccx_check_restriction_versions'),
}));

const groupBy = <T>(rows: T[], key: (row: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
};

/**
 * The facts of each target as the actor may see them, in the targets' order; undefined where no
 * setting answers to the target. `db` is the database itself: the reads run as prepared statements.
 */
export const loadCheckFacts = async (
  db: Db,
  actor: Actor,
  targets: CheckTarget[],
): Promise<(CheckFacts | undefined)[]> => {
  const today = londonDate(actor.now);
  const s = checkStatements(db);
  const policy = policyValues(actor);
  const ids = [...new Set(targets.flatMap((t) => ('provisionId' in t ? [t.provisionId] : [])))];
  const urns = [...new Set(targets.flatMap((t) => ('urn' in t ? [t.urn] : [])))];

  const found = await s.found.execute({ ids, urns, today });
  const byId = new Map(found.map((f) => [f.provision.id, f]));
  const byUrn = new Map(found.flatMap((f) => (f.provision.urn ? [[f.provision.urn, f] as const] : [])));
  const provisionIds = found.map((f) => f.provision.id);
  const providerIds = [...new Set(found.map((f) => f.provider.id))];

  const [latestRows, restrictionRows, concernRows] =
    provisionIds.length === 0
      ? [[], [], []]
      : await Promise.all([
          s.latest.execute({ provisionIds, ...policy }),
          s.restrictions.execute({ provisionIds, providerIds, ...policy }),
          s.concerns.execute({ provisionIds, riskFrom: riskWindowStart(today), ...policy }),
        ]);
  const latest = new Map(latestRows.map((l) => [l.outcome.provisionId, l]));
  const concernsOf = new Map(concernRows.map((c) => [c.provisionId, c]));
  const ordered = restrictionRows.map((r, at) => ({ ...r, at }));
  const restrictionsOf = {
    provision: groupBy(
      ordered.filter((r) => r.restriction.provisionId),
      (r) => r.restriction.provisionId!,
    ),
    provider: groupBy(
      ordered.filter((r) => r.restriction.providerId),
      (r) => r.restriction.providerId!,
    ),
  };

  // Histories only of what the caller reads in detail.
  const detailOutcomeIds = latestRows.filter((l) => l.layer === 'detail').map((l) => l.outcome.id);
  const detailRestrictionIds = restrictionRows
    .filter((r) => r.layer === 'detail')
    .map((r) => r.restriction.id);
  const [oHist, rHist] = await Promise.all([
    detailOutcomeIds.length
      ? s.outcomeVersions.execute({ ids: detailOutcomeIds }).then(outcomeHistories)
      : new Map<string, OutcomeHistory>(),
    detailRestrictionIds.length
      ? s.restrictionVersions.execute({ ids: detailRestrictionIds }).then(restrictionHistories)
      : new Map<string, never>(),
  ]);

  return targets.map((target): CheckFacts | undefined => {
    const hit = 'provisionId' in target ? byId.get(target.provisionId) : byUrn.get(target.urn);
    if (!hit) return undefined;
    const { provision, provider, months } = hit;
    const last = latest.get(provision.id);
    const concernFacts = concernsOf.get(provision.id);
    return {
      provision,
      provider,
      months,
      // A left join's columns: all null when there is no current lead.
      lead: hit.lead?.authorityId ? (hit.lead as NonNullable<CheckFacts['lead']>) : null,
      latest: last
        ? {
            outcome: last.outcome,
            layer: last.layer,
            contact: last.contact,
            history: oHist.get(last.outcome.id) ?? [],
          }
        : null,
      // Its own and its provider's, in the one order the statement gave (newest first).
      restrictions: [
        ...(restrictionsOf.provision.get(provision.id) ?? []),
        ...(restrictionsOf.provider.get(provider.id) ?? []),
      ]
        .sort((a, b) => a.at - b.at)
        .map(({ restriction, layer, contact, issuerName }) => ({
          restriction,
          layer,
          contact,
          issuerName,
          history: rHist.get(restriction.id) ?? [],
        })),
      concerns: { n: concernFacts?.n ?? 0, signals: concernFacts?.signals ?? [] },
    };
  });
};
