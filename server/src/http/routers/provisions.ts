import {
  zGetById,
  zProvision,
  zProvisionCreate,
  zProvisionPage,
  zProvisionSearch,
  zProvisionUpdate,
} from '@ccx/schema';
import {
  createProvision,
  getProvision,
  searchProvisions,
  updateProvision,
} from '../../domain/directory/provisions.js';
import { idempotent, withoutKey } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const provisionsRouter = router({
  search: authedProcedure
    .input(zProvisionSearch)
    .output(zProvisionPage)
    .query(({ ctx, input }) => searchProvisions(ctx.db, input)),
  get: authedProcedure
    .input(zGetById)
    .output(zProvision)
    .query(({ ctx, input }) => getProvision(ctx.db, input.id)),
  // Where a setting stands (its host) and whose it is (its provider) decide who sees what about it,
  // so the hub operator, who keeps the directory (DESIGN.md §1), is the one to record them.
  create: roleProcedure('hub-admin')
    .input(zProvisionCreate)
    .output(zProvision)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'provisions.create', input, () =>
          createProvision(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  update: roleProcedure('officer')
    .input(zProvisionUpdate)
    .output(zProvision)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'provisions.update', input, () =>
          updateProvision(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
});
