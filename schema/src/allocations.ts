// Allocations: which member authority monitors a provision for the partnership (its lead authority).
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { zDate, zId, zIdempotencyKey, zInput, zShortText, zTimestamp } from './common.js';
import { zMonitoringState } from './monitoring.js';

export const ALLOCATION_ROLES = ['quality'] as const;
export const zAllocationRole = z.enum(ALLOCATION_ROLES);

export const zAllocation = z.object({
  id: zId,
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  role: zAllocationRole,
  startsOn: zDate,
  endsOn: zDate.nullable(),
  current: z.boolean(),
  rationale: z.string(),
  createdAt: zTimestamp,
  endedReason: z.string().nullable(),
  /** In allocations.mine: whether monitoring of the provision is due or overdue. */
  monitoring: zMonitoringState.optional(),
});
export type Allocation = z.infer<typeof zAllocation>;

export const zAllocationAssign = zInput({
  provisionId: zId,
  authorityId: zAuthorityId,
  role: zAllocationRole.default('quality'),
  startsOn: zDate.optional().describe('defaults to today'),
  endsOn: zDate.optional(),
  rationale: zShortText.min(3, 'give a rationale'),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zAllocationList = zInput({
  provisionId: zId.optional(),
  authorityId: zAuthorityId.optional(),
  currentOnly: z.boolean().default(true),
  cursor: z.string().max(500).optional().describe('opaque cursor from the previous page'),
  limit: z.number().int().min(1).max(500).default(200),
}).default({ currentOnly: true, limit: 200 });

export const zAutoAllocateInput = zInput({ dryRun: z.boolean().default(true) }).default({ dryRun: true });

export const zAllocationProposal = z.object({
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  provisionName: z.string(),
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  rationale: z.string(),
  placing: z.array(
    z.object({ authorityId: zAuthorityId, authority: zAuthorityRef.optional(), children: z.number().int() }),
  ),
});

export const zAutoAllocateResult = z.object({
  dryRun: z.boolean(),
  proposals: z.array(zAllocationProposal),
  assigned: z.number().int(),
});
export type AutoAllocateResult = z.infer<typeof zAutoAllocateResult>;
