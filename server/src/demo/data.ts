// Invented but realistic demo data: member councils (real names, invented contacts), invented providers
// and settings of every type. Deterministic: the same seed gives the same directory.
// No child appears anywhere; settings and providers are fictional.
import {
  type Provision,
  PROVISION_TYPES,
  type OfstedGrade,
  type ProvisionType,
  type Region,
  type RegistrationStatus,
} from '@ccx/schema';
import type { Actor } from '../domain/actor.js';
import type { Db } from '../db/index.js';
import { createAuthority } from '../domain/authorities/authorities.js';
import { createProvider } from '../domain/directory/providers.js';
import { createProvision } from '../domain/directory/provisions.js';

/** mulberry32: a small seeded PRNG, so the demo is the same on every machine. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type DemoAuthority = { id: string; name: string; gssCode: string; region: Region; postcodeAreas: string[] };

export const DEMO_AUTHORITIES: DemoAuthority[] = [
  { id: 'medway', name: 'Medway Council', gssCode: 'E06000035', region: 'south-east', postcodeAreas: ['ME'] },
  { id: 'bolton', name: 'Bolton Council', gssCode: 'E08000001', region: 'north-west', postcodeAreas: ['BL'] },
  {
    id: 'north-tyneside',
    name: 'North Tyneside Council',
    gssCode: 'E08000022',
    region: 'north-east',
    postcodeAreas: ['NE'],
  },
  {
    id: 'knowsley',
    name: 'Knowsley Council',
    gssCode: 'E08000011',
    region: 'north-west',
    postcodeAreas: ['L'],
  },
  {
    id: 'worcestershire',
    name: 'Worcestershire County Council',
    gssCode: 'E10000034',
    region: 'west-midlands',
    postcodeAreas: ['WR', 'DY'],
  },
  {
    id: 'kent',
    name: 'Kent County Council',
    gssCode: 'E10000016',
    region: 'south-east',
    postcodeAreas: ['CT', 'TN'],
  },
  {
    id: 'leeds',
    name: 'Leeds City Council',
    gssCode: 'E08000035',
    region: 'yorkshire-and-the-humber',
    postcodeAreas: ['LS'],
  },
  {
    id: 'essex',
    name: 'Essex County Council',
    gssCode: 'E10000012',
    region: 'east-of-england',
    postcodeAreas: ['CM', 'CO'],
  },
];

/** The three demo authorities whose clients `npm run demo` prints. */
export const DEMO_CLIENTS = [
  { authorityId: 'medway', role: 'officer', name: 'Medway QA team (demo)' },
  { authorityId: 'bolton', role: 'officer', name: 'Bolton commissioning (demo)' },
  { authorityId: 'north-tyneside', role: 'viewer', name: 'North Tyneside placements (demo)' },
] as const;

const PROVIDER_FIRST = [
  'Oakfield',
  'Brightpath',
  'Harbour',
  'Willowbrook',
  'Northstar',
  'Keystone',
  'Meadowview',
  'Riverside',
  'Cedar',
  'Lighthouse',
  'Evergreen',
  'Foxglove',
  'Hillcrest',
  'Compass',
  'Kingfisher',
  'Beacon',
  'Heathland',
  'Summit',
  'Larchwood',
  'Pathways',
  'Thistle',
  'Brambles',
  'Fairhaven',
  'Rowan',
  'Stepping Stones',
  'Horizon',
  'Greenacre',
  'Ashdown',
  'Marigold',
  'Orchard',
  'Silverbirch',
  'Wayfarer',
];
const PROVIDER_LAST = [
  'Care Ltd',
  "Children's Services Ltd",
  'Family Care Ltd',
  'Homes Ltd',
  'Fostering Ltd',
  'Care Group Ltd',
  'Support Services CIC',
  'Education Trust',
];
const SETTING_FIRST = [
  'Oak',
  'Ash',
  'Beech',
  'Elm',
  'Hazel',
  'Holly',
  'Juniper',
  'Laurel',
  'Maple',
  'Poplar',
  'Rowan',
  'Sycamore',
  'Willow',
  'Alder',
  'Birch',
  'Chestnut',
  'Hawthorn',
  'Linden',
  'Yew',
  'Cherry',
];
const SETTING_LAST: Record<ProvisionType, string[]> = {
  'childrens-home': ['House', 'Lodge', 'View', 'Cottage', 'Grange'],
  'short-breaks-home': ['Short Breaks', 'Respite House'],
  'secure-childrens-home': ['Secure Unit', 'Secure Centre'],
  'independent-fostering-agency': ['Fostering', 'Foster Care'],
  'residential-special-school': ['School', 'Academy'],
  'residential-family-centre': ['Family Centre'],
  'supported-accommodation': ['Supported Living', 'Flats', 'Housing Project'],
  unregulated: ['Annexe', 'Placement Flat'],
};
// Children's homes dominate real directories; every other type appears several times.
const TYPE_WEIGHTS: [ProvisionType, number][] = [
  ['childrens-home', 45],
  ['short-breaks-home', 8],
  ['secure-childrens-home', 4],
  ['independent-fostering-agency', 15],
  ['residential-special-school', 10],
  ['residential-family-centre', 5],
  ['supported-accommodation', 18],
  ['unregulated', 5],
];
const GRADES: [OfstedGrade, number][] = [
  ['outstanding', 15],
  ['good', 55],
  ['requires-improvement', 18],
  ['inadequate', 5],
  ['not-yet-inspected', 7],
];

export type DemoSize = { providers: number; provisions: number };

export const seedDemoDirectory = async (
  db: Db,
  actor: Actor,
  opts: { seed?: number; size?: DemoSize; today?: Date } = {},
): Promise<{ authorities: number; providers: number; provisions: Provision[] }> => {
  const rand = seededRandom(opts.seed ?? 20261123);
  const size = opts.size ?? { providers: 32, provisions: 128 };
  const today = opts.today ?? new Date('2026-11-23T00:00:00Z');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const weighted = <T>(xs: [T, number][]): T => {
    const total = xs.reduce((n, [, w]) => n + w, 0);
    let r = rand() * total;
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

  for (const a of DEMO_AUTHORITIES) {
    await createAuthority(db, actor, {
      id: a.id,
      name: a.name,
      gssCode: a.gssCode,
      region: a.region,
      qaInbox: `childrens.qa@${a.id}.example.gov.uk`,
    });
  }

  const providerIds: string[] = [];
  const usedProviderNames = new Set<string>();
  const usedCompanyNumbers = new Set<string>();
  while (providerIds.length < size.providers) {
    const name = `${pick(PROVIDER_FIRST)} ${pick(PROVIDER_LAST)}`;
    if (usedProviderNames.has(name)) continue;
    usedProviderNames.add(name);
    let companyNumber: string | undefined;
    if (rand() < 0.85) {
      do companyNumber = digits(8);
      while (usedCompanyNumbers.has(companyNumber));
      usedCompanyNumbers.add(companyNumber);
    }
    providerIds.push((await createProvider(db, actor, { name, companyNumber })).id);
  }

  // Every type at least twice, then the weighted mix.
  const types: ProvisionType[] = [...PROVISION_TYPES, ...PROVISION_TYPES];
  while (types.length < size.provisions) types.push(weighted(TYPE_WEIGHTS));

  const created: Provision[] = [];
  const usedUrns = new Set<string>();
  const usedNames = new Set<string>();
  for (const type of types) {
    const host = pick(DEMO_AUTHORITIES);
    let name: string;
    do name = `${pick(SETTING_FIRST)} ${pick(SETTING_LAST[type])}`;
    while (usedNames.has(`${host.id}:${name}`) && usedNames.size < 10_000);
    usedNames.add(`${host.id}:${name}`);
    const regulated = type !== 'unregulated';
    let urn: string | undefined;
    if (regulated) {
      do urn = type === 'residential-special-school' ? `1${digits(5)}` : `SC${digits(6)}`;
      while (usedUrns.has(urn));
      usedUrns.add(urn);
    }
    const grade: OfstedGrade = regulated ? weighted(GRADES) : 'not-yet-inspected';
    const inspected = grade !== 'not-yet-inspected';
    const gradeDate = inspected
      ? new Date(today.getTime() - Math.floor(rand() * 900 + 20) * 86_400_000).toISOString().slice(0, 10)
      : undefined;
    const registrationStatus: RegistrationStatus = !regulated
      ? 'not-required'
      : rand() < 0.03
        ? 'suspended'
        : 'registered';
    const area = pick(host.postcodeAreas);
    const postcode = `${area}${1 + Math.floor(rand() * 19)} ${Math.floor(rand() * 10)}${pick(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'W', 'X', 'Y', 'Z'])}${pick(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P', 'R', 'S', 'T', 'W'])}`;
    created.push(
      await createProvision(db, actor, {
        providerId: pick(providerIds),
        name,
        urn,
        type,
        hostAuthorityId: host.id,
        registrationStatus,
        ofstedGrade: grade,
        ofstedGradeDate: gradeDate,
        postcode,
      }),
    );
  }
  return { authorities: DEMO_AUTHORITIES.length, providers: providerIds.length, provisions: created };
};
