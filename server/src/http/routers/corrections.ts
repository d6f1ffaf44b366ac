import {
  zCorrection,
  zCorrectionDecide,
  zCorrectionDecline,
  zCorrectionList,
  zCorrectionPage,
  zGetById,
} from '@ccx/schema';
import {
  acceptCorrection,
  declineCorrection,
  getCorrection,
  listCorrections,
} from '../../domain/directory/corrections.js';
import { idempotent, withoutKey } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

// Proposed corrections of the directory (provisions.proposeCorrection, providers.proposeCorrection):
// the host authority or the hub-admin decides each; the access policy (access/directory.ts) says who.
export const correctionsRouter = router({
  list: authedProcedure
    .input(zCorrectionList)
    .output(zCorrectionPage)
    .query(({ ctx, input }) => listCorrections(ctx.db, ctx.actor, input)),
  get: authedProcedure
    .input(zGetById)
    .output(zCorrection)
    .query(({ ctx, input }) => getCorrection(ctx.db, ctx.actor, input.id)),
  accept: roleProcedure('officer')
    .input(zCorrectionDecide)
    .output(zCorrection)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'corrections.accept', input, () =>
          acceptCorrection(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  decline: roleProcedure('officer')
    .input(zCorrectionDecline)
    .output(zCorrection)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'corrections.decline', input, () =>
          declineCorrection(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
});
