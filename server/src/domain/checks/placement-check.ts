// The placement check: clear, caution or do-not-place for a setting, with every reason, the record
// behind it where the caller may see it, and whom to contact — for one provision or a shortlist.
// Set-based and prepared: a check of 500 provisions runs the same seven statements as a check of one,
// each built once per database; the caller's audit entry is written in its own short transaction.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  CHECK_REASONS,
  riskRagOf,
  type CheckReasonCode,
  type OutcomeView,
  type PlacementCheck,
  type ProvisionType,
  type RestrictionKind,
  type RestrictionView,
  type Verdict,
} from '@ccx/schema';
import {
  currentAllocationSql,
  layerSql,
  needToKnowSql,
  PREPARED_POLICY,
  policyValues,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
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
import { auditActor, type Actor } from '../actor.js';
import { concernLayerSql, riskWindowStart } from '../concerns/concerns.js';
import { londonDate } from '../../shared/dates.js';
import { defaultMonths, monitoringState } from '../monitoring/schedule.js';
import {
  histories as outcomeHistories,
  restrictedSignal,
  toDetail as outcomeDetail,
  toSummary as outcomeSummary,
} from '../outcomes/outcomes.js';
import {
  activeRestrictionSql,
  histories as restrictionHistories,
  restrictionLayerSql,
  restrictionSignal,
  toDetail as restrictionDetail,
  toSummary as restrictionSummary,
} from '../restrictions/restrictions.js';

export type CheckTarget = { provisionId: string } | { urn: string };
export type CheckResult = ({ ok: true } & PlacementCheck) | { ok: false; target: CheckTarget; error: string };

type Reason = PlacementCheck['reasons'][number];
const VERDICT_RANK: Record<Verdict, number> = { clear: 0, caution: 1, 'do-not-place': 2 };

const reason = (
  code: CheckReasonCode,
  message: string,
  recordId: string | null = null,
  contact: string | null = null,
): Reason => ({
  code,
  verdict: CHECK_REASONS[code],
  message,
  recordId,
  contact,
});

/** Which reason an active restriction the caller can see gives (DESIGN §4). */
const restrictionReason = (
  r: Extract<RestrictionView, { layer: 'summary' | 'detail' }>,
  callerId: string,
  contact: string,
): Reason => {
  const kind: RestrictionKind = r.kind;
  const own = r.issuerAuthorityId === callerId;
  if (own && (kind === 'embargo' || kind === 'informal-embargo'))
    return reason(
      'own-embargo',
      `your authority has embargoed this ${r.provisionId ? 'setting' : 'provider'}`,
      r.id,
      contact,
    );
  if (own && kind === 'framework-suspension')
    return reason(
      'own-framework-suspension',
      'your authority has suspended this provider from its framework',
      r.id,
      contact,
    );
  if (kind === 'ofsted-suspension')
    return reason('ofsted-suspension', 'Ofsted has suspended the registration', r.id, contact);
  if (kind === 'registration-cancelled')
    return reason('registration-cancelled', 'the registration has been cancelled', r.id, contact);
  if (kind === 'ceased-operating')
    return reason('ceased-operating', 'reported as having ceased operating', r.id, contact);
  if (kind === 'embargo' && r.partnershipWide)
    return reason('partnership-embargo', 'the partnership has embargoed this for all members', r.id, contact);
  return reason(
    'restriction-by-member',
    `${kind.replace(/-/g, ' ')} issued by ${own ? 'your authority' : r.issuerAuthorityId}${r.provisionId ? '' : ' on the provider'}`,
    r.id,
    contact,
  );
};

const anyOf = (column: Parameters<typeof eq>[0], name: string, type: 'uuid' | 'text') =>
  sql`${column} = any(${sql.placeholder(name)}::${sql.raw(type)}[])`;

export const checkStatements = perDatabase((db) => {
  const today = sql`${sql.placeholder('today')}::date`;
  const forProvisions = <C extends Parameters<typeof eq>[0]>(column: C) =>
    anyOf(column, 'provisionIds', 'uuid');
  // The caller's need-to-know at each checked provision, once per provision rather than per record.
  // Aliased: needToKnowSql's own subqueries read the provisions table, and an unaliased outer
  // "provisions"."id" would be captured by them.
  const target = alias(provisions, 'checked_provision');
  const known = () =>
    db
      .select({
        id: target.id,
        known: sql<boolean>`${needToKnowSql(PREPARED_POLICY, target.id)}`.as('known'),
      })
      .from(target)
      .where(forProvisions(target.id))
      .as('known_at');
  const leadAuthority = alias(authorities, 'lead_authority');
  const latestOutcome = db
    .select({ id: outcomes.id })
    .from(outcomes)
    .where(and(eq(outcomes.provisionId, target.id), sql`${outcomes.status} in ('published', 'amended')`))
    .orderBy(desc(outcomes.activityDate), desc(outcomes.publishedAt))
    .limit(1)
    .as('latest_outcome');
  const restrictionKnown = known();
  const concernKnown = known();
  return {
    // Each provision with its provider, its monitoring frequency and its current lead, if any (one
    // current quality allocation at most: allocations_one_current).
    found: db
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
        and(
          eq(allocations.provisionId, provisions.id),
          eq(allocations.role, 'quality'),
          currentAllocationSql(sql.placeholder('today')),
        ),
      )
      .leftJoin(leadAuthority, eq(leadAuthority.id, allocations.authorityId))
      .where(sql`(${anyOf(provisions.id, 'ids', 'uuid')} or ${anyOf(provisions.urn, 'urns', 'text')})`)
      .prepare('ccx_check_found'),
    // The latest published outcome of each provision (the one the verdict and the schedule read):
    // one probe of outcomes_latest_idx per provision, its layer decided for that row alone.
    latest: db
      .select({
        outcome: outcomes,
        contact: authorities.qaInbox,
        layer: layerSql(PREPARED_POLICY, {
          id: outcomes.id,
          publisherAuthorityId: outcomes.authorityId,
          status: outcomes.status,
          restricted: outcomes.restricted,
          provisionId: outcomes.provisionId,
          provisionNeedToKnow: needToKnowSql(PREPARED_POLICY, target.id),
        }),
      })
      .from(target)
      .innerJoinLateral(latestOutcome, sql`true`)
      .innerJoin(outcomes, eq(outcomes.id, latestOutcome.id))
      .innerJoin(authorities, eq(authorities.id, outcomes.authorityId))
      .where(forProvisions(target.id))
      .prepare('ccx_check_latest'),
    restrictions: db
      .select({
        restriction: restrictions,
        contact: authorities.qaInbox,
        layer: restrictionLayerSql(PREPARED_POLICY, sql`${restrictionKnown.known}`),
      })
      .from(restrictions)
      .innerJoin(authorities, eq(authorities.id, restrictions.issuerAuthorityId))
      .leftJoin(restrictionKnown, eq(restrictionKnown.id, restrictions.provisionId))
      .where(
        and(
          sql`(${forProvisions(restrictions.provisionId)} or ${anyOf(restrictions.providerId, 'providerIds', 'uuid')})`,
          activeRestrictionSql(today),
        ),
      )
      .orderBy(desc(restrictions.effectiveFrom), desc(restrictions.id))
      .prepare('ccx_check_restrictions'),
    // Concerns of the last 12 months, and who holds restricted ones the caller may not read: they
    // still tell it to ask before placing.
    concerns: db
      .select({
        provisionId: concerns.provisionId,
        n: sql<number>`count(*)::int`,
        signals: sql<
          [string, string][] | null
        >`jsonb_agg(distinct jsonb_build_array(${concerns.authorityId}, ${authorities.qaInbox})) filter (where ${concernLayerSql(PREPARED_POLICY, sql`${concernKnown.known}`)} = 'signal')`,
      })
      .from(concerns)
      .innerJoin(authorities, eq(authorities.id, concerns.authorityId))
      .innerJoin(concernKnown, eq(concernKnown.id, concerns.provisionId))
      .where(
        and(
          forProvisions(concerns.provisionId),
          sql`${concerns.occurredOn} >= ${sql.placeholder('riskFrom')}::date`,
        ),
      )
      .groupBy(concerns.provisionId)
      .prepare('ccx_check_concerns'),
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
  };
});

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
 * Checks provisions for the actor. `db` is the database itself, not a transaction: the reads run as
 * prepared statements, and the audit entry of what was shown is appended (one atomic statement)
 * before anything is returned.
 */
export const checkPlacements = async (
  db: Db,
  actor: Actor,
  targets: CheckTarget[],
  auditAction = 'check.placement',
): Promise<CheckResult[]> => {
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

  const noneFound = provisionIds.length === 0;
  const [latestRows, restrictionRows, concernRows] = noneFound
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

  const detailOutcomeIds = latestRows.filter((l) => l.layer === 'detail').map((l) => l.outcome.id);
  const detailRestrictionIds = restrictionRows
    .filter((r) => r.layer === 'detail')
    .map((r) => r.restriction.id);
  const [oHist, rHist] = await Promise.all([
    detailOutcomeIds.length
      ? s.outcomeVersions.execute({ ids: detailOutcomeIds }).then(outcomeHistories)
      : new Map<string, never>(),
    detailRestrictionIds.length
      ? s.restrictionVersions.execute({ ids: detailRestrictionIds }).then(restrictionHistories)
      : new Map<string, never>(),
  ]);

  const results: CheckResult[] = [];
  const verdicts: Record<string, Verdict> = {};
  const seenRecords = new Set<string>();
  for (const target of targets) {
    const hit = 'provisionId' in target ? byId.get(target.provisionId) : byUrn.get(target.urn);
    if (!hit) {
      results.push({
        ok: false,
        target,
        error:
          'provisionId' in target
            ? `provision ${target.provisionId} not found`
            : `no provision with Ofsted URN ${target.urn}`,
      });
      continue;
    }
    const { provision: p, provider, months } = hit;
    // A left join's columns: all null when there is no current lead.
    const lead = hit.lead?.authorityId ? (hit.lead as NonNullable<PlacementCheck['lead']>) : null;
    const reasons: Reason[] = [];
    const signalFrom = new Set<string>();
    const addSignal = (issuer: string, c: string, recordKind: string) => {
      if (signalFrom.has(issuer)) return;
      signalFrom.add(issuer);
      reasons.push(
        reason(
          'restricted-information',
          `a member authority holds restricted information (${recordKind}): contact ${c} before placing`,
          null,
          c,
        ),
      );
    };

    if (['suspended', 'cancelled', 'closed'].includes(p.registrationStatus)) {
      reasons.push(
        reason(
          'registration-not-active',
          `the directory records the registration as ${p.registrationStatus}`,
        ),
      );
    }

    const views: RestrictionView[] = [];
    const signalledRestrictions = new Set<string>();
    // Its own and its provider's, in the one order the statement gave (newest first).
    const applicable = [
      ...(restrictionsOf.provision.get(p.id) ?? []),
      ...(restrictionsOf.provider.get(provider.id) ?? []),
    ].sort((a, b) => a.at - b.at);
    for (const { restriction: r, layer, contact } of applicable) {
      if (layer === 'signal') {
        addSignal(r.issuerAuthorityId, contact, 'a restriction');
        const key = `${r.issuerAuthorityId}:${r.provisionId ?? r.providerId}`;
        if (!signalledRestrictions.has(key)) {
          signalledRestrictions.add(key);
          views.push(restrictionSignal(r, contact));
        }
        continue;
      }
      if (layer === 'none') continue;
      const view =
        layer === 'detail'
          ? restrictionDetail(r, today, rHist.get(r.id) ?? [])
          : restrictionSummary(r, today);
      views.push(view);
      seenRecords.add(r.id);
      reasons.push(restrictionReason(view, actor.authorityId, contact));
    }

    if (p.ofstedGrade === 'inadequate')
      reasons.push(
        reason(
          'ofsted-inadequate',
          `Ofsted grade inadequate${p.ofstedGradeDate ? ` (${p.ofstedGradeDate})` : ''}`,
        ),
      );
    if (p.ofstedGrade === 'requires-improvement')
      reasons.push(
        reason(
          'ofsted-requires-improvement',
          `Ofsted grade requires improvement${p.ofstedGradeDate ? ` (${p.ofstedGradeDate})` : ''}`,
        ),
      );

    const last = latest.get(p.id);
    let latestOutcome: OutcomeView | null = null;
    if (last && last.layer === 'signal') {
      latestOutcome = restrictedSignal(p.id, last.contact);
      addSignal(last.outcome.authorityId, last.contact, 'a monitoring outcome');
    } else if (last && last.layer !== 'none') {
      latestOutcome =
        last.layer === 'detail'
          ? outcomeDetail(last.outcome, oHist.get(last.outcome.id))
          : outcomeSummary(last.outcome);
      seenRecords.add(last.outcome.id);
      if (last.outcome.overallRating >= 3) {
        reasons.push(
          reason(
            'latest-rating-of-concern',
            `latest monitoring (${last.outcome.activityDate}) rated ${last.outcome.overallRating} of 5`,
            last.outcome.id,
            last.contact,
          ),
        );
      }
    }
    const concernFacts = concernsOf.get(p.id);
    for (const [issuer, contact] of concernFacts?.signals ?? []) addSignal(issuer, contact, 'a concern');

    const concernsLast12Months = concernFacts?.n ?? 0;
    const riskRag = riskRagOf(concernsLast12Months);
    if (riskRag === 'medium')
      reasons.push(
        reason('risk-medium', `${concernsLast12Months} concerns logged in the last 12 months (risk medium)`),
      );
    if (riskRag === 'high')
      reasons.push(
        reason('risk-high', `${concernsLast12Months} concerns logged in the last 12 months (risk high)`),
      );

    // The schedule reads the same latest outcome, whatever layer the caller sees it at.
    const monitoring = monitoringState(
      last ? { activityDate: last.outcome.activityDate, nextDueOn: last.outcome.nextDueOn } : undefined,
      months ?? defaultMonths(p.type as ProvisionType),
      today,
    );
    const leadContact = lead?.qaInbox ?? null;
    if (monitoring.status === 'overdue')
      reasons.push(
        reason(
          'monitoring-overdue',
          `monitoring was due on ${monitoring.nextDueOn} (${monitoring.daysOverdue} days overdue)`,
          null,
          leadContact,
        ),
      );
    if (monitoring.status === 'never-monitored')
      reasons.push(reason('never-monitored', 'no published monitoring outcome', null, leadContact));
    if (!lead)
      reasons.push(reason('no-lead-authority', 'no member authority is allocated to monitor this setting'));

    const verdict = reasons.reduce<Verdict>(
      (worst, r) => (VERDICT_RANK[r.verdict] > VERDICT_RANK[worst] ? r.verdict : worst),
      'clear',
    );
    verdicts[p.id] = verdict;
    results.push({
      ok: true,
      provisionId: p.id,
      verdict,
      reasons: reasons.sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]),
      provision: {
        name: p.name,
        urn: p.urn,
        type: p.type as PlacementCheck['provision']['type'],
        registrationStatus: p.registrationStatus as PlacementCheck['provision']['registrationStatus'],
        ofstedGrade: p.ofstedGrade as PlacementCheck['provision']['ofstedGrade'],
        ofstedGradeDate: p.ofstedGradeDate,
        hostAuthorityId: p.hostAuthorityId,
        postcode: p.postcode,
      },
      provider: { id: provider.id, name: provider.name, companyNumber: provider.companyNumber },
      lead: lead
        ? { authorityId: lead.authorityId, name: lead.name, qaInbox: lead.qaInbox, since: lead.since }
        : null,
      latestOutcome,
      restrictions: views,
      riskRag,
      concernsLast12Months,
      monitoring,
      checkedAt: actor.now.toISOString(),
    });
  }

  // One statement, so atomic without a transaction of its own: BEGIN and COMMIT would be two more
  // round trips on every check.
  await appendAudit(db, {
    ...auditActor(actor),
    action: auditAction,
    recordType: 'provision',
    recordIds: [...seenRecords],
    provisionIds: Object.keys(verdicts),
    basis: 'member',
    details: {
      verdicts,
      detail: [...detailOutcomeIds, ...detailRestrictionIds].filter((id) => seenRecords.has(id)),
      notFound: results.filter((r) => !r.ok).length,
    },
  });
  return results;
};
