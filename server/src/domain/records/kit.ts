// What every record type's service shares, built from its descriptor (access/record-types.ts) and its
// two views: reading one record or a list at the caller's layer (restricted ones as one signal per
// publisher and scope, each read of detail audited with its basis), and, for versioned records, the
// kit for change — lock, version check (a 409 naming the current version), an amendment that changes
// nothing refused, every version kept as history, and the event.
import { asc, eq, getTableColumns, inArray, sql, type AnyColumn, type InferSelectModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { EventType } from '@ccx/schema';
import {
  contactOf,
  decide,
  deriveRecordBases,
  decideRecord,
  loadWorld,
  signalIdsOf,
  signalMessage,
  type Decision,
  type RecordTypeDescriptor,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import { canonicalJson } from '../../audit/canonical-json.js';
import type { Db } from '../../db/index.js';
import { emitEvent } from '../../events/emit.js';
import { londonDate } from '../../shared/dates.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { iso } from '../pagination.js';
import { nameAll, nameOne } from '../../db/names.js';

type Layer = Decision['layer'];

/**
 * The signal view of restricted records a member may know exist but not read: where, and whom to
 * contact — never their kind, dates, text or ids (DESIGN.md §3). One view per publisher and scope,
 * with the opaque signal id of each record it stands for (access/signals.ts), sorted.
 */
export type SignalView = {
  layer: 'signal';
  provisionId: string | null;
  providerId?: string | null;
  contact: string;
  message: string;
  signalIds: string[];
};

export type Views<T extends PgTable, S, D, H> = {
  /** Absent for a type with no summary layer (the policy never gives one). */
  summary?: (row: InferSelectModel<T>, today: string) => S;
  detail(row: InferSelectModel<T>, today: string, history: H[]): D;
};

/** A record type's versions table: one row per version, its content as it then stood. */
export type VersionsSpec<T extends PgTable, H> = {
  table: PgTable;
  recordId: AnyColumn;
  version: AnyColumn;
  /** The content kept with each version. */
  snapshot(row: InferSelectModel<T>): Record<string, unknown>;
  /** A version row as an entry of the record's history. */
  entry(v: VersionRow): H;
};

export type VersionRow = {
  version: number;
  change: string;
  note: string | null;
  snapshot: unknown;
  byAuthorityId: string;
  byClientId: string | null;
  at: Date;
};

/** The base history entry every versioned record shows. */
export const historyEntry = (v: VersionRow) => ({
  version: v.version,
  at: iso(v.at),
  change: v.change,
  note: v.note,
  byAuthorityId: v.byAuthorityId,
});

/** A version conflict: the caller read a version that is no longer current. */
export const versionConflict = (type: string, id: string, sent: number, current: number): AppError =>
  new AppError(
    'CONFLICT',
    `${type} ${id} has changed: you sent version ${sent}, the current version is ${current}; reload and retry`,
    { currentVersion: current },
  );

const key = (v: unknown): string => canonicalJson(v === undefined ? null : v);

/** A row's value of a column named by the descriptor. */
const valueOf = <T extends PgTable>(row: InferSelectModel<T>, k: string | undefined): unknown =>
  k === undefined ? undefined : (row as Record<string, unknown>)[k];

/** History: versions kept, read back as each record's history. */
const versionsKit = <T extends PgTable, H>(d: RecordTypeDescriptor<T>, versions?: VersionsSpec<T, H>) => {
  type Row = InferSelectModel<T>;
  /** Version rows (ordered by record, then version) as each record's history. */
  const histories = (rows: VersionRow[], recordIdOf: (v: VersionRow) => string): Map<string, H[]> => {
    const byId = new Map<string, H[]>();
    if (!versions) return byId;
    for (const v of rows) {
      const id = recordIdOf(v);
      byId.set(id, [...(byId.get(id) ?? []), versions.entry(v)]);
    }
    return byId;
  };
  /** The kept versions of some records, oldest first, in one query. */
  const historyOf = async (tx: Db, ids: string[]): Promise<Map<string, H[]>> => {
    if (!versions || ids.length === 0) return new Map();
    const rows = (await tx
      .select({ recordId: sql<string>`${versions.recordId}`, v: versions.table })
      .from(versions.table)
      .where(inArray(versions.recordId, ids))
      .orderBy(asc(versions.recordId), asc(versions.version))) as { recordId: string; v: VersionRow }[];
    const recordIds = new Map(rows.map((r) => [r.v, r.recordId]));
    return histories(
      rows.map((r) => r.v),
      (v) => recordIds.get(v)!,
    );
  };
  /** Keeps one version of a record: what changed, why, and its content as it then stood. */
  const keepVersion = async (
    tx: Db,
    actor: Actor,
    row: Row,
    change: string,
    note: string | null,
  ): Promise<H> => {
    if (!versions) throw new Error(`${d.type} has no versions`);
    const v: VersionRow = {
      version: valueOf(row, 'version') as number,
      change,
      note,
      snapshot: versions.snapshot(row),
      byAuthorityId: actor.authorityId,
      byClientId: actedBy(actor),
      at: actor.now,
    };
    const recordIdKey = Object.entries(getTableColumns(versions.table)).find(
      ([, c]) => c === versions.recordId,
    )?.[0];
    await tx.insert(versions.table).values({ ...v, [recordIdKey!]: valueOf(row, d.id) });
    return versions.entry(v);
  };
  return { histories, historyOf, keepVersion };
};

/** The audit entry of a list's reads: the records read, and the basis of each read in detail. */
const listAuditKit = <T extends PgTable>(d: RecordTypeDescriptor<T>) => {
  type Row = InferSelectModel<T>;
  /** The basis of each read of detail, from the facts at each record's scope (loaded once per scope). */
  const readBases = async (tx: Db, actor: Actor, rows: Row[]): Promise<Record<string, string>> => {
    const byScope = new Map<string, Row[]>();
    for (const r of rows) {
      const scope = d.policyRecord(r).scope;
      const k = 'provisionId' in scope ? `p:${scope.provisionId}` : `v:${scope.providerId}`;
      byScope.set(k, [...(byScope.get(k) ?? []), r]);
    }
    const bases: Record<string, string> = {};
    for (const group of byScope.values()) {
      const records = group.map((r) => d.policyRecord(r));
      const world = await loadWorld(
        tx,
        actor.authorityId,
        records[0]!.scope,
        records.map((r) => r.id),
        actor.now,
      );
      for (const record of records)
        bases[record.id] =
          decide(deriveRecordBases(world, actor.authorityId, record), record).basis ?? 'unknown';
    }
    return bases;
  };

  /**
   * The provisions the read records are about, as a single read names them: a record about a whole
   * provider names every provision of it (loaded once per provider).
   */
  const provisionsOf = async (tx: Db, read: Row[]): Promise<string[]> => {
    const ids = new Set<string>();
    const providers = new Map<string, Row>();
    for (const r of read) {
      const scope = d.policyRecord(r).scope;
      if ('provisionId' in scope) ids.add(scope.provisionId);
      else if (!providers.has(scope.providerId)) providers.set(scope.providerId, r);
    }
    for (const r of providers.values()) for (const id of await d.provisionIdsOf(tx, r)) ids.add(id);
    return [...ids];
  };

  /** Audits the reads of a list: the records read, and the basis of each read in detail. */
  const auditList = async (tx: Db, actor: Actor, read: Row[], detailRows: Row[]): Promise<void> => {
    const bases = await readBases(tx, actor, detailRows);
    await appendAudit(tx, {
      ...auditActor(actor),
      action: `${d.type}.list`,
      recordType: d.type,
      recordIds: read.map((r) => valueOf(r, d.id) as string),
      // Only what was read: a signal's provision is no read of a record there.
      provisionIds: await provisionsOf(tx, read),
      basis: [...new Set(Object.values(bases))].sort().join(','),
      details: { detail: bases },
    });
  };

  return auditList;
};

/** Reading: one record or a list at the caller's layer, the signal, the audit of detail reads. */
const readKit = <T extends PgTable, S, D, H>(
  d: RecordTypeDescriptor<T>,
  views: Views<T, S, D, H>,
  historyOf: (tx: Db, ids: string[]) => Promise<Map<string, H[]>>,
) => {
  type Row = InferSelectModel<T>;
  const table: PgTable = d.table;
  const idOf = (row: Row) => valueOf(row, d.id) as string;
  const publisherOf = (row: Row) => valueOf(row, d.publisher) as string;
  const auditList = listAuditKit(d);

  /** The signal of one or more restricted rows of one publisher and scope (the first names the scope). */
  const signal = (row: Row, contact: string, signalIds: string[]): SignalView => {
    const provisionId = (valueOf(row, d.provisionId) as string | null) ?? null;
    return {
      layer: 'signal',
      provisionId,
      ...(d.providerId ? { providerId: (valueOf(row, d.providerId) as string | null) ?? null } : {}),
      contact,
      message: signalMessage({ provisionId }, contact),
      signalIds: [...signalIds].sort(),
    };
  };

  /** One row at one layer ('none' is null). */
  const view = async (
    tx: Db,
    row: Row,
    layer: Layer,
    today: string,
    /** The viewing authority: a signal's id is its own. */
    viewer: string,
    history?: H[],
    /** For a signal: every row of its publisher and scope it stands for (default: this row). */
    signalled: Row[] = [row],
  ): Promise<S | D | SignalView | null> => {
    switch (layer) {
      case 'detail':
        return views.detail(row, today, history ?? (await historyOf(tx, [idOf(row)])).get(idOf(row)) ?? []);
      case 'summary':
        return views.summary ? views.summary(row, today) : null;
      case 'signal': {
        const ids = await signalIdsOf(tx);
        return signal(
          row,
          (await contactOf(tx, publisherOf(row))) ?? 'the publishing authority',
          signalled.map((r) => ids(viewer, d.type, idOf(r))),
        );
      }
      case 'none':
        return null;
    }
  };

  /** One record at the caller's layer; a record it may not know of is answered as a missing one. */
  const get = async (tx: Db, actor: Actor, id: string): Promise<S | D | SignalView> => {
    const [row] = (await tx.select().from(table).where(eq(d.columns.id, id))) as Row[];
    if (!row) throw notFound(`${d.type} ${id}`);
    const decision = await decideRecord(tx, actor.authorityId, d.policyRecord(row), actor.now);
    const result = await view(tx, row, decision.layer, londonDate(actor.now), actor.authorityId);
    if (!result) throw notFound(`${d.type} ${id}`);
    const named = await nameOne(tx, result);
    if (decision.layer === 'detail') {
      await appendAudit(tx, {
        ...auditActor(actor),
        action: `${d.type}.read`,
        recordType: d.type,
        recordIds: [id],
        provisionIds: await d.provisionIdsOf(tx, row),
        basis: decision.basis,
        details: { rule: decision.rule },
      });
    }
    return named;
  };

  /**
   * Listed rows as views: restricted ones the caller may not read collapse into one signal per
   * publisher and scope, first and in the order of their opaque ids (never among the records, whose
   * order would date them), each with the signal id of every record it stands for; rows at 'none'
   * (an ended restricted record among them) are left out, and the
   * reads are audited in one entry when any was of detail. Every view names its setting, provider and
   * authorities beside their ids (names.ts), all of them from one statement.
   */
  const present = async (
    tx: Db,
    actor: Actor,
    rows: { row: Row; layer: string }[],
  ): Promise<(S | D | SignalView)[]> => {
    const today = londonDate(actor.now);
    const detailRows = rows.filter((r) => r.layer === 'detail').map((r) => r.row);
    const history = await historyOf(tx, detailRows.map(idOf));
    const items: (S | D | SignalView)[] = [];
    // Each publisher and scope's signalled rows, to make one signal of them where the first stood.
    const signalKey = (row: Row) => {
      const scope = d.policyRecord(row).scope;
      return `${publisherOf(row)}:${'provisionId' in scope ? scope.provisionId : scope.providerId}`;
    };
    const signalled = new Map<string, Row[]>();
    for (const { row, layer } of rows)
      if (layer === 'signal') signalled.set(signalKey(row), [...(signalled.get(signalKey(row)) ?? []), row]);
    // Signals come first, in the order of their ids: where one stood among the records would tell its dates.
    const signals: SignalView[] = [];
    for (const group of signalled.values())
      signals.push(
        (await view(tx, group[0]!, 'signal', today, actor.authorityId, undefined, group)) as SignalView,
      );
    items.push(...signals.sort((a, b) => (a.signalIds[0]! < b.signalIds[0]! ? -1 : 1)));
    for (const { row, layer } of rows) {
      if (layer === 'signal') {
        continue;
      } else if (layer === 'detail') {
        items.push(views.detail(row, today, history.get(idOf(row)) ?? []));
      } else if (layer === 'summary') {
        if (views.summary) items.push(views.summary(row, today));
      }
    }
    if (detailRows.length > 0)
      await auditList(
        tx,
        actor,
        rows.filter((r) => r.layer === 'detail' || r.layer === 'summary').map((r) => r.row),
        detailRows,
      );
    // The settings, providers and authorities the page mentions, named in one statement.
    return nameAll(tx, items);
  };

  /** A record's view (a write's answer) with the directory's names beside its ids. */
  const named = <V>(tx: Db, value: V): Promise<V> => nameOne(tx, value);

  return { signal, view, get, present, named };
};

/** Changing: lock, version check, refusing an amendment that changes nothing, the event. */
const changeKit = <T extends PgTable, S, D, H>(d: RecordTypeDescriptor<T>, views: Views<T, S, D, H>) => {
  type Row = InferSelectModel<T>;
  const table: PgTable = d.table;

  /** Locks a record for change and checks the caller may change it at the version it names. */
  const lockForChange = async (
    tx: Db,
    actor: Actor,
    id: string,
    version: number,
    rules: {
      /** Why only the publisher may: e.g. "only the issuing authority can change or lift a restriction". */
      forbidden: string;
      /** Why a record can no longer change (withdrawn, lifted), or null while it can. */
      closed?: (row: Row) => string | null;
    },
  ): Promise<Row> => {
    const [row] = (await tx.select().from(table).where(eq(d.columns.id, id)).for('update')) as Row[];
    const publisher = row ? (valueOf(row, d.publisher) as string) : undefined;
    // Another authority's draft is not the caller's to know of.
    if (!row || (publisher !== actor.authorityId && valueOf(row, d.status) === 'draft'))
      throw notFound(`${d.type} ${id}`);
    if (publisher !== actor.authorityId) {
      // One it may not know of at all (a concern without need to know, an ended restricted record)
      // answers exactly as a missing one; only one it can see is a 403.
      const decision = await decideRecord(tx, actor.authorityId, d.policyRecord(row), actor.now);
      if (decision.layer === 'none') throw notFound(`${d.type} ${id}`);
      throw new AppError('FORBIDDEN', rules.forbidden);
    }
    const closed = rules.closed?.(row);
    if (closed) throw new AppError('CONFLICT', closed);
    const current = valueOf(row, 'version') as number;
    if (current !== version) throw versionConflict(d.type, id, version, current);
    return row;
  };

  /** Refuses an amendment whose every field already holds the value sent. */
  const refuseNoChange = (row: Row, changes: Record<string, unknown>): void => {
    const fields = Object.keys(changes).filter((k) => changes[k] !== undefined);
    if (fields.length === 0) throw new AppError('VALIDATION', 'change at least one field');
    if (fields.every((k) => key(changes[k]) === key(valueOf(row, k))))
      throw new AppError(
        'VALIDATION',
        `nothing to change: ${fields.sort().join(', ')} already ${fields.length === 1 ? 'holds' : 'hold'} the value sent`,
      );
  };

  /** The outbox row of a change: the record's summary and detail as they now stand. */
  const emit = (tx: Db, type: EventType, row: Row, at: Date): Promise<void> => {
    const today = londonDate(at);
    return emitEvent(tx, {
      type,
      at,
      audience: 'record',
      ...d.eventFacts(row),
      // A type with no summary layer sends no one a summary.
      summary: views.summary?.(row, today) ?? {},
      detail: views.detail(row, today, []) as Record<string, unknown>,
    });
  };

  return { lockForChange, refuseNoChange, emit };
};

/** A record type's kit: its descriptor, its two views and (for a versioned type) its versions table. */
export const recordKit = <T extends PgTable, S, D, H = never>(
  d: RecordTypeDescriptor<T>,
  views: Views<T, S, D, H>,
  versions?: VersionsSpec<T, H>,
) => {
  const history = versionsKit(d, versions);
  return {
    descriptor: d,
    ...history,
    ...readKit(d, views, history.historyOf),
    ...changeKit(d, views),
  };
};
