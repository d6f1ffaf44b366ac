// The monitoring schedule: how often each type of setting is monitored (defaults, or the hub-admin's
// choice), when each provision is next due (from its last published outcome), and what is overdue.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  DEFAULT_MONITORING_MONTHS,
  DEFAULT_MONITORING_MONTHS_BY_TYPE,
  DUE_SOON_DAYS,
  PROVISION_TYPES,
  type MonitoringState,
  type ProvisionType,
} from '@ccx/schema';
import { currentLeadSql } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { allocations, monitoringFrequencies, outcomes, provisions } from '../../db/schema/index.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addDays, londonDate } from '../../shared/dates.js';

export const addMonths = (date: string, months: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  // Clamp to the month's last day: 31 January + 1 month is 28 (or 29) February.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
};

const daysBetween = (from: string, to: string): number =>
  Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);

/** The months between monitoring activities for a type when the hub-admin has not set them. */
export const defaultMonths = (type: ProvisionType): number =>
  (DEFAULT_MONITORING_MONTHS_BY_TYPE as Partial<Record<ProvisionType, number>>)[type] ??
  DEFAULT_MONITORING_MONTHS;

/** Months between monitoring activities for every provision type. */
export const frequencies = async (db: Db): Promise<Map<ProvisionType, number>> => {
  const map = new Map<ProvisionType, number>(PROVISION_TYPES.map((t) => [t, defaultMonths(t)]));
  for (const row of await db.select().from(monitoringFrequencies))
    map.set(row.provisionType as ProvisionType, row.months);
  return map;
};

export const listFrequencies = async (db: Db): Promise<{ type: ProvisionType; months: number }[]> =>
  [...(await frequencies(db))].map(([type, months]) => ({ type, months }));

export const setFrequency = async (tx: Db, actor: Actor, input: { type: ProvisionType; months: number }) => {
  await tx
    .insert(monitoringFrequencies)
    .values({
      provisionType: input.type,
      months: input.months,
      updatedBy: actedBy(actor),
      updatedAt: actor.now,
    })
    .onConflictDoUpdate({
      target: monitoringFrequencies.provisionType,
      set: { months: input.months, updatedBy: actedBy(actor), updatedAt: actor.now },
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

/** The latest published (not withdrawn) outcome of each provision, by activity date, in one query. */
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
    .where(
      and(inArray(outcomes.provisionId, provisionIds), inArray(outcomes.status, ['published', 'amended'])),
    )
    .orderBy(
      asc(outcomes.provisionId),
      sql`${outcomes.activityDate} desc`,
      sql`${outcomes.publishedAt} desc`,
    );
  for (const r of rows) map.set(r.provisionId, { activityDate: r.activityDate, nextDueOn: r.nextDueOn });
  return map;
};

/** Due, overdue or never monitored: the outcome's own next due date, else its date plus the type's frequency. */
export const monitoringState = (
  last: LastMonitoring | undefined,
  months: number,
  today: string,
): MonitoringState => {
  if (!last) return { status: 'never-monitored', lastMonitoredOn: null, nextDueOn: null, daysOverdue: 0 };
  const nextDueOn = last.nextDueOn ?? addMonths(last.activityDate, months);
  const status =
    nextDueOn < today ? 'overdue' : nextDueOn <= addDays(today, DUE_SOON_DAYS) ? 'due-soon' : 'ok';
  return {
    status,
    lastMonitoredOn: last.activityDate,
    nextDueOn,
    daysOverdue: status === 'overdue' ? daysBetween(nextDueOn, today) : 0,
  };
};

/** The monitoring state of some provisions, in three queries whatever their number. */
export const monitoringStates = async (
  db: Db,
  provisionIds: string[],
  now: Date,
): Promise<Map<string, MonitoringState>> => {
  const today = londonDate(now);
  const [freq, last, types] = await Promise.all([
    frequencies(db),
    lastMonitoring(db, provisionIds),
    provisionIds.length
      ? db
          .select({ id: provisions.id, type: provisions.type })
          .from(provisions)
          .where(inArray(provisions.id, provisionIds))
      : [],
  ]);
  const map = new Map<string, MonitoringState>();
  for (const p of types)
    map.set(
      p.id,
      monitoringState(last.get(p.id), freq.get(p.type as ProvisionType) ?? DEFAULT_MONITORING_MONTHS, today),
    );
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
