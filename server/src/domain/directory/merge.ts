// Merging two directory entries (DESIGN.md: the hub-admin keeps the directory, duplicates included).
// Everything of the merged setting — its records (outcomes, restrictions, concerns), allocations,
// placements, grants, corrections, the history the event feed holds, and whatever else refers to it —
// moves to the survivor in one transaction. The merged row stays, with status `merged` and
// `merged_into_id` naming the survivor, so its id still answers (with the pointer) and nothing that
// cites it dangles. The audit trail is left as written: its entries are hash-chained, and the merge's
// own entry (directory.merge, both ids) links the two.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { MergeReport } from '@ccx/schema';
import { mayMergeDirectory } from '../../access/directory.js';
import { LEAD_ROLE } from '../../access/allocations.js';
import { appendAudit } from '../../audit/index.js';
import { rowsOf, type Db } from '../../db/index.js';
import { allocations, events, placements, providers, provisions } from '../../db/schema/index.js';
import { emitEvent } from '../../events/emit.js';
import { londonDate } from '../../shared/dates.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { changedBy } from './provisions.js';

type Kind = 'provision' | 'provider';

/** Every column of every table that refers to the entry's table by foreign key (its own merged_into_id aside). */
const referencingColumns = async (db: Db, table: 'provisions' | 'providers') => {
  const rows = rowsOf<{ table_name: string; column_name: string }>(
    await db.execute(sql`
      select cl.relname as table_name, a.attname as column_name
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.confrelid = ${table}::regclass
      order by 1, 2`),
  );
  return rows.filter((r) => !(r.table_name === table && r.column_name === 'merged_into_id'));
};

const countWhere = async (db: Db, table: string, column: string, id: string): Promise<number> => {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)} = ${id}`,
    ),
  );
  return Number(row?.n ?? 0);
};

const lockPair = async (db: Db, kind: Kind, survivorId: string, mergedId: string) => {
  const table = kind === 'provision' ? provisions : providers;
  const rows = await db
    .select({ id: table.id, status: table.status, mergedIntoId: table.mergedIntoId })
    .from(table)
    .where(inArray(table.id, [survivorId, mergedId]))
    .orderBy(table.id)
    .for('update');
  const survivor = rows.find((r) => r.id === survivorId);
  const merged = rows.find((r) => r.id === mergedId);
  if (!survivor) throw notFound(`${kind} ${survivorId}`);
  if (!merged) throw notFound(`${kind} ${mergedId}`);
  for (const r of [survivor, merged]) {
    if (r.status === 'merged')
      throw new AppError(
        'CONFLICT',
        `${kind} ${r.id} was already merged into ${r.mergedIntoId}: merge into or from that one instead`,
        { mergedIntoId: r.mergedIntoId },
      );
  }
};

const validatePair = (actor: Actor, kind: Kind, survivorId: string, mergedId: string) => {
  const right = mayMergeDirectory({ authorityId: actor.authorityId, role: actor.role });
  if (!right.allowed) throw new AppError('FORBIDDEN', right.reason);
  if (survivorId === mergedId)
    throw new AppError('VALIDATION', `a ${kind} cannot be merged into itself: choose two different ones`);
};

/** Moves every referring row; a unique rule the move would break is a clear conflict, not a fault. */
const moveReferences = async (
  db: Db,
  cols: { table_name: string; column_name: string }[],
  survivorId: string,
  mergedId: string,
  moved: Record<string, number>,
) => {
  for (const c of cols) {
    const n = await countWhere(db, c.table_name, c.column_name, mergedId);
    const key =
      c.column_name === 'provision_id' || c.column_name === 'provider_id'
        ? c.table_name
        : `${c.table_name}.${c.column_name}`;
    moved[key] = (moved[key] ?? 0) + n;
  }
  return async () => {
    for (const c of cols) {
      try {
        await db.execute(
          sql`update ${sql.identifier(c.table_name)} set ${sql.identifier(c.column_name)} = ${survivorId} where ${sql.identifier(c.column_name)} = ${mergedId}`,
        );
      } catch (err) {
        if (pgErrorCode(err) === '23505')
          throw new AppError(
            'CONFLICT',
            `the two entries both hold a ${c.table_name.replace(/_/g, ' ')} row that may exist only once: resolve it on one of them first`,
          );
        throw err;
      }
    }
  };
};

/**
 * Merges setting `mergedId` into `survivorId` (hub-admin only). Refuses a setting merged into itself,
 * into or from a merged one, and two settings that both hold a lead allocation not yet closed (the
 * partnership cannot have two leads: end one with allocations.assign first). Open placement
 * declarations of one authority at both are folded into the survivor's (children added, the merged
 * one ended). The survivor keeps its URN; it takes the merged one's only when it has none.
 */
export const mergeProvisions = async (
  db: Db,
  actor: Actor,
  input: { survivorId: string; mergedId: string; dryRun: boolean },
): Promise<MergeReport> => {
  const { survivorId, mergedId, dryRun } = input;
  validatePair(actor, 'provision', survivorId, mergedId);
  await lockPair(db, 'provision', survivorId, mergedId);
  const [survivor] = await db.select().from(provisions).where(eq(provisions.id, survivorId));
  const [merged] = await db.select().from(provisions).where(eq(provisions.id, mergedId));
  const notes: string[] = [];

  const unclosed = await db
    .select()
    .from(allocations)
    .where(and(inArray(allocations.provisionId, [survivorId, mergedId]), isNull(allocations.endedAt)));
  for (const role of new Set(unclosed.map((a) => a.role))) {
    const held = unclosed.filter((a) => a.role === role);
    if (held.length > 1) {
      const s = held.find((a) => a.provisionId === survivorId)!;
      const m = held.find((a) => a.provisionId === mergedId)!;
      throw new AppError(
        'CONFLICT',
        `both settings hold ${role === LEAD_ROLE ? 'a lead' : `a ${role}`} allocation (${s.authorityId} at the survivor, ${m.authorityId} at the merged one): a setting has one lead, so reassign or end one of them first`,
      );
    }
  }

  // One authority's open declarations at both: fold them into the survivor's.
  const today = londonDate(actor.now);
  const open = await db
    .select()
    .from(placements)
    .where(and(inArray(placements.provisionId, [survivorId, mergedId]), isNull(placements.endedOn)));
  const folds = open
    .filter((p) => p.provisionId === mergedId)
    .map((m) => ({ m, s: open.find((p) => p.provisionId === survivorId && p.authorityId === m.authorityId) }))
    .filter((f): f is { m: (typeof open)[number]; s: (typeof open)[number] } => f.s !== undefined);
  for (const f of folds)
    notes.push(
      `${f.m.authorityId}'s open declaration of ${f.m.children} at the merged setting is added to its declaration at the survivor (${f.s.children} → ${f.s.children + f.m.children})`,
    );

  const moved: Record<string, number> = {};
  const cols = await referencingColumns(db, 'provisions');
  const apply = await moveReferences(db, cols, survivorId, mergedId, moved);
  moved['events'] = await countWhere(db, 'events', 'provision_id', mergedId);
  const takeUrn = survivor!.urn === null && merged!.urn !== null;
  if (merged!.urn !== null)
    notes.push(
      takeUrn
        ? `the survivor had no URN and takes the merged setting's (${merged!.urn})`
        : `the survivor keeps its URN (${survivor!.urn}); the merged setting's (${merged!.urn}) stays on the merged row`,
    );
  if (dryRun) return { survivorId, mergedId, dryRun, moved, notes };

  for (const f of folds) {
    await db
      .update(placements)
      .set({
        children: f.s.children + f.m.children,
        version: sql`${placements.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(placements.id, f.s.id));
    await db
      .update(placements)
      .set({
        endedOn: f.m.fromDate > today ? f.m.fromDate : today,
        version: sql`${placements.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(placements.id, f.m.id));
  }
  await apply();
  await db.update(events).set({ provisionId: survivorId }).where(eq(events.provisionId, mergedId));
  // Settings merged into this one earlier now point at the survivor too: one hop, never a chain.
  await db.update(provisions).set({ mergedIntoId: survivorId }).where(eq(provisions.mergedIntoId, mergedId));
  await db
    .update(provisions)
    .set({
      status: 'merged',
      mergedIntoId: survivorId,
      ...(takeUrn ? { urn: null } : {}),
      version: sql`${provisions.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(provisions.id, mergedId));
  if (takeUrn)
    await db
      .update(provisions)
      .set({ urn: merged!.urn, version: sql`${provisions.version} + 1`, updatedAt: sql`now()` })
      .where(eq(provisions.id, survivorId));
  await finish(db, actor, 'provision', { survivorId, mergedId, moved, notes }, [
    survivor!.name,
    merged!.name,
  ]);
  return { survivorId, mergedId, dryRun, moved, notes };
};

/**
 * Merges provider `mergedId` into `survivorId` (hub-admin only): its settings, provider-wide
 * restrictions, corrections and whatever else refers to it move to the survivor. The survivor keeps
 * its Companies House number; it takes the merged one's only when it has none.
 */
export const mergeProviders = async (
  db: Db,
  actor: Actor,
  input: { survivorId: string; mergedId: string; dryRun: boolean },
): Promise<MergeReport> => {
  const { survivorId, mergedId, dryRun } = input;
  validatePair(actor, 'provider', survivorId, mergedId);
  await lockPair(db, 'provider', survivorId, mergedId);
  const [survivor] = await db.select().from(providers).where(eq(providers.id, survivorId));
  const [merged] = await db.select().from(providers).where(eq(providers.id, mergedId));
  const notes: string[] = [];
  const moved: Record<string, number> = {};
  const cols = await referencingColumns(db, 'providers');
  const apply = await moveReferences(db, cols, survivorId, mergedId, moved);
  moved['events'] = await countWhere(db, 'events', 'provider_id', mergedId);
  const takeNumber = survivor!.companyNumber === null && merged!.companyNumber !== null;
  if (merged!.companyNumber !== null)
    notes.push(
      takeNumber
        ? `the survivor had no Companies House number and takes the merged provider's (${merged!.companyNumber})`
        : `the survivor keeps its Companies House number (${survivor!.companyNumber})`,
    );
  if (dryRun) return { survivorId, mergedId, dryRun, moved, notes };
  await apply();
  await db.update(events).set({ providerId: survivorId }).where(eq(events.providerId, mergedId));
  await db.update(providers).set({ mergedIntoId: survivorId }).where(eq(providers.mergedIntoId, mergedId));
  await db
    .update(providers)
    .set({
      status: 'merged',
      mergedIntoId: survivorId,
      ...(takeNumber ? { companyNumber: null } : {}),
      version: sql`${providers.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(providers.id, mergedId));
  if (takeNumber)
    await db
      .update(providers)
      .set({
        companyNumber: merged!.companyNumber,
        version: sql`${providers.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(providers.id, survivorId));
  await finish(db, actor, 'provider', { survivorId, mergedId, moved, notes }, [survivor!.name, merged!.name]);
  return { survivorId, mergedId, dryRun, moved, notes };
};

const finish = async (
  db: Db,
  actor: Actor,
  kind: Kind,
  r: { survivorId: string; mergedId: string; moved: Record<string, number>; notes: string[] },
  [survivorName, mergedName]: [string, string],
) => {
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'directory.merge',
    recordType: kind,
    recordIds: [r.survivorId, r.mergedId],
    provisionIds: kind === 'provision' ? [r.survivorId, r.mergedId] : [],
    basis: 'hub-admin',
    details: { kind, survivorId: r.survivorId, mergedId: r.mergedId, moved: r.moved, notes: r.notes },
  });
  await emitEvent(db, {
    type: 'directory.merged',
    at: actor.now,
    audience: 'members',
    ...(kind === 'provision' ? { provisionId: r.survivorId } : { providerId: r.survivorId }),
    summary: {
      kind,
      survivorId: r.survivorId,
      survivorName,
      mergedId: r.mergedId,
      mergedName,
      by: changedBy(actor),
    },
  });
};
