// The monitoring schedule: how often each type of setting is monitored (defaults, or the hub-admin's
// choice, with shorter intervals while a risk trigger holds), when each provision is next due (from its
// last outcome that counts as monitoring: rules.ts), and what is overdue.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  DUE_SOON_DAYS,
  PROVISION_TYPES,
  type FrequencySet,
  type MonitoringInterval,
  type MonitoringState,
  type ProvisionType,
  type RiskTrigger,
} from '@ccx/schema';
import { currentLeadSql } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import {
  allocations,
  monitoringFrequencies,
  monitoringRiskFrequencies,
  outcomes,
  provisions,
} from '../../db/schema/index.js';
import { AppError } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { countsAsMonitoringSql, frequencyOf, monitoringInterval, nextDue, type Frequency } from './rules.js';

export { addMonths, defaultMonths } from './rules.js';

const daysBetween = (from: string, to: string): number =>
  Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);

/** The frequency of every provision type: the hub-admin's choices, defaults where it made none. */
export const frequencies = async (db: Db): Promise<Map<ProvisionType, Frequency>> => {
  const [base, risk] = await Promise.all([
    db.select().from(monitoringFrequencies),
    db.select().from(monitoringRiskFrequencies),
  ]);
  const months = new Map(base.map((r) => [r.provisionType, r.months]));
  const riskOf = new Map<string, Partial<Record<string, number>>>();
  for (const r of risk)
    riskOf.set(r.provisionType, { ...riskOf.get(r.provisionType), [r.trigger]: r.months });
  return new Map(PROVISION_TYPES.map((t) => [t, frequencyOf(t, months.get(t), riskOf.get(t))]));
};

export const listFrequencies = async (db: Db) =>
  [...(await frequencies(db))].map(([type, f]) => ({ type, months: f.months, risk: f.risk }));

/**
 * The hub-admin sets a type's interval, or the shorter intervals while a risk trigger holds, or both.
 * A risk interval longer than the type's would never apply: refused.
 */
export const setFrequency = async (tx: Db, actor: Actor, input: FrequencySet) => {
  const current = (await frequencies(tx)).get(input.type)!;
  const months = input.months ?? current.months;
  const risk = Object.entries(input.risk ?? {}).filter((e): e is [RiskTrigger, number] => e[1] !== undefined);
  if (input.months === undefined && risk.length === 0)
    throw new AppError('VALIDATION', 'set months, or at least one risk interval (risk), or both');
  for (const [trigger, m] of risk)
    if (m > months)
      throw new AppError(
        'VALIDATION',
        `risk.${trigger}: ${m} months is longer than the type's own interval (${months} months); a risk shortens the interval, it never lengthens it`,
      );
  const by = { updatedBy: actedBy(actor), updatedAt: actor.now };
  if (input.months !== undefined)
    await tx
      .insert(monitoringFrequencies)
      .values({ provisionType: input.type, months: input.months, ...by })
      .onConflictDoUpdate({
        target: monitoringFrequencies.provisionType,
        set: { months: input.months, ...by },
      });
  for (const [trigger, m] of risk)
    await tx
      .insert(monitoringRiskFrequencies)
      .values({ provisionType: input.type, trigger, months: m, ...by })
      .onConflictDoUpdate({
        target: [monitoringRiskFrequencies.provisionType, monitoringRiskFrequencies.trigger],
        set: { months: m, ...by },
      });
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'monitoring.frequency',
    recordType: 'frequency',
    recordIds: [input.type],
    basis: actor.role,
    details: input,
  });
  return listFrequencies(tx);
};

export type LastMonitoring = { activityDate: string; nextDueOn: string | null };

/**
 * The latest outcome of each provision that counts as monitoring (rules.ts: a quality-monitoring
 * activity published by the lead), by activity date, in one query (outcomes_monitoring_idx).
 */
export const lastMonitoring = async (
  db: Db,
  provisionIds: string[],
): Promise<Map<string, LastMonitoring>> => {
  const map = new Map<string, LastMonitoring>();
  if (provisionIds.length === 0) return map;
  const rows = await db
    .selectDistinctOn([outcomes.provisionId], {
      provisionId: outcomes.provisionId,
      activityDate: outcomes.activityDate,
      nextDueOn: outcomes.nextDueOn,
    })
    .from(outcomes)
    .where(and(inArray(outcomes.provisionId, provisionIds), countsAsMonitoringSql(outcomes)))
    .orderBy(
      asc(outcomes.provisionId),
      sql`${outcomes.activityDate} desc`,
      sql`${outcomes.publishedAt} desc`,
    );
  for (const r of rows) map.set(r.provisionId, { activityDate: r.activityDate, nextDueOn: r.nextDueOn });
  return map;
};

/**
 * Due, overdue or never monitored: from the latest counting activity and the interval that applies
 * (rules.ts nextDue).
 */
export const monitoringState = (
  last: LastMonitoring | undefined,
  interval: MonitoringInterval,
  today: string,
): MonitoringState => {
  if (!last)
    return { status: 'never-monitored', lastMonitoredOn: null, nextDueOn: null, daysOverdue: 0, interval };
  const nextDueOn = nextDue(last, interval);
  const status =
    nextDueOn < today ? 'overdue' : nextDueOn <= addDays(today, DUE_SOON_DAYS) ? 'due-soon' : 'ok';
  return {
    status,
    lastMonitoredOn: last.activityDate,
    nextDueOn,
    daysOverdue: status === 'overdue' ? daysBetween(nextDueOn, today) : 0,
    interval,
  };
};

/** The monitoring state of some provisions, in four queries whatever their number. */
export const monitoringStates = async (
  db: Db,
  provisionIds: string[],
  now: Date,
): Promise<Map<string, MonitoringState>> => {
  const today = londonDate(now);
  const [freq, last, facts] = await Promise.all([
    frequencies(db),
    lastMonitoring(db, provisionIds),
    provisionIds.length
      ? db
          .select({
            id: provisions.id,
            type: provisions.type,
            ofstedGrade: provisions.ofstedGrade,
            registeredManagerChangedOn: provisions.registeredManagerChangedOn,
          })
          .from(provisions)
          .where(inArray(provisions.id, provisionIds))
      : [],
  ]);
  const map = new Map<string, MonitoringState>();
  for (const p of facts) {
    const f = freq.get(p.type as ProvisionType) ?? frequencyOf(p.type as ProvisionType, null, null);
    map.set(p.id, monitoringState(last.get(p.id), monitoringInterval(p, f, today), today));
  }
  return map;
};

/** The hub-admin's report: per lead authority, its allocated provisions that are overdue or never monitored. */
export const overdueReport = async (db: Db, actor: Actor) => {
  const today = londonDate(actor.now);
  const current = await db
    .select({
      authorityId: allocations.authorityId,
      provisionId: allocations.provisionId,
      name: provisions.name,
    })
    .from(allocations)
    .innerJoin(provisions, eq(provisions.id, allocations.provisionId))
    // The current lead today, as the placement check and allocations.mine count it.
    .where(currentLeadSql(today))
    .orderBy(asc(allocations.authorityId), asc(provisions.name));
  const states = await monitoringStates(
    db,
    current.map((c) => c.provisionId),
    actor.now,
  );
  const byAuthority = new Map<
    string,
    {
      authorityId: string;
      overdue: number;
      neverMonitored: number;
      provisions: { provisionId: string; name: string; monitoring: MonitoringState }[];
    }
  >();
  for (const c of current) {
    const monitoring = states.get(c.provisionId)!;
    if (monitoring.status !== 'overdue' && monitoring.status !== 'never-monitored') continue;
    const entry = byAuthority.get(c.authorityId) ?? {
      authorityId: c.authorityId,
      overdue: 0,
      neverMonitored: 0,
      provisions: [],
    };
    if (monitoring.status === 'overdue') entry.overdue++;
    else entry.neverMonitored++;
    entry.provisions.push({ provisionId: c.provisionId, name: c.name, monitoring });
    byAuthority.set(c.authorityId, entry);
  }
  return [...byAuthority.values()];
};
