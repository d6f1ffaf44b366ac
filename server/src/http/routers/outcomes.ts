import { z } from 'zod';
import {
  zActionItemUpdate,
  zOutcomeAmend,
  zOutcomeCreate,
  zOutcomeDeleteDraft,
  zOutcomeDeleted,
  zOutcomeGet,
  zOutcomeList,
  zOutcomeListForProvision,
  zPage,
  zOutcomePublish,
  zOutcomeView,
  zOutcomeWithdraw,
} from '@ccx/schema';
import { idempotent } from '../../domain/idempotency.js';
import {
  amendOutcome,
  deleteDraftOutcome,
  updateActionItem,
  withdrawOutcome,
} from '../../domain/outcomes/lifecycle.js';
import {
  createOutcome,
  getOutcome,
  listOutcomes,
  listOutcomesForProvision,
  publishOutcome,
} from '../../domain/outcomes/outcomes.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const outcomesRouter = router({
  create: roleProcedure('officer')
    .input(zOutcomeCreate)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'outcomes.create', input, () => createOutcome(tx, ctx.actor, input)),
      ),
    ),
  publish: roleProcedure('officer')
    .input(zOutcomePublish)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'outcomes.publish', input, () => publishOutcome(tx, ctx.actor, input)),
      ),
    ),
  amend: roleProcedure('officer')
    .input(zOutcomeAmend)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'outcomes.amend', input, () => amendOutcome(tx, ctx.actor, input)),
      ),
    ),
  withdraw: roleProcedure('officer')
    .input(zOutcomeWithdraw)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'outcomes.withdraw', input, () => withdrawOutcome(tx, ctx.actor, input)),
      ),
    ),
  deleteDraft: roleProcedure('officer')
    .input(zOutcomeDeleteDraft)
    .output(zOutcomeDeleted)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => deleteDraftOutcome(tx, ctx.actor, input))),
  updateActionItem: roleProcedure('officer')
    .input(zActionItemUpdate)
    .output(zOutcomeView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'outcomes.updateActionItem', input, () =>
          updateActionItem(tx, ctx.actor, input),
        ),
      ),
    ),
  // Reads write an audit entry for detail, so they run in a transaction too.
  get: authedProcedure
    .input(zOutcomeGet)
    .output(zOutcomeView)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => getOutcome(tx, ctx.actor, input.id))),
  list: authedProcedure
    .input(zOutcomeList)
    .output(zPage(zOutcomeView))
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listOutcomes(tx, ctx.actor, input))),
  listForProvision: authedProcedure
    .input(zOutcomeListForProvision)
    .output(z.array(zOutcomeView))
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listOutcomesForProvision(tx, ctx.actor, input))),
});
