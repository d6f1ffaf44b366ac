import {
  zRestrictionComply,
  zRestrictionReview,
  zRestrictionCreate,
  zRestrictionGet,
  zRestrictionLift,
  zRestrictionList,
  zRestrictionUpdate,
  zRestrictionView,
  zPage,
} from '@ccx/schema';
import { idempotent } from '../../domain/idempotency.js';
import { recordCompliance, recordReview } from '../../domain/deadlines/record.js';
import {
  createRestriction,
  getRestriction,
  liftRestriction,
  listRestrictions,
  updateRestriction,
} from '../../domain/restrictions/restrictions.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const restrictionsRouter = router({
  create: roleProcedure('officer')
    .input(zRestrictionCreate)
    .output(zRestrictionView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'restrictions.create', input, () =>
          createRestriction(tx, ctx.actor, input),
        ),
      ),
    ),
  update: roleProcedure('officer')
    .input(zRestrictionUpdate)
    .output(zRestrictionView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'restrictions.update', input, () =>
          updateRestriction(tx, ctx.actor, input),
        ),
      ),
    ),
  lift: roleProcedure('officer')
    .input(zRestrictionLift)
    .output(zRestrictionView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'restrictions.lift', input, () => liftRestriction(tx, ctx.actor, input)),
      ),
    ),
  comply: roleProcedure('officer')
    .input(zRestrictionComply)
    .output(zRestrictionView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'restrictions.comply', input, () => recordCompliance(tx, ctx.actor, input)),
      ),
    ),
  review: roleProcedure('officer')
    .input(zRestrictionReview)
    .output(zRestrictionView)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'restrictions.review', input, () => recordReview(tx, ctx.actor, input)),
      ),
    ),
  get: authedProcedure
    .input(zRestrictionGet)
    .output(zRestrictionView)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => getRestriction(tx, ctx.actor, input.id))),
  list: authedProcedure
    .input(zRestrictionList)
    .output(zPage(zRestrictionView))
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listRestrictions(tx, ctx.actor, input))),
});
