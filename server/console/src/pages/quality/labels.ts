// The hub's codes in words, for the quality journey's pages. Typed against the router's own inputs and
// outputs, so a code the hub gains and these lists lack fails to compile.
import type { TagColour } from '../../components/govuk.js';
import type { Inputs, Outputs } from '../../trpc.js';

type OutcomeCreate = Inputs['outcomes']['create'];
type RestrictionCreate = Inputs['restrictions']['create'];
type ConcernLog = Inputs['concerns']['log'];
type OutcomeDetail = Extract<Outputs['outcomes']['get'], { layer: 'detail' }>;
type RestrictionDetail = Extract<Outputs['restrictions']['get'], { layer: 'detail' }>;
type Allocation = Outputs['allocations']['mine'][number];
export type HubEventType = Outputs['events']['list']['items'][number]['type'];

export type ActivityType = OutcomeCreate['activityType'];
export type Judgement = NonNullable<OutcomeCreate['sectionJudgements']>[number]['judgement'];
export type ConcernLevel = NonNullable<OutcomeCreate['actionItems']>[number]['concernLevel'];
export type RestrictionKind = RestrictionCreate['kind'];
export type ReasonCategory = NonNullable<RestrictionCreate['reasons']>[number]['category'];
export type ContractScope = NonNullable<RestrictionCreate['contractScope']>;
export type RestrictionSource = NonNullable<RestrictionCreate['source']>;
export type LoggedConcernLevel = ConcernLog['level'];
export type ConcernCategory = ConcernLog['category'];
export type OutcomeStatus = OutcomeDetail['status'];
export type RestrictionStatus = RestrictionDetail['status'];
export type MonitoringStatus = NonNullable<Allocation['monitoring']>['status'];
export type ActionStatus = OutcomeDetail['actionItems'][number]['status'];

export const ACTIVITY_TYPES = {
  'full-qa-visit': 'Full quality assurance visit',
  'monitoring-visit': 'Monitoring visit',
  'unannounced-visit': 'Unannounced visit',
  'property-only-visit': 'Property-only visit',
  'desk-review': 'Desk review',
  'compliance-review': 'Compliance review',
  'contract-meeting': 'Contract meeting',
} satisfies Record<ActivityType, string>;

/** 1 is the best, 5 the most serious (the hub's scale). */
export const OVERALL_RATINGS: Record<'1' | '2' | '3' | '4' | '5', string> = {
  '1': '1 – no concerns',
  '2': '2 – minor concerns',
  '3': '3 – moderate concerns',
  '4': '4 – significant concerns',
  '5': '5 – catastrophic concerns',
};
export const ratingInWords = (rating: number): string =>
  `${rating} of 5 (${OVERALL_RATINGS[String(rating) as keyof typeof OVERALL_RATINGS]?.split('– ')[1] ?? 'unknown'}), where 5 is the most serious`;

export const JUDGEMENTS = {
  outstanding: 'Outstanding',
  good: 'Good',
  'requires-improvement': 'Requires improvement',
  inadequate: 'Inadequate',
} satisfies Record<Judgement, string>;

export const CONCERN_LEVELS = {
  low: 'Low (due in 4 weeks)',
  medium: 'Medium (due in 2 weeks)',
  high: 'High (due in 2 days)',
  significant: 'Significant (due immediately)',
} satisfies Record<ConcernLevel, string>;

export const ACTION_STATUSES = {
  open: 'Open',
  met: 'Met',
  extended: 'Extended',
} satisfies Record<ActionStatus, string>;

export const OUTCOME_STATUSES: Record<OutcomeStatus, { text: string; colour: TagColour }> = {
  draft: { text: 'Draft', colour: 'grey' },
  published: { text: 'Published', colour: 'green' },
  amended: { text: 'Amended', colour: 'blue' },
  withdrawn: { text: 'Withdrawn', colour: 'red' },
};

export const RESTRICTION_KINDS = {
  embargo: 'Embargo (do not place)',
  'informal-embargo': 'Informal embargo (always restricted)',
  'action-plan': 'Action plan',
  'regulatory-action-plan': 'Regulatory action plan (Ofsted)',
  'ofsted-restriction': 'Ofsted restriction of accommodation',
  'ofsted-suspension': 'Ofsted suspension',
  'registration-cancelled': 'Registration cancelled (Ofsted)',
  'framework-suspension': 'Framework suspension',
  'letter-of-concern': 'Letter of concern',
  'causing-concern-level': 'Causing concern level',
  'ceased-operating': 'Ceased operating',
} satisfies Record<RestrictionKind, string>;

/** Kinds only the regulator imposes: they need the regulator as source and its reference. */
export const REGULATOR_KINDS: RestrictionKind[] = [
  'ofsted-restriction',
  'ofsted-suspension',
  'registration-cancelled',
  'regulatory-action-plan',
];
export const ALWAYS_RESTRICTED_KINDS: RestrictionKind[] = ['informal-embargo'];

export const REASON_CATEGORIES = {
  safeguarding: 'Safeguarding',
  quality: 'Quality of care',
  'contract-compliance': 'Contract compliance',
  financial: 'Financial',
  'criminal-investigation': 'Criminal investigation',
  'regulator-judgement': 'Regulator judgement',
} satisfies Record<ReasonCategory, string>;

export const CONTRACT_SCOPES = {
  all: 'All contracts',
  'framework-lot': 'A framework lot',
  'dynamic-purchasing-system': 'A dynamic purchasing system',
  spot: 'Spot purchases',
} satisfies Record<ContractScope, string>;

export const RESTRICTION_SOURCES = {
  member: 'A member authority (us)',
  regulator: 'The regulator (Ofsted), relayed by us',
} satisfies Record<RestrictionSource, string>;

export const RESTRICTION_STATUSES: Record<RestrictionStatus, { text: string; colour: TagColour }> = {
  active: { text: 'Active', colour: 'red' },
  pending: { text: 'Not yet in force', colour: 'yellow' },
  expired: { text: 'Expired', colour: 'grey' },
  lifted: { text: 'Lifted', colour: 'green' },
};

/** Knowsley's levels of concern (Bolton's rating 2 minor, 3 moderate, 4–5 significant or catastrophic). */
export const LOGGED_CONCERN_LEVELS = {
  minor: 'Minor concern',
  'level-1': 'Level 1 (moderate)',
  'level-2': 'Level 2 (significant or catastrophic)',
} satisfies Record<LoggedConcernLevel, string>;

export const CONCERN_CATEGORIES = {
  safeguarding: 'Safeguarding',
  quality: 'Quality of care',
  'criminal-investigation': 'Criminal investigation',
  financial: 'Financial',
  regulator: 'Regulator',
} satisfies Record<ConcernCategory, string>;

export const MONITORING_STATUSES: Record<MonitoringStatus, { text: string; colour: TagColour }> = {
  ok: { text: 'Up to date', colour: 'green' },
  'due-soon': { text: 'Due soon', colour: 'yellow' },
  overdue: { text: 'Overdue', colour: 'red' },
  'never-monitored': { text: 'Never monitored', colour: 'orange' },
};

export const EVENT_TYPES = {
  'outcome.published': 'Monitoring outcome published',
  'outcome.amended': 'Monitoring outcome amended',
  'outcome.withdrawn': 'Monitoring outcome withdrawn',
  'restriction.created': 'Restriction added',
  'restriction.updated': 'Restriction changed',
  'restriction.lifted': 'Restriction lifted',
  'restriction.expired': 'Restriction expired',
  'concern.logged': 'Concern logged',
  'concern.updated': 'Concern changed',
  'concern.closed': 'Concern closed',
  'allocation.changed': 'Lead authority changed',
  'access.prospective-granted': 'Pre-placement access granted',
  'access.prospective-expired': 'Pre-placement access ended',
  'provision.ofsted-grade-changed': 'Ofsted grade changed',
  'provision.registration-changed': 'Registration changed',
  'directory.correction-proposed': 'Correction of the directory proposed',
  'directory.correction-decided': 'Correction of the directory decided',
  'directory.merged': 'Settings merged',
  'monitoring.overdue': 'Monitoring overdue',
  'signal.raised': 'Restricted information held',
  'signal.ended': 'Restricted information no longer held',
  'deadline.action-overdue': 'Action item overdue',
  'deadline.compliance-overdue': 'Compliance period ended without compliance recorded',
  'deadline.review-overdue': 'Restriction review overdue',
} satisfies Record<HubEventType, string>;

/** Options for a Select or Radios from one of the lists above. */
export const optionsOf = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

export const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');
