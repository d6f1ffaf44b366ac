// Placement declarations (mostly near home, a long tail far away; one open per authority and
// setting) and the allocations they lead to: autoAllocate's own rule on today's declarations.
import { REGIONS, type ProvisionType, type Region } from '@ccx/schema';
import { NEIGHBOURS } from './england.js';
import { Rng, WeightedPicker } from './random.js';
import { HISTORY_DAYS, addDays, dateBetween, daysBetween, officeInstant, type Clock } from './time.js';
import {
  BASE_COUNTS,
  scaled,
  type AllocationPlan,
  type AuthorityPlan,
  type GenerateOptions,
  type PlacementPlan,
  type ProvisionPlan,
} from './world.js';

// ---------------------------------------------------------------------------------------------------
// Placement declarations

const childrenFor = (rng: Rng, type: ProvisionType): number =>
  type === 'independent-fostering-agency' || type === 'supported-accommodation'
    ? rng.weighted([
        [1, 35],
        [2, 30],
        [3, 20],
        [4, 15],
      ])
    : rng.weighted([
        [1, 62],
        [2, 24],
        [3, 9],
        [4, 5],
      ]);

export const planPlacements = (
  opts: GenerateOptions,
  clock: Clock,
  members: AuthorityPlan[],
  provisions: ProvisionPlan[],
): PlacementPlan[] => {
  const rng = new Rng(opts.seed, 'placements');
  const total = scaled(BASE_COUNTS.placements, opts.scale);
  const ended = Math.round(total * 0.2);
  const open = total - ended;
  const superseded = Math.round(ended * 0.4);

  const inRegion = new Map<Region, { list: number[]; picker: WeightedPicker }>();
  const regionCapacity = new Map<Region, number>();
  for (const r of REGIONS) {
    const list = provisions.filter((p) => p.region === r).map((p) => p.index);
    const picker = new WeightedPicker(list.map((i) => provisions[i]!.capacity));
    inRegion.set(r, { list, picker });
    regionCapacity.set(r, picker.total);
  }
  const own = new Map<number, { list: number[]; picker: WeightedPicker }>();
  for (const p of provisions) {
    const entry = own.get(p.host) ?? { list: [], picker: new WeightedPicker([]) };
    entry.list.push(p.index);
    own.set(p.host, entry);
  }
  for (const entry of own.values())
    entry.picker = new WeightedPicker(entry.list.map((i) => provisions[i]!.capacity));
  const all = new WeightedPicker(provisions.map((p) => p.capacity));
  const pickIn = (r: Region): number => {
    const e = inRegion.get(r)!;
    return e.picker.total > 0 ? e.list[e.picker.pick(rng)]! : all.pick(rng);
  };
  const regionItems = (list: readonly Region[]) => list.map((r) => [r, regionCapacity.get(r) ?? 0] as const);

  /** Mostly near home, with a long tail far away; London places out of London more often than not. */
  const choose = (a: AuthorityPlan): number => {
    const london = a.region === 'london';
    const r = rng.next();
    const mine = own.get(a.index);
    if (r < (london ? 0.1 : 0.22) && mine && mine.picker.total > 0) return mine.list[mine.picker.pick(rng)]!;
    if (r < (london ? 0.35 : 0.68)) return pickIn(a.region);
    if (r < (london ? 0.85 : 0.9)) return pickIn(rng.weighted(regionItems(NEIGHBOURS[a.region])));
    return pickIn(rng.weighted(regionItems(REGIONS)));
  };

  const authorityPicker = new WeightedPicker(members.map((a) => a.placeWeight));
  const nProvisions = provisions.length;
  const openPairs = new Set<number>();
  const placements: PlacementPlan[] = [];
  const add = (p: Omit<PlacementPlan, 'index' | 'id'>): PlacementPlan => {
    const plan = { index: placements.length, id: rng.uuid(), ...p };
    placements.push(plan);
    return plan;
  };
  const freePair = (taken: (key: number) => boolean): [number, number] | null => {
    for (let tries = 0; tries < 200; tries++) {
      const a = authorityPicker.pick(rng);
      const p = tries < 150 ? choose(members[a]!) : rng.int(0, nProvisions - 1);
      if (!taken(a * nProvisions + p)) return [a, p];
    }
    return null;
  };

  for (let k = 0; k < open; k++) {
    const pair = freePair((key) => openPairs.has(key));
    if (!pair) break;
    const [a, p] = pair;
    openPairs.add(a * nProvisions + p);
    // Open declarations lean older: children stay for months or years.
    const back = 1 + Math.floor((HISTORY_DAYS - 1) * Math.pow(rng.next(), 0.75));
    const fromDate = addDays(clock.asOf, -back);
    const declaredOn = addDays(fromDate, Math.min(rng.int(0, 7), daysBetween(fromDate, clock.lastDay)));
    add({
      authority: a,
      provision: p,
      children: childrenFor(rng, provisions[p]!.type),
      fromDate,
      endedOn: null,
      createdAt: officeInstant(rng, declaredOn),
      endedAt: null,
      supersedes: -1,
      supersededBy: -1,
    });
  }

  // Superseded declarations: an earlier count at the same setting, ended by the open one's date.
  const candidates = placements.filter((p) => daysBetween(clock.firstDay, p.fromDate) >= 45);
  const chosen = rng.sample(candidates, superseded);
  for (const next of chosen) {
    const span = daysBetween(clock.firstDay, next.fromDate);
    const fromDate = addDays(next.fromDate, -rng.int(30, Math.min(400, span)));
    const old = add({
      authority: next.authority,
      provision: next.provision,
      children: childrenFor(rng, provisions[next.provision]!.type),
      fromDate,
      endedOn: next.fromDate,
      createdAt: officeInstant(rng, addDays(fromDate, rng.int(0, 5))),
      endedAt: next.createdAt,
      supersedes: -1,
      supersededBy: next.index,
    });
    next.supersedes = old.index;
  }

  // Ended declarations with nothing open after them.
  const endedPairs = new Set<number>();
  for (let k = placements.length; k < total; k++) {
    const pair = freePair((key) => openPairs.has(key) || endedPairs.has(key));
    if (!pair) break;
    const [a, p] = pair;
    endedPairs.add(a * nProvisions + p);
    const fromDate = dateBetween(rng, clock.firstDay, addDays(clock.lastDay, -30));
    let endedOn = addDays(fromDate, rng.int(14, 700));
    if (endedOn > clock.lastDay) endedOn = clock.lastDay;
    add({
      authority: a,
      provision: p,
      children: childrenFor(rng, provisions[p]!.type),
      fromDate,
      endedOn,
      createdAt: officeInstant(rng, addDays(fromDate, rng.int(0, 5))),
      endedAt: officeInstant(rng, endedOn),
      supersedes: -1,
      supersededBy: -1,
    });
  }
  return placements;
};

// ---------------------------------------------------------------------------------------------------
// Allocations: autoAllocate's rule on today's declarations, with some reassignments in the past

export const planAllocations = (
  opts: GenerateOptions,
  clock: Clock,
  authorities: AuthorityPlan[],
  provisions: ProvisionPlan[],
  placements: PlacementPlan[],
  placementsOf: number[][],
): AllocationPlan[] => {
  const rng = new Rng(opts.seed, 'allocations');
  const allocations: AllocationPlan[] = [];
  const load = new Map<number, number>();
  const byId = [...provisions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of byId) {
    const open = placementsOf[p.index]!.map((i) => placements[i]!).filter((d) => d.endedOn === null);
    if (open.length < 2) continue;
    const placing = open
      .map((d) => ({ authority: d.authority, id: authorities[d.authority]!.id, children: d.children }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const total = placing.reduce((n, x) => n + x.children, 0);
    const hostId = authorities[p.host]!.id;
    let chosen: (typeof placing)[number];
    let rationale: string;
    const host = placing.find((x) => x.authority === p.host);
    if (host) {
      chosen = host;
      rationale = `${host.id} is the host authority and places ${host.children} of the ${total} children here`;
    } else {
      const most = Math.max(...placing.map((x) => x.children));
      const top = placing.filter((x) => x.children === most);
      if (top.length === 1) {
        chosen = top[0]!;
        rationale = `${chosen.id} places the most children here (${most} of ${total}); the host authority ${hostId} places none`;
      } else {
        const fewest = Math.min(...top.map((x) => load.get(x.authority) ?? 0));
        const lightest = top.filter((x) => (load.get(x.authority) ?? 0) === fewest);
        chosen = lightest[0]!;
        const names = top.map((x) => x.id).join(', ');
        rationale =
          lightest.length === 1
            ? `${names} each place ${most} of ${total} children here; ${chosen.id} has the fewest current allocations (${fewest})`
            : `${names} each place ${most} of ${total} children here; ${lightest.map((x) => x.id).join(', ')} each have ${fewest} current allocations; ${chosen.id} comes first by id`;
      }
    }
    load.set(chosen.authority, (load.get(chosen.authority) ?? 0) + 1);

    // Allocated once a second member placed there, on the next automatic run.
    const froms = open.map((d) => d.fromDate).sort();
    let startsOn = addDays(froms[1]!, rng.int(0, 14));
    if (startsOn > clock.lastDay) startsOn = clock.lastDay;
    const room = daysBetween(startsOn, clock.lastDay);
    const others = [
      ...new Set(
        placementsOf[p.index]!.map((i) => placements[i]!.authority).filter((a) => a !== chosen.authority),
      ),
    ];
    if (room >= 60 && others.length > 0 && rng.chance(0.2)) {
      // An earlier lead, replaced by hand when the placing pattern changed.
      const prevAuthority = rng.pick(others);
      const prevAt = officeInstant(rng, startsOn);
      const reassignedOn = addDays(startsOn, rng.int(30, room));
      const at = officeInstant(rng, reassignedOn);
      const prevId = authorities[prevAuthority]!.id;
      const previous: AllocationPlan = {
        index: allocations.length,
        id: rng.uuid(),
        provision: p.index,
        authority: prevAuthority,
        startsOn,
        createdAt: prevAt,
        endedAt: at,
        endedReason: `reassigned to ${chosen.id}`,
        rationale: `automatic: ${prevId} places the most children here (${rng.int(2, 4)} of ${rng.int(4, 7)}); the host authority ${hostId} places none`,
        action: 'allocation.auto',
        previous: -1,
      };
      allocations.push(previous);
      allocations.push({
        index: allocations.length,
        id: rng.uuid(),
        provision: p.index,
        authority: chosen.authority,
        startsOn: reassignedOn,
        createdAt: at,
        endedAt: null,
        endedReason: null,
        rationale: `reassigned by the partnership: ${rationale}`,
        action: 'allocation.assign',
        previous: previous.index,
      });
    } else {
      allocations.push({
        index: allocations.length,
        id: rng.uuid(),
        provision: p.index,
        authority: chosen.authority,
        startsOn,
        createdAt: officeInstant(rng, startsOn),
        endedAt: null,
        endedReason: null,
        rationale: `automatic: ${rationale}`,
        action: 'allocation.auto',
        previous: -1,
      });
    }
  }
  return allocations;
};

/** Whether the authority held the provision's quality allocation at that instant (as publishOutcome asks). */
