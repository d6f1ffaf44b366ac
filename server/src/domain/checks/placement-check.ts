// The placement check: clear, caution or do-not-place for a setting, with every reason, the record
// behind it where the caller may see it, and whom to contact — for one provision or a shortlist.
// Set-based: a check of 500 provisions costs the same number of queries as a check of one.
import { and, asc, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  CHECK_REASONS,
  type CheckReasonCode,
  type OutcomeView,
  type PlacementCheck,
  type RestrictionKind,
  type RestrictionView,
  type Verdict,
} from '@ccx/schema';
import { contactOf, layerSql } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import {
  allocations,
  authorities,
  concerns,
  outcomes,
  providers,
  provisions,
  restrictions,
} from '../../db/schema/index.js';
import { auditActor, type Actor } from '../actor.js';
import { riskWindowStart } from '../concerns/concerns.js';
import { londonDate } from '../dates.js';
import { riskRagOf } from '@ccx/schema';
import { monitoringStates } from '../monitoring/schedule.js';
import {
  historyOf as outcomeHistories,
  restrictedSignal,
  toDetail as outcomeDetail,
  toSummary as outcomeSummary,
} from '../outcomes/outcomes.js';
import {
  activeRestrictionSql,
  historyOf as restrictionHistories,
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

export const checkPlacements = async (
  tx: Db,
  actor: Actor,
  targets: CheckTarget[],
  auditAction = 'check.placement',
): Promise<CheckResult[]> => {
  const today = londonDate(actor.now);
  const policy = { authorityId: actor.authorityId, now: actor.now };
  const ids = [...new Set(targets.flatMap((t) => ('provisionId' in t ? [t.provisionId] : [])))];
  const urns = [...new Set(targets.flatMap((t) => ('urn' in t ? [t.urn] : [])))];

  const found = await tx
    .select({ provision: provisions, provider: providers })
    .from(provisions)
    .innerJoin(providers, eq(providers.id, provisions.providerId))
    .where(
      or(
        ids.length ? inArray(provisions.id, ids) : undefined,
        urns.length ? inArray(provisions.urn, urns) : undefined,
      ) ?? sql`false`,
    );
  const byId = new Map(found.map((f) => [f.provision.id, f]));
  const byUrn = new Map(found.flatMap((f) => (f.provision.urn ? [[f.provision.urn, f] as const] : [])));
  const provisionIds = found.map((f) => f.provision.id);
  const providerIds = [...new Set(found.map((f) => f.provider.id))];

  const noneFound = provisionIds.length === 0;
  const [leads, latest, restrictionRows, concernCounts, concernSignals, states] = await Promise.all([
    noneFound
      ? []
      : tx
          .select({
            provisionId: allocations.provisionId,
            authorityId: allocations.authorityId,
            since: allocations.startsOn,
            name: authorities.name,
            qaInbox: authorities.qaInbox,
          })
          .from(allocations)
          .innerJoin(authorities, eq(authorities.id, allocations.authorityId))
          .where(
            and(
              inArray(allocations.provisionId, provisionIds),
              eq(allocations.role, 'quality'),
              isNull(allocations.endedAt),
              sql`${allocations.startsOn} <= ${today}`,
              sql`(${allocations.endsOn} is null or ${allocations.endsOn} > ${today})`,
            ),
          ),
    noneFound
      ? []
      : tx
          .selectDistinctOn([outcomes.provisionId], {
            outcome: outcomes,
            layer: layerSql(policy, {
              id: outcomes.id,
              publisherAuthorityId: outcomes.authorityId,
              status: outcomes.status,
              restricted: outcomes.restricted,
              provisionId: outcomes.provisionId,
            }),
          })
          .from(outcomes)
          .where(
            and(
              inArray(outcomes.provisionId, provisionIds),
              inArray(outcomes.status, ['published', 'amended']),
            ),
          )
          .orderBy(asc(outcomes.provisionId), desc(outcomes.activityDate), desc(outcomes.publishedAt)),
    noneFound
      ? []
      : tx
          .select({ restriction: restrictions, layer: restrictionLayerSql(actor) })
          .from(restrictions)
          .where(
            and(
              or(
                inArray(restrictions.provisionId, provisionIds),
                inArray(restrictions.providerId, providerIds),
              ),
              activeRestrictionSql(today),
            ),
          )
          .orderBy(desc(restrictions.effectiveFrom), desc(restrictions.id)),
    noneFound
      ? []
      : tx
          .select({ provisionId: concerns.provisionId, n: sql<number>`count(*)::int` })
          .from(concerns)
          .where(
            and(
              inArray(concerns.provisionId, provisionIds),
              gte(concerns.occurredOn, riskWindowStart(today)),
            ),
          )
          .groupBy(concerns.provisionId),
    // Restricted concerns the caller may not read still tell it to ask before placing.
    noneFound
      ? []
      : tx
          .selectDistinct({ provisionId: concerns.provisionId, authorityId: concerns.authorityId })
          .from(concerns)
          .where(
            and(
              inArray(concerns.provisionId, provisionIds),
              gte(concerns.occurredOn, riskWindowStart(today)),
              sql`${layerSql(policy, { id: concerns.id, publisherAuthorityId: concerns.authorityId, status: sql`'published'`, restricted: concerns.restricted, provisionId: concerns.provisionId, hasSummary: false })} = 'signal'`,
            ),
          ),
    monitoringStates(tx, provisionIds, actor.now),
  ]);

  const detailOutcomeIds = latest.filter((l) => l.layer === 'detail').map((l) => l.outcome.id);
  const detailRestrictionIds = restrictionRows
    .filter((r) => r.layer === 'detail')
    .map((r) => r.restriction.id);
  const [oHist, rHist] = await Promise.all([
    outcomeHistories(tx, detailOutcomeIds),
    restrictionHistories(tx, detailRestrictionIds),
  ]);
  const contacts = new Map<string, string>();
  const contact = async (authorityId: string) => {
    if (!contacts.has(authorityId))
      contacts.set(authorityId, (await contactOf(tx, authorityId)) ?? authorityId);
    return contacts.get(authorityId)!;
  };

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
    const { provision: p, provider } = hit;
    const reasons: Reason[] = [];
    const signalFrom = new Set<string>();
    const addSignal = async (issuer: string, recordKind: string) => {
      if (signalFrom.has(issuer)) return;
      signalFrom.add(issuer);
      const c = await contact(issuer);
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
    for (const { restriction: r, layer } of restrictionRows) {
      if (r.provisionId !== p.id && r.providerId !== provider.id) continue;
      if (layer === 'signal') {
        await addSignal(r.issuerAuthorityId, 'a restriction');
        const key = `${r.issuerAuthorityId}:${r.provisionId ?? r.providerId}`;
        if (!signalledRestrictions.has(key)) {
          signalledRestrictions.add(key);
          views.push(restrictionSignal(r, await contact(r.issuerAuthorityId)));
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
      reasons.push(restrictionReason(view, actor.authorityId, await contact(r.issuerAuthorityId)));
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

    const last = latest.find((l) => l.outcome.provisionId === p.id);
    let latestOutcome: OutcomeView | null = null;
    if (last && last.layer === 'signal') {
      latestOutcome = restrictedSignal(p.id, await contact(last.outcome.authorityId));
      await addSignal(last.outcome.authorityId, 'a monitoring outcome');
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
            await contact(last.outcome.authorityId),
          ),
        );
      }
    }
    for (const s of concernSignals.filter((c) => c.provisionId === p.id))
      await addSignal(s.authorityId, 'a concern');

    const concernsLast12Months = concernCounts.find((c) => c.provisionId === p.id)?.n ?? 0;
    const riskRag = riskRagOf(concernsLast12Months);
    if (riskRag === 'medium')
      reasons.push(
        reason('risk-medium', `${concernsLast12Months} concerns logged in the last 12 months (risk medium)`),
      );
    if (riskRag === 'high')
      reasons.push(
        reason('risk-high', `${concernsLast12Months} concerns logged in the last 12 months (risk high)`),
      );

    const monitoring = states.get(p.id)!;
    const lead = leads.find((l) => l.provisionId === p.id);
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

  await appendAudit(tx, {
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
