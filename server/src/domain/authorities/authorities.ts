// Member authorities: the hub-admin admits and updates them; every member can list them.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Authority, AuthorityCreate, AuthorityUpdate, MembershipStatus } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import { auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { authorities } from '../../db/schema/index.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { iso } from '../pagination.js';

type AuthorityRow = typeof authorities.$inferSelect;

export const toAuthority = (r: AuthorityRow): Authority => ({
  id: r.id,
  name: r.name,
  gssCode: r.gssCode,
  region: r.region as Authority['region'],
  status: r.status as MembershipStatus,
  qaInbox: r.qaInbox,
  isHost: r.isHost,
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const listAuthorities = async (
  db: Db,
  filter: { status?: MembershipStatus },
): Promise<Authority[]> => {
  const rows = await db
    .select()
    .from(authorities)
    .where(filter.status ? eq(authorities.status, filter.status) : undefined)
    .orderBy(asc(authorities.name), asc(authorities.id));
  return rows.map(toAuthority);
};

export const getAuthority = async (db: Db, id: string): Promise<Authority> => {
  const [row] = await db.select().from(authorities).where(eq(authorities.id, id));
  if (!row) throw notFound(`authority ${id}`);
  return toAuthority(row);
};

const uniqueViolation = (err: unknown, input: { id?: string; gssCode?: string | null }): never => {
  if (pgErrorCode(err) === '23505') {
    const detail = String((err as { cause?: { detail?: string } }).cause?.detail ?? '');
    if (detail.includes('gss_code') && input.gssCode) {
      throw new AppError('CONFLICT', `an authority with GSS code ${input.gssCode} already exists`);
    }
    throw new AppError('CONFLICT', `an authority with id ${input.id} already exists`);
  }
  throw err;
};

export const createAuthority = async (db: Db, actor: Actor, input: AuthorityCreate): Promise<Authority> => {
  try {
    const [row] = await db
      .insert(authorities)
      .values({
        id: input.id,
        name: input.name,
        gssCode: input.gssCode ?? null,
        region: input.region,
        qaInbox: input.qaInbox,
      })
      .returning();
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'authority.create',
      recordType: 'authority',
      recordIds: [input.id],
      basis: actor.role,
      details: { ...input },
    });
    return toAuthority(row!);
  } catch (err) {
    return uniqueViolation(err, input);
  }
};

export const updateAuthority = async (db: Db, actor: Actor, input: AuthorityUpdate): Promise<Authority> => {
  const current = await getAuthority(db, input.id);
  if (current.isHost && input.status !== undefined && input.status !== 'active') {
    throw new AppError('FORBIDDEN', 'the host authority runs the hub and cannot be suspended or removed');
  }
  const { id, version, ...changes } = input;
  try {
    const [row] = await db
      .update(authorities)
      .set({ ...changes, version: sql`${authorities.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(authorities.id, id), eq(authorities.version, version)))
      .returning();
    if (!row) throw staleVersion(`authority ${id}`, version, current.version);
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'authority.update',
      recordType: 'authority',
      recordIds: [id],
      basis: actor.role,
      details: { version, changes },
    });
    return toAuthority(row);
  } catch (err) {
    return uniqueViolation(err, { id, gssCode: changes.gssCode });
  }
};

export const staleVersion = (what: string, given: number, current: number): AppError =>
  new AppError(
    'CONFLICT',
    `${what} has changed: you sent version ${given}, the current version is ${current}; reload and retry`,
    {
      currentVersion: current,
    },
  );
