// Rows from plans, in the shapes the hub's own code writes: drizzle rows of each table, outcome and
// restriction versions with the domain's snapshots, and outbox events built with the domain's own
// summary and detail functions. Each record's text comes from its own random stream, so any record
// can be rebuilt on its own, in any order, identically.
import {
  ACTION_DUE_DAYS,
  ACTIVITY_TYPES,
  CONCERN_LEVELS,
  DEFAULT_MONITORING_MONTHS,
  DEFAULT_MONITORING_MONTHS_BY_TYPE,
  LETTER_OF_CONCERN_WORKING_DAYS,
  type ActionItem,
  type ActivityType,
  type ProvisionType,
  type RestrictionKind,
} from '@ccx/schema';
import { hashSecret } from '@ccx/server/testing';
import { expiryEventData } from '@ccx/server/testing';
import type { tables as schema } from '@ccx/server/testing';
import { snapshotOf, outcomeDetail, outcomeSummary } from '@ccx/server/testing';
import { restrictionDetail, restrictionSummary } from '@ccx/server/testing';
import type { AllocationPlan, ConcernPlan, OutcomePlan, RestrictionPlan, World } from './plan.js';
import { Rng } from './random.js';
import { addDays, addMonths, addWorkingDays, daysBetween, dayMs, londonDay } from './time.js';
import {
  ACTIONS,
  AMEND_REASONS,
  CONCERN_SUMMARIES,
  CONTRACT_REFERENCES,
  FINDINGS,
  LIFT_REASONS,
  RESTRICTION_REASONS,
  SECTION_COMMENTS,
  SECTIONS,
  SUMMARIES,
  WITHDRAW_REASONS,
} from './words.js';

export type AuthorityRow = typeof schema.authorities.$inferSelect;
export type ClientRow = typeof schema.clients.$inferSelect;
export type ProviderRow = typeof schema.providers.$inferSelect;
export type ProvisionRow = typeof schema.provisions.$inferSelect;
export type PlacementRow = typeof schema.placements.$inferSelect;
export type AllocationRow = typeof schema.allocations.$inferSelect;
export type OutcomeRow = typeof schema.outcomes.$inferSelect;
export type OutcomeVersionRow = typeof schema.outcomeVersions.$inferSelect;
export type RestrictionRow = typeof schema.restrictions.$inferSelect;
export type RestrictionVersionRow = typeof schema.restrictionVersions.$inferSelect;
export type ConcernVersionRow = typeof schema.concernVersions.$inferSelect;
export type ConcernRow = typeof schema.concerns.$inferSelect;
export type EventRow = Omit<typeof schema.events.$inferSelect, 'txid'>;
export type JobMarkRow = typeof schema.jobMarks.$inferSelect;

const date = (ms: number): Date => new Date(ms);
const clientOf = (world: World, authority: number): string => world.authorities[authority]!.clientId;

// ---------------------------------------------------------------------------------------------------
// The directory and the membership

export function* authorityRows(world: World): Generator<AuthorityRow> {
  for (const a of world.authorities) {
    yield {
      id: a.id,
      name: a.name,
      gssCode: a.gssCode,
      region: a.region,
      status: 'active',
      qaInbox: a.qaInbox,
      isHost: a.isHost,
      version: 1,
      createdAt: date(a.createdAt),
      updatedAt: date(a.createdAt),
    };
  }
}

/** When the hub-admin created each member's client: just after admitting the member. */
export const clientCreatedAt = (world: World, authority: number): number =>
  world.authorities[authority]!.createdAt + (world.authorities[authority]!.isHost ? 1000 : 30_000);

export function* clientRows(world: World): Generator<ClientRow> {
  for (const a of world.authorities) {
    yield {
      id: a.clientId,
      authorityId: a.id,
      name: a.clientName,
      role: a.role,
      secretHash: hashSecret(a.clientSecret),
      status: 'active',
      // The hub-admin client comes from the first start; the hub-admin created the others.
      createdBy: a.isHost ? null : world.host.clientId,
      createdAt: date(clientCreatedAt(world, a.index)),
      revokedAt: null,
      lastUsedAt: null,
    };
  }
}

export function* providerRows(world: World): Generator<ProviderRow> {
  for (const p of world.providers) {
    yield {
      id: p.id,
      name: p.name,
      companyNumber: p.companyNumber,
      status: 'active',
      mergedIntoId: null,
      version: 1,
      createdAt: date(p.createdAt),
      updatedAt: date(p.createdAt),
    };
  }
}

export function* provisionRows(world: World): Generator<ProvisionRow> {
  for (const p of world.provisions) {
    yield {
      id: p.id,
      providerId: world.providers[p.provider]!.id,
      name: p.name,
      urn: p.urn,
      type: p.type,
      hostAuthorityId: world.authorities[p.host]!.id,
      registrationStatus: p.registrationStatus,
      ofstedGrade: p.ofstedGrade,
      ofstedGradeDate: p.ofstedGradeDate,
      postcode: p.postcode,
      registeredManagerChangedOn: null,
      status: 'active',
      mergedIntoId: null,
      version: 1,
      createdAt: date(p.createdAt),
      updatedAt: date(p.createdAt),
    };
  }
}

export function* placementRows(world: World): Generator<PlacementRow> {
  for (const p of world.placements) {
    yield {
      id: p.id,
      authorityId: world.authorities[p.authority]!.id,
      provisionId: world.provisions[p.provision]!.id,
      children: p.children,
      fromDate: p.fromDate,
      endedOn: p.endedOn,
      createdBy: clientOf(world, p.authority),
      // Ending a declaration (or superseding it) is its one update.
      version: p.endedAt === null ? 1 : 2,
      createdAt: date(p.createdAt),
      updatedAt: date(p.endedAt ?? p.createdAt),
    };
  }
}

export const allocationRow = (world: World, a: AllocationPlan): AllocationRow => ({
  id: a.id,
  provisionId: world.provisions[a.provision]!.id,
  authorityId: world.authorities[a.authority]!.id,
  role: 'quality',
  startsOn: a.startsOn,
  endsOn: null,
  rationale: a.rationale,
  createdBy: world.host.clientId,
  createdAt: date(a.createdAt),
  endedAt: a.endedAt === null ? null : date(a.endedAt),
  endedReason: a.endedReason,
});

export function* allocationRows(world: World): Generator<AllocationRow> {
  for (const a of world.allocations) yield allocationRow(world, a);
}

// ---------------------------------------------------------------------------------------------------
// Outcomes: content, the states they went through, and their versions

const ACTIVITY_WEIGHTS: readonly (readonly [ActivityType, number])[] = ACTIVITY_TYPES.map((t) => [
  t,
  {
    'full-qa-visit': 20,
    'monitoring-visit': 30,
    'unannounced-visit': 12,
    'property-only-visit': 5,
    'desk-review': 15,
    'compliance-review': 8,
    'contract-meeting': 10,
  }[t],
]);

const judgementFor = (rng: Rng, rating: number) =>
  rng.weighted(
    (
      [
        ['outstanding', [30, 10, 2, 0, 0]],
        ['good', [65, 70, 40, 15, 5]],
        ['requires-improvement', [5, 18, 48, 50, 35]],
        ['inadequate', [0, 2, 10, 35, 60]],
      ] as const
    ).map(([j, w]) => [j, w[rating - 1]!] as const),
  );

const sectionsFor = (rng: Rng, rating: number) =>
  rng.sample(SECTIONS, rng.int(3, 7)).map((section) => {
    const judgement = judgementFor(rng, rating);
    const tone =
      judgement === 'inadequate' ? 'poor' : judgement === 'requires-improvement' ? 'mixed' : 'good';
    return rng.chance(0.6)
      ? { section, judgement, comment: rng.pick(SECTION_COMMENTS[tone]) }
      : { section, judgement };
  });

const actionItem = (rng: Rng, activityDate: string, rating: number): ActionItem => {
  const concernLevel = rng.weighted(
    CONCERN_LEVELS.map(
      (l, i) =>
        [
          l,
          [
            [60, 30, 8, 2],
            [40, 40, 15, 5],
            [15, 40, 35, 10],
            [5, 25, 45, 25],
            [0, 10, 40, 50],
          ][rating - 1]![i]!,
        ] as const,
    ),
  );
  return {
    id: rng.hex(4),
    description: rng.pick(ACTIONS),
    concernLevel,
    // The default timescale of the concern level (Medway, figure 8), as the domain computes it.
    dueOn: addDays(activityDate, ACTION_DUE_DAYS[concernLevel]),
    status: 'open',
    history: [],
  };
};

type OutcomeContent = {
  activityType: ActivityType;
  announced: boolean;
  sectionJudgements: ReturnType<typeof sectionsFor>;
  summary: string;
  findings: string;
  actionItems: ActionItem[];
  nextDueOn: string | null;
  amendment: { reason: string; changes: Partial<OutcomeRow>; fields: string[] } | null;
  withdrawnReason: string | null;
};

const outcomeContent = (world: World, o: OutcomePlan): OutcomeContent => {
  const rng = new Rng(world.options.seed, `outcome:${o.index}`);
  const activityType = rng.weighted(ACTIVITY_WEIGHTS);
  const provisionName = world.provisions[o.provision]!.name;
  const sectionJudgements = sectionsFor(rng, o.rating);
  const summary = `${provisionName}: ${rng.pick(SUMMARIES[o.rating as 1 | 2 | 3 | 4 | 5])}`;
  const findings = rng.sample(FINDINGS, rng.int(2, 5)).join(' ');
  const [lo, hi] = [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
    [3, 5],
  ][o.rating - 1]!;
  const actionItems = Array.from({ length: rng.int(lo!, hi!) }, () =>
    actionItem(rng, o.activityDate, o.rating),
  );
  const nextDueOn = o.rating >= 3 && rng.chance(0.5) ? addMonths(o.activityDate, 3) : null;
  const content: OutcomeContent = {
    activityType,
    announced:
      activityType !== 'unannounced-visit' && !(activityType === 'monitoring-visit' && rng.chance(0.1)),
    sectionJudgements,
    summary,
    findings,
    actionItems,
    nextDueOn,
    amendment: null,
    withdrawnReason: o.status === 'withdrawn' ? rng.pick(WITHDRAW_REASONS) : null,
  };
  if (o.amendKind >= 0) {
    const reason = AMEND_REASONS[o.amendKind]!;
    let changes: Partial<OutcomeRow>;
    let fields: string[];
    switch (o.amendKind) {
      case 0:
        changes = { findings: `${findings} ${rng.pick(FINDINGS)}` };
        fields = ['findings'];
        break;
      case 1: {
        const rating = o.rating === 1 ? 2 : o.rating === 5 ? 4 : o.rating + (rng.chance(0.5) ? 1 : -1);
        changes = {
          overallRating: rating,
          summary: `${provisionName}: ${rng.pick(SUMMARIES[rating as 1 | 2 | 3 | 4 | 5])}`,
        };
        fields = ['overallRating', 'summary'];
        break;
      }
      case 2:
        changes = { actionItems: [...actionItems, actionItem(rng, o.activityDate, Math.max(2, o.rating))] };
        fields = ['addActionItems'];
        break;
      case 3:
        changes = { nextDueOn: addMonths(o.activityDate, 2) };
        fields = ['nextDueOn'];
        break;
      default:
        changes = {
          sectionJudgements: sectionsFor(rng, o.rating),
          findings: `${findings} ${rng.pick(FINDINGS)}`,
        };
        fields = ['findings', 'sectionJudgements'];
    }
    content.amendment = { reason, changes, fields };
  }
  return content;
};

export type OutcomeStates = {
  content: OutcomeContent;
  /** As published (version 2: a draft is version 1, publication adds one). */
  published: OutcomeRow | null;
  amended: OutcomeRow | null;
  withdrawn: OutcomeRow | null;
  /** As it stands today. */
  final: OutcomeRow;
};

export const outcomeStates = (world: World, o: OutcomePlan): OutcomeStates => {
  const content = outcomeContent(world, o);
  const draft: OutcomeRow = {
    id: o.id,
    provisionId: world.provisions[o.provision]!.id,
    authorityId: world.authorities[o.authority]!.id,
    status: 'draft',
    restricted: o.restricted,
    byLead: false,
    activityType: content.activityType,
    activityDate: o.activityDate,
    announced: content.announced,
    overallRating: o.rating,
    sectionJudgements: content.sectionJudgements,
    summary: content.summary,
    findings: content.findings,
    actionItems: content.actionItems,
    nextDueOn: content.nextDueOn,
    createdBy: clientOf(world, o.authority),
    publishedAt: null,
    amendedAt: null,
    withdrawnAt: null,
    withdrawnReason: null,
    version: 1,
    createdAt: date(o.createdAt),
    updatedAt: date(o.createdAt),
  };
  if (o.publishedAt === null)
    return { content, published: null, amended: null, withdrawn: null, final: draft };
  const published: OutcomeRow = {
    ...draft,
    status: 'published',
    byLead: o.byLead,
    publishedAt: date(o.publishedAt),
    version: 2,
    updatedAt: date(o.publishedAt),
  };
  let amended: OutcomeRow | null = null;
  if (o.amendedAt !== null && content.amendment) {
    amended = {
      ...published,
      ...content.amendment.changes,
      status: 'amended',
      amendedAt: date(o.amendedAt),
      version: 3,
      updatedAt: date(o.amendedAt),
    };
  }
  let withdrawn: OutcomeRow | null = null;
  if (o.withdrawnAt !== null) {
    withdrawn = {
      ...(amended ?? published),
      status: 'withdrawn',
      withdrawnAt: date(o.withdrawnAt),
      withdrawnReason: content.withdrawnReason,
      version: (amended ?? published).version + 1,
      updatedAt: date(o.withdrawnAt),
    };
  }
  return { content, published, amended, withdrawn, final: withdrawn ?? amended ?? published };
};

export function* outcomeRows(world: World): Generator<OutcomeRow> {
  for (const o of world.outcomes) yield outcomeStates(world, o).final;
}

/** The versions publishOutcome, amendOutcome and withdrawOutcome keep. */
export const outcomeVersions = (world: World, o: OutcomePlan, s: OutcomeStates): OutcomeVersionRow[] => {
  const by = { byAuthorityId: world.authorities[o.authority]!.id, byClientId: clientOf(world, o.authority) };
  const versions: OutcomeVersionRow[] = [];
  if (s.published)
    versions.push({
      outcomeId: o.id,
      version: s.published.version,
      change: 'published',
      note: null,
      snapshot: snapshotOf(s.published),
      ...by,
      at: s.published.publishedAt!,
    });
  if (s.amended)
    versions.push({
      outcomeId: o.id,
      version: s.amended.version,
      change: 'amended',
      note: s.content.amendment!.reason,
      snapshot: snapshotOf(s.amended),
      ...by,
      at: s.amended.amendedAt!,
    });
  if (s.withdrawn)
    versions.push({
      outcomeId: o.id,
      version: s.withdrawn.version,
      change: 'withdrawn',
      note: s.withdrawn.withdrawnReason,
      snapshot: snapshotOf(s.withdrawn),
      ...by,
      at: s.withdrawn.withdrawnAt!,
    });
  return versions;
};

export function* outcomeVersionRows(world: World): Generator<OutcomeVersionRow> {
  for (const o of world.outcomes) {
    if (o.publishedAt === null) continue;
    yield* outcomeVersions(world, o, outcomeStates(world, o));
  }
}

// ---------------------------------------------------------------------------------------------------
// Restrictions

const REASON_CATEGORIES_OF: Record<RestrictionKind, readonly string[]> = {
  embargo: ['safeguarding', 'quality', 'criminal-investigation'],
  'informal-embargo': ['safeguarding', 'quality', 'criminal-investigation'],
  'action-plan': ['quality', 'safeguarding', 'contract-compliance'],
  'regulatory-action-plan': ['regulator-judgement', 'quality'],
  'ofsted-restriction': ['regulator-judgement', 'safeguarding'],
  'ofsted-suspension': ['regulator-judgement', 'safeguarding'],
  'registration-cancelled': ['regulator-judgement'],
  'framework-suspension': ['contract-compliance', 'financial', 'quality'],
  'letter-of-concern': ['quality', 'contract-compliance', 'safeguarding'],
  'causing-concern-level': ['quality', 'safeguarding'],
  'ceased-operating': ['financial', 'contract-compliance'],
};

const KIND_SUMMARIES: Record<RestrictionKind, string> = {
  embargo: 'No new placements while concerns are investigated',
  'informal-embargo': 'Placements paused informally: contact the issuing authority before placing',
  'action-plan': 'Provider working to an agreed action plan',
  'regulatory-action-plan': 'Improvement plan required by Ofsted',
  'ofsted-restriction': 'Ofsted restriction of accommodation',
  'ofsted-suspension': 'Ofsted suspended the registration',
  'registration-cancelled': 'Ofsted cancelled the registration',
  'framework-suspension': 'Suspended from the framework',
  'letter-of-concern': 'Letter of concern issued to the provider',
  'causing-concern-level': 'Provider placed at a causing-concern level',
  'ceased-operating': 'The setting has ceased operating',
};

type RestrictionContent = {
  reasons: { category: string; text: string }[];
  contractScope: string;
  contractReference: string | null;
  summary: string;
  details: string;
  liftedReason: string | null;
};

const restrictionContent = (world: World, r: RestrictionPlan): RestrictionContent => {
  const rng = new Rng(world.options.seed, `restriction:${r.index}`);
  const categories = REASON_CATEGORIES_OF[r.kind];
  const chosen = [categories[0]!, ...rng.sample(categories.slice(1), rng.int(0, 2))];
  const contractScope = rng.weighted([
    ['all', 70],
    ['framework-lot', 12],
    ['dynamic-purchasing-system', 10],
    ['spot', 8],
  ] as const);
  return {
    reasons: chosen.map((category) => ({ category, text: rng.pick(RESTRICTION_REASONS[category]!) })),
    contractScope,
    contractReference:
      contractScope === 'framework-lot' || contractScope === 'dynamic-purchasing-system'
        ? rng.pick(CONTRACT_REFERENCES)
        : null,
    summary: r.partnershipWide ? 'Embargo applied by the partnership to all members' : KIND_SUMMARIES[r.kind],
    details: rng.sample(FINDINGS, rng.int(1, 3)).join(' '),
    liftedReason: r.liftedOn === null ? null : rng.pick(LIFT_REASONS),
  };
};

export type RestrictionStates = {
  created: RestrictionRow;
  lifted: RestrictionRow | null;
  final: RestrictionRow;
};

export const restrictionStates = (world: World, r: RestrictionPlan): RestrictionStates => {
  const content = restrictionContent(world, r);
  const created: RestrictionRow = {
    id: r.id,
    provisionId: r.provision >= 0 ? world.provisions[r.provision]!.id : null,
    providerId: r.provider >= 0 ? world.providers[r.provider]!.id : null,
    kind: r.kind,
    // Knowsley's causing-concern matrix: most settings causing concern are at level 1.
    concernLevel: r.kind === 'causing-concern-level' ? (r.index % 4 === 0 ? 2 : 1) : null,
    issuerAuthorityId: world.authorities[r.issuer]!.id,
    source: r.source,
    regulatorReference: r.regulatorReference,
    partnershipWide: r.partnershipWide,
    restricted: r.restricted,
    reasons: content.reasons,
    contractScope: content.contractScope,
    contractReference: content.contractReference,
    summary: content.summary,
    details: content.details,
    effectiveFrom: r.effectiveFrom,
    reviewOn: r.reviewOn,
    expiresOn: r.expiresOn,
    // The domain's default compliance window for a letter of concern.
    complianceDueOn:
      r.kind === 'letter-of-concern' ? addWorkingDays(r.effectiveFrom, LETTER_OF_CONCERN_WORKING_DAYS) : null,
    liftedOn: null,
    liftedReason: null,
    liftedByAuthorityId: null,
    complianceRecordedOn: null,
    complied: null,
    complianceNote: null,
    reviewedOn: null,
    createdBy: clientOf(world, r.issuer),
    version: 1,
    createdAt: date(r.createdAt),
    updatedAt: date(r.createdAt),
  };
  const lifted: RestrictionRow | null =
    r.liftedOn === null
      ? null
      : {
          ...created,
          liftedOn: r.liftedOn,
          liftedReason: content.liftedReason,
          liftedByAuthorityId: created.issuerAuthorityId,
          version: 2,
          updatedAt: date(r.liftedAt!),
        };
  return { created, lifted, final: lifted ?? created };
};

export function* restrictionRows(world: World): Generator<RestrictionRow> {
  for (const r of world.restrictions) yield restrictionStates(world, r).final;
}

/** keepVersion's snapshot: the row without its timestamps. */
const restrictionSnapshot = (row: RestrictionRow): Record<string, unknown> => {
  const { createdAt: _c, updatedAt: _u, ...snapshot } = row;
  return snapshot;
};

export function* restrictionVersionRows(world: World): Generator<RestrictionVersionRow> {
  for (const r of world.restrictions) {
    const s = restrictionStates(world, r);
    const by = { byAuthorityId: s.created.issuerAuthorityId, byClientId: s.created.createdBy };
    yield {
      restrictionId: r.id,
      version: 1,
      change: 'created',
      note: null,
      snapshot: restrictionSnapshot(s.created),
      ...by,
      at: s.created.createdAt,
    };
    if (s.lifted)
      yield {
        restrictionId: r.id,
        version: 2,
        change: 'lifted',
        note: s.lifted.liftedReason,
        snapshot: restrictionSnapshot(s.lifted),
        ...by,
        at: s.lifted.updatedAt,
      };
  }
}

// ---------------------------------------------------------------------------------------------------
// Concerns

export const concernSummary = (world: World, c: ConcernPlan): string => {
  const rng = new Rng(world.options.seed, `concern:${c.index}`);
  return `${rng.pick(CONCERN_SUMMARIES[c.category]!)} (${c.level})`;
};

export function* concernRows(world: World): Generator<ConcernRow> {
  for (const c of world.concerns) {
    yield {
      id: c.id,
      provisionId: world.provisions[c.provision]!.id,
      authorityId: world.authorities[c.authority]!.id,
      category: c.category,
      level: c.level,
      status: 'open',
      closedReason: null,
      occurredOn: c.occurredOn,
      summary: concernSummary(world, c),
      restricted: c.restricted,
      createdBy: clientOf(world, c.authority),
      version: 1,
      createdAt: date(c.createdAt),
      updatedAt: date(c.createdAt),
    };
  }
}

export function* concernVersionRows(world: World): Generator<ConcernVersionRow> {
  for (const row of concernRows(world)) {
    const { createdAt, updatedAt: _u, ...snapshot } = row;
    yield {
      concernId: row.id,
      version: 1,
      change: 'logged',
      note: null,
      snapshot,
      byAuthorityId: row.authorityId,
      byClientId: row.createdBy,
      at: createdAt,
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Events: every change the domain emits for, in time order, already sequenced

const EV = {
  outcomePublished: 0,
  outcomeAmended: 1,
  outcomeWithdrawn: 2,
  restrictionCreated: 3,
  restrictionLifted: 4,
  restrictionExpired: 5,
  allocationChanged: 6,
  monitoringOverdue: 7,
} as const;

export type OverduePlan = {
  provision: number;
  allocation: number;
  lastMonitoredOn: string;
  nextDueOn: string;
  at: number;
};

export type EventPlan = {
  at: Float64Array;
  type: Uint8Array;
  ref: Int32Array;
  /** Event indices in feed order: the event at order[k] gets seq k + 1. */
  order: Uint32Array;
  overdue: OverduePlan[];
};

const monthsFor = (type: ProvisionType): number =>
  (DEFAULT_MONITORING_MONTHS_BY_TYPE as Partial<Record<ProvisionType, number>>)[type] ??
  DEFAULT_MONITORING_MONTHS;

/** The job's "monitoring.overdue" for each current lead whose setting is overdue as of the as-of day. */
const planOverdue = (world: World): OverduePlan[] => {
  const { clock } = world;
  const found: OverduePlan[] = [];
  for (const a of world.allocations) {
    if (a.endedAt !== null) continue;
    // The latest published (not withdrawn) outcome, by activity date then publication, as the schedule reads it.
    let best: OutcomePlan | null = null;
    for (const i of world.byProvision.outcomes[a.provision]!) {
      const o = world.outcomes[i]!;
      if (o.status === 'withdrawn') continue;
      if (
        !best ||
        o.activityDate > best.activityDate ||
        (o.activityDate === best.activityDate && o.publishedAt! > best.publishedAt!)
      )
        best = o;
    }
    if (!best) continue;
    const final = outcomeStates(world, best).final;
    const nextDueOn =
      final.nextDueOn ?? addMonths(best.activityDate, monthsFor(world.provisions[a.provision]!.type));
    if (nextDueOn >= clock.asOf) continue;
    // The job runs every minute: the first run of the day after the due date finds it.
    const at = Math.max(
      dayMs(addDays(nextDueOn, 1)) + 10 * 60_000,
      a.createdAt + 60_000,
      final.updatedAt.getTime() + 60_000,
    );
    if (at >= clock.asOfStart) continue;
    found.push({
      provision: a.provision,
      allocation: a.index,
      lastMonitoredOn: best.activityDate,
      nextDueOn,
      at,
    });
  }
  return found;
};

const eventPlans = new WeakMap<World, EventPlan>();

export const planEvents = (world: World): EventPlan => {
  const cached = eventPlans.get(world);
  if (cached) return cached;
  const at: number[] = [];
  const type: number[] = [];
  const ref: number[] = [];
  const push = (t: number, r: number, when: number) => {
    at.push(when);
    type.push(t);
    ref.push(r);
  };
  for (const a of world.allocations) push(EV.allocationChanged, a.index, a.createdAt);
  for (const o of world.outcomes) {
    if (o.publishedAt !== null) push(EV.outcomePublished, o.index, o.publishedAt);
    if (o.amendedAt !== null) push(EV.outcomeAmended, o.index, o.amendedAt);
    if (o.withdrawnAt !== null) push(EV.outcomeWithdrawn, o.index, o.withdrawnAt);
  }
  for (const r of world.restrictions) {
    push(EV.restrictionCreated, r.index, r.createdAt);
    if (r.liftedAt !== null) push(EV.restrictionLifted, r.index, r.liftedAt);
    // The expiry job's event, on the morning of the expiry date.
    if (r.state === 'expired') push(EV.restrictionExpired, r.index, dayMs(r.expiresOn!) + 5 * 60_000);
  }
  const overdue = planOverdue(world);
  overdue.forEach((o, i) => push(EV.monitoringOverdue, i, o.at));
  const order = Uint32Array.from(at.keys());
  order.sort((x, y) => at[x]! - at[y]! || x - y);
  const plan: EventPlan = {
    at: Float64Array.from(at),
    type: Uint8Array.from(type),
    ref: Int32Array.from(ref),
    order,
    overdue,
  };
  eventPlans.set(world, plan);
  return plan;
};

const recordEvent = (
  seq: number,
  type: EventRow['type'],
  at: Date,
  r: {
    recordType: 'outcome' | 'restriction';
    recordId: string;
    publisherAuthorityId: string;
    restricted: boolean;
    provisionId: string | null;
    providerId: string | null;
    summary: Record<string, unknown>;
    detail: Record<string, unknown>;
  },
): EventRow => ({
  id: seq,
  seq,
  type,
  at,
  audience: 'record',
  audienceAuthorityIds: [],
  ...r,
  // emitEvent leaves the record status at its default.
  recordStatus: 'published',
});

const outcomeEvent = (seq: number, type: EventRow['type'], row: OutcomeRow, at: Date): EventRow =>
  recordEvent(seq, type, at, {
    recordType: 'outcome',
    recordId: row.id,
    publisherAuthorityId: row.authorityId,
    restricted: row.restricted,
    provisionId: row.provisionId,
    providerId: null,
    summary: outcomeSummary(row),
    detail: outcomeDetail(row),
  });

const restrictionEvent = (seq: number, type: EventRow['type'], row: RestrictionRow, at: Date): EventRow => {
  const today = londonDay(at.getTime());
  return recordEvent(seq, type, at, {
    recordType: 'restriction',
    recordId: row.id,
    publisherAuthorityId: row.issuerAuthorityId,
    restricted: row.restricted,
    provisionId: row.provisionId,
    providerId: row.providerId,
    summary: restrictionSummary(row, today),
    detail: restrictionDetail(row, today, []),
  });
};

export function* eventRows(world: World): Generator<EventRow> {
  const plan = planEvents(world);
  for (let k = 0; k < plan.order.length; k++) {
    const e = plan.order[k]!;
    const seq = k + 1;
    const at = new Date(plan.at[e]!);
    const ref = plan.ref[e]!;
    switch (plan.type[e]) {
      case EV.outcomePublished: {
        yield outcomeEvent(
          seq,
          'outcome.published',
          outcomeStates(world, world.outcomes[ref]!).published!,
          at,
        );
        break;
      }
      case EV.outcomeAmended: {
        yield outcomeEvent(seq, 'outcome.amended', outcomeStates(world, world.outcomes[ref]!).amended!, at);
        break;
      }
      case EV.outcomeWithdrawn: {
        yield outcomeEvent(
          seq,
          'outcome.withdrawn',
          outcomeStates(world, world.outcomes[ref]!).withdrawn!,
          at,
        );
        break;
      }
      case EV.restrictionCreated: {
        yield restrictionEvent(
          seq,
          'restriction.created',
          restrictionStates(world, world.restrictions[ref]!).created,
          at,
        );
        break;
      }
      case EV.restrictionLifted: {
        yield restrictionEvent(
          seq,
          'restriction.lifted',
          restrictionStates(world, world.restrictions[ref]!).lifted!,
          at,
        );
        break;
      }
      case EV.restrictionExpired: {
        // The expiry job's own shapes (time-jobs.ts).
        const r = restrictionStates(world, world.restrictions[ref]!).final;
        const { summary, detail } = expiryEventData(r);
        yield recordEvent(seq, 'restriction.expired', at, {
          recordType: 'restriction',
          recordId: r.id,
          publisherAuthorityId: r.issuerAuthorityId,
          restricted: r.restricted,
          provisionId: r.provisionId,
          providerId: r.providerId,
          summary,
          detail,
        });
        break;
      }
      case EV.allocationChanged: {
        const a = world.allocations[ref]!;
        const summary = {
          provisionId: world.provisions[a.provision]!.id,
          authorityId: world.authorities[a.authority]!.id,
          previousAuthorityId:
            a.previous >= 0 ? world.authorities[world.allocations[a.previous]!.authority]!.id : null,
          role: 'quality',
          startsOn: a.startsOn,
        };
        yield {
          id: seq,
          seq,
          type: 'allocation.changed',
          at,
          audience: 'members',
          audienceAuthorityIds: [],
          recordType: null,
          recordId: null,
          publisherAuthorityId: null,
          recordStatus: 'published',
          restricted: false,
          provisionId: summary.provisionId,
          providerId: null,
          summary,
          detail: summary,
        };
        break;
      }
      default: {
        const o = plan.overdue[ref]!;
        const a = world.allocations[o.allocation]!;
        const p = world.provisions[o.provision]!;
        const lead = world.authorities[a.authority]!.id;
        const summary = {
          provisionId: p.id,
          name: p.name,
          leadAuthorityId: lead,
          status: 'overdue',
          lastMonitoredOn: o.lastMonitoredOn,
          nextDueOn: o.nextDueOn,
          daysOverdue: daysBetween(o.nextDueOn, londonDay(at.getTime())),
        };
        yield {
          id: seq,
          seq,
          type: 'monitoring.overdue',
          at,
          audience: 'authorities',
          audienceAuthorityIds: [lead],
          recordType: null,
          recordId: null,
          publisherAuthorityId: null,
          recordStatus: 'published',
          restricted: false,
          provisionId: p.id,
          providerId: null,
          summary,
          detail: summary,
        };
      }
    }
  }
}

/** The marks the time jobs leave, so a hub started on the data does not emit these events again. */
export function* jobMarkRows(world: World): Generator<JobMarkRow> {
  const plan = planEvents(world);
  for (const r of world.restrictions)
    if (r.state === 'expired')
      yield { kind: 'restriction.expired', key: r.id, at: new Date(dayMs(r.expiresOn!) + 5 * 60_000) };
  for (const o of plan.overdue)
    yield {
      kind: 'monitoring.overdue',
      key: `${world.provisions[o.provision]!.id}:${o.nextDueOn}`,
      at: new Date(o.at),
    };
}
