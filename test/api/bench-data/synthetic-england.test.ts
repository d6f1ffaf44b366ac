// The benchmark's synthetic England, generated small and loaded into this file's own database: the
// counts it promises, its determinism, the invariants the hub's code keeps (one current lead among
// the placing members, audit chains, sequenced events), and the hub answering on it as on its own
// data — a placement check that turns another member's restricted outcome into a signal, and an
// event feed that shows a placing authority exactly what the access policy lets it see.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OFSTED_GRADES,
  PROVISION_TYPES,
  REGISTRATION_STATUSES,
  REGULATOR_KINDS,
  RESTRICTION_KINDS,
  type CcxEvent,
  type RestrictionKind,
} from '@ccx/schema';
import {
  appRouter,
  bootstrap,
  createCallerFactory,
  createContextInner,
  createHub,
  loadConfig,
  type Hub,
  type Principal,
} from '@ccx/server';
import { openTestDatabase, ownerDbOf } from '@ccx/server/testing';
import { checkRecord, type World as PolicyWorld } from '@ccx/server/testing';
import { verifyAuditChain } from '@ccx/server/testing';
import { authenticateClient } from '@ccx/server/testing';
import { sequenceEvents, signalEventType } from '@ccx/server/testing';
import { digestGenerated, generateTables } from '../../bench/data/generate.js';
import { loadSyntheticEngland, nonEmptyTables, type LoadReport } from '../../bench/data/loader.js';
import { buildManifest, type Manifest } from '../../bench/data/manifest.js';
import { BASE_COUNTS, scaled, type GenerateOptions } from '../../bench/data/plan.js';
import { queryRows } from '../../support/harness.js';

const OPTIONS: GenerateOptions = { seed: 7, scale: 0.004, asOf: '2026-06-15' };
const AS_OF = OPTIONS.asOf;
/** Late morning of the as-of day in England: everything generated happened before it. */
const NOW = new Date(`${AS_OF}T10:00:00Z`);

const createCaller = createCallerFactory(appRouter);

let hub: Hub;
let dataDir: string;
let report: LoadReport;
let manifest: Manifest;
let booted: Awaited<ReturnType<typeof bootstrap>>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-synthetic-'));
  const database = await openTestDatabase();
  // A bulk load sets the id sequences, which is the schema owner's right, not the hub's.
  report = await loadSyntheticEngland({ ...database, db: ownerDbOf(database.db) }, OPTIONS);
  manifest = buildManifest(report.world, report, { kind: 'pglite', dataDir: 'memory' });
  hub = await createHub({
    config: loadConfig({ CCX_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' }),
    database,
  });
  hub.clock.now = () => new Date(NOW);
  booted = await bootstrap(hub);
});

afterAll(async () => {
  await hub?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const db = () => hub.database.db;

const officer = (authorityId: string): Principal => {
  const a = manifest.authorities.find((x) => x.id === authorityId)!;
  return { clientId: a.clientId, authorityId, role: 'officer', tokenId: 'synthetic-england' };
};
const hubAdmin = (): Principal => ({
  clientId: manifest.hostClient.clientId,
  authorityId: manifest.hostClient.authorityId,
  role: 'hub-admin',
  tokenId: 'synthetic-england',
});
const caller = (p: Principal) => createCaller(createContextInner({ hub, principal: p }));

const count = async (query: ReturnType<typeof sql>): Promise<number> =>
  Number((await queryRows<{ n: number | string }>(db(), query))[0]!.n);

describe('loading', () => {
  it('holds the counts the scale asks for: 153 members and the host at every scale, the rest scaled', async () => {
    const s = OPTIONS.scale;
    expect(report.counts).toMatchObject({
      authorities: 154,
      clients: 154,
      providers: scaled(BASE_COUNTS.providers, s),
      provisions: scaled(BASE_COUNTS.provisions, s),
      placements: scaled(BASE_COUNTS.placements, s),
      restrictions: scaled(BASE_COUNTS.restrictions, s),
      concerns: scaled(BASE_COUNTS.concerns, s),
      audit_log: scaled(BASE_COUNTS.audit, s),
    });
    expect(
      await count(sql`select count(*) as n from outcomes where status in ('published', 'amended')`),
    ).toBe(scaled(BASE_COUNTS.outcomes, s));
    // What the report counts is what the database holds.
    for (const [table, n] of Object.entries(report.counts))
      expect(await count(sql`select count(*) as n from ${sql.identifier(table)}`), table).toBe(n);
    expect(await count(sql`select count(*) as n from authorities where is_host`)).toBe(1);
    expect(await count(sql`select count(distinct region) as n from authorities where not is_host`)).toBe(9);
  });

  it('refuses a database that already holds data', async () => {
    expect(await nonEmptyTables(db())).toContain('authorities');
    await expect(loadSyntheticEngland(hub.database, OPTIONS)).rejects.toThrow(/already holds data/);
  });

  it('the hub starts on it as on its own data: the host exists, nothing is bootstrapped, the clients sign in', async () => {
    expect(booted).toEqual({ created: false, hostAuthorityId: 'hub-host' });
    await expect(access(path.join(dataDir, 'bootstrap.json'))).rejects.toThrow();
    const host = await authenticateClient(
      db(),
      manifest.hostClient.clientId,
      manifest.hostClient.clientSecret,
    );
    expect(host).toEqual({
      clientId: manifest.hostClient.clientId,
      authorityId: 'hub-host',
      role: 'hub-admin',
    });
    const member = manifest.authorities[0]!;
    expect(await authenticateClient(db(), member.clientId, member.clientSecret)).toEqual({
      clientId: member.clientId,
      authorityId: member.id,
      role: 'officer',
    });
    expect(await authenticateClient(db(), member.clientId, `${member.clientSecret}x`)).toBeUndefined();
  });
});

describe('determinism', () => {
  it('the same seed, scale and as-of generate identical rows, ids included; another seed does not', () => {
    const first = digestGenerated(OPTIONS);
    expect(digestGenerated(OPTIONS)).toEqual(first);
    const directory = ['authorities', 'clients', 'providers', 'provisions'];
    expect(digestGenerated({ ...OPTIONS, seed: OPTIONS.seed + 1 }, directory).digest).not.toBe(
      digestGenerated(OPTIONS, directory).digest,
    );
    expect(first.counts).toEqual(report.counts);
  });

  it('what was loaded is what the generator generates', async () => {
    const { rows } = [...generateTables(OPTIONS, ['provisions'])][0]!;
    const generated = [...rows].map((r) => r.id as string).sort();
    const loaded = (await queryRows<{ id: string }>(db(), sql`select id from provisions order by id`)).map(
      (r) => r.id,
    );
    expect(loaded).toEqual(generated);
  });
});

describe('invariants of the hub', () => {
  it('every provision with two or more placing members has exactly one current lead, one of them', async () => {
    const placing = await queryRows<{ provision_id: string; authorities: string[] }>(
      db(),
      sql`select provision_id, array_agg(distinct authority_id) as authorities from placements
          where from_date <= ${AS_OF} and (ended_on is null or ended_on > ${AS_OF})
          group by provision_id having count(distinct authority_id) >= 2`,
    );
    const current = await queryRows<{ provision_id: string; authority_id: string }>(
      db(),
      sql`select provision_id, authority_id from allocations
          where role = 'quality' and ended_at is null and starts_on <= ${AS_OF} and ends_on is null`,
    );
    expect(placing.length).toBeGreaterThan(0);
    const leads = new Map<string, string[]>();
    for (const a of current)
      leads.set(a.provision_id, [...(leads.get(a.provision_id) ?? []), a.authority_id]);
    for (const p of placing) {
      expect(leads.get(p.provision_id), p.provision_id).toHaveLength(1);
      expect(p.authorities).toContain(leads.get(p.provision_id)![0]);
    }
    expect(leads.size).toBe(placing.length);
    // Some leads changed hands: the ended allocation says to whom.
    const ended = await queryRows<{ ended_reason: string }>(
      db(),
      sql`select ended_reason from allocations where ended_at is not null`,
    );
    for (const e of ended) expect(e.ended_reason).toMatch(/^reassigned to [a-z0-9-]+$/);
    // Nothing is left for the automatic allocation to do.
    const dryRun = await caller(hubAdmin()).allocations.autoAllocate({ dryRun: true });
    expect(dryRun.proposals).toEqual([]);
  });

  it('every audit chain verifies, heads included, and the log is ordered in time along each chain', async () => {
    const ids = manifest.authorities.map((a) => a.id).concat('hub-host');
    let entries = 0;
    for (const id of ids) {
      const result = await verifyAuditChain(db(), id);
      expect(result.ok, `${id}: ${JSON.stringify(result.firstBroken)}`).toBe(true);
      expect(result.head?.seq ?? 0).toBe(result.entries);
      entries += result.entries;
    }
    expect(entries).toBe(report.counts.audit_log);
    const member = manifest.authorities.find((a) => manifest.placing[a.id]!.length > 0)!;
    const verified = await caller(officer(member.id)).audit.verify({});
    expect(verified).toMatchObject({ authorityId: member.id, ok: true });
    expect(
      await count(
        sql`select count(*) as n from audit_log a join audit_log b on a.authority_id = b.authority_id and b.seq = a.seq + 1 where b.at < a.at`,
      ),
    ).toBe(0);
    const actions = (
      await queryRows<{ action: string }>(db(), sql`select distinct action from audit_log`)
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'authority.create',
        'provision.create',
        'allocation.auto',
        'placement.declare',
        'outcome.create',
        'outcome.publish',
        'outcome.amend',
        'restriction.create',
        'restriction.lift',
        'concern.log',
        'check.placement',
        'outcome.read',
      ]),
    );
  });

  it('outcomes keep the versions the domain writes: published as version 2, amended as 3', async () => {
    const wrong = await queryRows<{ id: string }>(
      db(),
      sql`select o.id from outcomes o where o.status <> 'draft' and (
            o.version <> (select max(v.version) from outcome_versions v where v.outcome_id = o.id)
            or not exists (select 1 from outcome_versions v where v.outcome_id = o.id and v.version = 2 and v.change = 'published' and v.note is null)
            or (o.status = 'amended' and not exists (select 1 from outcome_versions v where v.outcome_id = o.id and v.version = 3 and v.change = 'amended' and v.note is not null and v.snapshot->>'status' = 'amended'))
            or (o.status = 'withdrawn' and o.withdrawn_reason is null)
            or o.published_at < o.created_at or o.activity_date > ${AS_OF})`,
    );
    expect(wrong).toEqual([]);
    const drafts = await count(
      sql`select count(*) as n from outcomes o where o.status = 'draft' and (o.version <> 1 or exists (select 1 from outcome_versions v where v.outcome_id = o.id))`,
    );
    expect(drafts).toBe(0);
    const [mix] = await queryRows<{ amended: number; restricted: number; by_lead: number }>(
      db(),
      sql`select avg((status = 'amended')::int)::float as amended, avg(restricted::int)::float as restricted, avg(by_lead::int)::float as by_lead
          from outcomes where status in ('published', 'amended')`,
    );
    expect(mix!.amended).toBeGreaterThan(0.05);
    expect(mix!.amended).toBeLessThan(0.11);
    expect(mix!.restricted).toBeGreaterThan(0.06);
    expect(mix!.restricted).toBeLessThan(0.15);
    expect(mix!.by_lead).toBeGreaterThan(0.5);
  });

  it('events are sequenced 1..N in time order, so the sequencer has nothing to do', async () => {
    const [span] = await queryRows<{ n: string; lo: string; hi: string; unordered: string }>(
      db(),
      sql`select count(*) as n, min(seq) as lo, max(seq) as hi,
            (select count(*) from events a join events b on b.seq = a.seq + 1 where b.at < a.at) as unordered
          from events`,
    );
    expect(Number(span!.lo)).toBe(1);
    expect(Number(span!.hi)).toBe(Number(span!.n));
    expect(Number(span!.unordered)).toBe(0);
    expect(await sequenceEvents(db())).toBe(0);
    expect(Number(span!.n)).toBe(report.counts.events);
  });
});

describe('the hub on the data', () => {
  it("a placement check turns another member's restricted latest outcome into a signal and a caution", async () => {
    const [found] = await queryRows<{
      provision_id: string;
      publisher: string;
      placing: string;
      inbox: string;
    }>(
      db(),
      sql`with latest as (
            select distinct on (provision_id) provision_id, authority_id, restricted from outcomes
            where status in ('published', 'amended') order by provision_id, activity_date desc, published_at desc)
          select l.provision_id, l.authority_id as publisher, p.authority_id as placing, a.qa_inbox as inbox
          from latest l join placements p on p.provision_id = l.provision_id and p.ended_on is null
          join authorities a on a.id = l.authority_id
          where l.restricted and p.authority_id <> l.authority_id
          order by l.provision_id, p.authority_id limit 1`,
    );
    expect(found, 'the data holds a restricted latest outcome where another member places').toBeDefined();
    const check = await caller(officer(found!.placing)).checks.placement({
      provisionId: found!.provision_id,
    });
    // The hidden outcome shows only as the signal: the latest outcome shown is one the caller may read.
    expect(check.latestOutcome?.layer ?? 'none').not.toBe('signal');
    expect(check.verdict).not.toBe('clear');
    expect(check.reasons).toContainEqual(
      expect.objectContaining({
        code: 'restricted-information',
        verdict: 'caution',
        contact: found!.inbox,
        signalIds: expect.arrayContaining([expect.stringMatching(/^sig_/)]) as string[],
      }),
    );
    // The publisher sees its own outcome in full.
    const own = await caller(officer(found!.publisher)).checks.placement({
      provisionId: found!.provision_id,
    });
    expect(own.latestOutcome?.layer).toBe('detail');
  });

  it('an embargo the partnership applied is a do-not-place for every member', async () => {
    const [embargo] = await queryRows<{ provision_id: string }>(
      db(),
      sql`select provision_id from restrictions where partnership_wide and provision_id is not null and lifted_on is null limit 1`,
    );
    expect(embargo).toBeDefined();
    const check = await caller(officer(manifest.authorities[0]!.id)).checks.placement({
      provisionId: embargo!.provision_id,
    });
    expect(check.verdict).toBe('do-not-place');
    expect(check.reasons.map((r) => r.code)).toContain('partnership-embargo');
  });

  it('events.list shows a placing authority exactly the events the access policy lets it see', async () => {
    const member = [...manifest.authorities].sort(
      (a, b) => manifest.placing[b.id]!.length - manifest.placing[a.id]!.length || (a.id < b.id ? -1 : 1),
    )[0]!;
    const seen: CcxEvent[] = [];
    let since: string | undefined;
    for (;;) {
      const page = await caller(officer(member.id)).events.list({ limit: 500, ...(since ? { since } : {}) });
      seen.push(...page.items);
      if (page.items.length < 500) break;
      since = page.nextSince!;
    }

    // The in-memory face of the policy, on every fact in the database.
    const world: PolicyWorld = {
      now: NOW,
      authorities: await queryRows(db(), sql`select id, status from authorities`),
      provisions: (
        await queryRows<{ id: string; provider_id: string; host_authority_id: string }>(
          db(),
          sql`select id, provider_id, host_authority_id from provisions`,
        )
      ).map((p) => ({ id: p.id, providerId: p.provider_id, hostAuthorityId: p.host_authority_id })),
      placements: (
        await queryRows<{
          authority_id: string;
          provision_id: string;
          children: number;
          from_date: string;
          ended_on: string | null;
        }>(
          db(),
          sql`select authority_id, provision_id, children, from_date::text, ended_on::text from placements`,
        )
      ).map((p) => ({
        authorityId: p.authority_id,
        provisionId: p.provision_id,
        children: p.children,
        fromDate: p.from_date,
        endedOn: p.ended_on,
      })),
      allocations: (
        await queryRows<{
          authority_id: string;
          provision_id: string;
          role: string;
          starts_on: string;
          ends_on: string | null;
          ended_ms: number | null;
        }>(
          db(),
          sql`select authority_id, provision_id, role, starts_on::text, ends_on::text,
                (extract(epoch from ended_at) * 1000)::float8 as ended_ms from allocations`,
        )
      ).map((a) => ({
        authorityId: a.authority_id,
        provisionId: a.provision_id,
        role: a.role,
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        endedAt: a.ended_ms === null ? null : new Date(Number(a.ended_ms)),
      })),
      grants: [],
    };
    const events = await queryRows<{
      seq: string;
      type: string;
      audience: string;
      audience_authority_ids: string[];
      record_type: string | null;
      record_id: string | null;
      publisher_authority_id: string | null;
      record_status: 'published';
      restricted: boolean;
      provision_id: string | null;
      provider_id: string | null;
    }>(db(), sql`select * from events order by seq`);
    const expected: string[] = [];
    for (const e of events) {
      const layer =
        e.audience === 'members'
          ? 'summary'
          : e.audience === 'authorities'
            ? e.audience_authority_ids.includes(member.id)
              ? 'detail'
              : 'none'
            : checkRecord(world, member.id, {
                type: e.record_type!,
                id: e.record_id!,
                publisherAuthorityId: e.publisher_authority_id!,
                status: e.record_status,
                restricted: e.restricted,
                scope: e.provision_id ? { provisionId: e.provision_id } : { providerId: e.provider_id! },
              }).layer;
      // At the signal layer only a record's start and end are told (as signal.raised and signal.ended).
      if (layer === 'signal' && !signalEventType(e.type)) continue;
      if (layer !== 'none') expected.push(`${Number(e.seq)}:${layer}`);
    }
    expect(seen.map((e) => `${e.id}:${e.layer}`)).toEqual(expected);
    const layers = new Set(seen.map((e) => e.layer));
    expect([...layers].sort()).toEqual(['detail', 'signal', 'summary']);
    for (const e of seen.filter((x) => x.layer === 'signal')) expect(e.recordId).toBeNull();
  });
});

describe('coverage at a twentieth of national scale (generated, not loaded)', () => {
  it('every provision type, registration status, Ofsted grade and restriction kind appears, each as the rules say', () => {
    const tables = new Map(
      [...generateTables({ ...OPTIONS, scale: 0.05 }, ['provisions', 'restrictions'])].map((t) => [
        t.table,
        [...t.rows],
      ]),
    );
    const provisions = tables.get('provisions')!;
    const restrictions = tables.get('restrictions')!;
    expect(new Set(provisions.map((p) => p.type))).toEqual(new Set(PROVISION_TYPES));
    expect(new Set(provisions.map((p) => p.registration_status))).toEqual(new Set(REGISTRATION_STATUSES));
    expect(new Set(provisions.map((p) => p.ofsted_grade))).toEqual(new Set(OFSTED_GRADES));
    const urns = provisions.flatMap((p) => (p.urn ? [p.urn] : []));
    expect(new Set(urns).size).toBe(urns.length);
    for (const p of provisions.filter((x) => x.type === 'unregulated')) expect(p.urn).toBeNull();

    expect(new Set(restrictions.map((r) => r.kind))).toEqual(new Set(RESTRICTION_KINDS));
    const day = (v: unknown) => v as string;
    for (const r of restrictions) {
      const kind = r.kind as RestrictionKind;
      if (REGULATOR_KINDS.includes(kind)) {
        expect(r.source).toBe('regulator');
        expect(r.regulator_reference).toBeTruthy();
      }
      if (kind === 'letter-of-concern') expect(r.compliance_due_on).toBeTruthy();
      if (kind === 'informal-embargo') expect(r.restricted).toBe(true);
      expect((r.provision_id === null) !== (r.provider_id === null)).toBe(true);
      if (r.lifted_on !== null) {
        expect(day(r.lifted_on) <= AS_OF && day(r.lifted_on) >= day(r.effective_from)).toBe(true);
        expect(r.lifted_reason).toBeTruthy();
      }
      if (r.expires_on !== null) expect(day(r.expires_on) > day(r.effective_from)).toBe(true);
    }
    const status = (r: Record<string, unknown>) =>
      r.lifted_on !== null
        ? 'lifted'
        : r.expires_on !== null && day(r.expires_on) <= AS_OF
          ? 'expired'
          : 'active';
    expect(new Set(restrictions.map(status))).toEqual(new Set(['active', 'lifted', 'expired']));
    const providerLevel = restrictions.filter((r) => r.provider_id !== null).length / restrictions.length;
    expect(providerLevel).toBeGreaterThan(0.05);
    expect(providerLevel).toBeLessThan(0.15);
  });
});
