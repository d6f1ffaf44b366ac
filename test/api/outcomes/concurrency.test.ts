// Monitoring outcomes, optimistic concurrency: of two changes racing on one version exactly one wins and
// the other is refused as a conflict.
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import type { OutcomeView } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { publishOutcome, test } from '../../support/harness.js';
import { countAudit, detail, NOW, versionRows } from './fixtures.js';

test.override({ clockAt: NOW });

describe('concurrent changes of one version', () => {
  let second: Principal;
  test.beforeAll(async ({ h, w }) => {
    second = (await h.makeClient(w.lead.id, 'officer', 'second lead officer')).principal;
  });

  const settle = (results: PromiseSettledResult<OutcomeView>[]) => {
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const reason: unknown = rejected[0]!.reason;
    expect(reason).toBeInstanceOf(TRPCError);
    expect((reason as TRPCError).code).toBe('CONFLICT');
    return { winner: detail(fulfilled[0]!.value), loserIndex: results.indexOf(rejected[0]!) };
  };

  test('two amendments at once: exactly one wins, the other is a conflict (5 rounds)', async ({ h, w }) => {
    for (let round = 0; round < 5; round++) {
      const base = await publishOutcome(h, w.lead.officer, w.provision.id, { overallRating: 1 });
      const results = await Promise.allSettled([
        h.caller(w.lead.officer).outcomes.amend({
          id: base.id,
          version: base.version,
          reason: `first officer, round ${round}`,
          changes: { overallRating: 2 },
        }),
        h.caller(second).outcomes.amend({
          id: base.id,
          version: base.version,
          reason: `second officer, round ${round}`,
          changes: { overallRating: 4 },
        }),
      ]);
      const { winner, loserIndex } = settle(results);
      expect(winner.version).toBe(base.version + 1);
      const current = detail(await h.caller(w.lead.officer).outcomes.get({ id: base.id }));
      expect(current.version).toBe(base.version + 1);
      expect(current.overallRating).toBe(loserIndex === 0 ? 4 : 2);
      expect(current.history.map((v) => [v.version, v.change])).toEqual([
        [base.version, 'published'],
        [base.version + 1, 'amended'],
      ]);
      expect(await versionRows(h, base.id)).toHaveLength(2);
      expect(await countAudit(h, 'outcome.amend', base.id)).toBe(1);
    }
  });

  test('an amendment and a withdrawal at once: exactly one wins (5 rounds)', async ({ h, w }) => {
    for (let round = 0; round < 5; round++) {
      const base = await publishOutcome(h, w.lead.officer, w.provision.id);
      const results = await Promise.allSettled([
        h
          .caller(second)
          .outcomes.withdraw({ id: base.id, version: base.version, reason: `withdraw ${round}` }),
        h.caller(w.lead.officer).outcomes.amend({
          id: base.id,
          version: base.version,
          reason: `amend ${round}`,
          changes: { overallRating: 5 },
        }),
      ]);
      const { loserIndex } = settle(results);
      const current = detail(await h.caller(w.lead.officer).outcomes.get({ id: base.id }));
      expect(current.version).toBe(base.version + 1);
      expect(current.status).toBe(loserIndex === 0 ? 'amended' : 'withdrawn');
      expect(current.history).toHaveLength(2);
    }
  });
});
