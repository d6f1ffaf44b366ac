import { integer, pgTable, primaryKey, text, timestamp, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The shorter interval, in months, between monitoring activities of a provision type while a risk
 * trigger holds (an Ofsted grade of requires improvement or inadequate, a change of registered
 * manager), set by the hub-admin (defaults apply where absent).
 */
export const monitoringRiskFrequencies = pgTable(
  'monitoring_risk_frequencies',
  {
    provisionType: text('provision_type').notNull(),
    trigger: text('trigger').notNull(),
    months: integer('months').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provisionType, t.trigger] }),
    check(
      'monitoring_risk_frequencies_trigger_check',
      sql`${t.trigger} in ('grade-requires-improvement', 'grade-inadequate', 'manager-changed')`,
    ),
  ],
);
