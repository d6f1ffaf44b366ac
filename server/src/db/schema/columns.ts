// Column sets shared by the directory's tables.
import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';

export const uuidPk = () => uuid('id').primaryKey().defaultRandom();

export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/** Optimistic-concurrency version: starts at 1, incremented by every update. */
export const version = { version: integer('version').notNull().default(1) };
