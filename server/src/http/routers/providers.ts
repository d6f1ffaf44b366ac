import {
  zGetById,
  zProvider,
  zProviderCreate,
  zProviderPage,
  zProviderSearch,
  zProviderUpdate,
  zCorrection,
  zMerge,
  zMergeReport,
  zProviderCorrectionPropose,
} from '@ccx/schema';
import { proposeProviderCorrection } from '../../domain/directory/corrections.js';
import { mergeProviders } from '../../domain/directory/merge.js';
import {
  createProvider,
  getProvider,
  searchProviders,
  updateProvider,
} from '../../domain/directory/providers.js';
import { idempotent, withoutKey } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const providersRouter = router({
  search: authedProcedure
    .input(zProviderSearch)
    .output(zProviderPage)
    .query(({ ctx, input }) => searchProviders(ctx.db, input)),
  get: authedProcedure
    .input(zGetById)
    .output(zProvider)
    .query(({ ctx, input }) => getProvider(ctx.db, input.id)),
  create: roleProcedure('officer')
    .input(zProviderCreate)
    .output(zProvider)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'providers.create', input, () =>
          createProvider(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  update: roleProcedure('officer')
    .input(zProviderUpdate)
    .output(zProvider)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'providers.update', input, () =>
          updateProvider(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  proposeCorrection: roleProcedure('officer')
    .input(zProviderCorrectionPropose)
    .output(zCorrection)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'providers.proposeCorrection', input, () =>
          proposeProviderCorrection(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  merge: roleProcedure('hub-admin')
    .input(zMerge)
    .output(zMergeReport)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'providers.merge', input, () =>
          mergeProviders(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
});
