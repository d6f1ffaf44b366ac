// The placement check (DESIGN §4), rule by rule: a clear setting; each do-not-place and each caution
// rule with the reason code, record and contact it gives; the worst reason wins; lifted, expired and
// pending restrictions; provider-level restrictions; restricted records as a neutral signal (except for
// their issuer); checks by URN; not found; the batch form; and the audit entry of every check.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHECK_REASONS,
  REGULATOR_KINDS,
  type CheckReasonCode,
  type PlacementCheck,
  type RestrictionCreate,
  type RestrictionKind,
  type Verdict,
} from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { createHarness, type Harness } from '../support/harness.js';
import {
  DAY_MS,
  expectCode,
  fixClock,
  insertProvisions,
  makeMember,
  moveClock,
  plusDays,
  publishOutcome,
  uniq,
  type Member,
} from '../support/need-to-know.js';

const NOW = '2026-06-15T10:00:00Z';
const TODAY = '2026-06-15';

let h: Harness;
let restoreClock: () => void;
/** The lead authority of every setting made here (unless told otherwise). */
let lead: Member;
/** The placing officer's authority: the one that checks. */
let caller: Member;
/** Another member authority, which issues restrictions and logs concerns. */
let other: Member;
let hostInbox: string;

let urnCounter = 200_000 + Math.floor(Math.random() * 700_000);
const nextUrn = () => `SC${urnCounter++}`;

beforeAll(async () => {
  h = await createHarness();
  lead = await makeMember(h, 'lead');
  caller = await makeMember(h, 'caller');
  other = await makeMember(h, 'other');
  hostInbox = (await h.caller(h.hubAdmin).authorities.get({ id: h.hostAuthorityId })).qaInbox;
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  restoreClock = fixClock(h.hub, NOW);
});
afterEach(() => {
  restoreClock();
});

type Setting = {
  provisionId: string;
  providerId: string;
  urn: string;
  version: number;
  outcome: { id: string; version: number } | null;
};

/**
 * A setting that passes every rule: registered, graded good, a current lead, a recent outcome rated 2
 * by the lead (next due in a year), two concerns in the last year (risk low), no restrictions.
 */
const clearSetting = async (opts: { providerId?: string; withLead?: boolean } = {}): Promise<Setting> => {
  const urn = nextUrn();
  const provision = await h.makeProvision({
    urn,
    ofstedGrade: 'good',
    ofstedGradeDate: '2025-11-20',
    ...(opts.providerId ? { providerId: opts.providerId } : {}),
  });
  if (opts.withLead !== false) {
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: provision.id,
      authorityId: lead.id,
      rationale: 'lead by agreement',
      startsOn: '2026-01-01',
    });
  }
  const outcome = await publishOutcome(h, lead.officer, provision.id, {
    activityType: 'full-qa-visit',
    activityDate: '2026-05-20',
    overallRating: 2,
    nextDueOn: undefined,
  });
  for (const occurredOn of ['2026-01-10', '2026-03-02'])
    await h.caller(other.officer).concerns.log({
      provisionId: provision.id,
      category: 'quality',
      severity: 'low',
      occurredOn,
      summary: `a minor concern ${uniq()}`,
    });
  return {
    provisionId: provision.id,
    providerId: provision.providerId,
    urn,
    version: provision.version,
    outcome: { id: outcome.id, version: outcome.version },
  };
};

/** A restriction by `who` on a provision or a whole provider; regulator kinds get a reference. */
const restrict = async (
  who: Principal,
  target: { provisionId: string } | { providerId: string },
  kind: RestrictionKind,
  extra: Partial<RestrictionCreate> = {},
) => {
  const tag = uniq();
  const view = await h.caller(who).restrictions.create({
    ...target,
    kind,
    reasons: [{ category: 'safeguarding', text: `reason text ${tag}` }],
    summary: `restriction summary ${tag}`,
    details: `restriction details ${tag}`,
    ...(REGULATOR_KINDS.includes(kind) ? { source: 'regulator', regulatorReference: `REF-${tag}` } : {}),
    ...extra,
  });
  if (view.layer !== 'detail') throw new Error('the issuer sees its restriction in detail');
  return view;
};

const check = (who: Member | Principal, provisionId: string) =>
  h.caller('officer' in who ? who.officer : who).checks.placement({ provisionId });
const codes = (c: PlacementCheck) => c.reasons.map((r) => r.code);

const logConcerns = async (provisionId: string, n: number) => {
  for (let i = 0; i < n; i++)
    await h.caller(other.officer).concerns.log({
      provisionId,
      category: 'safeguarding',
      severity: 'medium',
      occurredOn: plusDays('2026-02-01', i),
      summary: `concern ${i} ${uniq()}`,
    });
};

const updateProvision = async (s: Setting, changes: Record<string, unknown>) =>
  h.caller(h.hubAdmin).provisions.update({ id: s.provisionId, version: s.version, ...changes });

describe('a clear setting', () => {
  it('is clear with no reasons, and carries what a placing officer needs on one screen', async () => {
    const s = await clearSetting();
    const c = await check(caller, s.provisionId);
    expect(c).toMatchObject({
      provisionId: s.provisionId,
      verdict: 'clear',
      reasons: [],
      provision: { urn: s.urn, ofstedGrade: 'good', registrationStatus: 'registered' },
      provider: { id: s.providerId },
      lead: { authorityId: lead.id, qaInbox: lead.qaInbox, since: '2026-01-01' },
      latestOutcome: { layer: 'summary', id: s.outcome!.id, overallRating: 2 },
      restrictions: [],
      riskRag: 'low',
      concernsLast12Months: 2,
      monitoring: { status: 'ok', lastMonitoredOn: '2026-05-20', nextDueOn: '2027-05-20', daysOverdue: 0 },
      checkedAt: new Date(NOW).toISOString(),
    });
  });

  it('is clear for a viewer client too', async () => {
    const s = await clearSetting();
    const viewer = (await h.makeClient(caller.id, 'viewer')).principal;
    expect((await check(viewer, s.provisionId)).verdict).toBe('clear');
  });
});

type Expected = { recordId: string | null; contact: string | null };
type Scenario = {
  name: string;
  code: CheckReasonCode;
  verdict: Verdict;
  /** Changes a clear setting so that exactly this one rule applies; answers the record and contact expected. */
  arrange: (s: Setting) => Promise<Expected>;
  withLead?: boolean;
};

const byRestriction = (who: Member, kind: RestrictionKind, extra: Partial<RestrictionCreate> = {}) => {
  return async (s: Setting): Promise<Expected> => {
    const r = await restrict(who.officer, { provisionId: s.provisionId }, kind, extra);
    return { recordId: r.id, contact: who.qaInbox };
  };
};
const withStatus =
  (registrationStatus: string) =>
  async (s: Setting): Promise<Expected> => {
    await updateProvision(s, { registrationStatus });
    return { recordId: null, contact: null };
  };
const withRating =
  (overallRating: number) =>
  async (s: Setting): Promise<Expected> => {
    const newer = await publishOutcome(h, lead.officer, s.provisionId, {
      activityDate: '2026-06-10',
      overallRating,
      nextDueOn: undefined,
    });
    return { recordId: newer.id, contact: lead.qaInbox };
  };

const DO_NOT_PLACE: Scenario[] = [
  {
    name: 'an active embargo issued by the caller itself',
    code: 'own-embargo',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(caller, 'embargo')(s),
  },
  {
    name: "an informal embargo by the caller (counts as its own embargo, though it's restricted)",
    code: 'own-embargo',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(caller, 'informal-embargo')(s),
  },
  {
    name: 'a framework suspension issued by the caller itself',
    code: 'own-framework-suspension',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(caller, 'framework-suspension')(s),
  },
  {
    name: 'an Ofsted suspension relayed by another member',
    code: 'ofsted-suspension',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(other, 'ofsted-suspension')(s),
  },
  {
    name: 'a cancelled registration relayed by another member',
    code: 'registration-cancelled',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(other, 'registration-cancelled')(s),
  },
  {
    name: 'ceased operating, reported by another member',
    code: 'ceased-operating',
    verdict: 'do-not-place',
    arrange: (s) => byRestriction(other, 'ceased-operating')(s),
  },
  {
    name: 'an embargo the partnership applied to all members',
    code: 'partnership-embargo',
    verdict: 'do-not-place',
    arrange: async (s) => {
      const r = await restrict(h.hubAdmin, { provisionId: s.provisionId }, 'embargo', {
        partnershipWide: true,
      });
      return { recordId: r.id, contact: hostInbox };
    },
  },
  ...(['suspended', 'cancelled', 'closed'] as const).map((status): Scenario => ({
    name: `a directory registration status of ${status}`,
    code: 'registration-not-active',
    verdict: 'do-not-place',
    arrange: withStatus(status),
  })),
];

const CAUTION: Scenario[] = [
  ...(
    [
      'embargo',
      'framework-suspension',
      'action-plan',
      'regulatory-action-plan',
      'ofsted-restriction',
      'letter-of-concern',
      'causing-concern-level',
    ] as const
  ).map((kind): Scenario => ({
    name: `an active ${kind} by another member`,
    code: 'restriction-by-member',
    verdict: 'caution',
    arrange: (s) => byRestriction(other, kind)(s),
  })),
  {
    name: 'a restricted restriction by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s) => {
      await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', { restricted: true });
      return { recordId: null, contact: other.qaInbox };
    },
  },
  {
    name: 'an informal embargo by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s) => {
      await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
      return { recordId: null, contact: other.qaInbox };
    },
  },
  {
    name: 'a restricted latest outcome (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s) => {
      await publishOutcome(h, lead.officer, s.provisionId, {
        activityDate: '2026-06-10',
        overallRating: 2,
        nextDueOn: undefined,
        restricted: true,
      });
      return { recordId: null, contact: lead.qaInbox };
    },
  },
  {
    name: 'a restricted concern (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s) => {
      await h.caller(other.officer).concerns.log({
        provisionId: s.provisionId,
        category: 'criminal-investigation',
        severity: 'high',
        occurredOn: '2026-06-01',
        summary: `under investigation ${uniq()}`,
        restricted: true,
      });
      return { recordId: null, contact: other.qaInbox };
    },
  },
  {
    name: 'Ofsted grade requires improvement',
    code: 'ofsted-requires-improvement',
    verdict: 'caution',
    arrange: async (s) => {
      await updateProvision(s, { ofstedGrade: 'requires-improvement' });
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'Ofsted grade inadequate',
    code: 'ofsted-inadequate',
    verdict: 'caution',
    arrange: async (s) => {
      await updateProvision(s, { ofstedGrade: 'inadequate' });
      return { recordId: null, contact: null };
    },
  },
  ...[3, 4, 5].map((rating): Scenario => ({
    name: `latest overall rating ${rating}`,
    code: 'latest-rating-of-concern',
    verdict: 'caution',
    arrange: withRating(rating),
  })),
  {
    name: 'risk RAG medium (5 concerns in the last 12 months)',
    code: 'risk-medium',
    verdict: 'caution',
    arrange: async (s) => {
      await logConcerns(s.provisionId, 3);
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'risk RAG high (11 concerns in the last 12 months)',
    code: 'risk-high',
    verdict: 'caution',
    arrange: async (s) => {
      await logConcerns(s.provisionId, 9);
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'monitoring overdue (the outcome set its own next due date)',
    code: 'monitoring-overdue',
    verdict: 'caution',
    arrange: async (s) => {
      await h.caller(lead.officer).outcomes.amend({
        id: s.outcome!.id,
        version: s.outcome!.version,
        reason: 'next visit brought forward',
        changes: { nextDueOn: '2026-06-01' },
      });
      return { recordId: null, contact: lead.qaInbox };
    },
  },
  {
    name: 'never monitored (the only outcome was withdrawn)',
    code: 'never-monitored',
    verdict: 'caution',
    arrange: async (s) => {
      await h.caller(lead.officer).outcomes.withdraw({
        id: s.outcome!.id,
        version: s.outcome!.version,
        reason: 'published against the wrong setting',
      });
      return { recordId: null, contact: lead.qaInbox };
    },
  },
  {
    name: 'no lead authority (never allocated)',
    code: 'no-lead-authority',
    verdict: 'caution',
    withLead: false,
    arrange: () => Promise.resolve({ recordId: null, contact: null }),
  },
  {
    name: 'no lead authority (the allocation ran out)',
    code: 'no-lead-authority',
    verdict: 'caution',
    arrange: async (s) => {
      await h.caller(h.hubAdmin).allocations.assign({
        provisionId: s.provisionId,
        authorityId: lead.id,
        rationale: 'a fixed term that has ended',
        startsOn: '2025-06-01',
        endsOn: '2026-06-01',
      });
      return { recordId: null, contact: null };
    },
  },
];

describe.each([
  ['do-not-place', DO_NOT_PLACE],
  ['caution', CAUTION],
])('%s rules', (_verdict, scenarios) => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const s = await clearSetting({ withLead: scenario.withLead ?? true });
    const expected = await scenario.arrange(s);
    const c = await check(caller, s.provisionId);
    expect(CHECK_REASONS[scenario.code]).toBe(scenario.verdict);
    expect(c.verdict).toBe(scenario.verdict);
    expect(c.reasons).toEqual([
      {
        code: scenario.code,
        verdict: scenario.verdict,
        message: expect.any(String) as string,
        recordId: expected.recordId,
        contact: expected.contact,
      },
    ]);
  });
});

describe('the worst reason wins', () => {
  it('do-not-place beats any number of cautions, and the reasons come worst first', async () => {
    const s = await clearSetting();
    const byOther = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    await updateProvision(s, { ofstedGrade: 'inadequate' });
    const cancelled = await restrict(other.officer, { provisionId: s.provisionId }, 'registration-cancelled');
    const c = await check(caller, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(codes(c).sort()).toEqual(['ofsted-inadequate', 'registration-cancelled', 'restriction-by-member']);
    expect(c.reasons[0]).toMatchObject({ code: 'registration-cancelled', recordId: cancelled.id });
    expect(c.reasons.slice(1).every((r) => r.verdict === 'caution')).toBe(true);
    expect(c.reasons.find((r) => r.code === 'restriction-by-member')?.recordId).toBe(byOther.id);
  });

  it('several cautions stay caution, each with its own reason', async () => {
    const s = await clearSetting({ withLead: false });
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    await logConcerns(s.provisionId, 3);
    const c = await check(caller, s.provisionId);
    expect(c.verdict).toBe('caution');
    expect(codes(c).sort()).toEqual(['no-lead-authority', 'ofsted-requires-improvement', 'risk-medium']);
  });
});

describe('restrictions that no longer (or do not yet) apply', () => {
  it('a lifted restriction no longer counts', async () => {
    const s = await clearSetting();
    const r = await restrict(caller.officer, { provisionId: s.provisionId }, 'embargo');
    expect((await check(caller, s.provisionId)).verdict).toBe('do-not-place');
    await h
      .caller(caller.officer)
      .restrictions.lift({ id: r.id, version: r.version, reason: 'concerns resolved' });
    const after = await check(caller, s.provisionId);
    expect(after).toMatchObject({ verdict: 'clear', reasons: [], restrictions: [] });
  });

  it('a restriction lifted from a later date counts until that date', async () => {
    const s = await clearSetting();
    const r = await restrict(other.officer, { provisionId: s.provisionId }, 'ceased-operating');
    await h.caller(other.officer).restrictions.lift({
      id: r.id,
      version: r.version,
      liftedOn: plusDays(TODAY, 2),
      reason: 'operating again from the 17th',
    });
    expect(codes(await check(caller, s.provisionId))).toEqual(['ceased-operating']);
    moveClock(h.hub, 2 * DAY_MS);
    expect(await check(caller, s.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });

  it('an expired restriction no longer counts (the hub clock moves past its expiry)', async () => {
    const s = await clearSetting();
    await restrict(other.officer, { provisionId: s.provisionId }, 'embargo', {
      expiresOn: plusDays(TODAY, 3),
    });
    expect(codes(await check(caller, s.provisionId))).toEqual(['restriction-by-member']);
    moveClock(h.hub, 2 * DAY_MS);
    expect(codes(await check(caller, s.provisionId))).toEqual(['restriction-by-member']);
    moveClock(h.hub, DAY_MS);
    expect(await check(caller, s.provisionId)).toMatchObject({
      verdict: 'clear',
      reasons: [],
      restrictions: [],
    });
  });

  it('a restriction effective from a later date counts from that date', async () => {
    const s = await clearSetting();
    const r = await restrict(caller.officer, { provisionId: s.provisionId }, 'framework-suspension', {
      effectiveFrom: plusDays(TODAY, 1),
    });
    expect((await check(caller, s.provisionId)).verdict).toBe('clear');
    moveClock(h.hub, DAY_MS);
    const c = await check(caller, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(c.reasons).toEqual([
      expect.objectContaining({ code: 'own-framework-suspension', recordId: r.id }),
    ]);
  });
});

describe('restrictions on a whole provider', () => {
  it('count at every provision of the provider, and nowhere else', async () => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    const elsewhere = await clearSetting();

    const byOther = await restrict(other.officer, { providerId: provider.id }, 'letter-of-concern');
    for (const s of [a, b]) {
      const c = await check(caller, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        expect.objectContaining({
          code: 'restriction-by-member',
          recordId: byOther.id,
          contact: other.qaInbox,
        }),
      ]);
      expect(c.restrictions).toEqual([
        expect.objectContaining({ id: byOther.id, providerId: provider.id, provisionId: null }),
      ]);
    }

    const own = await restrict(caller.officer, { providerId: provider.id }, 'embargo');
    for (const s of [a, b]) {
      const c = await check(caller, s.provisionId);
      expect(c.verdict).toBe('do-not-place');
      expect(c.reasons[0]).toMatchObject({ code: 'own-embargo', recordId: own.id, contact: caller.qaInbox });
      expect(codes(c).sort()).toEqual(['own-embargo', 'restriction-by-member']);
    }

    const ceased = await restrict(other.officer, { providerId: provider.id }, 'ceased-operating');
    expect(codes(await check(other, a.provisionId))).toContain('ceased-operating');
    expect((await check(other, b.provisionId)).reasons).toContainEqual(
      expect.objectContaining({ code: 'ceased-operating', recordId: ceased.id }),
    );

    expect(await check(caller, elsewhere.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });

  it('a restricted provider-level restriction gives every provision the signal', async () => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    await restrict(other.officer, { providerId: provider.id }, 'informal-embargo');
    for (const s of [a, b]) {
      const c = await check(caller, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        expect.objectContaining({ code: 'restricted-information', recordId: null, contact: other.qaInbox }),
      ]);
      expect(c.restrictions).toEqual([
        {
          layer: 'signal',
          provisionId: null,
          providerId: provider.id,
          contact: other.qaInbox,
          message: expect.any(String) as string,
        },
      ]);
    }
  });
});

describe('restricted restrictions', () => {
  it('give the caller only a restricted-information signal: no record id, no kind, no text', async () => {
    const s = await clearSetting();
    const placing = await makeMember(h, 'placing');
    await h
      .caller(placing.officer)
      .placements.declare({ provisionId: s.provisionId, children: 1, fromDate: '2026-01-01' });
    const embargo = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    expect(embargo.restricted).toBe(true);

    // Need-to-know bases (lead, placing, host) do not open a restricted record; only its issuer sees it.
    const hostOfficer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
    for (const who of [caller.officer, placing.officer, lead.officer, hostOfficer]) {
      const c = await check(who, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        {
          code: 'restricted-information',
          verdict: 'caution',
          message: expect.stringContaining(other.qaInbox) as string,
          recordId: null,
          contact: other.qaInbox,
        },
      ]);
      expect(c.restrictions).toEqual([
        {
          layer: 'signal',
          provisionId: s.provisionId,
          providerId: null,
          contact: other.qaInbox,
          message: expect.stringContaining(other.qaInbox) as string,
        },
      ]);
      const raw = JSON.stringify(c);
      for (const secret of [
        'informal-embargo',
        'informal embargo',
        embargo.id,
        embargo.summary,
        embargo.details,
        embargo.reasons[0]!.text,
      ])
        expect(raw).not.toContain(secret);
    }

    // The issuer itself: its own (informal) embargo is a do-not-place, with the record behind it.
    const own = await check(other, s.provisionId);
    expect(own.verdict).toBe('do-not-place');
    expect(own.reasons).toEqual([
      expect.objectContaining({ code: 'own-embargo', recordId: embargo.id, contact: other.qaInbox }),
    ]);
    expect(own.restrictions).toEqual([
      expect.objectContaining({ layer: 'detail', id: embargo.id, kind: 'informal-embargo' }),
    ]);
  });

  it('several restricted records of one issuer give one signal; a share opens the record', async () => {
    const s = await clearSetting();
    const plan = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', {
      restricted: true,
    });
    await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const c = await check(caller, s.provisionId);
    expect(c.reasons.map((r) => [r.code, r.contact])).toEqual([['restricted-information', other.qaInbox]]);
    expect(c.restrictions).toHaveLength(1);

    // Once the issuer shares the action plan with the caller, it is a visible restriction by another member.
    await h
      .caller(other.officer)
      .access.share({ recordType: 'restriction', recordId: plan.id, authorityId: caller.id });
    const shared = await check(caller, s.provisionId);
    expect(shared.verdict).toBe('caution');
    expect(shared.reasons.map((r) => [r.code, r.recordId]).sort()).toEqual([
      ['restricted-information', null],
      ['restriction-by-member', plan.id],
    ]);
    expect(shared.restrictions).toContainEqual(expect.objectContaining({ layer: 'detail', id: plan.id }));
  });
});

describe('check by URN, and unknown settings', () => {
  it('a URN finds the same setting and the same answer as its id', async () => {
    const s = await clearSetting();
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    const byId = await check(caller, s.provisionId);
    const byUrn = await h.caller(caller.officer).checks.placement({ urn: s.urn });
    expect(byUrn).toEqual(byId);
    expect(byUrn).toMatchObject({ provisionId: s.provisionId, verdict: 'caution' });
    // URNs are matched case-insensitively, as Ofsted writes them in capitals.
    expect((await h.caller(caller.officer).checks.placement({ urn: s.urn.toLowerCase() })).provisionId).toBe(
      s.provisionId,
    );
  });

  it('an unknown id or URN is NOT_FOUND; a malformed one is BAD_REQUEST', async () => {
    await expectCode(h.caller(caller.officer).checks.placement({ provisionId: randomUUID() }), 'NOT_FOUND');
    await expectCode(h.caller(caller.officer).checks.placement({ urn: 'SC000001' }), 'NOT_FOUND');
    await expectCode(h.caller(caller.officer).checks.placement({ provisionId: 'not-an-id' }), 'BAD_REQUEST');
    await expectCode(h.caller(caller.officer).checks.placement({ urn: 'XY12' }), 'BAD_REQUEST');
  });
});

describe('checks.placementMany', () => {
  it('answers each item in order, the same as single checks, with the summary counts', async () => {
    const clear = await clearSetting();
    const stop = await clearSetting();
    await updateProvision(stop, { registrationStatus: 'closed' });
    const careful = await clearSetting();
    await restrict(other.officer, { provisionId: careful.provisionId }, 'action-plan');
    const unknownId = randomUUID();

    const items = [
      { provisionId: clear.provisionId },
      { provisionId: stop.provisionId },
      { urn: careful.urn },
      { provisionId: unknownId },
      { urn: 'SC000002' },
    ];
    const many = await h.caller(caller.officer).checks.placementMany({ items });
    expect(many.summary).toEqual({ clear: 1, caution: 1, doNotPlace: 1, notFound: 2 });
    expect(many.results.map((r) => (r.ok ? [r.provisionId, r.verdict] : [r.ok, r.target]))).toEqual([
      [clear.provisionId, 'clear'],
      [stop.provisionId, 'do-not-place'],
      [careful.provisionId, 'caution'],
      [false, { provisionId: unknownId }],
      [false, { urn: 'SC000002' }],
    ]);
    expect(many.results[3]).toMatchObject({ ok: false, error: expect.stringContaining(unknownId) as string });

    for (const [i, s] of [clear, stop, careful].entries()) {
      const single = await check(caller, s.provisionId);
      const result = many.results[i]!;
      if (!result.ok) throw new Error('expected a result');
      const { ok: _ok, ...fromMany } = result;
      expect(fromMany).toEqual(single);
    }
  });

  it('takes up to 500 items in one call and refuses 501 or none', async () => {
    const provider = await h.makeProvider();
    const rows = await insertProvisions(h.hub.database.db, {
      count: 501,
      providerId: provider.id,
      hostAuthorityId: h.hostAuthorityId,
      urnPrefix: '9',
      namePrefix: `Bulk ${uniq()}`,
    });
    expect(rows).toHaveLength(501);
    const items = rows.map((r) => ({ provisionId: r.id }));
    const many = await h.caller(caller.officer).checks.placementMany({ items: items.slice(0, 500) });
    expect(many.summary).toEqual({ clear: 0, caution: 500, doNotPlace: 0, notFound: 0 });
    expect(
      many.results.every((r) => r.ok && codes(r).sort().join() === 'never-monitored,no-lead-authority'),
    ).toBe(true);
    const tooMany = await expectCode(h.caller(caller.officer).checks.placementMany({ items }), 'BAD_REQUEST');
    expect(tooMany.message).toContain('500');
    await expectCode(h.caller(caller.officer).checks.placementMany({ items: [] }), 'BAD_REQUEST');
  });
});

describe('every check is audited', () => {
  const myChecks = async (action: string) =>
    (await h.caller(caller.officer).audit.list({ scope: 'mine', action, limit: 200 })).items;

  it('checks.placement writes one entry with the provision, the verdict and the records seen', async () => {
    const s = await clearSetting();
    const visible = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    const hidden = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const before = (await myChecks('check.placement')).length;

    await check(caller, s.provisionId);
    const after = await myChecks('check.placement');
    expect(after).toHaveLength(before + 1);
    const entry = after[0]!;
    expect(entry).toMatchObject({
      authorityId: caller.id,
      clientId: caller.officer.clientId,
      action: 'check.placement',
      recordType: 'provision',
      provisionIds: [s.provisionId],
      basis: 'member',
      details: { verdicts: { [s.provisionId]: 'caution' }, notFound: 0 },
    });
    expect(entry.recordIds).toContain(visible.id);
    expect(entry.recordIds).toContain(s.outcome!.id);
    expect(entry.recordIds).not.toContain(hidden.id);

    await h.caller(caller.officer).checks.placement({ urn: s.urn });
    expect(await myChecks('check.placement')).toHaveLength(before + 2);
  });

  it('checks.placementMany writes one entry naming every provision checked', async () => {
    const a = await clearSetting();
    const b = await clearSetting();
    await updateProvision(b, { registrationStatus: 'suspended' });
    const before = (await myChecks('check.placementMany')).length;
    await h.caller(caller.officer).checks.placementMany({
      items: [{ provisionId: a.provisionId }, { urn: b.urn }, { provisionId: randomUUID() }],
    });
    const after = await myChecks('check.placementMany');
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      action: 'check.placementMany',
      authorityId: caller.id,
      details: { verdicts: { [a.provisionId]: 'clear', [b.provisionId]: 'do-not-place' }, notFound: 1 },
    });
    expect([...after[0]!.provisionIds].sort()).toEqual([a.provisionId, b.provisionId].sort());
  });
});
