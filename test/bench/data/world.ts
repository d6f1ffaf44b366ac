// The shape of the synthetic England's plan: every authority, setting, declaration, allocation and
// record as indices and dates, before any row is built; and the questions about it every part asks.
import type {
  CONCERN_CATEGORIES,
  LOGGED_CONCERN_LEVELS,
  OfstedGrade,
  ProvisionType,
  Region,
  RegistrationStatus,
  RestrictionKind,
} from '@ccx/schema';
import type { Clock } from './time.js';
import { londonDay } from './time.js';

export const GENERATOR_VERSION = 1;

export type GenerateOptions = {
  seed: number;
  /** 1 is national scale; every count but the authorities is multiplied by it. */
  scale: number;
  /** YYYY-MM-DD: the day the data describes. */
  asOf: string;
};

/** Row counts at scale 1. */
export const BASE_COUNTS = {
  providers: 4_000,
  provisions: 15_000,
  placements: 60_000,
  /** Published or amended; withdrawn outcomes and drafts come in addition. */
  outcomes: 200_000,
  restrictions: 30_000,
  concerns: 50_000,
  audit: 1_000_000,
} as const;

export const scaled = (n: number, scale: number): number => Math.max(1, Math.round(n * scale));

export type AuthorityPlan = {
  index: number;
  id: string;
  name: string;
  region: Region;
  gssCode: string | null;
  qaInbox: string;
  isHost: boolean;
  createdAt: number;
  clientId: string;
  clientName: string;
  clientSecret: string;
  role: 'officer' | 'hub-admin';
  /** How many children it places, relatively. */
  placeWeight: number;
  /** How many settings stand in its area, relatively. */
  hostWeight: number;
};

export type ProviderPlan = {
  index: number;
  id: string;
  name: string;
  companyNumber: string | null;
  createdAt: number;
  homeRegion: Region;
  provisions: number[];
};

export type ProvisionPlan = {
  index: number;
  id: string;
  provider: number;
  name: string;
  urn: string | null;
  type: ProvisionType;
  host: number;
  region: Region;
  registrationStatus: RegistrationStatus;
  ofstedGrade: OfstedGrade;
  ofstedGradeDate: string | null;
  postcode: string;
  createdAt: number;
  /** Above 1: a setting that draws more concerns, restrictions and poor ratings. */
  trouble: number;
  /** How many children it can take, relatively. */
  capacity: number;
};

export type PlacementPlan = {
  index: number;
  id: string;
  authority: number;
  provision: number;
  children: number;
  fromDate: string;
  endedOn: string | null;
  createdAt: number;
  /** When it was ended: by placements.end, or by a new declaration superseding it. */
  endedAt: number | null;
  /** The declaration this one superseded (-1: none). */
  supersedes: number;
  supersededBy: number;
};

export type AllocationPlan = {
  index: number;
  id: string;
  provision: number;
  authority: number;
  startsOn: string;
  createdAt: number;
  endedAt: number | null;
  endedReason: string | null;
  rationale: string;
  action: 'allocation.auto' | 'allocation.assign';
  previous: number;
};

export type OutcomeStatusPlan = 'draft' | 'published' | 'amended' | 'withdrawn';

export type OutcomePlan = {
  index: number;
  id: string;
  provision: number;
  authority: number;
  status: OutcomeStatusPlan;
  restricted: boolean;
  byLead: boolean;
  activityDate: string;
  createdAt: number;
  publishedAt: number | null;
  amendedAt: number | null;
  withdrawnAt: number | null;
  rating: number;
  /** Which amendment (see rows.ts), -1 when not amended. */
  amendKind: number;
};

export type RestrictionPlan = {
  index: number;
  id: string;
  /** -1 for a restriction on a whole provider. */
  provision: number;
  /** -1 for a restriction on one provision. */
  provider: number;
  kind: RestrictionKind;
  issuer: number;
  source: 'member' | 'regulator';
  regulatorReference: string | null;
  partnershipWide: boolean;
  restricted: boolean;
  effectiveFrom: string;
  reviewOn: string | null;
  expiresOn: string | null;
  liftedOn: string | null;
  liftedAt: number | null;
  createdAt: number;
  state: 'active' | 'lifted' | 'expired';
};

export type ConcernPlan = {
  index: number;
  id: string;
  provision: number;
  authority: number;
  category: (typeof CONCERN_CATEGORIES)[number];
  level: (typeof LOGGED_CONCERN_LEVELS)[number];
  occurredOn: string;
  restricted: boolean;
  createdAt: number;
};

export type World = {
  options: GenerateOptions;
  clock: Clock;
  /** Member authorities, sorted by id; the host is the last entry of `authorities`. */
  members: AuthorityPlan[];
  host: AuthorityPlan;
  authorities: AuthorityPlan[];
  providers: ProviderPlan[];
  provisions: ProvisionPlan[];
  placements: PlacementPlan[];
  allocations: AllocationPlan[];
  outcomes: OutcomePlan[];
  restrictions: RestrictionPlan[];
  concerns: ConcernPlan[];
  byProvision: {
    placements: number[][];
    allocations: number[][];
    /** Published (and later amended or withdrawn) outcomes, by publication time. */
    outcomes: number[][];
  };
};

export const isPlacementOpenOn = (p: PlacementPlan, date: string): boolean =>
  p.fromDate <= date && (p.endedOn === null || p.endedOn > date);

/** The authority leading the provision at that instant, or -1. */
export const leadAt = (world: World, provision: number, at: number): number => {
  const day = londonDay(at);
  for (const i of world.byProvision.allocations[provision]!) {
    const a = world.allocations[i]!;
    if (a.createdAt <= at && a.startsOn <= day && (a.endedAt === null || a.endedAt > at)) return a.authority;
  }
  return -1;
};

/** Authorities with an open declaration at the provision on that day. */
export const placingOn = (world: World, provision: number, date: string): number[] => {
  const found = new Set<number>();
  for (const i of world.byProvision.placements[provision]!) {
    const p = world.placements[i]!;
    if (isPlacementOpenOn(p, date)) found.add(p.authority);
  }
  return [...found];
};

/** The authorities with a reason to write about a provision on a day: lead (twice as likely), host, placing. */
export const involved = (world: World, provision: number, at: number): number[] => {
  const lead = leadAt(world, provision, at);
  const list = [world.provisions[provision]!.host, ...placingOn(world, provision, londonDay(at))];
  return lead >= 0 ? [lead, lead, ...list] : list;
};

/** The current lead of each provision (-1: none), as of the as-of day. */
export const currentLeads = (world: World): Int32Array => {
  const leads = new Int32Array(world.provisions.length).fill(-1);
  for (const a of world.allocations) if (a.endedAt === null) leads[a.provision] = a.authority;
  return leads;
};
