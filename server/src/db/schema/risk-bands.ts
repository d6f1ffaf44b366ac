import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The risk rating's bands, set by the hub-admin: one row at most (`id` 'partnership'); where absent
 * the defaults apply (Medway, figure 6: 1–4 low, 5–10 medium, 11 and over high).
 */
export const riskBands = pgTable(
  'risk_bands',
  {
    id: text('id').primaryKey().default('partnership'),
    mediumFrom: integer('medium_from').notNull(),
    highFrom: integer('high_from').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('risk_bands_one_row', sql`${t.id} = 'partnership'`),
    check('risk_bands_order', sql`${t.mediumFrom} >= 2 and ${t.highFrom} > ${t.mediumFrom}`),
  ],
);
