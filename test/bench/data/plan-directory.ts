// The members and the directory: the 153 councils (and the host) with their clients, the providers,
// and the settings they run, spread unevenly over the councils' areas.
import { createHmac } from 'node:crypto';
import {
  PROVISION_TYPES,
  REGIONS,
  type OfstedGrade,
  type ProvisionType,
  type Region,
  type RegistrationStatus,
} from '@ccx/schema';
import { loadConfig } from '@ccx/server/testing';
import { CARE_FACTOR, HOSTING_FACTOR, POSTCODE_AREAS, councils } from './england.js';
import { Rng, WeightedPicker } from './random.js';
import { DAY_MS, addDays, type Clock } from './time.js';
import {
  HOUSE_STEMS,
  HOUSE_WORDS,
  NAME_STEMS,
  PROVIDER_MIDDLES,
  PROVIDER_SUFFIXES,
  STREETS,
} from './words.js';
import {
  BASE_COUNTS,
  scaled,
  type AuthorityPlan,
  type GenerateOptions,
  type ProviderPlan,
  type ProvisionPlan,
} from './world.js';

const BENCH_CLIENT_PREFIX = 'ccx_bench';

/** Client ids in the hub's form (ccx_ and 20 lower-case letters or digits), numbered. */
export const benchClientId = (n: number): string => `${BENCH_CLIENT_PREFIX}${String(n).padStart(15, '0')}`;

/** A client secret in the hub's form, derived from the seed: bench data has known secrets. */
export const benchClientSecret = (seed: number, clientId: string): string =>
  `ccxs_${createHmac('sha256', `ccx-bench-secret:${seed}`).update(clientId).digest('base64url')}`;

export const planAuthorities = (
  opts: GenerateOptions,
  clock: Clock,
): { members: AuthorityPlan[]; host: AuthorityPlan } => {
  const rng = new Rng(opts.seed, 'authorities');
  const onboarding = Date.parse(`${addDays(clock.firstDay, -30)}T09:00:00Z`);
  const members = councils().map((c, index): AuthorityPlan => {
    const clientId = benchClientId(index + 1);
    return {
      index,
      id: c.id,
      name: c.name,
      region: c.region,
      gssCode: c.gssCode,
      qaInbox: `qa@${c.id}.example.gov.uk`,
      isHost: false,
      createdAt: onboarding + index * 60_000,
      clientId,
      clientName: `${c.place} officer (bench)`,
      clientSecret: benchClientSecret(opts.seed, clientId),
      role: 'officer',
      placeWeight: c.population * CARE_FACTOR[c.region] * rng.logNormal(0.25),
      hostWeight: Math.max(1, c.population) * HOSTING_FACTOR[c.region] * rng.logNormal(0.6),
    };
  });
  // Exactly the row the hub's first start writes with the default configuration.
  const hostConfig = loadConfig({}).hostAuthority;
  const hostClientId = benchClientId(0);
  const host: AuthorityPlan = {
    index: members.length,
    id: hostConfig.id,
    name: hostConfig.name,
    region: hostConfig.region,
    gssCode: null,
    qaInbox: hostConfig.qaInbox,
    isHost: true,
    createdAt: onboarding - DAY_MS,
    clientId: hostClientId,
    clientName: 'Bench hub-admin',
    clientSecret: benchClientSecret(opts.seed, hostClientId),
    role: 'hub-admin',
    placeWeight: 0,
    hostWeight: 0,
  };
  return { members, host };
};

// ---------------------------------------------------------------------------------------------------
// Providers and provisions

const TYPE_WEIGHTS: readonly (readonly [ProvisionType, number])[] = [
  ['childrens-home', 54],
  ['supported-accommodation', 12],
  ['independent-fostering-agency', 8],
  ['residential-special-school', 6],
  ['short-breaks-home', 5],
  ['residential-family-centre', 3],
  ['secure-childrens-home', 1.5],
  ['unregulated', 10.5],
];

const CAPACITY: Record<ProvisionType, number> = {
  'childrens-home': 1.4,
  'short-breaks-home': 0.6,
  'secure-childrens-home': 2,
  'independent-fostering-agency': 6,
  'residential-special-school': 1.6,
  'residential-family-centre': 0.7,
  'supported-accommodation': 2,
  unregulated: 0.8,
};

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const postcodeIn = (rng: Rng, region: Region): string => {
  const area = rng.pick(POSTCODE_AREAS[region]);
  const district = rng.int(1, area.length === 1 ? 40 : 29);
  return `${area}${district} ${rng.int(1, 9)}${rng.pick([...INWARD_LETTERS])}${rng.pick([...INWARD_LETTERS])}`;
};

const providerName = (rng: Rng, taken: Set<string>): string => {
  for (let i = 0; i < 50; i++) {
    const name = `${rng.pick(NAME_STEMS)} ${rng.pick(PROVIDER_MIDDLES)} ${rng.pick(PROVIDER_SUFFIXES)}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  const name = `${rng.pick(NAME_STEMS)} ${rng.pick(NAME_STEMS)} ${rng.pick(PROVIDER_MIDDLES)} Ltd`;
  taken.add(name);
  return name;
};

const provisionName = (rng: Rng, type: ProvisionType, provider: string, place: string): string => {
  const house = `${rng.pick(HOUSE_STEMS)} ${rng.pick(HOUSE_WORDS)}`;
  const short = provider.replace(
    / (Ltd|Limited|Group Ltd|Holdings Ltd|\(UK\) Ltd|Services Ltd|CIC|Trust)$/,
    '',
  );
  switch (type) {
    case 'independent-fostering-agency':
      return `${short} (${place})`;
    case 'residential-special-school':
      return `${rng.pick(HOUSE_STEMS)} ${rng.pick(['School', 'College', 'Academy'])}`;
    case 'secure-childrens-home':
      return `${rng.pick(HOUSE_STEMS)} Secure Children's Home`;
    case 'residential-family-centre':
      return `${rng.pick(HOUSE_STEMS)} Family Centre`;
    case 'short-breaks-home':
      return `${house} Short Breaks`;
    case 'supported-accommodation':
      return `${rng.pick(HOUSE_STEMS)} ${rng.pick(['Supported Living', 'Flats', 'Step Down', 'Pathway'])}`;
    case 'unregulated':
      return `${rng.int(1, 240)} ${rng.pick(STREETS)}, ${place}`;
    default:
      return house;
  }
};

const GRADE_BASE: readonly (readonly [OfstedGrade, number])[] = [
  ['outstanding', 15],
  ['good', 64],
  ['requires-improvement', 15],
  ['inadequate', 3],
  ['not-yet-inspected', 3],
];

const REGISTRATION_BASE: readonly (readonly [RegistrationStatus, number])[] = [
  ['registered', 95.5],
  ['applied', 2.5],
  ['suspended', 0.4],
  ['cancelled', 0.3],
  ['closed', 1.3],
];

export const planDirectory = (
  opts: GenerateOptions,
  clock: Clock,
  members: AuthorityPlan[],
): { providers: ProviderPlan[]; provisions: ProvisionPlan[] } => {
  const rng = new Rng(opts.seed, 'directory');
  const nProviders = scaled(BASE_COUNTS.providers, opts.scale);
  const nProvisions = Math.max(nProviders, scaled(BASE_COUNTS.provisions, opts.scale));
  const importStart = Date.parse(`${addDays(clock.firstDay, -25)}T08:00:00Z`);

  const regionWeight = new Map<Region, number>();
  for (const a of members) regionWeight.set(a.region, (regionWeight.get(a.region) ?? 0) + a.hostWeight);
  const regionItems = REGIONS.map((r) => [r, regionWeight.get(r) ?? 0] as const);
  const hostsIn = new Map<Region, { list: AuthorityPlan[]; picker: WeightedPicker }>();
  for (const r of REGIONS) {
    const list = members.filter((a) => a.region === r);
    hostsIn.set(r, { list, picker: new WeightedPicker(list.map((a) => a.hostWeight)) });
  }

  const names = new Set<string>();
  const numbers = new Set<string>();
  const providers: ProviderPlan[] = [];
  for (let i = 0; i < nProviders; i++) {
    let companyNumber: string | null = null;
    if (!rng.chance(0.05)) {
      do {
        companyNumber = rng.chance(0.04)
          ? `SC${String(rng.int(100000, 999999))}`
          : String(rng.int(1_000_000, 15_999_999)).padStart(8, '0');
      } while (numbers.has(companyNumber));
      numbers.add(companyNumber);
    }
    providers.push({
      index: i,
      id: rng.uuid(),
      name: providerName(rng, names),
      companyNumber,
      createdAt: importStart + Math.floor((i / nProviders) * 4 * DAY_MS) + rng.int(0, 3_600_000),
      homeRegion: rng.weighted(regionItems),
      provisions: [],
    });
  }

  // Every provider runs at least one setting; a few groups run many.
  const size = providers.map(() => Math.pow(1 - rng.next() * 0.999, -1 / 1.3));
  const sizePicker = new WeightedPicker(size);
  const ownerOf = (i: number): number => (i < nProviders ? i : sizePicker.pick(rng));
  const primaryType = providers.map(() => rng.weighted(TYPE_WEIGHTS));

  const urns = new Set<string>();
  const newUrn = (school: boolean): string => {
    for (;;) {
      const urn = school
        ? String(rng.int(100000, 149999))
        : `SC${String(rng.int(0, 999999)).padStart(6, '0')}`;
      if (!urns.has(urn)) {
        urns.add(urn);
        return urn;
      }
    }
  };

  const provisions: ProvisionPlan[] = [];
  for (let i = 0; i < nProvisions; i++) {
    const providerIndex = ownerOf(i);
    const provider = providers[providerIndex]!;
    // The first settings take every type, registration status and grade, so each appears at any scale.
    const forced = i - PROVISION_TYPES.length;
    const type: ProvisionType =
      forced < 0
        ? PROVISION_TYPES[i]!
        : forced < REGISTRATION_BASE.length + GRADE_BASE.length
          ? 'childrens-home'
          : rng.chance(0.75)
            ? primaryType[providerIndex]!
            : rng.weighted(TYPE_WEIGHTS);
    const region = rng.chance(0.7) ? provider.homeRegion : rng.weighted(regionItems);
    const hosts = hostsIn.get(region)!;
    const host = hosts.list[hosts.picker.pick(rng)]!;
    const z = rng.normal();
    const trouble = Math.exp(0.9 * z);
    let registrationStatus: RegistrationStatus = 'not-required';
    let ofstedGrade: OfstedGrade = 'not-yet-inspected';
    let ofstedGradeDate: string | null = null;
    let urn: string | null = null;
    if (type !== 'unregulated') {
      const gradeForced = forced - REGISTRATION_BASE.length;
      registrationStatus =
        forced >= 0 && forced < REGISTRATION_BASE.length
          ? REGISTRATION_BASE[forced]![0]
          : gradeForced >= 0 && gradeForced < GRADE_BASE.length
            ? 'registered'
            : rng.weighted(
                REGISTRATION_BASE.map(
                  ([s, w]) => [s, s === 'registered' ? w : w * Math.sqrt(trouble)] as const,
                ),
              );
      ofstedGrade =
        registrationStatus === 'applied'
          ? 'not-yet-inspected'
          : gradeForced >= 0 && gradeForced < GRADE_BASE.length
            ? GRADE_BASE[gradeForced]![0]
            : rng.weighted(
                GRADE_BASE.map(([g, w]) => {
                  const f =
                    g === 'outstanding'
                      ? Math.pow(trouble, -0.6)
                      : g === 'requires-improvement' || g === 'inadequate'
                        ? Math.pow(trouble, 0.9)
                        : 1;
                  return [g, w * f] as const;
                }),
              );
      if (ofstedGrade !== 'not-yet-inspected')
        ofstedGradeDate = addDays(clock.lastDay, -rng.int(0, ofstedGrade === 'outstanding' ? 1000 : 540));
      // Supported accommodation registered recently; some have no URN yet.
      if (!(type === 'supported-accommodation' && rng.chance(0.3)) && registrationStatus !== 'applied')
        urn = newUrn(type === 'residential-special-school');
    }
    const statusFactor = ['registered', 'not-required'].includes(registrationStatus)
      ? 1
      : registrationStatus === 'applied'
        ? 0.3
        : 0.08;
    provisions.push({
      index: i,
      id: rng.uuid(),
      provider: providerIndex,
      name: provisionName(rng, type, provider.name, host.name.replace(/ (County )?Council$/, '')),
      urn,
      type,
      host: host.index,
      region,
      registrationStatus,
      ofstedGrade,
      ofstedGradeDate,
      postcode: postcodeIn(rng, region),
      createdAt:
        importStart + 5 * DAY_MS + Math.floor((i / nProvisions) * 18 * DAY_MS) + rng.int(0, 3_600_000),
      trouble,
      capacity: CAPACITY[type] * rng.logNormal(0.5) * statusFactor,
    });
    provider.provisions.push(i);
  }
  return { providers, provisions };
};
