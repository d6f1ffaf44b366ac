import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { uuidPk } from './columns.js';
import { provisions } from './provisions.js';

/** Provision P is monitored by authority A for a period. `ended_at` null marks the current one. */
export const allocations = pgTable(
  'allocations',
  {
    id: uuidPk(),
    provisionId: uuid('provision_id')
      .notNull()
      .references(() => provisions.id),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    role: text('role').notNull().default('quality'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    rationale: text('rationale').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    endedReason: text('ended_reason'),
  },
  (t) => [
    uniqueIndex('allocations_one_current')
      .on(t.provisionId, t.role)
      .where(sql`${t.endedAt} is null`),
    index('allocations_authority_idx').on(t.authorityId, t.provisionId),
    check('allocations_role_check', sql`${t.role} in ('quality', 'fees')`),
  ],
);
