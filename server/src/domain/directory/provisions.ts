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
  postcode: r.postcode,
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

export const updateProvision = async (
  db: Db,
  actor: Actor,
  input: Partial<ProvisionWrite> & { id: string; version: number },
): Promise<Provision> => {
  const current = await getProvision(db, input.id);
  const { id, version, ...changes } = input;
  if (actor.role !== 'hub-admin') {
    // These two facts decide who may see what about the setting: only the hub operator moves them.
    for (const field of ['hostAuthorityId', 'providerId'] as const) {
      if (changes[field] !== undefined && changes[field] !== current[field]) {
        throw new AppError(
          'FORBIDDEN',
          `only the hub-admin can change a provision's ${field}: it decides who may see its records`,
        );
      }
    }
  }
  await assertReferences(db, changes);
  try {
    const [row] = await db
      .update(provisions)
      .set({ ...changes, version: sql`${provisions.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(provisions.id, id), eq(provisions.version, version)))
      .returning();
    if (!row) throw staleVersion(`provision ${id}`, version, current.version);
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
        },
      });
    }
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'provision.update',
      recordType: 'provision',
      recordIds: [id],
      provisionIds: [id],
      basis: actor.role,
      details: { version, changes },
    });
    return nameOne(db, toProvision(row));
  } catch (err) {
    return urnConflict(err, changes.urn);
  }
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
