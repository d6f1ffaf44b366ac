// Monitoring outcomes: what a quality-assurance visit or review found, published by a member authority.
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zSignalIds } from './signals.js';
import { zAuthorityId } from './authorities.js';
import { TEXT_LIMITS, zDate, zId, zIdempotencyKey, zInput, zTimestamp, zVersion } from './common.js';

export const ACTIVITY_TYPES = [
  'full-qa-visit',
  'monitoring-visit',
  'unannounced-visit',
  'property-only-visit',
  'desk-review',
  'compliance-review',
  'contract-meeting',
] as const;
export const zActivityType = z.enum(ACTIVITY_TYPES);
export type ActivityType = z.infer<typeof zActivityType>;

/** Overall concern rating (Bolton PQR): 1 no concerns, 2 minor, 3 moderate, 4 significant, 5 catastrophic. */
export const OVERALL_RATING_LABELS = [
  'no concerns',
  'minor',
  'moderate',
  'significant',
  'catastrophic',
] as const;
export const zOverallRating = z.number().int().min(1).max(5);
/** The scale's direction in words, wherever people read it: 1 is the best, 5 the most serious. */
export const OVERALL_RATING_SCALE = '1 no concerns – 5 catastrophic';
/** An overall rating as people read it: "4 of 5 (significant), where 5 is the most serious". */
export const overallRatingInWords = (rating: number): string =>
  `${rating} of 5${OVERALL_RATING_LABELS[rating - 1] ? ` (${OVERALL_RATING_LABELS[rating - 1]})` : ''}, where 5 is the most serious`;

export const JUDGEMENTS = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export const zJudgement = z.enum(JUDGEMENTS);

/** Action-item concern levels and their default timescales (Medway, figure 8). */
export const CONCERN_LEVELS = ['low', 'medium', 'high', 'significant'] as const;
export const zConcernLevel = z.enum(CONCERN_LEVELS);
export type ConcernLevel = z.infer<typeof zConcernLevel>;
/**
 * Days from the publication date (the first publish; for an item an amendment adds, the amendment's
 * date) to the default due date: low 2–4 weeks, medium 1–2 weeks, high 24–48 hours, significant
 * immediately. Counting from publication, not the visit, means a report sent within Bolton's ten
 * working days is not overdue on arrival.
 */
export const ACTION_DUE_DAYS: Record<ConcernLevel, number> = { low: 28, medium: 14, high: 2, significant: 0 };

export const ACTION_STATUSES = ['open', 'met', 'extended'] as const;
export const zActionStatus = z.enum(ACTION_STATUSES);

export const zSectionJudgement = z.object({
  section: z.string().trim().min(1).max(100),
  judgement: zJudgement,
  comment: z.string().trim().max(TEXT_LIMITS.short).optional(),
});

/** A section judgement as a caller sends it. */
export const zSectionJudgementInput = zInput(zSectionJudgement.shape);

export const zActionItemInput = zInput({
  description: z
    .string()
    .trim()
    .min(1)
    .max(TEXT_LIMITS.short * 2),
  concernLevel: zConcernLevel,
  dueOn: zDate
    .optional()
    .describe(
      'defaults to the publication date plus the concern level’s days; not before the publication date',
    ),
});

export const zActionItem = z.object({
  id: z.string(),
  description: z.string(),
  concernLevel: zConcernLevel,
  dueOn: zDate,
  /**
   * True in a draft while the due date is the concern level's default, counted from today: publishing
   * counts it again from the publication date.
   */
  dueOnFromPublication: z.boolean().optional(),
  status: zActionStatus,
  /** Every change of status or due date, oldest first. */
  history: z
    .array(
      z.object({
        at: zTimestamp,
        status: zActionStatus,
        dueOn: zDate,
        note: z.string().nullable(),
        byAuthorityId: z.string(),
        byAuthority: zAuthorityRef.optional(),
      }),
    )
    .default([]),
});
export type ActionItem = z.infer<typeof zActionItem>;

export const zOutcomeCreate = zInput({
  provisionId: zId,
  activityType: zActivityType,
  activityDate: zDate,
  announced: z.boolean().default(true),
  overallRating: zOverallRating,
  sectionJudgements: z.array(zSectionJudgementInput).max(30).default([]),
  summary: z
    .string()
    .trim()
    .min(1)
    .max(TEXT_LIMITS.long / 4),
  findings: z.string().trim().max(TEXT_LIMITS.long).default(''),
  actionItems: z.array(zActionItemInput).max(100).default([]),
  nextDueOn: zDate.optional(),
  /** Restricted: detail only to the publisher and explicit grantees; other members see a neutral signal. */
  restricted: z.boolean().default(false),
  idempotencyKey: zIdempotencyKey.optional(),
});
export type OutcomeCreate = z.input<typeof zOutcomeCreate>;

export const zOutcomePublish = zInput({
  id: zId,
  version: zVersion,
  idempotencyKey: zIdempotencyKey.optional(),
});

/** A new version of a published outcome; the earlier versions stay readable to those who may read detail. */
export const zOutcomeAmend = zInput({
  id: zId,
  version: zVersion,
  reason: z.string().trim().min(3, 'say why it is amended').max(TEXT_LIMITS.short),
  changes: zInput({
    activityType: zActivityType,
    activityDate: zDate,
    announced: z.boolean(),
    overallRating: zOverallRating,
    sectionJudgements: z.array(zSectionJudgementInput).max(30),
    summary: z
      .string()
      .trim()
      .min(1)
      .max(TEXT_LIMITS.long / 4),
    findings: z.string().trim().max(TEXT_LIMITS.long),
    nextDueOn: zDate.nullable(),
    restricted: z.boolean(),
    addActionItems: z.array(zActionItemInput).max(100),
  })
    .partial()
    // An empty list of new action items (or a field given as undefined) changes nothing.
    .refine(
      ({ addActionItems, ...fields }) =>
        (addActionItems?.length ?? 0) > 0 || Object.values(fields).some((v) => v !== undefined),
      'change at least one field',
    ),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zOutcomeWithdraw = zInput({
  id: zId,
  version: zVersion,
  reason: z.string().trim().min(3, 'say why it is withdrawn').max(TEXT_LIMITS.short),
  idempotencyKey: zIdempotencyKey.optional(),
});

/** Deletes one of the caller's authority's drafts (never seen by anyone else); a published one is withdrawn instead. */
export const zOutcomeDeleteDraft = zInput({
  id: zId,
  version: zVersion,
});

export const zOutcomeDeleted = z.object({
  id: zId,
  deleted: z.literal(true),
});

/** An action item's status (open, met, extended) or due date changes; every change is kept. */
export const zActionItemUpdate = zInput({
  outcomeId: zId,
  version: zVersion,
  itemId: z.string().min(1).max(40),
  status: zActionStatus.optional(),
  dueOn: zDate.optional(),
  note: z.string().trim().max(TEXT_LIMITS.short).optional(),
  idempotencyKey: zIdempotencyKey.optional(),
}).refine((u) => u.status !== undefined || u.dueOn !== undefined, {
  message: 'give a new status or dueOn',
  path: ['status'],
});
export const zOutcomeGet = zInput({ id: zId });
export const zOutcomeListForProvision = zInput({
  provisionId: zId,
  includeDrafts: z.boolean().default(false),
});

export const OUTCOME_STATUSES = ['draft', 'published', 'amended', 'withdrawn'] as const;
export const zOutcomeStatus = z.enum(OUTCOME_STATUSES);
export type OutcomeStatus = z.infer<typeof zOutcomeStatus>;

export const zOutcomeList = zInput({
  provisionId: zId.optional(),
  publisherAuthorityId: zAuthorityId.optional(),
  status: z.enum(OUTCOME_STATUSES).optional(),
  activityFrom: zDate.optional().describe('activity on or after this date'),
  activityTo: zDate.optional().describe('activity on or before this date'),
  includeDrafts: z.boolean().default(false).describe("the caller's own drafts too"),
  cursor: z.string().max(500).optional().describe('opaque cursor from the previous page'),
  limit: z.number().int().min(1).max(500).default(200),
}).default({ includeDrafts: false, limit: 200 });

const summaryFields = {
  id: zId,
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  publisherAuthorityId: zAuthorityId,
  publisherAuthority: zAuthorityRef.optional(),
  status: zOutcomeStatus,
  activityType: zActivityType,
  activityDate: zDate,
  overallRating: zOverallRating,
  byLead: z.boolean().describe('published by the lead authority of the provision at the time'),
  publishedAt: zTimestamp.nullable(),
};

export const zOutcomeSummary = z.object({ layer: z.literal('summary'), ...summaryFields });
export const zOutcomeDetail = z.object({
  layer: z.literal('detail'),
  ...summaryFields,
  version: zVersion,
  restricted: z.boolean(),
  announced: z.boolean(),
  sectionJudgements: z.array(zSectionJudgement),
  summary: z.string(),
  findings: z.string(),
  actionItems: z.array(zActionItem),
  nextDueOn: zDate.nullable(),
  withdrawnReason: z.string().nullable(),
  createdAt: zTimestamp,
  updatedAt: zTimestamp,
  /** Earlier versions and what changed, oldest first (published, amended, action-item, withdrawn). */
  history: z.array(
    z.object({
      version: zVersion,
      at: zTimestamp,
      change: z.string(),
      note: z.string().nullable(),
      byAuthorityId: zAuthorityId,
      byAuthority: zAuthorityRef.optional(),
      snapshot: z.record(z.string(), z.unknown()),
    }),
  ),
});
/** What a member without need-to-know sees of a restricted record: that it exists, and whom to contact. */
export const zRestrictedSignal = z.object({
  layer: z.literal('signal'),
  provisionId: zId,
  /** The setting's URN and name: directory facts, nothing of the record. */
  provision: zProvisionRef.nullable().optional(),
  contact: z.string(),
  message: z.string(),
  /** The hidden records this signal stands for (one per record, opaque: signals.ts). */
  signalIds: zSignalIds,
});
export const zOutcomeView = z.discriminatedUnion('layer', [
  zOutcomeDetail,
  zOutcomeSummary,
  zRestrictedSignal,
]);
export type OutcomeView = z.infer<typeof zOutcomeView>;
export type OutcomeDetail = z.infer<typeof zOutcomeDetail>;
