import { tracked, TRPCError } from '@trpc/server';
import { zEventsList, zEventsPage, zEventsSubscribe } from '@ccx/schema';
import { authorityStatus, followEvents, listEvents } from '../../domain/events/events.js';
import { authedProcedure, authoritySuspendedError, router } from '../trpc.js';

export const eventsRouter = router({
  list: authedProcedure
    .input(zEventsList)
    .output(zEventsPage)
    .query(({ ctx, input }) =>
      listEvents(ctx.db, { authorityId: ctx.actor.authorityId, now: ctx.hub.clock.now() }, input),
    ),
  // Server-sent events; resumable: the client's Last-Event-ID (tracked ids) continues where it stopped.
  // Without a last event id the stream starts at the head; the access token's lifetime bounds it.
  subscribe: authedProcedure.input(zEventsSubscribe).subscription(async function* ({ ctx, input, signal }) {
    const until = Date.now() + ctx.hub.config.tokenTtlSeconds * 1000;
    for await (const e of followEvents(
      ctx.db,
      ctx.actor.authorityId,
      () => ctx.hub.clock.now(),
      input,
      until,
      signal,
      // A stream outlives the call that opened it: it ends once the authority is suspended (or leaves).
      async () => {
        const status = await authorityStatus(ctx.db, ctx.actor.authorityId);
        if (status === 'suspended') throw authoritySuspendedError();
        if (status !== 'active')
          throw new TRPCError({ code: 'UNAUTHORIZED', message: 'your authority is no longer a member' });
      },
    ))
      yield tracked(e.id, e);
  }),
});
