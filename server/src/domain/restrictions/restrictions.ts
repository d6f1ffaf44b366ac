// Restrictions and embargoes: created by a member (or relayed from the regulator), updated with every
// version kept, lifted with a reason; active until lifted or until their expiry date passes.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
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
import {
  contactOf,
  decideRecord,
  layerSql,
  type SqlPolicyContext,
  loadWorld,
  decide,
  deriveRecordBases,
  type Decision,
  type PolicyRecord,
} from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import { emitEvent } from '../../events/emit.js';
import type { Db } from '../../db/index.js';
import { providers, provisions, restrictions, restrictionVersions } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { addWorkingDays } from '../calendar/working-days.js';
import { addDays, londonDate } from '../../shared/dates.js';
import { afterKeys, encodeKeys, iso, toPage } from '../pagination.js';

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
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  history,
});

export const restrictionSignal = (
  r: Pick<RestrictionRow, 'provisionId' | 'providerId'>,
  contact: string,
): Extract<RestrictionView, { layer: 'signal' }> => ({
  layer: 'signal',
  provisionId: r.provisionId,
  providerId: r.providerId,
  contact,
  message: `a member authority holds restricted information about this ${r.provisionId ? 'setting' : 'provider'}: contact ${contact} before placing`,
});

export const restrictionPolicyRecord = (r: RestrictionRow): PolicyRecord => ({
  type: 'restriction',
  id: r.id,
  publisherAuthorityId: r.issuerAuthorityId,
  status: 'published',
  restricted: r.restricted,
  scope: r.provisionId ? { provisionId: r.provisionId } : { providerId: r.providerId! },
});

export const historyOf = async (tx: Db, ids: string[]): Promise<Map<string, History>> => {
  if (ids.length === 0) return new Map();
  return histories(
    await tx
      .select()
      .from(restrictionVersions)
      .where(inArray(restrictionVersions.restrictionId, ids))
      .orderBy(asc(restrictionVersions.restrictionId), asc(restrictionVersions.version)),
  );
};

/** Version rows (ordered by restriction, then version) as each restriction's history. */
export const histories = (rows: (typeof restrictionVersions.$inferSelect)[]): Map<string, History> => {
  const byId = new Map<string, History>();
  for (const v of rows) {
    const list = byId.get(v.restrictionId) ?? [];
    list.push({
      version: v.version,
      at: iso(v.at),
      byAuthorityId: v.byAuthorityId,
      change: v.change,
      note: v.note,
    });
    byId.set(v.restrictionId, list);
  }
  return byId;
};

const emitRestrictionEvent = (
  tx: Db,
  type: 'restriction.created' | 'restriction.updated' | 'restriction.lifted',
  row: RestrictionRow,
  at: Date,
) => {
  const today = londonDate(at);
  return emitEvent(tx, {
    type,
    at,
    audience: 'record',
    recordType: 'restriction',
    recordId: row.id,
    publisherAuthorityId: row.issuerAuthorityId,
    restricted: row.restricted,
    provisionId: row.provisionId,
    providerId: row.providerId,
    summary: toSummary(row, today),
    detail: toDetail(row, today, []),
  });
};

const keepVersion = async (
  tx: Db,
  actor: Actor,
  row: RestrictionRow,
  change: string,
  note: string | null,
) => {
  const { createdAt: _c, updatedAt: _u, ...snapshot } = row;
  await tx.insert(restrictionVersions).values({
    restrictionId: row.id,
    version: row.version,
    change,
    note,
    snapshot,
    byAuthorityId: actor.authorityId,
    byClientId: actor.clientId,
    at: actor.now,
  });
};

const provisionIdsOf = async (
  tx: Db,
  row: Pick<RestrictionRow, 'provisionId' | 'providerId'>,
): Promise<string[]> => {
  if (row.provisionId) return [row.provisionId];
  const rows = await tx
    .select({ id: provisions.id })
    .from(provisions)
    .where(eq(provisions.providerId, row.providerId!));
  return rows.map((r) => r.id);
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
  const [row] = await tx
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
      createdBy: actor.clientId,
    })
    .returning();
  await keepVersion(tx, actor, row!, 'created', null);
  await emitRestrictionEvent(tx, 'restriction.created', row!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'restriction.create',
    recordType: 'restriction',
    recordIds: [row!.id],
    provisionIds: await provisionIdsOf(tx, row!),
    basis: 'publisher',
    details: { kind: input.kind, providerId: input.providerId ?? null },
  });
  return toDetail(row!, today, (await historyOf(tx, [row!.id])).get(row!.id) ?? []);
};

const lockForChange = async (tx: Db, actor: Actor, id: string, version: number): Promise<RestrictionRow> => {
  const [row] = await tx.select().from(restrictions).where(eq(restrictions.id, id)).for('update');
  if (!row) throw notFound(`restriction ${id}`);
  if (row.issuerAuthorityId !== actor.authorityId) {
    // Whether the caller may know of it at all is the policy's question; restrictions always have a summary.
    throw new AppError('FORBIDDEN', 'only the issuing authority can change or lift a restriction');
  }
  if (row.liftedOn !== null)
    throw new AppError('CONFLICT', `restriction ${id} was lifted on ${row.liftedOn}`);
  if (row.version !== version) {
    throw new AppError(
      'CONFLICT',
      `restriction ${id} has changed: you sent version ${version}, the current version is ${row.version}; reload and retry`,
      {
        currentVersion: row.version,
      },
    );
  }
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
  if (Object.keys(defined).length === 0) throw new AppError('VALIDATION', 'change at least one field');
  if (defined.restricted === false && ALWAYS_RESTRICTED_KINDS.includes(row.kind as RestrictionKind)) {
    throw new AppError('VALIDATION', `a ${row.kind} is always restricted`);
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
    basis: 'publisher',
    details: { fromVersion: version, fields: Object.keys(defined).sort(), note: note ?? null },
  });
  return toDetail(updated!, londonDate(actor.now), (await historyOf(tx, [id])).get(id) ?? []);
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
    basis: 'publisher',
    details: { liftedOn, reason: input.reason },
  });
  return toDetail(updated!, today, (await historyOf(tx, [input.id])).get(input.id) ?? []);
};

const viewOf = async (
  tx: Db,
  row: RestrictionRow,
  decision: Decision,
  today: string,
  history: History,
): Promise<RestrictionView | null> => {
  switch (decision.layer) {
    case 'detail':
      return toDetail(row, today, history);
    case 'summary':
      return toSummary(row, today);
    case 'signal':
      return restrictionSignal(row, (await contactOf(tx, row.issuerAuthorityId)) ?? 'the issuing authority');
    case 'none':
      return null;
  }
};

export const getRestriction = async (tx: Db, actor: Actor, id: string): Promise<RestrictionView> => {
  const [row] = await tx.select().from(restrictions).where(eq(restrictions.id, id));
  if (!row) throw notFound(`restriction ${id}`);
  const decision = await decideRecord(tx, actor.authorityId, restrictionPolicyRecord(row), actor.now);
  const history = decision.layer === 'detail' ? ((await historyOf(tx, [id])).get(id) ?? []) : [];
  const result = await viewOf(tx, row, decision, londonDate(actor.now), history);
  if (!result) throw notFound(`restriction ${id}`);
  if (decision.layer === 'detail') {
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'restriction.read',
      recordType: 'restriction',
      recordIds: [id],
      provisionIds: await provisionIdsOf(tx, row),
      basis: decision.basis,
      details: { rule: decision.rule },
    });
  }
  return result;
};

export const restrictionLayerSql = (context: SqlPolicyContext, provisionNeedToKnow?: SQL) =>
  layerSql(context, {
    id: restrictions.id,
    publisherAuthorityId: restrictions.issuerAuthorityId,
    status: sql`'published'`,
    restricted: restrictions.restricted,
    provisionId: restrictions.provisionId,
    providerId: restrictions.providerId,
    ...(provisionNeedToKnow ? { provisionNeedToKnow } : {}),
  });

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

/** Maps listed rows to their views, collapsing signals and auditing any detail read. */
export const presentRestrictions = async (
  tx: Db,
  actor: Actor,
  rows: { restriction: RestrictionRow; layer: string }[],
): Promise<RestrictionView[]> => {
  const today = londonDate(actor.now);
  const detailRows = rows.filter((r) => r.layer === 'detail').map((r) => r.restriction);
  const histories = await historyOf(
    tx,
    detailRows.map((r) => r.id),
  );
  const items: RestrictionView[] = [];
  const signalled = new Set<string>();
  const readBases: Record<string, string> = {};
  for (const { restriction: r, layer } of rows) {
    if (layer === 'signal') {
      const key = `${r.issuerAuthorityId}:${r.provisionId ?? r.providerId}`;
      if (signalled.has(key)) continue;
      signalled.add(key);
      items.push(restrictionSignal(r, (await contactOf(tx, r.issuerAuthorityId)) ?? 'the issuing authority'));
    } else if (layer === 'detail') {
      items.push(toDetail(r, today, histories.get(r.id) ?? []));
    } else {
      items.push(toSummary(r, today));
    }
  }
  if (detailRows.length > 0) {
    // The basis of each detail read, from the facts at each record's scope.
    for (const r of detailRows) {
      const record = restrictionPolicyRecord(r);
      const world = await loadWorld(tx, actor.authorityId, record.scope, [r.id], actor.now);
      readBases[r.id] =
        decide(deriveRecordBases(world, actor.authorityId, record), record).basis ?? 'unknown';
    }
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'restriction.list',
      recordType: 'restriction',
      recordIds: rows.filter((r) => r.layer !== 'signal').map((r) => r.restriction.id),
      // Only what was read: a signal's provision is no read of a record there.
      provisionIds: [
        ...new Set(
          rows.flatMap((r) =>
            r.layer !== 'signal' && r.restriction.provisionId ? [r.restriction.provisionId] : [],
          ),
        ),
      ],
      basis: [...new Set(Object.values(readBases))].sort().join(','),
      details: { detail: readBases },
    });
  }
  return items;
};
