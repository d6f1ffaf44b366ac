// Restrictions and embargoes: created by a member (or relayed from the regulator), updated with every
// version kept, lifted with a reason; active until lifted or until their expiry date passes.
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import {
  ALWAYS_RESTRICTED_KINDS,
  LETTER_OF_CONCERN_WORKING_DAYS,
  REGULATOR_KINDS,
  REGULATOR_REVIEW_DAYS,
  type RestrictionDetail,
  type RestrictionKind,
  type Page,
  type RestrictionView,
} from '@ccx/schema';
import { RESTRICTION, type PolicyRecord, type SqlPolicyContext } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import {
  accessGrants,
  authorities,
  providers,
  provisions,
  restrictionRelays,
  restrictions,
  restrictionVersions,
} from '../../db/schema/index.js';
import { nameAll, nameOne } from '../../db/names.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { addWorkingDays } from '../calendar/working-days.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { afterKeys, encodeKeys, iso, toPage } from '../pagination.js';
import { historyEntry, recordKit, versionConflict, type VersionRow } from '../records/kit.js';

type RestrictionRow = typeof restrictions.$inferSelect;
type History = RestrictionDetail['history'];

export const restrictionStatus = (
  r: Pick<RestrictionRow, 'effectiveFrom' | 'expiresOn' | 'liftedOn'>,
  today: string,
): RestrictionDetail['status'] => {
  if (r.liftedOn !== null && r.liftedOn <= today) return 'lifted';
  if (r.expiresOn !== null && r.expiresOn <= today) return 'expired';
  if (r.effectiveFrom > today) return 'pending';
  return 'active';
};

/** SQL: the restriction applies today (not lifted, not expired, in effect). */
export const activeRestrictionSql = (today: string | SQL): SQL =>
  sql`(${restrictions.effectiveFrom} <= ${today} and (${restrictions.expiresOn} is null or ${restrictions.expiresOn} > ${today}) and (${restrictions.liftedOn} is null or ${restrictions.liftedOn} > ${today}))`;

/** SQL: the restriction has ended by today (lifted or expired); a pending one has not. */
export const endedRestrictionSql = (today: string): SQL =>
  sql`((${restrictions.liftedOn} is not null and ${restrictions.liftedOn} <= ${today}) or (${restrictions.expiresOn} is not null and ${restrictions.expiresOn} <= ${today}))`;

export const toSummary = (
  r: RestrictionRow,
  today: string,
): Extract<RestrictionView, { layer: 'summary' }> => ({
  layer: 'summary',
  id: r.id,
  provisionId: r.provisionId,
  providerId: r.providerId,
  kind: r.kind as RestrictionKind,
  status: restrictionStatus(r, today),
  issuerAuthorityId: r.issuerAuthorityId,
  source: r.source as RestrictionDetail['source'],
  partnershipWide: r.partnershipWide,
  effectiveFrom: r.effectiveFrom,
  reviewOn: r.reviewOn,
  expiresOn: r.expiresOn,
  liftedOn: r.liftedOn,
  concernLevel: (r.concernLevel ?? null) as 1 | 2 | null,
});

export const toDetail = (r: RestrictionRow, today: string, history: History): RestrictionDetail => ({
  ...toSummary(r, today),
  layer: 'detail',
  version: r.version,
  restricted: r.restricted,
  regulatorReference: r.regulatorReference,
  complianceDueOn: r.complianceDueOn,
  reasons: r.reasons as RestrictionDetail['reasons'],
  contractScope: r.contractScope as RestrictionDetail['contractScope'],
  contractReference: r.contractReference,
  summary: r.summary,
  details: r.details,
  liftedReason: r.liftedReason,
  liftedByAuthorityId: r.liftedByAuthorityId,
  complianceRecordedOn: r.complianceRecordedOn,
  complied: r.complied,
  complianceNote: r.complianceNote,
  reviewedOn: r.reviewedOn,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  history,
});

/** Restrictions through the record kit: views, signal, history, change and events from one descriptor. */
export const restrictionRecords = recordKit(
  RESTRICTION,
  { summary: toSummary, detail: toDetail },
  {
    table: restrictionVersions,
    recordId: restrictionVersions.restrictionId,
    version: restrictionVersions.version,
    snapshot: ({ createdAt: _c, updatedAt: _u, ...snapshot }) => snapshot,
    entry: (v: VersionRow): History[number] => historyEntry(v),
  },
);

/** The policy's view of a restriction row. */
export const restrictionPolicyRecord = (r: RestrictionRow): PolicyRecord => RESTRICTION.policyRecord(r);

export const historyOf = (tx: Db, ids: string[]) => restrictionRecords.historyOf(tx, ids);

/** Version rows (ordered by restriction, then version) as each restriction's history. */
export const histories = (rows: (typeof restrictionVersions.$inferSelect)[]): Map<string, History> =>
  restrictionRecords.histories(rows, (v) => (v as typeof restrictionVersions.$inferSelect).restrictionId);

const keepVersion = restrictionRecords.keepVersion;
const emitRestrictionEvent = (
  tx: Db,
  type: 'restriction.created' | 'restriction.updated' | 'restriction.lifted',
  row: RestrictionRow,
  at: Date,
) => restrictionRecords.emit(tx, type, row, at);
const provisionIdsOf = (tx: Db, row: RestrictionRow) => RESTRICTION.provisionIdsOf(tx, row);

// One record per regulator notice (Medway: Ofsted alerts and restrictions reach every member). A
// notice's record lists every authority that relayed it; each of them may change or lift it.

type Relayer = NonNullable<RestrictionDetail['relayers']>[number];

/** The authorities that relayed each regulator notice, first relayer first. */
export const relayersOf = async (tx: Db, ids: string[]): Promise<Map<string, Relayer[]>> => {
  const byId = new Map<string, Relayer[]>();
  if (ids.length === 0) return byId;
  const rows = await tx
    .select()
    .from(restrictionRelays)
    .where(inArray(restrictionRelays.restrictionId, ids))
    .orderBy(asc(restrictionRelays.at), asc(restrictionRelays.authorityId));
  for (const r of rows)
    byId.set(r.restrictionId, [
      ...(byId.get(r.restrictionId) ?? []),
      { authorityId: r.authorityId, at: iso(r.at) },
    ]);
  return byId;
};

/** Views with their relayers beside them (summary and detail: a regulator notice is public), named. */
const withRelayers = async <V extends RestrictionView>(tx: Db, views: V[]): Promise<V[]> => {
  const ids = views.flatMap((v) => (v.layer === 'signal' ? [] : [v.id]));
  const relayers = await relayersOf(tx, ids);
  return nameAll(
    tx,
    views.map((v) => (v.layer === 'signal' ? v : { ...v, relayers: relayers.get(v.id) ?? [] })),
  );
};

/**
 * The one rule of who may change or lift a restriction: its issuer, or, for a regulator notice, any
 * authority that relayed it (the regulator lifts it, and whichever relayer hears first records that).
 */
export const mayChangeRestriction = async (
  tx: Db,
  row: Pick<RestrictionRow, 'id' | 'issuerAuthorityId' | 'source'>,
  authorityId: string,
): Promise<boolean> => {
  if (row.issuerAuthorityId === authorityId) return true;
  if (row.source !== 'regulator') return false;
  const [relay] = await tx
    .select({ authorityId: restrictionRelays.authorityId })
    .from(restrictionRelays)
    .where(and(eq(restrictionRelays.restrictionId, row.id), eq(restrictionRelays.authorityId, authorityId)));
  return Boolean(relay);
};

/** The record of a regulator notice not yet lifted: same reference, same setting or provider. Locked. */
const noticeRecord = async (
  tx: Db,
  input: Pick<RestrictionCreateInput, 'regulatorReference' | 'provisionId' | 'providerId'>,
): Promise<RestrictionRow | undefined> => {
  const [row] = await tx
    .select()
    .from(restrictions)
    .where(
      and(
        eq(restrictions.source, 'regulator'),
        eq(restrictions.regulatorReference, input.regulatorReference!),
        input.provisionId
          ? eq(restrictions.provisionId, input.provisionId)
          : eq(restrictions.providerId, input.providerId!),
        isNull(restrictions.liftedOn),
      ),
    )
    .for('update');
  return row;
};

/**
 * A second relay of a notice joins its record: the relaying authority is listed as a relayer (and so
 * reads it in detail and may lift it), a version says who relayed it also, and the answer is the record.
 */
const joinNotice = async (
  tx: Db,
  actor: Actor,
  row: RestrictionRow,
  kind: RestrictionKind,
): Promise<RestrictionView> => {
  const today = londonDate(actor.now);
  if (row.kind !== kind)
    throw new AppError(
      'CONFLICT',
      `regulator reference ${row.regulatorReference} is already recorded here as a ${row.kind} (restriction ${row.id}): relay it as a ${row.kind}, or check the reference`,
      { restrictionId: row.id },
    );
  const answer = async (r: RestrictionRow): Promise<RestrictionView> => {
    const [view] = await withRelayers(tx, [
      toDetail(r, today, (await historyOf(tx, [r.id])).get(r.id) ?? []),
    ]);
    return { ...view!, joined: true };
  };
  if (await mayChangeRestriction(tx, row, actor.authorityId)) return answer(row);
  await tx
    .insert(restrictionRelays)
    .values({ restrictionId: row.id, authorityId: actor.authorityId, at: actor.now, by: actedBy(actor) });
  // A relayer reads the record in detail, as one it was shared with.
  await tx.insert(accessGrants).values({
    kind: 'share',
    authorityId: actor.authorityId,
    provisionId: row.provisionId,
    recordType: 'restriction',
    recordId: row.id,
    grantedByAuthorityId: actor.authorityId,
    grantedByClientId: actedBy(actor),
    reason: 'relayed the same regulator notice',
  });
  const [authority] = await tx
    .select({ name: authorities.name })
    .from(authorities)
    .where(eq(authorities.id, actor.authorityId));
  const [updated] = await tx
    .update(restrictions)
    .set({ version: sql`${restrictions.version} + 1`, updatedAt: sql`now()` })
    .where(eq(restrictions.id, row.id))
    .returning();
  await keepVersion(
    tx,
    actor,
    updated!,
    'relayed',
    `relayed also by ${authority ? `${authority.name} (${actor.authorityId})` : actor.authorityId}`,
  );
  await emitRestrictionEvent(tx, 'restriction.updated', updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'restriction.relay',
    recordType: 'restriction',
    recordIds: [row.id],
    provisionIds: await provisionIdsOf(tx, row),
    basis: 'relayer',
    details: { kind: row.kind, regulatorReference: row.regulatorReference, fromVersion: row.version },
  });
  return answer(updated!);
};

export type RestrictionCreateInput = {
  provisionId?: string | undefined;
  providerId?: string | undefined;
  kind: RestrictionKind;
  source: 'member' | 'regulator';
  regulatorReference?: string | undefined;
  effectiveFrom?: string | undefined;
  reviewOn?: string | undefined;
  expiresOn?: string | undefined;
  complianceDueOn?: string | undefined;
  partnershipWide: boolean;
  restricted: boolean;
  reasons: { category: string; text: string }[];
  contractScope: string;
  contractReference?: string | undefined;
  summary: string;
  details: string;
  /** causing-concern-level only, and required there (the schema refuses it elsewhere). */
  concernLevel?: 1 | 2 | undefined;
};

/** A letter of concern's default due date; working days are known only for the modelled years. */
const defaultComplianceDue = (effectiveFrom: string): string => {
  try {
    return addWorkingDays(effectiveFrom, LETTER_OF_CONCERN_WORKING_DAYS);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new AppError(
      'VALIDATION',
      `no working-day calendar for a letter of concern from ${effectiveFrom}: give complianceDueOn`,
    );
  }
};

export const createRestriction = async (
  tx: Db,
  actor: Actor,
  input: RestrictionCreateInput,
): Promise<RestrictionView> => {
  if (input.provisionId) {
    const [p] = await tx
      .select({ id: provisions.id })
      .from(provisions)
      .where(eq(provisions.id, input.provisionId));
    if (!p) throw notFound(`provision ${input.provisionId}`);
  } else {
    const [p] = await tx
      .select({ id: providers.id })
      .from(providers)
      .where(eq(providers.id, input.providerId!));
    if (!p) throw notFound(`provider ${input.providerId}`);
  }
  const regulatorKind = REGULATOR_KINDS.includes(input.kind);
  if (regulatorKind && input.source !== 'regulator') {
    throw new AppError(
      'VALIDATION',
      `${input.kind} is imposed by the regulator: set source to "regulator" and give its reference`,
    );
  }
  if (input.source === 'regulator' && !input.regulatorReference) {
    throw new AppError(
      'VALIDATION',
      "a regulator-sourced restriction needs the regulator's reference (regulatorReference)",
    );
  }
  if (input.source === 'regulator' && (input.restricted || ALWAYS_RESTRICTED_KINDS.includes(input.kind))) {
    throw new AppError(
      'VALIDATION',
      'a regulator notice is public regulator information and cannot be restricted: send restricted false',
    );
  }
  if (input.partnershipWide && (input.kind !== 'embargo' || actor.role !== 'hub-admin')) {
    throw new AppError(
      'FORBIDDEN',
      'only the hub-admin applies an embargo to all members on behalf of the partnership',
    );
  }
  const today = londonDate(actor.now);
  const effectiveFrom = input.effectiveFrom ?? today;
  const reviewOn =
    input.reviewOn ??
    (input.source === 'regulator' ? addDays(effectiveFrom, REGULATOR_REVIEW_DAYS) : undefined);
  const complianceDueOn =
    input.complianceDueOn ??
    (input.kind === 'letter-of-concern' ? defaultComplianceDue(effectiveFrom) : undefined);
  if (input.expiresOn && input.expiresOn <= effectiveFrom) {
    throw new AppError(
      'VALIDATION',
      `expiresOn ${input.expiresOn} must be after effectiveFrom ${effectiveFrom}`,
    );
  }
  if (input.source === 'regulator') {
    const notice = await noticeRecord(tx, input);
    if (notice) return joinNotice(tx, actor, notice, input.kind);
  }
  const insert = (db: Db) =>
    db
      .insert(restrictions)
      .values({
        provisionId: input.provisionId ?? null,
        providerId: input.providerId ?? null,
        kind: input.kind,
        issuerAuthorityId: actor.authorityId,
        source: input.source,
        regulatorReference: input.regulatorReference ?? null,
        partnershipWide: input.partnershipWide,
        restricted: input.restricted || ALWAYS_RESTRICTED_KINDS.includes(input.kind),
        reasons: input.reasons,
        contractScope: input.contractScope,
        contractReference: input.contractReference ?? null,
        summary: input.summary,
        details: input.details,
        effectiveFrom,
        reviewOn: reviewOn ?? null,
        expiresOn: input.expiresOn ?? null,
        complianceDueOn: complianceDueOn ?? null,
        concernLevel: input.concernLevel ?? null,
        createdBy: actedBy(actor),
      })
      .returning();
  let row: RestrictionRow | undefined;
  if (input.source === 'regulator') {
    // Two members relaying one notice at once: the unique index lets one insert, the other joins it.
    try {
      [row] = await tx.transaction((sp) => insert(sp as unknown as Db));
    } catch (err) {
      const notice = pgErrorCode(err) === '23505' ? await noticeRecord(tx, input) : undefined;
      if (notice) return joinNotice(tx, actor, notice, input.kind);
      throw err;
    }
    await tx
      .insert(restrictionRelays)
      .values({ restrictionId: row!.id, authorityId: actor.authorityId, at: actor.now, by: actedBy(actor) });
  } else {
    [row] = await insert(tx);
  }
  // Its first version, its event and its audit entry go out together: the transaction's connection
  // sends the statements at once and the database runs them in order, one round trip for the three.
  const [kept] = await Promise.all([
    keepVersion(tx, actor, row!, 'created', null),
    emitRestrictionEvent(tx, 'restriction.created', row!, actor.now),
    provisionIdsOf(tx, row!).then((provisionIds) =>
      appendAudit(tx, {
        ...auditActor(actor),
        action: 'restriction.create',
        recordType: 'restriction',
        recordIds: [row!.id],
        provisionIds,
        basis: 'publisher',
        details: { kind: input.kind, providerId: input.providerId ?? null },
      }),
    ),
  ]);
  // A new record's history is the one version just kept; only a regulator notice has relayers.
  const detail = toDetail(row!, today, [kept]);
  if (input.source !== 'regulator') return nameOne(tx, { ...detail, relayers: [] });
  const [view] = await withRelayers(tx, [detail]);
  return { ...view!, joined: false };
};

/** Locks a restriction for change by an authority that may change it (mayChangeRestriction), at its version. */
const lockForChange = async (tx: Db, actor: Actor, id: string, version: number): Promise<RestrictionRow> => {
  const [row] = await tx.select().from(restrictions).where(eq(restrictions.id, id)).for('update');
  if (!row) throw notFound(`restriction ${id}`);
  if (!(await mayChangeRestriction(tx, row, actor.authorityId)))
    throw new AppError(
      'FORBIDDEN',
      row.source === 'regulator'
        ? 'only an authority that relayed this regulator notice can change or lift it'
        : 'only the issuing authority can change or lift a restriction',
    );
  if (row.liftedOn !== null)
    throw new AppError('CONFLICT', `restriction ${id} was lifted on ${row.liftedOn}`);
  if (row.version !== version) throw versionConflict('restriction', id, version, row.version);
  return row;
};

export type RestrictionUpdateInput = {
  id: string;
  version: number;
  note?: string | undefined;
  idempotencyKey?: string | undefined;
} & Partial<{
  reviewOn: string | null;
  expiresOn: string | null;
  complianceDueOn: string | null;
  regulatorReference: string;
  reasons: { category: string; text: string }[];
  contractScope: string;
  contractReference: string | null;
  summary: string;
  details: string;
  restricted: boolean;
  concernLevel: 1 | 2;
}>;

export const updateRestriction = async (
  tx: Db,
  actor: Actor,
  input: RestrictionUpdateInput,
): Promise<RestrictionView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  // The router passes its whole input: an idempotency key is not a change to the restriction.
  const { id, version, note, idempotencyKey: _key, ...changes } = input;
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  restrictionRecords.refuseNoChange(row, defined);
  if (defined.concernLevel !== undefined && row.kind !== 'causing-concern-level')
    throw new AppError(
      'VALIDATION',
      `concernLevel is for a causing-concern-level restriction, not a ${row.kind}`,
    );
  if (defined.restricted === false && ALWAYS_RESTRICTED_KINDS.includes(row.kind as RestrictionKind)) {
    throw new AppError('VALIDATION', `a ${row.kind} is always restricted`);
  }
  if (defined.restricted === true && row.source === 'regulator') {
    throw new AppError(
      'VALIDATION',
      'a regulator notice is public regulator information and cannot be restricted',
    );
  }
  if (typeof defined.expiresOn === 'string' && defined.expiresOn <= row.effectiveFrom) {
    throw new AppError(
      'VALIDATION',
      `expiresOn ${String(defined.expiresOn)} must be after effectiveFrom ${row.effectiveFrom}`,
    );
  }
  const [updated] = await tx
    .update(restrictions)
    .set({ ...defined, version: sql`${restrictions.version} + 1`, updatedAt: sql`now()` })
    .where(eq(restrictions.id, id))
    .returning();
  await keepVersion(tx, actor, updated!, 'updated', note ?? null);
  await emitRestrictionEvent(tx, 'restriction.updated', updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'restriction.update',
    recordType: 'restriction',
    recordIds: [id],
    provisionIds: await provisionIdsOf(tx, row),
    basis: row.issuerAuthorityId === actor.authorityId ? 'publisher' : 'relayer',
    details: { fromVersion: version, fields: Object.keys(defined).sort(), note: note ?? null },
  });
  const [view] = await withRelayers(tx, [
    toDetail(updated!, londonDate(actor.now), (await historyOf(tx, [id])).get(id) ?? []),
  ]);
  return view!;
};

export const liftRestriction = async (
  tx: Db,
  actor: Actor,
  input: { id: string; version: number; liftedOn?: string | undefined; reason: string },
): Promise<RestrictionView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  const today = londonDate(actor.now);
  const liftedOn = input.liftedOn ?? today;
  if (liftedOn < row.effectiveFrom)
    throw new AppError('VALIDATION', `liftedOn ${liftedOn} is before effectiveFrom ${row.effectiveFrom}`);
  const [updated] = await tx
    .update(restrictions)
    .set({
      liftedOn,
      liftedReason: input.reason,
      liftedByAuthorityId: actor.authorityId,
      version: sql`${restrictions.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(restrictions.id, input.id))
    .returning();
  await keepVersion(tx, actor, updated!, 'lifted', input.reason);
  await emitRestrictionEvent(tx, 'restriction.lifted', updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'restriction.lift',
    recordType: 'restriction',
    recordIds: [input.id],
    provisionIds: await provisionIdsOf(tx, row),
    basis: row.issuerAuthorityId === actor.authorityId ? 'publisher' : 'relayer',
    details: { liftedOn, reason: input.reason },
  });
  const [view] = await withRelayers(tx, [
    toDetail(updated!, today, (await historyOf(tx, [input.id])).get(input.id) ?? []),
  ]);
  return view!;
};

export const getRestriction = async (tx: Db, actor: Actor, id: string): Promise<RestrictionView> => {
  const view = (await restrictionRecords.get(tx, actor, id)) as RestrictionView;
  return (await withRelayers(tx, [view]))[0]!;
};

/** The layer at which the caller sees each restriction row. */
export const restrictionLayerSql = (context: SqlPolicyContext, provisionNeedToKnow?: SQL) =>
  RESTRICTION.layerSql(context, provisionNeedToKnow);

export type RestrictionListInput = {
  provisionId?: string | undefined;
  providerId?: string | undefined;
  issuerAuthorityId?: string | undefined;
  kind?: RestrictionKind | undefined;
  active?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
};

const restrictionKeys = [
  { column: restrictions.effectiveFrom, cast: 'date' as const },
  { column: restrictions.id, cast: 'uuid' as const },
];

/**
 * Restrictions the caller may know of, each at its layer, newest first, a page at a time. Restricted
 * ones the caller may not read collapse into one signal per issuer and target, so their number does not
 * leak: the signals come whole on the first page and take no part in the paging.
 */
export const listRestrictions = async (
  tx: Db,
  actor: Actor,
  input: RestrictionListInput,
): Promise<Page<RestrictionView>> => {
  const today = londonDate(actor.now);
  let providerOfProvision: string | undefined;
  if (input.provisionId) {
    const [p] = await tx
      .select({ providerId: provisions.providerId })
      .from(provisions)
      .where(eq(provisions.id, input.provisionId));
    if (!p) throw notFound(`provision ${input.provisionId}`);
    providerOfProvision = p.providerId;
  }
  const layer = restrictionLayerSql({ authorityId: actor.authorityId, now: actor.now });
  const activeSql = activeRestrictionSql(today);
  // Signals answer to where and whose only: a filter on content (kind, active) would tell, by a
  // signal's presence or absence, what the caller may not know.
  const scope = and(
    input.provisionId
      ? or(eq(restrictions.provisionId, input.provisionId), eq(restrictions.providerId, providerOfProvision!))
      : undefined,
    input.providerId ? eq(restrictions.providerId, input.providerId) : undefined,
    input.issuerAuthorityId ? eq(restrictions.issuerAuthorityId, input.issuerAuthorityId) : undefined,
  );
  const filters = and(
    scope,
    input.kind ? eq(restrictions.kind, input.kind) : undefined,
    input.active === undefined ? undefined : input.active ? activeSql : endedRestrictionSql(today),
  );
  const rows = await tx
    .select({ restriction: restrictions, layer })
    .from(restrictions)
    .where(
      and(sql`${layer} in ('detail', 'summary')`, filters, afterKeys(input.cursor, restrictionKeys, 'desc')),
    )
    .orderBy(desc(restrictions.effectiveFrom), desc(restrictions.id))
    .limit(input.limit + 1);
  const signals = input.cursor
    ? []
    : await tx
        .select({ restriction: restrictions, layer })
        .from(restrictions)
        .where(and(sql`${layer} = 'signal'`, scope))
        .orderBy(desc(restrictions.effectiveFrom), desc(restrictions.id));
  const { items: page, nextCursor } = toPage(rows, input.limit, ({ restriction: r }) =>
    encodeKeys([r.effectiveFrom, r.id]),
  );
  return { items: await presentRestrictions(tx, actor, [...signals, ...page]), nextCursor };
};

/** Listed rows as views: one signal per issuer and target, any read of detail audited. */
export const presentRestrictions = async (
  tx: Db,
  actor: Actor,
  rows: { restriction: RestrictionRow; layer: string }[],
): Promise<RestrictionView[]> =>
  withRelayers(
    tx,
    (await restrictionRecords.present(
      tx,
      actor,
      rows.map((r) => ({ row: r.restriction, layer: r.layer })),
    )) as RestrictionView[],
  );
