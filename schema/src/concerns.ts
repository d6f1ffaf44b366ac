// Concerns: logged quality or safeguarding concerns ("QA cases") about a provision, feeding its risk rating.
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zSignalIds } from './signals.js';
import { zAuthorityId } from './authorities.js';
import { TEXT_LIMITS, zDate, zId, zIdempotencyKey, zInput, zTimestamp, zVersion } from './common.js';

/**
 * The level of a concern (Knowsley Children's Homes Protocol: minor concern, level 1, level 2). Bolton's
 * Provider Quality Rating maps onto it: 2 minor → minor, 3 moderate → level-1, 4 significant and
 * 5 catastrophic → level-2.
 */
export const LOGGED_CONCERN_LEVELS = ['minor', 'level-1', 'level-2'] as const;
export const zLoggedConcernLevel = z.enum(LOGGED_CONCERN_LEVELS);
export type LoggedConcernLevel = z.infer<typeof zLoggedConcernLevel>;

export const CONCERN_CATEGORIES = [
  'safeguarding',
  'quality',
  'criminal-investigation',
  'financial',
  'regulator',
] as const;
export const zConcernCategory = z.enum(CONCERN_CATEGORIES);
export type ConcernCategory = z.infer<typeof zConcernCategory>;

/** Open and substantiated concerns count (risk rating, check reasons); unsubstantiated and closed ones do not. */
export const CONCERN_STATUSES = ['open', 'substantiated', 'unsubstantiated', 'closed'] as const;
export const zConcernStatus = z.enum(CONCERN_STATUSES);
export type ConcernStatus = z.infer<typeof zConcernStatus>;
export const COUNTING_CONCERN_STATUSES: readonly ConcernStatus[] = ['open', 'substantiated'];

/** A significant concern: level 2, or about safeguarding. While it counts it is a reason in every check. */
export const isSignificantConcern = (c: { level: string; category: string }): boolean =>
  c.level === 'level-2' || c.category === 'safeguarding';

/**
 * Risk rating from the number of counting concerns in the last 12 months (Medway, figure 6: 0, 1–4 low,
 * 4–10 medium, 10+ high). The figure's overlaps resolve downwards: 4 is low, 10 is medium, 11 and over
 * high. The hub-admin may move the bands (`mediumFrom`, `highFrom`). One counting level-2 concern raises
 * the rating to at least medium on its own (figure 6: a significant concern is reviewed on its own).
 */
export const RISK_RAGS = ['none', 'low', 'medium', 'high'] as const;
export const zRiskRag = z.enum(RISK_RAGS);
export type RiskRag = z.infer<typeof zRiskRag>;

export const DEFAULT_RISK_BANDS = { mediumFrom: 5, highFrom: 11 } as const;
export const zRiskBands = z.object({
  mediumFrom: z.number().int().min(2).max(1000).describe('the least number of concerns rated medium'),
  highFrom: z.number().int().min(3).max(1000).describe('the least number of concerns rated high'),
});
export type RiskBands = z.infer<typeof zRiskBands>;
export const zRiskBandsSet = zInput(zRiskBands.shape).refine((b) => b.highFrom > b.mediumFrom, {
  message: 'highFrom must be more than mediumFrom',
  path: ['highFrom'],
});
export const zRiskBandsView = zRiskBands.extend({
  /** True while the hub-admin has not set them: the defaults apply. */
  isDefault: z.boolean(),
  updatedAt: zTimestamp.nullable(),
});

export const riskRagOf = (concerns: number, bands: RiskBands = DEFAULT_RISK_BANDS, levelTwo = 0): RiskRag => {
  const byCount: RiskRag =
    concerns === 0
      ? 'none'
      : concerns < bands.mediumFrom
        ? 'low'
        : concerns < bands.highFrom
          ? 'medium'
          : 'high';
  return levelTwo > 0 && (byCount === 'none' || byCount === 'low') ? 'medium' : byCount;
};

/** Old clients sent `severity`: refuse it by name, pointing at `level`. */
const noSeverity = {
  severity: z
    .never({ error: 'severity was replaced by level: send level as minor, level-1 or level-2' })
    .optional(),
};

const summaryField = z
  .string()
  .trim()
  .min(1)
  .max(TEXT_LIMITS.short * 4);

export const zConcernLog = zInput({
  provisionId: zId,
  category: zConcernCategory,
  level: zLoggedConcernLevel,
  occurredOn: zDate,
  summary: summaryField,
  restricted: z.boolean().default(false),
  idempotencyKey: zIdempotencyKey.optional(),
  ...noSeverity,
});

const zNote = z.string().trim().min(3).max(TEXT_LIMITS.short);

/** Correcting a concern: the fields that change, and why (kept with the version). */
export const zConcernCorrect = zInput({
  id: zId,
  version: zVersion,
  category: zConcernCategory.optional(),
  level: zLoggedConcernLevel.optional(),
  occurredOn: zDate.optional(),
  summary: summaryField.optional(),
  restricted: z.boolean().optional(),
  note: zNote.describe('why it changed, kept with the version'),
  idempotencyKey: zIdempotencyKey.optional(),
  ...noSeverity,
});

/** Marking a concern substantiated or unsubstantiated, or closing it: a note (the reason) is kept. */
export const zConcernTransition = zInput({
  id: zId,
  version: zVersion,
  note: zNote.optional().describe('what was found, kept with the version'),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zConcernClose = zInput({
  id: zId,
  version: zVersion,
  reason: zNote.describe('why it is closed'),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zConcernGet = zInput({ id: zId });

export const zConcernHistoryEntry = z.object({
  version: zVersion,
  at: zTimestamp,
  byAuthorityId: zAuthorityId,
  byAuthority: zAuthorityRef.optional(),
  change: z.string(),
  note: z.string().nullable(),
  /** The concern as it stood at this version. */
  level: zLoggedConcernLevel.optional(),
  category: zConcernCategory.optional(),
  status: zConcernStatus.optional(),
  occurredOn: zDate.optional(),
  summary: z.string().optional(),
});

export const zConcern = z.object({
  layer: z.literal('detail'),
  id: zId,
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  loggedByAuthorityId: zAuthorityId,
  loggedByAuthority: zAuthorityRef.optional(),
  category: zConcernCategory,
  level: zLoggedConcernLevel,
  status: zConcernStatus,
  /** Open or substantiated: it counts in the risk rating and, when significant, in every check. */
  counts: z.boolean(),
  significant: z.boolean(),
  occurredOn: zDate,
  summary: z.string(),
  restricted: z.boolean(),
  closedReason: z.string().nullable(),
  version: zVersion,
  createdAt: zTimestamp,
  updatedAt: zTimestamp,
  history: z.array(zConcernHistoryEntry),
});
export type ConcernDetail = z.infer<typeof zConcern>;
export const zConcernSignal = z.object({
  layer: z.literal('signal'),
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  contact: z.string(),
  message: z.string(),
  /** The hidden records this signal stands for (one per record, opaque: signals.ts). */
  signalIds: zSignalIds,
});
export const zConcernView = z.discriminatedUnion('layer', [zConcern, zConcernSignal]);
export type ConcernView = z.infer<typeof zConcernView>;

export const zConcernList = zInput({
  provisionId: zId,
  sinceMonths: z.number().int().min(1).max(120).default(12),
});

export const zConcernListResult = z.object({
  provisionId: zId,
  /** Counting concerns (open or substantiated) in the last 12 months, including those the caller may not read. */
  concernsLast12Months: z.number().int(),
  riskRag: zRiskRag,
  /** The same over every setting of the provision's provider. */
  providerId: zId,
  providerConcernsLast12Months: z.number().int(),
  providerRiskRag: zRiskRag,
  items: z.array(zConcernView),
  /** Concerns in the window the caller may not read (no need-to-know basis). */
  notVisible: z.number().int(),
});
