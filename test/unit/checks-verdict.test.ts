// The placement check's verdict as a table: facts about one setting in, the verdict and its reason
// codes out — no database (the facts are what checks.placement loads; DESIGN.md §4 gives the rules).
import { describe, expect, it } from 'vitest';
import type { CheckReasonCode, Verdict } from '@ccx/schema';
import { verdictFor, type CheckFacts } from '@ccx/server/testing';

const TODAY = '2026-06-15';
const ME = 'medway';
const OTHER = 'kent';
const PROVISION = '00000000-0000-4000-8000-000000000001';
const PROVIDER = '00000000-0000-4000-8000-0000000000a1';
let next = 0x100;
const id = () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`;

type Restriction = CheckFacts['restrictions'][number]['restriction'];
type Outcome = NonNullable<CheckFacts['latest']>['outcome'];

const restriction = (r: Partial<Restriction> = {}): Restriction => ({
  id: id(),
  provisionId: PROVISION,
  providerId: null,
  kind: 'action-plan',
  concernLevel: null,
  issuerAuthorityId: OTHER,
  source: 'member',
  regulatorReference: null,
  partnershipWide: false,
  restricted: false,
  reasons: [],
  contractScope: 'all',
  contractReference: null,
  summary: '',
  details: '',
  effectiveFrom: '2026-06-01',
  reviewOn: null,
  expiresOn: null,
  complianceDueOn: null,
  liftedOn: null,
  liftedReason: null,
  liftedByAuthorityId: null,
  complianceRecordedOn: null,
  complied: null,
  complianceNote: null,
  reviewedOn: null,
  createdBy: null,
  version: 1,
  createdAt: new Date('2026-06-01T09:00:00Z'),
  updatedAt: new Date('2026-06-01T09:00:00Z'),
  ...r,
});

const outcome = (o: Partial<Outcome> = {}): Outcome => ({
  id: id(),
  provisionId: PROVISION,
  authorityId: OTHER,
  status: 'published',
  restricted: false,
  byLead: true,
  activityType: 'full-qa-visit',
  activityDate: '2026-03-01',
  announced: true,
  overallRating: 1,
  sectionJudgements: [],
  summary: 'Visited.',
  findings: '',
  actionItems: [],
  nextDueOn: null,
  createdBy: null,
  publishedAt: new Date('2026-03-02T09:00:00Z'),
  amendedAt: null,
  withdrawnAt: null,
  withdrawnReason: null,
  version: 2,
  createdAt: new Date('2026-03-01T09:00:00Z'),
  updatedAt: new Date('2026-03-02T09:00:00Z'),
  ...o,
});

/**
 * A well-run setting: registered, good, monitored three months ago by its lead, no concerns. Unless
 * told otherwise, the latest outcome is the lead's monitoring visit (the schedule reads `monitored`).
 */
const facts = (f: Partial<CheckFacts> = {}): CheckFacts => {
  const latest = f.latest === undefined ? { outcome: outcome() } : f.latest;
  return {
    risk: null,
    monitored: latest
      ? { activityDate: latest.outcome.activityDate, nextDueOn: latest.outcome.nextDueOn }
      : null,
    ...baseFacts(f),
  };
};

const baseFacts = (f: Partial<CheckFacts>): Omit<CheckFacts, 'risk' | 'monitored'> & Partial<CheckFacts> => ({
  provision: {
    id: PROVISION,
    providerId: PROVIDER,
    name: 'Oak House',
    urn: 'SC100001',
    type: 'childrens-home',
    hostAuthorityId: OTHER,
    registrationStatus: 'registered',
    ofstedGrade: 'good',
    ofstedGradeDate: '2025-11-01',
    registeredManagerChangedOn: null,
    postcode: 'ME1 1AA',
    status: 'active',
    mergedIntoId: null,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    updatedAt: new Date('2025-01-01T00:00:00Z'),
    version: 1,
  },
  provider: { id: PROVIDER, name: 'Oak Care Ltd', companyNumber: '01234567' } as CheckFacts['provider'],
  months: null,
  lead: { authorityId: OTHER, name: 'Kent', qaInbox: 'qa@kent.example', since: '2025-01-01' },
  latest: { outcome: outcome(), layer: 'summary', contact: 'qa@kent.example', history: [] },
  restrictions: [],
  concerns: { n: 0, signals: [] },
  ...f,
});

const active = (r: Partial<Restriction>, layer: 'detail' | 'summary' | 'signal' = 'summary') => {
  const row = restriction(r);
  return {
    restriction: row,
    layer,
    contact: `qa@${r.issuerAuthorityId ?? OTHER}.example`,
    history: [],
    ...(layer === 'signal' ? { signalId: `sig_${row.id}` } : {}),
  };
};

const cases: { name: string; facts: CheckFacts; verdict: Verdict; codes: CheckReasonCode[] }[] = [
  { name: 'nothing against it', facts: facts(), verdict: 'clear', codes: [] },
  {
    name: 'our own embargo',
    facts: facts({ restrictions: [active({ kind: 'embargo', issuerAuthorityId: ME }, 'detail')] }),
    verdict: 'do-not-place',
    codes: ['own-embargo'],
  },
  {
    name: 'our own informal embargo counts as our embargo',
    facts: facts({ restrictions: [active({ kind: 'informal-embargo', issuerAuthorityId: ME }, 'detail')] }),
    verdict: 'do-not-place',
    codes: ['own-embargo'],
  },
  {
    name: "another member's embargo",
    facts: facts({ restrictions: [active({ kind: 'embargo' })] }),
    verdict: 'caution',
    codes: ['restriction-by-member'],
  },
  {
    name: 'an embargo the partnership applied to all members',
    facts: facts({
      restrictions: [active({ kind: 'embargo', partnershipWide: true, issuerAuthorityId: 'host' })],
    }),
    verdict: 'do-not-place',
    codes: ['partnership-embargo'],
  },
  {
    name: 'our framework suspension of the provider',
    facts: facts({
      restrictions: [
        active(
          { kind: 'framework-suspension', issuerAuthorityId: ME, provisionId: null, providerId: PROVIDER },
          'detail',
        ),
      ],
    }),
    verdict: 'do-not-place',
    codes: ['own-framework-suspension'],
  },
  {
    name: 'Ofsted suspension, relayed by another member',
    facts: facts({ restrictions: [active({ kind: 'ofsted-suspension', source: 'regulator' })] }),
    verdict: 'do-not-place',
    codes: ['ofsted-suspension'],
  },
  {
    name: 'registration cancelled',
    facts: facts({ restrictions: [active({ kind: 'registration-cancelled', source: 'regulator' })] }),
    verdict: 'do-not-place',
    codes: ['registration-cancelled'],
  },
  {
    name: 'ceased operating',
    facts: facts({ restrictions: [active({ kind: 'ceased-operating' })] }),
    verdict: 'do-not-place',
    codes: ['ceased-operating'],
  },
  {
    name: 'the directory says suspended',
    facts: facts({ provision: { ...facts().provision, registrationStatus: 'suspended' } }),
    verdict: 'do-not-place',
    codes: ['registration-not-active'],
  },
  {
    name: 'a restricted restriction shows only as a signal',
    facts: facts({ restrictions: [active({ kind: 'informal-embargo', restricted: true }, 'signal')] }),
    verdict: 'caution',
    codes: ['restricted-information'],
  },
  {
    name: 'two restricted records from one member make one signal',
    facts: facts({
      restrictions: [active({ kind: 'informal-embargo', restricted: true }, 'signal')],
      concerns: { n: 1, signals: [[OTHER, 'qa@kent.example', 'sig_concern']] },
    }),
    verdict: 'caution',
    codes: ['restricted-information'],
  },
  {
    name: 'Ofsted requires improvement',
    facts: facts({ provision: { ...facts().provision, ofstedGrade: 'requires-improvement' } }),
    verdict: 'caution',
    codes: ['ofsted-requires-improvement'],
  },
  {
    name: 'Ofsted inadequate',
    facts: facts({ provision: { ...facts().provision, ofstedGrade: 'inadequate' } }),
    verdict: 'caution',
    // Inadequate shortens the interval to three months (Bolton): the visit three months ago is now overdue.
    codes: ['ofsted-inadequate', 'monitoring-overdue'],
  },
  {
    name: 'latest rating 3 of 5',
    facts: facts({
      latest: {
        outcome: outcome({ overallRating: 3 }),
        layer: 'summary',
        contact: 'qa@kent.example',
        history: [],
      },
    }),
    verdict: 'caution',
    codes: ['latest-rating-of-concern'],
  },
  {
    name: 'latest rating 2 of 5 is no reason',
    facts: facts({
      latest: {
        outcome: outcome({ overallRating: 2 }),
        layer: 'summary',
        contact: 'qa@kent.example',
        history: [],
      },
    }),
    verdict: 'clear',
    codes: [],
  },
  {
    name: 'a restricted latest outcome: a signal, and its rating unknown to the caller',
    // The loader gives the newest outcome the caller may read as `latest`, and the hidden one apart.
    facts: facts({
      outcomeSignal: { authorityId: OTHER, contact: 'qa@kent.example', signalId: 'sig_outcome' },
    }),
    verdict: 'caution',
    codes: ['restricted-information'],
  },
  {
    name: 'five concerns in twelve months: risk medium',
    facts: facts({ concerns: { n: 5, signals: [] } }),
    verdict: 'caution',
    codes: ['risk-medium'],
  },
  {
    name: 'four concerns: risk low, no reason',
    facts: facts({ concerns: { n: 4, signals: [] } }),
    verdict: 'clear',
    codes: [],
  },
  {
    name: 'eleven concerns: risk high',
    facts: facts({ concerns: { n: 11, signals: [] } }),
    verdict: 'caution',
    codes: ['risk-high'],
  },
  {
    name: 'monitoring overdue (a year and a day after the last visit)',
    facts: facts({
      latest: {
        outcome: outcome({ activityDate: '2025-06-14' }),
        layer: 'summary',
        contact: 'qa@kent.example',
        history: [],
      },
    }),
    verdict: 'caution',
    codes: ['monitoring-overdue'],
  },
  {
    name: 'the outcome set its own next due date, now passed',
    facts: facts({
      latest: {
        outcome: outcome({ nextDueOn: '2026-06-14' }),
        layer: 'summary',
        contact: 'qa@kent.example',
        history: [],
      },
    }),
    verdict: 'caution',
    codes: ['monitoring-overdue'],
  },
  {
    name: 'never monitored',
    facts: facts({ latest: null }),
    verdict: 'caution',
    codes: ['never-monitored'],
  },
  {
    name: 'no lead authority',
    facts: facts({ lead: null }),
    verdict: 'caution',
    codes: ['no-lead-authority'],
  },
  {
    name: 'do-not-place outranks caution, and every reason is given, worst first',
    facts: facts({
      provision: { ...facts().provision, ofstedGrade: 'inadequate' },
      restrictions: [
        active({ kind: 'embargo', issuerAuthorityId: ME }, 'detail'),
        active({ kind: 'action-plan' }),
      ],
      lead: null,
    }),
    verdict: 'do-not-place',
    codes: [
      'own-embargo',
      'restriction-by-member',
      'ofsted-inadequate',
      'monitoring-overdue',
      'no-lead-authority',
    ],
  },
];

describe('verdictFor: the placement check as a table', () => {
  it.each(cases)('$name → $verdict', ({ facts: f, verdict, codes }) => {
    const { check } = verdictFor(f, { authorityId: ME, today: TODAY, checkedAt: `${TODAY}T10:00:00.000Z` });
    expect(check.verdict).toBe(verdict);
    expect(check.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('names the record behind a reason and whom to contact, and says which records were shown', () => {
    const own = active({ kind: 'embargo', issuerAuthorityId: ME }, 'detail');
    const f = facts({ restrictions: [own] });
    const { check, seen, detail } = verdictFor(f, { authorityId: ME, today: TODAY, checkedAt: 'x' });
    expect(check.reasons[0]).toMatchObject({ recordId: own.restriction.id, contact: 'qa@medway.example' });
    expect(seen).toEqual([own.restriction.id, f.latest!.outcome.id]);
    expect(detail).toEqual({ outcomes: [], restrictions: [own.restriction.id] });
  });

  it('a signal names no record and no kind, only whom to contact', () => {
    const f = facts({ restrictions: [active({ kind: 'informal-embargo', restricted: true }, 'signal')] });
    const { check, seen } = verdictFor(f, { authorityId: ME, today: TODAY, checkedAt: 'x' });
    const signal = check.reasons.find((r) => r.code === 'restricted-information')!;
    expect(signal.recordId).toBeNull();
    expect(signal.contact).toBe('qa@kent.example');
    expect(signal.message).not.toMatch(/embargo/);
    // Nothing in the check says the signal stands for a restriction: not in the restrictions list.
    expect(check.restrictions).toEqual([]);
    expect(signal).toMatchObject({ signalIds: [`sig_${f.restrictions[0]!.restriction.id}`] });
    expect(seen).not.toContain(f.restrictions[0]!.restriction.id);
  });
});
