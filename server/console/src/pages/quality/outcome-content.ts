// An outcome's content as the form holds it (text, as typed), to and from the hub's shape, and the
// field-by-field comparison a version conflict is shown with.
import { formatDate } from '../../format.js';
import type { Outputs } from '../../trpc.js';
import {
  ACTIVITY_TYPES,
  JUDGEMENTS,
  ratingInWords,
  yesNo,
  type ActivityType,
  type ConcernLevel,
  type Judgement,
} from './labels.js';

export type OutcomeDetail = Extract<Outputs['outcomes']['get'], { layer: 'detail' }>;

export type JudgementRow = { section: string; judgement: string; comment: string };
export type ActionRow = { description: string; concernLevel: string; dueOn: string };

/** The fields of an outcome that can be written and amended. */
export type Content = {
  activityType: string;
  activityDate: string;
  announced: 'yes' | 'no';
  overallRating: string;
  summary: string;
  findings: string;
  nextDueOn: string;
  restricted: 'yes' | 'no';
  sectionJudgements: JudgementRow[];
};

export const CONTENT_FIELDS = [
  'activityType',
  'activityDate',
  'announced',
  'overallRating',
  'summary',
  'findings',
  'nextDueOn',
  'restricted',
  'sectionJudgements',
] as const satisfies readonly (keyof Content)[];
export type ContentField = (typeof CONTENT_FIELDS)[number];

export const FIELD_NAMES: Record<ContentField, string> = {
  activityType: 'Type of activity',
  activityDate: 'Date of the activity',
  announced: 'Announced in advance',
  overallRating: 'Overall rating',
  summary: 'Summary',
  findings: 'Findings',
  nextDueOn: 'Next activity due',
  restricted: 'Restricted information',
  sectionJudgements: 'Section judgements',
};

export const emptyContent = (): Content => ({
  activityType: '',
  activityDate: '',
  announced: 'yes',
  overallRating: '',
  summary: '',
  findings: '',
  nextDueOn: '',
  restricted: 'no',
  sectionJudgements: [],
});

export const contentOf = (o: OutcomeDetail): Content => ({
  activityType: o.activityType,
  activityDate: o.activityDate,
  announced: o.announced ? 'yes' : 'no',
  overallRating: String(o.overallRating),
  summary: o.summary,
  findings: o.findings,
  nextDueOn: o.nextDueOn ?? '',
  restricted: o.restricted ? 'yes' : 'no',
  sectionJudgements: o.sectionJudgements.map((j) => ({
    section: j.section,
    judgement: j.judgement,
    comment: j.comment ?? '',
  })),
});

export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value differs between two versions of the content. */
export const changedFields = (from: Content, to: Content): ContentField[] =>
  CONTENT_FIELDS.filter((f) => !same(from[f], to[f]));

const judgementsToWire = (rows: JudgementRow[]) =>
  rows.map((j) => ({
    section: j.section,
    judgement: j.judgement as Judgement,
    ...(j.comment.trim() ? { comment: j.comment } : {}),
  }));

export const actionsToWire = (rows: ActionRow[]) =>
  rows.map((a) => ({
    description: a.description,
    concernLevel: a.concernLevel as ConcernLevel,
    ...(a.dueOn ? { dueOn: a.dueOn } : {}),
  }));

/** One field in the hub's shape, as an amendment sends it. */
export const wireValue = (c: Content, f: ContentField) => {
  switch (f) {
    case 'activityType':
      return c.activityType as ActivityType;
    case 'announced':
      return c.announced === 'yes';
    case 'restricted':
      return c.restricted === 'yes';
    case 'overallRating':
      return Number(c.overallRating);
    case 'nextDueOn':
      return c.nextDueOn || null;
    case 'sectionJudgements':
      return judgementsToWire(c.sectionJudgements);
    default:
      return c[f];
  }
};

/** The whole content in the hub's shape, as a new draft sends it. */
export const createFields = (c: Content) => ({
  activityType: c.activityType as ActivityType,
  activityDate: c.activityDate,
  announced: c.announced === 'yes',
  overallRating: Number(c.overallRating),
  summary: c.summary,
  findings: c.findings,
  ...(c.nextDueOn ? { nextDueOn: c.nextDueOn } : {}),
  restricted: c.restricted === 'yes',
  sectionJudgements: judgementsToWire(c.sectionJudgements),
});

/** A field's value in words, as a person reads it. */
export const inWords = (c: Content, f: ContentField): string => {
  switch (f) {
    case 'activityType':
      return ACTIVITY_TYPES[c.activityType as ActivityType] ?? (c.activityType || 'Not given');
    case 'activityDate':
    case 'nextDueOn':
      return c[f] ? formatDate(c[f]) : 'Not given';
    case 'announced':
    case 'restricted':
      return yesNo(c[f] === 'yes');
    case 'overallRating':
      return c.overallRating ? ratingInWords(Number(c.overallRating)) : 'Not given';
    case 'sectionJudgements':
      return c.sectionJudgements.length === 0
        ? 'None'
        : c.sectionJudgements
            .map(
              (j) =>
                `${j.section}: ${JUDGEMENTS[j.judgement as Judgement] ?? j.judgement}${j.comment ? ` (${j.comment})` : ''}`,
            )
            .join('; ');
    default:
      return c[f] || 'None';
  }
};

/**
 * Three-way: the officer's values re-applied on the current version. A field the officer changed keeps
 * the officer's value; any other field takes the current version's (so their change is not undone).
 */
export const reapply = (base: Content, mine: Content, current: Content): Content => {
  const next: Content = { ...current };
  for (const f of CONTENT_FIELDS) if (!same(base[f], mine[f])) (next as Record<string, unknown>)[f] = mine[f];
  return next;
};
