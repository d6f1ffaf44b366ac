// Providers: the organisations that run settings.
import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { Page, Provider } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import { auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { providers, provisions } from '../../db/schema/index.js';
import { mayChangeProviderFacts, type DirectoryEditor } from '../../access/directory.js';
import { assertNotMerged, changedBy } from './provisions.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { staleVersion } from '../authorities/authorities.js';
import { afterKeys, encodeKeys, iso, likeContains, toPage } from '../pagination.js';

type ProviderRow = typeof providers.$inferSelect;

export const toProvider = (r: ProviderRow): Provider => ({
  id: r.id,
  name: r.name,
  companyNumber: r.companyNumber,
  status: r.status as Provider['status'],
  mergedIntoId: r.mergedIntoId,
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

/** The authorities in whose areas the provider's settings stand: its settings' hosts. */
export const providerHostAuthorityIds = async (db: Db, providerId: string): Promise<string[]> => {
  const rows = await db
    .selectDistinct({ id: provisions.hostAuthorityId })
    .from(provisions)
    .where(and(eq(provisions.providerId, providerId), eq(provisions.status, 'active')));
  return rows.map((r) => r.id);
};

/**
 * The one way a provider's facts change: by the hub-admin or the host authority of one of its settings
 * (providers.update, or accepting a correction). Version-checked and audited.
 */
export const changeProviderFacts = async (
  db: Db,
  actor: Actor,
  input: {
    id: string;
    version: number;
    changes: { name?: string | undefined; companyNumber?: string | null | undefined };
  },
  via?: { correctionId: string; proposerAuthorityId: string },
): Promise<Provider> => {
  const current = await getProvider(db, input.id);
  assertNotMerged(current, 'provider');
  const { id, version, changes } = input;
  const editor: DirectoryEditor = { authorityId: actor.authorityId, role: actor.role };
  const right = mayChangeProviderFacts(editor, { hostAuthorityIds: await providerHostAuthorityIds(db, id) });
  const changed = (Object.keys(changes) as (keyof typeof changes)[]).some(
    (k) => changes[k] !== undefined && changes[k] !== current[k],
  );
  if (changed && !right.allowed) throw new AppError('FORBIDDEN', right.reason);
  try {
    const [row] = await db
      .update(providers)
      .set({ ...changes, version: sql`${providers.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(providers.id, id), eq(providers.version, version), eq(providers.status, 'active')))
      .returning();
    if (!row) throw staleVersion(`provider ${id}`, version, current.version);
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'provider.update',
      recordType: 'provider',
      recordIds: [id],
      basis: right.allowed ? right.as : 'hub-admin',
      details: { version, changes, ...(via ?? {}), by: changedBy(actor) },
    });
    return toProvider(row);
  } catch (err) {
    return companyConflict(err, changes.companyNumber);
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
  const { id, version, ...changes } = input;
  return changeProviderFacts(db, actor, { id, version, changes });
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
        // A merged provider is no longer listed: its survivor is.
        eq(providers.status, 'active'),
        // A fragment of 3+ characters is served by providers_name_trgm_idx (migration 0015) when the
        // planner does not prefer walking the name order; shorter ones are too short for trigrams.
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
