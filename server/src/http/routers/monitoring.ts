import { z } from 'zod';
import { zFrequency, zFrequencySet, zMonitoringReport, zOverdueReport } from '@ccx/schema';
import { monitoringReport } from '../../domain/monitoring/report.js';
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
  // Per lead authority: settings led, visits in time and out of time, overdue now (the partnership's view).
  report: roleProcedure('hub-admin')
    .output(zMonitoringReport)
    .query(({ ctx }) => monitoringReport(ctx.db, ctx.actor)),
});
