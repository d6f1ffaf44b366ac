// Shared fixtures for the concerns tests: the clock at 2026-06-15, a `prospective` and an `other` authority,
// `makeSite`, and helpers to log and list concerns.
import type { ConcernView } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { makeMember, test as base, uniq, type Harness } from '../../support/harness.js';

// Today is 2026-06-15 in England; the risk window starts on 2025-06-16.
export const NOW = '2026-06-15T10:00:00Z';

/**
 * Beside the need-to-know world `w`: a `prospective` authority and an `other` one, and `makeSite`,
 * which makes a provision of its own, so counts are exact: hosted by w.host, led by w.lead, with
 * w.placing placing and a pre-placement grant (7 days from NOW) for the prospective authority.
 */
export const test = base
  .extend('prospective', { scope: 'file' }, ({ h }) => makeMember(h, 'prospective'))
  .extend('other', { scope: 'file' }, ({ h }) => makeMember(h, 'other'))
  .extend('makeSite', { scope: 'file' }, ({ h, w, prospective }) => async (): Promise<string> => {
    const { id } = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: id,
      authorityId: w.lead.id,
      rationale: 'lead here too',
      startsOn: '2026-01-01',
    });
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: id, children: 1, fromDate: '2026-01-01' });
    await h.caller(prospective.officer).access.requestProspective({
      provisionId: id,
      reason: 'looking for a home for a sibling group',
      caseReference: `CASE/2026/${uniq()}`,
    });
    return id;
  });

export type LogInput = Parameters<ReturnType<Harness['caller']>['concerns']['log']>[0];

export const log = async (
  h: Harness,
  who: Principal,
  provisionId: string,
  overrides: Partial<LogInput> = {},
) => {
  const view = await h.caller(who).concerns.log({
    provisionId,
    category: 'quality',
    level: 'level-1',
    occurredOn: '2026-06-01',
    summary: `concern text ${uniq()}`,
    ...overrides,
  });
  if (view.layer !== 'detail') throw new Error('the logging authority should see its concern in detail');
  return view;
};

export type ConcernDetail = Extract<ConcernView, { layer: 'detail' }>;

export const list = (h: Harness, who: Principal, provisionId: string, sinceMonths?: number) =>
  h.caller(who).concerns.list({ provisionId, ...(sinceMonths ? { sinceMonths } : {}) });

export const detailIds = (items: ConcernView[]) =>
  items.flatMap((c) => (c.layer === 'detail' ? [c.id] : [])).sort();
