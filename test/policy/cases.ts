// The need-to-know policy (DESIGN.md §3) as data: principal × world × record → expected layer, rule
// and deciding basis, in the style of OpenFGA's and Cerbos's policy test files. One fixed "now".
import type { AccessRule, Basis, Layer } from '@ccx/schema';
import type { PolicyRecord, World } from '@ccx/server/testing';

export const NOW = new Date('2026-11-23T12:00:00Z');
export const TODAY = '2026-11-23';
export const YESTERDAY = '2026-11-22';
export const TOMORROW = '2026-11-24';
const LAST_YEAR = '2025-11-01';
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
const at = (ms: number) => new Date(NOW.getTime() + ms);

// The partnership every case starts from. `hub-host` operates the hub (its hub-admin clients belong
// to it); it is an ordinary member for need-to-know, hosting only the settings in its own area.
export const KENT = 'kent'; // publishes most records
export const MEDWAY = 'medway'; // asks in most cases
export const SURREY = 'surrey'; // hosts oak
export const ESSEX = 'essex'; // hosts elm
export const HUB_HOST = 'hub-host'; // the hub operator's authority; hosts birch
export const BEXLEY = 'bexley'; // suspended
export const CROYDON = 'croydon'; // left the partnership

export const ACME = 'provider-acme';
export const BRIGHT = 'provider-bright';
export const OAK = 'acme-oak'; // Acme, in Surrey
export const ELM = 'acme-elm'; // Acme, in Essex
export const BIRCH = 'bright-birch'; // Bright, in the hub operator's area

const RECORD = 'outcome-1';
const OTHER_RECORD = 'outcome-2';

const baseWorld = (): World => ({
  now: NOW,
  authorities: [
    { id: KENT, status: 'active', qaInbox: 'qa@kent.example.gov.uk' },
    { id: MEDWAY, status: 'active', qaInbox: 'qa@medway.example.gov.uk' },
    { id: SURREY, status: 'active', qaInbox: 'qa@surrey.example.gov.uk' },
    { id: ESSEX, status: 'active', qaInbox: 'qa@essex.example.gov.uk' },
    { id: HUB_HOST, status: 'active', qaInbox: 'qa@hub-host.example.gov.uk' },
    { id: BEXLEY, status: 'suspended', qaInbox: 'qa@bexley.example.gov.uk' },
    { id: CROYDON, status: 'left', qaInbox: 'qa@croydon.example.gov.uk' },
  ],
  provisions: [
    { id: OAK, providerId: ACME, hostAuthorityId: SURREY },
    { id: ELM, providerId: ACME, hostAuthorityId: ESSEX },
    { id: BIRCH, providerId: BRIGHT, hostAuthorityId: HUB_HOST },
  ],
  placements: [],
  allocations: [],
  grants: [],
});

/** A fact added to the base world. */
type Fact = (w: World) => void;

const world = (...facts: Fact[]): World => {
  const w = baseWorld();
  for (const fact of facts) fact(w);
  return w;
};

const placement =
  (authorityId: string, provisionId: string, opts: { from?: string; endedOn?: string } = {}): Fact =>
  (w) => {
    w.placements.push({
      authorityId,
      provisionId,
      children: 2,
      fromDate: opts.from ?? LAST_YEAR,
      endedOn: opts.endedOn ?? null,
    });
  };

const allocation =
  (
    authorityId: string,
    provisionId: string,
    opts: { startsOn?: string; endsOn?: string; endedAt?: Date } = {},
  ): Fact =>
  (w) => {
    w.allocations.push({
      authorityId,
      provisionId,
      startsOn: opts.startsOn ?? LAST_YEAR,
      endsOn: opts.endsOn ?? null,
      endedAt: opts.endedAt ?? null,
    });
  };

const prospective =
  (authorityId: string, provisionId: string, expiresAt: Date, opts: { revokedAt?: Date } = {}): Fact =>
  (w) => {
    w.grants.push({
      kind: 'prospective',
      authorityId,
      provisionId,
      recordId: null,
      expiresAt,
      revokedAt: opts.revokedAt ?? null,
    });
  };

const share =
  (
    authorityId: string,
    opts: { recordId?: string; provisionId?: string; expiresAt?: Date; revokedAt?: Date } = {},
  ): Fact =>
  (w) => {
    w.grants.push({
      kind: 'share',
      authorityId,
      provisionId: opts.provisionId ?? OAK,
      recordId: opts.recordId ?? RECORD,
      expiresAt: opts.expiresAt ?? null,
      revokedAt: opts.revokedAt ?? null,
    });
  };

const status =
  (authorityId: string, to: 'active' | 'suspended' | 'left'): Fact =>
  (w) => {
    for (const a of w.authorities) if (a.id === authorityId) a.status = to;
  };

type RecordOpts = {
  publisher?: string;
  status?: PolicyRecord['status'];
  restricted?: boolean;
  id?: string;
};

/** An outcome about one provision (oak unless given). */
const outcome = (opts: RecordOpts & { at?: string } = {}): PolicyRecord => ({
  type: 'outcome',
  id: opts.id ?? RECORD,
  publisherAuthorityId: opts.publisher ?? KENT,
  status: opts.status ?? 'published',
  restricted: opts.restricted ?? false,
  scope: { provisionId: opts.at ?? OAK },
});

/** A record about a whole provider, and so about every provision of it (Acme unless given). */
const providerRecord = (opts: RecordOpts & { provider?: string } = {}): PolicyRecord => ({
  ...outcome(opts),
  scope: { providerId: opts.provider ?? ACME },
});

export type Expected = { layer: Layer; rule: AccessRule; basis: Basis | null };

/** Principal × world × record → the layer, the rule that decided it and the deciding basis. */
export type PolicyCase = {
  name: string;
  caller: string;
  world: World;
  record: PolicyRecord;
  expected: Expected;
};

const detail = (rule: AccessRule, basis: Basis): Expected => ({ layer: 'detail', rule, basis });
const BY_PUBLISHER = detail('publisher-detail', 'publisher');
const BY_GRANT = detail('granted-detail', 'granted');
const needToKnow = (basis: Basis) => detail('need-to-know-detail', basis);
const SUMMARY: Expected = { layer: 'summary', rule: 'member-summary', basis: 'member' };
const SIGNAL: Expected = { layer: 'signal', rule: 'restricted-signal', basis: 'member' };
const DRAFT_HIDDEN: Expected = { layer: 'none', rule: 'draft-publisher-only', basis: null };
const NOT_A_MEMBER: Expected = { layer: 'none', rule: 'not-a-member', basis: null };
/** A restricted record that has ended (withdrawn, lifted, expired) no longer signals. */
const ENDED: Expected = { layer: 'none', rule: 'restricted-ended', basis: null };

/** A restriction about one provision (oak), ending on `endsOn` (its earliest lifted or expiry date). */
const restriction = (opts: RecordOpts & { endsOn: string | null }): PolicyRecord => ({
  ...outcome(opts),
  type: 'restriction',
  endsOn: opts.endsOn,
});

export const POLICY_CASES: PolicyCase[] = [
  // publisher
  {
    name: 'publisher sees its published record',
    caller: KENT,
    world: world(),
    record: outcome(),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher sees its own draft',
    caller: KENT,
    world: world(),
    record: outcome({ status: 'draft' }),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher sees its restricted record',
    caller: KENT,
    world: world(),
    record: outcome({ restricted: true }),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher sees its restricted draft',
    caller: KENT,
    world: world(),
    record: outcome({ status: 'draft', restricted: true }),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher sees its withdrawn record',
    caller: KENT,
    world: world(),
    record: outcome({ status: 'withdrawn' }),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher sees its provider-level record with no other basis',
    caller: KENT,
    world: world(),
    record: providerRecord(),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher outranks an explicit share to itself',
    caller: KENT,
    world: world(share(KENT)),
    record: outcome(),
    expected: BY_PUBLISHER,
  },
  {
    name: 'publisher outranks hosting the setting',
    caller: SURREY,
    world: world(),
    record: outcome({ publisher: SURREY }),
    expected: BY_PUBLISHER,
  },

  // bare member
  {
    name: 'bare member sees the summary of a published record',
    caller: MEDWAY,
    world: world(),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'bare member sees the summary of a withdrawn record',
    caller: MEDWAY,
    world: world(),
    record: outcome({ status: 'withdrawn' }),
    expected: SUMMARY,
  },
  {
    name: 'bare member does not see a draft',
    caller: MEDWAY,
    world: world(),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'bare member sees only the signal of a restricted record',
    caller: MEDWAY,
    world: world(),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'bare member sees nothing of a withdrawn restricted record: it no longer signals',
    caller: MEDWAY,
    world: world(),
    record: outcome({ status: 'withdrawn', restricted: true }),
    expected: ENDED,
  },
  {
    name: 'lead sees nothing of a withdrawn restricted record: it no longer signals',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: outcome({ status: 'withdrawn', restricted: true }),
    expected: ENDED,
  },
  {
    name: 'bare member sees nothing of a restricted restriction lifted today',
    caller: MEDWAY,
    world: world(),
    record: restriction({ restricted: true, endsOn: TODAY }),
    expected: ENDED,
  },
  {
    name: 'bare member sees the signal of a restricted restriction ending tomorrow',
    caller: MEDWAY,
    world: world(),
    record: restriction({ restricted: true, endsOn: TOMORROW }),
    expected: SIGNAL,
  },
  {
    name: 'placing authority sees nothing of a restricted restriction expired yesterday',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK)),
    record: restriction({ restricted: true, endsOn: YESTERDAY }),
    expected: ENDED,
  },
  {
    name: 'publisher still sees its ended restricted restriction',
    caller: KENT,
    world: world(),
    record: restriction({ restricted: true, endsOn: YESTERDAY }),
    expected: BY_PUBLISHER,
  },
  {
    name: 'share still opens an ended restricted restriction',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: restriction({ restricted: true, endsOn: YESTERDAY }),
    expected: BY_GRANT,
  },
  {
    name: 'bare member sees the summary of an ended unrestricted restriction',
    caller: MEDWAY,
    world: world(),
    record: restriction({ endsOn: YESTERDAY }),
    expected: SUMMARY,
  },
  {
    name: 'bare member does not see a restricted draft',
    caller: MEDWAY,
    world: world(),
    record: outcome({ status: 'draft', restricted: true }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'bare member sees the summary of a provider-level record',
    caller: MEDWAY,
    world: world(),
    record: providerRecord(),
    expected: SUMMARY,
  },

  // lead
  {
    name: 'open-ended current lead sees detail',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: outcome(),
    expected: needToKnow('lead'),
  },
  {
    name: 'lead whose allocation ends tomorrow sees detail',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { endsOn: TOMORROW })),
    record: outcome(),
    expected: needToKnow('lead'),
  },
  {
    name: 'lead whose allocation ends today no longer leads',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { endsOn: TODAY })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'allocation that ended yesterday gives nothing',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { endsOn: YESTERDAY })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'allocation ended by the hub-admin gives nothing',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { endedAt: at(-DAY) })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'allocation ended by the hub-admin with a future ends-on gives nothing',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { endsOn: TOMORROW, endedAt: at(-SECOND) })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'allocation starting tomorrow gives nothing yet',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { startsOn: TOMORROW })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'allocation starting today leads today',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK, { startsOn: TODAY })),
    record: outcome(),
    expected: needToKnow('lead'),
  },
  {
    name: 'lead of another provision of the same provider sees the summary',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, ELM)),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'lead sees only the signal of a restricted record',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'lead does not see another authority’s draft',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'lead sees a withdrawn record in detail',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: outcome({ status: 'withdrawn' }),
    expected: needToKnow('lead'),
  },

  // host
  {
    name: 'host authority of the setting sees detail',
    caller: SURREY,
    world: world(),
    record: outcome(),
    expected: needToKnow('host'),
  },
  {
    name: 'host sees only the signal of a restricted record',
    caller: SURREY,
    world: world(),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'host does not see another authority’s draft',
    caller: SURREY,
    world: world(),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'host of a sibling provision sees the summary of a provision record',
    caller: ESSEX,
    world: world(),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'hub operator’s authority gets no detail by running the hub',
    caller: HUB_HOST,
    world: world(),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'hub operator’s authority sees detail where the setting stands in its area',
    caller: HUB_HOST,
    world: world(),
    record: outcome({ at: BIRCH }),
    expected: needToKnow('host'),
  },
  {
    name: 'hub operator’s authority sees only the signal of a restricted record in its area',
    caller: HUB_HOST,
    world: world(),
    record: outcome({ at: BIRCH, restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'hub operator’s authority does not see a draft',
    caller: HUB_HOST,
    world: world(),
    record: outcome({ at: BIRCH, status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'hub operator’s authority gets no detail of a restricted record elsewhere',
    caller: HUB_HOST,
    world: world(),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },

  // placing
  {
    name: 'open placement declaration gives detail',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK)),
    record: outcome(),
    expected: needToKnow('placing'),
  },
  {
    name: 'placement from today gives detail',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { from: TODAY })),
    record: outcome(),
    expected: needToKnow('placing'),
  },
  {
    name: 'placement starting tomorrow gives nothing yet',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { from: TOMORROW })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'placement ended yesterday gives nothing',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { endedOn: YESTERDAY })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'placement ended today gives nothing',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { endedOn: TODAY })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'placement ending tomorrow still gives detail',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { endedOn: TOMORROW })),
    record: outcome(),
    expected: needToKnow('placing'),
  },
  {
    name: 'placing authority sees only the signal of a restricted record',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK)),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'placing authority does not see another authority’s draft',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK)),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'placement at another provider’s setting gives nothing here',
    caller: MEDWAY,
    world: world(placement(MEDWAY, BIRCH)),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'another authority’s placement gives the caller nothing',
    caller: MEDWAY,
    world: world(placement(ESSEX, OAK)),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'an ended and a current declaration: the current one counts',
    caller: MEDWAY,
    world: world(
      placement(MEDWAY, OAK, { from: LAST_YEAR, endedOn: '2026-01-01' }),
      placement(MEDWAY, OAK, { from: '2026-02-01' }),
    ),
    record: outcome(),
    expected: needToKnow('placing'),
  },

  // prospective
  {
    name: 'pre-placement grant for 7 days gives detail',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(7 * DAY))),
    record: outcome(),
    expected: needToKnow('prospective'),
  },
  {
    name: 'pre-placement grant expiring one second ahead gives detail',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(SECOND))),
    record: outcome(),
    expected: needToKnow('prospective'),
  },
  {
    name: 'pre-placement grant expired one second ago gives nothing',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(-SECOND))),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'pre-placement grant expiring exactly now gives nothing',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, NOW)),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'revoked pre-placement grant gives nothing',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(7 * DAY), { revokedAt: at(-DAY) })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'pre-placement grant for another setting gives nothing here',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, ELM, at(7 * DAY))),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'pre-placement grant does not open a restricted record',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(7 * DAY))),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'pre-placement grant does not reveal a draft',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(7 * DAY))),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'another authority’s pre-placement grant gives the caller nothing',
    caller: MEDWAY,
    world: world(prospective(ESSEX, OAK, at(7 * DAY))),
    record: outcome(),
    expected: SUMMARY,
  },

  // granted
  {
    name: 'open-ended share gives detail',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: outcome(),
    expected: BY_GRANT,
  },
  {
    name: 'share opens a restricted record',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: outcome({ restricted: true }),
    expected: BY_GRANT,
  },
  {
    name: 'share expiring tomorrow gives detail',
    caller: MEDWAY,
    world: world(share(MEDWAY, { expiresAt: at(DAY) })),
    record: outcome({ restricted: true }),
    expected: BY_GRANT,
  },
  {
    name: 'share expiring one second ahead gives detail',
    caller: MEDWAY,
    world: world(share(MEDWAY, { expiresAt: at(SECOND) })),
    record: outcome({ restricted: true }),
    expected: BY_GRANT,
  },
  {
    name: 'share expired one second ago leaves the signal',
    caller: MEDWAY,
    world: world(share(MEDWAY, { expiresAt: at(-SECOND) })),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'share expired one second ago leaves the summary',
    caller: MEDWAY,
    world: world(share(MEDWAY, { expiresAt: at(-SECOND) })),
    record: outcome(),
    expected: SUMMARY,
  },
  {
    name: 'revoked share gives nothing',
    caller: MEDWAY,
    world: world(share(MEDWAY, { revokedAt: at(-SECOND) })),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'share of another record gives nothing for this one',
    caller: MEDWAY,
    world: world(share(MEDWAY, { recordId: OTHER_RECORD })),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'share does not reveal a draft',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: outcome({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'share with another authority gives the caller nothing',
    caller: MEDWAY,
    world: world(share(ESSEX)),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'share outranks need-to-know on an unrestricted record',
    caller: MEDWAY,
    world: world(share(MEDWAY), allocation(MEDWAY, OAK)),
    record: outcome(),
    expected: BY_GRANT,
  },
  {
    name: 'placing with an expired share of a restricted record sees the signal',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK), share(MEDWAY, { expiresAt: at(-SECOND) })),
    record: outcome({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'share opens a withdrawn restricted record',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: outcome({ status: 'withdrawn', restricted: true }),
    expected: BY_GRANT,
  },

  // several bases: the first need-to-know basis in policy order decides
  {
    name: 'lead and placing: lead decides',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK), allocation(MEDWAY, OAK)),
    record: outcome(),
    expected: needToKnow('lead'),
  },
  {
    name: 'host and placing: host decides',
    caller: SURREY,
    world: world(placement(SURREY, OAK)),
    record: outcome(),
    expected: needToKnow('host'),
  },
  {
    name: 'placing and prospective: placing decides',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, OAK, at(DAY)), placement(MEDWAY, OAK)),
    record: outcome(),
    expected: needToKnow('placing'),
  },
  {
    name: 'expired placement falls back to a live pre-placement grant',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK, { endedOn: YESTERDAY }), prospective(MEDWAY, OAK, at(DAY))),
    record: outcome(),
    expected: needToKnow('prospective'),
  },

  // provider-level records: a basis at any provision of the provider counts
  {
    name: 'provider record: placing at a sibling provision gives detail',
    caller: MEDWAY,
    world: world(placement(MEDWAY, ELM)),
    record: providerRecord(),
    expected: needToKnow('placing'),
  },
  {
    name: 'provider record: lead at one provision gives detail',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: providerRecord(),
    expected: needToKnow('lead'),
  },
  {
    name: 'provider record: host of one provision gives detail',
    caller: ESSEX,
    world: world(),
    record: providerRecord(),
    expected: needToKnow('host'),
  },
  {
    name: 'provider record: pre-placement grant at one provision gives detail',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, ELM, at(DAY))),
    record: providerRecord(),
    expected: needToKnow('prospective'),
  },
  {
    name: 'provider record: placing at another provider’s setting gives nothing',
    caller: MEDWAY,
    world: world(placement(MEDWAY, BIRCH)),
    record: providerRecord(),
    expected: SUMMARY,
  },
  {
    name: 'provider record: hub operator’s authority hosting another provider’s setting gets nothing',
    caller: HUB_HOST,
    world: world(),
    record: providerRecord(),
    expected: SUMMARY,
  },
  {
    name: 'provider record: hub operator’s authority hosting one of its settings sees detail',
    caller: HUB_HOST,
    world: world(),
    record: providerRecord({ provider: BRIGHT }),
    expected: needToKnow('host'),
  },
  {
    name: 'provider record: placing sees only the signal of a restricted record',
    caller: MEDWAY,
    world: world(placement(MEDWAY, OAK)),
    record: providerRecord({ restricted: true }),
    expected: SIGNAL,
  },
  {
    name: 'provider record: share opens a restricted record',
    caller: MEDWAY,
    world: world(share(MEDWAY)),
    record: providerRecord({ restricted: true }),
    expected: BY_GRANT,
  },
  {
    name: 'provider record: placement ended yesterday gives nothing',
    caller: MEDWAY,
    world: world(placement(MEDWAY, ELM, { endedOn: YESTERDAY })),
    record: providerRecord(),
    expected: SUMMARY,
  },
  {
    name: 'provider record: expired pre-placement grant gives nothing',
    caller: MEDWAY,
    world: world(prospective(MEDWAY, ELM, at(-SECOND))),
    record: providerRecord(),
    expected: SUMMARY,
  },
  {
    name: 'provider record: lead does not see a draft',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, OAK)),
    record: providerRecord({ status: 'draft' }),
    expected: DRAFT_HIDDEN,
  },
  {
    name: 'provider record: lead at another provider’s setting gives nothing',
    caller: MEDWAY,
    world: world(allocation(MEDWAY, BIRCH)),
    record: providerRecord(),
    expected: SUMMARY,
  },

  // inactive authorities see nothing, whatever their bases
  {
    name: 'suspended authority sees nothing',
    caller: BEXLEY,
    world: world(),
    record: outcome(),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'suspended authority with a placement sees nothing',
    caller: BEXLEY,
    world: world(placement(BEXLEY, OAK)),
    record: outcome(),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'suspended publisher no longer sees its own record',
    caller: BEXLEY,
    world: world(),
    record: outcome({ publisher: BEXLEY }),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'suspended authority is refused as a non-member before the draft rule',
    caller: BEXLEY,
    world: world(),
    record: outcome({ status: 'draft' }),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'authority that left sees nothing even with a share',
    caller: CROYDON,
    world: world(share(CROYDON)),
    record: outcome({ restricted: true }),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'authority that left sees nothing as lead',
    caller: CROYDON,
    world: world(allocation(CROYDON, OAK)),
    record: outcome(),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'host authority that is suspended sees nothing',
    caller: SURREY,
    world: world(status(SURREY, 'suspended')),
    record: outcome(),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'hub operator’s authority, suspended, sees nothing in its own area',
    caller: HUB_HOST,
    world: world(status(HUB_HOST, 'suspended')),
    record: outcome({ at: BIRCH }),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'unknown authority sees nothing',
    caller: 'nowhere',
    world: world(),
    record: outcome(),
    expected: NOT_A_MEMBER,
  },
  {
    name: 'readmitted authority sees by its bases again',
    caller: BEXLEY,
    world: world(status(BEXLEY, 'active'), placement(BEXLEY, OAK)),
    record: outcome(),
    expected: needToKnow('placing'),
  },
];
