// Words for the placement journey: verdicts, layers and the hub's enum values as people read them.
import type { TagColour } from '../../components/govuk.js';
import type { Outputs } from '../../trpc.js';

export type PlacementCheck = Outputs['checks']['placement'];
export type Verdict = PlacementCheck['verdict'];
export type CheckReason = PlacementCheck['reasons'][number];
export type Layer = Outputs['access']['explain']['layer'];
export type RecordType = NonNullable<Outputs['access']['explain']['record']>['type'];

/** A hub value such as "letter-of-concern" as words: "Letter of concern". */
export const words = (value: string): string => {
  const s = value.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** Kinds of setting as people write them (the hub's enum has no apostrophes). */
export const TYPE_WORDS: Record<PlacementCheck['provision']['type'], string> = {
  'childrens-home': 'Children’s home',
  'short-breaks-home': 'Short breaks home',
  'secure-childrens-home': 'Secure children’s home',
  'independent-fostering-agency': 'Independent fostering agency',
  'residential-special-school': 'Residential special school',
  'residential-family-centre': 'Residential family centre',
  'supported-accommodation': 'Supported accommodation',
  unregulated: 'Unregulated',
};

export const VERDICT_WORDS: Record<Verdict, string> = {
  clear: 'Clear to place',
  caution: 'Place with caution',
  'do-not-place': 'Do not place',
};

/** The verdict's colour; the words above always go with it. */
export const VERDICT_COLOUR: Record<Verdict, TagColour> = {
  clear: 'green',
  caution: 'yellow',
  'do-not-place': 'red',
};

export const VERDICT_ADVICE: Record<Verdict, string> = {
  clear: 'Nothing the hub holds, or that you may know of, stands against placing a child here.',
  caution: 'You may place here, but read every reason below and contact whom it names before you do.',
  'do-not-place': 'Do not place a child here. Read the reasons below and contact whom they name.',
};

export const LAYER_WORDS: Record<Layer, string> = {
  detail: 'Full detail',
  summary: 'Summary only',
  signal: 'Restricted information',
  none: 'Not visible',
};

export const LAYER_COLOUR: Record<Layer, TagColour> = {
  detail: 'blue',
  summary: 'grey',
  signal: 'orange',
  none: 'grey',
};

export const LAYER_ABOUT: Record<Layer, string> = {
  detail: 'You see this record in full.',
  summary: 'You see the brief details every member sees; the full record needs a need-to-know basis.',
  signal: 'Restricted information exists: you see only that it exists and whom to contact.',
  none: 'You cannot see this record.',
};

/** Which kind of record stands behind a check's reason (its recordId names one of these). */
export const REASON_RECORD: Partial<Record<CheckReason['code'], RecordType>> = {
  'own-embargo': 'restriction',
  'own-framework-suspension': 'restriction',
  'partnership-embargo': 'restriction',
  'restriction-by-member': 'restriction',
  'ofsted-suspension': 'restriction',
  'registration-cancelled': 'restriction',
  'ceased-operating': 'restriction',
  'latest-rating-of-concern': 'outcome',
  'risk-medium': 'concern',
  'risk-high': 'concern',
};

export const RECORD_WORDS: Record<RecordType, string> = {
  outcome: 'monitoring outcome',
  restriction: 'restriction',
  concern: 'concern',
};

/** The anchor of a record on the setting page, so a reason can link to the record behind it. */
export const recordAnchor = (type: RecordType, id: string): string => `${type}-${id}`;

export const RISK_WORDS: Record<PlacementCheck['riskRag'], string> = {
  none: 'None',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const MONITORING_WORDS: Record<PlacementCheck['monitoring']['status'], string> = {
  ok: 'Up to date',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  'never-monitored': 'Never monitored',
};

/** An Ofsted URN as the hub accepts one (schema/src/directory.ts zOfstedUrn). */
export const URN_PATTERN = /^(?:SC\d{6}|\d{6,7})$/;
export const looksLikeUrn = (value: string): boolean => URN_PATTERN.test(value.trim().toUpperCase());
