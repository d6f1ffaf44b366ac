// API clients of an authority. An authority's admin manages its own clients; the hub-admin manages all.
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { roleRank, type Client, type ClientCreate, type ClientCreated, type Role } from '@ccx/schema';
import { hashSecret, newClientId, newClientSecret, secretMatches } from '../../auth/secrets.js';
import { appendAudit } from '../../audit/index.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { nameAll, nameOne } from '../../db/names.js';
import { authorities, clients } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { iso, isoOrNull } from '../pagination.js';

type ClientRow = typeof clients.$inferSelect;

const toClient = (r: ClientRow): Client => ({
  id: r.id,
  authorityId: r.authorityId,
  name: r.name,
  role: r.role as Role,
  status: r.status as Client['status'],
  createdAt: iso(r.createdAt),
  revokedAt: isoOrNull(r.revokedAt),
  lastUsedAt: isoOrNull(r.lastUsedAt),
});

const HUB_ADMIN_REVOKE_LOCK = 0x63637803;

const isHubAdmin = (p: { role: Role }): boolean => p.role === 'hub-admin';

/** Inserts a client and returns it with its secret, which is never stored or shown again. */
export const insertClient = async (
  db: Db,
  input: { authorityId: string; name: string; role: Role; createdBy: string | null },
): Promise<ClientCreated> => {
  const clientSecret = newClientSecret();
  const [row] = await db
    .insert(clients)
    .values({
      id: newClientId(),
      authorityId: input.authorityId,
      name: input.name,
      role: input.role,
      secretHash: hashSecret(clientSecret),
      createdBy: input.createdBy,
    })
    .returning();
  return { client: toClient(row!), clientSecret };
};

export const createClient = async (db: Db, principal: Actor, input: ClientCreate): Promise<ClientCreated> => {
  const authorityId = input.authorityId ?? principal.authorityId;
  if (authorityId !== principal.authorityId && !isHubAdmin(principal)) {
    throw new AppError('FORBIDDEN', 'an authority admin can create clients only for its own authority');
  }
  if (roleRank(input.role) > roleRank(principal.role)) {
    throw new AppError(
      'FORBIDDEN',
      `you cannot create a client with a higher role (${input.role}) than your own (${principal.role})`,
    );
  }
  const [authority] = await db
    .select({ isHost: authorities.isHost, status: authorities.status })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  if (!authority) throw notFound(`authority ${authorityId}`);
  if (input.role === 'hub-admin' && !authority.isHost) {
    throw new AppError('FORBIDDEN', 'the hub-admin role exists only on the host authority');
  }
  if (authority.status !== 'active') {
    throw new AppError(
      'FORBIDDEN',
      `authority ${authorityId} is ${authority.status}; clients can be created only for active members`,
    );
  }
  const created = await insertClient(db, {
    authorityId,
    name: input.name,
    role: input.role,
    createdBy: actedBy(principal),
  });
  await appendAudit(db, {
    ...auditActor(principal),
    action: 'client.create',
    recordType: 'client',
    recordIds: [created.client.id],
    basis: principal.role,
    details: { authorityId, name: input.name, role: input.role },
  });
  return { ...created, client: await nameOne(db, created.client) };
};

export const listClients = async (
  db: Db,
  principal: Actor,
  input: { authorityId?: string },
): Promise<Client[]> => {
  const authorityId = isHubAdmin(principal)
    ? input.authorityId
    : (input.authorityId ?? principal.authorityId);
  if (authorityId && authorityId !== principal.authorityId && !isHubAdmin(principal)) {
    throw new AppError('FORBIDDEN', 'an authority admin can list only its own clients');
  }
  const rows = await db
    .select()
    .from(clients)
    .where(authorityId ? eq(clients.authorityId, authorityId) : undefined)
    .orderBy(desc(clients.createdAt), clients.id);
  // A hub-admin lists every authority's clients: each names its authority.
  return nameAll(db, rows.map(toClient));
};

export const revokeClient = async (db: Db, principal: Actor, id: string): Promise<Client> => {
  const [row] = await db.select().from(clients).where(eq(clients.id, id));
  // Another authority's client is answered as missing, not forbidden: its existence is not the caller's business.
  if (!row || (row.authorityId !== principal.authorityId && !isHubAdmin(principal)))
    throw notFound(`client ${id}`);
  if (row.status === 'revoked') return nameOne(db, toClient(row));
  if (row.role === 'hub-admin') {
    // Serialise hub-admin revocations, so two at once cannot both see the other as "another active one".
    await db.execute(sql`select pg_advisory_xact_lock(${HUB_ADMIN_REVOKE_LOCK})`);
    const [others] = await db
      .select({ n: count() })
      .from(clients)
      .where(and(eq(clients.role, 'hub-admin'), eq(clients.status, 'active'), sql`${clients.id} <> ${id}`));
    if (!others || others.n === 0) {
      throw new AppError(
        'CONFLICT',
        'this is the last active hub-admin client; create another before revoking it',
      );
    }
  }
  const [updated] = await db
    .update(clients)
    .set({ status: 'revoked', revokedAt: sql`now()` })
    .where(eq(clients.id, id))
    .returning();
  await appendAudit(db, {
    ...auditActor(principal),
    action: 'client.revoke',
    recordType: 'client',
    recordIds: [id],
    basis: principal.role,
    details: { authorityId: row.authorityId },
  });
  return nameOne(db, toClient(updated!));
};

export type AuthenticatedClient = { clientId: string; authorityId: string; role: Role };

/** Checks a client's credentials for the token endpoint; undefined for any failure, without saying which. */
export const authenticateClient = async (
  db: Db,
  clientId: string,
  secret: string,
): Promise<AuthenticatedClient | undefined> => {
  const [row] = await db
    .select({
      id: clients.id,
      authorityId: clients.authorityId,
      role: clients.role,
      secretHash: clients.secretHash,
      status: clients.status,
      authorityStatus: authorities.status,
    })
    .from(clients)
    .innerJoin(authorities, eq(authorities.id, clients.authorityId))
    .where(eq(clients.id, clientId));
  const ok = secretMatches(secret, row?.secretHash);
  if (!row || !ok || row.status !== 'active' || row.authorityStatus !== 'active') return undefined;
  await db
    .update(clients)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(clients.id, row.id));
  return { clientId: row.id, authorityId: row.authorityId, role: row.role as Role };
};

/** The calling client's own record, for authorities.me. */
export const getOwnClient = async (db: Db, clientId: string): Promise<Client> => {
  const [row] = await db.select().from(clients).where(eq(clients.id, clientId));
  if (!row) throw notFound(`client ${clientId}`);
  // authorities.me answers the authority beside it: the client need not name it again.
  return toClient(row);
};
