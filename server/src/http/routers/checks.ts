import { zCheckMany, zCheckManyResult, zCheckTarget, zPlacementCheck } from '@ccx/schema';
import { checkPlacements } from '../../domain/checks/placement-check.js';
import { Semaphore } from '../../shared/semaphore.js';
import { AppError } from '../../shared/errors.js';
import { authedProcedure, router } from '../trpc.js';

/** Batch checks run a few at a time: each holds up to 500 results until it is answered. */
const batchChecks = new Semaphore(4);

export const checksRouter = router({
  placement: authedProcedure
    .input(zCheckTarget)
    .output(zPlacementCheck)
    .query(async ({ ctx, input }) => {
      const [result] = await checkPlacements(ctx.db, ctx.actor, [input]);
      if (!result?.ok) throw new AppError('NOT_FOUND', result?.error ?? 'provision not found');
      const { ok: _ok, ...check } = result;
      return check;
    }),
  placementMany: authedProcedure
    .input(zCheckMany)
    .output(zCheckManyResult)
    .query(async ({ ctx, input }) => {
      const results = await batchChecks.run(() =>
        checkPlacements(ctx.db, ctx.actor, input.items, 'check.placementMany'),
      );
      const count = (v: string) => results.filter((r) => r.ok && r.verdict === v).length;
      return {
        results,
        summary: {
          clear: count('clear'),
          caution: count('caution'),
          doNotPlace: count('do-not-place'),
          notFound: results.filter((r) => !r.ok).length,
        },
      };
    }),
});
