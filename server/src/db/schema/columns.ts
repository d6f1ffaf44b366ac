// Column sets shared by the directory's tables.
import { integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const uuidPk = () => uuid('id').primaryKey().defaultRandom();

export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** Optimistic-concurrency version: starts at 1, incremented by every update. */
export const version = { version: integer('version').notNull().default(1) };

/**
 * A kept version of a record (outcome_versions, restriction_versions, concern_versions): its number,
 * what changed and why, the record as it then stood, and who changed it when. Beside the record's id.
 */
export const versionEntry = () => ({
  version: integer('version').notNull(),
  change: text('change').notNull(),
  note: text('note'),
  snapshot: jsonb('snapshot').notNull(),
  byAuthorityId: text('by_authority_id').notNull(),
  byClientId: text('by_client_id'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
