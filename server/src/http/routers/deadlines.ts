import { zDeadlineList, zDeadlinesList } from '@ccx/schema';
import { listDeadlines } from '../../domain/deadlines/list.js';
import { authedProcedure, router } from '../trpc.js';

export const deadlinesRouter = router({
  /** Passed (and, when asked, soon due) deadlines of my records and of the settings I lead. */
  overdue: authedProcedure
    .input(zDeadlinesList)
    .output(zDeadlineList)
    .query(({ ctx, input }) => ctx.db.transaction((tx) => listDeadlines(tx, ctx.actor, input))),
});
