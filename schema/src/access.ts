// Need-to-know: the bases an authority can hold for a provision or record, the layers a record can
// be seen at, and the contracts of explain, shares and pre-placement grants.
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { zDate, zId, zIdempotencyKey, zInput, zShortText, zTimestamp } from './common.js';

export const BASES = ['publisher', 'lead', 'host', 'placing', 'prospective', 'granted', 'member'] as const;
export const zBasis = z.enum(BASES);
export type Basis = z.infer<typeof zBasis>;

/**
 * How much of a record a caller sees: `detail` (everything), `summary` (brief details every member
 * sees), `signal` (only that restricted information exists, and whom to contact), `none` (not at all).
 */
export const LAYERS = ['detail', 'summary', 'signal', 'none'] as const;
export const zLayer = z.enum(LAYERS);
export type Layer = z.infer<typeof zLayer>;

/** The named rules of the access policy; explain and the audit log quote them. */
export const ACCESS_RULES = [
  'not-a-member',
  'draft-publisher-only',
  'publisher-detail',
  'granted-detail',
  'restricted-signal',
  'restricted-ended',
  'need-to-know-detail',
  'member-summary',
  'need-to-know-only',
] as const;
export const zAccessRule = z.enum(ACCESS_RULES);
export type AccessRule = z.infer<typeof zAccessRule>;

export const RECORD_TYPES = ['outcome', 'restriction', 'concern'] as const;
export const zRecordType = z.enum(RECORD_TYPES);
export type RecordType = z.infer<typeof zRecordType>;

export const zBasisFound = z.object({
  basis: zBasis,
  /** What established it, e.g. "current quality allocation since 2026-04-01". */
  because: z.string(),
  until: zDate.nullable().optional(),
});
export type BasisFound = z.infer<typeof zBasisFound>;

export const zExplainInput = z.union([
  zInput({ provisionId: zId }),
  zInput({ recordType: zRecordType, recordId: zId }),
]);
export type ExplainInput = z.infer<typeof zExplainInput>;

export const zExplanation = z.object({
  authorityId: zAuthorityId,
  /** The provision asked about, or the record's provision; null for a record about a whole provider. */
  provisionId: zId.nullable(),
  providerId: zId.nullable(),
  record: z.object({ type: zRecordType, id: zId, restricted: z.boolean() }).nullable(),
  bases: z.array(zBasisFound),
  layer: zLayer,
  rule: zAccessRule,
  /** The rule in words. */
  reason: z.string(),
  /** For a layer below detail: what would grant more. Empty when detail is granted. */
  wouldGrant: z.array(z.string()),
});
export type Explanation = z.infer<typeof zExplanation>;

export const GRANT_KINDS = ['share', 'prospective'] as const;
export const zGrantKind = z.enum(GRANT_KINDS);

export const zGrant = z.object({
  id: zId,
  kind: zGrantKind,
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  provisionId: zId.nullable(),
  provision: zProvisionRef.nullable().optional(),
  recordType: zRecordType.nullable(),
  recordId: zId.nullable(),
  grantedByAuthorityId: zAuthorityId,
  grantedByAuthority: zAuthorityRef.optional(),
  reason: z.string().nullable(),
  caseReference: z.string().nullable(),
  createdAt: zTimestamp,
  expiresAt: zTimestamp.nullable(),
  revokedAt: zTimestamp.nullable(),
  active: z.boolean(),
});
export type Grant = z.infer<typeof zGrant>;

export const zShareInput = zInput({
  recordType: zRecordType,
  recordId: zId,
  authorityId: zAuthorityId,
  until: zDate.optional().describe('last day of access; open-ended when omitted'),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zRevokeGrantInput = zInput({ grantId: zId });

/** Case references identify a case in the placing authority's own system, never a child by name. */
export const zCaseReference = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9/_.:-]*$/,
    'must be a case reference such as CR-2026-0412 (letters, digits and / _ . : -), not a name',
  );

export const zRequestProspectiveInput = zInput({
  provisionId: zId,
  reason: zShortText.min(10, 'give a reason of at least 10 characters'),
  caseReference: zCaseReference,
  days: z.number().int().min(1).max(14).default(7),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zListGrantsInput = zInput({
  provisionId: zId.optional(),
  kind: zGrantKind.optional(),
  activeOnly: z.boolean().default(true),
}).default({ activeOnly: true });
