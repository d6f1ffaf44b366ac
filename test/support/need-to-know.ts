// Helpers for the need-to-know suites (placements, allocations, outcomes, grants, audit): a fixed
// clock, error expectations, raw SQL rows on either driver, bulk provisions and outcome inputs.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { OutcomeCreate } from '@ccx/schema';
import type { Db, Hub, Principal } from '@ccx/server';
import type { Harness } from './harness.js';

let counter = 0;
/** A short unique suffix, safe inside authority slugs (lower-case letters and digits). */
export const uniq = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Awaits a call that must fail with the given tRPC error code; returns the error. */
export const expectCode = async (call: Promise<unknown>, code: TRPC_ERROR_CODE_KEY): Promise<TRPCError> => {
  let outcome: unknown;
  try {
    outcome = { resolved: await call };
  } catch (err) {
    if (err instanceof TRPCError && err.code === code) return err;
    outcome = err instanceof TRPCError ? { code: err.code, message: err.message } : String(err);
  }
  return expect.fail(`expected a ${code} error, got ${JSON.stringify(outcome)}`);
};

/** Rows of a raw query, whichever driver runs the database (PGlite answers { rows }, postgres.js an array). */
export const rowsOf = async <T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> => {
  const result: unknown = await db.execute(query);
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows as T[];
};

/** Sets the hub's clock to a fixed instant; returns a function that puts the real clock back. */
export const fixClock = (hub: Hub, at: Date | string): (() => void) => {
  const previous = hub.clock.now;
  const fixed = new Date(at);
  hub.clock.now = () => new Date(fixed);
  return () => {
    hub.clock.now = previous;
  };
};

/** Moves a fixed clock by some milliseconds (it must have been fixed with fixClock). */
export const moveClock = (hub: Hub, ms: number): void => {
  const next = new Date(hub.clock.now().getTime() + ms);
  hub.clock.now = () => new Date(next);
};

export const DAY_MS = 86_400_000;

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
  const rows = await rowsOf<{ id: string; urn: string }>(
    db,
    sql`select id::text as id, urn from provisions where name like ${`${opts.namePrefix} %`} order by urn`,
  );
  return rows;
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
export type Member = { id: string; qaInbox: string; officer: Principal };

/** A new member authority with an officer client. */
export const makeMember = async (h: Harness, prefix: string): Promise<Member> => {
  const id = `${prefix}-${uniq()}`;
  const authority = await h.makeAuthority({ id });
  const officer = (await h.makeClient(authority.id, 'officer', `${prefix} officer`)).principal;
  return { id: authority.id, qaInbox: authority.qaInbox, officer };
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
  await h.caller(h.hubAdmin).allocations.assign({
    provisionId: provision.id,
    authorityId: lead.id,
    rationale: 'lead by agreement',
    startsOn: '2026-01-01',
  });
  const placement = await h
    .caller(placing.officer)
    .placements.declare({ provisionId: provision.id, children: 2, fromDate: '2026-01-01' });
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
