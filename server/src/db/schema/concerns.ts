import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version, versionEntry } from './columns.js';
import { provisions } from './provisions.js';

/**
 * A logged quality or safeguarding concern about a provision, at a level (minor, level-1, level-2); open
 * and substantiated ones of the last 12 months give its (and its provider's) risk rating.
 */
export const concerns = pgTable(
  'concerns',
  {
    id: uuidPk(),
    provisionId: uuid('provision_id')
      .notNull()
      .references(() => provisions.id),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    category: text('category').notNull(),
    level: text('level').notNull(),
    status: text('status').notNull().default('open'),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    summary: text('summary').notNull(),
    restricted: boolean('restricted').notNull().default(false),
    closedReason: text('closed_reason'),
    createdBy: text('created_by'),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('concerns_provision_idx').on(t.provisionId, t.occurredOn),
    check('concerns_level_check', sql`${t.level} in ('minor', 'level-1', 'level-2')`),
    check(
      'concerns_status_check',
      sql`${t.status} in ('open', 'substantiated', 'unsubstantiated', 'closed')`,
    ),
    check(
      'concerns_category_check',
      sql`${t.category} in ('safeguarding', 'quality', 'criminal-investigation', 'financial', 'regulator')`,
    ),
  ],
);

/** Every version of a concern: what changed, why, and the concern as it then stood. */
export const concernVersions = pgTable(
  'concern_versions',
  {
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id),
    ...versionEntry(),
  },
  (t) => [primaryKey({ columns: [t.concernId, t.version] })],
);
