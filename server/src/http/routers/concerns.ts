import { zConcernList, zConcernListResult, zConcernLog, zConcernView } from '@ccx/schema';
import { listConcerns, logConcern } from '../../domain/concerns/concerns.js';
import { idempotent } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const concernsRouter = router({
  log: roleProcedure('officer')
    .input(zConcernLog)
    .output(zConcernView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'concerns.log', input, () => logConcern(tx, ctx.actor, input)),
      ),
    ),
  list: authedProcedure
    .input(zConcernList)
    .output(zConcernListResult)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listConcerns(tx, ctx.actor, input))),
});
