// The placement check, part two: the verdict. A pure function of the facts about one setting as the
// caller may see them (facts.ts loads them): every reason with its code, the record behind it where the
// caller may see it and whom to contact, and the worst verdict among them (DESIGN.md §4).
import {
  CHECK_REASONS,
  overallRatingInWords,
  riskRagOf,
  type CheckReasonCode,
  type OutcomeView,
  type PlacementCheck,
  type ProvisionType,
  type RestrictionKind,
  type RestrictionView,
  type Verdict,
} from '@ccx/schema';
import { CONCERN, OUTCOME, RESTRICTION, signalMessage } from '../../access/index.js';
import type { outcomes, providers, provisions, restrictions } from '../../db/schema/index.js';
import { defaultMonths, monitoringState } from '../monitoring/schedule.js';
import {
  outcomeRecords,
  toDetail as outcomeDetail,
  toSummary as outcomeSummary,
  type OutcomeHistory,
} from '../outcomes/outcomes.js';
import {
  restrictionRecords,
  toDetail as restrictionDetail,
  toSummary as restrictionSummary,
} from '../restrictions/restrictions.js';

export type CheckTarget = { provisionId: string } | { urn: string };
export type CheckResult = ({ ok: true } & PlacementCheck) | { ok: false; target: CheckTarget; error: string };

type Layer = 'detail' | 'summary' | 'signal' | 'none';

/** What the check knows of one setting, each record at the layer the caller sees it. */
export type CheckFacts = {
  provision: typeof provisions.$inferSelect;
  provider: typeof providers.$inferSelect;
  /** The monitoring frequency set for its type, if the hub-admin set one. */
  months: number | null;
  lead: { authorityId: string; name: string; qaInbox: string; since: string } | null;
  /** The latest published outcome, whatever layer the caller sees it at (the schedule reads it). */
  latest: {
    outcome: typeof outcomes.$inferSelect;
    layer: Layer;
    contact: string;
    history: OutcomeHistory;
  } | null;
  /** Active restrictions on the setting and on its provider, newest first. */
  restrictions: {
    restriction: typeof restrictions.$inferSelect;
    layer: Layer;
    contact: string;
    /** The issuing authority's name, for the reason's words (its id when absent). */
    issuerName?: string;
    history: Extract<RestrictionView, { layer: 'detail' }>['history'];
  }[];
  /** Concerns of the last 12 months: how many, and who holds restricted ones the caller may not read. */
  concerns: { n: number; signals: [string, string][] };
};

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
  issuerName?: string,
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
    `${kind.replace(/-/g, ' ')} issued by ${own ? 'your authority' : issuerName && issuerName !== r.issuerAuthorityId ? `${issuerName} (${r.issuerAuthorityId})` : r.issuerAuthorityId}${r.provisionId ? '' : ' on the provider'}`,
    r.id,
    contact,
  );
};

type Caller = { authorityId: string; today: string; checkedAt: string };

/** What a check has found so far: its reasons, and the records it shows. */
type Findings = {
  reasons: Reason[];
  seen: string[];
  detail: { outcomes: string[]; restrictions: string[] };
  /** One restricted-information reason per authority holding restricted records here, whatever their kind. */
  signal(issuer: string, contact: string, noun: string): void;
};

const findings = (provisionId: string): Findings => {
  const signalFrom = new Set<string>();
  const f: Findings = {
    reasons: [],
    seen: [],
    detail: { outcomes: [], restrictions: [] },
    signal(issuer, contact, noun) {
      if (signalFrom.has(issuer)) return;
      signalFrom.add(issuer);
      f.reasons.push(
        reason('restricted-information', signalMessage({ provisionId }, contact, noun), null, contact),
      );
    },
  };
  return f;
};

/** Active restrictions on the setting and its provider: their views and reasons. */
const restrictionFindings = (facts: CheckFacts, caller: Caller, f: Findings): RestrictionView[] => {
  const views: RestrictionView[] = [];
  const signalled = new Set<string>();
  for (const { restriction: r, layer, contact, issuerName, history } of facts.restrictions) {
    if (layer === 'signal') {
      f.signal(r.issuerAuthorityId, contact, RESTRICTION.noun);
      const key = `${r.issuerAuthorityId}:${r.provisionId ?? r.providerId}`;
      if (!signalled.has(key)) {
        signalled.add(key);
        views.push(restrictionRecords.signal(r, contact) as RestrictionView);
      }
      continue;
    }
    if (layer === 'none') continue;
    const view =
      layer === 'detail' ? restrictionDetail(r, caller.today, history) : restrictionSummary(r, caller.today);
    views.push(view);
    f.seen.push(r.id);
    if (layer === 'detail') f.detail.restrictions.push(r.id);
    f.reasons.push(restrictionReason(view, caller.authorityId, contact, issuerName));
  }
  return views;
};

/** The latest published outcome: its view, and a reason when it rated 3 or worse. */
const outcomeFindings = (facts: CheckFacts, f: Findings): OutcomeView | null => {
  const last = facts.latest;
  if (!last || last.layer === 'none') return null;
  if (last.layer === 'signal') {
    f.signal(last.outcome.authorityId, last.contact, OUTCOME.noun);
    return outcomeRecords.signal(last.outcome, last.contact) as OutcomeView;
  }
  f.seen.push(last.outcome.id);
  if (last.layer === 'detail') f.detail.outcomes.push(last.outcome.id);
  if (last.outcome.overallRating >= 3)
    f.reasons.push(
      reason(
        'latest-rating-of-concern',
        `latest monitoring (${last.outcome.activityDate}) rated ${overallRatingInWords(last.outcome.overallRating)}`,
        last.outcome.id,
        last.contact,
      ),
    );
  return last.layer === 'detail' ? outcomeDetail(last.outcome, last.history) : outcomeSummary(last.outcome);
};

/** The directory's facts: registration (first of all reasons) and the Ofsted grade (after restrictions). */
const registrationFindings = (p: CheckFacts['provision'], f: Findings): void => {
  if (['suspended', 'cancelled', 'closed'].includes(p.registrationStatus))
    f.reasons.push(
      reason('registration-not-active', `the directory records the registration as ${p.registrationStatus}`),
    );
};

const gradeFindings = (p: CheckFacts['provision'], f: Findings): void => {
  const graded = p.ofstedGradeDate ? ` (${p.ofstedGradeDate})` : '';
  if (p.ofstedGrade === 'inadequate')
    f.reasons.push(reason('ofsted-inadequate', `Ofsted grade inadequate${graded}`));
  if (p.ofstedGrade === 'requires-improvement')
    f.reasons.push(reason('ofsted-requires-improvement', `Ofsted grade requires improvement${graded}`));
};

/** Who monitors it and whether monitoring is due: the schedule reads the latest outcome at any layer. */
const monitoringFindings = (facts: CheckFacts, today: string, f: Findings): PlacementCheck['monitoring'] => {
  const last = facts.latest;
  const monitoring = monitoringState(
    last ? { activityDate: last.outcome.activityDate, nextDueOn: last.outcome.nextDueOn } : undefined,
    facts.months ?? defaultMonths(facts.provision.type as ProvisionType),
    today,
  );
  const leadContact = facts.lead?.qaInbox ?? null;
  if (monitoring.status === 'overdue')
    f.reasons.push(
      reason(
        'monitoring-overdue',
        `monitoring was due on ${monitoring.nextDueOn} (${monitoring.daysOverdue} days overdue)`,
        null,
        leadContact,
      ),
    );
  if (monitoring.status === 'never-monitored')
    f.reasons.push(reason('never-monitored', 'no published monitoring outcome', null, leadContact));
  if (!facts.lead)
    f.reasons.push(reason('no-lead-authority', 'no member authority is allocated to monitor this setting'));
  return monitoring;
};

/**
 * The verdict on one setting for the calling authority on `today`: its reasons, worst first, and the
 * records shown (`seen`, for the audit entry; `detail`, those shown in detail).
 */
export const verdictFor = (
  facts: CheckFacts,
  caller: Caller,
): { check: PlacementCheck; seen: string[]; detail: { outcomes: string[]; restrictions: string[] } } => {
  const { provision: p, provider, lead } = facts;
  const f = findings(p.id);
  registrationFindings(p, f);
  const restrictionViews = restrictionFindings(facts, caller, f);
  gradeFindings(p, f);
  const latestOutcome = outcomeFindings(facts, f);
  for (const [issuer, contact] of facts.concerns.signals) f.signal(issuer, contact, CONCERN.noun);
  const concernsLast12Months = facts.concerns.n;
  const riskRag = riskRagOf(concernsLast12Months);
  if (riskRag === 'medium' || riskRag === 'high')
    f.reasons.push(
      reason(
        riskRag === 'medium' ? 'risk-medium' : 'risk-high',
        `${concernsLast12Months} concerns logged in the last 12 months (risk ${riskRag})`,
      ),
    );
  const monitoring = monitoringFindings(facts, caller.today, f);

  const verdict = f.reasons.reduce<Verdict>(
    (worst, r) => (VERDICT_RANK[r.verdict] > VERDICT_RANK[worst] ? r.verdict : worst),
    'clear',
  );
  return {
    seen: f.seen,
    detail: f.detail,
    check: {
      provisionId: p.id,
      verdict,
      reasons: f.reasons.sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict]),
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
      restrictions: restrictionViews,
      riskRag,
      concernsLast12Months,
      monitoring,
      checkedAt: caller.checkedAt,
    },
  };
};
