// The record types, each declared once: its table and the columns that place a record in the access
// policy — what it is about (one provision, or a whole provider), who published it, whether it has
// drafts, whether it is restricted, whether it has a summary layer. The policy record, the layer SQL,
// the signal, the scope an audit entry names and the facts an event carries are derived from it.
// Adding a record type: one defineRecordType here, then its domain service (docs/architecture.md).
import {
  eq,
  getTableColumns,
  inArray,
  sql,
  type AnyColumn,
  type InferSelectModel,
  type SQL,
} from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { RecordType } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { concerns, outcomes, provisions, restrictions } from '../db/schema/index.js';
import type { PolicyRecord, RecordScope } from './policy.js';
import { layerSql, type SqlPolicyContext } from './sql.js';

/** A record as the policy sees it, with what it is about. */
export type RecordRef = PolicyRecord & {
  type: RecordType;
  provisionId: string | null;
  providerId: string | null;
};

type Key<T extends PgTable> = keyof InferSelectModel<T> & string;

export type RecordTypeSpec<T extends PgTable> = {
  type: RecordType;
  /** What one is called in words, e.g. "a monitoring outcome" (never in a signal: a signal names no kind). */
  noun: string;
  table: T;
  id: Key<T>;
  /** The authority that published (issued, logged) the record. */
  publisher: Key<T>;
  provisionId: Key<T>;
  /** A record that may be about a whole provider: its provisionId is then null and this is set. */
  providerId?: Key<T>;
  /** A record type with drafts: 'draft' | 'published' | 'amended' | 'withdrawn'. Without, always published. */
  status?: Key<T>;
  restricted: Key<T>;
  /** False for a type with no summary layer: authorities without a need-to-know basis see nothing of it. */
  hasSummary: boolean;
  /**
   * Dates that end a record when reached (a restriction's liftedOn and expiresOn): the earliest set
   * one is its policy record's endsOn. An ended restricted record no longer signals.
   */
  ends?: Key<T>[];
  /**
   * A state that ends a record whatever the date (a concern closed): `column` holding one of `values`.
   * An ended restricted record no longer signals.
   */
  endState?: { column: Key<T>; values: string[] };
};

/** What an event about a record carries for the policy to decide, per recipient, who receives it. */
export type RecordEventFacts = {
  recordType: RecordType;
  recordId: string;
  publisherAuthorityId: string;
  restricted: boolean;
  recordStatus: PolicyRecord['status'];
  provisionId: string | null;
  providerId: string | null;
};

export type RecordTypeDescriptor<T extends PgTable = PgTable> = RecordTypeSpec<T> & {
  /** The table's columns the policy reads, for statements that build their own layer SQL. */
  columns: {
    id: AnyColumn;
    publisher: AnyColumn;
    provisionId: AnyColumn;
    providerId: AnyColumn | null;
    status: AnyColumn | null;
    restricted: AnyColumn;
  };
  /** The policy's view of one row. */
  policyRecord(row: InferSelectModel<T>): PolicyRecord;
  /** The policy's view of one row, with what it is about. */
  recordRef(row: InferSelectModel<T>): RecordRef;
  /** The policy's view of one record by id, or undefined when there is none. */
  load(db: Db, id: string): Promise<RecordRef | undefined>;
  /**
   * The layer at which the caller sees each row, as SQL. `provisionNeedToKnow` is the caller's
   * need-to-know at the row's provision when the statement has computed it once per provision.
   */
  layerSql(
    context: SqlPolicyContext,
    provisionNeedToKnow?: SQL,
  ): SQL<'detail' | 'summary' | 'signal' | 'none'>;
  /** The provisions a record is about (every provision of its provider for a provider-wide one): what an audit entry names. */
  provisionIdsOf(db: Db, row: InferSelectModel<T>): Promise<string[]>;
  /** What an event about this row carries for the policy. */
  eventFacts(row: InferSelectModel<T>): RecordEventFacts;
};

export const defineRecordType = <T extends PgTable>(spec: RecordTypeSpec<T>): RecordTypeDescriptor<T> => {
  const all = getTableColumns(spec.table) as Record<string, AnyColumn>;
  const column = (key: string): AnyColumn => {
    const c = all[key];
    if (!c) throw new Error(`${spec.type}: the table has no column ${key}`);
    return c;
  };
  const columns = {
    id: column(spec.id),
    publisher: column(spec.publisher),
    provisionId: column(spec.provisionId),
    providerId: spec.providerId ? column(spec.providerId) : null,
    status: spec.status ? column(spec.status) : null,
    restricted: column(spec.restricted),
  };
  type Row = InferSelectModel<T>;
  const table: PgTable = spec.table;
  const value = <V>(row: Row, key: string | undefined): V | null =>
    key === undefined ? null : ((row as Record<string, unknown>)[key] as V);
  const scopeOf = (row: Row): RecordScope => {
    const provisionId = value<string>(row, spec.provisionId);
    return provisionId ? { provisionId } : { providerId: value<string>(row, spec.providerId)! };
  };
  const endsOnOf = (row: Row): string | null =>
    (spec.ends ?? [])
      .map((k) => value<string>(row, k))
      .filter((d): d is string => d !== null && d !== undefined)
      .sort()[0] ?? null;
  const endColumns = (spec.ends ?? []).map(column);
  const endState = spec.endState
    ? { column: column(spec.endState.column), values: spec.endState.values }
    : null;
  const closedOf = (row: Row): boolean =>
    spec.endState !== undefined &&
    spec.endState.values.includes(value<string>(row, spec.endState.column) ?? '');
  const policyRecord = (row: Row): PolicyRecord => ({
    type: spec.type,
    id: value<string>(row, spec.id)!,
    publisherAuthorityId: value<string>(row, spec.publisher)!,
    status: value<PolicyRecord['status']>(row, spec.status) ?? 'published',
    restricted: value<boolean>(row, spec.restricted)!,
    scope: scopeOf(row),
    ...(spec.hasSummary ? {} : { hasSummary: false }),
    ...(spec.ends ? { endsOn: endsOnOf(row) } : {}),
    ...(closedOf(row) ? { closed: true } : {}),
  });
  const recordRef = (row: Row): RecordRef => ({
    ...policyRecord(row),
    type: spec.type,
    provisionId: value<string>(row, spec.provisionId),
    providerId: value<string>(row, spec.providerId) ?? null,
  });
  return {
    ...spec,
    columns,
    policyRecord,
    recordRef,
    async load(db, id) {
      const [row] = await db.select().from(table).where(eq(columns.id, id));
      return row ? recordRef(row as Row) : undefined;
    },
    layerSql: (context, provisionNeedToKnow) =>
      layerSql(context, {
        id: columns.id,
        publisherAuthorityId: columns.publisher,
        status: columns.status ?? sql`'published'`,
        restricted: columns.restricted,
        provisionId: columns.provisionId,
        ...(columns.providerId ? { providerId: columns.providerId } : {}),
        hasSummary: spec.hasSummary,
        ...(provisionNeedToKnow ? { provisionNeedToKnow } : {}),
        ...(endColumns.length || endState
          ? {
              ended: (today: SQL) =>
                sql`(${sql.join(
                  [
                    ...endColumns.map((c) => sql`${c} <= ${today}`),
                    ...(endState ? [inArray(endState.column, endState.values)] : []),
                  ],
                  sql` or `,
                )})`,
            }
          : {}),
      }),
    async provisionIdsOf(db, row) {
      const scope = scopeOf(row);
      if ('provisionId' in scope) return [scope.provisionId];
      const rows = await db
        .select({ id: provisions.id })
        .from(provisions)
        .where(eq(provisions.providerId, scope.providerId));
      return rows.map((r) => r.id);
    },
    eventFacts: (row) => {
      const r = recordRef(row);
      return {
        recordType: r.type,
        recordId: r.id,
        publisherAuthorityId: r.publisherAuthorityId,
        restricted: r.restricted,
        recordStatus: r.status,
        provisionId: r.provisionId,
        providerId: r.providerId,
      };
    },
  };
};

export const OUTCOME = defineRecordType({
  type: 'outcome',
  noun: 'a monitoring outcome',
  table: outcomes,
  id: 'id',
  publisher: 'authorityId',
  provisionId: 'provisionId',
  status: 'status',
  restricted: 'restricted',
  hasSummary: true,
});

export const RESTRICTION = defineRecordType({
  type: 'restriction',
  noun: 'a restriction',
  table: restrictions,
  id: 'id',
  publisher: 'issuerAuthorityId',
  provisionId: 'provisionId',
  providerId: 'providerId',
  restricted: 'restricted',
  hasSummary: true,
  ends: ['liftedOn', 'expiresOn'],
});

export const CONCERN = defineRecordType({
  type: 'concern',
  noun: 'a concern',
  table: concerns,
  id: 'id',
  publisher: 'authorityId',
  provisionId: 'provisionId',
  restricted: 'restricted',
  hasSummary: false,
  endState: { column: 'status', values: ['closed'] },
});

/** Every record type, by its name in the API. */
export const RECORD_TYPES: { [K in RecordType]: RecordTypeDescriptor } = {
  outcome: OUTCOME,
  restriction: RESTRICTION,
  concern: CONCERN,
};

/**
 * The layer of each row of a statement over records of several types, told apart by `typeColumn`
 * (the event feed: each event row names its record's type and carries its policy facts).
 */
export const anyRecordLayerSql = (
  context: SqlPolicyContext,
  typeColumn: AnyColumn,
  r: Omit<Parameters<typeof layerSql>[1], 'hasSummary'>,
) => {
  const withoutSummary = Object.values(RECORD_TYPES)
    .filter((d) => !d.hasSummary)
    .map((d) => d.type);
  return layerSql(context, {
    ...r,
    // An event keeps the facts of its moment; a signal's end is an event of its own.
    ended: sql`false`,
    hasSummary: withoutSummary.length
      ? sql`${typeColumn} not in (${sql.join(
          withoutSummary.map((t) => sql`${t}`),
          sql`, `,
        )})`
      : true,
  });
};

/** The policy's view of any record, by type and id. */
export const policyRecordFor = (db: Db, type: RecordType, id: string): Promise<RecordRef | undefined> =>
  RECORD_TYPES[type].load(db, id);

/** The ids among `ids` of records of every type that the caller sees at summary or detail. */
export const visibleRecordIds = async (
  db: Db,
  context: SqlPolicyContext,
  ids: string[],
): Promise<Set<string>> => {
  const found = await Promise.all(
    Object.values(RECORD_TYPES).map((d) =>
      db
        .select({ id: sql<string>`${d.columns.id}` })
        .from(d.table)
        .where(sql`${inArray(d.columns.id, ids)} and ${d.layerSql(context)} in ('detail', 'summary')`),
    ),
  );
  return new Set(found.flat().map((r) => String(r.id)));
};

/**
 * The restricted-information signal: what a member without detail is told of a restricted record —
 * that it exists and whom to contact, never its kind, reason or text (DESIGN.md §3). The one text.
 */
export const signalMessage = (about: { provisionId: string | null }, contact: string): string =>
  `a member authority holds restricted information about this ${about.provisionId ? 'setting' : 'provider'}: contact ${contact} before placing`;
