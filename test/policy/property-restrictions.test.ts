// The policy's three faces must agree on restrictions too — records about one provision or about a
// whole provider (and so every provision of it), restricted or not: the in-memory check over a World
// (policy.ts), the SQL expression restriction lists filter with (restrictionLayerSql), and
// decideRecord over facts loaded from the database for the policy record a restriction row maps to.
// Random worlds from a seeded generator (mirroring property.test.ts): a failure prints the seed to
// replay it with POLICY_SEED=<seed> (and POLICY_WORLDS=<n> to change how many worlds run).
import { isDeepStrictEqual } from 'node:util';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTRICTION_KINDS, type AccessRule, type Layer } from '@ccx/schema';
import { type Database, type Db } from '@ccx/server';
import { openTestDatabase } from '@ccx/server/testing';
import {
  checkRecord,
  decideRecord,
  londonDate,
  policyRecordFor,
  type Decision,
  type PolicyRecord,
  type World,
  type WorldAllocation,
  type WorldGrant,
  type WorldPlacement,
} from '@ccx/server/testing';
import { restrictions } from '@ccx/server/testing';
import { restrictionLayerSql, restrictionPolicyRecord } from '@ccx/server/testing';
import { HUB_HOST, KENT, POLICY_CASES } from './cases.js';
import {
  clearWorld,
  insertGrants,
  insertRestrictions,
  insertWorld,
  type RestrictionFacts,
  checkLayers,
} from './db-world.js';

const SEED = Number(process.env.POLICY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORLDS = Number(process.env.POLICY_WORLDS ?? 400);
const BATCH = 10;

type Rng = {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
};

/** mulberry32, as in property.test.ts: the same seed gives the same worlds. */
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

// Instants on the edges of the London day, as in property.test.ts.
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

type Generated = {
  world: World;
  rows: RestrictionFacts[];
  callers: string[];
  hubHost: string | null;
};

/** World `w`: like property.test.ts's, with restrictions on provisions and on whole providers. */
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
    id: `r${w}-council-${i}`,
    status: rng.chance(0.8) ? 'active' : rng.pick(['suspended', 'left']),
    qaInbox: `qa@r${w}-council-${i}.example.gov.uk`,
  }));
  const authorityIds = authorities.map((a) => a.id);
  // Up to three providers, so some have several provisions and some none at all.
  const providerIds = Array.from({ length: rng.int(1, 3) }, (_, i) => uuid(0x11, w, i));
  const provisions = Array.from({ length: rng.int(1, 5) }, (_, i) => ({
    id: uuid(0x21, w, i),
    providerId: rng.pick(providerIds),
    hostAuthorityId: rng.pick(authorityIds),
  }));
  const provisionIds = provisions.map((p) => p.id);

  const placements: WorldPlacement[] = [];
  for (let i = rng.int(0, 6); i > 0; i--) {
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

  const rows: RestrictionFacts[] = Array.from({ length: rng.int(1, 6) }, (_, i) => {
    const kind = rng.pick(RESTRICTION_KINDS);
    const onProvider = rng.chance(0.45);
    const effectiveFrom = date();
    // Lifted, expired, pending or active: none of it may change who sees what.
    const expiresOn = rng.chance(0.3) ? addDays(effectiveFrom, rng.int(1, 60)) : null;
    const liftedOn = rng.chance(0.2) ? addDays(effectiveFrom, rng.int(0, 30)) : null;
    return {
      record: {
        type: 'restriction',
        id: uuid(0x31, w, i),
        publisherAuthorityId: rng.pick(authorityIds),
        status: 'published',
        restricted: kind === 'informal-embargo' || rng.chance(0.35),
        scope: onProvider ? { providerId: rng.pick(providerIds) } : { provisionId: rng.pick(provisionIds) },
      },
      kind,
      effectiveFrom,
      expiresOn,
      liftedOn,
    };
  });
  const records = rows.map((r) => r.record);

  const grants: WorldGrant[] = [];
  for (let i = rng.int(0, 6); i > 0; i--) {
    const authorityId = rng.pick(authorityIds);
    const revokedAt = rng.chance(0.2) ? instant() : null;
    const id = uuid(0x41, w, grants.length);
    if (rng.chance(0.55)) {
      const record = rng.pick(records);
      grants.push({
        id,
        kind: 'share',
        authorityId,
        // access.share names the record's provision, or none for a provider-level record; the policy
        // must not care if it names another.
        provisionId: rng.chance(0.8)
          ? 'provisionId' in record.scope
            ? record.scope.provisionId
            : null
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
    rows,
    callers: rng.chance(0.3) ? [...authorityIds, `r${w}-council-unknown`] : authorityIds,
    hubHost: rng.chance(0.7) ? rng.pick(authorityIds) : null,
  };
};

/** The restrictions' rows as stored, by id. */
const storedRows = async (db: Db, ids: string[]) =>
  new Map((await db.select().from(restrictions).where(inArray(restrictions.id, ids))).map((r) => [r.id, r]));

/** The layer of the given restrictions for one caller, from the SQL face restriction lists use: one query. */
const sqlLayers = async (
  db: Db,
  authorityId: string,
  now: Date,
  ids: string[],
): Promise<Map<string, Layer>> => {
  const rows = await db
    .select({ id: restrictions.id, layer: restrictionLayerSql({ authorityId, now }) })
    .from(restrictions)
    .where(inArray(restrictions.id, ids));
  return new Map(rows.map((r) => [r.id, r.layer]));
};

const bases = (d: Decision) => d.bases.map((b) => b.basis).sort();
const scopeOf = (r: PolicyRecord) => ('providerId' in r.scope ? 'provider' : 'provision');

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the in-memory, SQL and loaded faces of the policy agree on restrictions', () => {
  it(`on ${WORLDS} random worlds (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const { db } = database;
    const started = performance.now();
    const rng = seeded(SEED);
    let pairs = 0;
    let checkPairs = 0;
    const tally = new Map<string, number>();
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

    for (let n = 0; n < WORLDS; n++) {
      if (n % BATCH === 0) await clearWorld(db);
      const { world, rows, callers, hubHost } = generateWorld(rng, n);
      const grantedBy = callers[0] ?? 'unknown';
      await insertWorld(db, { ...world, grants: [] }, [], { hubHost, grantedBy });
      await insertRestrictions(db, rows);
      await insertGrants(db, world.grants, { recordType: 'restriction', grantedBy });
      const records = rows.map((r) => r.record);
      const ids = records.map((r) => r.id);

      const mismatches: unknown[] = [];
      // The policy records the service derives from the stored rows are the generated ones.
      const stored = await storedRows(db, ids);
      const asStored = new Map<string, PolicyRecord>();
      for (const record of records) {
        const row = stored.get(record.id);
        const fromRow = row ? restrictionPolicyRecord(row) : undefined;
        const fromRef = await policyRecordFor(db, 'restriction', record.id);
        const ref = fromRef && {
          type: fromRef.type,
          id: fromRef.id,
          publisherAuthorityId: fromRef.publisherAuthorityId,
          status: fromRef.status,
          restricted: fromRef.restricted,
          scope: fromRef.scope,
        };
        if (!fromRow || !isDeepStrictEqual(fromRow, record) || !isDeepStrictEqual(ref, record))
          mismatches.push({ record, fromRow, fromRef: ref });
        else asStored.set(record.id, fromRow);
      }

      const today = londonDate(world.now);
      const active = new Set(
        rows
          .filter(
            (r) =>
              r.effectiveFrom <= today &&
              (r.expiresOn === null || r.expiresOn > today) &&
              (r.liftedOn === null || r.liftedOn > today),
          )
          .map((r) => r.record.id),
      );
      for (const caller of callers) {
        const fromSql = await sqlLayers(db, caller, world.now, ids);
        if (fromSql.size !== records.length) mismatches.push({ caller, sqlRows: fromSql.size });
        // The placement check's own statement: every active restriction, each at the policy's layer.
        const fromCheck = await checkLayers(
          db,
          caller,
          world.now,
          world.provisions.map((p) => p.id),
          [...new Set(world.provisions.map((p) => p.providerId))],
        );
        const checkedIds = [...fromCheck.keys()].sort();
        const providersWithProvisions = new Set(world.provisions.map((p) => p.providerId));
        const expectedIds = records
          .filter(
            (r) =>
              active.has(r.id) &&
              ('provisionId' in r.scope || providersWithProvisions.has(r.scope.providerId)),
          )
          .map((r) => r.id)
          .sort();
        if (checkedIds.join() !== expectedIds.join()) mismatches.push({ caller, checkedIds, expectedIds });
        for (const [id, checkLayer] of fromCheck) {
          const record = records.find((r) => r.id === id);
          const expected = record && checkRecord(world, caller, record).layer;
          checkPairs++;
          if (checkLayer !== expected)
            mismatches.push({ caller, record, inMemory: expected, check: checkLayer });
        }
        for (const record of records) {
          const inMemory = checkRecord(world, caller, record);
          const loaded = await decideRecord(db, caller, asStored.get(record.id) ?? record, world.now);
          const sqlLayer = fromSql.get(record.id);
          pairs++;
          count(`${scopeOf(record)} ${inMemory.layer}`);
          count(`rule ${inMemory.rule}${inMemory.basis ? ` ${inMemory.basis}` : ''}`);
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
        `world ${n} of seed ${SEED} (replay with POLICY_SEED=${SEED}): ${JSON.stringify({ world, rows, hubHost }, null, 2)}`,
      ).toEqual([]);
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = Object.fromEntries([...tally.entries()].sort());
    console.log(
      `policy faces agree on restrictions: ${WORLDS} worlds, ${pairs} (authority, restriction) pairs (${checkPairs} active ones also through the placement check) on ${database.kind} in ${seconds}s, seed ${SEED}; ${JSON.stringify(summary)}`,
    );
    // Every layer turns up at both scopes, and provider-level detail comes from each need-to-know
    // basis, or the generator has drifted into worlds that test little.
    if (WORLDS >= 100) {
      for (const scope of ['provision', 'provider'])
        for (const layer of ['detail', 'summary', 'signal', 'none'])
          expect(tally.get(`${scope} ${layer}`) ?? 0, `${scope} ${layer}`).toBeGreaterThan(0);
      const rules: AccessRule[] = [
        'publisher-detail',
        'granted-detail',
        'need-to-know-detail',
        'restricted-signal',
      ];
      for (const rule of rules)
        expect(
          [...tally.keys()].some((k) => k.startsWith(`rule ${rule}`)),
          rule,
        ).toBe(true);
      for (const basis of ['lead', 'host', 'placing', 'prospective'])
        expect(tally.get(`rule need-to-know-detail ${basis}`) ?? 0, basis).toBeGreaterThan(0);
    }
  });

  it('on the policy table’s published cases, stored as restrictions (provision- and provider-level)', async () => {
    const { db } = database;
    // Restrictions have no drafts; a withdrawn record is decided as a published one.
    const cases = POLICY_CASES.filter((t) => t.record.status !== 'draft');
    expect(cases.filter((t) => 'providerId' in t.record.scope).length).toBeGreaterThan(10);
    await clearWorld(db);
    for (const [i, t] of cases.entries()) {
      const ids = new Map<string, string>();
      const id = (name: string) => {
        if (!ids.has(name)) ids.set(name, uuid(0x51, i, ids.size));
        return ids.get(name) ?? name;
      };
      const as = (authorityId: string) => `rt${i}-${authorityId}`;
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
        type: 'restriction',
        id: id(t.record.id),
        publisherAuthorityId: as(t.record.publisherAuthorityId),
        status: 'published',
        restricted: t.record.restricted,
        scope:
          'provisionId' in t.record.scope
            ? { provisionId: id(t.record.scope.provisionId) }
            : { providerId: id(t.record.scope.providerId) },
      };
      await insertWorld(db, { ...world, grants: [] }, [], { hubHost: as(HUB_HOST), grantedBy: as(KENT) });
      await insertRestrictions(db, [
        { record, kind: 'embargo', effectiveFrom: '2026-01-01', expiresOn: null, liftedOn: null },
      ]);
      await insertGrants(db, world.grants, { recordType: 'restriction', grantedBy: as(KENT) });

      const fromSql = await sqlLayers(db, as(t.caller), world.now, [record.id]);
      const inMemory = checkRecord(world, as(t.caller), record);
      const loaded = await decideRecord(db, as(t.caller), record, world.now);
      expect(
        {
          sql: fromSql.get(record.id),
          inMemory: { layer: inMemory.layer, rule: inMemory.rule, basis: inMemory.basis },
          loaded: { layer: loaded.layer, rule: loaded.rule, basis: loaded.basis },
        },
        t.name,
      ).toEqual({ sql: t.expected.layer, inMemory: t.expected, loaded: t.expected });
    }
    console.log(`policy table as restrictions: ${cases.length} cases agree`);
  });
});
