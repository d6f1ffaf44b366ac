// The placement check, part one: the facts about each checked setting, as the caller may see them —
// the setting and its provider, its current lead, its latest published outcome, the restrictions on it
// and its provider, its concerns of the last 12 months — read by seven statements prepared once per
// database, whatever the number of settings checked.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DEFAULT_RISK_BANDS } from '@ccx/schema';
import {
  CONCERN,
  currentLeadSql,
  layerSql,
  needToKnowSql,
  OUTCOME,
  PREPARED_POLICY,
  policyValues,
  RESTRICTION,
  signalIdsOf,
} from '../../access/index.js';
import type { Db } from '../../db/index.js';
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
import { londonDate } from '../../shared/dates.js';
import type { Actor } from '../actor.js';
import { countingConcernSql, riskWindowStart } from '../concerns/concerns.js';
import { loadOverdueActions } from '../deadlines/check.js';
import { countsAsMonitoringSql } from '../monitoring/rules.js';
import { histories as outcomeHistories, type OutcomeHistory } from '../outcomes/outcomes.js';
import { activeRestrictionSql, histories as restrictionHistories } from '../restrictions/restrictions.js';
import type { CheckFacts, CheckTarget, SignificantConcern } from './verdict.js';

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
      // The hub-admin's risk intervals for the type, by trigger (defaults where absent).
      risk: sql<Record<
        string,
        number
      > | null>`(select jsonb_object_agg(${monitoringRiskFrequencies.trigger}, ${monitoringRiskFrequencies.months}) from ${monitoringRiskFrequencies} where ${monitoringRiskFrequencies.provisionType} = ${provisions.type})`,
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
    // A merged setting's id answers with the one it was merged into (merges keep one level of pointer).
    .where(
      // The ids resolved first (an init plan, once), so both arms keep their index scans.
      sql`(${provisions.id} = any(array(select coalesce(m.merged_into_id, m.id) from provisions m where m.id = any(${sql.placeholder('ids')}::uuid[]))) or ${anyOf(provisions.urn, 'urns', 'text')})`,
    )
    .prepare('ccx_check_found');

// The latest outcome that counts as monitoring (its date and next due date: the schedule's).
const counted = alias(outcomes, 'counted');
// The newest published outcome, whoever sees it: a signal when the caller sees only that.
const newest = alias(outcomes, 'newest');

/**
 * The latest published outcome of each provision (the one the verdict reads, whoever published it):
 * one probe of outcomes_latest_idx per provision, its layer decided for that row alone; and beside it
 * the latest that counts as monitoring (the schedule's), one probe of outcomes_monitoring_idx.
 */
const latestStatement = (db: Db) => {
  // A restricted outcome the caller sees only as a signal shows nothing of itself: not as the latest
  // outcome, not as the schedule's date. Its signal is the newest outcome's, when that is one.
  const known = needToKnowSql(PREPARED_POLICY, target.id);
  const seenLayer = (o: typeof outcomes | typeof counted | typeof newest) =>
    layerSql(PREPARED_POLICY, {
      id: o.id,
      publisherAuthorityId: o.authorityId,
      status: o.status,
      restricted: o.restricted,
      provisionId: o.provisionId,
      provisionNeedToKnow: known,
    });
  const latestOutcome = db
    .select({ id: outcomes.id })
    .from(outcomes)
    .where(
      and(
        eq(outcomes.provisionId, target.id),
        sql`${outcomes.status} in ('published', 'amended')`,
        sql`${seenLayer(outcomes)} in ('detail', 'summary')`,
      ),
    )
    .orderBy(desc(outcomes.activityDate), desc(outcomes.publishedAt))
    .limit(1)
    .as('latest_outcome');
  const latestCounted = db
    .select({ activityDate: counted.activityDate, nextDueOn: counted.nextDueOn })
    .from(counted)
    .where(
      and(
        eq(counted.provisionId, target.id),
        countsAsMonitoringSql(counted),
        sql`${seenLayer(counted)} in ('detail', 'summary')`,
      ),
    )
    .orderBy(desc(counted.activityDate), desc(counted.publishedAt))
    .limit(1)
    .as('latest_counted');
  const newestOutcome = db
    .select({
      id: newest.id,
      authorityId: newest.authorityId,
      layer: sql<string>`${seenLayer(newest)}`.as('newest_layer'),
    })
    .from(newest)
    .where(and(eq(newest.provisionId, target.id), sql`${newest.status} in ('published', 'amended')`))
    .orderBy(desc(newest.activityDate), desc(newest.publishedAt))
    .limit(1)
    .as('newest_outcome');
  return db
    .select({
      provisionId: target.id,
      outcome: outcomes,
      contact: authorities.qaInbox,
      layer: OUTCOME.layerSql(PREPARED_POLICY, known),
      monitored: { activityDate: latestCounted.activityDate, nextDueOn: latestCounted.nextDueOn },
      signal: {
        id: newestOutcome.id,
        authorityId: newestOutcome.authorityId,
        layer: newestOutcome.layer,
        contact: sql<
          string | null
        >`(select ${authorities.qaInbox} from ${authorities} where ${authorities.id} = ${newestOutcome.authorityId})`,
      },
    })
    .from(target)
    .leftJoinLateral(latestOutcome, sql`true`)
    .leftJoinLateral(latestCounted, sql`true`)
    .leftJoinLateral(newestOutcome, sql`true`)
    .leftJoin(outcomes, eq(outcomes.id, latestOutcome.id))
    .leftJoin(authorities, eq(authorities.id, outcomes.authorityId))
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
 * Counting concerns (open or substantiated) of the last 12 months: how many, how many at level 2, who
 * holds restricted ones the caller may not read (they still tell it to ask before placing), and the
 * significant ones (level 2 or safeguarding), each with the layer the caller reads it at.
 */
const concernsStatement = (db: Db) => {
  const known = knownAt(db);
  const layer = CONCERN.layerSql(PREPARED_POLICY, sql`${known.known}`);
  return db
    .select({
      provisionId: concerns.provisionId,
      n: sql<number>`count(*)::int`,
      levelTwo: sql<number>`(count(*) filter (where ${concerns.level} = 'level-2'))::int`,
      // [publisher, contact, concern id] of each the caller sees only as a signal (the id makes its signal id).
      signals: sql<
        [string, string, string][] | null
      >`jsonb_agg(jsonb_build_array(${concerns.authorityId}, ${authorities.qaInbox}, ${concerns.id})) filter (where ${layer} = 'signal')`,
      significant: sql<
        SignificantConcern[] | null
      >`jsonb_agg(jsonb_build_object('id', ${concerns.id}, 'authorityId', ${concerns.authorityId}, 'authorityName', ${authorities.name}, 'contact', ${authorities.qaInbox}, 'level', ${concerns.level}, 'category', ${concerns.category}, 'status', ${concerns.status}, 'occurredOn', ${concerns.occurredOn}, 'summary', ${concerns.summary}, 'layer', ${layer}) order by ${concerns.occurredOn} desc, ${concerns.id}) filter (where ${concerns.level} = 'level-2' or ${concerns.category} = 'safeguarding')`,
    })
    .from(concerns)
    .innerJoin(authorities, eq(authorities.id, concerns.authorityId))
    .innerJoin(known, eq(known.id, concerns.provisionId))
    .where(
      and(
        forProvisions(concerns.provisionId),
        countingConcernSql(),
        sql`${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date`,
      ),
    )
    .groupBy(concerns.provisionId)
    .prepare('ccx_check_concerns');
};

/** Counting concerns of the last 12 months over every setting of each provider: the provider's rating. */
const providerConcernsStatement = (db: Db) =>
  db
    .select({
      providerId: provisions.providerId,
      n: sql<number>`count(*)::int`,
      levelTwo: sql<number>`(count(*) filter (where ${concerns.level} = 'level-2'))::int`,
    })
    .from(concerns)
    .innerJoin(provisions, eq(provisions.id, concerns.provisionId))
    .where(
      and(
        anyOf(provisions.providerId, 'providerIds', 'uuid'),
        countingConcernSql(),
        sql`${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date`,
      ),
    )
    .groupBy(provisions.providerId)
    .prepare('ccx_check_provider_concerns');

/** The check's statements, prepared once per database. */
export const checkStatements = perDatabase((db) => ({
  found: foundStatement(db),
  latest: latestStatement(db),
  restrictions: restrictionsStatement(db),
  concerns: concernsStatement(db),
  providerConcerns: providerConcernsStatement(db),
  // The settings asked for by id that were merged, and the ones they were merged into.
  mergedInto: db
    .select({ id: provisions.id, into: provisions.mergedIntoId })
    .from(provisions)
    .where(sql`${anyOf(provisions.id, 'ids', 'uuid')} and ${provisions.mergedIntoId} is not null`)
    .prepare('ccx_check_merged_into'),
  riskBands: db
    .select({ mediumFrom: riskBands.mediumFrom, highFrom: riskBands.highFrom })
    .from(riskBands)
    .prepare('ccx_check_risk_bands'),
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

  const found = (await s.found.execute({ ids, urns, today })).filter((f) => f.provision.status !== 'merged');
  const byId = new Map(found.map((f) => [f.provision.id, f]));
  // An id not found as itself may be a merged setting's: it answers as the one it was merged into (one
  // more statement, only then).
  const unresolved = ids.filter((id) => !byId.has(id));
  if (unresolved.length > 0)
    for (const m of await s.mergedInto.execute({ ids: unresolved })) {
      const survivor = m.into ? byId.get(m.into) : undefined;
      if (survivor) byId.set(m.id, survivor);
    }
  const byUrn = new Map(found.flatMap((f) => (f.provision.urn ? [[f.provision.urn, f] as const] : [])));
  const provisionIds = found.map((f) => f.provision.id);
  const providerIds = [...new Set(found.map((f) => f.provider.id))];

  // Every read that needs only the settings found, at once (each its own prepared statement), and the
  // signal key (read once per database handle).
  const riskFrom = riskWindowStart(today);
  const [latestRows, restrictionRows, concernRows, providerConcernRows, bandRows, overdueActions, signalIds] =
    provisionIds.length === 0
      ? [[], [], [], [], [], new Map<string, never>(), await signalIdsOf(db)]
      : await Promise.all([
          s.latest.execute({ provisionIds, ...policy }),
          s.restrictions.execute({ provisionIds, providerIds, ...policy }),
          s.concerns.execute({ provisionIds, riskFrom, ...policy }),
          s.providerConcerns.execute({ providerIds, riskFrom }),
          s.riskBands.execute(),
          loadOverdueActions(db, provisionIds, policy),
          signalIdsOf(db),
        ]);
  const riskBandsNow = bandRows[0] ?? DEFAULT_RISK_BANDS;
  const providerConcernsOf = new Map(providerConcernRows.map((c) => [c.providerId, c]));
  const latest = new Map(latestRows.map((l) => [l.provisionId, l]));
  // Each signal's opaque id for this caller (access/signals.ts).
  const signalIdOf = (type: string, id: string) => signalIds(actor.authorityId, type, id);
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
  const detailOutcomeIds = latestRows.flatMap((l) =>
    l.outcome && l.layer === 'detail' ? [l.outcome.id] : [],
  );
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
    const { provision, provider, months, risk } = hit;
    const last = latest.get(provision.id);
    const concernFacts = concernsOf.get(provision.id);
    return {
      provision,
      provider,
      months,
      risk,
      // Any counting outcome is a published one, so it comes with the latest (a left join: null if none).
      monitored: last?.monitored?.activityDate
        ? { activityDate: last.monitored.activityDate, nextDueOn: last.monitored.nextDueOn }
        : null,
      // A left join's columns: all null when there is no current lead.
      lead: hit.lead?.authorityId ? (hit.lead as NonNullable<CheckFacts['lead']>) : null,
      latest: last?.outcome
        ? {
            outcome: last.outcome,
            layer: last.layer,
            contact: last.contact ?? 'the publishing authority',
            history: oHist.get(last.outcome.id) ?? [],
          }
        : null,
      outcomeSignal:
        last?.signal?.id && last.signal.layer === 'signal'
          ? {
              authorityId: last.signal.authorityId,
              contact: last.signal.contact ?? 'the publishing authority',
              signalId: signalIdOf('outcome', last.signal.id),
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
          ...(layer === 'signal' ? { signalId: signalIdOf('restriction', restriction.id) } : {}),
        })),
      concerns: {
        n: concernFacts?.n ?? 0,
        signals: (concernFacts?.signals ?? []).map(([issuer, contact, id]): [string, string, string] => [
          issuer,
          contact,
          signalIdOf('concern', id),
        ]),
        levelTwo: concernFacts?.levelTwo ?? 0,
        significant: concernFacts?.significant ?? [],
      },
      providerConcerns: {
        n: providerConcernsOf.get(provider.id)?.n ?? 0,
        levelTwo: providerConcernsOf.get(provider.id)?.levelTwo ?? 0,
      },
      riskBands: riskBandsNow,
      overdueActions: overdueActions.get(provision.id) ?? [],
    };
  });
};
