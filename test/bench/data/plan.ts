// The skeleton of the synthetic England: who exists, where settings stand, who places children where,
// who leads each setting, and when every outcome, restriction and concern happened. Plans hold the
// structure only; the rows (with their text) are expanded from them in rows.ts, one record at a time.
import { planAuthorities, planDirectory } from './plan-directory.js';
import { planAllocations, planPlacements } from './plan-placements.js';
import { planConcerns, planOutcomes, planRestrictions } from './plan-records.js';
import { clockFor } from './time.js';
import type { GenerateOptions, World } from './world.js';

export * from './world.js';
export { benchClientId, benchClientSecret } from './plan-directory.js';

const groupBy = (n: number, items: readonly { index: number }[], key: (i: number) => number): number[][] => {
  const groups = Array.from({ length: n }, (): number[] => []);
  for (const item of items) groups[key(item.index)]!.push(item.index);
  return groups;
};

/** Plans the whole world. Deterministic in (seed, scale, asOf). */
export const planWorld = (options: GenerateOptions): World => {
  const clock = clockFor(options.asOf);
  const { members, host } = planAuthorities(options, clock);
  const authorities = [...members, host];
  const { providers, provisions } = planDirectory(options, clock, members);
  const placements = planPlacements(options, clock, members, provisions);
  const placementsOf = groupBy(provisions.length, placements, (i) => placements[i]!.provision);
  const allocations = planAllocations(options, clock, authorities, provisions, placements, placementsOf);
  const world: World = {
    options,
    clock,
    members,
    host,
    authorities,
    providers,
    provisions,
    placements,
    allocations,
    outcomes: [],
    restrictions: [],
    concerns: [],
    byProvision: {
      placements: placementsOf,
      allocations: groupBy(provisions.length, allocations, (i) => allocations[i]!.provision),
      outcomes: [],
    },
  };
  world.outcomes = planOutcomes(world);
  world.byProvision.outcomes = groupBy(provisions.length, [], () => 0);
  for (const o of world.outcomes)
    if (o.publishedAt !== null) world.byProvision.outcomes[o.provision]!.push(o.index);
  for (const list of world.byProvision.outcomes)
    list.sort((a, b) => world.outcomes[a]!.publishedAt! - world.outcomes[b]!.publishedAt! || a - b);
  world.restrictions = planRestrictions(world);
  world.concerns = planConcerns(world);

  // The directory records what active regulator actions and closures say about a setting.
  for (const r of world.restrictions) {
    if (r.state !== 'active' || r.provision < 0) continue;
    const p = world.provisions[r.provision]!;
    if (r.kind === 'registration-cancelled') p.registrationStatus = 'cancelled';
    else if (r.kind === 'ofsted-suspension' && p.registrationStatus === 'registered')
      p.registrationStatus = 'suspended';
    else if (r.kind === 'ceased-operating') p.registrationStatus = 'closed';
  }
  return world;
};
