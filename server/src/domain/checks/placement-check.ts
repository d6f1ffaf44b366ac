// The placement check: clear, caution or do-not-place for a setting, with every reason, the record
// behind it where the caller may see it, and whom to contact — for one provision or a shortlist.
// Three parts: the facts (facts.ts, one statement prepared once whatever the number of settings),
// the verdict (verdict.ts, a pure function of the facts), and here the audit entry of what was shown:
// two statements a check.
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { londonDate } from '../../shared/dates.js';
import { auditActor, type Actor } from '../actor.js';
import { loadCheckFacts } from './facts.js';
import { verdictFor, type CheckResult, type CheckTarget } from './verdict.js';

export type { CheckResult, CheckTarget } from './verdict.js';

/**
 * Checks provisions for the actor. `db` is the database itself, not a transaction: the read runs as a
 * prepared statement, and the audit entry of what was shown is appended (one atomic statement)
 * before anything is returned.
 */
export const checkPlacements = async (
  db: Db,
  actor: Actor,
  targets: CheckTarget[],
  auditAction = 'check.placement',
): Promise<CheckResult[]> => {
  const facts = await loadCheckFacts(db, actor, targets);
  const caller = {
    authorityId: actor.authorityId,
    today: londonDate(actor.now),
    checkedAt: actor.now.toISOString(),
  };
  const verdicts: Record<string, PlacementCheckVerdict> = {};
  const seen = new Set<string>();
  const detail = { outcomes: [] as string[], restrictions: [] as string[] };
  const results = targets.map((target, i): CheckResult => {
    const f = facts[i];
    if (!f)
      return {
        ok: false,
        target,
        error:
          'provisionId' in target
            ? `provision ${target.provisionId} not found`
            : `no provision with Ofsted URN ${target.urn}`,
      };
    const v = verdictFor(f, caller);
    verdicts[v.check.provisionId] = v.check.verdict;
    for (const id of v.seen) seen.add(id);
    detail.outcomes.push(...v.detail.outcomes);
    detail.restrictions.push(...v.detail.restrictions);
    // Asked by the id of a setting since merged: the survivor's check, saying so.
    const mergedFrom =
      'provisionId' in target && target.provisionId !== v.check.provisionId ? target.provisionId : undefined;
    return { ok: true, ...v.check, ...(mergedFrom ? { mergedFrom } : {}) };
  });
  // One statement, so atomic without a transaction of its own: BEGIN and COMMIT would be two more
  // round trips on every check.
  await appendAudit(db, {
    ...auditActor(actor),
    action: auditAction,
    recordType: 'provision',
    recordIds: [...seen],
    provisionIds: Object.keys(verdicts),
    basis: 'member',
    details: {
      verdicts,
      detail: [...new Set([...detail.outcomes, ...detail.restrictions])],
      notFound: results.filter((r) => !r.ok).length,
    },
  });
  return results;
};

type PlacementCheckVerdict = Extract<CheckResult, { ok: true }>['verdict'];
