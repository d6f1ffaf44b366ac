// The records: monitoring outcomes (mostly by the lead while it leads), restrictions of every kind
// (active, lifted, expired) and concerns, concentrated on the settings that draw trouble.
import { REGULATOR_KINDS, REGULATOR_REVIEW_DAYS, RESTRICTION_KINDS, type RestrictionKind } from '@ccx/schema';
import { Rng, WeightedPicker } from './random.js';
import { HOUR_MS, addDays, dateBetween, daysBetween, londonDay, officeInstant } from './time.js';
import {
  BASE_COUNTS,
  involved,
  leadAt,
  placingOn,
  scaled,
  type ConcernPlan,
  type OutcomePlan,
  type OutcomeStatusPlan,
  type RestrictionPlan,
  type World,
} from './world.js';

// ---------------------------------------------------------------------------------------------------
// Monitoring outcomes

const RATING_BASE = [45, 35, 13, 5, 2];

export const planOutcomes = (world: World): OutcomePlan[] => {
  const { options: opts, clock } = world;
  const rng = new Rng(opts.seed, 'outcomes');
  const nPublished = scaled(BASE_COUNTS.outcomes, opts.scale);
  const nWithdrawn = Math.round(nPublished * 0.01);
  const nDrafts = Math.round(nPublished * 0.005);
  const total = nPublished + nWithdrawn + nDrafts;

  const weights = world.provisions.map((p) => {
    const open = world.byProvision.placements[p.index]!.filter(
      (i) => world.placements[i]!.endedOn === null,
    ).length;
    const led = world.byProvision.allocations[p.index]!.length > 0;
    return (
      (p.type === 'unregulated' ? 2.5 : 1) *
      (1 + 0.6 * open) *
      (led ? 1.3 : 0.7) *
      (p.registrationStatus === 'applied' ? 0.3 : 1) *
      (0.6 + 0.4 * Math.min(p.trouble, 4)) *
      rng.logNormal(0.3)
    );
  });
  const picker = new WeightedPicker(weights);
  const lastInstant = (date: string) => officeInstant(rng, date);

  const outcomes: OutcomePlan[] = [];
  for (let k = 0; k < total; k++) {
    const status: OutcomeStatusPlan =
      k < nPublished ? 'published' : k < nPublished + nWithdrawn ? 'withdrawn' : 'draft';
    const p = picker.pick(rng);
    const provision = world.provisions[p]!;
    const trouble = Math.min(provision.trouble, 6);
    const rating = 1 + rng.weighted(RATING_BASE.map((w, i) => [i, w * Math.pow(trouble, 0.3 * i)] as const));
    const restricted = rng.chance(rating <= 2 ? 0.07 : rating === 3 ? 0.18 : 0.3);
    const id = rng.uuid();

    if (status === 'draft') {
      const lead = leadAt(world, p, clock.asOfStart - 1);
      const others = placingOn(world, p, clock.lastDay);
      const authority =
        lead >= 0 && rng.chance(0.7) ? lead : others.length > 0 ? rng.pick(others) : provision.host;
      const activityDate = dateBetween(rng, addDays(clock.lastDay, -40), clock.lastDay);
      outcomes.push({
        index: k,
        id,
        provision: p,
        authority,
        status,
        restricted,
        byLead: false,
        activityDate,
        createdAt: officeInstant(rng, dateBetween(rng, activityDate, clock.lastDay)),
        publishedAt: null,
        amendedAt: null,
        withdrawnAt: null,
        rating,
        amendKind: -1,
      });
      continue;
    }

    // A withdrawn outcome needs days after publication to be withdrawn in.
    const latest = status === 'withdrawn' ? addDays(clock.lastDay, -3) : clock.lastDay;
    let authority = -1;
    let publishedAt = 0;
    let activityDate = '';
    const periods = world.byProvision.allocations[p]!.map((i) => world.allocations[i]!);
    if (periods.length > 0 && rng.chance(0.85)) {
      // Published by the lead, while it led.
      const end = Date.parse(`${latest}T17:00:00Z`);
      const spans = periods.map(
        (a) => [a, Math.max(0, Math.min(a.endedAt ?? end, end) - a.createdAt)] as const,
      );
      const period = rng.weighted(spans);
      const until = Math.min(period.endedAt ?? end, end);
      if (until - period.createdAt > 2 * HOUR_MS) {
        // Leads visit through their period, more of them lately (the schedule keeps them current).
        const t =
          period.createdAt + HOUR_MS + Math.pow(rng.next(), 0.7) * (until - period.createdAt - 2 * HOUR_MS);
        const day = londonDay(t);
        let at = lastInstant(day);
        if (at <= period.createdAt) at = period.createdAt + rng.int(5, 60) * 60_000;
        if (at < until && leadAt(world, p, at) === period.authority) {
          authority = period.authority;
          publishedAt = at;
          const gap = rng.int(0, 21);
          const activity = addDays(londonDay(at), -gap);
          activityDate = activity < clock.firstDay ? clock.firstDay : activity;
        }
      }
    }
    if (authority < 0) {
      // Published by a member placing there at the time (or the host), perhaps not the lead.
      activityDate = dateBetween(rng, clock.firstDay, addDays(latest, -1));
      let publishedOn = addDays(activityDate, rng.int(1, 21));
      if (publishedOn > latest) publishedOn = latest;
      publishedAt = officeInstant(rng, publishedOn);
      const candidates = placingOn(world, p, activityDate);
      const lead = leadAt(world, p, publishedAt);
      if (lead >= 0 && !candidates.includes(lead)) candidates.push(lead);
      authority = candidates.length > 0 ? rng.pick(candidates) : provision.host;
    }
    const publishedOn = londonDay(publishedAt);
    const gapDays = daysBetween(activityDate, publishedOn);
    let createdAt = officeInstant(rng, addDays(activityDate, Math.floor(rng.next() * (gapDays + 1))));
    if (createdAt >= publishedAt) createdAt = publishedAt - rng.int(5, 120) * 60_000;
    const withdrawnAt =
      status === 'withdrawn'
        ? officeInstant(
            rng,
            addDays(publishedOn, rng.int(1, Math.min(60, daysBetween(publishedOn, clock.lastDay)))),
          )
        : null;
    outcomes.push({
      index: k,
      id,
      provision: p,
      authority,
      status,
      restricted,
      byLead: leadAt(world, p, publishedAt) === authority,
      activityDate,
      createdAt,
      publishedAt,
      amendedAt: null,
      withdrawnAt,
      rating,
      amendKind: -1,
    });
  }

  // About 8% of published outcomes are amended later.
  const amendable = outcomes.filter(
    (o) => o.status === 'published' && londonDay(o.publishedAt!) < clock.lastDay,
  );
  for (const o of rng.sample(amendable, Math.round(nPublished * 0.08))) {
    const publishedOn = londonDay(o.publishedAt!);
    o.status = 'amended';
    o.amendedAt = officeInstant(
      rng,
      addDays(publishedOn, rng.int(1, Math.min(90, daysBetween(publishedOn, clock.lastDay)))),
    );
    o.amendKind = rng.int(0, 4);
  }
  return outcomes;
};

// ---------------------------------------------------------------------------------------------------
// Restrictions

const KIND_WEIGHTS: Record<RestrictionKind, number> = {
  embargo: 12,
  'informal-embargo': 8,
  'action-plan': 14,
  'regulatory-action-plan': 6,
  'ofsted-restriction': 8,
  'ofsted-suspension': 3,
  'registration-cancelled': 1.5,
  'framework-suspension': 7,
  'letter-of-concern': 20,
  'causing-concern-level': 13,
  'ceased-operating': 2.5,
};

const PROVIDER_KINDS: readonly RestrictionKind[] = [
  'embargo',
  'informal-embargo',
  'action-plan',
  'framework-suspension',
  'letter-of-concern',
  'causing-concern-level',
  'ceased-operating',
];

/** Active, lifted, expired — as of the as-of day. */
const STATE_WEIGHTS: Record<RestrictionKind, readonly [number, number, number]> = {
  embargo: [0.15, 0.7, 0.15],
  'informal-embargo': [0.2, 0.65, 0.15],
  'action-plan': [0.18, 0.6, 0.22],
  'regulatory-action-plan': [0.15, 0.55, 0.3],
  'ofsted-restriction': [0.12, 0.3, 0.58],
  'ofsted-suspension': [0.12, 0.68, 0.2],
  'registration-cancelled': [0.7, 0.3, 0],
  'framework-suspension': [0.15, 0.55, 0.3],
  'letter-of-concern': [0.15, 0.5, 0.35],
  'causing-concern-level': [0.18, 0.57, 0.25],
  'ceased-operating': [0.7, 0.3, 0],
};

export const planRestrictions = (world: World): RestrictionPlan[] => {
  const { options: opts, clock } = world;
  const rng = new Rng(opts.seed, 'restrictions');
  const total = scaled(BASE_COUNTS.restrictions, opts.scale);
  const partnership = total >= 20 ? Math.max(1, Math.round(total * 0.002)) : 0;
  const kindItems = RESTRICTION_KINDS.map((k) => [k, KIND_WEIGHTS[k]] as const);
  const providerKindItems = PROVIDER_KINDS.map((k) => [k, KIND_WEIGHTS[k]] as const);
  const provisionPicker = new WeightedPicker(
    world.provisions.map(
      (p) =>
        Math.pow(Math.min(p.trouble, 8), 1.5) * (1 + 0.3 * world.byProvision.placements[p.index]!.length),
    ),
  );
  // A provider as troubled as its settings are on average: small troubled providers more than big groups.
  const providerPicker = new WeightedPicker(
    world.providers.map(
      (pr) =>
        (pr.provisions.reduce((n, i) => n + Math.min(world.provisions[i]!.trouble, 8), 0) /
          pr.provisions.length) **
        2,
    ),
  );

  const restrictions: RestrictionPlan[] = [];
  for (let k = 0; k < total; k++) {
    const isPartnership = k < partnership;
    const forcedKind = k - partnership;
    const providerLevel = !isPartnership && forcedKind >= RESTRICTION_KINDS.length && rng.chance(0.1);
    const kind: RestrictionKind = isPartnership
      ? 'embargo'
      : forcedKind < RESTRICTION_KINDS.length
        ? RESTRICTION_KINDS[forcedKind]!
        : rng.weighted(providerLevel ? providerKindItems : kindItems);
    const regulatorKind = REGULATOR_KINDS.includes(kind);

    let provision = -1;
    let provider = -1;
    let about: number;
    if (providerLevel) {
      provider = providerPicker.pick(rng);
      about = rng.pick(world.providers[provider]!.provisions);
    } else {
      provision = provisionPicker.pick(rng);
      // The regulator acts only on settings it registers.
      for (let tries = 0; tries < 50 && regulatorKind && world.provisions[provision]!.urn === null; tries++)
        provision = provisionPicker.pick(rng);
      if (regulatorKind && world.provisions[provision]!.urn === null)
        provision = world.provisions.find((p) => p.urn !== null)?.index ?? provision;
      about = provision;
    }

    const [pa, pl] = STATE_WEIGHTS[kind];
    const draw = rng.next();
    const state: RestrictionPlan['state'] = isPartnership
      ? 'active'
      : draw < pa
        ? 'active'
        : draw < pa + pl
          ? 'lifted'
          : 'expired';
    let effectiveFrom: string;
    let expiresOn: string | null = null;
    let liftedOn: string | null = null;
    if (state === 'active') {
      effectiveFrom = addDays(clock.lastDay, -Math.floor(540 * Math.pow(rng.next(), 1.5)));
      if (rng.chance(0.25)) expiresOn = addDays(clock.asOf, rng.int(7, 180));
    } else if (state === 'lifted') {
      effectiveFrom = dateBetween(rng, clock.firstDay, addDays(clock.lastDay, -2));
      liftedOn = addDays(effectiveFrom, rng.int(1, 300));
      if (liftedOn > clock.lastDay) liftedOn = clock.lastDay;
      if (rng.chance(0.2)) expiresOn = addDays(liftedOn, rng.int(1, 120));
    } else {
      effectiveFrom = dateBetween(rng, clock.firstDay, addDays(clock.lastDay, -15));
      expiresOn = addDays(effectiveFrom, kind === 'ofsted-restriction' ? 84 : rng.int(14, 365));
      if (expiresOn > clock.lastDay) expiresOn = clock.lastDay;
    }
    const source: RestrictionPlan['source'] =
      regulatorKind || (kind === 'ceased-operating' && rng.chance(0.3)) ? 'regulator' : 'member';
    // A regulator's alert reaches the hub a day or three after it takes effect.
    let createdOn = source === 'regulator' ? addDays(effectiveFrom, rng.int(0, 3)) : effectiveFrom;
    if (createdOn > clock.lastDay) createdOn = clock.lastDay;
    if (liftedOn !== null && createdOn > liftedOn) createdOn = liftedOn;
    if (state === 'expired' && createdOn >= expiresOn!) createdOn = addDays(expiresOn!, -1);
    const createdAt = officeInstant(rng, createdOn);
    let liftedAt: number | null = null;
    if (liftedOn !== null) {
      liftedAt = officeInstant(rng, liftedOn);
      if (liftedAt <= createdAt) liftedAt = createdAt + rng.int(10, 300) * 60_000;
    }

    let issuer: number;
    if (isPartnership) issuer = world.host.index;
    else {
      const people = involved(world, about, createdAt);
      issuer = rng.pick(people);
    }
    const urn = world.provisions[about]!.urn;
    restrictions.push({
      index: k,
      id: rng.uuid(),
      provision,
      provider,
      kind,
      issuer,
      source,
      regulatorReference:
        source === 'regulator'
          ? `OFSTED-${urn ?? 'PROVIDER'}-${effectiveFrom.replace(/-/g, '')}-${rng.int(100, 999)}`
          : null,
      partnershipWide: isPartnership,
      // A regulator's notice is public information: never restricted.
      restricted: kind === 'informal-embargo' || (source === 'member' && rng.chance(0.05)),
      effectiveFrom,
      // The hub's default for regulator-sourced restrictions: a review after 12 weeks.
      reviewOn:
        source === 'regulator'
          ? addDays(effectiveFrom, REGULATOR_REVIEW_DAYS)
          : rng.chance(0.4)
            ? addDays(effectiveFrom, rng.int(28, 120))
            : null,
      expiresOn,
      liftedOn,
      liftedAt,
      createdAt,
      state,
    });
  }
  return restrictions;
};

// ---------------------------------------------------------------------------------------------------
// Concerns

const CATEGORY_WEIGHTS = [
  ['safeguarding', 30],
  ['quality', 50],
  ['financial', 5],
  ['criminal-investigation', 3],
  ['regulator', 12],
] as const;

const LEVEL_WEIGHTS = [
  ['minor', 45],
  ['level-1', 40],
  ['level-2', 15],
] as const;

export const planConcerns = (world: World): ConcernPlan[] => {
  const { options: opts, clock } = world;
  const rng = new Rng(opts.seed, 'concerns');
  const total = scaled(BASE_COUNTS.concerns, opts.scale);
  const picker = new WeightedPicker(
    world.provisions.map(
      (p) =>
        Math.pow(Math.min(p.trouble, 8), 1.6) * (1 + 0.4 * world.byProvision.placements[p.index]!.length),
    ),
  );
  const from = addDays(clock.lastDay, -729);
  const concerns: ConcernPlan[] = [];
  for (let k = 0; k < total; k++) {
    const p = picker.pick(rng);
    const occurredOn = dateBetween(rng, from, clock.lastDay);
    let loggedOn = addDays(occurredOn, rng.int(0, 7));
    if (loggedOn > clock.lastDay) loggedOn = clock.lastDay;
    const createdAt = officeInstant(rng, loggedOn);
    const category = rng.weighted(CATEGORY_WEIGHTS);
    concerns.push({
      index: k,
      id: rng.uuid(),
      provision: p,
      authority: rng.pick(involved(world, p, createdAt)),
      category,
      level: rng.weighted(LEVEL_WEIGHTS),
      occurredOn,
      restricted: rng.chance(category === 'criminal-investigation' ? 0.6 : 0.085),
      createdAt,
    });
  }
  return concerns;
};
