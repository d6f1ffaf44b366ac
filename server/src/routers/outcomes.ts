import { z } from 'zod';
import {
  zOutcomeCreate,
  zOutcomeGet,
  zOutcomeListForProvision,
  zOutcomePublish,
  zOutcomeView,
} from '@ccx/schema';
import {
  createOutcome,
  getOutcome,
  listOutcomesForProvision,
  publishOutcome,
} from '../domain/outcomes/outcomes.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const outcomesRouter = router({
  create: roleProcedure('officer')
    .input(zOutcomeCreate)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => createOutcome(tx, ctx.actor, input))),
  publish: roleProcedure('officer')
    .input(zOutcomePublish)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => publishOutcome(tx, ctx.actor, input))),
  // Reads write an audit entry for detail, so they run in a transaction too.
  get: authedProcedure
    .input(zOutcomeGet)
    .output(zOutcomeView)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => getOutcome(tx, ctx.actor, input.id))),
  listForProvision: authedProcedure
    .input(zOutcomeListForProvision)
    .output(z.array(zOutcomeView))
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listOutcomesForProvision(tx, ctx.actor, input))),
});
