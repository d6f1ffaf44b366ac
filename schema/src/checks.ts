// The placement check: one answer, before a child moves in, on whether a setting is clear to use.
import { z } from 'zod';
import { zAuthorityId } from './authorities.js';
import { zDate, zId, zInput } from './common.js';
import { zOfstedUrn } from './directory.js';
import { zOfstedGrade, zProvisionType, zRegistrationStatus } from './enums.js';
import { zRiskRag } from './concerns.js';
import { zMonitoringState } from './monitoring.js';
import { zOutcomeView } from './outcomes.js';
import { zRestrictionView } from './restrictions.js';
import { zSignalIds } from './signals.js';

export const VERDICTS = ['clear', 'caution', 'do-not-place'] as const;
export const zVerdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof zVerdict>;

/** Every reason a check can give, with the verdict it leads to. */
export const CHECK_REASONS = {
  'own-embargo': 'do-not-place',
  'own-framework-suspension': 'do-not-place',
  'ofsted-restriction': 'do-not-place',
  'ofsted-suspension': 'do-not-place',
  'registration-cancelled': 'do-not-place',
  'ceased-operating': 'do-not-place',
  'partnership-embargo': 'do-not-place',
  'registration-not-active': 'do-not-place',
  'own-significant-concern': 'do-not-place',
  'restriction-by-member': 'caution',
  'restricted-information': 'caution',
  'ofsted-requires-improvement': 'caution',
  'ofsted-inadequate': 'caution',
  'latest-rating-of-concern': 'caution',
  'risk-medium': 'caution',
  'risk-high': 'caution',
  'significant-concern': 'caution',
  'provider-risk-medium': 'caution',
  'provider-risk-high': 'caution',
  'monitoring-overdue': 'caution',
  'never-monitored': 'caution',
  'no-lead-authority': 'caution',
  'action-overdue': 'caution',
  'compliance-overdue': 'caution',
  'compliance-not-met': 'caution',
  'review-overdue': 'caution',
} as const satisfies Record<string, Verdict>;
export type CheckReasonCode = keyof typeof CHECK_REASONS;
export const zCheckReasonCode = z.enum(Object.keys(CHECK_REASONS) as [CheckReasonCode, ...CheckReasonCode[]]);

export const zCheckReason = z.object({
  code: zCheckReasonCode,
  verdict: zVerdict,
  message: z.string(),
  recordId: zId.nullable().describe('the record behind it, where the caller may see it'),
  contact: z.string().nullable(),
  /**
   * A restricted-information reason (one per authority holding restricted information here): the
   * signals it stands for, so a consumer can match it to the event feed's signal.raised and signal.ended.
   */
  signalIds: zSignalIds.optional(),
});

export const zCheckTarget = z.union([zInput({ provisionId: zId }), zInput({ urn: zOfstedUrn })]);
/** A target as a result names it (outputs stay open: the output contract strips, it does not refuse). */
const zCheckTargetNamed = z.union([z.object({ provisionId: zId }), z.object({ urn: zOfstedUrn })]);
export const PLACEMENT_MANY_MAX = 500;
export const zCheckMany = zInput({
  items: z
    .array(zCheckTarget)
    .min(1)
    .max(PLACEMENT_MANY_MAX, `at most ${PLACEMENT_MANY_MAX} provisions per call`),
});

export const zPlacementCheck = z.object({
  provisionId: zId,
  /** Asked by the id of a setting since merged into this one: that id (the check is the survivor's). */
  mergedFrom: zId.optional(),
  verdict: zVerdict,
  reasons: z.array(zCheckReason),
  provision: z.object({
    name: z.string(),
    urn: z.string().nullable(),
    type: zProvisionType,
    registrationStatus: zRegistrationStatus,
    ofstedGrade: zOfstedGrade,
    ofstedGradeDate: zDate.nullable(),
    hostAuthorityId: zAuthorityId,
    postcode: z.string().nullable(),
  }),
  provider: z.object({ id: zId, name: z.string(), companyNumber: z.string().nullable() }),
  lead: z
    .object({ authorityId: zAuthorityId, name: z.string(), qaInbox: z.string(), since: zDate })
    .nullable(),
  latestOutcome: zOutcomeView.nullable(),
  restrictions: z.array(zRestrictionView),
  riskRag: zRiskRag,
  concernsLast12Months: z.number().int(),
  /** The rating of the whole provider: its counting concerns over all its settings. */
  providerRiskRag: zRiskRag,
  providerConcernsLast12Months: z.number().int(),
  monitoring: zMonitoringState,
  checkedAt: z.string(),
});
export type PlacementCheck = z.infer<typeof zPlacementCheck>;

export const zCheckManyResult = z.object({
  results: z.array(
    z.union([
      zPlacementCheck.extend({ ok: z.literal(true) }),
      z.object({ ok: z.literal(false), target: zCheckTargetNamed, error: z.string() }),
    ]),
  ),
  summary: z.object({
    clear: z.number().int(),
    caution: z.number().int(),
    doNotPlace: z.number().int(),
    notFound: z.number().int(),
  }),
});
