// The event feed as one authority reads it: a page after a cursor, the newest N, or a live stream
// that polls the feed (the source of truth every process shares) and ends when the token would.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CcxEvent, EventType } from '@ccx/schema';
import type { Db } from '../../db/index.js';
import { eventsVisibleTo, headSeq } from '../../events/feed.js';
import { authorities } from '../../db/schema/index.js';
import { eq } from 'drizzle-orm';

/** How often a live subscription looks for new events. */
const POLL_MS = 500;
const BATCH = 200;

export const listEvents = async (
  db: Db,
  viewer: { authorityId: string; now: Date },
  input: {
    since?: string | undefined;
    latest?: number | undefined;
    limit: number;
    types?: EventType[] | undefined;
  },
): Promise<{ items: CcxEvent[]; nextSince: string | null }> => {
  const items =
    input.latest === undefined
      ? await eventsVisibleTo(db, viewer.authorityId, viewer.now, {
          sinceSeq: Number(input.since ?? 0),
          limit: input.limit,
          types: input.types,
        })
      : // The newest N, read newest first and answered in feed order.
        (
          await eventsVisibleTo(db, viewer.authorityId, viewer.now, {
            sinceSeq: 0,
            limit: input.latest,
            order: 'desc',
            types: input.types,
          })
        ).reverse();
  const last = items[items.length - 1];
  return { items, nextSince: last ? last.id : (input.since ?? null) };
};

/**
 * Events as they are sequenced, from after `lastEventId` (or from now), until `untilMs` or the signal.
 * Each is read at the authority's layer at the time it is sent.
 */
export async function* followEvents(
  db: Db,
  authorityId: string,
  now: () => Date,
  input: { lastEventId?: string | null | undefined; types?: EventType[] | undefined },
  untilMs: number,
  signal: AbortSignal | undefined,
  /** Asked before each read: throws (ending the stream) once the authority may no longer follow it. */
  stillAllowed: () => Promise<void> = () => Promise.resolve(),
): AsyncGenerator<CcxEvent> {
  let since = input.lastEventId == null ? await headSeq(db) : Number(input.lastEventId);
  while (!signal?.aborted && Date.now() < untilMs) {
    await stillAllowed();
    const batch = await eventsVisibleTo(db, authorityId, now(), {
      sinceSeq: since,
      limit: BATCH,
      types: input.types,
    });
    for (const e of batch) {
      since = Number(e.id);
      yield e;
    }
    if (batch.length < BATCH) await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

/** An authority's membership status ('active', 'suspended', 'left'), or null when there is none. */
export const authorityStatus = async (db: Db, authorityId: string): Promise<string | null> => {
  const [row] = await db
    .select({ status: authorities.status })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  return row?.status ?? null;
};
