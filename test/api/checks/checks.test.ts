// The placement check (DESIGN §4), rule by rule: a clear setting; each do-not-place and each caution
// rule with the reason code, record and contact it gives; the worst reason wins; lifted, expired and
// pending restrictions; provider-level restrictions; restricted records as a neutral signal (except for
// their issuer); checks by URN; not found; the batch form; and the audit entry of every check.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
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
import {
  DAY_MS,
  expectTRPCError,
  insertProvisions,
  makeMember,
  plusDays,
  publishOutcome,
  test as base,
  uniq,
  type FixturesOf,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
const TODAY = '2026-06-15';

let urnCounter = 200_000 + Math.floor(Math.random() * 700_000);
const nextUrn = () => `SC${urnCounter++}`;

type Setting = {
  provisionId: string;
  providerId: string;
  urn: string;
  version: number;
  outcome: { id: string; version: number } | null;
};

/**
 * This file's world, beside the hub: `lead`, the lead authority of every setting made here (unless
 * told otherwise); `checker`, the placing officer's authority, the one that checks; `other`, another
 * member authority, which issues restrictions and logs concerns; the hub operator's `hostInbox`; and
 * the tools that make settings, restrict them and check them.
 */
const test = base
  .extend('lead', { scope: 'file' }, ({ h }) => makeMember(h, 'lead'))
  .extend('checker', { scope: 'file' }, ({ h }) => makeMember(h, 'caller'))
  .extend('other', { scope: 'file' }, ({ h }) => makeMember(h, 'other'))
  .extend(
    'hostInbox',
    { scope: 'file' },
    async ({ h }) => (await h.caller(h.hubAdmin).authorities.get({ id: h.hostAuthorityId })).qaInbox,
  )
  /**
   * A setting that passes every rule: registered, graded good, a current lead, a recent outcome rated 2
   * by the lead (next due in a year), two concerns in the last year (risk low), no restrictions.
   */
  .extend(
    'clearSetting',
    { scope: 'file' },
    ({ h, lead, other }) =>
      async (opts: { providerId?: string; withLead?: boolean } = {}): Promise<Setting> => {
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
      },
  )
  /** A restriction by `who` on a provision or a whole provider; regulator kinds get a reference. */
  .extend(
    'restrict',
    { scope: 'file' },
    ({ h }) =>
      async (
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
          ...(REGULATOR_KINDS.includes(kind)
            ? { source: 'regulator', regulatorReference: `REF-${tag}` }
            : {}),
          ...extra,
        });
        if (view.layer !== 'detail') throw new Error('the issuer sees its restriction in detail');
        return view;
      },
  )
  /** The placement check of a provision, as `who` (an authority's officer, or any client) asks it. */
  .extend(
    'check',
    { scope: 'file' },
    ({ h }) =>
      (who: Member | Principal, provisionId: string) =>
        h.caller('officer' in who ? who.officer : who).checks.placement({ provisionId }),
  )
  /** `n` medium safeguarding concerns about a provision, logged by `other` since February. */
  .extend('logConcerns', { scope: 'file' }, ({ h, other }) => async (provisionId: string, n: number) => {
    for (let i = 0; i < n; i++)
      await h.caller(other.officer).concerns.log({
        provisionId,
        category: 'safeguarding',
        severity: 'medium',
        occurredOn: plusDays('2026-02-01', i),
        summary: `concern ${i} ${uniq()}`,
      });
  })
  .extend(
    'updateProvision',
    { scope: 'file' },
    ({ h }) =>
      async (s: Setting, changes: Record<string, unknown>) =>
        h.caller(h.hubAdmin).provisions.update({ id: s.provisionId, version: s.version, ...changes }),
  );
test.override({ clockAt: NOW });

/** What a rule's arrangement works with: this file's world and tools. */
type Kit = Pick<
  FixturesOf<typeof test>,
  'h' | 'lead' | 'checker' | 'other' | 'hostInbox' | 'restrict' | 'updateProvision' | 'logConcerns'
>;

const codes = (c: PlacementCheck) => c.reasons.map((r) => r.code);

describe('a clear setting', () => {
  test('is clear with no reasons, and carries what a placing officer needs on one screen', async ({
    lead,
    checker,
    clearSetting,
    check,
  }) => {
    const s = await clearSetting();
    const c = await check(checker, s.provisionId);
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

  test('is clear for a viewer client too', async ({ h, checker, clearSetting, check }) => {
    const s = await clearSetting();
    const viewer = (await h.makeClient(checker.id, 'viewer')).principal;
    expect((await check(viewer, s.provisionId)).verdict).toBe('clear');
  });
});

type Expected = { recordId: string | null; contact: string | null };
type Scenario = {
  name: string;
  code: CheckReasonCode;
  verdict: Verdict;
  /** Changes a clear setting so that exactly this one rule applies; answers the record and contact expected. */
  arrange: (s: Setting, k: Kit) => Promise<Expected>;
  withLead?: boolean;
};

const byRestriction = (who: Member, kind: RestrictionKind, extra: Partial<RestrictionCreate> = {}) => {
  return async (s: Setting, k: Kit): Promise<Expected> => {
    const r = await k.restrict(who.officer, { provisionId: s.provisionId }, kind, extra);
    return { recordId: r.id, contact: who.qaInbox };
  };
};
const withStatus =
  (registrationStatus: string) =>
  async (s: Setting, k: Kit): Promise<Expected> => {
    await k.updateProvision(s, { registrationStatus });
    return { recordId: null, contact: null };
  };
const withRating =
  (overallRating: number) =>
  async (s: Setting, k: Kit): Promise<Expected> => {
    const newer = await publishOutcome(k.h, k.lead.officer, s.provisionId, {
      activityDate: '2026-06-10',
      overallRating,
      nextDueOn: undefined,
    });
    return { recordId: newer.id, contact: k.lead.qaInbox };
  };

const DO_NOT_PLACE: Scenario[] = [
  {
    name: 'an active embargo issued by the caller itself',
    code: 'own-embargo',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.checker, 'embargo')(s, k),
  },
  {
    name: "an informal embargo by the caller (counts as its own embargo, though it's restricted)",
    code: 'own-embargo',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.checker, 'informal-embargo')(s, k),
  },
  {
    name: 'a framework suspension issued by the caller itself',
    code: 'own-framework-suspension',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.checker, 'framework-suspension')(s, k),
  },
  {
    name: 'an Ofsted suspension relayed by another member',
    code: 'ofsted-suspension',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.other, 'ofsted-suspension')(s, k),
  },
  {
    name: 'a cancelled registration relayed by another member',
    code: 'registration-cancelled',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.other, 'registration-cancelled')(s, k),
  },
  {
    name: 'ceased operating, reported by another member',
    code: 'ceased-operating',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.other, 'ceased-operating')(s, k),
  },
  {
    name: 'an embargo the partnership applied to all members',
    code: 'partnership-embargo',
    verdict: 'do-not-place',
    arrange: async (s, k) => {
      const r = await k.restrict(k.h.hubAdmin, { provisionId: s.provisionId }, 'embargo', {
        partnershipWide: true,
      });
      return { recordId: r.id, contact: k.hostInbox };
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
    arrange: (s, k) => byRestriction(k.other, kind)(s, k),
  })),
  {
    name: 'a restricted restriction by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.restrict(k.other.officer, { provisionId: s.provisionId }, 'action-plan', { restricted: true });
      return { recordId: null, contact: k.other.qaInbox };
    },
  },
  {
    name: 'an informal embargo by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.restrict(k.other.officer, { provisionId: s.provisionId }, 'informal-embargo');
      return { recordId: null, contact: k.other.qaInbox };
    },
  },
  {
    name: 'a restricted latest outcome (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await publishOutcome(k.h, k.lead.officer, s.provisionId, {
        activityDate: '2026-06-10',
        overallRating: 2,
        nextDueOn: undefined,
        restricted: true,
      });
      return { recordId: null, contact: k.lead.qaInbox };
    },
  },
  {
    name: 'a restricted concern (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.h.caller(k.other.officer).concerns.log({
        provisionId: s.provisionId,
        category: 'criminal-investigation',
        severity: 'high',
        occurredOn: '2026-06-01',
        summary: `under investigation ${uniq()}`,
        restricted: true,
      });
      return { recordId: null, contact: k.other.qaInbox };
    },
  },
  {
    name: 'Ofsted grade requires improvement',
    code: 'ofsted-requires-improvement',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.updateProvision(s, { ofstedGrade: 'requires-improvement' });
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'Ofsted grade inadequate',
    code: 'ofsted-inadequate',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.updateProvision(s, { ofstedGrade: 'inadequate' });
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
    arrange: async (s, k) => {
      await k.logConcerns(s.provisionId, 3);
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'risk RAG high (11 concerns in the last 12 months)',
    code: 'risk-high',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.logConcerns(s.provisionId, 9);
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'monitoring overdue (the outcome set its own next due date)',
    code: 'monitoring-overdue',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.h.caller(k.lead.officer).outcomes.amend({
        id: s.outcome!.id,
        version: s.outcome!.version,
        reason: 'next visit brought forward',
        changes: { nextDueOn: '2026-06-01' },
      });
      return { recordId: null, contact: k.lead.qaInbox };
    },
  },
  {
    name: 'never monitored (the only outcome was withdrawn)',
    code: 'never-monitored',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.h.caller(k.lead.officer).outcomes.withdraw({
        id: s.outcome!.id,
        version: s.outcome!.version,
        reason: 'published against the wrong setting',
      });
      return { recordId: null, contact: k.lead.qaInbox };
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
    arrange: async (s, k) => {
      await k.h.caller(k.h.hubAdmin).allocations.assign({
        provisionId: s.provisionId,
        authorityId: k.lead.id,
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
  test.for(scenarios.map((s) => [s.name, s] as const))(
    '%s',
    async (
      [, scenario],
      { h, lead, checker, other, hostInbox, restrict, updateProvision, logConcerns, clearSetting, check },
    ) => {
      const s = await clearSetting({ withLead: scenario.withLead ?? true });
      const kit = { h, lead, checker, other, hostInbox, restrict, updateProvision, logConcerns };
      const expected = await scenario.arrange(s, kit);
      const c = await check(checker, s.provisionId);
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
    },
  );
});

describe('the worst reason wins', () => {
  test('do-not-place beats any number of cautions, and the reasons come worst first', async ({
    checker,
    other,
    clearSetting,
    restrict,
    check,
    updateProvision,
  }) => {
    const s = await clearSetting();
    const byOther = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    await updateProvision(s, { ofstedGrade: 'inadequate' });
    const cancelled = await restrict(other.officer, { provisionId: s.provisionId }, 'registration-cancelled');
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(codes(c).sort()).toEqual(['ofsted-inadequate', 'registration-cancelled', 'restriction-by-member']);
    expect(c.reasons[0]).toMatchObject({ code: 'registration-cancelled', recordId: cancelled.id });
    expect(c.reasons.slice(1).every((r) => r.verdict === 'caution')).toBe(true);
    expect(c.reasons.find((r) => r.code === 'restriction-by-member')?.recordId).toBe(byOther.id);
  });

  test('several cautions stay caution, each with its own reason', async ({
    checker,
    clearSetting,
    check,
    logConcerns,
    updateProvision,
  }) => {
    const s = await clearSetting({ withLead: false });
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    await logConcerns(s.provisionId, 3);
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('caution');
    expect(codes(c).sort()).toEqual(['no-lead-authority', 'ofsted-requires-improvement', 'risk-medium']);
  });
});

describe('restrictions that no longer (or do not yet) apply', () => {
  test('a lifted restriction no longer counts', async ({ h, checker, clearSetting, restrict, check }) => {
    const s = await clearSetting();
    const r = await restrict(checker.officer, { provisionId: s.provisionId }, 'embargo');
    expect((await check(checker, s.provisionId)).verdict).toBe('do-not-place');
    await h
      .caller(checker.officer)
      .restrictions.lift({ id: r.id, version: r.version, reason: 'concerns resolved' });
    const after = await check(checker, s.provisionId);
    expect(after).toMatchObject({ verdict: 'clear', reasons: [], restrictions: [] });
  });

  test('a restriction lifted from a later date counts until that date', async ({
    h,
    clock,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(other.officer, { provisionId: s.provisionId }, 'ceased-operating');
    await h.caller(other.officer).restrictions.lift({
      id: r.id,
      version: r.version,
      liftedOn: plusDays(TODAY, 2),
      reason: 'operating again from the 17th',
    });
    expect(codes(await check(checker, s.provisionId))).toEqual(['ceased-operating']);
    clock.move(2 * DAY_MS);
    expect(await check(checker, s.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });

  test('an expired restriction no longer counts (the hub clock moves past its expiry)', async ({
    clock,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    await restrict(other.officer, { provisionId: s.provisionId }, 'embargo', {
      expiresOn: plusDays(TODAY, 3),
    });
    expect(codes(await check(checker, s.provisionId))).toEqual(['restriction-by-member']);
    clock.move(2 * DAY_MS);
    expect(codes(await check(checker, s.provisionId))).toEqual(['restriction-by-member']);
    clock.move(DAY_MS);
    expect(await check(checker, s.provisionId)).toMatchObject({
      verdict: 'clear',
      reasons: [],
      restrictions: [],
    });
  });

  test('a restriction effective from a later date counts from that date', async ({
    clock,
    checker,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(checker.officer, { provisionId: s.provisionId }, 'framework-suspension', {
      effectiveFrom: plusDays(TODAY, 1),
    });
    expect((await check(checker, s.provisionId)).verdict).toBe('clear');
    clock.move(DAY_MS);
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(c.reasons).toEqual([
      expect.objectContaining({ code: 'own-framework-suspension', recordId: r.id }),
    ]);
  });
});

describe('restrictions on a whole provider', () => {
  test('count at every provision of the provider, and nowhere else', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    const elsewhere = await clearSetting();

    const byOther = await restrict(other.officer, { providerId: provider.id }, 'letter-of-concern');
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
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

    const own = await restrict(checker.officer, { providerId: provider.id }, 'embargo');
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
      expect(c.verdict).toBe('do-not-place');
      expect(c.reasons[0]).toMatchObject({ code: 'own-embargo', recordId: own.id, contact: checker.qaInbox });
      expect(codes(c).sort()).toEqual(['own-embargo', 'restriction-by-member']);
    }

    const ceased = await restrict(other.officer, { providerId: provider.id }, 'ceased-operating');
    expect(codes(await check(other, a.provisionId))).toContain('ceased-operating');
    expect((await check(other, b.provisionId)).reasons).toContainEqual(
      expect.objectContaining({ code: 'ceased-operating', recordId: ceased.id }),
    );

    expect(await check(checker, elsewhere.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });

  test('a restricted provider-level restriction gives every provision the signal', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    await restrict(other.officer, { providerId: provider.id }, 'informal-embargo');
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
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
  test('give the checker only a restricted-information signal: no record id, no kind, no text', async ({
    h,
    lead,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const placing = await makeMember(h, 'placing');
    await h
      .caller(placing.officer)
      .placements.declare({ provisionId: s.provisionId, children: 1, fromDate: '2026-01-01' });
    const embargo = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    expect(embargo.restricted).toBe(true);

    // Need-to-know bases (lead, placing, host) do not open a restricted record; only its issuer sees it.
    const hostOfficer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
    for (const who of [checker.officer, placing.officer, lead.officer, hostOfficer]) {
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

  test('several restricted records of one issuer give one signal; a share opens the record', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const plan = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', {
      restricted: true,
    });
    await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const c = await check(checker, s.provisionId);
    expect(c.reasons.map((r) => [r.code, r.contact])).toEqual([['restricted-information', other.qaInbox]]);
    expect(c.restrictions).toHaveLength(1);

    // Once the issuer shares the action plan with the caller, it is a visible restriction by another member.
    await h
      .caller(other.officer)
      .access.share({ recordType: 'restriction', recordId: plan.id, authorityId: checker.id });
    const shared = await check(checker, s.provisionId);
    expect(shared.verdict).toBe('caution');
    expect(shared.reasons.map((r) => [r.code, r.recordId]).sort()).toEqual([
      ['restricted-information', null],
      ['restriction-by-member', plan.id],
    ]);
    expect(shared.restrictions).toContainEqual(expect.objectContaining({ layer: 'detail', id: plan.id }));
  });
});

describe('check by URN, and unknown settings', () => {
  test('a URN finds the same setting and the same answer as its id', async ({
    h,
    checker,
    clearSetting,
    check,
    updateProvision,
  }) => {
    const s = await clearSetting();
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    const byId = await check(checker, s.provisionId);
    const byUrn = await h.caller(checker.officer).checks.placement({ urn: s.urn });
    expect(byUrn).toEqual(byId);
    expect(byUrn).toMatchObject({ provisionId: s.provisionId, verdict: 'caution' });
    // URNs are matched case-insensitively, as Ofsted writes them in capitals.
    expect((await h.caller(checker.officer).checks.placement({ urn: s.urn.toLowerCase() })).provisionId).toBe(
      s.provisionId,
    );
  });

  test('an unknown id or URN is NOT_FOUND; a malformed one is BAD_REQUEST', async ({ h, checker }) => {
    await expectTRPCError(
      h.caller(checker.officer).checks.placement({ provisionId: randomUUID() }),
      'NOT_FOUND',
    );
    await expectTRPCError(h.caller(checker.officer).checks.placement({ urn: 'SC000001' }), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(checker.officer).checks.placement({ provisionId: 'not-an-id' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(h.caller(checker.officer).checks.placement({ urn: 'XY12' }), 'BAD_REQUEST');
  });
});

describe('checks.placementMany', () => {
  test('answers each item in order, the same as single checks, with the summary counts', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
    updateProvision,
  }) => {
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
    const many = await h.caller(checker.officer).checks.placementMany({ items });
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
      const single = await check(checker, s.provisionId);
      const result = many.results[i]!;
      if (!result.ok) throw new Error('expected a result');
      const { ok: _ok, ...fromMany } = result;
      expect(fromMany).toEqual(single);
    }
  });

  test('takes up to 500 items in one call and refuses 501 or none', async ({ h, checker }) => {
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
    const many = await h.caller(checker.officer).checks.placementMany({ items: items.slice(0, 500) });
    expect(many.summary).toEqual({ clear: 0, caution: 500, doNotPlace: 0, notFound: 0 });
    expect(
      many.results.every((r) => r.ok && codes(r).sort().join() === 'never-monitored,no-lead-authority'),
    ).toBe(true);
    const tooMany = await expectTRPCError(
      h.caller(checker.officer).checks.placementMany({ items }),
      'BAD_REQUEST',
    );
    expect(tooMany.message).toContain('500');
    await expectTRPCError(h.caller(checker.officer).checks.placementMany({ items: [] }), 'BAD_REQUEST');
  });
});

describe('every check is audited', () => {
  /** The caller's own audit entries of an action. */
  const myChecks = async ({ h, checker }: Pick<Kit, 'h' | 'checker'>, action: string) =>
    (await h.caller(checker.officer).audit.list({ scope: 'mine', action, limit: 200 })).items;

  test('checks.placement writes one entry with the provision, the verdict and the records seen', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const visible = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    const hidden = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const before = (await myChecks({ h, checker }, 'check.placement')).length;

    await check(checker, s.provisionId);
    const after = await myChecks({ h, checker }, 'check.placement');
    expect(after).toHaveLength(before + 1);
    const entry = after[0]!;
    expect(entry).toMatchObject({
      authorityId: checker.id,
      clientId: checker.officer.clientId,
      action: 'check.placement',
      recordType: 'provision',
      provisionIds: [s.provisionId],
      basis: 'member',
      details: { verdicts: { [s.provisionId]: 'caution' }, notFound: 0 },
    });
    expect(entry.recordIds).toContain(visible.id);
    expect(entry.recordIds).toContain(s.outcome!.id);
    expect(entry.recordIds).not.toContain(hidden.id);

    await h.caller(checker.officer).checks.placement({ urn: s.urn });
    expect(await myChecks({ h, checker }, 'check.placement')).toHaveLength(before + 2);
  });

  test('checks.placementMany writes one entry naming every provision checked', async ({
    h,
    checker,
    clearSetting,
    updateProvision,
  }) => {
    const a = await clearSetting();
    const b = await clearSetting();
    await updateProvision(b, { registrationStatus: 'suspended' });
    const before = (await myChecks({ h, checker }, 'check.placementMany')).length;
    await h.caller(checker.officer).checks.placementMany({
      items: [{ provisionId: a.provisionId }, { urn: b.urn }, { provisionId: randomUUID() }],
    });
    const after = await myChecks({ h, checker }, 'check.placementMany');
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      action: 'check.placementMany',
      authorityId: checker.id,
      details: { verdicts: { [a.provisionId]: 'clear', [b.provisionId]: 'do-not-place' }, notFound: 1 },
    });
    expect([...after[0]!.provisionIds].sort()).toEqual([a.provisionId, b.provisionId].sort());
  });
});
