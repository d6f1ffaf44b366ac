// Shared helpers for the outcomes tests: the clock, the keys of the summary layer, the texts only detail
// may carry, and the detail view, stored versions and audit counts of an outcome.
import { sql } from 'drizzle-orm';
import type { OutcomeView } from '@ccx/schema';
import { queryRows, type Harness, type outcomeInput } from '../../support/harness.js';

export const NOW = '2026-06-15T10:00:00Z';

export const SUMMARY_KEYS = [
  'activityDate',
  'activityType',
  'byLead',
  'id',
  'layer',
  'overallRating',
  'provision',
  'provisionId',
  'publishedAt',
  'publisherAuthority',
  'publisherAuthorityId',
  'status',
].sort();

/** Every text of an outcome input that only detail may carry. */
export const secretsOf = (input: ReturnType<typeof outcomeInput>): string[] => [
  input.summary,
  input.findings,
  ...(input.actionItems ?? []).map((a) => a.description),
  ...(input.sectionJudgements ?? []).flatMap((s) => (s.comment ? [s.comment] : [])),
];

export type Detail = Extract<OutcomeView, { layer: 'detail' }>;

/** The view, which must be the detail layer. */
export const detail = (view: OutcomeView): Detail => {
  if (view.layer !== 'detail') throw new Error(`expected detail, got ${view.layer}`);
  return view;
};

export const versionRows = (h: Harness, outcomeId: string) =>
  queryRows<{ version: number; change: string; note: string | null }>(
    h.db,
    sql`select version, change, note from outcome_versions where outcome_id = ${outcomeId} order by version`,
  );

export const countAudit = async (h: Harness, action: string, recordId: string): Promise<number> => {
  const [row] = await queryRows<{ n: number }>(
    h.db,
    sql`select count(*)::int as n from audit_log where action = ${action} and ${recordId} = any(record_ids)`,
  );
  return Number(row?.n ?? 0);
};
