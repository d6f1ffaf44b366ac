// Corrections of the directory: a member that is not a setting's host (nor the hub-admin) proposes a
// change of its regulator facts, name or postcode (or of a provider's name or Companies House number),
// with its reason and evidence. The host authority or the hub-admin accepts it — the change is applied
// through the same domain function as their own edit, version-checked — or declines it with a note.
// Both decisions are audited, and the proposer and the host hear of each proposal and decision.
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Correction, Page, ProviderChanges, ProvisionChanges } from '@ccx/schema';
import {
  mayChangeProviderFacts,
  mayChangeProvisionFacts,
  mayProposeCorrection,
  type DirectoryEditor,
} from '../../access/directory.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { nameAll, nameOne } from '../../db/names.js';
import { directoryCorrections, provisions } from '../../db/schema/index.js';
import { emitEvent } from '../../events/emit.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { staleVersion } from '../authorities/authorities.js';
import { encodeKeys, iso, isoOrNull, toPage } from '../pagination.js';
import { changeProviderFacts, getProvider, providerHostAuthorityIds } from './providers.js';
import { assertNotMerged, changedBy, changeRegulatorFacts, getProvision } from './provisions.js';

type CorrectionRow = typeof directoryCorrections.$inferSelect;

const toCorrection = (r: CorrectionRow): Correction => ({
  id: r.id,
  provisionId: r.provisionId,
  providerId: r.providerId,
  changes: r.changes,
  was: r.was,
  reason: r.reason,
  proposerAuthorityId: r.proposerAuthorityId,
  proposedBy: r.proposedBy,
  status: r.status as Correction['status'],
  decidedByAuthorityId: r.decidedByAuthorityId,
  decidedBy: r.decidedBy,
  decidedAt: isoOrNull(r.decidedAt),
  decisionNote: r.decisionNote,
  version: r.version,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const editorOf = (actor: Actor): DirectoryEditor => ({ authorityId: actor.authorityId, role: actor.role });

/** Only the fields given, with undefined dropped: what the correction proposes. */
const given = (changes: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));

/** Whom a correction concerns: the proposer and the entry's host authorities (who decide it with the hub-admin). */
const hostsOf = async (db: Db, c: { provisionId: string | null; providerId: string | null }) => {
  if (c.provisionId) return [(await getProvision(db, c.provisionId)).hostAuthorityId];
  return providerHostAuthorityIds(db, c.providerId!);
};

const correctionEvent = async (
  db: Db,
  actor: Actor,
  type: 'directory.correction-proposed' | 'directory.correction-decided',
  c: Correction,
) => {
  const hosts = await hostsOf(db, c);
  await emitEvent(db, {
    type,
    at: actor.now,
    audience: 'authorities',
    authorityIds: [...new Set([c.proposerAuthorityId, ...hosts, actor.authorityId])],
    provisionId: c.provisionId,
    providerId: c.providerId,
    summary: {
      correctionId: c.id,
      provisionId: c.provisionId,
      providerId: c.providerId,
      status: c.status,
      changes: c.changes,
      was: c.was,
      reason: c.reason,
      proposerAuthorityId: c.proposerAuthorityId,
      decisionNote: c.decisionNote,
      by: changedBy(actor),
    },
  });
};

const propose = async (
  db: Db,
  actor: Actor,
  subject: { provisionId: string } | { providerId: string },
  changes: Record<string, unknown>,
  was: Record<string, unknown>,
  reason: string,
): Promise<Correction> => {
  const right = mayProposeCorrection(editorOf(actor));
  if (!right.allowed) throw new AppError('FORBIDDEN', right.reason);
  const proposed = given(changes);
  const differing = Object.keys(proposed).filter((k) => proposed[k] !== was[k]);
  if (differing.length === 0)
    throw new AppError(
      'VALIDATION',
      'the entry already has every value proposed: there is nothing to correct',
    );
  const [row] = await db
    .insert(directoryCorrections)
    .values({
      provisionId: 'provisionId' in subject ? subject.provisionId : null,
      providerId: 'providerId' in subject ? subject.providerId : null,
      changes: proposed,
      was: Object.fromEntries(Object.keys(proposed).map((k) => [k, was[k] ?? null])),
      reason,
      proposerAuthorityId: actor.authorityId,
      proposedBy: actedBy(actor),
      // The hub clock's instant (to the millisecond, as the list's cursor carries it).
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    .returning();
  const c = toCorrection(row!);
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'directory.correction.propose',
    recordType: 'directory-correction',
    recordIds: [c.id],
    provisionIds: c.provisionId ? [c.provisionId] : [],
    basis: right.as,
    details: { ...subject, changes: c.changes, reason },
  });
  await correctionEvent(db, actor, 'directory.correction-proposed', c);
  return nameOne(db, c);
};

/** Any member's officer proposes a correction of a setting's facts. */
export const proposeProvisionCorrection = async (
  db: Db,
  actor: Actor,
  input: { provisionId: string; changes: ProvisionChanges; reason: string },
): Promise<Correction> => {
  const p = await getProvision(db, input.provisionId);
  assertNotMerged(p, 'provision');
  return propose(db, actor, { provisionId: p.id }, input.changes, p, input.reason);
};

/** Any member's officer proposes a correction of a provider's name or Companies House number. */
export const proposeProviderCorrection = async (
  db: Db,
  actor: Actor,
  input: { providerId: string; changes: ProviderChanges; reason: string },
): Promise<Correction> => {
  const p = await getProvider(db, input.providerId);
  assertNotMerged(p, 'provider');
  return propose(db, actor, { providerId: p.id }, input.changes, p, input.reason);
};

const loadCorrection = async (db: Db, id: string): Promise<CorrectionRow> => {
  const [row] = await db.select().from(directoryCorrections).where(eq(directoryCorrections.id, id));
  if (!row) throw notFound(`correction ${id}`);
  return row;
};

/** The decider's right: the host (or a provider's settings' host) or the hub-admin, by the one policy. */
const decisionRight = async (db: Db, actor: Actor, row: CorrectionRow) => {
  if (row.provisionId) {
    const p = await getProvision(db, row.provisionId);
    return mayChangeProvisionFacts(editorOf(actor), p);
  }
  return mayChangeProviderFacts(editorOf(actor), {
    hostAuthorityIds: await providerHostAuthorityIds(db, row.providerId!),
  });
};

/**
 * Who may read a correction: its proposer, whoever may decide it, and the hub-admin — and every role of
 * the host authority, which lists it (corrections.list) and is sent its events, even a viewer that may
 * not decide it.
 */
export const getCorrection = async (db: Db, actor: Actor, id: string): Promise<Correction> => {
  const row = await loadCorrection(db, id);
  const reads =
    row.proposerAuthorityId === actor.authorityId ||
    (await hostsOf(db, row)).includes(actor.authorityId) ||
    (await decisionRight(db, actor, row)).allowed;
  if (!reads) throw notFound(`correction ${id}`);
  return nameOne(db, toCorrection(row));
};

const decide = async (
  db: Db,
  actor: Actor,
  input: { id: string; version: number; note?: string | undefined },
  outcome: 'accepted' | 'declined',
): Promise<Correction> => {
  const row = await loadCorrection(db, input.id);
  const right = await decisionRight(db, actor, row);
  if (!right.allowed) {
    // A proposer may read its own correction, so it is told why it may not decide it; others learn nothing.
    if (row.proposerAuthorityId !== actor.authorityId) throw notFound(`correction ${input.id}`);
    throw new AppError(
      'FORBIDDEN',
      "only the setting's host authority or the hub-admin can decide a correction",
    );
  }
  if (row.status !== 'proposed')
    throw new AppError('CONFLICT', `correction ${row.id} was already ${row.status}`);
  if (row.version !== input.version) throw staleVersion(`correction ${row.id}`, input.version, row.version);
  const via = { correctionId: row.id, proposerAuthorityId: row.proposerAuthorityId };
  if (outcome === 'accepted') {
    // Applied as the decider's own edit, through the same function, against the entry's current version.
    if (row.provisionId) {
      const p = await getProvision(db, row.provisionId);
      await changeRegulatorFacts(db, actor, { id: p.id, version: p.version, changes: row.changes }, via);
    } else {
      const p = await getProvider(db, row.providerId!);
      await changeProviderFacts(db, actor, { id: p.id, version: p.version, changes: row.changes }, via);
    }
  }
  const [updated] = await db
    .update(directoryCorrections)
    .set({
      status: outcome,
      decidedByAuthorityId: actor.authorityId,
      decidedBy: actedBy(actor),
      decidedAt: actor.now,
      decisionNote: input.note ?? null,
      version: sql`${directoryCorrections.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(directoryCorrections.id, row.id),
        eq(directoryCorrections.version, input.version),
        eq(directoryCorrections.status, 'proposed'),
      ),
    )
    .returning();
  if (!updated) throw staleVersion(`correction ${row.id}`, input.version, row.version);
  const c = toCorrection(updated);
  await appendAudit(db, {
    ...auditActor(actor),
    action: outcome === 'accepted' ? 'directory.correction.accept' : 'directory.correction.decline',
    recordType: 'directory-correction',
    recordIds: [c.id],
    provisionIds: c.provisionId ? [c.provisionId] : [],
    basis: right.as,
    details: { changes: c.changes, note: c.decisionNote, proposerAuthorityId: c.proposerAuthorityId },
  });
  await correctionEvent(db, actor, 'directory.correction-decided', c);
  return nameOne(db, c);
};

export const acceptCorrection = (
  db: Db,
  actor: Actor,
  input: { id: string; version: number; note?: string | undefined },
) => decide(db, actor, input, 'accepted');

export const declineCorrection = (
  db: Db,
  actor: Actor,
  input: { id: string; version: number; note: string },
) => decide(db, actor, input, 'declined');

/**
 * Corrections awaiting my decision (proposed ones of settings my authority hosts, or of providers with
 * a setting it hosts; every one for the hub-admin), or those my authority proposed. Newest first.
 */
export const listCorrections = async (
  db: Db,
  actor: Actor,
  input: {
    view: 'awaiting-my-decision' | 'proposed-by-me';
    status?: Correction['status'] | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<Page<Correction>> => {
  let scope: SQL | undefined;
  if (input.view === 'proposed-by-me') {
    scope = eq(directoryCorrections.proposerAuthorityId, actor.authorityId);
  } else if (actor.role !== 'hub-admin') {
    const hosted = db
      .select({ id: provisions.id })
      .from(provisions)
      .where(eq(provisions.hostAuthorityId, actor.authorityId));
    const hostedProviders = db
      .select({ id: provisions.providerId })
      .from(provisions)
      .where(and(eq(provisions.hostAuthorityId, actor.authorityId), eq(provisions.status, 'active')));
    scope = or(
      inArray(directoryCorrections.provisionId, hosted),
      inArray(directoryCorrections.providerId, hostedProviders),
    );
  }
  const status = input.status ?? (input.view === 'awaiting-my-decision' ? 'proposed' : undefined);
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await db
    .select()
    .from(directoryCorrections)
    .where(
      and(
        scope,
        status ? eq(directoryCorrections.status, status) : undefined,
        cursor
          ? or(
              lt(directoryCorrections.createdAt, cursor.at),
              and(eq(directoryCorrections.createdAt, cursor.at), lt(directoryCorrections.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(directoryCorrections.createdAt), desc(directoryCorrections.id))
    .limit(input.limit + 1);
  const page = toPage(rows.map(toCorrection), input.limit, (c) => encodeKeys([c.createdAt, c.id]));
  return { ...page, items: await nameAll(db, page.items) };
};

const decodeCursor = (cursor: string): { at: Date; id: string } => {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad');
    return { at: date, id };
  } catch {
    throw new AppError('VALIDATION', 'cursor is not one this list gave');
  }
};
