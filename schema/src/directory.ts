// Providers (organisations) and provisions (settings) — the directory the host authority keeps.
import { z } from 'zod';
import { zAuthorityRef, zProviderRef, zProvisionRef } from './refs.js';
import {
  zDate,
  zId,
  zIdempotencyKey,
  zInput,
  zName,
  zPageInput,
  zRecordMeta,
  zShortText,
  zTimestamp,
  zVersion,
  zPage,
  TEXT_LIMITS,
} from './common.js';
import { zAuthorityId } from './authorities.js';
import { zOfstedGrade, zProvisionType, zRegistrationStatus } from './enums.js';

/** Companies House company number: 8 characters, digits or a two-letter prefix such as SC. */
export const zCompanyNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(?:\d{8}|[A-Z]{2}\d{6})$/, 'must be a Companies House number such as 01234567 or SC123456');

/** Ofsted unique reference number: SC followed by six digits for social care settings, or six/seven digits. */
export const zOfstedUrn = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(?:SC\d{6}|\d{6,7})$/, 'must be an Ofsted URN such as SC123456 or 1234567');

/** `merged`: the entry was merged into another (its survivor, `mergedIntoId`); everything of it moved there. */
export const DIRECTORY_STATUSES = ['active', 'merged'] as const;
export const zDirectoryStatus = z.enum(DIRECTORY_STATUSES);

export const zProvider = z.object({
  id: zId,
  name: zName,
  companyNumber: zCompanyNumber.nullable(),
  status: zDirectoryStatus,
  /** For a merged provider: the provider everything of it moved to. Read that one instead. */
  mergedIntoId: zId.nullable(),
  ...zRecordMeta,
});
export type Provider = z.infer<typeof zProvider>;

export const zProviderCreate = zInput({
  name: zName,
  companyNumber: zCompanyNumber.optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zProviderUpdate = zInput({
  id: zId,
  version: zVersion,
  name: zName.optional(),
  companyNumber: zCompanyNumber.nullable().optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zProviderSearch = zPageInput.extend({
  q: zShortText.optional().describe('name fragment, case-insensitive'),
  companyNumber: zCompanyNumber.optional(),
});
export const zProviderPage = zPage(zProvider);

export const zProvision = z.object({
  id: zId,
  providerId: zId,
  /** The provider's name beside its id, as every answer names what its ids point at. */
  provider: zProviderRef.optional(),
  name: zName,
  urn: zOfstedUrn.nullable(),
  type: zProvisionType,
  hostAuthorityId: zAuthorityId,
  hostAuthority: zAuthorityRef.optional(),
  registrationStatus: zRegistrationStatus,
  ofstedGrade: zOfstedGrade,
  ofstedGradeDate: zDate.nullable(),
  /** When the registered manager last changed: monitoring is more frequent for 12 months after. */
  registeredManagerChangedOn: zDate.nullable(),
  postcode: z.string().nullable(),
  status: zDirectoryStatus,
  /** For a merged setting: the setting everything of it moved to. Read that one instead. */
  mergedIntoId: zId.nullable(),
  ...zRecordMeta,
});
export type Provision = z.infer<typeof zProvision>;

const zPostcode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, 'must be a UK postcode such as ME4 4TR');

export const zProvisionCreate = zInput({
  providerId: zId,
  name: zName,
  urn: zOfstedUrn.optional(),
  type: zProvisionType,
  hostAuthorityId: zAuthorityId,
  registrationStatus: zRegistrationStatus.default('registered'),
  ofstedGrade: zOfstedGrade.default('not-yet-inspected'),
  ofstedGradeDate: zDate.optional(),
  postcode: zPostcode.optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export type ProvisionCreate = z.input<typeof zProvisionCreate>;

export const zProvisionUpdate = zInput({
  id: zId,
  version: zVersion,
  providerId: zId.optional(),
  name: zName.optional(),
  urn: zOfstedUrn.nullable().optional(),
  type: zProvisionType.optional(),
  hostAuthorityId: zAuthorityId.optional(),
  registrationStatus: zRegistrationStatus.optional(),
  ofstedGrade: zOfstedGrade.optional(),
  ofstedGradeDate: zDate.nullable().optional(),
  registeredManagerChangedOn: zDate.nullable().optional(),
  postcode: zPostcode.nullable().optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export type ProvisionUpdate = z.infer<typeof zProvisionUpdate>;

export const zProvisionSearch = zPageInput.extend({
  q: zShortText.optional().describe('name fragment, case-insensitive'),
  urn: zOfstedUrn.optional(),
  type: zProvisionType.optional(),
  hostAuthorityId: zAuthorityId.optional(),
  providerId: zId.optional(),
});
export type ProvisionSearch = z.input<typeof zProvisionSearch>;
export const zProvisionPage = zPage(zProvision);

export const zGetById = zInput({ id: zId });

// Regulator facts, corrections and merges.

/**
 * The facts the regulator (Ofsted) decides: they change only through the host authority, the hub-admin
 * or the Ofsted import. Any other member proposes a correction instead.
 */
export const PROVISION_REGULATOR_FIELDS = [
  'urn',
  'type',
  'registrationStatus',
  'ofstedGrade',
  'ofstedGradeDate',
] as const;
export type ProvisionRegulatorField = (typeof PROVISION_REGULATOR_FIELDS)[number];

const atLeastOneChange = (changes: Record<string, unknown>) =>
  Object.values(changes).some((v) => v !== undefined);

/** What a correction of a setting may propose: its regulator facts, its name and its postcode. */
export const zProvisionChanges = zInput({
  name: zName.optional(),
  urn: zOfstedUrn.nullable().optional(),
  type: zProvisionType.optional(),
  registrationStatus: zRegistrationStatus.optional(),
  ofstedGrade: zOfstedGrade.optional(),
  ofstedGradeDate: zDate.nullable().optional(),
  postcode: zPostcode.nullable().optional(),
}).refine(atLeastOneChange, { message: 'propose at least one change' });
export type ProvisionChanges = z.infer<typeof zProvisionChanges>;

/** What a correction of a provider may propose. */
export const zProviderChanges = zInput({
  name: zName.optional(),
  companyNumber: zCompanyNumber.nullable().optional(),
}).refine(atLeastOneChange, { message: 'propose at least one change' });
export type ProviderChanges = z.infer<typeof zProviderChanges>;

const zEvidence = z
  .string()
  .trim()
  .min(1, 'say why, and on what evidence (an inspection report, a notice, a letter)')
  .max(TEXT_LIMITS.short);

export const zProvisionCorrectionPropose = zInput({
  provisionId: zId,
  changes: zProvisionChanges,
  reason: zEvidence,
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zProviderCorrectionPropose = zInput({
  providerId: zId,
  changes: zProviderChanges,
  reason: zEvidence,
  idempotencyKey: zIdempotencyKey.optional(),
});

export const CORRECTION_STATUSES = ['proposed', 'accepted', 'declined'] as const;
export const zCorrectionStatus = z.enum(CORRECTION_STATUSES);

export const zCorrection = z.object({
  id: zId,
  /** Exactly one of the two: the setting or the provider the correction is about. */
  provisionId: zId.nullable(),
  provision: zProvisionRef.nullable().optional(),
  providerId: zId.nullable(),
  provider: zProviderRef.nullable().optional(),
  changes: z.record(z.string(), z.unknown()),
  /** The entry's values of the proposed fields when the correction was proposed. */
  was: z.record(z.string(), z.unknown()),
  reason: z.string(),
  proposerAuthorityId: zAuthorityId,
  proposerAuthority: zAuthorityRef.optional(),
  /** The person or API client that proposed it. */
  proposedBy: z.string(),
  status: zCorrectionStatus,
  decidedByAuthorityId: zAuthorityId.nullable(),
  decidedByAuthority: zAuthorityRef.nullable().optional(),
  decidedBy: z.string().nullable(),
  decidedAt: zTimestamp.nullable(),
  decisionNote: z.string().nullable(),
  ...zRecordMeta,
});
export type Correction = z.infer<typeof zCorrection>;

export const zCorrectionList = zPageInput.extend({
  /** `awaiting-my-decision`: proposed corrections of entries you decide (host, or any for the hub-admin); `proposed-by-me`: your authority's. */
  view: z.enum(['awaiting-my-decision', 'proposed-by-me']),
  status: zCorrectionStatus.optional(),
});
export const zCorrectionPage = zPage(zCorrection);

export const zCorrectionDecide = zInput({
  id: zId,
  version: zVersion,
  note: zShortText.optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zCorrectionDecline = zInput({
  id: zId,
  version: zVersion,
  note: zEvidence.describe('why the correction is declined; the proposer reads it'),
  idempotencyKey: zIdempotencyKey.optional(),
});

/** Merge `mergedId` into `survivorId`: everything of the merged entry moves to the survivor. */
export const zMerge = zInput({
  survivorId: zId,
  mergedId: zId,
  /** true: answer what would move, and change nothing. */
  dryRun: z.boolean().default(false),
  idempotencyKey: zIdempotencyKey.optional(),
});
export const zMergeReport = z.object({
  survivorId: zId,
  mergedId: zId,
  dryRun: z.boolean(),
  /** Rows moved (or that would move) to the survivor, by kind. */
  moved: z.record(z.string(), z.number().int()),
  /** What the merge decided along the way (a URN kept, placements folded together). */
  notes: z.array(z.string()),
});
export type MergeReport = z.infer<typeof zMergeReport>;
