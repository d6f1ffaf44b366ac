// What "current", "lead" and "open" mean for an allocation, said once. Each predicate has an in-memory
// face (over one allocation's facts and a London date) and an SQL face (over the allocations table);
// test/api/allocations/predicates.test.ts holds the two faces to the same rows. Nothing else in the
// hub writes a condition on allocations' role, dates or ended_at by hand.
//
// An allocation holds from `startsOn` (inclusive) until the day before `endsOn` (its first day no
// longer held, like a placement's `endedOn`), unless ended by hand earlier (`endedAt`: reassigned).
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { allocations } from '../db/schema/index.js';

/** The facts of one allocation that the predicates read. */
export type AllocationFacts = {
  role: string;
  startsOn: string;
  endsOn: string | null;
  endedAt: Date | null;
};

/** A London date (YYYY-MM-DD): a value, an SQL expression, or a prepared statement's placeholder. */
export type SqlDate = string | SQL | Placeholder;

/** The role whose holder is the setting's lead authority (DESIGN.md §3, basis `lead`). */
export const LEAD_ROLE = 'quality';
const LEAD_ROLE_SQL = sql.raw(`'${LEAD_ROLE}'`);

/**
 * In force today, of any role: not ended by hand, begun, not run out. allocations.list (`currentOnly`,
 * and each allocation's `current` flag) uses it: the contract's word for an allocation in force.
 */
export const isAllocationCurrent = (a: Omit<AllocationFacts, 'role'>, today: string): boolean =>
  a.endedAt === null && a.startsOn <= today && (a.endsOn === null || a.endsOn > today);

export const currentAllocationSql = (today: SqlDate): SQL =>
  sql`(${allocations.endedAt} is null and ${allocations.startsOn} <= ${today}::date and (${allocations.endsOn} is null or ${allocations.endsOn} > ${today}::date))`;

/**
 * The current lead: a quality allocation in force today. The `lead` basis (policy, SQL, loader),
 * the placement check's lead, an outcome's byLead, allocations.mine, lead load in autoAllocate, the
 * overdue report and event, and who is told of (and may list and audit) pre-placement grants.
 */
export const isCurrentLead = (a: AllocationFacts, today: string): boolean =>
  a.role === LEAD_ROLE && isAllocationCurrent(a, today);

export const currentLeadSql = (today: SqlDate): SQL =>
  sql`(${allocations.role} = ${LEAD_ROLE_SQL} and ${currentAllocationSql(today)})`;

/**
 * Open, of any role: not over — not ended by hand and not run out. One yet to begin is open (it is
 * pending: it will hold without anyone acting). The base of isOpenLead.
 */
export const isAllocationOpen = (a: Omit<AllocationFacts, 'role'>, today: string): boolean =>
  a.endedAt === null && (a.endsOn === null || a.endsOn > today);

export const openAllocationSql = (today: SqlDate): SQL =>
  sql`(${allocations.endedAt} is null and (${allocations.endsOn} is null or ${allocations.endsOn} > ${today}::date))`;

/**
 * An open lead allocation: quality, current or yet to begin. autoAllocate leaves a provision that has
 * one alone (the hub-admin has already chosen its lead), and proposes one whose lead has run out.
 */
export const isOpenLead = (a: AllocationFacts, today: string): boolean =>
  a.role === LEAD_ROLE && isAllocationOpen(a, today);

export const openLeadSql = (today: SqlDate): SQL =>
  sql`(${allocations.role} = ${LEAD_ROLE_SQL} and ${openAllocationSql(today)})`;

/**
 * Not closed (ended_at null), whatever its dates: the one row per provision and role that the unique
 * index allocations_one_current admits. Reassigning closes it, even one run out or yet to begin. No
 * date: it is about the row, not about who leads.
 */
export const isAllocationUnclosed = (a: Pick<AllocationFacts, 'endedAt'>): boolean => a.endedAt === null;

export const unclosedAllocationSql = (): SQL => sql`(${allocations.endedAt} is null)`;

/** Every predicate by name with its two faces, so a test can hold each pair to the same rows. */
export const ALLOCATION_PREDICATES: Record<
  'current' | 'currentLead' | 'open' | 'openLead' | 'unclosed',
  { accepts: (a: AllocationFacts, today: string) => boolean; sql: (today: SqlDate) => SQL }
> = {
  current: { accepts: isAllocationCurrent, sql: currentAllocationSql },
  currentLead: { accepts: isCurrentLead, sql: currentLeadSql },
  open: { accepts: isAllocationOpen, sql: openAllocationSql },
  openLead: { accepts: isOpenLead, sql: openLeadSql },
  unclosed: { accepts: (a) => isAllocationUnclosed(a), sql: () => unclosedAllocationSql() },
};
