// The issuer of a restriction records what ends its deadlines: the provider's compliance (or not) with
// a letter of concern, and a review (which sets the next review date). Each is a new version, kept.
import { eq, sql } from 'drizzle-orm';
import type { RestrictionView } from '@ccx/schema';
import { RESTRICTION } from '../../access/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { restrictions } from '../../db/schema/index.js';
import { AppError } from '../../shared/errors.js';
import { auditActor, type Actor } from '../actor.js';
import { londonDate } from '../../shared/dates.js';
import { historyOf, restrictionRecords, toDetail } from '../restrictions/restrictions.js';

type RestrictionRow = typeof restrictions.$inferSelect;

const lockForChange = (tx: Db, actor: Actor, id: string, version: number): Promise<RestrictionRow> =>
  restrictionRecords.lockForChange(tx, actor, id, version, {
    forbidden: 'only the issuing authority can record compliance or a review of a restriction',
    closed: (row) => (row.liftedOn !== null ? `restriction ${id} was lifted on ${row.liftedOn}` : null),
  });

/** A date the issuer records: today by default, never in the future nor before the restriction began. */
const recordedDate = (
  row: RestrictionRow,
  actor: Actor,
  given: string | undefined,
  field: string,
): string => {
  const today = londonDate(actor.now);
  const on = given ?? today;
  if (on > today) throw new AppError('VALIDATION', `${field} ${on} is in the future`);
  if (on < row.effectiveFrom)
    throw new AppError('VALIDATION', `${field} ${on} is before effectiveFrom ${row.effectiveFrom}`);
  return on;
};

const changed = async (
  tx: Db,
  actor: Actor,
  row: RestrictionRow,
  set: Partial<RestrictionRow>,
  change: string,
  note: string | null,
  details: Record<string, unknown>,
): Promise<RestrictionView> => {
  const [updated] = await tx
    .update(restrictions)
    .set({ ...set, version: sql`${restrictions.version} + 1`, updatedAt: sql`now()` })
    .where(eq(restrictions.id, row.id))
    .returning();
  await restrictionRecords.keepVersion(tx, actor, updated!, change, note);
  await restrictionRecords.emit(tx, 'restriction.updated', updated!, actor.now);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: `restriction.${change}`,
    recordType: 'restriction',
    recordIds: [row.id],
    provisionIds: await RESTRICTION.provisionIdsOf(tx, row),
    basis: 'publisher',
    details,
  });
  return restrictionRecords.named(
    tx,
    toDetail(updated!, londonDate(actor.now), (await historyOf(tx, [row.id])).get(row.id) ?? []),
  );
};

/** Records whether the provider complied with a letter of concern (or any restriction with a compliance date). */
export const recordCompliance = async (
  tx: Db,
  actor: Actor,
  input: {
    id: string;
    version: number;
    complied: boolean;
    recordedOn?: string | undefined;
    note?: string | undefined;
  },
): Promise<RestrictionView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  if (!row.complianceDueOn)
    throw new AppError(
      'VALIDATION',
      `restriction ${row.id} (${row.kind}) has no compliance period: set complianceDueOn first`,
    );
  const recordedOn = recordedDate(row, actor, input.recordedOn, 'recordedOn');
  if (row.complianceRecordedOn !== null && row.complied === input.complied)
    throw new AppError(
      'CONFLICT',
      `${input.complied ? 'compliance' : 'non-compliance'} was already recorded on ${row.complianceRecordedOn}`,
    );
  return changed(
    tx,
    actor,
    row,
    { complianceRecordedOn: recordedOn, complied: input.complied, complianceNote: input.note ?? null },
    'compliance-recorded',
    input.note ?? (input.complied ? 'the provider complied' : 'the provider did not comply'),
    { complied: input.complied, recordedOn, complianceDueOn: row.complianceDueOn },
  );
};

/** Records a review of a restriction and sets its next review date (null: no further review). */
export const recordReview = async (
  tx: Db,
  actor: Actor,
  input: {
    id: string;
    version: number;
    reviewedOn?: string | undefined;
    nextReviewOn: string | null;
    note?: string | undefined;
  },
): Promise<RestrictionView> => {
  const row = await lockForChange(tx, actor, input.id, input.version);
  const reviewedOn = recordedDate(row, actor, input.reviewedOn, 'reviewedOn');
  if (input.nextReviewOn !== null && input.nextReviewOn <= reviewedOn)
    throw new AppError(
      'VALIDATION',
      `nextReviewOn ${input.nextReviewOn} must be after the review (${reviewedOn})`,
    );
  return changed(
    tx,
    actor,
    row,
    { reviewedOn, reviewOn: input.nextReviewOn },
    'reviewed',
    input.note ?? null,
    { reviewedOn, previousReviewOn: row.reviewOn, nextReviewOn: input.nextReviewOn },
  );
};
