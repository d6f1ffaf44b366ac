// Providers: the organisations that run settings.
import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { Page, Provider } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import { auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { providers } from '../../db/schema/index.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { staleVersion } from '../authorities/authorities.js';
import { afterKeys, encodeKeys, iso, likeContains, toPage } from '../pagination.js';

type ProviderRow = typeof providers.$inferSelect;

const toProvider = (r: ProviderRow): Provider => ({
  id: r.id,
  name: r.name,
  companyNumber: r.companyNumber,
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const companyConflict = (err: unknown, companyNumber: string | null | undefined): never => {
  if (pgErrorCode(err) === '23505') {
    throw new AppError('CONFLICT', `a provider with Companies House number ${companyNumber} already exists`);
  }
  throw err;
};

export const getProvider = async (db: Db, id: string): Promise<Provider> => {
  const [row] = await db.select().from(providers).where(eq(providers.id, id));
  if (!row) throw notFound(`provider ${id}`);
  return toProvider(row);
};

export const createProvider = async (
  db: Db,
  actor: Actor,
  input: { name: string; companyNumber?: string | undefined },
): Promise<Provider> => {
  try {
    const [row] = await db
      .insert(providers)
      .values({ name: input.name, companyNumber: input.companyNumber ?? null })
      .returning();
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'provider.create',
      recordType: 'provider',
      recordIds: [row!.id],
      basis: actor.role,
      details: { ...input },
    });
    return toProvider(row!);
  } catch (err) {
    return companyConflict(err, input.companyNumber);
  }
};

export const updateProvider = async (
  db: Db,
  actor: Actor,
  input: {
    id: string;
    version: number;
    name?: string | undefined;
    companyNumber?: string | null | undefined;
  },
): Promise<Provider> => {
  const current = await getProvider(db, input.id);
  const { id, version, ...changes } = input;
  try {
    const [row] = await db
      .update(providers)
      .set({ ...changes, version: sql`${providers.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(providers.id, id), eq(providers.version, version)))
      .returning();
    if (!row) throw staleVersion(`provider ${id}`, version, current.version);
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'provider.update',
      recordType: 'provider',
      recordIds: [id],
      basis: actor.role,
      details: { version, changes },
    });
    return toProvider(row);
  } catch (err) {
    return companyConflict(err, changes.companyNumber);
  }
};

export const searchProviders = async (
  db: Db,
  input: {
    q?: string | undefined;
    companyNumber?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<Page<Provider>> => {
  const rows = await db
    .select()
    .from(providers)
    .where(
      and(
        input.q ? ilike(providers.name, likeContains(input.q)) : undefined,
        input.companyNumber ? eq(providers.companyNumber, input.companyNumber) : undefined,
        afterKeys(
          input.cursor,
          [
            { column: providers.name, cast: 'text' },
            { column: providers.id, cast: 'uuid' },
          ],
          'asc',
        ),
      ),
    )
    .orderBy(asc(providers.name), asc(providers.id))
    .limit(input.limit + 1);
  return toPage(rows.map(toProvider), input.limit, (p) => encodeKeys([p.name, p.id]));
};
