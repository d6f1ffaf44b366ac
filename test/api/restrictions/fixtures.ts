// Shared helpers for the restrictions tests: the clock (a Monday), the regulator kinds and summary keys
// written out here, a full restriction input with distinctive texts, and reads of views and the audit.
import { expect } from 'vitest';
import type {
  AuditEntry,
  RestrictionCreate,
  RestrictionDetail,
  RestrictionKind,
  RestrictionView,
} from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { uniq, type Harness, type Member } from '../../support/harness.js';

export const NOW = '2026-06-15T10:00:00Z'; // a Monday
export const TODAY = '2026-06-15';

// Written out here rather than taken from the schema, so a change there fails these tests.
export const REGULATOR_KINDS: RestrictionKind[] = [
  'regulatory-action-plan',
  'ofsted-restriction',
  'ofsted-suspension',
  'registration-cancelled',
];

export const SUMMARY_KEYS = [
  'concernLevel',
  'effectiveFrom',
  'expiresOn',
  'id',
  'issuerAuthority',
  'issuerAuthorityId',
  'kind',
  'layer',
  'liftedOn',
  'partnershipWide',
  'provider',
  'providerId',
  'provision',
  'provisionId',
  'relayers',
  'reviewOn',
  'source',
  'status',
].sort();

export type Target = { provisionId: string } | { providerId: string };
export type Input = RestrictionCreate & {
  reasons: { category: 'safeguarding' | 'quality'; text: string }[];
  summary: string;
  details: string;
  contractReference: string;
};

/** A full restriction input with distinctive texts; regulator kinds come with source and reference. */
export const input = (
  target: Target,
  kind: RestrictionKind,
  overrides: Partial<RestrictionCreate> = {},
): Input => {
  const tag = uniq();
  return {
    ...target,
    kind,
    ...(REGULATOR_KINDS.includes(kind)
      ? { source: 'regulator' as const, regulatorReference: `SC-REF-${tag}` }
      : {}),
    reasons: [
      { category: 'safeguarding', text: `reason text ${tag}` },
      { category: 'quality', text: `second reason ${tag}` },
    ],
    contractScope: 'framework-lot',
    contractReference: `lot ref ${tag}`,
    summary: `summary text ${tag}`,
    details: `details text ${tag}`,
    ...overrides,
  } as Input;
};

/** Every text that only the detail layer may carry. */
export const secretsOf = (i: Input): string[] => [
  ...i.reasons.map((r) => r.text),
  i.summary,
  i.details,
  i.contractReference,
  ...(i.regulatorReference ? [i.regulatorReference] : []),
];

export const detailOf = (v: RestrictionView): RestrictionDetail => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${JSON.stringify(v)}`);
  return v;
};

export const create = async (h: Harness, who: Principal, i: RestrictionCreate): Promise<RestrictionDetail> =>
  detailOf(await h.caller(who).restrictions.create(i));

export const get = (h: Harness, m: Member | Principal, id: string) =>
  h.caller('officer' in m ? m.officer : m).restrictions.get({ id });

export const idsOf = (views: RestrictionView[]): string[] =>
  views.flatMap((v) => ('id' in v ? [v.id] : [])).sort();

export const lastEntry = async (h: Harness, m: Member): Promise<AuditEntry | undefined> =>
  (await h.caller(m.officer).audit.list({ scope: 'mine', limit: 1 })).items[0];

export const headSeq = async (h: Harness, m: Member): Promise<number> =>
  (await h.caller(m.officer).audit.verify()).head?.seq ?? 0;
