import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Months between monitoring activities per provision type, set by the hub-admin (defaults apply where absent). */
export const monitoringFrequencies = pgTable('monitoring_frequencies', {
  provisionType: text('provision_type').primaryKey(),
  months: integer('months').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
