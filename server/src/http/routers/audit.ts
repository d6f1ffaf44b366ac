import { zAuditHeadExport, zAuditList, zAuditPage, zAuditVerifyInput, zAuditVerifyResult } from '@ccx/schema';
import { exportChainHead, listAudit, verifyChain } from '../../domain/audit/audit.js';
import { roleProcedure, router } from '../trpc.js';

export const auditRouter = router({
  list: roleProcedure('officer')
    .input(zAuditList)
    .output(zAuditPage)
    .query(({ ctx, input }) => listAudit(ctx.db, ctx.actor, input)),
  verify: roleProcedure('officer')
    .input(zAuditVerifyInput)
    .output(zAuditVerifyResult)
    .query(({ ctx, input }) => verifyChain(ctx.db, ctx.actor, input.authorityId)),
  exportHead: roleProcedure('officer')
    .input(zAuditVerifyInput)
    .output(zAuditHeadExport)
    .query(({ ctx, input }) =>
      exportChainHead(ctx.db, ctx.hub.keys, ctx.hub.config.issuer, ctx.actor, input.authorityId),
    ),
});
