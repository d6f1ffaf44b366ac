// Shared fixtures for the placement check tests: this folder's world (`lead`, `checker`, `other`,
// `hostInbox`) and the tools that make settings, restrict them and check them.
import {
  REGULATOR_KINDS,
  type PlacementCheck,
  type RestrictionCreate,
  type RestrictionKind,
} from '@ccx/schema';
import type { Principal } from '@ccx/server';
import {
  makeMember,
  plusDays,
  publishOutcome,
  test as base,
  uniq,
  type FixturesOf,
  type Member,
} from '../../support/harness.js';

export const NOW = '2026-06-15T10:00:00Z';
export const TODAY = '2026-06-15';

let urnCounter = 200_000 + Math.floor(Math.random() * 700_000);
const nextUrn = () => `SC${urnCounter++}`;

export type Setting = {
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
export const test = base
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
            level: 'minor',
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
        level: 'level-1',
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

/** What a rule's arrangement works with: this file's world and tools. */
export type Kit = Pick<
  FixturesOf<typeof test>,
  'h' | 'lead' | 'checker' | 'other' | 'hostInbox' | 'restrict' | 'updateProvision' | 'logConcerns'
>;

export const codes = (c: PlacementCheck) => c.reasons.map((r) => r.code);
