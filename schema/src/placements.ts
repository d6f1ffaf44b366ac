// Placement declarations: counts of children an authority has placed at a provision. Never a child's identity.
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { zDate, zId, zIdempotencyKey, zInput, zTimestamp, zVersion } from './common.js';

export const PLACEMENT_IMPORT_MAX_ROWS = 20_000;

export const zChildren = z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500');

export const zPlacement = z.object({
  id: zId,
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  children: z.number().int(),
  fromDate: zDate,
  endedOn: zDate.nullable(),
  open: z.boolean(),
  version: zVersion,
  createdAt: zTimestamp,
  updatedAt: zTimestamp,
});
export type Placement = z.infer<typeof zPlacement>;

export const zPlacementDeclare = zInput({
  provisionId: zId,
  children: zChildren,
  fromDate: zDate.optional().describe('defaults to today'),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zPlacementEnd = zInput({
  id: zId,
  version: zVersion,
  endedOn: zDate.optional().describe('defaults to today'),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zPlacementMine = zInput({ includeEnded: z.boolean().default(false) }).default({
  includeEnded: false,
});

/** One row of the yearly data input. Rows name a provision by id or by Ofsted URN. */
export const zPlacementImportRow = zInput({
  provisionId: z.unknown().optional(),
  urn: z.unknown().optional(),
  children: z.unknown(),
  fromDate: z.unknown().optional(),
});

export const zPlacementImport = zInput({
  rows: z
    .array(zPlacementImportRow)
    .min(1)
    .max(PLACEMENT_IMPORT_MAX_ROWS, `at most ${PLACEMENT_IMPORT_MAX_ROWS} rows per import`),
  dryRun: z.boolean().default(false),
  /** Declarations open before the import but absent from it are ended on this date (default today). */
  endMissing: z.boolean().default(true),
  asOf: zDate.optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zPlacementImportRowError = z.object({
  row: z.number().int().describe('1-based row number in the file'),
  field: z.string(),
  message: z.string(),
});

export const zPlacementImportReport = z.object({
  dryRun: z.boolean(),
  applied: z.boolean(),
  rows: z.number().int(),
  errors: z.array(zPlacementImportRowError),
  opened: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  ended: z.number().int(),
});
export type PlacementImportReport = z.infer<typeof zPlacementImportReport>;

export const zPlacementsAtProvisionInput = zInput({ provisionId: zId });

/** One authority placing children at a setting, as its lead or host authority sees it. */
export const zPlacingAuthority = z.object({
  authorityId: zAuthorityId,
  name: z.string(),
  children: z.number().int().describe('the sum of its open placement declarations there'),
  since: zDate.describe('the start of its earliest open declaration there'),
  qaInbox: z.string().describe("the authority's quality-assurance contact"),
});
export type PlacingAuthority = z.infer<typeof zPlacingAuthority>;

/** Who places at a setting: for its lead and host authorities only. */
export const zPlacingAuthorities = z.object({
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  basis: z.enum(['lead', 'host']).describe('why the caller may see them'),
  children: z.number().int().describe('children placed there by every authority together'),
  authorities: z.array(zPlacingAuthority),
});
export type PlacingAuthorities = z.infer<typeof zPlacingAuthorities>;
