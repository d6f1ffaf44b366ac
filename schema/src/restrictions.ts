// Restrictions and embargoes on a provision or a whole provider, published by members or relayed from the regulator.
import { z } from 'zod';
import { zAuthorityRef, zProviderRef, zProvisionRef } from './refs.js';
import { zSignalIds } from './signals.js';
import { zAuthorityId } from './authorities.js';
import { TEXT_LIMITS, zDate, zId, zIdempotencyKey, zInput, zTimestamp, zVersion } from './common.js';

export const RESTRICTION_KINDS = [
  'embargo',
  'informal-embargo',
  'action-plan',
  'regulatory-action-plan',
  'ofsted-restriction',
  'ofsted-suspension',
  'registration-cancelled',
  'framework-suspension',
  'letter-of-concern',
  'causing-concern-level',
  'ceased-operating',
] as const;
export const zRestrictionKind = z.enum(RESTRICTION_KINDS);
export type RestrictionKind = z.infer<typeof zRestrictionKind>;

/** Kinds that only the regulator imposes: they must carry the regulator's reference. */
export const REGULATOR_KINDS: readonly RestrictionKind[] = [
  'ofsted-restriction',
  'ofsted-suspension',
  'registration-cancelled',
  'regulatory-action-plan',
];
/** Kinds that are always restricted: detail only to the issuer and those it shares with. */
export const ALWAYS_RESTRICTED_KINDS: readonly RestrictionKind[] = ['informal-embargo'];
/** Default review period of a regulator-sourced restriction (Medway: Ofsted restrictions run 12 weeks). */
export const REGULATOR_REVIEW_DAYS = 84;
/** Default compliance period of a letter of concern, in working days (Knowsley protocol). */
export const LETTER_OF_CONCERN_WORKING_DAYS = 15;

/** The level of a home causing concern (Knowsley Children's Homes Protocol): level 1, or level 2, the highest. */
export const zCausingConcernLevel = z.union([z.literal(1), z.literal(2)]);

export const REASON_CATEGORIES = [
  'safeguarding',
  'quality',
  'contract-compliance',
  'financial',
  'criminal-investigation',
  'regulator-judgement',
] as const;
export const zReasonCategory = z.enum(REASON_CATEGORIES);

export const CONTRACT_SCOPES = ['all', 'framework-lot', 'dynamic-purchasing-system', 'spot'] as const;
export const zContractScope = z.enum(CONTRACT_SCOPES);

export const RESTRICTION_SOURCES = ['member', 'regulator'] as const;
export const zRestrictionSource = z.enum(RESTRICTION_SOURCES);

export const zRestrictionReason = z.object({
  category: zReasonCategory,
  text: z
    .string()
    .trim()
    .min(1)
    .max(TEXT_LIMITS.short * 2),
});

/** A restriction applies to one provision, or to a whole provider and so to every provision of it. */
export const zRestrictionTarget = z.union([
  zInput({ provisionId: zId, providerId: z.undefined().optional() }),
  zInput({ providerId: zId, provisionId: z.undefined().optional() }),
]);

const contentFields = {
  reasons: z.array(zInput(zRestrictionReason.shape)).min(1, 'give at least one reason').max(20),
  contractScope: zContractScope.default('all'),
  contractReference: z.string().trim().max(200).optional().describe('the framework lot or DPS it affects'),
  summary: z
    .string()
    .trim()
    .max(TEXT_LIMITS.short * 2)
    .default(''),
  details: z.string().trim().max(TEXT_LIMITS.long).default(''),
};

export const zRestrictionCreate = zInput({
  provisionId: zId.optional(),
  providerId: zId.optional(),
  kind: zRestrictionKind,
  source: zRestrictionSource.default('member'),
  regulatorReference: z.string().trim().min(1).max(100).optional(),
  effectiveFrom: zDate.optional().describe('defaults to today'),
  reviewOn: zDate.optional().describe('regulator-sourced kinds default to 12 weeks after effectiveFrom'),
  expiresOn: zDate.optional().describe('the first day it no longer applies; it stops being active by itself'),
  complianceDueOn: zDate.optional().describe('letters of concern default to 15 working days'),
  /** Applied by the partnership to all members: a do-not-place for everyone. */
  partnershipWide: z.boolean().default(false),
  restricted: z.boolean().default(false),
  idempotencyKey: zIdempotencyKey.optional(),
  ...contentFields,
  concernLevel: zCausingConcernLevel
    .optional()
    .describe('causing-concern-level only, and required there: 1 or 2'),
})
  .refine((r) => Boolean(r.provisionId) !== Boolean(r.providerId), {
    message: 'give exactly one of provisionId or providerId',
    path: ['provisionId'],
  })
  .refine((r) => (r.kind === 'causing-concern-level') === (r.concernLevel !== undefined), {
    message: 'concernLevel (1 or 2) is required for a causing-concern-level restriction, and only for it',
    path: ['concernLevel'],
  });
export type RestrictionCreate = z.input<typeof zRestrictionCreate>;

export const zRestrictionUpdate = zInput({
  id: zId,
  version: zVersion,
  reviewOn: zDate.nullable().optional(),
  expiresOn: zDate.nullable().optional(),
  complianceDueOn: zDate.nullable().optional(),
  regulatorReference: z.string().trim().min(1).max(100).optional(),
  reasons: contentFields.reasons.optional(),
  contractScope: zContractScope.optional(),
  contractReference: z.string().trim().max(200).nullable().optional(),
  summary: z
    .string()
    .trim()
    .max(TEXT_LIMITS.short * 2)
    .optional(),
  details: z.string().trim().max(TEXT_LIMITS.long).optional(),
  restricted: z.boolean().optional(),
  concernLevel: zCausingConcernLevel.optional().describe('causing-concern-level only'),
  note: z.string().trim().max(TEXT_LIMITS.short).optional().describe('why it changed, kept with the version'),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zRestrictionLift = zInput({
  id: zId,
  version: zVersion,
  liftedOn: zDate.optional().describe('defaults to today'),
  reason: z.string().trim().min(3).max(TEXT_LIMITS.short),
  idempotencyKey: zIdempotencyKey.optional(),
});

/** The issuer records whether the provider complied within a letter of concern's compliance period. */
export const zRestrictionComply = zInput({
  id: zId,
  version: zVersion,
  complied: z.boolean().describe('false: the provider did not comply'),
  recordedOn: zDate.optional().describe('defaults to today'),
  note: z.string().trim().max(TEXT_LIMITS.short).optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});

/** The issuer records a review of a restriction, and when it is next reviewed (null: no further review). */
export const zRestrictionReview = zInput({
  id: zId,
  version: zVersion,
  reviewedOn: zDate.optional().describe('defaults to today'),
  nextReviewOn: zDate.nullable().describe('the next review date; null for none'),
  note: z.string().trim().max(TEXT_LIMITS.short).optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zRestrictionGet = zInput({ id: zId });

export const zRestrictionList = zInput({
  provisionId: zId.optional().describe("includes restrictions on the provision's provider"),
  providerId: zId.optional(),
  issuerAuthorityId: zAuthorityId.optional(),
  kind: zRestrictionKind.optional(),
  active: z.boolean().optional().describe('true: only active; false: only lifted or expired'),
  cursor: z.string().max(500).optional().describe('opaque cursor from the previous page'),
  limit: z.number().int().min(1).max(500).default(200),
}).default({ limit: 200 });

export const RESTRICTION_STATUSES = ['active', 'pending', 'expired', 'lifted'] as const;
export const zRestrictionStatus = z.enum(RESTRICTION_STATUSES);

/** An authority that relayed a regulator notice (one record per notice, every relayer listed). */
export const zRestrictionRelayer = z.object({
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  at: zTimestamp,
});

const summaryFields = {
  id: zId,
  provisionId: zId.nullable(),
  provision: zProvisionRef.nullable().optional(),
  providerId: zId.nullable(),
  provider: zProviderRef.nullable().optional(),
  kind: zRestrictionKind,
  status: zRestrictionStatus,
  issuerAuthorityId: zAuthorityId,
  issuerAuthority: zAuthorityRef.optional(),
  source: zRestrictionSource,
  partnershipWide: z.boolean(),
  effectiveFrom: zDate,
  reviewOn: zDate.nullable(),
  expiresOn: zDate.nullable(),
  liftedOn: zDate.nullable(),
  /** A causing-concern-level restriction: the Knowsley protocol level (1 or 2); null for other kinds. */
  concernLevel: zCausingConcernLevel.nullable(),
  /**
   * A regulator notice: every authority that relayed it, first the one that made the record (public
   * regulator information). Empty for a member's own restriction; absent where a placement check embeds it.
   */
  relayers: z.array(zRestrictionRelayer).optional(),
  /** The answer to a create only: true when the notice joined the existing record of its reference. */
  joined: z.boolean().optional(),
};

export const zRestrictionSummary = z.object({ layer: z.literal('summary'), ...summaryFields });
export const zRestrictionDetail = z.object({
  layer: z.literal('detail'),
  ...summaryFields,
  version: zVersion,
  restricted: z.boolean(),
  regulatorReference: z.string().nullable(),
  complianceDueOn: zDate.nullable(),
  reasons: z.array(zRestrictionReason),
  contractScope: zContractScope,
  contractReference: z.string().nullable(),
  summary: z.string(),
  details: z.string(),
  liftedReason: z.string().nullable(),
  /** Who lifted it: its issuer or, for a regulator notice, any authority that relayed it. */
  liftedByAuthorityId: zAuthorityId.nullable(),
  liftedByAuthority: zAuthorityRef.nullable().optional(),
  /** A letter of concern: when its issuer recorded the provider's compliance, and whether it complied. */
  complianceRecordedOn: zDate.nullable(),
  complied: z.boolean().nullable(),
  complianceNote: z.string().nullable(),
  /** When its issuer last recorded a review. */
  reviewedOn: zDate.nullable(),
  createdAt: zTimestamp,
  updatedAt: zTimestamp,
  history: z.array(
    z.object({
      version: zVersion,
      at: zTimestamp,
      byAuthorityId: zAuthorityId,
      byAuthority: zAuthorityRef.optional(),
      change: z.string(),
      note: z.string().nullable(),
    }),
  ),
});
export const zRestrictionSignal = z.object({
  layer: z.literal('signal'),
  provisionId: zId.nullable(),
  /** The setting's (or provider's) name: directory facts, nothing of the record. */
  provision: zProvisionRef.nullable().optional(),
  providerId: zId.nullable(),
  provider: zProviderRef.nullable().optional(),
  contact: z.string(),
  message: z.string(),
  /** The hidden records this signal stands for (one per record, opaque: signals.ts). */
  signalIds: zSignalIds,
});
export const zRestrictionView = z.discriminatedUnion('layer', [
  zRestrictionDetail,
  zRestrictionSummary,
  zRestrictionSignal,
]);
export type RestrictionView = z.infer<typeof zRestrictionView>;
export type RestrictionDetail = z.infer<typeof zRestrictionDetail>;
