import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version } from './columns.js';
import { provisions } from './provisions.js';

/** Authority A has N children at provision P from a date, until ended. Counts only. */
export const placements = pgTable(
  'placements',
  {
    id: uuidPk(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    provisionId: uuid('provision_id')
      .notNull()
      .references(() => provisions.id),
    children: integer('children').notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    createdBy: text('created_by'),
    ...version,
    ...timestamps,
  },
  (t) => [
    // One open declaration per authority and provision; a new one supersedes it.
    uniqueIndex('placements_one_open')
      .on(t.authorityId, t.provisionId)
      .where(sql`${t.endedOn} is null`),
    index('placements_provision_idx').on(t.provisionId, t.authorityId),
    index('placements_authority_idx').on(t.authorityId, t.fromDate),
    check('placements_children_check', sql`${t.children} > 0`),
    check('placements_dates_check', sql`${t.endedOn} is null or ${t.endedOn} >= ${t.fromDate}`),
  ],
);
