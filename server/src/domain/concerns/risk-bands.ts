// The risk rating's bands, set by the hub-admin (Medway, figure 6 by default: 1–4 low, 5–10 medium,
// 11 and over high).
import { eq } from 'drizzle-orm';
import { DEFAULT_RISK_BANDS, type RiskBands } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { riskBands } from '../../db/schema/index.js';
import { AppError } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { iso } from '../pagination.js';

const ROW = 'partnership';

export type RiskBandsView = RiskBands & { isDefault: boolean; updatedAt: string | null };

export const riskBandsView = async (db: Db): Promise<RiskBandsView> => {
  const [row] = await db.select().from(riskBands).where(eq(riskBands.id, ROW));
  return row
    ? { mediumFrom: row.mediumFrom, highFrom: row.highFrom, isDefault: false, updatedAt: iso(row.updatedAt) }
    : { ...DEFAULT_RISK_BANDS, isDefault: true, updatedAt: null };
};

/** The bands in force: the hub-admin's, or the defaults. */
export const riskBandsOf = async (db: Db): Promise<RiskBands> => {
  const { mediumFrom, highFrom } = await riskBandsView(db);
  return { mediumFrom, highFrom };
};

export const setRiskBands = async (tx: Db, actor: Actor, input: RiskBands): Promise<RiskBandsView> => {
  if (input.highFrom <= input.mediumFrom)
    throw new AppError(
      'VALIDATION',
      `highFrom (${input.highFrom}) must be more than mediumFrom (${input.mediumFrom})`,
    );
  const values = {
    mediumFrom: input.mediumFrom,
    highFrom: input.highFrom,
    updatedBy: actedBy(actor),
    updatedAt: actor.now,
  };
  await tx
    .insert(riskBands)
    .values({ id: ROW, ...values })
    .onConflictDoUpdate({ target: riskBands.id, set: values });
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'concern.risk-bands',
    recordType: 'risk-bands',
    recordIds: [ROW],
    basis: actor.role,
    details: { mediumFrom: input.mediumFrom, highFrom: input.highFrom },
  });
  return riskBandsView(tx);
};
