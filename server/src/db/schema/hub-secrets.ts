import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Secrets the hub keeps for itself, by name, made at first need and never shown or logged: every hub
 * process and restart reads the same one. `signal`: the key of the opaque signal ids (access/signals.ts).
 */
export const hubSecrets = pgTable('hub_secrets', {
  name: text('name').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
