import {
  zGetById,
  zProvision,
  zProvisionCreate,
  zProvisionPage,
  zProvisionSearch,
  zProvisionUpdate,
  zCorrection,
  zMerge,
  zMergeReport,
  zProvisionCorrectionPropose,
} from '@ccx/schema';
import { proposeProvisionCorrection } from '../../domain/directory/corrections.js';
import { mergeProvisions } from '../../domain/directory/merge.js';
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
  // An officer's role is the least; whether this officer may change this setting (its host authority, or
  // the hub-admin) the access policy decides in the domain (access/directory.ts).
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
  // Any member's officer may propose a correction of a setting it does not host; the host or the hub-admin decides it.
  proposeCorrection: roleProcedure('officer')
    .input(zProvisionCorrectionPropose)
    .output(zCorrection)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'provisions.proposeCorrection', input, () =>
          proposeProvisionCorrection(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  merge: roleProcedure('hub-admin')
    .input(zMerge)
    .output(zMergeReport)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'provisions.merge', input, () =>
          mergeProvisions(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
});
