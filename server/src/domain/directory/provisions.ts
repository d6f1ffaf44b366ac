// Provisions: the settings children are placed in. Ofsted URN is unique where present.
import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { OfstedGrade, Page, Provision, ProvisionType, RegistrationStatus } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import { emitEvent } from '../../events/emit.js';
import { auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { nameAll, nameOne } from '../../db/names.js';
import { authorities, providers, provisions } from '../../db/schema/index.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import {
  mayChangeProvisionFacts,
  mayMoveProvision,
  type DirectoryEditor,
  type DirectoryRight,
} from '../../access/directory.js';
import { staleVersion } from '../authorities/authorities.js';
import { afterKeys, encodeKeys, iso, likeContains, toPage } from '../pagination.js';

type ProvisionRow = typeof provisions.$inferSelect;

export const toProvision = (r: ProvisionRow): Provision => ({
  id: r.id,
  providerId: r.providerId,
  name: r.name,
  urn: r.urn,
  type: r.type as ProvisionType,
  hostAuthorityId: r.hostAuthorityId,
  registrationStatus: r.registrationStatus as RegistrationStatus,
  ofstedGrade: r.ofstedGrade as OfstedGrade,
  ofstedGradeDate: r.ofstedGradeDate,
  registeredManagerChangedOn: r.registeredManagerChangedOn,
  postcode: r.postcode,
  status: r.status as Provision['status'],
  mergedIntoId: r.mergedIntoId,
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export type ProvisionWrite = {
  providerId: string;
  name: string;
  urn?: string | null | undefined;
  type: ProvisionType;
  hostAuthorityId: string;
  registrationStatus: RegistrationStatus;
  ofstedGrade: OfstedGrade;
  ofstedGradeDate?: string | null | undefined;
  /** Host authority or hub-admin: when the registered manager last changed (monitoring more often). */
  registeredManagerChangedOn?: string | null | undefined;
  postcode?: string | null | undefined;
};

const urnConflict = (err: unknown, urn: string | null | undefined): never => {
  if (pgErrorCode(err) === '23505')
    throw new AppError('CONFLICT', `a provision with Ofsted URN ${urn} already exists`);
  throw err;
};

/** Referenced records must exist; named in the error so the caller knows which field to fix. */
const assertReferences = async (
  db: Db,
  refs: { providerId?: string | undefined; hostAuthorityId?: string | undefined },
) => {
  if (refs.providerId) {
    const [p] = await db
      .select({ id: providers.id })
      .from(providers)
      .where(eq(providers.id, refs.providerId));
    if (!p) throw notFound(`provider ${refs.providerId}`);
  }
  if (refs.hostAuthorityId) {
    const [a] = await db
      .select({ id: authorities.id })
      .from(authorities)
      .where(eq(authorities.id, refs.hostAuthorityId));
    if (!a) throw notFound(`host authority ${refs.hostAuthorityId}`);
  }
};

export const getProvision = async (db: Db, id: string): Promise<Provision> => {
  const [row] = await db.select().from(provisions).where(eq(provisions.id, id));
  if (!row) throw notFound(`provision ${id}`);
  return nameOne(db, toProvision(row));
};

export const createProvision = async (db: Db, actor: Actor, input: ProvisionWrite): Promise<Provision> => {
  await assertReferences(db, input);
  try {
    const [row] = await db
      .insert(provisions)
      .values({
        ...input,
        urn: input.urn ?? null,
        ofstedGradeDate: input.ofstedGradeDate ?? null,
        postcode: input.postcode ?? null,
      })
      .returning();
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'provision.create',
      recordType: 'provision',
      recordIds: [row!.id],
      provisionIds: [row!.id],
      basis: actor.role,
      details: { ...input },
    });
    return nameOne(db, toProvision(row!));
  } catch (err) {
    return urnConflict(err, input.urn);
  }
};

/** Who changes a directory entry: a member's person or client, or the hub itself (the Ofsted import). */
export type DirectoryActor = Actor | SystemActor;
/** The Ofsted import (a later feed): the hub acting on the regulator's word, with no member behind it. */
export type SystemActor = { system: 'ofsted-import'; now: Date; requestId: string };

const editorOf = (actor: DirectoryActor): DirectoryEditor =>
  'system' in actor ? { system: actor.system } : { authorityId: actor.authorityId, role: actor.role };

/** Who made a directory change, as every directory change event and audit entry says it. */
export const changedBy = (actor: DirectoryActor) =>
  'system' in actor
    ? { system: actor.system, authorityId: null, personId: null, clientId: null }
    : { authorityId: actor.authorityId, personId: actor.personId ?? null, clientId: actor.clientId };

const refuse = (right: DirectoryRight): void => {
  if (!right.allowed) throw new AppError('FORBIDDEN', right.reason);
};

/** A merged setting takes no change: it points at the one everything of it moved to. */
export const assertNotMerged = (
  p: { id: string; status: string; mergedIntoId: string | null },
  what: string,
) => {
  if (p.status === 'merged')
    throw new AppError(
      'CONFLICT',
      `${what} ${p.id} was merged into ${p.mergedIntoId}: change that one instead`,
      {
        mergedIntoId: p.mergedIntoId,
      },
    );
};

/** The setting's facts an edit may change (where it stands and whose it is aside). */
export type ProvisionFacts = Omit<Partial<ProvisionWrite>, 'hostAuthorityId' | 'providerId'>;

/**
 * The one way a setting's regulator facts (and its other facts) change: by its host authority, the
 * hub-admin (each through provisions.update, or by accepting a correction) or the Ofsted import. Checks
 * the right in the access policy, applies the change version-checked, and writes the events (saying who
 * made the change) and the audit entry. `via` names the accepted correction a change comes from.
 */
export const changeRegulatorFacts = async (
  db: Db,
  actor: DirectoryActor,
  input: {
    id: string;
    version: number;
    changes: ProvisionFacts;
    moves?: Pick<Partial<ProvisionWrite>, 'hostAuthorityId' | 'providerId'>;
  },
  via?: { correctionId: string; proposerAuthorityId: string },
): Promise<Provision> => {
  const current = await getProvision(db, input.id);
  assertNotMerged(current, 'provision');
  const { id, version, changes } = input;
  const moves = input.moves ?? {};
  const editor = editorOf(actor);
  // These two facts decide who may see what about the setting: only the hub operator moves them.
  for (const field of ['hostAuthorityId', 'providerId'] as const) {
    if (moves[field] !== undefined && moves[field] !== current[field]) refuse(mayMoveProvision(editor));
  }
  const changed = (Object.keys(changes) as (keyof ProvisionFacts)[]).filter(
    (k) => changes[k] !== undefined && changes[k] !== current[k],
  );
  const right = mayChangeProvisionFacts(editor, current);
  if (changed.length > 0) refuse(right);
  // A change of registered manager makes monitoring more frequent: the host or the hub-admin records it.
  if (
    !('system' in actor) &&
    changes.registeredManagerChangedOn !== undefined &&
    changes.registeredManagerChangedOn !== current.registeredManagerChangedOn &&
    actor.role !== 'hub-admin' &&
    actor.authorityId !== current.hostAuthorityId
  )
    throw new AppError(
      'FORBIDDEN',
      "only the host authority or the hub-admin can record a change of a provision's registered manager",
    );
  await assertReferences(db, moves);
  const by = changedBy(actor);
  const [row] = await db
    .update(provisions)
    .set({ ...changes, ...moves, version: sql`${provisions.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(provisions.id, id), eq(provisions.version, version), eq(provisions.status, 'active')))
    .returning()
    .catch((err: unknown) => urnConflict(err, changes.urn));
  if (!row) throw staleVersion(`provision ${id}`, version, current.version);
  const source = via ? { correctionId: via.correctionId, proposerAuthorityId: via.proposerAuthorityId } : {};
  if (row.ofstedGrade !== current.ofstedGrade || row.ofstedGradeDate !== current.ofstedGradeDate) {
    await emitEvent(db, {
      type: 'provision.ofsted-grade-changed',
      at: actor.now,
      audience: 'members',
      provisionId: id,
      summary: {
        provisionId: id,
        name: row.name,
        urn: row.urn,
        from: current.ofstedGrade,
        to: row.ofstedGrade,
        gradeDate: row.ofstedGradeDate,
        by,
        ...source,
      },
    });
  }
  if (row.registrationStatus !== current.registrationStatus) {
    await emitEvent(db, {
      type: 'provision.registration-changed',
      at: actor.now,
      audience: 'members',
      provisionId: id,
      summary: {
        provisionId: id,
        name: row.name,
        urn: row.urn,
        from: current.registrationStatus,
        to: row.registrationStatus,
        by,
        ...source,
      },
    });
  }
  await appendAudit(db, {
    ...('system' in actor
      ? {
          authorityId: current.hostAuthorityId,
          clientId: null,
          personId: null,
          requestId: actor.requestId,
          at: actor.now,
        }
      : auditActor(actor)),
    action: 'provision.update',
    recordType: 'provision',
    recordIds: [id],
    provisionIds: [id],
    basis: right.allowed ? right.as : 'hub-admin',
    details: { version, changes: { ...changes, ...moves }, ...source },
  });
  return nameOne(db, toProvision(row));
};

export const updateProvision = async (
  db: Db,
  actor: Actor,
  input: Partial<ProvisionWrite> & { id: string; version: number },
): Promise<Provision> => {
  const { id, version, hostAuthorityId, providerId, ...changes } = input;
  return changeRegulatorFacts(db, actor, {
    id,
    version,
    changes,
    moves: {
      ...(hostAuthorityId !== undefined ? { hostAuthorityId } : {}),
      ...(providerId !== undefined ? { providerId } : {}),
    },
  });
};

export type ProvisionSearchInput = {
  q?: string | undefined;
  urn?: string | undefined;
  type?: ProvisionType | undefined;
  hostAuthorityId?: string | undefined;
  providerId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

export const searchProvisions = async (db: Db, input: ProvisionSearchInput): Promise<Page<Provision>> => {
  const rows = await db
    .select()
    .from(provisions)
    .where(
      and(
        // A merged setting is no longer listed: its survivor is.
        eq(provisions.status, 'active'),
        // A fragment of 3+ characters is served by provisions_name_trgm_idx (migration 0015) when the
        // planner does not prefer walking the name order; shorter ones are too short for trigrams.
        input.q ? ilike(provisions.name, likeContains(input.q)) : undefined,
        input.urn ? eq(provisions.urn, input.urn) : undefined,
        input.type ? eq(provisions.type, input.type) : undefined,
        input.hostAuthorityId ? eq(provisions.hostAuthorityId, input.hostAuthorityId) : undefined,
        input.providerId ? eq(provisions.providerId, input.providerId) : undefined,
        afterKeys(
          input.cursor,
          [
            { column: provisions.name, cast: 'text' },
            { column: provisions.id, cast: 'uuid' },
          ],
          'asc',
        ),
      ),
    )
    .orderBy(asc(provisions.name), asc(provisions.id))
    .limit(input.limit + 1);
  const page = toPage(rows.map(toProvision), input.limit, (p) => encodeKeys([p.name, p.id]));
  return { ...page, items: await nameAll(db, page.items) };
};
