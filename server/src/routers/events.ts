import { tracked } from '@trpc/server';
import { setTimeout as sleep } from 'node:timers/promises';
import { zEventsList, zEventsPage, zEventsSubscribe } from '@ccx/schema';
import { eventsVisibleTo, headSeq } from '../events/feed.js';
import { authedProcedure, router } from '../trpc.js';

/** How often a live subscription looks for new events (the feed is the source of truth, shared by every process). */
const POLL_MS = 500;
const BATCH = 200;

export const eventsRouter = router({
  list: authedProcedure
    .input(zEventsList)
    .output(zEventsPage)
    .query(async ({ ctx, input }) => {
      const items =
        input.latest === undefined
          ? await eventsVisibleTo(ctx.db, ctx.actor.authorityId, ctx.hub.clock.now(), {
              sinceSeq: Number(input.since ?? 0),
              limit: input.limit,
              types: input.types,
            })
          : // The newest N, read newest first and answered in feed order.
            (
              await eventsVisibleTo(ctx.db, ctx.actor.authorityId, ctx.hub.clock.now(), {
                sinceSeq: 0,
                limit: input.latest,
                order: 'desc',
                types: input.types,
              })
            ).reverse();
      const last = items[items.length - 1];
      return { items, nextSince: last ? last.id : (input.since ?? null) };
    }),
  // Server-sent events; resumable: the client's Last-Event-ID (tracked ids) continues where it stopped.
  subscribe: authedProcedure.input(zEventsSubscribe).subscription(async function* ({ ctx, input, signal }) {
    // Without a last event id the stream starts at the head: only what happens from now on.
    let since = input.lastEventId == null ? await headSeq(ctx.db) : Number(input.lastEventId);
    // The access token's lifetime bounds the stream: the client reconnects with a fresh token.
    const until = Date.now() + ctx.hub.config.tokenTtlSeconds * 1000;
    while (!signal?.aborted && Date.now() < until) {
      const batch = await eventsVisibleTo(ctx.db, ctx.actor.authorityId, ctx.hub.clock.now(), {
        sinceSeq: since,
        limit: BATCH,
        types: input.types,
      });
      for (const e of batch) {
        since = Number(e.id);
        yield tracked(e.id, e);
      }
      if (batch.length < BATCH) await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
    }
  }),
});
