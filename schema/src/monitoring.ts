// The monitoring schedule: how often each type of setting is monitored, and which are due or overdue.
import { z } from 'zod';
import { zAuthorityId } from './authorities.js';
import { zAuthorityRef } from './refs.js';
import { zDate, zId, zInput } from './common.js';
import { zProvisionType } from './enums.js';
import { ACTIVITY_TYPES, type ActivityType } from './outcomes.js';

/** Default months between monitoring activities: annual, unregulated settings every 3 months. */
export const DEFAULT_MONITORING_MONTHS = 12;
export const DEFAULT_MONITORING_MONTHS_BY_TYPE = { unregulated: 3 } as const;
/** Monitoring within this many days counts as "due soon". */
export const DUE_SOON_DAYS = 30;

/**
 * The activities that count as quality monitoring and so reset a setting's schedule — when its lead
 * authority publishes them (North Tyneside: "completion of quality monitoring would be the
 * responsibility of the allocated LA"). Visits and reviews count (Bolton's QMC-1 quality and contract
 * monitoring visit, QMC-2 quality and safety visit, QMC-8/9 evaluation and validation visits, QMC-3/4
 * self-evaluations assessed at the desk; Medway's compliance reviews). A contract meeting does not:
 * Bolton's QMC-1 is a contract meeting *with* a quality and safety check of the service on the day, and
 * a meeting without that check is contract management, not quality monitoring.
 */
export const MONITORING_ACTIVITY_TYPES: readonly ActivityType[] = ACTIVITY_TYPES.filter(
  (t) => t !== 'contract-meeting',
);

/** What shortens the interval between monitoring activities (Bolton: risk-based frequency). */
export const RISK_TRIGGERS = ['grade-inadequate', 'grade-requires-improvement', 'manager-changed'] as const;
export const zRiskTrigger = z.enum(RISK_TRIGGERS);
export type RiskTrigger = z.infer<typeof zRiskTrigger>;

/**
 * Default months between monitoring activities while a trigger holds, capped at the type's own
 * interval. Bolton gives Ofsted-registered services graded requires improvement or inadequate
 * "additional visits" and increases visits on "a change in Registered Manager", without a number: the
 * figures are the hub's — twice a year (Bolton's minimum of two on-site visits a year for a children's
 * home) for requires improvement and a new manager, every 3 months (Medway's most frequent standard
 * visit, for unregulated placements) for inadequate.
 */
export const DEFAULT_RISK_MONTHS: Record<RiskTrigger, number> = {
  'grade-inadequate': 3,
  'grade-requires-improvement': 6,
  'manager-changed': 6,
};
/** A change of registered manager shortens the interval for this many months after it. */
export const MANAGER_CHANGE_MONTHS = 12;

export const MONITORING_STATUSES = ['ok', 'due-soon', 'overdue', 'never-monitored'] as const;
export const zMonitoringStatus = z.enum(MONITORING_STATUSES);

/** The interval that applies to a setting, and why: its type's, or a shorter one a risk trigger gives. */
export const zMonitoringInterval = z.object({
  months: z.number().int(),
  /** The risk trigger that shortened it, or null for the type's own interval. */
  trigger: zRiskTrigger.nullable(),
  /** In words: "every 3 months: Ofsted grade inadequate". */
  reason: z.string(),
});
export type MonitoringInterval = z.infer<typeof zMonitoringInterval>;

export const zMonitoringState = z.object({
  status: zMonitoringStatus,
  /** The date of the latest activity that counts as monitoring (by the lead, of a monitoring type). */
  lastMonitoredOn: zDate.nullable(),
  nextDueOn: zDate.nullable(),
  /** Days past the due date (0 unless overdue). */
  daysOverdue: z.number().int(),
  interval: zMonitoringInterval,
});
export type MonitoringState = z.infer<typeof zMonitoringState>;

const zMonths = z.number().int().min(1).max(60);
export const zFrequency = z.object({
  type: zProvisionType,
  months: zMonths,
  /** The shorter interval while each risk trigger holds (never longer than `months` in effect). */
  risk: z.object({
    'grade-inadequate': zMonths,
    'grade-requires-improvement': zMonths,
    'manager-changed': zMonths,
  }),
});
export const zFrequencySet = zInput({
  type: zProvisionType,
  months: zMonths
    .optional()
    .describe('months between monitoring activities of the type; unchanged if absent'),
  risk: z
    .object({
      'grade-inadequate': zMonths.optional(),
      'grade-requires-improvement': zMonths.optional(),
      'manager-changed': zMonths.optional(),
    })
    .strict()
    .optional()
    .describe('months between activities while a risk trigger holds; each unchanged if absent'),
});
export type FrequencySet = z.infer<typeof zFrequencySet>;

export const zOverdueReport = z.array(
  z.object({
    authorityId: zAuthorityId,
    overdue: z.number().int(),
    neverMonitored: z.number().int(),
    provisions: z.array(z.object({ provisionId: zId, name: z.string(), monitoring: zMonitoringState })),
  }),
);

/**
 * The hub-admin's monitoring report: per member authority that leads settings today, how many it leads,
 * how many of its own visits to them were made in time (on or before the date the visit before set, or
 * the date the type's frequency gives) or out of time, and how many of the settings are overdue now or
 * have never been monitored.
 */
export const zMonitoringReportRow = z.object({
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  /** Settings the authority is the current lead for. */
  settingsAllocated: z.number().int(),
  /** Its published visits to those settings made on or before the date they were due. */
  visitsInTime: z.number().int(),
  /** Its published visits to those settings made after the date they were due. */
  visitsOutOfTime: z.number().int(),
  /** Of those settings, the ones whose next visit is past due today. */
  overdueNow: z.number().int(),
  /** Of those settings, the ones no member has ever published a visit to. */
  neverMonitored: z.number().int(),
});
export const zMonitoringReport = z.object({
  /** The day the report was counted on (London time). */
  asOf: zDate,
  rows: z.array(zMonitoringReportRow),
});
export type MonitoringReport = z.infer<typeof zMonitoringReport>;
