import { boolean, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { uuidPk } from './columns.js';
import { provisions } from './provisions.js';

/** A logged quality or safeguarding concern about a provision; the last 12 months give its risk RAG. */
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
    severity: text('severity').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    summary: text('summary').notNull(),
    restricted: boolean('restricted').notNull().default(false),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('concerns_provision_idx').on(t.provisionId, t.occurredOn)],
);
