// Placement declarations: counts of children an authority has at a provision. They feed need-to-know
// (the `placing` basis) and allocation. A new declaration supersedes the open one, keeping history.
import { and, asc, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Placement, PlacingAuthorities } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { authorities, placements, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { isPlacementOpen } from '../../access/policy.js';
import { placingAuthoritiesAccess } from '../../access/placing.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { londonDate } from '../../shared/dates.js';
import { iso } from '../pagination.js';
import { nameAll, nameOne } from '../../db/names.js';

type PlacementRow = typeof placements.$inferSelect;

export const toPlacement = (r: PlacementRow, today: string): Placement => ({
  id: r.id,
  authorityId: r.authorityId,
  provisionId: r.provisionId,
  children: r.children,
  fromDate: r.fromDate,
  endedOn: r.endedOn,
  open: isPlacementOpen(r, today),
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const declarePlacement = async (
  tx: Db,
  actor: Actor,
  input: { provisionId: string; children: number; fromDate?: string | undefined },
): Promise<Placement> => {
  const today = londonDate(actor.now);
  const fromDate = input.fromDate ?? today;
  const [provision] = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  const [open] = await tx
    .select()
    .from(placements)
    .where(
      and(
        eq(placements.authorityId, actor.authorityId),
        eq(placements.provisionId, input.provisionId),
        isNull(placements.endedOn),
      ),
    )
    .for('update');
  if (open) {
    if (fromDate < open.fromDate) {
      throw new AppError(
        'VALIDATION',
        `fromDate ${fromDate} is before the open declaration's ${open.fromDate}; end that one first`,
      );
    }
    await tx
      .update(placements)
      .set({ endedOn: fromDate, version: sql`${placements.version} + 1`, updatedAt: sql`now()` })
      .where(eq(placements.id, open.id));
  }
  const [row] = await tx
    .insert(placements)
    .values({
      authorityId: actor.authorityId,
      provisionId: input.provisionId,
      children: input.children,
      fromDate,
      createdBy: actedBy(actor),
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'placement.declare',
    recordType: 'placement',
    recordIds: open ? [row!.id, open.id] : [row!.id],
    provisionIds: [input.provisionId],
    basis: 'placing',
    details: { children: input.children, fromDate, superseded: open?.id ?? null },
  });
  return nameOne(tx, toPlacement(row!, today));
};

export const endPlacement = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number; endedOn?: string | undefined },
): Promise<Placement> => {
  const today = londonDate(actor.now);
  const [row] = await tx.select().from(placements).where(eq(placements.id, input.id)).for('update');
  if (!row || row.authorityId !== actor.authorityId) throw notFound(`placement ${input.id}`);
  if (row.version !== input.version) {
    throw new AppError(
      'CONFLICT',
      `placement ${input.id} has changed: you sent version ${input.version}, the current version is ${row.version}`,
    );
  }
  if (row.endedOn !== null)
    throw new AppError('CONFLICT', `placement ${input.id} already ended on ${row.endedOn}`);
  const endedOn = input.endedOn ?? today;
  if (endedOn < row.fromDate)
    throw new AppError(
      'VALIDATION',
      `endedOn ${endedOn} is before the declaration's fromDate ${row.fromDate}`,
    );
  const [updated] = await tx
    .update(placements)
    .set({ endedOn, version: sql`${placements.version} + 1`, updatedAt: sql`now()` })
    .where(eq(placements.id, input.id))
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'placement.end',
    recordType: 'placement',
    recordIds: [input.id],
    provisionIds: [row.provisionId],
    basis: 'placing',
    details: { endedOn },
  });
  return nameOne(tx, toPlacement(updated!, today));
};

export const myPlacements = async (
  db: Db,
  actor: Actor,
  input: { includeEnded: boolean },
): Promise<Placement[]> => {
  const today = londonDate(actor.now);
  const rows = await db
    .select()
    .from(placements)
    .where(
      and(
        eq(placements.authorityId, actor.authorityId),
        input.includeEnded ? undefined : isNull(placements.endedOn),
      ),
    )
    .orderBy(desc(placements.fromDate), asc(placements.id));
  return nameAll(
    db,
    rows.map((r) => toPlacement(r, today)),
  );
};

/**
 * The authorities placing children at a setting — each with its number of children (the sum of its
 * open declarations there) and its quality-assurance contact — for the setting's lead and host
 * authorities only (the policy decides: access/placing.ts). Audited as a read of those declarations.
 */
export const placingAuthoritiesAt = async (
  db: Db,
  actor: Actor,
  input: { provisionId: string },
): Promise<PlacingAuthorities> => {
  const today = londonDate(actor.now);
  const [provision] = await db
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.id, input.provisionId));
  if (!provision) throw notFound(`provision ${input.provisionId}`);
  const decision = await placingAuthoritiesAccess(db, actor.authorityId, input.provisionId, actor.now);
  if (!decision.allowed) throw new AppError('FORBIDDEN', decision.reason);
  const rows = await db
    .select({
      id: placements.id,
      authorityId: placements.authorityId,
      children: placements.children,
      fromDate: placements.fromDate,
      endedOn: placements.endedOn,
      name: authorities.name,
      qaInbox: authorities.qaInbox,
    })
    .from(placements)
    .innerJoin(authorities, eq(authorities.id, placements.authorityId))
    .where(
      and(
        eq(placements.provisionId, input.provisionId),
        or(isNull(placements.endedOn), gt(placements.endedOn, today)),
      ),
    )
    .orderBy(asc(placements.authorityId), asc(placements.fromDate));
  // Open on the caller's today, as the policy's `placing` basis counts it.
  const open = rows.filter((r) => isPlacementOpen(r, today));
  const byAuthority = new Map<string, PlacingAuthorities['authorities'][number]>();
  for (const r of open) {
    const seen = byAuthority.get(r.authorityId);
    if (seen) seen.children += r.children;
    else
      byAuthority.set(r.authorityId, {
        authorityId: r.authorityId,
        name: r.name,
        children: r.children,
        since: r.fromDate,
        qaInbox: r.qaInbox,
      });
  }
  const list = [...byAuthority.values()].sort(
    (a, b) => b.children - a.children || a.name.localeCompare(b.name),
  );
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'placement.at-provision',
    recordType: 'placement',
    recordIds: open.map((r) => r.id),
    provisionIds: [input.provisionId],
    basis: decision.basis,
    details: { authorities: list.map((a) => a.authorityId) },
  });
  return nameOne(db, {
    provisionId: input.provisionId,
    basis: decision.basis,
    children: list.reduce((n, a) => n + a.children, 0),
    authorities: list,
  });
};
