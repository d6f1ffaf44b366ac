import { z } from 'zod';
import { zFrequency, zFrequencySet, zOverdueReport } from '@ccx/schema';
import { listFrequencies, overdueReport, setFrequency } from '../../domain/monitoring/schedule.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

export const monitoringRouter = router({
  frequencies: authedProcedure.output(z.array(zFrequency)).query(({ ctx }) => listFrequencies(ctx.db)),
  setFrequency: roleProcedure('hub-admin')
    .input(zFrequencySet)
    .output(z.array(zFrequency))
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => setFrequency(tx, ctx.actor, input))),
  overdue: roleProcedure('hub-admin')
    .output(zOverdueReport)
    .query(({ ctx }) => overdueReport(ctx.db, ctx.actor)),
});
