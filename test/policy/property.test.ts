// The policy's three faces must agree on every pair: the in-memory check over a World (policy.ts),
// the SQL expression lists filter with (sql.ts), and decideRecord over facts loaded from the database
// (load.ts). Random worlds from fast-check (world-arbitraries.ts): a failure prints the seed to replay
// it with POLICY_SEED=<seed> (POLICY_PATH=<path> replays the shrunk world alone, and POLICY_WORLDS=<n>
// changes how many worlds run).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '@ccx/schema';
import { type Database } from '@ccx/server';
import { openTestDatabase } from '@ccx/server/testing';
import { checkRecord, decideRecord, explainAccess, type PolicyRecord, type World } from '@ccx/server/testing';
import { HUB_HOST, KENT, POLICY_CASES } from './cases.js';
import { checkLayers, clearWorld, insertWorld, provisionOf, sqlLayers } from './db-world.js';
import {
  buildWorld,
  chance,
  facesDisagree,
  index,
  oneOf,
  uuid,
  worldPlanArb,
  type Drawn,
} from './world-arbitraries.js';

const SEED = Number(process.env.POLICY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PATH = process.env.POLICY_PATH;
const WORLDS = Number(process.env.POLICY_WORLDS ?? 500);
const BATCH = 10;

/** An outcome's plan: its publisher, status, restricted flag and provision. */
const outcomeArb = fc.record({
  publisher: index,
  status: oneOf('draft', 'published', 'published', 'published', 'withdrawn'),
  restricted: chance(0.4),
  provision: index,
});

const planArb = worldPlanArb(
  {
    authorities: { min: 2, max: 5 },
    providers: { min: 1, max: 2 },
    provisions: { min: 1, max: 4 },
    placements: { min: 0, max: 5 },
    allocations: { min: 0, max: 4 },
    records: { min: 1, max: 6 },
    grants: { min: 0, max: 5 },
    share: 0.5,
  },
  outcomeArb,
);

/** World `w` of a plan: its ids are its own, so several worlds share the database between truncations. */
const worldOf = (plan: Drawn<typeof planArb>, w: number) =>
  buildWorld(plan, {
    w,
    prefix: 'w',
    kinds: { provider: 0x10, provision: 0x20, grant: 0x40 },
    records: (kit) =>
      plan.records.map((r, i): PolicyRecord => ({
        type: 'outcome',
        id: uuid(0x30, w, i),
        publisherAuthorityId: kit.authority(r.publisher),
        status: r.status,
        restricted: r.restricted,
        scope: { provisionId: kit.provision(r.provision) },
      })),
    recordOf: (r) => r,
    // A share names the record's provision; the policy must not care if it names another.
    shareProvision: provisionOf,
  });

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
    let worlds = 0;
    let pairs = 0;
    let checkPairs = 0;
    const layers = new Map<Layer, number>();

    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const n = worlds++;
        // TRUNCATE costs ~150 ms on PostgreSQL, so worlds (each with its own ids) share it in batches.
        if (n % BATCH === 0) await clearWorld(db);
        const { world, records, callers, hubHost } = worldOf(plan, n);
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
            const disagreement = facesDisagree(caller, record, inMemory, sqlLayer, loaded);
            if (disagreement) mismatches.push(disagreement);
          }
        }
        expect(
          mismatches,
          `world ${n} of seed ${SEED} (replay with POLICY_SEED=${SEED}): ${JSON.stringify({ world, hubHost }, null, 2)}`,
        ).toEqual([]);
      }),
      { seed: SEED, numRuns: WORLDS, ...(PATH ? { path: PATH } : {}) },
    );

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `policy faces agree: ${worlds} worlds, ${pairs} (authority, record) pairs (${checkPairs} also through the placement check) on ${database.kind} in ${seconds}s, seed ${SEED}; layers ${JSON.stringify(Object.fromEntries(layers))}`,
    );
    // Every layer turns up, or the generator has drifted into worlds that test little.
    if (WORLDS >= 100) expect([...layers.keys()].sort()).toEqual(['detail', 'none', 'signal', 'summary']);
  });
  it('on the policy table’s provision-level cases, stored in the database, with explain giving each deciding rule', async () => {
    const { db } = database;
    // Stored as outcomes: the restriction cases (ended by a date) run in property-restrictions.test.ts.
    const cases = POLICY_CASES.filter((t) => 'provisionId' in t.record.scope && t.record.type === 'outcome');
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

      // access.explain names the same deciding rule; a draft the caller may not see, or an ended
      // restricted record (it no longer signals), is answered as missing.
      const explain = explainAccess(
        db,
        as(t.caller),
        { recordType: 'outcome', recordId: record.id },
        world.now,
      );
      if (t.expected.rule === 'draft-publisher-only' || t.expected.rule === 'restricted-ended') {
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
