// fast-check arbitraries for random policy worlds, shared by the property tests. An arbitrary draws a
// plan — counts, list indices, day and instant offsets, coin tosses — that fast-check can shrink; a
// plan becomes a World (authorities, providers, provisions, placements, allocations, grants) around a
// `now` on the edges of the London day, with ids of its own (world number `w`), so that several
// worlds share the database between truncations.
import fc from 'fast-check';
import {
  londonDate,
  type Decision,
  type PolicyRecord,
  type World,
  type WorldAllocation,
  type WorldGrant,
  type WorldPlacement,
} from '@ccx/server/testing';

const basesOf = (d: Decision) => d.bases.map((b) => b.basis).sort();

/**
 * The three faces' answers for one (caller, record) pair when they disagree, or null when the SQL
 * layer, the loaded decision and the in-memory one agree on layer, rule, basis and bases.
 */
export const facesDisagree = (
  caller: string,
  record: PolicyRecord,
  inMemory: Decision,
  sqlLayer: string | undefined,
  loaded: Decision,
) =>
  sqlLayer !== inMemory.layer ||
  loaded.layer !== inMemory.layer ||
  loaded.rule !== inMemory.rule ||
  loaded.basis !== inMemory.basis ||
  basesOf(loaded).join() !== basesOf(inMemory).join()
    ? {
        caller,
        record,
        inMemory: {
          layer: inMemory.layer,
          rule: inMemory.rule,
          basis: inMemory.basis,
          bases: basesOf(inMemory),
        },
        sql: sqlLayer,
        loaded: { layer: loaded.layer, rule: loaded.rule, basis: loaded.basis, bases: basesOf(loaded) },
      }
    : null;

export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * SECOND;

// Instants on the edges of the London day: GMT noon, late evening UTC in summer time (when London is
// already on the next day), the nights the clocks change, and the last millisecond of a year.
export const NOWS = [
  '2026-11-23T12:00:00.000Z',
  '2026-07-01T23:30:00.000Z',
  '2026-06-15T23:00:00.000Z',
  '2026-03-29T00:30:00.000Z',
  '2026-03-29T01:30:00.000Z',
  '2026-10-24T23:30:00.000Z',
  '2026-10-25T00:30:00.000Z',
  '2026-12-31T23:59:59.999Z',
];

export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** A readable uuid: what it is (kind), which world it belongs to, and its number there. */
export const uuid = (kind: number, world: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-${(world % 0x10000).toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** True with probability `p` (in hundredths). */
export const chance = (p: number): fc.Arbitrary<boolean> => {
  const yes = Math.round(p * 100);
  return fc.oneof(
    { weight: 100 - yes, arbitrary: fc.constant(false) },
    { weight: yes, arbitrary: fc.constant(true) },
  );
};

/** One of the values, each as likely as the others (a value listed twice is twice as likely). */
export const oneOf = <const T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

/** An index into a list drawn alongside it: taken modulo the list's length (60 divides evenly by 1–6). */
export const index = fc.nat({ max: 59 });
const at = <T>(xs: readonly T[], i: number): T => {
  const x = xs[i % xs.length];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
};

/** The world's now: three times in four an instant on the edge of a London day, else any instant of 2026. */
export const nowArb: fc.Arbitrary<Date> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NOWS).map((s) => new Date(s)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: DAY - 1 }))
      .map(([day, ms]) => new Date(Date.UTC(2026, 0, 1) + day * DAY + ms)),
  },
);
/** A date near today, in days: long ago, last month, the days around today (most often), next month. */
export const dayOffset = oneOf(-400, -30, -2, -1, -1, 0, 0, 0, 1, 1, 2, 30);
/** An instant near now: a week, a day, a second or a millisecond either side, or now itself. */
export const instantOffset = oneOf(-7 * DAY, -DAY, -SECOND, -1, 0, 1, SECOND, DAY, 7 * DAY);

export type Range = { min: number; max: number };
export type WorldSizes = {
  authorities: Range;
  providers: Range;
  provisions: Range;
  placements: Range;
  allocations: Range;
  grants: Range;
  records: Range;
  /** The chance that a grant is a share of a record rather than a prospective grant. */
  share: number;
};

const list = <T>(arb: fc.Arbitrary<T>, r: Range) => fc.array(arb, { minLength: r.min, maxLength: r.max });

/**
 * The plan of a world, with records of the caller's kind (`record` draws one). Without fast-check's
 * bias towards small and extreme values, so every count and choice is as likely as the others, as in
 * the seeded generator these tests used before: worlds as full and as varied.
 */
export const worldPlanArb = <R>(sizes: WorldSizes, record: fc.Arbitrary<R>) =>
  fc.noBias(
    fc.record({
      now: nowArb,
      authorities: list(
        fc.record({ active: chance(0.8), otherwise: oneOf('suspended', 'left') }),
        sizes.authorities,
      ),
      providers: fc.integer(sizes.providers),
      provisions: list(fc.record({ provider: index, host: index }), sizes.provisions),
      placements: list(
        fc.record({
          authority: index,
          provision: index,
          children: fc.integer({ min: 1, max: 3 }),
          from: dayOffset,
          ended: chance(0.5),
          endedOn: dayOffset,
        }),
        sizes.placements,
      ),
      allocations: list(
        fc.record({
          authority: index,
          provision: index,
          startsOn: dayOffset,
          openEnded: chance(0.5),
          endsOn: dayOffset,
          ended: chance(0.3),
          endedAt: instantOffset,
        }),
        sizes.allocations,
      ),
      records: list(record, sizes.records),
      grants: list(
        fc.record({
          authority: index,
          revoked: chance(0.2),
          revokedAt: instantOffset,
          share: chance(sizes.share),
          record: index,
          namesRecordProvision: chance(0.8),
          provision: index,
          expires: chance(0.5),
          expiresAt: instantOffset,
        }),
        sizes.grants,
      ),
      unknownCaller: chance(0.3),
      hubHost: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 7, arbitrary: index }),
    }),
  );
/** What an arbitrary draws. */
export type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;
export type WorldPlan<R> = Drawn<ReturnType<typeof worldPlanArb<R>>>;

/** What a plan's records are built with: the world's ids and its dates. */
export type WorldKit = {
  w: number;
  today: string;
  date: (offset: number) => string;
  authority: (i: number) => string;
  provider: (i: number) => string;
  provision: (i: number) => string;
};

export type Generated = { world: World; callers: string[]; hubHost: string | null };

/**
 * World `w` of a plan. `prefix` starts its authorities' ids and `kinds` its uuids; `records` builds
 * its records, and `shareProvision` the provision a share of one of them names when it names the
 * record's own (the policy must not care which it names).
 */
export const buildWorld = <R, T>(
  plan: WorldPlan<R>,
  opts: {
    w: number;
    prefix: string;
    kinds: { provider: number; provision: number; grant: number };
    records: (kit: WorldKit) => T[];
    recordOf: (t: T) => PolicyRecord;
    shareProvision: (record: PolicyRecord) => string | null;
  },
): Generated & { records: T[] } => {
  const { w, prefix, kinds } = opts;
  const now = plan.now;
  const today = londonDate(now);
  const date = (offset: number) => addDays(today, offset);
  const instant = (offset: number) => new Date(now.getTime() + offset);

  const authorities = plan.authorities.map((a, i) => ({
    id: `${prefix}${w}-council-${i}`,
    status: a.active ? 'active' : a.otherwise,
    qaInbox: `qa@${prefix}${w}-council-${i}.example.gov.uk`,
  }));
  const authorityIds = authorities.map((a) => a.id);
  const providerIds = Array.from({ length: plan.providers }, (_, i) => uuid(kinds.provider, w, i));
  const provisions = plan.provisions.map((p, i) => ({
    id: uuid(kinds.provision, w, i),
    providerId: at(providerIds, p.provider),
    hostAuthorityId: at(authorityIds, p.host),
  }));
  const provisionIds = provisions.map((p) => p.id);

  const placements: WorldPlacement[] = [];
  for (const p of plan.placements) {
    const authorityId = at(authorityIds, p.authority);
    const provisionId = at(provisionIds, p.provision);
    const fromDate = date(p.from);
    // One open declaration per authority and provision (placements_one_open).
    const openExists = placements.some(
      (q) => q.authorityId === authorityId && q.provisionId === provisionId && q.endedOn === null,
    );
    let endedOn = openExists || p.ended ? date(p.endedOn) : null;
    if (endedOn !== null && endedOn < fromDate) endedOn = fromDate;
    placements.push({ authorityId, provisionId, children: p.children, fromDate, endedOn });
  }

  const allocations: WorldAllocation[] = [];
  for (const a of plan.allocations) {
    const provisionId = at(provisionIds, a.provision);
    // One current (not ended) quality allocation per provision (allocations_one_current).
    const currentExists = allocations.some((b) => b.provisionId === provisionId && b.endedAt === null);
    allocations.push({
      authorityId: at(authorityIds, a.authority),
      provisionId,
      startsOn: date(a.startsOn),
      endsOn: a.openEnded ? null : date(a.endsOn),
      endedAt: currentExists || a.ended ? instant(a.endedAt) : null,
    });
  }

  const kit: WorldKit = {
    w,
    today,
    date,
    authority: (i) => at(authorityIds, i),
    provider: (i) => at(providerIds, i),
    provision: (i) => at(provisionIds, i),
  };
  const records = opts.records(kit);
  const policyRecords = records.map(opts.recordOf);

  const grants: WorldGrant[] = plan.grants.map((g, i) => {
    const id = uuid(kinds.grant, w, i);
    const authorityId = at(authorityIds, g.authority);
    const revokedAt = g.revoked ? instant(g.revokedAt) : null;
    if (g.share) {
      const record = at(policyRecords, g.record);
      return {
        id,
        kind: 'share',
        authorityId,
        provisionId: g.namesRecordProvision ? opts.shareProvision(record) : at(provisionIds, g.provision),
        recordId: record.id,
        expiresAt: g.expires ? instant(g.expiresAt) : null,
        revokedAt,
      };
    }
    return {
      id,
      kind: 'prospective',
      authorityId,
      provisionId: at(provisionIds, g.provision),
      recordId: null,
      expiresAt: instant(g.expiresAt),
      revokedAt,
    };
  });

  return {
    world: { now, authorities, provisions, placements, allocations, grants },
    records,
    // Every authority asks, and now and then one the hub has never heard of.
    callers: plan.unknownCaller ? [...authorityIds, `${prefix}${w}-council-unknown`] : authorityIds,
    // Whether one of the world's authorities operates the hub must make no difference.
    hubHost: plan.hubHost === null ? null : at(authorityIds, plan.hubHost),
  };
};
