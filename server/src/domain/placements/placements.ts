// Placement declarations: counts of children an authority has at a provision. They feed need-to-know
// (the `placing` basis) and allocation. A new declaration supersedes the open one, keeping history.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Placement } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { placements, provisions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { isPlacementOpen } from '../../access/policy.js';
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
