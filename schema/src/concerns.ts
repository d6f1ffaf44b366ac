// Concerns: logged quality or safeguarding concerns ("QA cases") about a provision, feeding its risk RAG.
import { z } from 'zod';
import { zAuthorityRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { TEXT_LIMITS, zDate, zId, zIdempotencyKey, zInput, zTimestamp } from './common.js';
import { zReasonCategory } from './restrictions.js';

export const CONCERN_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const zConcernSeverity = z.enum(CONCERN_SEVERITIES);

/** Risk RAG from the number of concerns in the last 12 months (Medway, figure 6): 0 none, 1–4 low, 5–10 medium, over 10 high. */
export const RISK_RAGS = ['none', 'low', 'medium', 'high'] as const;
export const zRiskRag = z.enum(RISK_RAGS);
export type RiskRag = z.infer<typeof zRiskRag>;
export const riskRagOf = (concerns: number): RiskRag =>
  concerns === 0 ? 'none' : concerns <= 4 ? 'low' : concerns <= 10 ? 'medium' : 'high';

export const zConcernLog = zInput({
  provisionId: zId,
  category: zReasonCategory,
  severity: zConcernSeverity,
  occurredOn: zDate,
  summary: z
    .string()
    .trim()
    .min(1)
    .max(TEXT_LIMITS.short * 4),
  restricted: z.boolean().default(false),
  idempotencyKey: zIdempotencyKey.optional(),
});

export const zConcern = z.object({
  layer: z.literal('detail'),
  id: zId,
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  loggedByAuthorityId: zAuthorityId,
  loggedByAuthority: zAuthorityRef.optional(),
  category: zReasonCategory,
  severity: zConcernSeverity,
  occurredOn: zDate,
  summary: z.string(),
  restricted: z.boolean(),
  createdAt: zTimestamp,
});
export const zConcernSignal = z.object({
  layer: z.literal('signal'),
  provisionId: zId,
  provision: zProvisionRef.nullable().optional(),
  contact: z.string(),
  message: z.string(),
});
export const zConcernView = z.discriminatedUnion('layer', [zConcern, zConcernSignal]);
export type ConcernView = z.infer<typeof zConcernView>;

export const zConcernList = zInput({
  provisionId: zId,
  sinceMonths: z.number().int().min(1).max(120).default(12),
});

export const zConcernListResult = z.object({
  provisionId: zId,
  /** Every concern in the window counts, including those the caller may not read. */
  concernsLast12Months: z.number().int(),
  riskRag: zRiskRag,
  items: z.array(zConcernView),
  /** Concerns in the window the caller may not read (no need-to-know basis). */
  notVisible: z.number().int(),
});
