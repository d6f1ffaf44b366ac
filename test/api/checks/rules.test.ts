// The placement check (DESIGN §4), rule by rule: each do-not-place and each caution rule with the reason
// code, record and contact it gives.
import { describe, expect } from 'vitest';
import {
  CHECK_REASONS,
  type CheckReasonCode,
  type RestrictionCreate,
  type RestrictionKind,
  type Verdict,
} from '@ccx/schema';
import { plusDays, publishOutcome, uniq, type Member } from '../../support/harness.js';
import { NOW, test, type Kit, type Setting } from './fixtures.js';

test.override({ clockAt: NOW });

/**
 * The reason's record and contact; for a signal, how many opaque signal ids it carries; `message`,
 * what its text must say where the rule decides its words.
 */
type Expected = { recordId: string | null; contact: string | null; signals?: number; message?: string };
type Scenario = {
  name: string;
  code: CheckReasonCode;
  verdict: Verdict;
  /** Changes a clear setting so that exactly this one rule applies; answers the record and contact expected. */
  arrange: (s: Setting, k: Kit) => Promise<Expected>;
  withLead?: boolean;
  /** Reasons that necessarily come with this one (a setting never allocated has no lead to monitor it). */
  also?: { code: CheckReasonCode; contact: string | null }[];
};

const byRestriction = (who: Member, kind: RestrictionKind, extra: Partial<RestrictionCreate> = {}) => {
  return async (s: Setting, k: Kit): Promise<Expected> => {
    const r = await k.restrict(who.officer, { provisionId: s.provisionId }, kind, extra);
    return { recordId: r.id, contact: who.qaInbox };
  };
};
/**
 * `n` level-1 quality concerns logged by `other` since February: they count towards the risk rating,
 * and (neither level 2 nor safeguarding) are no reason of their own.
 */
const logQualityConcerns = async (k: Kit, provisionId: string, n: number) => {
  for (let i = 0; i < n; i++)
    await k.h.caller(k.other.officer).concerns.log({
      provisionId,
      category: 'quality',
      level: 'level-1',
      occurredOn: plusDays('2026-02-01', i),
      summary: `concern ${i} ${uniq()}`,
    });
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
    name: 'an Ofsted restriction of accommodation relayed by another member',
    code: 'ofsted-restriction',
    verdict: 'do-not-place',
    arrange: (s, k) => byRestriction(k.other, 'ofsted-restriction')(s, k),
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
    ['embargo', 'framework-suspension', 'action-plan', 'regulatory-action-plan', 'letter-of-concern'] as const
  ).map((kind): Scenario => ({
    name: `an active ${kind} by another member`,
    code: 'restriction-by-member',
    verdict: 'caution',
    arrange: (s, k) => byRestriction(k.other, kind)(s, k),
  })),
  ...([1, 2] as const).map((concernLevel): Scenario => ({
    name: `an active causing-concern-level (level ${concernLevel}) by another member`,
    code: 'restriction-by-member',
    verdict: 'caution',
    arrange: async (s, k) => ({
      ...(await byRestriction(k.other, 'causing-concern-level', { concernLevel })(s, k)),
      message: `causing concern, level ${concernLevel},`,
    }),
  })),
  {
    name: 'a restricted restriction by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.restrict(k.other.officer, { provisionId: s.provisionId }, 'action-plan', { restricted: true });
      return { recordId: null, contact: k.other.qaInbox, signals: 1 };
    },
  },
  {
    name: 'an informal embargo by another member (signal only)',
    code: 'restricted-information',
    verdict: 'caution',
    arrange: async (s, k) => {
      await k.restrict(k.other.officer, { provisionId: s.provisionId }, 'informal-embargo');
      return { recordId: null, contact: k.other.qaInbox, signals: 1 };
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
      return { recordId: null, contact: k.lead.qaInbox, signals: 1 };
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
        level: 'level-1',
        occurredOn: '2026-06-01',
        summary: `under investigation ${uniq()}`,
        restricted: true,
      });
      return { recordId: null, contact: k.other.qaInbox, signals: 1 };
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
      await logQualityConcerns(k, s.provisionId, 3);
      return { recordId: null, contact: null };
    },
  },
  {
    name: 'risk RAG high (11 concerns in the last 12 months)',
    code: 'risk-high',
    verdict: 'caution',
    arrange: async (s, k) => {
      await logQualityConcerns(k, s.provisionId, 9);
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
    // Only a current lead's visits count as monitoring: the outcome of an authority that is not the
    // lead is intelligence, so a setting never allocated is never monitored either.
    also: [{ code: 'never-monitored', contact: null }],
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
      const also = (scenario.also ?? []).map(({ code, contact }) => ({
        code,
        verdict: CHECK_REASONS[code],
        message: expect.any(String) as string,
        recordId: null,
        contact,
      }));
      expect([...c.reasons].sort((a, b) => a.code.localeCompare(b.code))).toEqual(
        [
          {
            code: scenario.code,
            verdict: scenario.verdict,
            message: (expected.message
              ? expect.stringContaining(expected.message)
              : expect.any(String)) as string,
            recordId: expected.recordId,
            contact: expected.contact,
            // A signal carries the opaque id of each record it stands for, and nothing else of them.
            ...(expected.signals
              ? {
                  signalIds: Array.from(
                    { length: expected.signals },
                    () => expect.stringMatching(/^sig_/) as string,
                  ),
                }
              : {}),
          },
          ...also,
        ].sort((a, b) => a.code.localeCompare(b.code)),
      );
    },
  );
});
