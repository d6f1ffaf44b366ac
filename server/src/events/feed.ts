// Reading events as one authority may see them: the same need-to-know layers as the records, decided
// by the access policy's SQL face at the time of reading. Used by the feed, subscriptions and webhooks.
import {
  and,
  asc,
  desc,
  gt,
  inArray,
  lte,
  or,
  sql,
  type AnyColumn,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import type { CcxEvent, EventType } from '@ccx/schema';
import {
  anyRecordLayerSql,
  policyValues,
  PREPARED_POLICY,
  signalIdsOf,
  signalMessage,
  type SignalIds,
  type SqlPolicyContext,
} from '../access/index.js';
import { nameAll } from '../db/names.js';
import type { Db } from '../db/index.js';
import { perDatabase } from '../db/prepared.js';
import { authorities, events, provisions } from '../db/schema/index.js';

const publisher = sql.raw('evt_publisher');

/** The reader's id in a statement: a value, or the placeholder of a prepared statement. */
const readerOf = (context: SqlPolicyContext) =>
  'prepared' in context ? sql.placeholder('authorityId') : context.authorityId;

/** The layer at which the reading authority sees each event row. */
export const eventLayerSql = (context: SqlPolicyContext): SQL<'detail' | 'summary' | 'signal' | 'none'> =>
  sql<'detail' | 'summary' | 'signal' | 'none'>`case ${events.audience}
    when 'members' then case when exists (select 1 from ${authorities} where ${authorities.id} = ${readerOf(context)} and ${authorities.status} = 'active') then 'summary' else 'none' end
    when 'authorities' then case when ${readerOf(context)} = any(${events.audienceAuthorityIds}) then 'detail' else 'none' end
    else ${anyRecordLayerSql(context, events.recordType, {
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
const seenTypeSql = (layer: SQL.Aliased, type: AnyColumn): SQL<string | null> =>
  sql<string | null>`case when ${layer} <> 'signal' then ${type}
    when ${inArray(type, SIGNAL_STARTS)} then 'signal.raised'
    when ${inArray(type, SIGNAL_ENDS)} then 'signal.ended' end`;

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

/**
 * How many feed positions the first read of a page covers (at least twice the page); each further
 * read covers four times more. A read covers a range of seq, not "the rows after the cursor": told
 * the range, the planner knows how few rows it reads and decides the policy's tests row by row. Over
 * an open-ended scan it expects the whole table and hashes them once over every setting in the
 * country instead (the provider-wide need-to-know alone, ~10 ms at national scale), which a page of
 * 100 never repays. A long sparse scan (a webhook's narrow filter) still reaches large ranges, where
 * hashing is the cheaper plan and is chosen.
 */
const FIRST_SPAN = 1000;
const SPAN_GROWTH = 4;

type Bound = number | Placeholder;

/** One read: the visible events among seq in (after, upTo], at most `take`, each at its layer. */
type Read = {
  after: Bound;
  upTo: Bound;
  /** upTo - after: the range never holds more rows (seq is unique). */
  span: Bound;
  take: Bound;
  order: 'asc' | 'desc';
  /** The types the recipient sees, or null: every type. */
  types: EventType[] | Placeholder | null;
  provisionIds: string[] | null;
};

const readStatement = (db: Db, context: SqlPolicyContext, r: Read) => {
  const order = r.order === 'desc' ? desc : asc;
  const range = db
    .select({
      seq: events.seq,
      type: events.type,
      at: events.at,
      provisionId: events.provisionId,
      providerId: events.providerId,
      recordType: events.recordType,
      recordId: events.recordId,
      publisherAuthorityId: events.publisherAuthorityId,
      summary: events.summary,
      detail: events.detail,
      layer: eventLayerSql(context).as('layer'),
    })
    .from(events)
    .where(
      and(
        gt(events.seq, r.after),
        lte(events.seq, r.upTo),
        // A provision filter also takes events about the whole provider of those provisions.
        r.provisionIds?.length
          ? or(
              inArray(events.provisionId, r.provisionIds),
              sql`${events.providerId} in (select ${provisions.providerId} from ${provisions} where ${inArray(provisions.id, r.provisionIds)})`,
            )
          : undefined,
      ),
    )
    .orderBy(order(events.seq))
    // The limit keeps the range a subquery of its own, so each row's layer is decided once rather
    // than again by every condition that reads it.
    .limit(r.span)
    .as('feed_range');
  const seenType = seenTypeSql(range.layer, range.type);
  return db
    .select({
      seq: range.seq,
      type: range.type,
      at: range.at,
      provisionId: range.provisionId,
      providerId: range.providerId,
      recordType: range.recordType,
      recordId: range.recordId,
      layer: range.layer,
      // Only the layer's own data leaves the database (a detail is several times its summary).
      data: sql`case ${range.layer} when 'detail' then ${range.detail} when 'summary' then ${range.summary} end`.mapWith(
        events.detail,
      ),
      // Whom a signal names to contact: its publisher (only a signal carries it).
      contact: sql<
        string | null
      >`case when ${range.layer} = 'signal' then (select ${publisher}.qa_inbox from ${authorities} as ${publisher} where ${publisher}.id = ${range.publisherAuthorityId}) end`,
    })
    .from(range)
    .where(
      and(
        sql`${range.layer} <> 'none'`,
        // A restricted record's events reach a signal-layer recipient as its start and end only, and
        // a filter on types answers to the type the recipient sees (a kind filter finds no signals).
        sql`${seenType} is not null`,
        r.types === null
          ? undefined
          : Array.isArray(r.types)
            ? sql`${seenType} in ${r.types}`
            : sql`(${r.types}::text[] is null or ${seenType} = any(${r.types}::text[]))`,
      ),
    )
    .orderBy(order(range.seq))
    .limit(r.take);
};

export type FeedRow = Awaited<ReturnType<typeof readStatement>>[number];

/**
 * The first read of a page in feed order, the feed's hot path (every page and every poll of a live
 * stream starts with it): prepared once, so neither drizzle nor PostgreSQL builds the policy's
 * statement again for each call.
 */
const firstReads = perDatabase((db) =>
  readStatement(db, PREPARED_POLICY, {
    after: sql.placeholder('after'),
    upTo: sql.placeholder('upTo'),
    span: sql.placeholder('span'),
    take: sql.placeholder('take'),
    order: 'asc',
    types: sql.placeholder('types'),
    provisionIds: null,
  }).prepare('ccx_events_first_read'),
);

const read = (
  db: Db,
  reader: { authorityId: string; now: Date },
  q: EventQuery,
  after: number,
  upTo: number,
  take: number,
  first: boolean,
): Promise<FeedRow[]> => {
  const types = q.types?.length ? q.types : null;
  if (first && q.order !== 'desc' && !q.provisionIds?.length)
    return firstReads(db).execute({ after, upTo, span: upTo - after, take, types, ...policyValues(reader) });
  return readStatement(db, reader, {
    after,
    upTo,
    span: upTo - after,
    take,
    order: q.order ?? 'asc',
    types,
    provisionIds: q.provisionIds ?? null,
  });
};

/**
 * The page's rows, read range by range (see FIRST_SPAN). Committed events always hold the positions
 * 1..head with none missing below (the sequencer numbers them in commit order), so a read is the
 * whole truth of its range up to the head it saw — but that head is unknown: a first read that ends
 * short of a full page learns the head, and reading resumes after the last event it gave, so an event
 * sequenced into its range meanwhile is read rather than passed over.
 */
const readPage = async (
  db: Db,
  reader: { authorityId: string; now: Date },
  q: EventQuery,
): Promise<FeedRow[]> => {
  const rows: FeedRow[] = [];
  let span = Math.max(FIRST_SPAN, 2 * q.limit);
  if (q.order === 'desc') {
    // The newest first: down from a head fixed before the first read.
    let upTo = q.untilSeq ?? (await headSeq(db));
    while (rows.length < q.limit && upTo > q.sinceSeq) {
      const after = Math.max(q.sinceSeq, upTo - span);
      rows.push(...(await read(db, reader, q, after, upTo, q.limit - rows.length, false)));
      upTo = after;
      span *= SPAN_GROWTH;
    }
    return rows;
  }
  let head = q.untilSeq;
  let after = q.sinceSeq;
  let first = true;
  while (rows.length < q.limit && (head === undefined || after < head)) {
    const upTo = head === undefined ? after + span : Math.min(after + span, head);
    rows.push(...(await read(db, reader, q, after, upTo, q.limit - rows.length, first)));
    if (rows.length >= q.limit) break;
    if (head === undefined) {
      head = await headSeq(db);
      after = rows.length > 0 ? rows[rows.length - 1]!.seq! : q.sinceSeq;
    } else after = upTo;
    span *= SPAN_GROWTH;
    first = false;
  }
  return rows;
};

/** Events after `sinceSeq` that the authority may see, in feed order, each at its layer. */
export const eventsVisibleTo = async (
  db: Db,
  authorityId: string,
  now: Date,
  q: EventQuery,
): Promise<CcxEvent[]> => {
  const rows = q.limit > 0 ? await readPage(db, { authorityId, now }, q) : [];
  // Named as every list is (the setting's URN and name, authorities' names): the feed, the live
  // stream and each webhook's payload alike.
  const signalIds = rows.some((r) => r.layer === 'signal') ? await signalIdsOf(db) : undefined;
  return nameAll(
    db,
    rows.map((r) =>
      renderEvent(r, r.layer as 'detail' | 'summary' | 'signal', r.contact, authorityId, signalIds),
    ),
  );
};

/**
 * One event at the recipient's layer. At the signal layer: `signal.raised` or `signal.ended`, where and
 * whom to contact, and the signal's opaque id (the same in its start, its end and the recipient's
 * checks and lists) — nothing of the record: not its kind, id or text.
 */
export const renderEvent = (
  e: Omit<FeedRow, 'layer' | 'contact'>,
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
    layer !== 'signal'
      ? (e.data as Record<string, unknown>)
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
