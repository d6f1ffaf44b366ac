// One allocation vocabulary (server/src/access/allocations.ts): what reaches "the lead" reaches the
// current lead only — not an allocation whose end date has passed, one yet to begin, nor one of another
// role (fees) — and each named predicate's in-memory and SQL faces select the same rows.
import { setTimeout as sleep } from 'node:timers/promises';
import { and, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CcxEvent, EventType } from '@ccx/schema';
import {
  ALLOCATION_PREDICATES,
  allocations,
  emitGrantExpiries,
  emitOverdueMonitoring,
  headSeq,
  sequenceEvents,
  type AllocationFacts,
} from '@ccx/server/testing';
import {
  createHarness,
  DAY_MS,
  makeMember,
  plusDays,
  publishOutcome,
  queryRows,
  uniq,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z'; // a Monday
const TODAY = '2026-06-15';

let h: Harness;

beforeAll(async () => {
  // The hub's clock stands at NOW; each test and setup that moves it puts it back.
  h = await createHarness({}, { clockAt: NOW });
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  h.clock.reset();
});

const db = () => h.hub.database.db;

/** A quality allocation through the API (the hub-admin), with the given period. */
const lead = (provisionId: string, m: Member, period: { startsOn: string; endsOn?: string }) =>
  h
    .caller(h.hubAdmin)
    .allocations.assign({ provisionId, authorityId: m.id, rationale: 'test lead', ...period });

/** A fees allocation: the API assigns only quality ones, so it goes straight into the table. */
const fees = async (provisionId: string, m: Member, startsOn = '2026-01-01') => {
  await db()
    .insert(allocations)
    .values({ provisionId, authorityId: m.id, role: 'fees', startsOn, rationale: 'fee lead' });
};

/** A member and the setting where its allocation is. */
type Setting = { m: Member; provisionId: string };

/** Sequences every committed event (the sequencer may leave some for a later call). */
const settle = async (): Promise<void> => {
  const end = Date.now() + 20_000;
  for (;;) {
    await sequenceEvents(db());
    const [row] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from events where seq is null`,
    );
    if (row!.n === 0) return;
    if (Date.now() > end) throw new Error('events stayed unsequenced for 20 s');
    await sleep(10);
  }
};

/** The feed's head: events after it are new. */
const mark = async (): Promise<string> => {
  await settle();
  return String(await headSeq(db()));
};

/** The events of one type at one provision that a member sees after `since`. */
const eventsOf = async (
  m: Member,
  since: string,
  type: EventType,
  provisionId: string,
): Promise<CcxEvent[]> => {
  await settle();
  const all: CcxEvent[] = [];
  let cursor = since;
  for (;;) {
    const page = await h.caller(m.officer).events.list({ since: cursor, limit: 100, types: [type] });
    all.push(...page.items);
    if (page.items.length === 0 || page.nextSince === null) break;
    cursor = page.nextSince;
  }
  return all.filter((e) => e.type === type && e.provisionId === provisionId);
};

describe('monitoring.overdue reaches the current lead only', () => {
  let since: string;
  const who = {} as Record<'current' | 'lapsed' | 'future' | 'fees', Setting>;
  /** The current lead beside the fees allocation. */
  let feesLead: Member;

  beforeAll(async () => {
    h.clock.reset();
    // The future lead's predecessor, the lead when the visit there was published.
    const predecessor = await makeMember(h, 'odpre');
    feesLead = await makeMember(h, 'odfeelead');
    const setting = async (prefix: string) => ({
      m: await makeMember(h, prefix),
      provisionId: (await h.makeProvision()).id,
    });
    who.current = await setting('odcur');
    who.lapsed = await setting('odlapse');
    who.future = await setting('odfut');
    who.fees = await setting('odfee');
    await lead(who.current.provisionId, who.current.m, { startsOn: '2026-01-01' });
    // Current today; its end date (the first day it no longer holds) passes before monitoring falls overdue.
    await lead(who.lapsed.provisionId, who.lapsed.m, { startsOn: '2026-01-01', endsOn: plusDays(TODAY, 3) });
    await lead(who.future.provisionId, predecessor, { startsOn: '2026-01-01' });
    await lead(who.fees.provisionId, feesLead, { startsOn: '2026-01-01' });
    await fees(who.fees.provisionId, who.fees.m);
    // Only a visit its lead published (the lead at the time) counts as a setting's monitoring, and so
    // can fall overdue: each setting's visit is by its lead of today.
    const visitor = { current: who.current.m, lapsed: who.lapsed.m, future: predecessor, fees: feesLead };
    for (const [key, { provisionId }] of Object.entries(who))
      await publishOutcome(h, visitor[key as keyof typeof who].officer, provisionId, {
        nextDueOn: plusDays(TODAY, 2),
      });
    // Then the future lead is assigned (from a later date), which closes its predecessor's allocation.
    await lead(who.future.provisionId, who.future.m, { startsOn: plusDays(TODAY, 10) });
    since = await mark();
    h.clock.move(4 * DAY_MS); // today + 4: monitoring at every one of these settings is overdue
    await emitOverdueMonitoring(db(), h.hub.clock.now());
    h.clock.reset();
  });

  it('reaches a current lead', async () => {
    const events = await eventsOf(who.current.m, since, 'monitoring.overdue', who.current.provisionId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ leadAuthorityId: who.current.m.id, status: 'overdue' });
  });

  it('reaches the current lead beside a fees allocation, and not the fees allocation', async () => {
    const events = await eventsOf(feesLead, since, 'monitoring.overdue', who.fees.provisionId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ leadAuthorityId: feesLead.id, status: 'overdue' });
  });

  it.each([
    ['a lead whose end date has passed (not closed by hand)', 'lapsed'],
    ['a lead yet to begin', 'future'],
    ['a fees allocation', 'fees'],
  ] as const)('does not reach %s', async (_what, key) => {
    expect(await eventsOf(who[key].m, since, 'monitoring.overdue', who[key].provisionId)).toEqual([]);
    // The setting's monitoring is overdue all the same: the allocation, not the visit, keeps it away.
    h.clock.move(4 * DAY_MS);
    const check = await h.caller(h.hubAdmin).checks.placement({ provisionId: who[key].provisionId });
    expect(check.monitoring.status).toBe('overdue');
  });
});

describe('pre-placement grants are told to the current lead only', () => {
  // One setting with a current lead and a fees allocation beside it; one whose lead's end date has
  // passed (not yet closed by hand); one whose lead begins next month. A seeker asks at each for two
  // days; then the grants run out.
  let seeker: Member;
  let host: Member;
  let current: Member;
  let since: string;
  let grantAtCurrent: string;
  const others = {} as Record<'fees' | 'lapsed' | 'future', Setting>;
  let atCurrent: string;

  beforeAll(async () => {
    h.clock.reset();
    seeker = await makeMember(h, 'gseek');
    host = await makeMember(h, 'ghost');
    current = await makeMember(h, 'gcur');
    const setting = async () => (await h.makeProvision({ hostAuthorityId: host.id })).id;
    atCurrent = await setting();
    others.fees = { m: await makeMember(h, 'gfee'), provisionId: atCurrent };
    others.lapsed = { m: await makeMember(h, 'glapse'), provisionId: await setting() };
    others.future = { m: await makeMember(h, 'gfut'), provisionId: await setting() };
    await lead(atCurrent, current, { startsOn: '2026-01-01' });
    await fees(atCurrent, others.fees.m);
    await lead(others.lapsed.provisionId, others.lapsed.m, { startsOn: '2026-01-01', endsOn: '2026-06-01' });
    await lead(others.future.provisionId, others.future.m, { startsOn: '2026-07-01' });
    since = await mark();
    for (const provisionId of [atCurrent, others.lapsed.provisionId, others.future.provisionId]) {
      const g = await h.caller(seeker.officer).access.requestProspective({
        provisionId,
        reason: 'matching a child to this setting',
        caseReference: `PP-${uniq()}`,
        days: 2,
      });
      if (provisionId === atCurrent) grantAtCurrent = g.id;
    }
    h.clock.move(2 * DAY_MS + 1000);
    expect(await emitGrantExpiries(db(), h.hub.clock.now())).toBeGreaterThanOrEqual(3);
    h.clock.reset();
  });

  const grantsListed = async (m: Member, provisionId: string) =>
    (await h.caller(m.officer).access.grants({ provisionId, kind: 'prospective', activeOnly: false })).map(
      (g) => g.id,
    );
  const grantsAudited = async (m: Member, provisionId: string) =>
    (await h.caller(m.officer).audit.list({ scope: 'reads-at-my-provisions', limit: 200 })).items
      .filter((e) => e.provisionIds.includes(provisionId) && e.action === 'access.prospective')
      .map((e) => e.authorityId);

  it('the grantee, the host and the current lead are told of the grant and of its end', async () => {
    for (const type of ['access.prospective-granted', 'access.prospective-expired'] as const)
      for (const m of [seeker, host, current])
        expect(await eventsOf(m, since, type, atCurrent), `${type} to ${m.id}`).toHaveLength(1);
    expect(await grantsListed(current, atCurrent)).toEqual([grantAtCurrent]);
    expect(await grantsAudited(current, atCurrent)).toEqual([seeker.id]);
  });

  const notTold = [
    ['a fees allocation at the setting', 'fees'],
    ['a lead whose end date has passed (not closed by hand)', 'lapsed'],
    ['a lead yet to begin', 'future'],
  ] as const;

  describe.each(notTold)('%s', (_what, key) => {
    it('gets no access.prospective-granted event', async () => {
      const { m, provisionId } = others[key];
      expect(await eventsOf(m, since, 'access.prospective-granted', provisionId)).toEqual([]);
    });
    it('gets no access.prospective-expired event', async () => {
      const { m, provisionId } = others[key];
      expect(await eventsOf(m, since, 'access.prospective-expired', provisionId)).toEqual([]);
    });
    it('does not see the grant in access.grants', async () => {
      const { m, provisionId } = others[key];
      expect(await grantsListed(m, provisionId)).toEqual([]);
    });
    it('does not see the grant in audit.list reads-at-my-provisions', async () => {
      const { m, provisionId } = others[key];
      expect(await grantsAudited(m, provisionId)).toEqual([]);
    });
  });
});

describe('allocations: a fees allocation is no lead', () => {
  it("allocations.mine lists the caller's current lead allocations, not its fees ones", async () => {
    const m = await makeMember(h, 'minefee');
    const [pLead, pFees] = [await h.makeProvision(), await h.makeProvision()];
    const mine = await lead(pLead.id, m, { startsOn: '2026-01-01' });
    await fees(pFees.id, m);
    expect((await h.caller(m.officer).allocations.mine()).map((a) => a.id)).toEqual([mine.id]);
  });

  it('autoAllocate does not count fees allocations as a lead load when breaking a tie', async () => {
    const u = uniq();
    const members: Member[] = [];
    for (const l of ['a', 'b']) {
      const id = `${l}${l}-fee-${u}`;
      await h.makeAuthority({ id });
      members.push({
        id,
        qaInbox: `qa@${id}.example.gov.uk`,
        officer: (await h.makeClient(id, 'officer')).principal,
      });
    }
    const [x, y] = members as [Member, Member];
    await fees((await h.makeProvision()).id, x);
    const p = await h.makeProvision();
    for (const m of [x, y])
      await h
        .caller(m.officer)
        .placements.declare({ provisionId: p.id, children: 2, fromDate: '2026-01-01' });
    const result = await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true });
    const proposal = result.proposals.find((q) => q.provisionId === p.id);
    // Neither leads anywhere: the id decides.
    expect(proposal?.authorityId).toBe(x.id);
    expect(proposal?.rationale).toMatch(/each have 0 current allocations/);
  });

  it('a lead allocation yet to begin still keeps autoAllocate away; one whose end date has passed does not', async () => {
    const [x, y] = [await makeMember(h, 'autox'), await makeMember(h, 'autoy')];
    const [pFuture, pLapsed] = [await h.makeProvision(), await h.makeProvision()];
    for (const p of [pFuture, pLapsed])
      for (const m of [x, y])
        await h
          .caller(m.officer)
          .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    await lead(pFuture.id, x, { startsOn: '2026-07-01' });
    await lead(pLapsed.id, x, { startsOn: '2026-01-01', endsOn: TODAY });
    const proposed = (await h.caller(h.hubAdmin).allocations.autoAllocate({ dryRun: true })).proposals.map(
      (q) => q.provisionId,
    );
    expect(proposed).toContain(pLapsed.id);
    expect(proposed).not.toContain(pFuture.id);
  });
});

describe("each allocation predicate's SQL face selects exactly the rows its in-memory face accepts", () => {
  const POOL = 12;
  const SECOND = 1000;
  const predicates = Object.entries(ALLOCATION_PREDICATES);
  let pool: string[];
  let authorityId: string;
  let prepared: Map<string, { execute: (values: { today: string }) => Promise<{ id: string }[]> }>;

  beforeAll(async () => {
    authorityId = (await makeMember(h, 'predicates')).id;
    pool = [];
    for (let i = 0; i < POOL; i++) pool.push((await h.makeProvision()).id);
    // The placeholder form, as a statement prepared once is run (the placement check's).
    prepared = new Map(
      predicates.map(([name, p]) => [
        name,
        db()
          .select({ id: allocations.id })
          .from(allocations)
          .where(and(inArray(allocations.provisionId, pool), p.sql(sql.placeholder('today'))))
          .prepare(`ccx_test_allocation_${name}`),
      ]),
    );
  });

  // Days around today, today itself included: a start, an end (the first day no longer held), and an
  // instant it was ended by hand (any instant, even a later one, ends it).
  const day = fc.integer({ min: -3, max: 3 });
  const rowArb = fc.record({
    role: fc.constantFrom('quality', 'fees'),
    startsIn: day,
    endsIn: fc.option(day, { nil: null }),
    endedIn: fc.option(fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }), { nil: null }),
  });
  type Row = { role: string; startsIn: number; endsIn: number | null; endedIn: number | null };
  const factsOf = (r: Row): AllocationFacts => ({
    role: r.role,
    startsOn: plusDays(TODAY, r.startsIn),
    endsOn: r.endsIn === null ? null : plusDays(TODAY, r.endsIn),
    endedAt: r.endedIn === null ? null : new Date(Date.parse(NOW) + r.endedIn),
  });
  const edges: Row[] = [
    { role: 'quality', startsIn: 0, endsIn: null, endedIn: null }, // begins today
    { role: 'quality', startsIn: -1, endsIn: 0, endedIn: null }, // runs out today
    { role: 'quality', startsIn: -1, endsIn: 1, endedIn: null }, // its last day is today
    { role: 'quality', startsIn: 1, endsIn: null, endedIn: null }, // begins tomorrow
    { role: 'fees', startsIn: 0, endsIn: 1, endedIn: null },
    { role: 'quality', startsIn: -3, endsIn: null, endedIn: -SECOND }, // ended by hand a moment ago
    { role: 'quality', startsIn: 0, endsIn: 0, endedIn: null }, // an empty period
  ];

  it('on generated rows, with today as a value and as a placeholder', async () => {
    const seen = new Map(predicates.map(([name]) => [name, { accepted: 0, refused: 0 }]));
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: POOL }), async (rows) => {
        // One row per provision: allocations_one_current admits one unclosed row per provision and role.
        const inserted = await db()
          .insert(allocations)
          .values(
            rows.map((r, i) => ({
              ...factsOf(r),
              provisionId: pool[i]!,
              authorityId,
              rationale: 'generated',
            })),
          )
          .returning({ id: allocations.id });
        try {
          for (const [name, p] of predicates) {
            const expected = rows
              .map((r, i) => (p.accepts(factsOf(r), TODAY) ? inserted[i]!.id : null))
              .filter((id): id is string => id !== null)
              .sort();
            const byValue = await db()
              .select({ id: allocations.id })
              .from(allocations)
              .where(and(inArray(allocations.provisionId, pool), p.sql(TODAY)));
            const byPlaceholder = await prepared.get(name)!.execute({ today: TODAY });
            expect(byValue.map((r) => r.id).sort(), `${name}, today as a value`).toEqual(expected);
            expect(byPlaceholder.map((r) => r.id).sort(), `${name}, today as a placeholder`).toEqual(
              expected,
            );
            const count = seen.get(name)!;
            count.accepted += expected.length;
            count.refused += rows.length - expected.length;
          }
        } finally {
          await db().delete(allocations).where(inArray(allocations.provisionId, pool));
        }
      }),
      { numRuns: 150, examples: [[edges]] },
    );
    // No predicate passed by accepting everything or nothing.
    for (const [name, { accepted, refused }] of seen) {
      expect(accepted, `${name} accepted some rows`).toBeGreaterThan(0);
      expect(refused, `${name} refused some rows`).toBeGreaterThan(0);
    }
  });
});
