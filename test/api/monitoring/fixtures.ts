// Shared fixtures for the monitoring tests: the clock at 2026-06-15, the file's `lead` authority, `setting`
// and `monitored`, and helpers to read a provision's monitoring state and set a frequency.
import { type MonitoringState, type ProvisionType } from '@ccx/schema';
import {
  DAY_MS,
  makeMember,
  publishOutcome,
  test as base,
  type Harness,
  type Member,
} from '../../support/harness.js';

export const NOW = '2026-06-15T10:00:00Z';
export const TODAY = '2026-06-15';

export const admin = (h: Harness) => h.caller(h.hubAdmin);

/** Whole days from one date to another. */
export const daysFrom = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * The file's `lead` authority; `setting`, a provision of a type, led by `by` (the file's lead unless
 * told otherwise, or none); and `monitored`, which publishes an outcome of `activityDate` with its own
 * next due date or none.
 */
export const test = base
  .extend('lead', { scope: 'file' }, ({ h }) => makeMember(h, 'lead'))
  .extend(
    'setting',
    { scope: 'file' },
    ({ h, lead }) =>
      async (
        type: ProvisionType = 'childrens-home',
        opts: { by?: Member | null; name?: string; startsOn?: string } = {},
      ) => {
        const provision = await h.makeProvision({ type, ...(opts.name ? { name: opts.name } : {}) });
        const by = opts.by === undefined ? lead : opts.by;
        if (by)
          await admin(h).allocations.assign({
            provisionId: provision.id,
            authorityId: by.id,
            rationale: 'lead by agreement',
            startsOn: opts.startsOn ?? '2026-01-01',
          });
        return provision;
      },
  )
  .extend(
    'monitored',
    { scope: 'file' },
    ({ h, lead }) =>
      (provisionId: string, activityDate: string, nextDueOn?: string, by: Member = lead) =>
        publishOutcome(h, by.officer, provisionId, { activityDate, nextDueOn, overallRating: 2 }),
  );

/** A monitoring state without its interval (the interval tests read it with monitoringOf). */
export type Due = Omit<MonitoringState, 'interval'>;

/** The monitoring state of a provision as the placement check reports it, interval and all. */
export const monitoringOf = async (h: Harness, provisionId: string): Promise<MonitoringState> =>
  (await admin(h).checks.placement({ provisionId })).monitoring;

/** The monitoring state of a provision as the placement check reports it, without the interval. */
export const stateOf = async (h: Harness, provisionId: string): Promise<Due> => {
  const { interval: _interval, ...due } = await monitoringOf(h, provisionId);
  return due;
};

export const setFrequency = (h: Harness, type: ProvisionType, months: number) =>
  admin(h).monitoring.setFrequency({ type, months });

export const NEVER: Due = {
  status: 'never-monitored',
  lastMonitoredOn: null,
  nextDueOn: null,
  daysOverdue: 0,
};

/** The interval a type gives when no risk trigger holds, as the monitoring state reports it. */
export const typeInterval = (months: number, type: ProvisionType = 'childrens-home') => ({
  months,
  trigger: null,
  reason: `every ${months} ${months === 1 ? 'month' : 'months'}: the interval for its type (${type})`,
});
