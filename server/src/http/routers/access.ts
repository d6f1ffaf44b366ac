import { z } from 'zod';
import {
  zExplainInput,
  zExplanation,
  zGrant,
  zListGrantsInput,
  zRequestProspectiveInput,
  zRevokeGrantInput,
  zShareInput,
} from '@ccx/schema';
import { explain } from '../../domain/access/explain.js';
import { listGrants, requestProspective, revokeGrant, shareRecord } from '../../domain/access/grants.js';
import { idempotent } from '../../domain/idempotency.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const accessRouter = router({
  explain: authedProcedure
    .input(zExplainInput)
    .output(zExplanation)
    .query(({ ctx, input }) => explain(ctx.db, ctx.actor, input)),
  share: roleProcedure('officer')
    .input(zShareInput)
    .output(zGrant)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'access.share', input, () => shareRecord(tx, ctx.actor, input)),
      ),
    ),
  revoke: roleProcedure('officer')
    .input(zRevokeGrantInput)
    .output(zGrant)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => revokeGrant(tx, ctx.actor, input))),
  requestProspective: roleProcedure('officer')
    .input(zRequestProspectiveInput)
    .output(zGrant)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'access.requestProspective', input, () =>
          requestProspective(tx, ctx.actor, input, ctx.hub.config.maxProspectiveGrants),
        ),
      ),
    ),
  grants: authedProcedure
    .input(zListGrantsInput)
    .output(z.array(zGrant))
    .query(({ ctx, input }) => listGrants(ctx.db, ctx.actor, input)),
});
