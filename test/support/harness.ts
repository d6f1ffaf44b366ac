// A per-file test world: a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set),
// the hub's services on it, factories with defaults, and callers acting as any client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { AuthorityCreate, ProvisionCreate, Role } from '@ccx/schema';
import {
  appRouter,
  bootstrap,
  createCallerFactory,
  createContextInner,
  createHub,
  loadConfig,
  type Config,
  type Db,
  type Hub,
  type Principal,
} from '@ccx/server';
import { insertClient, openTestDatabase } from '@ccx/server/testing';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export type Harness = Awaited<ReturnType<typeof createHarness>>;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const createHarness = async (env: Record<string, string> = {}) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-test-'));
  const config: Config = loadConfig({
    CCX_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Tests call at machine speed, not a council's: the rate limit has its own suite (test/security).
    CCX_RATE_LIMIT: '0',
    ...env,
  });
  const database = await openTestDatabase();
  const hub: Hub = await createHub({ config, database });
  const boot = await bootstrap(hub);
  const hostAuthorityId = boot.hostAuthorityId;

  /** A principal for a new (or the given) client, inserted as the API would. */
  const makeClient = async (authorityId: string, role: Role, name = `test ${role}`) => {
    const created = await insertClient(hub.database.db, { authorityId, name, role, createdBy: null });
    const principal: Principal = {
      clientId: created.client.id,
      authorityId,
      role,
      tokenId: `test-${unique()}`,
    };
    return { ...created, principal };
  };

  const hubAdmin = (await makeClient(hostAuthorityId, 'hub-admin', 'test hub-admin')).principal;

  const caller = (principal: Principal | null): Caller =>
    createCaller(createContextInner({ hub, principal }));

  const makeAuthority = async (opts: Partial<AuthorityCreate> = {}) => {
    const id = opts.id ?? `council-${unique()}`;
    return caller(hubAdmin).authorities.create({
      id,
      name: opts.name ?? `Council ${id}`,
      region: opts.region ?? 'south-east',
      qaInbox: opts.qaInbox ?? `qa@${id}.example.gov.uk`,
      ...(opts.gssCode ? { gssCode: opts.gssCode } : {}),
    });
  };

  const makeProvider = async (opts: { name?: string; companyNumber?: string } = {}) =>
    caller(hubAdmin).providers.create({
      name: opts.name ?? `Provider ${unique()}`,
      ...(opts.companyNumber ? { companyNumber: opts.companyNumber } : {}),
    });

  const makeProvision = async (opts: Partial<ProvisionCreate> = {}) => {
    const providerId = opts.providerId ?? (await makeProvider()).id;
    return caller(hubAdmin).provisions.create({
      name: `Setting ${unique()}`,
      type: 'childrens-home',
      hostAuthorityId: hostAuthorityId,
      ...opts,
      providerId,
    });
  };

  return {
    hub,
    config,
    hostAuthorityId,
    hubAdmin,
    bootstrap: boot,
    caller,
    makeClient,
    makeAuthority,
    makeProvider,
    makeProvision,
    close: async () => {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/**
 * Awaits a call that must fail with the given tRPC error code, and returns the error for further
 * checks. Fails with the actual outcome (a result, or another code and message) otherwise.
 */
export const expectTRPCError = async (
  call: Promise<unknown>,
  code: TRPC_ERROR_CODE_KEY,
): Promise<TRPCError> => {
  let outcome: unknown;
  try {
    outcome = { resolved: await call };
  } catch (err) {
    if (err instanceof TRPCError && err.code === code) return err;
    outcome = err instanceof TRPCError ? { code: err.code, message: err.message } : { thrown: String(err) };
  }
  return expect.fail(`expected a ${code} error, got ${JSON.stringify(outcome) ?? String(outcome)}`);
};

/** Rows of a raw SQL query, whichever driver runs the database (PGlite answers { rows }, postgres.js an array). */
export const queryRows = async <T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> => {
  const result: unknown = await db.execute(query);
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows as T[];
};
