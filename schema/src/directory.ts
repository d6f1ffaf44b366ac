// Providers (organisations) and provisions (settings) — the directory the host authority keeps.
import { z } from 'zod';
import { zAuthorityRef, zProviderRef } from './refs.js';
import {
  zDate,
  zId,
  zIdempotencyKey,
  zInput,
  zName,
  zPageInput,
  zRecordMeta,
  zShortText,
  zVersion,
  zPage,
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

export const zProvider = z.object({
  id: zId,
  name: zName,
  companyNumber: zCompanyNumber.nullable(),
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
  postcode: z.string().nullable(),
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
