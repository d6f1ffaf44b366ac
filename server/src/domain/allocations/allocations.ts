// Allocations: which member authority leads (monitors) each provision for the partnership.
// One current allocation per provision and role; reassigning closes the old one, keeping history.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Allocation, AutoAllocateResult, Page } from '@ccx/schema';
import {
  currentAllocationSql,
  currentLeadSql,
  isAllocationCurrent,
  openLeadSql,
  unclosedAllocationSql,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import { emitEvent } from '../../events/emit.js';
import type { Db } from '../../db/index.js';
import { allocations, authorities, placements, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { londonDate } from '../../shared/dates.js';
import { monitoringStates } from '../monitoring/schedule.js';
import { afterKeys, encodeKeys, iso, toPage } from '../pagination.js';
import { nameAll, nameOne } from '../../db/names.js';

type AllocationRow = typeof allocations.$inferSelect;

export const toAllocation = (r: AllocationRow, today: string): Allocation => ({
  id: r.id,
  provisionId: r.provisionId,
  authorityId: r.authorityId,
  role: r.role as Allocation['role'],
  startsOn: r.startsOn,
  endsOn: r.endsOn,
  current: isAllocationCurrent(r, today),
  rationale: r.rationale,
  createdAt: iso(r.createdAt),
  endedReason: r.endedReason,
});

type AssignInput = {
  provisionId: string;
  authorityId: string;
  role: 'quality';
  startsOn?: string | undefined;
  endsOn?: string | undefined;
  rationale: string;
};

const insertAllocation = async (
  tx: Db,
  actor: Actor,
  input: AssignInput,
  action: string,
): Promise<Allocation> => {
  const today = londonDate(actor.now);
  const startsOn = input.startsOn ?? today;
  if (input.endsOn && input.endsOn <= startsOn)
    throw new AppError('VALIDATION', `endsOn ${input.endsOn} must be after startsOn ${startsOn}`);
  // The provision's one unclosed allocation of this role (allocations_one_current) is closed, whether
  // it is current, run out or yet to begin.
  const [previous] = await tx
    .update(allocations)
    .set({ endedAt: actor.now, endedReason: `reassigned to ${input.authorityId}` })
    .where(
      and(
        eq(allocations.provisionId, input.provisionId),
        eq(allocations.role, input.role),
        unclosedAllocationSql(),
      ),
    )
    .returning({ id: allocations.id, authorityId: allocations.authorityId });
  const [row] = await tx
    .insert(allocations)
    .values({
      provisionId: input.provisionId,
      authorityId: input.authorityId,
      role: input.role,
      startsOn,
      endsOn: input.endsOn ?? null,
      rationale: input.rationale,
      createdBy: actedBy(actor),
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action,
    recordType: 'allocation',
    recordIds: previous ? [row!.id, previous.id] : [row!.id],
    provisionIds: [input.provisionId],
    basis: 'hub-admin',
    details: {
      authorityId: input.authorityId,
      role: input.role,
      startsOn,
      previousAuthorityId: previous?.authorityId ?? null,
      rationale: input.rationale,
    },
  });
  await emitEvent(tx, {
    type: 'allocation.changed',
    at: actor.now,
    audience: 'members',
    provisionId: input.provisionId,
    summary: {
      provisionId: input.provisionId,
      authorityId: input.authorityId,
      previousAuthorityId: previous?.authorityId ?? null,
      role: input.role,
      startsOn,
    },
  });
  return nameOne(tx, toAllocation(row!, today));
};

export const assignAllocation = async (tx: Db, actor: Actor, input: AssignInput): Promise<Allocation> => {
  const [provision] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  const [authority] = await tx
    .select({ status: authorities.status })
    .from(authorities)
    .where(eq(authorities.id, input.authorityId));
  if (!authority) throw notFound(`authority ${input.authorityId}`);
  if (authority.status !== 'active')
    throw new AppError(
      'VALIDATION',
      `authority ${input.authorityId} is ${authority.status}; only active members can lead`,
    );
  return insertAllocation(tx, actor, input, 'allocation.assign');
};

const allocationKeys = [
  { column: allocations.provisionId, cast: 'uuid' as const },
  { column: allocations.startsOn, cast: 'date' as const },
  { column: allocations.id, cast: 'uuid' as const },
];

/** Allocations (who monitors what) are known to every member: a page at a time, by provision, oldest first. */
export const listAllocations = async (
  db: Db,
  actor: Actor,
  input: {
    provisionId?: string | undefined;
    authorityId?: string | undefined;
    currentOnly: boolean;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<Page<Allocation>> => {
  const today = londonDate(actor.now);
  const rows = await db
    .select()
    .from(allocations)
    .where(
      and(
        input.provisionId ? eq(allocations.provisionId, input.provisionId) : undefined,
        input.authorityId ? eq(allocations.authorityId, input.authorityId) : undefined,
        // In force today, of any role (the `current` flag's rule), in SQL so that pages stay full.
        input.currentOnly ? currentAllocationSql(today) : undefined,
        afterKeys(input.cursor, allocationKeys, 'asc'),
      ),
    )
    .orderBy(asc(allocations.provisionId), asc(allocations.startsOn), asc(allocations.id))
    .limit(input.limit + 1);
  const page = toPage(
    rows.map((r) => toAllocation(r, today)),
    input.limit,
    (a) => encodeKeys([a.provisionId, a.startsOn, a.id]),
  );
  return { ...page, items: await nameAll(db, page.items) };
};

/**
 * The caller's current lead allocations, each with whether monitoring is due or overdue: monitoring is
 * the lead's work, and an allocation of another role (fees) is no lead.
 */
export const myAllocations = async (db: Db, actor: Actor): Promise<Allocation[]> => {
  const today = londonDate(actor.now);
  // One authority leads a few hundred settings at most: no pages.
  const mine = (
    await db
      .select()
      .from(allocations)
      .where(and(eq(allocations.authorityId, actor.authorityId), currentLeadSql(today)))
      .orderBy(asc(allocations.provisionId), asc(allocations.startsOn), asc(allocations.id))
  ).map((r) => toAllocation(r, today));
  const states = await monitoringStates(
    db,
    mine.map((a) => a.provisionId),
    actor.now,
  );
  return nameAll(
    db,
    mine.map((a) => ({ ...a, monitoring: states.get(a.provisionId) })),
  );
};

/**
 * Allocates every provision with open placements from two or more members and no current allocation:
 * the host authority if it places there; else the authority with most children placed; then the one
 * with the fewest current allocations (counting this run's); then by id. Deterministic.
 */
export const autoAllocate = async (
  tx: Db,
  actor: Actor,
  input: { dryRun: boolean },
): Promise<AutoAllocateResult> => {
  const today = londonDate(actor.now);
  const rows = await tx
    .select({
      provisionId: placements.provisionId,
      provisionName: provisions.name,
      hostAuthorityId: provisions.hostAuthorityId,
      authorityId: placements.authorityId,
      children: sql<number>`sum(${placements.children})::int`,
    })
    .from(placements)
    .innerJoin(provisions, eq(provisions.id, placements.provisionId))
    .innerJoin(authorities, and(eq(authorities.id, placements.authorityId), eq(authorities.status, 'active')))
    .where(
      and(
        sql`${placements.fromDate} <= ${today}`,
        sql`(${placements.endedOn} is null or ${placements.endedOn} > ${today})`,
        // A lead allocation whose end date has passed is over: its provision needs a new lead. One
        // that is current, or due to start later (open), is left alone.
        sql`not exists (select 1 from ${allocations} where ${allocations.provisionId} = ${placements.provisionId} and ${openLeadSql(today)})`,
      ),
    )
    .groupBy(placements.provisionId, provisions.name, provisions.hostAuthorityId, placements.authorityId)
    .orderBy(asc(placements.provisionId), asc(placements.authorityId));

  const byProvision = new Map<
    string,
    { name: string; host: string; placing: { authorityId: string; children: number }[] }
  >();
  for (const r of rows) {
    const entry = byProvision.get(r.provisionId) ?? {
      name: r.provisionName,
      host: r.hostAuthorityId,
      placing: [],
    };
    entry.placing.push({ authorityId: r.authorityId, children: r.children });
    byProvision.set(r.provisionId, entry);
  }
  // Lead load: each authority's current lead allocations (a fees allocation is other work).
  const load = new Map<string, number>();
  for (const r of await tx
    .select({ authorityId: allocations.authorityId, n: count() })
    .from(allocations)
    .where(currentLeadSql(today))
    .groupBy(allocations.authorityId)) {
    load.set(r.authorityId, r.n);
  }

  const proposals: AutoAllocateResult['proposals'] = [];
  for (const [provisionId, p] of byProvision) {
    if (p.placing.length < 2) continue;
    const total = p.placing.reduce((n, x) => n + x.children, 0);
    let chosen: string;
    let rationale: string;
    const host = p.placing.find((x) => x.authorityId === p.host);
    if (host) {
      chosen = host.authorityId;
      rationale = `${chosen} is the host authority and places ${host.children} of the ${total} children here`;
    } else {
      const most = Math.max(...p.placing.map((x) => x.children));
      const top = p.placing.filter((x) => x.children === most).map((x) => x.authorityId);
      if (top.length === 1) {
        chosen = top[0]!;
        rationale = `${chosen} places the most children here (${most} of ${total}); the host authority ${p.host} places none`;
      } else {
        const fewest = Math.min(...top.map((a) => load.get(a) ?? 0));
        const lightest = top.filter((a) => (load.get(a) ?? 0) === fewest).sort();
        chosen = lightest[0]!;
        rationale =
          lightest.length === 1
            ? `${top.join(', ')} each place ${most} of ${total} children here; ${chosen} has the fewest current allocations (${fewest})`
            : `${top.join(', ')} each place ${most} of ${total} children here; ${lightest.join(', ')} each have ${fewest} current allocations; ${chosen} comes first by id`;
      }
    }
    load.set(chosen, (load.get(chosen) ?? 0) + 1);
    proposals.push({
      provisionId,
      provisionName: p.name,
      authorityId: chosen,
      rationale,
      placing: p.placing,
    });
  }

  if (!input.dryRun) {
    for (const proposal of proposals) {
      await insertAllocation(
        tx,
        actor,
        {
          provisionId: proposal.provisionId,
          authorityId: proposal.authorityId,
          role: 'quality',
          rationale: `automatic: ${proposal.rationale}`,
        },
        'allocation.auto',
      );
    }
  }
  return nameOne(tx, { dryRun: input.dryRun, proposals, assigned: input.dryRun ? 0 : proposals.length });
};
