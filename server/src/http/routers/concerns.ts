import {
  zConcernClose,
  zConcernCorrect,
  zConcernGet,
  zConcernList,
  zConcernListResult,
  zConcernLog,
  zConcernTransition,
  zConcernView,
  zRiskBandsSet,
  zRiskBandsView,
} from '@ccx/schema';
import {
  closeConcern,
  correctConcern,
  getConcern,
  listConcerns,
  logConcern,
  markConcern,
} from '../../domain/concerns/concerns.js';
import { riskBandsView, setRiskBands } from '../../domain/concerns/risk-bands.js';
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
  get: authedProcedure
    .input(zConcernGet)
    .output(zConcernView)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => getConcern(tx, ctx.actor, input.id))),
  correct: roleProcedure('officer')
    .input(zConcernCorrect)
    .output(zConcernView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'concerns.correct', input, () => correctConcern(tx, ctx.actor, input)),
      ),
    ),
  substantiate: roleProcedure('officer')
    .input(zConcernTransition)
    .output(zConcernView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'concerns.substantiate', input, () =>
          markConcern(tx, ctx.actor, input, 'substantiated'),
        ),
      ),
    ),
  unsubstantiate: roleProcedure('officer')
    .input(zConcernTransition)
    .output(zConcernView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'concerns.unsubstantiate', input, () =>
          markConcern(tx, ctx.actor, input, 'unsubstantiated'),
        ),
      ),
    ),
  close: roleProcedure('officer')
    .input(zConcernClose)
    .output(zConcernView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'concerns.close', input, () => closeConcern(tx, ctx.actor, input)),
      ),
    ),
  riskBands: authedProcedure.output(zRiskBandsView).query(({ ctx }) => riskBandsView(ctx.db)),
  setRiskBands: roleProcedure('hub-admin')
    .input(zRiskBandsSet)
    .output(zRiskBandsView)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => setRiskBands(tx, ctx.actor, input))),
});
