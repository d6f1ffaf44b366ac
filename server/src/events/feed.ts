// Reading events as one authority may see them: the same need-to-know layers as the records, decided
// by the access policy's SQL face at the time of reading. Used by the feed, subscriptions and webhooks.
import { and, asc, desc, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { CcxEvent, EventType } from '@ccx/schema';
import { anyRecordLayerSql, signalIdsOf, signalMessage, type SignalIds } from '../access/index.js';
import { nameAll } from '../db/names.js';
import type { Db } from '../db/index.js';
import { authorities, events, provisions } from '../db/schema/index.js';

const publisher = sql.raw('evt_publisher');

/** The layer at which `authorityId` sees each event row. */
export const eventLayerSql = (
  authorityId: string,
  now: Date,
): SQL<'detail' | 'summary' | 'signal' | 'none'> =>
  sql<'detail' | 'summary' | 'signal' | 'none'>`case ${events.audience}
    when 'members' then case when exists (select 1 from ${authorities} where ${authorities.id} = ${authorityId} and ${authorities.status} = 'active') then 'summary' else 'none' end
    when 'authorities' then case when ${authorityId} = any(${events.audienceAuthorityIds}) then 'detail' else 'none' end
    else ${anyRecordLayerSql({ authorityId, now }, events.recordType, {
      id: events.recordId,
      publisherAuthorityId: events.publisherAuthorityId,
      status: events.recordStatus,
      restricted: events.restricted,
      provisionId: events.provisionId,
      providerId: events.providerId,
    })} end`;

/**
 * A restricted record's events as a signal-layer recipient receives them: its start and its end, under
 * types that name no kind; every other change of it (an amendment, an update) is not the recipient's.
 */
const SIGNAL_STARTS = ['outcome.published', 'restriction.created', 'concern.logged'];
const SIGNAL_ENDS = ['outcome.withdrawn', 'restriction.lifted', 'restriction.expired', 'concern.closed'];

/** The type the recipient sees: a signal's own at the signal layer (null: not the recipient's). */
const seenTypeSql = (layer: SQL): SQL<string | null> =>
  sql<string | null>`case when ${layer} <> 'signal' then ${events.type}
    when ${inArray(events.type, SIGNAL_STARTS)} then 'signal.raised'
    when ${inArray(events.type, SIGNAL_ENDS)} then 'signal.ended' end`;

export const signalEventType = (type: string): 'signal.raised' | 'signal.ended' | null =>
  SIGNAL_STARTS.includes(type) ? 'signal.raised' : SIGNAL_ENDS.includes(type) ? 'signal.ended' : null;

export type EventQuery = {
  sinceSeq: number;
  /** Only events up to this seq (a fixed head, so a cursor never moves past an unread event). */
  untilSeq?: number | undefined;
  limit: number;
  /** `desc`: the newest first (for "the latest N"); the default is feed order. */
  order?: 'asc' | 'desc';
  types?: EventType[] | undefined;
  provisionIds?: string[] | null | undefined;
};

/** Events after `sinceSeq` that the authority may see, in feed order, each at its layer. */
export const eventsVisibleTo = async (
  db: Db,
  authorityId: string,
  now: Date,
  q: EventQuery,
): Promise<CcxEvent[]> => {
  const layer = eventLayerSql(authorityId, now);
  const seenType = seenTypeSql(layer);
  const rows = await db
    .select({ e: events, layer, contact: sql<string | null>`${publisher}.qa_inbox` })
    .from(events)
    .leftJoin(sql`${authorities} as ${publisher}`, sql`${publisher}.id = ${events.publisherAuthorityId}`)
    .where(
      and(
        gt(events.seq, q.sinceSeq),
        q.untilSeq === undefined ? undefined : lte(events.seq, q.untilSeq),
        sql`${layer} <> 'none'`,
        // A restricted record's events reach a signal-layer recipient as its start and end only, and
        // a filter on types answers to the type the recipient sees (a kind filter finds no signals).
        sql`${seenType} is not null`,
        q.types?.length ? sql`${seenType} in ${q.types}` : undefined,
        // A provision filter also takes events about the whole provider of those provisions.
        q.provisionIds?.length
          ? or(
              inArray(events.provisionId, q.provisionIds),
              sql`${events.providerId} in (select ${provisions.providerId} from ${provisions} where ${inArray(provisions.id, q.provisionIds)})`,
            )
          : undefined,
      ),
    )
    .orderBy(q.order === 'desc' ? desc(events.seq) : asc(events.seq))
    .limit(q.limit);
  // Named as every list is (the setting's URN and name, authorities' names): the feed, the live
  // stream and each webhook's payload alike.
  const signalIds = rows.some((r) => r.layer === 'signal') ? await signalIdsOf(db) : undefined;
  return nameAll(
    db,
    rows.map(({ e, layer: l, contact }) =>
      renderEvent(e, l as 'detail' | 'summary' | 'signal', contact, authorityId, signalIds),
    ),
  );
};

/**
 * One event at the recipient's layer. At the signal layer: `signal.raised` or `signal.ended`, where and
 * whom to contact, and the signal's opaque id (the same in its start, its end and the recipient's
 * checks and lists) — nothing of the record: not its kind, id or text.
 */
export const renderEvent = (
  e: typeof events.$inferSelect,
  layer: 'detail' | 'summary' | 'signal',
  contact: string | null,
  recipientAuthorityId: string,
  signalIds: SignalIds | undefined,
): CcxEvent => ({
  id: String(e.seq),
  type: (layer === 'signal' ? (signalEventType(e.type) ?? 'signal.raised') : e.type) as EventType,
  at: e.at.toISOString(),
  layer,
  provisionId: e.provisionId,
  providerId: e.providerId,
  recordType: layer === 'signal' ? null : e.recordType,
  recordId: layer === 'signal' ? null : e.recordId,
  data:
    layer === 'detail'
      ? (e.detail as Record<string, unknown>)
      : layer === 'summary'
        ? (e.summary as Record<string, unknown>)
        : {
            message: signalMessage(e, contact ?? 'the publishing authority'),
            contact,
            signalId:
              signalIds && e.recordType && e.recordId
                ? signalIds(recipientAuthorityId, e.recordType, e.recordId)
                : null,
          },
});

/** The highest sequenced event id. */
export const headSeq = async (db: Db): Promise<number> => {
  const [row] = await db.select({ head: sql<string | number | null>`max(${events.seq})` }).from(events);
  return Number(row?.head ?? 0);
};
