import { zAuditHeadExport, zAuditList, zAuditPage, zAuditVerifyInput, zAuditVerifyResult } from '@ccx/schema';
import { exportAuditHead, listAudit, verifyAuditChain } from '../audit/index.js';
import { AppError } from '../errors.js';
import { roleProcedure, router } from '../trpc.js';

/** Only the hub-admin may name another authority's chain. */
const chainOf = (
  ctx: { actor: { authorityId: string; role: string } },
  authorityId: string | undefined,
): string => {
  if (authorityId && authorityId !== ctx.actor.authorityId && ctx.actor.role !== 'hub-admin') {
    throw new AppError('FORBIDDEN', "only the hub-admin can verify another authority's audit chain");
  }
  return authorityId ?? ctx.actor.authorityId;
};

export const auditRouter = router({
  list: roleProcedure('officer')
    .input(zAuditList)
    .output(zAuditPage)
    .query(({ ctx, input }) => listAudit(ctx.db, ctx.actor, input)),
  verify: roleProcedure('officer')
    .input(zAuditVerifyInput)
    .output(zAuditVerifyResult)
    .query(({ ctx, input }) => verifyAuditChain(ctx.db, chainOf(ctx, input.authorityId))),
  exportHead: roleProcedure('officer')
    .input(zAuditVerifyInput)
    .output(zAuditHeadExport)
    .query(({ ctx, input }) =>
      exportAuditHead(ctx.db, ctx.hub.keys, ctx.hub.config.issuer, chainOf(ctx, input.authorityId)),
    ),
});
