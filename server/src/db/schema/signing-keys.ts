import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The hub's token-signing keys. One is active (signs); retired keys still verify until the
 * tokens they signed have expired, then drop out of the JWKS.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    alg: text('alg').notNull(),
    status: text('status').notNull().default('active'),
    publicJwk: jsonb('public_jwk').notNull(),
    privateJwk: jsonb('private_jwk').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // Exactly one key signs at a time, even when several hub processes start together.
    uniqueIndex('signing_keys_one_active')
      .on(t.status)
      .where(sql`${t.status} = 'active'`),
    check('signing_keys_status_check', sql`${t.status} in ('active', 'retired')`),
  ],
);
