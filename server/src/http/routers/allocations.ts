import { z } from 'zod';
import {
  zAllocation,
  zAllocationAssign,
  zAllocationList,
  zAutoAllocateInput,
  zAutoAllocateResult,
  zPage,
} from '@ccx/schema';
import {
  assignAllocation,
  autoAllocate,
  listAllocations,
  myAllocations,
} from '../../domain/allocations/allocations.js';
import { idempotent } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const allocationsRouter = router({
  list: authedProcedure
    .input(zAllocationList)
    .output(zPage(zAllocation))
    .query(({ ctx, input }) => listAllocations(ctx.db, ctx.actor, input)),
  mine: authedProcedure.output(z.array(zAllocation)).query(({ ctx }) => myAllocations(ctx.db, ctx.actor)),
  assign: roleProcedure('hub-admin')
    .input(zAllocationAssign)
    .output(zAllocation)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'allocations.assign', input, () => assignAllocation(tx, ctx.actor, input)),
      ),
    ),
  autoAllocate: roleProcedure('hub-admin')
    .input(zAutoAllocateInput)
    .output(zAutoAllocateResult)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => autoAllocate(tx, ctx.actor, input))),
});
