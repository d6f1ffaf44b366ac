// The placement check, part two: the verdict. A pure function of the facts about one setting as the
// caller may see them (facts.ts loads them): every reason with its code, the record behind it where the
// caller may see it and whom to contact, and the worst verdict among them (DESIGN.md §4).
import {
  CHECK_REASONS,
  overallRatingInWords,
  RISK_RAGS,
  riskRagOf,
  DEFAULT_RISK_BANDS,
  type RiskBands,
  type CheckReasonCode,
  type OutcomeView,
  type PlacementCheck,
  type ProvisionType,
  type RestrictionKind,
  type RestrictionView,
  type Verdict,
} from '@ccx/schema';
import { signalMessage } from '../../access/index.js';
import type { outcomes, providers, provisions, restrictions } from '../../db/schema/index.js';
import {
  overdueActionReasons,
  restrictionDeadlineCheckReasons,
  type OverdueActions,
} from '../deadlines/check.js';
import { frequencyOf, monitoringInterval } from '../monitoring/rules.js';
import { monitoringState } from '../monitoring/schedule.js';
import {
  toDetail as outcomeDetail,
  toSummary as outcomeSummary,
  type OutcomeHistory,
} from '../outcomes/outcomes.js';
import {
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
  /** The risk intervals set for its type, by trigger, if the hub-admin set any. */
  risk: Record<string, number> | null;
  /** The latest outcome that counts as monitoring (the lead's, of a monitoring type): the schedule's. */
  monitored: { activityDate: string; nextDueOn: string | null } | null;
  lead: { authorityId: string; name: string; qaInbox: string; since: string } | null;
  /** The newest published outcome, when the caller sees it only as a signal: its publisher and signal id. */
  outcomeSignal?: { authorityId: string; contact: string; signalId: string } | null;
  /** The latest published outcome of any member that the caller reads (summary or detail). */
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
    /** Its signal id for the caller, when the caller sees it only as a signal. */
    signalId?: string;
    history: Extract<RestrictionView, { layer: 'detail' }>['history'];
  }[];
  /**
   * Counting concerns (open or substantiated) of the last 12 months: how many, how many at level 2,
   * who holds restricted ones the caller may not read, and the significant ones (level 2 or safeguarding).
   */
  /** Each concern seen only as a signal: [publisher, contact, signal id]. */
  concerns: {
    n: number;
    signals: [string, string, string][];
    levelTwo?: number;
    significant?: SignificantConcern[];
  };
  /** The same count over every setting of its provider. */
  providerConcerns?: { n: number; levelTwo: number };
  /** The risk rating's bands in force (the defaults where absent). */
  riskBands?: RiskBands;
  /** Published outcomes with action items past due that the caller reads in detail. */
  overdueActions?: OverdueActions[];
};

/** A counting significant concern at the setting, and the layer at which the caller reads it. */
export type SignificantConcern = {
  id: string;
  authorityId: string;
  authorityName: string;
  contact: string;
  level: string;
  category: string;
  status: string;
  occurredOn: string;
  summary: string;
  layer: Layer;
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
  // A regulator's notice (Medway: Ofsted alerts and restrictions): no new placements, whoever relayed it.
  const reference =
    r.layer === 'detail' && r.regulatorReference ? ` (reference ${r.regulatorReference})` : '';
  if (kind === 'ofsted-restriction')
    return reason(
      'ofsted-restriction',
      `Ofsted has restricted accommodation${reference}: no new placements`,
      r.id,
      contact,
    );
  if (kind === 'ofsted-suspension')
    return reason(
      'ofsted-suspension',
      `Ofsted has suspended the registration${reference}: no new placements`,
      r.id,
      contact,
    );
  if (kind === 'registration-cancelled')
    return reason('registration-cancelled', 'the registration has been cancelled', r.id, contact);
  if (kind === 'ceased-operating')
    return reason('ceased-operating', 'reported as having ceased operating', r.id, contact);
  if (kind === 'embargo' && r.partnershipWide)
    return reason('partnership-embargo', 'the partnership has embargoed this for all members', r.id, contact);
  return reason(
    'restriction-by-member',
    `${kind === 'causing-concern-level' && r.concernLevel ? `causing concern, level ${r.concernLevel},` : kind.replace(/-/g, ' ')} issued by ${own ? 'your authority' : issuerName && issuerName !== r.issuerAuthorityId ? `${issuerName} (${r.issuerAuthorityId})` : r.issuerAuthorityId}${r.provisionId ? '' : ' on the provider'}`,
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
  /**
   * A record the caller sees only as a signal: one restricted-information reason per authority holding
   * such records here, in one text whatever their kind, with the opaque id of each (sorted; no dates).
   */
  signal(issuer: string, contact: string, signalId: string): void;
};

const findings = (provisionId: string): Findings => {
  const signalFrom = new Map<string, Reason & { signalIds: string[] }>();
  const f: Findings = {
    reasons: [],
    seen: [],
    detail: { outcomes: [], restrictions: [] },
    signal(issuer, contact, signalId) {
      const known = signalFrom.get(issuer);
      if (known) {
        if (!known.signalIds.includes(signalId)) known.signalIds.push(signalId);
        known.signalIds.sort();
        return;
      }
      const r = {
        ...reason('restricted-information', signalMessage({ provisionId }, contact), null, contact),
        signalIds: [signalId],
      };
      signalFrom.set(issuer, r);
      f.reasons.push(r);
    },
  };
  return f;
};

/** Active restrictions on the setting and its provider: their views and reasons. */
const restrictionFindings = (facts: CheckFacts, caller: Caller, f: Findings): RestrictionView[] => {
  const views: RestrictionView[] = [];
  for (const { restriction: r, layer, contact, issuerName, history, signalId } of facts.restrictions) {
    // A restriction seen only as a signal is a restricted-information reason, and nothing in the
    // check's restrictions: being listed there would say what kind of record it is.
    if (layer === 'signal') {
      if (signalId) f.signal(r.issuerAuthorityId, contact, signalId);
      continue;
    }
    if (layer === 'none') continue;
    const view =
      layer === 'detail' ? restrictionDetail(r, caller.today, history) : restrictionSummary(r, caller.today);
    views.push(view);
    f.seen.push(r.id);
    if (layer === 'detail') f.detail.restrictions.push(r.id);
    f.reasons.push(restrictionReason(view, caller.authorityId, contact, issuerName));
    for (const d of restrictionDeadlineCheckReasons(r, layer, caller.today, contact))
      f.reasons.push(reason(d.code, d.message, d.recordId, d.contact));
  }
  return views;
};

/** The latest published outcome: its view, and a reason when it rated 3 or worse. */
const outcomeFindings = (facts: CheckFacts, f: Findings): OutcomeView | null => {
  // The newest outcome seen only as a signal: a restricted-information reason; the latest outcome shown
  // (and the schedule) is the newest the caller may read, as though the hidden one were not there.
  const hidden = facts.outcomeSignal;
  if (hidden) f.signal(hidden.authorityId, hidden.contact, hidden.signalId);
  const last = facts.latest;
  if (!last || last.layer === 'none' || last.layer === 'signal') return null;
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

/**
 * Who monitors it and whether monitoring is due: the schedule reads the latest outcome that counts as
 * monitoring (the lead's quality-monitoring activity) at any layer, with the interval that applies.
 */
const monitoringFindings = (facts: CheckFacts, today: string, f: Findings): PlacementCheck['monitoring'] => {
  const frequency = frequencyOf(facts.provision.type as ProvisionType, facts.months, facts.risk);
  const monitoring = monitoringState(
    facts.monitored ?? undefined,
    monitoringInterval(facts.provision, frequency, today),
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
    f.reasons.push(
      reason(
        'never-monitored',
        facts.latest
          ? 'no quality monitoring published by its lead authority (other outcomes are intelligence, not monitoring)'
          : 'no published monitoring outcome',
        null,
        leadContact,
      ),
    );
  if (!facts.lead)
    f.reasons.push(reason('no-lead-authority', 'no member authority is allocated to monitor this setting'));
  return monitoring;
};

const LEVEL_WORDS: Record<string, string> = { minor: 'minor', 'level-1': 'level 1', 'level-2': 'level 2' };

/**
 * Concerns: each counting significant one (level 2 or safeguarding) is a reason — do-not-place for the
 * authority that logged it, caution for everyone else, and told only as far as the caller may read it
 * (no text and no record id to one that cannot) — and the setting's and provider's risk ratings, a
 * reason when medium or high.
 */
const concernFindings = (facts: CheckFacts, caller: Caller, f: Findings) => {
  for (const c of facts.concerns.significant ?? []) {
    // A restricted one the caller sees only as a signal is its restricted-information reason alone:
    // a reason of its own would say what kind of record the signal stands for.
    if (c.layer === 'signal' && c.authorityId !== caller.authorityId) continue;
    const what = `${LEVEL_WORDS[c.level] ?? c.level} ${c.category.replace(/-/g, ' ')} concern`;
    if (c.authorityId === caller.authorityId)
      f.reasons.push(
        reason(
          'own-significant-concern',
          `your authority has logged a significant concern (${what}, ${c.occurredOn}, ${c.status})`,
          c.id,
          c.contact,
        ),
      );
    else if (c.layer === 'detail')
      f.reasons.push(
        reason(
          'significant-concern',
          `${c.authorityName} (${c.authorityId}) has logged a significant concern (${what}, ${c.occurredOn}, ${c.status}): ${c.summary}`,
          c.id,
          c.contact,
        ),
      );
    else
      f.reasons.push(
        reason(
          'significant-concern',
          `a member authority has logged a significant concern: contact ${c.contact} before placing`,
          null,
          c.contact,
        ),
      );
  }
  const bands = facts.riskBands ?? DEFAULT_RISK_BANDS;
  const concernsLast12Months = facts.concerns.n;
  const riskRag = riskRagOf(concernsLast12Months, bands, facts.concerns.levelTwo ?? 0);
  const levelTwoWords = (n: number) => (n > 0 ? `, ${n} at level 2` : '');
  if (riskRag === 'medium' || riskRag === 'high')
    f.reasons.push(
      reason(
        riskRag === 'medium' ? 'risk-medium' : 'risk-high',
        `${concernsLast12Months} concerns logged in the last 12 months${levelTwoWords(facts.concerns.levelTwo ?? 0)} (risk ${riskRag})`,
      ),
    );
  const provider = facts.providerConcerns ?? {
    n: concernsLast12Months,
    levelTwo: facts.concerns.levelTwo ?? 0,
  };
  const providerRiskRag = riskRagOf(provider.n, bands, provider.levelTwo);
  // The provider's rating is a reason of its own only where it says more than the setting's: a
  // provider whose concerns are all at this setting would otherwise give the same reason twice.
  const worse = RISK_RAGS.indexOf(providerRiskRag) > RISK_RAGS.indexOf(riskRag);
  if (worse && (providerRiskRag === 'medium' || providerRiskRag === 'high'))
    f.reasons.push(
      reason(
        providerRiskRag === 'medium' ? 'provider-risk-medium' : 'provider-risk-high',
        `${provider.n} concerns logged about the provider's settings in the last 12 months${levelTwoWords(provider.levelTwo)} (provider risk ${providerRiskRag})`,
      ),
    );
  return { riskRag, concernsLast12Months, providerRiskRag, providerConcernsLast12Months: provider.n };
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
  for (const [issuer, contact, signalId] of facts.concerns.signals) f.signal(issuer, contact, signalId);
  const risk = concernFindings(facts, caller, f);
  for (const d of overdueActionReasons(facts.overdueActions ?? [], caller.today)) {
    f.reasons.push(reason(d.code, d.message, d.recordId, d.contact));
    if (!f.seen.includes(d.recordId)) f.seen.push(d.recordId);
    if (!f.detail.outcomes.includes(d.recordId)) f.detail.outcomes.push(d.recordId);
  }
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
      riskRag: risk.riskRag,
      concernsLast12Months: risk.concernsLast12Months,
      providerRiskRag: risk.providerRiskRag,
      providerConcernsLast12Months: risk.providerConcernsLast12Months,
      monitoring,
      checkedAt: caller.checkedAt,
    },
  };
};
