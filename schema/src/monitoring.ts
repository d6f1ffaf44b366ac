// The monitoring schedule: how often each type of setting is monitored, and which are due or overdue.
import { z } from 'zod';
import { zAuthorityId } from './authorities.js';
import { zAuthorityRef } from './refs.js';
import { zDate, zId, zInput } from './common.js';
import { zProvisionType } from './enums.js';

/** Default months between monitoring activities: annual, unregulated settings every 3 months. */
export const DEFAULT_MONITORING_MONTHS = 12;
export const DEFAULT_MONITORING_MONTHS_BY_TYPE = { unregulated: 3 } as const;
/** Monitoring within this many days counts as "due soon". */
export const DUE_SOON_DAYS = 30;

export const MONITORING_STATUSES = ['ok', 'due-soon', 'overdue', 'never-monitored'] as const;
export const zMonitoringStatus = z.enum(MONITORING_STATUSES);

export const zMonitoringState = z.object({
  status: zMonitoringStatus,
  lastMonitoredOn: zDate.nullable(),
  nextDueOn: zDate.nullable(),
  /** Days past the due date (0 unless overdue). */
  daysOverdue: z.number().int(),
});
export type MonitoringState = z.infer<typeof zMonitoringState>;

export const zFrequency = z.object({ type: zProvisionType, months: z.number().int().min(1).max(60) });
export const zFrequencySet = zInput(zFrequency.shape);

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
