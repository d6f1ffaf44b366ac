import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The first answer to each idempotent write, so a retry with the same key gets it again. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    authorityId: text('authority_id').notNull(),
    key: text('key').notNull(),
    procedure: text('procedure').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.key] })],
);
