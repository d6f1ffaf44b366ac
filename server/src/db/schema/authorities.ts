import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, version } from './columns.js';

export const authorities = pgTable(
  'authorities',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    gssCode: text('gss_code'),
    region: text('region').notNull(),
    status: text('status').notNull().default('active'),
    qaInbox: text('qa_inbox').notNull(),
    isHost: boolean('is_host').notNull().default(false),
    ...version,
    ...timestamps,
  },
  (t) => [
    uniqueIndex('authorities_gss_code_key').on(t.gssCode),
    // At most one host authority: the partnership has one operator.
    uniqueIndex('authorities_one_host')
      .on(t.isHost)
      .where(sql`${t.isHost}`),
    check('authorities_status_check', sql`${t.status} in ('active', 'suspended', 'left')`),
  ],
);
