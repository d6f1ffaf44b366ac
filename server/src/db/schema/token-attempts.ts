import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Attempts at the token endpoint per presented client id (known or not, so a lock says nothing about
 * whether the id exists). Kept in the database so every hub process shares one count.
 */
export const tokenAttempts = pgTable('token_attempts', {
  clientKey: text('client_key').primaryKey(),
  /** Attempts since window_started_at that did not succeed (an attempt counts as it starts). */
  failures: integer('failures').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true, mode: 'date' }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
});
