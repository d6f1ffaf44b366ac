// The policy's three faces must agree on restrictions too — records about one provision or about a
// whole provider (and so every provision of it), restricted or not: the in-memory check over a World
// (policy.ts), the SQL expression restriction lists filter with (restrictionLayerSql), and
// decideRecord over facts loaded from the database for the policy record a restriction row maps to.
// Random worlds from fast-check (world-arbitraries.ts, as property.test.ts): a failure prints the seed
// to replay it with POLICY_SEED=<seed> (POLICY_PATH=<path> replays the shrunk world alone, and
// POLICY_WORLDS=<n> changes how many worlds run).
import { isDeepStrictEqual } from 'node:util';
import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTRICTION_KINDS, type AccessRule, type Layer } from '@ccx/schema';
import { type Database, type Db } from '@ccx/server';
import { openTestDatabase } from '@ccx/server/testing';
import {
  checkRecord,
  decideRecord,
  londonDate,
  policyRecordFor,
  type PolicyRecord,
  type World,
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
import {
  addDays,
  buildWorld,
  chance,
  dayOffset,
  index,
  oneOf,
  uuid,
  worldPlanArb,
  type Drawn,
  facesDisagree,
} from './world-arbitraries.js';

const SEED = Number(process.env.POLICY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PATH = process.env.POLICY_PATH;
const WORLDS = Number(process.env.POLICY_WORLDS ?? 400);
const BATCH = 10;

/**
 * A restriction's plan: its kind, publisher and restricted flag, on a provision or a whole provider,
 * from a date near today, and perhaps expiring or lifted — none of which may change who sees what.
 */
const restrictionArb = fc.record({
  kind: oneOf(...RESTRICTION_KINDS),
  onProvider: chance(0.45),
  provider: index,
  provision: index,
  publisher: index,
  restricted: chance(0.35),
  effectiveFrom: dayOffset,
  expires: chance(0.3),
  expiresAfter: fc.integer({ min: 1, max: 60 }),
  lifted: chance(0.2),
  liftedAfter: fc.integer({ min: 0, max: 30 }),
});

const planArb = worldPlanArb(
  {
    authorities: { min: 2, max: 5 },
    // Up to three providers, so some have several provisions and some none at all.
    providers: { min: 1, max: 3 },
    provisions: { min: 1, max: 5 },
    placements: { min: 0, max: 6 },
    allocations: { min: 0, max: 4 },
    records: { min: 1, max: 6 },
    grants: { min: 0, max: 6 },
    share: 0.55,
  },
  restrictionArb,
);

/** World `w` of a plan: like property.test.ts's, with restrictions on provisions and on whole providers. */
const worldOf = (plan: Drawn<typeof planArb>, w: number) => {
  const { records: rows, ...generated } = buildWorld(plan, {
    w,
    prefix: 'r',
    kinds: { provider: 0x11, provision: 0x21, grant: 0x41 },
    records: (kit) =>
      plan.records.map((r, i): RestrictionFacts => {
        const effectiveFrom = kit.date(r.effectiveFrom);
        const expiresOn = r.expires ? addDays(effectiveFrom, r.expiresAfter) : null;
        const liftedOn = r.lifted ? addDays(effectiveFrom, r.liftedAfter) : null;
        return {
          record: {
            type: 'restriction',
            id: uuid(0x31, w, i),
            publisherAuthorityId: kit.authority(r.publisher),
            status: 'published',
            restricted: r.kind === 'informal-embargo' || r.restricted,
            scope: r.onProvider
              ? { providerId: kit.provider(r.provider) }
              : { provisionId: kit.provision(r.provision) },
            // Lifted or expired by the world's day, a restricted one no longer signals (it is seen by
            // its publisher and grantees alone); nothing else of who sees what may change.
            endsOn: [expiresOn, liftedOn].filter((d): d is string => d !== null).sort()[0] ?? null,
          },
          kind: r.kind,
          effectiveFrom,
          expiresOn,
          liftedOn,
        };
      }),
    recordOf: (r) => r.record,
    // access.share names the record's provision, or none for a provider-level record; the policy must
    // not care if it names another.
    shareProvision: (record) => ('provisionId' in record.scope ? record.scope.provisionId : null),
  });
  return { ...generated, rows };
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
    let worlds = 0;
    let pairs = 0;
    let checkPairs = 0;
    const tally = new Map<string, number>();
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const n = worlds++;
        if (n % BATCH === 0) await clearWorld(db);
        const { world, rows, callers, hubHost } = worldOf(plan, n);
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
            endsOn: fromRef.endsOn,
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
            const disagreement = facesDisagree(caller, record, inMemory, sqlLayer, loaded);
            if (disagreement) mismatches.push(disagreement);
          }
        }
        expect(
          mismatches,
          `world ${n} of seed ${SEED} (replay with POLICY_SEED=${SEED}): ${JSON.stringify({ world, rows, hubHost }, null, 2)}`,
        ).toEqual([]);
      }),
      { seed: SEED, numRuns: WORLDS, ...(PATH ? { path: PATH } : {}) },
    );

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = Object.fromEntries([...tally.entries()].sort());
    console.log(
      `policy faces agree on restrictions: ${worlds} worlds, ${pairs} (authority, restriction) pairs (${checkPairs} active ones also through the placement check) on ${database.kind} in ${seconds}s, seed ${SEED}; ${JSON.stringify(summary)}`,
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
        'restricted-ended',
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
    // Restrictions have no drafts; a withdrawn record is decided as a published one (so the cases where
    // withdrawal ends a restricted outcome's signal are not restrictions' cases); one that ends on a
    // date is stored as lifted on it.
    const cases = POLICY_CASES.filter(
      (t) =>
        t.record.status !== 'draft' &&
        !(t.record.status === 'withdrawn' && t.expected.rule === 'restricted-ended'),
    );
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
        endsOn: t.record.endsOn ?? null,
      };
      await insertWorld(db, { ...world, grants: [] }, [], { hubHost: as(HUB_HOST), grantedBy: as(KENT) });
      await insertRestrictions(db, [
        {
          record,
          kind: 'embargo',
          effectiveFrom: '2026-01-01',
          expiresOn: null,
          liftedOn: record.endsOn ?? null,
        },
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
