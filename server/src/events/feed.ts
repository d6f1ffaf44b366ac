// Reading events as one authority may see them: the same need-to-know layers as the records, decided
// by the access policy's SQL face at the time of reading. Used by the feed, subscriptions and webhooks.
import { and, asc, desc, gt, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { CcxEvent, EventType } from '@ccx/schema';
import { anyRecordLayerSql, signalMessage } from '../access/index.js';
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
  const rows = await db
    .select({ e: events, layer, contact: sql<string | null>`${publisher}.qa_inbox` })
    .from(events)
    .leftJoin(sql`${authorities} as ${publisher}`, sql`${publisher}.id = ${events.publisherAuthorityId}`)
    .where(
      and(
        gt(events.seq, q.sinceSeq),
        q.untilSeq === undefined ? undefined : lte(events.seq, q.untilSeq),
        sql`${layer} <> 'none'`,
        q.types?.length ? inArray(events.type, q.types) : undefined,
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
  return nameAll(
    db,
    rows.map(({ e, layer: l, contact }) => renderEvent(e, l as 'detail' | 'summary' | 'signal', contact)),
  );
};

export const renderEvent = (
  e: typeof events.$inferSelect,
  layer: 'detail' | 'summary' | 'signal',
  contact: string | null,
): CcxEvent => ({
  id: String(e.seq),
  type: e.type as EventType,
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
          },
});

/** The highest sequenced event id. */
export const headSeq = async (db: Db): Promise<number> => {
  const [row] = await db.select({ head: sql<string | number | null>`max(${events.seq})` }).from(events);
  return Number(row?.head ?? 0);
};
