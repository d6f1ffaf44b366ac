// The monitoring rules, each written once with its SQL twin: which outcomes count as monitoring (and
// so reset a setting's schedule), which risk triggers hold for a setting, the interval that applies
// and the date the next activity is due. The schedule (monitoringStates: allocations.mine, the overdue
// report and event), the placement check and the hub-admin's monitoring report all read them here.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
  DEFAULT_MONITORING_MONTHS,
  DEFAULT_MONITORING_MONTHS_BY_TYPE,
  DEFAULT_RISK_MONTHS,
  MANAGER_CHANGE_MONTHS,
  MONITORING_ACTIVITY_TYPES,
  RISK_TRIGGERS,
  type MonitoringInterval,
  type ProvisionType,
  type RiskTrigger,
} from '@ccx/schema';
import { monitoringFrequencies, monitoringRiskFrequencies } from '../../db/schema/index.js';

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

// ---------------------------------------------------------------------------------------------------
// What counts as monitoring.

/** What decides whether an outcome counts as monitoring. */
export type CountingFacts = { status: string; byLead: boolean; activityType: string };

/**
 * An outcome counts as monitoring — it resets the setting's schedule — when it is published (or
 * amended), is a quality-monitoring activity (MONITORING_ACTIVITY_TYPES: visits and reviews, not a
 * contract meeting) and was published by the setting's lead authority at the time of publication (its
 * `byLead`, fixed when it is published). Other members' outcomes stay intelligence: the check still
 * shows the latest of them and cautions on its rating, but they do not make monitoring "ok".
 */
export const countsAsMonitoring = (o: CountingFacts): boolean =>
  (o.status === 'published' || o.status === 'amended') &&
  o.byLead &&
  MONITORING_ACTIVITY_TYPES.includes(o.activityType as (typeof MONITORING_ACTIVITY_TYPES)[number]);

// Literals, not parameters: the planner matches them to outcomes_monitoring_idx's predicate.
const activityTypesSql = sql.raw(MONITORING_ACTIVITY_TYPES.map((t) => `'${t}'`).join(', '));

/** countsAsMonitoring in SQL, over an outcomes table or alias (served by outcomes_monitoring_idx). */
export const countsAsMonitoringSql = (o: {
  status: SQLWrapper;
  byLead: SQLWrapper;
  activityType: SQLWrapper;
}): SQL =>
  sql`(${o.status} in ('published', 'amended') and ${o.byLead} and ${o.activityType} in (${activityTypesSql}))`;

// ---------------------------------------------------------------------------------------------------
// Frequencies and risk triggers.

/** The months between monitoring activities of a type, and the shorter ones while a trigger holds. */
export type Frequency = { months: number; risk: Record<RiskTrigger, number> };

/** The months between monitoring activities for a type when the hub-admin has not set them. */
export const defaultMonths = (type: ProvisionType): number =>
  (DEFAULT_MONITORING_MONTHS_BY_TYPE as Partial<Record<ProvisionType, number>>)[type] ??
  DEFAULT_MONITORING_MONTHS;

/** A trigger's months when the hub-admin has not set them: the default, never longer than the type's. */
export const defaultRiskMonths = (trigger: RiskTrigger, months: number): number =>
  Math.min(DEFAULT_RISK_MONTHS[trigger], months);

/** A type's frequency from what the hub-admin set (null or absent where it set nothing). */
export const frequencyOf = (
  type: ProvisionType,
  months: number | null | undefined,
  risk: Partial<Record<string, number>> | null | undefined,
): Frequency => {
  const base = months ?? defaultMonths(type);
  return {
    months: base,
    risk: Object.fromEntries(
      RISK_TRIGGERS.map((t) => [t, risk?.[t] ?? defaultRiskMonths(t, base)]),
    ) as Record<RiskTrigger, number>,
  };
};

/** The directory facts that decide the risk triggers. */
export type RiskFacts = {
  type: string;
  ofstedGrade: string;
  registeredManagerChangedOn: string | null;
};

/**
 * The triggers that hold for a setting today: its Ofsted grade is requires improvement or inadequate,
 * or its registered manager changed within the last MANAGER_CHANGE_MONTHS months (on or after the
 * change, before its anniversary).
 */
export const triggersHolding = (p: RiskFacts, today: string): RiskTrigger[] =>
  RISK_TRIGGERS.filter((t) => {
    if (t === 'grade-inadequate') return p.ofstedGrade === 'inadequate';
    if (t === 'grade-requires-improvement') return p.ofstedGrade === 'requires-improvement';
    const on = p.registeredManagerChangedOn;
    return on !== null && on <= today && today < addMonths(on, MANAGER_CHANGE_MONTHS);
  });

const everyMonths = (n: number) => `every ${n} ${n === 1 ? 'month' : 'months'}`;

const triggerWords = (t: RiskTrigger, p: RiskFacts): string =>
  t === 'grade-inadequate'
    ? 'Ofsted grade inadequate'
    : t === 'grade-requires-improvement'
      ? 'Ofsted grade requires improvement'
      : `registered manager changed on ${p.registeredManagerChangedOn}`;

/**
 * The interval that applies to a setting today: the shortest a holding trigger gives when it is
 * shorter than the type's own (ties go to the first of RISK_TRIGGERS), else the type's.
 */
export const monitoringInterval = (p: RiskFacts, f: Frequency, today: string): MonitoringInterval => {
  let trigger: RiskTrigger | null = null;
  for (const t of triggersHolding(p, today))
    if (f.risk[t] < (trigger ? f.risk[trigger] : f.months)) trigger = t;
  if (trigger)
    return {
      months: f.risk[trigger],
      trigger,
      reason: `${everyMonths(f.risk[trigger])}: ${triggerWords(trigger, p)}`,
    };
  return {
    months: f.months,
    trigger: null,
    reason: `${everyMonths(f.months)}: the interval for its type (${p.type})`,
  };
};

/**
 * The next due date after the latest counting activity: its own next due date when it set one, else
 * its date plus the interval — and while a trigger shortens the interval, whichever of the two is
 * sooner (a risk brings the next visit forward; it never puts it back).
 */
export const nextDue = (
  last: { activityDate: string; nextDueOn: string | null },
  interval: MonitoringInterval,
): string => {
  const byInterval = addMonths(last.activityDate, interval.months);
  if (!last.nextDueOn) return byInterval;
  return interval.trigger && byInterval < last.nextDueOn ? byInterval : last.nextDueOn;
};

// ---------------------------------------------------------------------------------------------------
// The interval and the due date in SQL, for a statement that joins provisions (`p`: its type, grade
// and manager change) and left-joins monitoring_frequencies on the type.

const typeMonthsSql = (type: SQLWrapper): SQL => {
  const byType = Object.entries(DEFAULT_MONITORING_MONTHS_BY_TYPE).map(
    ([t, months]) => sql`when ${t} then ${sql.raw(String(Number(months)))}`,
  );
  return sql`coalesce(${monitoringFrequencies.months}, case ${type} ${sql.join(byType, sql` `)} else ${sql.raw(String(DEFAULT_MONITORING_MONTHS))} end)`;
};

/**
 * Two columns, `months` (the interval that applies) and `shortened` (a trigger shortened it), as
 * monitoringInterval counts them, for provisions `p` on `today`.
 */
export const intervalSql = (
  p: { type: SQLWrapper; ofstedGrade: SQLWrapper; registeredManagerChangedOn: SQLWrapper },
  today: string,
): { months: SQL; shortened: SQL } => {
  const base = typeMonthsSql(p.type);
  const riskMonths = (t: RiskTrigger) =>
    sql`coalesce((select r.months from ${monitoringRiskFrequencies} r where r.provision_type = ${p.type} and r.trigger = ${sql.raw(`'${t}'`)}), least(${sql.raw(String(DEFAULT_RISK_MONTHS[t]))}, ${base}))`;
  const holding: Record<RiskTrigger, SQL> = {
    'grade-inadequate': sql`${p.ofstedGrade} = 'inadequate'`,
    'grade-requires-improvement': sql`${p.ofstedGrade} = 'requires-improvement'`,
    'manager-changed': sql`(${p.registeredManagerChangedOn} <= ${today}::date and (${p.registeredManagerChangedOn} + make_interval(months => ${sql.raw(String(MANAGER_CHANGE_MONTHS))}))::date > ${today}::date)`,
  };
  const risk = sql`least(${sql.join(
    RISK_TRIGGERS.map((t) => sql`case when ${holding[t]} then ${riskMonths(t)} end`),
    sql`, `,
  )})`;
  const shortened = sql`coalesce(${risk} < ${base}, false)`;
  return { months: sql`(case when ${shortened} then ${risk} else ${base} end)`, shortened };
};

/** nextDue in SQL, from an activity's date and own next due date and the interval's two columns. */
export const nextDueSql = (
  activityDate: SQLWrapper,
  nextDueOn: SQLWrapper,
  interval: { months: SQLWrapper; shortened: SQLWrapper },
): SQL => {
  const byInterval = sql`(${activityDate} + make_interval(months => ${interval.months}))::date`;
  return sql`(case when ${interval.shortened} then least(${nextDueOn}, ${byInterval}) else coalesce(${nextDueOn}, ${byInterval}) end)`;
};
