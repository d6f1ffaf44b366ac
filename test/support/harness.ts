// The test world: a hub on a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set),
// factories with defaults, callers acting as any client, a clock tests can stop and move, the helpers
// the suites share, and `test`: vitest's fixtures giving each test file its world.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { sql, type SQL } from 'drizzle-orm';
import { test as base, expect, type TestAPI } from 'vitest';
import type { AuthorityCreate, OutcomeCreate, ProvisionCreate, Role } from '@ccx/schema';
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
  type ClientPrincipal,
  type Principal,
} from '@ccx/server';
import {
  insertClient,
  newPersonId,
  openSession,
  openTestDatabase,
  rowsOf,
  tables,
} from '@ccx/server/testing';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

let counter = 0;
/** A short unique suffix, safe inside authority slugs (lower-case letters and digits). */
export const uniq = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const DAY_MS = 86_400_000;

/** The hub's clock in a test: stopped at an instant and moved at will, or running in real time. */
export type TestClock = {
  now(): Date;
  /** Stops the clock at an instant. */
  set(at: Date | string): void;
  /** Moves the clock by some milliseconds from where it stands, and stops it there. */
  move(ms: number): void;
  /** Puts the clock back where every test starts: the file's instant, or real time when it has none. */
  reset(): void;
};

const controlClock = (hub: Hub, startsAt: Date | string | null): TestClock => {
  const real = hub.clock.now;
  const set = (at: Date | string) => {
    const fixed = new Date(at);
    hub.clock.now = () => new Date(fixed);
  };
  const reset = () => {
    if (startsAt === null) hub.clock.now = real;
    else set(startsAt);
  };
  reset();
  return {
    now: () => hub.clock.now(),
    set,
    move: (ms) => set(new Date(hub.clock.now().getTime() + ms)),
    reset,
  };
};

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** The tests' hubs serve /metrics on the API port to a scraper bearing this token (CCX_METRICS_TOKEN). */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';
/** The headers of a Prometheus scraper of the tests' hubs. */
export const METRICS_HEADERS = { authorization: `Bearer ${METRICS_TOKEN}` } as const;

/**
 * A hub configured by `env` (over the tests' defaults) on a database of its own. `clockAt` stops its
 * clock at that instant once it has bootstrapped; `clock.reset()` comes back to it.
 */
export const createHarness = async (
  env: Record<string, string> = {},
  opts: { clockAt?: Date | string | null } = {},
) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-test-'));
  const config: Config = loadConfig({
    CCX_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Tests call at machine speed, not a council's: the rate limit has its own suite (test/security).
    CCX_RATE_LIMIT: '0',
    CCX_METRICS_TOKEN: METRICS_TOKEN,
    ...env,
  });
  const database = await openTestDatabase();
  const hub: Hub = await createHub({ config, database });
  const boot = await bootstrap(hub);
  const hostAuthorityId = boot.hostAuthorityId;
  const clock = controlClock(hub, opts.clockAt ?? null);

  /** A principal for a new (or the given) client, inserted as the API would. */
  const makeClient = async (authorityId: string, role: Role, name = `test ${role}`) => {
    const created = await insertClient(hub.database.db, { authorityId, name, role, createdBy: null });
    const principal: ClientPrincipal = {
      clientId: created.client.id,
      authorityId,
      role,
      tokenId: `test-${uniq()}`,
    };
    return { ...created, principal };
  };

  const hubAdmin = (await makeClient(hostAuthorityId, 'hub-admin', 'test hub-admin')).principal;

  /**
   * An active person with a signed-in session, inserted as sign-in would leave them: the principal a
   * session call carries, and the cookie a browser would send.
   */
  const makePerson = async (authorityId: string, role: Role, name = `Test ${role} person`) => {
    const [person] = await hub.database.db
      .insert(tables.people)
      .values({
        id: newPersonId(),
        authorityId,
        email: `${role}-${uniq()}@${authorityId}.example.gov.uk`,
        name,
        role,
        status: 'active',
        // A local account as set-up leaves it, but with a hash no password matches: this person
        // signs in only through the session made here.
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$no-password$no-password',
        totpSecret: 'JBSWY3DPEHPK3PXP',
        totpConfirmedAt: hub.clock.now(),
        activatedAt: hub.clock.now(),
      })
      .returning();
    const session = await openSession(hub.database.db, {
      personId: person!.id,
      stage: 'active',
      method: 'test',
      now: hub.clock.now(),
      lifetimeSeconds: config.sessions.maxSeconds,
    });
    const principal: Principal = {
      authorityId,
      role,
      clientId: null,
      personId: person!.id,
      sessionHandle: session.handle,
    };
    return {
      person: person!,
      principal,
      sessionSecret: session.secret,
      cookie: `ccx_session=${session.secret}`,
    };
  };

  const caller = (principal: Principal | null): Caller =>
    createCaller(createContextInner({ hub, principal }));

  const makeAuthority = async (opts: Partial<AuthorityCreate> = {}) => {
    const id = opts.id ?? `council-${uniq()}`;
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
      name: opts.name ?? `Provider ${uniq()}`,
      ...(opts.companyNumber ? { companyNumber: opts.companyNumber } : {}),
    });

  const makeProvision = async (opts: Partial<ProvisionCreate> = {}) => {
    const providerId = opts.providerId ?? (await makeProvider()).id;
    return caller(hubAdmin).provisions.create({
      name: `Setting ${uniq()}`,
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
    clock,
    db: hub.database.db,
    caller,
    makeClient,
    makePerson,
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

/** Awaits a database statement that must fail; answers the messages of the error and its causes (drizzle wraps driver errors). */
export const expectDbRefusal = async (statement: Promise<unknown>): Promise<string> => {
  let outcome: unknown;
  try {
    outcome = await statement;
  } catch (err) {
    const messages: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' | ');
  }
  return expect.fail(`expected the database to refuse, got ${JSON.stringify(outcome)}`);
};

/** Rows of a raw SQL query, whichever driver runs the database (PGlite answers { rows }, postgres.js an array). */
export const queryRows = async <T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> =>
  rowsOf<T>(await db.execute(query));

/** YYYY-MM-DD plus some days. */
export const plusDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Today in England, as the hub dates things. */
export const londonToday = (now: Date): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

/**
 * Inserts many provisions in one statement (the factories go through the API, far too slowly for
 * thousands). URNs are `prefix` followed by a zero-padded number, so pick a prefix no other test uses.
 */
export const insertProvisions = async (
  db: Db,
  opts: { count: number; providerId: string; hostAuthorityId: string; urnPrefix: string; namePrefix: string },
): Promise<{ id: string; urn: string }[]> => {
  const digits = 7 - opts.urnPrefix.length;
  await db.execute(sql`
    insert into provisions (provider_id, name, urn, type, host_authority_id)
    select ${opts.providerId}::uuid, ${opts.namePrefix} || ' ' || g, ${opts.urnPrefix} || lpad(g::text, ${digits}, '0'),
           'childrens-home', ${opts.hostAuthorityId}
    from generate_series(1, ${opts.count}) as g`);
  return queryRows<{ id: string; urn: string }>(
    db,
    sql`select id::text as id, urn from provisions where name like ${`${opts.namePrefix} %`} order by urn`,
  );
};

/** A full outcome input with distinctive texts, so tests can look for them in any answer. */
export const outcomeInput = (
  provisionId: string,
  overrides: Partial<OutcomeCreate> = {},
): OutcomeCreate & { summary: string; findings: string } => {
  const tag = uniq();
  return {
    provisionId,
    activityType: 'unannounced-visit',
    activityDate: '2026-06-01',
    announced: false,
    overallRating: 3,
    sectionJudgements: [
      { section: 'safeguarding', judgement: 'requires-improvement', comment: `comment ${tag}` },
    ],
    summary: `summary text ${tag}`,
    findings: `findings text ${tag}`,
    actionItems: [{ description: `action ${tag}`, concernLevel: 'medium' }],
    nextDueOn: '2026-12-01',
    ...overrides,
  };
};

/** One member authority in a test world, with an officer client (the usual actor) and its id. */
export type Member = { id: string; qaInbox: string; officer: ClientPrincipal };

/** A new member authority with an officer client. */
export const makeMember = async (h: Harness, prefix: string): Promise<Member> => {
  const id = `${prefix}-${uniq()}`;
  const authority = await h.makeAuthority({ id });
  const officer = (await h.makeClient(authority.id, 'officer', `${prefix} officer`)).principal;
  return { id: authority.id, qaInbox: authority.qaInbox, officer };
};

/**
 * Makes `lead` the lead authority of a provision (its quality allocation, by the hub admin) and
 * declares `children` placed there by `placing`; answers the declaration.
 */
export const leadAndPlace = async (
  h: Harness,
  provisionId: string,
  opts: {
    lead: string;
    rationale: string;
    startsOn: string;
    placing: ClientPrincipal;
    children: number;
    fromDate: string;
  },
) => {
  await h.caller(h.hubAdmin).allocations.assign({
    provisionId,
    authorityId: opts.lead,
    rationale: opts.rationale,
    startsOn: opts.startsOn,
  });
  return h
    .caller(opts.placing)
    .placements.declare({ provisionId, children: opts.children, fromDate: opts.fromDate });
};

/**
 * The usual need-to-know world around one provision P: the host authority H (P stands in its area),
 * the lead L (current quality allocation), a placing authority PL (open declaration of 2 children),
 * a bare member M, and a publisher X with no basis at P of its own.
 */
export const makeWorld = async (h: Harness) => {
  const host = await makeMember(h, 'host');
  const lead = await makeMember(h, 'lead');
  const placing = await makeMember(h, 'placing');
  const member = await makeMember(h, 'member');
  const publisher = await makeMember(h, 'publisher');
  const provision = await h.makeProvision({ hostAuthorityId: host.id });
  const placement = await leadAndPlace(h, provision.id, {
    lead: lead.id,
    rationale: 'lead by agreement',
    startsOn: '2026-01-01',
    placing: placing.officer,
    children: 2,
    fromDate: '2026-01-01',
  });
  return { host, lead, placing, member, publisher, provision, placement };
};
export type World = Awaited<ReturnType<typeof makeWorld>>;

/** Creates an outcome as a draft and publishes it; answers the published detail. */
export const publishOutcome = async (
  h: Harness,
  who: Principal,
  provisionId: string,
  overrides: Partial<OutcomeCreate> = {},
) => {
  const input = outcomeInput(provisionId, overrides);
  const draft = await h.caller(who).outcomes.create(input);
  if (draft.layer !== 'detail') throw new Error('a new draft should be seen in detail by its writer');
  const published = await h.caller(who).outcomes.publish({ id: draft.id, version: draft.version });
  if (published.layer !== 'detail')
    throw new Error('a published outcome should be seen in detail by its publisher');
  return { ...published, input };
};

/** The fixtures a test API gives its tests and hooks: `FixturesOf<typeof test>`. */
export type FixturesOf<T> = T extends TestAPI<infer C> ? C : never;

/**
 * The fixtures of a test file. `h`, the harness, is built once per file (and closed after its last
 * test), on the file's `hubEnv`; `w`, the need-to-know world of `makeWorld`, too, when a test or
 * hook asks for it. When the file sets `clockAt`, the hub's clock stands at that instant; `clock`
 * moves it in a test and puts it back after each one. A file sets its options at its top:
 *
 *     test.override({ clockAt: '2026-06-15T10:00:00Z', hubEnv: { CCX_MAX_BATCH_SIZE: '5' } });
 *
 * Hooks take the file's fixtures too: `test.beforeAll(async ({ h, w }) => { ... })`. A file adds its
 * own with `test.extend(name, { scope: 'file' }, ({ h }) => ...)`; vitest reads which fixtures a test
 * uses from its destructuring pattern, so take them by name (`async ({ h, clock }) => ...`), and name
 * none `caller`, `callee` or `arguments`.
 */
export const test = base
  .extend('hubEnv', { scope: 'file' }, {} as Record<string, string>)
  .extend('clockAt', { scope: 'file' }, null as string | null)
  .extend('h', { scope: 'file' }, async ({ hubEnv, clockAt }, { onCleanup }) => {
    const h = await createHarness(hubEnv, { clockAt });
    onCleanup(() => h.close());
    return h;
  })
  .extend('w', { scope: 'file' }, ({ h }) => makeWorld(h))
  .extend('clock', { auto: true }, ({ h }, { onCleanup }) => {
    h.clock.reset();
    onCleanup(() => h.clock.reset());
    return h.clock;
  });
