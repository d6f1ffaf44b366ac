// The audit log of the synthetic world: an entry for every write the records above imply (admitting
// members, the directory, allocations, declarations, outcomes, restrictions, concerns), topped up with
// reads and placement checks, one SHA-256 chain per authority hashed by the hub's own function.
// Entries are planned in typed arrays and written out chain by chain, so a million are never held.
import { GENESIS_HASH, hashAuditEntry } from '@ccx/server/testing';
import type { tables as schema } from '@ccx/server/testing';
import { REGIONS, type Region } from '@ccx/schema';
import {
  BASE_COUNTS,
  leadAt,
  placingOn,
  scaled,
  type OutcomePlan,
  type RestrictionPlan,
  type World,
} from './plan.js';
import { Rng, WeightedPicker } from './random.js';
import { clientCreatedAt, outcomeStates, restrictionStates } from './rows.js';
import { addDays, addMonths, daysBetween, londonDay, officeInstant } from './time.js';

export type AuditRow = typeof schema.auditLog.$inferSelect;
export type AuditHeadRow = typeof schema.auditHeads.$inferSelect;

const K = {
  authorityCreate: 0,
  clientCreate: 1,
  providerCreate: 2,
  provisionCreate: 3,
  allocation: 4,
  placementDeclare: 5,
  placementEnd: 6,
  outcomeCreate: 7,
  outcomePublish: 8,
  outcomeAmend: 9,
  outcomeWithdraw: 10,
  restrictionCreate: 11,
  restrictionLift: 12,
  concernLog: 13,
  check: 14,
  checkMany: 15,
  outcomeRead: 16,
  outcomeList: 17,
  restrictionRead: 18,
  restrictionList: 19,
  concernList: 20,
} as const;

/** Reads and checks, by how often officers and their tools make them. */
const READ_WEIGHTS = [
  [K.check, 55],
  [K.checkMany, 5],
  [K.outcomeRead, 14],
  [K.outcomeList, 8],
  [K.restrictionRead, 5],
  [K.restrictionList, 5],
  [K.concernList, 8],
] as const;

export type AuditPlan = {
  at: Float64Array;
  authority: Uint16Array;
  kind: Uint8Array;
  ref: Int32Array;
  /** Entry indices grouped by authority (in `world.authorities` order), oldest first in each group. */
  order: Uint32Array;
  /** Where each authority's group starts in `order` (one more than there are authorities). */
  starts: Uint32Array;
  derived: number;
  total: number;
};

export const planAudit = (world: World): AuditPlan => {
  const { clock, options } = world;
  const host = world.host.index;
  const entries: [kind: number, authority: number, ref: number, at: number][] = [];
  // Writes, where they happened.
  for (const a of world.members) {
    entries.push([K.authorityCreate, host, a.index, a.createdAt]);
    entries.push([K.clientCreate, host, a.index, clientCreatedAt(world, a.index)]);
  }
  for (const p of world.providers) entries.push([K.providerCreate, host, p.index, p.createdAt]);
  for (const p of world.provisions) entries.push([K.provisionCreate, host, p.index, p.createdAt]);
  for (const a of world.allocations) entries.push([K.allocation, host, a.index, a.createdAt]);
  for (const p of world.placements) {
    entries.push([K.placementDeclare, p.authority, p.index, p.createdAt]);
    if (p.endedAt !== null && p.supersededBy < 0)
      entries.push([K.placementEnd, p.authority, p.index, p.endedAt]);
  }
  for (const o of world.outcomes) {
    entries.push([K.outcomeCreate, o.authority, o.index, o.createdAt]);
    if (o.publishedAt !== null) entries.push([K.outcomePublish, o.authority, o.index, o.publishedAt]);
    if (o.amendedAt !== null) entries.push([K.outcomeAmend, o.authority, o.index, o.amendedAt]);
    if (o.withdrawnAt !== null) entries.push([K.outcomeWithdraw, o.authority, o.index, o.withdrawnAt]);
  }
  for (const r of world.restrictions) {
    entries.push([K.restrictionCreate, r.issuer, r.index, r.createdAt]);
    if (r.liftedAt !== null) entries.push([K.restrictionLift, r.issuer, r.index, r.liftedAt]);
  }
  for (const c of world.concerns) entries.push([K.concernLog, c.authority, c.index, c.createdAt]);
  const derived = entries.length;
  const filler = Math.max(0, scaled(BASE_COUNTS.audit, options.scale) - derived);
  const total = derived + filler;

  const at = new Float64Array(total);
  const authority = new Uint16Array(total);
  const kind = new Uint8Array(total);
  const ref = new Int32Array(total);
  entries.forEach(([k, a, r, t], i) => {
    kind[i] = k;
    authority[i] = a;
    ref[i] = r;
    at[i] = t;
  });
  entries.length = 0;

  // Reads and checks: by members in proportion to the children they place, mostly where they place.
  const rng = new Rng(options.seed, 'audit-plan');
  const picker = new WeightedPicker(world.members.map((a) => a.placeWeight));
  const declarations = world.members.map((): number[] => []);
  for (const p of world.placements) declarations[p.authority]!.push(p.index);
  const inRegion = new Map<Region, number[]>(REGIONS.map((r) => [r, []]));
  for (const p of world.provisions) inRegion.get(p.region)!.push(p.index);
  for (let i = derived; i < total; i++) {
    const a = picker.pick(rng);
    const mine = declarations[a]!;
    const k = rng.weighted(READ_WEIGHTS);
    if (mine.length > 0 && (k !== K.check || rng.chance(0.5))) {
      // While the declaration was open: the authority reads on its placing basis.
      const d = world.placements[rng.pick(mine)]!;
      const from = d.fromDate < clock.firstDay ? clock.firstDay : d.fromDate;
      const until = d.endedOn === null ? clock.lastDay : addDays(d.endedOn, -1);
      const day = until < from ? from : addDays(from, rng.int(0, daysBetween(from, until)));
      kind[i] = k;
      ref[i] = d.provision;
      at[i] = officeInstant(rng, day);
    } else {
      const region = inRegion.get(world.members[a]!.region)!;
      kind[i] = k === K.checkMany ? K.checkMany : K.check;
      ref[i] = region.length > 0 ? rng.pick(region) : rng.int(0, world.provisions.length - 1);
      at[i] = officeInstant(
        rng,
        addDays(clock.firstDay, rng.int(0, daysBetween(clock.firstDay, clock.lastDay))),
      );
    }
    authority[i] = a;
  }

  // Group by authority (counting sort), then by time within each chain.
  const n = world.authorities.length;
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < total; i++) starts[authority[i]! + 1]!++;
  for (let a = 0; a < n; a++) starts[a + 1]! += starts[a]!;
  const fill = starts.slice(0, n);
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[fill[authority[i]!]!++] = i;
  for (let a = 0; a < n; a++)
    order.subarray(starts[a], starts[a + 1]).sort((x, y) => at[x]! - at[y]! || x - y);
  return { at, authority, kind, ref, order, starts, derived, total };
};

// ---------------------------------------------------------------------------------------------------

type Entry = Pick<
  AuditRow,
  'clientId' | 'action' | 'recordType' | 'recordIds' | 'provisionIds' | 'basis' | 'details'
>;

type Indexes = {
  restrictionsOfProvision: number[][];
  restrictionsOfProvider: number[][];
  concernsOfProvision: number[][];
};

const indexes = (world: World): Indexes => {
  const restrictionsOfProvision = world.provisions.map((): number[] => []);
  const restrictionsOfProvider = world.providers.map((): number[] => []);
  const concernsOfProvision = world.provisions.map((): number[] => []);
  for (const r of world.restrictions) {
    if (r.provision >= 0) restrictionsOfProvision[r.provision]!.push(r.index);
    else restrictionsOfProvider[r.provider]!.push(r.index);
  }
  for (const c of world.concerns) concernsOfProvision[c.provision]!.push(c.index);
  return { restrictionsOfProvision, restrictionsOfProvider, concernsOfProvision };
};

const DO_NOT_PLACE = new Set(['ofsted-suspension', 'registration-cancelled', 'ceased-operating']);

const isActiveOn = (r: RestrictionPlan, day: string): boolean =>
  r.effectiveFrom <= day &&
  (r.expiresOn === null || r.expiresOn > day) &&
  (r.liftedOn === null || r.liftedOn > day);

/** Builds the audit entries of one authority's reads and writes, as the domain would have written them. */
const entryFactory = (world: World, ix: Indexes) => {
  const { authorities, provisions, providers } = world;
  const idOf = (a: number) => authorities[a]!.id;
  const inRegion = new Map<Region, number[]>(REGIONS.map((r) => [r, []]));
  for (const p of provisions) inRegion.get(p.region)!.push(p.index);

  const hasBasis = (a: number, p: number, at: number): boolean =>
    provisions[p]!.host === a || leadAt(world, p, at) === a || placingOn(world, p, londonDay(at)).includes(a);

  /** Outcomes at the provision published by then (newest last) that the authority may read in detail. */
  const readableOutcomes = (a: number, p: number, at: number): OutcomePlan[] =>
    world.byProvision.outcomes[p]!.map((i) => world.outcomes[i]!).filter(
      (o) =>
        o.publishedAt! <= at &&
        (o.withdrawnAt === null || o.withdrawnAt > at) &&
        (!o.restricted || o.authority === a),
    );

  const restrictionsAt = (p: number): RestrictionPlan[] => [
    ...ix.restrictionsOfProvision[p]!.map((i) => world.restrictions[i]!),
    ...ix.restrictionsOfProvider[provisions[p]!.provider]!.map((i) => world.restrictions[i]!),
  ];

  const provisionIdsOf = (r: RestrictionPlan): string[] =>
    r.provision >= 0
      ? [provisions[r.provision]!.id]
      : providers[r.provider]!.provisions.map((i) => provisions[i]!.id);

  const verdictOf = (a: number, p: number, at: number, rng: Rng): 'clear' | 'caution' | 'do-not-place' => {
    const day = londonDay(at);
    const provision = provisions[p]!;
    let verdict: 'clear' | 'caution' | 'do-not-place' = 'clear';
    if (['suspended', 'cancelled', 'closed'].includes(provision.registrationStatus)) return 'do-not-place';
    for (const r of restrictionsAt(p)) {
      if (r.createdAt > at || !isActiveOn(r, day)) continue;
      const own = r.issuer === a && ['embargo', 'informal-embargo', 'framework-suspension'].includes(r.kind);
      if (DO_NOT_PLACE.has(r.kind) || r.partnershipWide || own) return 'do-not-place';
      verdict = 'caution';
    }
    const outcomes = world.byProvision.outcomes[p]!.filter((i) => world.outcomes[i]!.publishedAt! <= at);
    const latest = outcomes.length > 0 ? world.outcomes[outcomes[outcomes.length - 1]!]! : null;
    if (
      !latest ||
      latest.rating >= 3 ||
      (latest.restricted && latest.authority !== a) ||
      leadAt(world, p, at) < 0 ||
      provision.ofstedGrade === 'requires-improvement' ||
      provision.ofstedGrade === 'inadequate' ||
      addMonths(latest.activityDate, provision.type === 'unregulated' ? 3 : 12) < day ||
      rng.chance(0.1)
    )
      verdict = 'caution';
    return verdict;
  };

  /** What a check saw: the latest outcome and the active restrictions it may see, and which in detail. */
  const seenBy = (a: number, p: number, at: number): { seen: string[]; detail: string[] } => {
    const day = londonDay(at);
    const detail = hasBasis(a, p, at);
    const seen: string[] = [];
    const details: string[] = [];
    for (const r of restrictionsAt(p)) {
      if (r.createdAt > at || !isActiveOn(r, day) || (r.restricted && r.issuer !== a)) continue;
      seen.push(r.id);
      if (detail || r.issuer === a) details.push(r.id);
    }
    const outcomes = world.byProvision.outcomes[p]!.filter((i) => world.outcomes[i]!.publishedAt! <= at);
    const latest = outcomes.length > 0 ? world.outcomes[outcomes[outcomes.length - 1]!]! : null;
    if (latest && (!latest.restricted || latest.authority === a)) {
      seen.push(latest.id);
      if (detail || latest.authority === a) details.unshift(latest.id);
    }
    return { seen, detail: details };
  };

  const check = (a: number, p: number, at: number, rng: Rng): Entry => {
    const { seen, detail } = seenBy(a, p, at);
    return {
      clientId: authorities[a]!.clientId,
      action: 'check.placement',
      recordType: 'provision',
      recordIds: seen,
      provisionIds: [provisions[p]!.id],
      basis: 'member',
      details: { verdicts: { [provisions[p]!.id]: verdictOf(a, p, at, rng) }, detail, notFound: 0 },
    };
  };

  const basisOf = (a: number, publisher: number) => (publisher === a ? 'publisher' : 'placing');

  return (kind: number, a: number, ref: number, at: number, rng: Rng): Entry => {
    const client = authorities[a]!.clientId;
    const hubAdmin = { clientId: world.host.clientId, basis: 'hub-admin' };
    switch (kind) {
      case K.authorityCreate: {
        const m = authorities[ref]!;
        return {
          ...hubAdmin,
          action: 'authority.create',
          recordType: 'authority',
          recordIds: [m.id],
          provisionIds: [],
          details: { id: m.id, name: m.name, gssCode: m.gssCode, region: m.region, qaInbox: m.qaInbox },
        };
      }
      case K.clientCreate: {
        const m = authorities[ref]!;
        return {
          ...hubAdmin,
          action: 'client.create',
          recordType: 'client',
          recordIds: [m.clientId],
          provisionIds: [],
          details: { authorityId: m.id, name: m.clientName, role: m.role },
        };
      }
      case K.providerCreate: {
        const p = providers[ref]!;
        return {
          ...hubAdmin,
          action: 'provider.create',
          recordType: 'provider',
          recordIds: [p.id],
          provisionIds: [],
          details: p.companyNumber ? { name: p.name, companyNumber: p.companyNumber } : { name: p.name },
        };
      }
      case K.provisionCreate: {
        const p = provisions[ref]!;
        const input: Record<string, unknown> = {
          providerId: providers[p.provider]!.id,
          name: p.name,
          type: p.type,
          hostAuthorityId: idOf(p.host),
          registrationStatus: p.registrationStatus,
          ofstedGrade: p.ofstedGrade,
          postcode: p.postcode,
        };
        if (p.urn) input.urn = p.urn;
        if (p.ofstedGradeDate) input.ofstedGradeDate = p.ofstedGradeDate;
        return {
          ...hubAdmin,
          action: 'provision.create',
          recordType: 'provision',
          recordIds: [p.id],
          provisionIds: [p.id],
          details: input,
        };
      }
      case K.allocation: {
        const al = world.allocations[ref]!;
        const previous = al.previous >= 0 ? world.allocations[al.previous]! : null;
        return {
          ...hubAdmin,
          action: al.action,
          recordType: 'allocation',
          recordIds: previous ? [al.id, previous.id] : [al.id],
          provisionIds: [provisions[al.provision]!.id],
          details: {
            authorityId: idOf(al.authority),
            role: 'quality',
            startsOn: al.startsOn,
            previousAuthorityId: previous ? idOf(previous.authority) : null,
            rationale: al.rationale,
          },
        };
      }
      case K.placementDeclare: {
        const d = world.placements[ref]!;
        const old = d.supersedes >= 0 ? world.placements[d.supersedes]!.id : null;
        return {
          clientId: client,
          action: 'placement.declare',
          recordType: 'placement',
          recordIds: old ? [d.id, old] : [d.id],
          provisionIds: [provisions[d.provision]!.id],
          basis: 'placing',
          details: { children: d.children, fromDate: d.fromDate, superseded: old },
        };
      }
      case K.placementEnd: {
        const d = world.placements[ref]!;
        return {
          clientId: client,
          action: 'placement.end',
          recordType: 'placement',
          recordIds: [d.id],
          provisionIds: [provisions[d.provision]!.id],
          basis: 'placing',
          details: { endedOn: d.endedOn },
        };
      }
      case K.outcomeCreate:
      case K.outcomePublish:
      case K.outcomeAmend:
      case K.outcomeWithdraw: {
        const o = world.outcomes[ref]!;
        const base = {
          clientId: client,
          recordType: 'outcome',
          recordIds: [o.id],
          provisionIds: [provisions[o.provision]!.id],
          basis: 'publisher',
        };
        if (kind === K.outcomeCreate) return { ...base, action: 'outcome.create', details: {} };
        if (kind === K.outcomePublish)
          return { ...base, action: 'outcome.publish', details: { byLead: o.byLead } };
        const s = outcomeStates(world, o);
        if (kind === K.outcomeAmend) {
          const amendment = s.content.amendment!;
          return {
            ...base,
            action: 'outcome.amend',
            details: { fromVersion: 2, reason: amendment.reason, fields: [...amendment.fields].sort() },
          };
        }
        return { ...base, action: 'outcome.withdraw', details: { reason: s.withdrawn!.withdrawnReason } };
      }
      case K.restrictionCreate:
      case K.restrictionLift: {
        const r = world.restrictions[ref]!;
        const base = {
          clientId: client,
          recordType: 'restriction',
          recordIds: [r.id],
          provisionIds: provisionIdsOf(r),
          basis: 'publisher',
        };
        if (kind === K.restrictionCreate)
          return {
            ...base,
            action: 'restriction.create',
            details: { kind: r.kind, providerId: r.provider >= 0 ? providers[r.provider]!.id : null },
          };
        return {
          ...base,
          action: 'restriction.lift',
          details: { liftedOn: r.liftedOn, reason: restrictionStates(world, r).lifted!.liftedReason },
        };
      }
      case K.concernLog: {
        const c = world.concerns[ref]!;
        return {
          clientId: client,
          action: 'concern.log',
          recordType: 'concern',
          recordIds: [c.id],
          provisionIds: [provisions[c.provision]!.id],
          basis: 'publisher',
          details: { category: c.category, level: c.level },
        };
      }
      case K.checkMany: {
        const region = inRegion.get(provisions[ref]!.region)!;
        const shortlist = [ref, ...rng.sample(region, rng.int(1, 11)).filter((p) => p !== ref)];
        const verdicts: Record<string, string> = {};
        const seen: string[] = [];
        const detail: string[] = [];
        for (const p of shortlist) {
          verdicts[provisions[p]!.id] = verdictOf(a, p, at, rng);
          const s = seenBy(a, p, at);
          seen.push(...s.seen);
          detail.push(...s.detail);
        }
        return {
          clientId: client,
          action: 'check.placementMany',
          recordType: 'provision',
          recordIds: seen,
          provisionIds: Object.keys(verdicts),
          basis: 'member',
          details: { verdicts, detail, notFound: 0 },
        };
      }
      case K.outcomeRead:
      case K.outcomeList: {
        const readable = readableOutcomes(a, ref, at);
        if (readable.length === 0) return check(a, ref, at, rng);
        if (kind === K.outcomeRead) {
          const o = readable[readable.length - 1 - Math.floor(Math.pow(rng.next(), 3) * readable.length)]!;
          const basis = basisOf(a, o.authority);
          return {
            clientId: client,
            action: 'outcome.read',
            recordType: 'outcome',
            recordIds: [o.id],
            provisionIds: [provisions[ref]!.id],
            basis,
            details: { rule: basis === 'publisher' ? 'publisher-detail' : 'need-to-know-detail' },
          };
        }
        const listed = readable.slice(-20).reverse();
        const bases: Record<string, string> = {};
        for (const o of listed) bases[o.id] = basisOf(a, o.authority);
        return {
          clientId: client,
          action: 'outcome.list',
          recordType: 'outcome',
          recordIds: listed.map((o) => o.id),
          provisionIds: [provisions[ref]!.id],
          basis: [...new Set(Object.values(bases))].sort().join(','),
          details: { detail: bases },
        };
      }
      case K.restrictionRead:
      case K.restrictionList: {
        const readable = restrictionsAt(ref).filter(
          (r) => r.createdAt <= at && (!r.restricted || r.issuer === a),
        );
        if (readable.length === 0) return check(a, ref, at, rng);
        if (kind === K.restrictionRead) {
          const r = rng.pick(readable);
          const basis = basisOf(a, r.issuer);
          return {
            clientId: client,
            action: 'restriction.read',
            recordType: 'restriction',
            recordIds: [r.id],
            provisionIds: provisionIdsOf(r),
            basis,
            details: { rule: basis === 'publisher' ? 'publisher-detail' : 'need-to-know-detail' },
          };
        }
        const listed = [...readable]
          .sort((x, y) => (x.effectiveFrom < y.effectiveFrom ? 1 : -1))
          .slice(0, 50);
        const bases: Record<string, string> = {};
        for (const r of listed) bases[r.id] = basisOf(a, r.issuer);
        return {
          clientId: client,
          action: 'restriction.list',
          recordType: 'restriction',
          recordIds: listed.map((r) => r.id),
          provisionIds: [
            ...new Set(listed.flatMap((r) => (r.provision >= 0 ? [provisions[r.provision]!.id] : []))),
          ],
          basis: [...new Set(Object.values(bases))].sort().join(','),
          details: { detail: bases },
        };
      }
      case K.concernList: {
        const day = londonDay(at);
        const since = addDays(addMonths(day, -12), 1);
        const readable = ix.concernsOfProvision[ref]!.map((i) => world.concerns[i]!).filter(
          (c) => c.createdAt <= at && c.occurredOn >= since && (!c.restricted || c.authority === a),
        );
        if (readable.length === 0) return check(a, ref, at, rng);
        const bases: Record<string, string> = {};
        for (const c of readable) bases[c.id] = basisOf(a, c.authority);
        return {
          clientId: client,
          action: 'concern.list',
          recordType: 'concern',
          recordIds: readable.map((c) => c.id),
          provisionIds: [provisions[ref]!.id],
          basis: [...new Set(Object.values(bases))].sort().join(','),
          details: { detail: bases },
        };
      }
      default:
        return check(a, ref, at, rng);
    }
  };
};

const heads = new WeakMap<World, AuditHeadRow[]>();

/** Every authority's chain, entry by entry; ids run in the order written. */
export function* auditRows(world: World): Generator<AuditRow> {
  const plan = planAudit(world);
  const build = entryFactory(world, indexes(world));
  const requests = new Rng(world.options.seed, 'audit-requests');
  const chainHeads: AuditHeadRow[] = [];
  let id = 0;
  for (let a = 0; a < world.authorities.length; a++) {
    const authorityId = world.authorities[a]!.id;
    let prevHash = GENESIS_HASH;
    let lastPrevHash = GENESIS_HASH;
    let seq = 0;
    for (let k = plan.starts[a]!; k < plan.starts[a + 1]!; k++) {
      const e = plan.order[k]!;
      const at = new Date(plan.at[e]!);
      const entry = build(
        plan.kind[e]!,
        a,
        plan.ref[e]!,
        plan.at[e]!,
        new Rng(world.options.seed, `audit:${e}`),
      );
      seq++;
      const hashed = {
        authorityId,
        seq,
        at: at.toISOString(),
        clientId: entry.clientId,
        personId: null,
        action: entry.action,
        recordType: entry.recordType,
        recordIds: entry.recordIds,
        provisionIds: entry.provisionIds,
        basis: entry.basis,
        requestId: requests.uuid(),
        details: entry.details as Record<string, unknown>,
      };
      const hash = hashAuditEntry(prevHash, hashed);
      yield { id: ++id, ...hashed, at, prevHash, hash };
      lastPrevHash = prevHash;
      prevHash = hash;
    }
    if (seq > 0) chainHeads.push({ authorityId, seq, prevHash: lastPrevHash, hash: prevHash });
  }
  heads.set(world, chainHeads);
}

/** The head of each chain: written after the chains (building them if they were not yet). */
export function* auditHeadRows(world: World): Generator<AuditHeadRow> {
  if (!heads.has(world)) for (const _ of auditRows(world));
  yield* heads.get(world)!;
}
