// The policy's three faces must agree on every pair: the in-memory check over a World (policy.ts),
// the SQL expression lists filter with (sql.ts), and decideRecord over facts loaded from the database
// (load.ts). Random worlds from a seeded generator: a failure prints the seed to replay it with
// POLICY_SEED=<seed> (and POLICY_WORLDS=<n> to change how many worlds run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '@ccx/schema';
import { type Database } from '@ccx/server';
import { openTestDatabase } from '@ccx/server/testing';
import {
  checkRecord,
  decideRecord,
  explainAccess,
  londonDate,
  type Decision,
  type PolicyRecord,
  type World,
  type WorldAllocation,
  type WorldGrant,
  type WorldPlacement,
} from '@ccx/server/testing';
import { HUB_HOST, KENT, POLICY_CASES } from './cases.js';
import { checkLayers, clearWorld, insertWorld, provisionOf, sqlLayers } from './db-world.js';

const SEED = Number(process.env.POLICY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORLDS = Number(process.env.POLICY_WORLDS ?? 500);
const BATCH = 10;

type Rng = {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
};

/** mulberry32: small, fast and good enough to spread worlds; the same seed gives the same worlds. */
const seeded = (seed: number): Rng => {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[int(0, xs.length - 1)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  };
  return { next, int, pick, chance: (p) => next() < p };
};

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

// Instants on the edges of the London day: GMT noon, late evening UTC in summer time (when London is
// already on the next day), the nights the clocks change, and the last millisecond of a year.
const NOWS = [
  '2026-11-23T12:00:00.000Z',
  '2026-07-01T23:30:00.000Z',
  '2026-06-15T23:00:00.000Z',
  '2026-03-29T00:30:00.000Z',
  '2026-03-29T01:30:00.000Z',
  '2026-10-24T23:30:00.000Z',
  '2026-10-25T00:30:00.000Z',
  '2026-12-31T23:59:59.999Z',
];

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** A readable uuid: what it is (kind), which world it belongs to, and its number there. */
const uuid = (kind: number, world: number, n: number) =>
  `${kind.toString(16).padStart(8, '0')}-${(world % 0x10000).toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;

type Generated = { world: World; records: PolicyRecord[]; callers: string[]; hubHost: string | null };

/** World `w`: its ids are its own, so several worlds share the database between truncations. */
const generateWorld = (rng: Rng, w: number): Generated => {
  const now = new Date(
    rng.chance(0.75)
      ? new Date(rng.pick(NOWS)).getTime()
      : Date.UTC(2026, 0, 1) + rng.int(0, 364) * DAY + rng.int(0, DAY - 1),
  );
  const today = londonDate(now);
  const date = () => addDays(today, rng.pick([-400, -30, -2, -1, -1, 0, 0, 0, 1, 1, 2, 30]));
  const instant = () =>
    new Date(now.getTime() + rng.pick([-7 * DAY, -DAY, -SECOND, -1, 0, 1, SECOND, DAY, 7 * DAY]));

  const authorities = Array.from({ length: rng.int(2, 5) }, (_, i) => ({
    id: `w${w}-council-${i}`,
    status: rng.chance(0.8) ? 'active' : rng.pick(['suspended', 'left']),
    qaInbox: `qa@w${w}-council-${i}.example.gov.uk`,
  }));
  const authorityIds = authorities.map((a) => a.id);
  const providerIds = Array.from({ length: rng.int(1, 2) }, (_, i) => uuid(0x10, w, i));
  const provisions = Array.from({ length: rng.int(1, 4) }, (_, i) => ({
    id: uuid(0x20, w, i),
    providerId: rng.pick(providerIds),
    hostAuthorityId: rng.pick(authorityIds),
  }));
  const provisionIds = provisions.map((p) => p.id);

  const placements: WorldPlacement[] = [];
  for (let i = rng.int(0, 5); i > 0; i--) {
    const authorityId = rng.pick(authorityIds);
    const provisionId = rng.pick(provisionIds);
    const fromDate = date();
    // One open declaration per authority and provision (placements_one_open).
    const openExists = placements.some(
      (p) => p.authorityId === authorityId && p.provisionId === provisionId && p.endedOn === null,
    );
    let endedOn = openExists || rng.chance(0.5) ? date() : null;
    if (endedOn !== null && endedOn < fromDate) endedOn = fromDate;
    placements.push({ authorityId, provisionId, children: rng.int(1, 3), fromDate, endedOn });
  }

  const allocations: WorldAllocation[] = [];
  for (let i = rng.int(0, 4); i > 0; i--) {
    const provisionId = rng.pick(provisionIds);
    // One current (not ended) quality allocation per provision (allocations_one_current).
    const currentExists = allocations.some((a) => a.provisionId === provisionId && a.endedAt === null);
    allocations.push({
      authorityId: rng.pick(authorityIds),
      provisionId,
      startsOn: date(),
      endsOn: rng.chance(0.5) ? null : date(),
      endedAt: currentExists || rng.chance(0.3) ? instant() : null,
    });
  }

  const records: PolicyRecord[] = Array.from({ length: rng.int(1, 6) }, (_, i) => ({
    type: 'outcome',
    id: uuid(0x30, w, i),
    publisherAuthorityId: rng.pick(authorityIds),
    status: rng.pick(['draft', 'published', 'published', 'published', 'withdrawn'] as const),
    restricted: rng.chance(0.4),
    scope: { provisionId: rng.pick(provisionIds) },
  }));

  const grants: WorldGrant[] = [];
  for (let i = rng.int(0, 5); i > 0; i--) {
    const authorityId = rng.pick(authorityIds);
    const revokedAt = rng.chance(0.2) ? instant() : null;
    const id = uuid(0x40, w, grants.length);
    if (rng.chance(0.5)) {
      const record = rng.pick(records);
      grants.push({
        id,
        kind: 'share',
        authorityId,
        // A share names the record's provision; the policy must not care if it names another.
        provisionId:
          rng.chance(0.8) && 'provisionId' in record.scope
            ? record.scope.provisionId
            : rng.pick(provisionIds),
        recordId: record.id,
        expiresAt: rng.chance(0.5) ? null : instant(),
        revokedAt,
      });
    } else {
      grants.push({
        id,
        kind: 'prospective',
        authorityId,
        provisionId: rng.pick(provisionIds),
        recordId: null,
        expiresAt: instant(),
        revokedAt,
      });
    }
  }

  return {
    world: { now, authorities, provisions, placements, allocations, grants },
    records,
    // Every authority asks, and now and then one the hub has never heard of.
    callers: rng.chance(0.3) ? [...authorityIds, `w${w}-council-unknown`] : authorityIds,
    // Whether one of the world's authorities operates the hub must make no difference.
    hubHost: rng.chance(0.7) ? rng.pick(authorityIds) : null,
  };
};

const bases = (d: Decision) => d.bases.map((b) => b.basis).sort();

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the in-memory, SQL and loaded faces of the policy agree', () => {
  it(`on ${WORLDS} random worlds (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const { db } = database;
    const started = performance.now();
    const rng = seeded(SEED);
    let pairs = 0;
    let checkPairs = 0;
    const layers = new Map<Layer, number>();

    for (let n = 0; n < WORLDS; n++) {
      // TRUNCATE costs ~150 ms on PostgreSQL, so worlds (each with its own ids) share it in batches.
      if (n % BATCH === 0) await clearWorld(db);
      const { world, records, callers, hubHost } = generateWorld(rng, n);
      await insertWorld(db, world, records, { hubHost, grantedBy: callers[0] ?? 'unknown' });
      const recordIds = records.map((r) => r.id);

      const mismatches: unknown[] = [];
      const provisionIds = world.provisions.map((p) => p.id);
      for (const caller of callers) {
        const fromSql = await sqlLayers(db, caller, world.now, recordIds);
        if (fromSql.size !== records.length) mismatches.push({ caller, sqlRows: fromSql.size });
        // The placement check's own statement, for the latest published outcome of each provision.
        for (const [id, checkLayer] of await checkLayers(db, caller, world.now, provisionIds, [])) {
          const record = records.find((r) => r.id === id);
          const expected = record && checkRecord(world, caller, record).layer;
          checkPairs++;
          if (checkLayer !== expected)
            mismatches.push({ caller, record, inMemory: expected, check: checkLayer });
        }
        for (const record of records) {
          const inMemory = checkRecord(world, caller, record);
          const loaded = await decideRecord(db, caller, record, world.now);
          const sqlLayer = fromSql.get(record.id);
          pairs++;
          layers.set(inMemory.layer, (layers.get(inMemory.layer) ?? 0) + 1);
          if (
            sqlLayer !== inMemory.layer ||
            loaded.layer !== inMemory.layer ||
            loaded.rule !== inMemory.rule ||
            loaded.basis !== inMemory.basis ||
            bases(loaded).join() !== bases(inMemory).join()
          ) {
            mismatches.push({
              caller,
              record,
              inMemory: {
                layer: inMemory.layer,
                rule: inMemory.rule,
                basis: inMemory.basis,
                bases: bases(inMemory),
              },
              sql: sqlLayer,
              loaded: { layer: loaded.layer, rule: loaded.rule, basis: loaded.basis, bases: bases(loaded) },
            });
          }
        }
      }
      expect(
        mismatches,
        `world ${n} of seed ${SEED} (replay with POLICY_SEED=${SEED}): ${JSON.stringify({ world, hubHost }, null, 2)}`,
      ).toEqual([]);
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `policy faces agree: ${WORLDS} worlds, ${pairs} (authority, record) pairs (${checkPairs} also through the placement check) on ${database.kind} in ${seconds}s, seed ${SEED}; layers ${JSON.stringify(Object.fromEntries(layers))}`,
    );
    // Every layer turns up, or the generator has drifted into worlds that test little.
    if (WORLDS >= 100) expect([...layers.keys()].sort()).toEqual(['detail', 'none', 'signal', 'summary']);
  });

  it('on the policy table’s provision-level cases, stored in the database, with explain giving each deciding rule', async () => {
    const { db } = database;
    const cases = POLICY_CASES.filter((t) => 'provisionId' in t.record.scope);
    expect(cases.length).toBeGreaterThan(50);
    await clearWorld(db);
    for (const [i, t] of cases.entries()) {
      // The table names things readably; in the database each case gets its own authorities, and
      // uuids for providers, provisions and records.
      const ids = new Map<string, string>();
      const id = (name: string) => {
        if (!ids.has(name)) ids.set(name, uuid(0x50, i, ids.size));
        return ids.get(name) ?? name;
      };
      const as = (authorityId: string) => `t${i}-${authorityId}`;
      const world: World = {
        now: t.world.now,
        authorities: t.world.authorities.map((a) => ({ ...a, id: as(a.id) })),
        provisions: t.world.provisions.map((p) => ({
          id: id(p.id),
          providerId: id(p.providerId),
          hostAuthorityId: as(p.hostAuthorityId),
        })),
        placements: t.world.placements.map((p) => ({
          ...p,
          authorityId: as(p.authorityId),
          provisionId: id(p.provisionId),
        })),
        allocations: t.world.allocations.map((a) => ({
          ...a,
          authorityId: as(a.authorityId),
          provisionId: id(a.provisionId),
        })),
        grants: t.world.grants.map((g) => ({
          ...g,
          authorityId: as(g.authorityId),
          provisionId: g.provisionId === null ? null : id(g.provisionId),
          recordId: g.recordId === null ? null : id(g.recordId),
        })),
      };
      const record: PolicyRecord = {
        ...t.record,
        id: id(t.record.id),
        publisherAuthorityId: as(t.record.publisherAuthorityId),
        scope: { provisionId: id(provisionOf(t.record)) },
      };

      await insertWorld(db, world, [record], { hubHost: as(HUB_HOST), grantedBy: as(KENT) });
      const fromSql = await sqlLayers(db, as(t.caller), world.now, [record.id]);
      const loaded = await decideRecord(db, as(t.caller), record, world.now);
      expect(
        {
          sql: fromSql.get(record.id),
          loaded: { layer: loaded.layer, rule: loaded.rule, basis: loaded.basis },
        },
        t.name,
      ).toEqual({ sql: t.expected.layer, loaded: t.expected });

      // access.explain names the same deciding rule; a draft the caller may not see is answered as missing.
      const explain = explainAccess(
        db,
        as(t.caller),
        { recordType: 'outcome', recordId: record.id },
        world.now,
      );
      if (t.expected.rule === 'draft-publisher-only') {
        await expect(explain, t.name).rejects.toMatchObject({ code: 'NOT_FOUND' });
      } else {
        const e = await explain;
        expect({ layer: e.layer, rule: e.rule, emptyWouldGrant: e.wouldGrant.length === 0 }, t.name).toEqual({
          layer: t.expected.layer,
          rule: t.expected.rule,
          emptyWouldGrant: t.expected.layer === 'detail',
        });
      }
    }
  });
});
