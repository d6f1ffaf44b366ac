// Shared helpers for the deadline tests: a fresh world per test (the job scans the whole hub, so each
// test tells its own records apart by id), the deadline events one authority received about a record,
// and the deadline reasons of a placement check.
import { expect } from 'vitest';
import type { CcxEvent, CheckReasonCode, RestrictionCreate } from '@ccx/schema';
import { emitPassedDeadlines } from '@ccx/server/testing';
import { makeWorld, uniq, type Harness, type Member } from '../../support/harness.js';
import { feed, mark } from '../events/fixtures.js';

export { mark };
export const NOW = '2026-12-14T10:00:00Z'; // a Monday
export const TODAY = '2026-12-14';

export const DEADLINE_CODES: CheckReasonCode[] = [
  'action-overdue',
  'compliance-overdue',
  'compliance-not-met',
  'review-overdue',
];

export const freshWorld = (h: Harness) => makeWorld(h);

/** Runs the deadline job as the hub's clock stands; answers how many deadlines it told. */
export const runJob = (h: Harness): Promise<number> => emitPassedDeadlines(h.db, h.hub.clock.now());

/** The deadline events after `since` one authority received about one record. */
export const deadlineEvents = async (
  h: Harness,
  m: Member,
  since: string,
  recordId: string,
): Promise<CcxEvent[]> => {
  await mark(h); // sequences what the job wrote
  return (
    await feed(h, m, since, {
      types: ['deadline.action-overdue', 'deadline.compliance-overdue', 'deadline.review-overdue'],
    })
  ).filter((e) => e.data.recordId === recordId);
};

/** The deadline reasons in a placement check of the provision, as `m` sees it. */
export const deadlineReasons = async (h: Harness, m: Member, provisionId: string) => {
  const check = await h.caller(m.officer).checks.placement({ provisionId });
  return { check, reasons: check.reasons.filter((r) => DEADLINE_CODES.includes(r.code)) };
};

/** The caller's overdue list, only the items about one record. */
export const overdueAbout = async (h: Harness, m: Member, recordId: string, dueWithinDays = 0) =>
  (await h.caller(m.officer).deadlines.overdue({ dueWithinDays })).items.filter(
    (i) => i.recordId === recordId,
  );

export const restrictionInput = (
  provisionId: string,
  kind: RestrictionCreate['kind'],
  overrides: Partial<RestrictionCreate> = {},
): RestrictionCreate & { summary: string; details: string } => ({
  provisionId,
  kind,
  reasons: [{ category: 'quality', text: `reason text ${uniq()}` }],
  summary: `summary text ${uniq()}`,
  details: `details text ${uniq()}`,
  ...overrides,
});

export const detail = <T extends { layer: string }>(v: T): Extract<T, { layer: 'detail' }> => {
  expect(v.layer).toBe('detail');
  return v as Extract<T, { layer: 'detail' }>;
};
