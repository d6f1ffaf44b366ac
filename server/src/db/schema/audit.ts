import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Append-only audit log, one SHA-256 hash chain per authority. The database refuses updates and
 * deletes (trigger in the migration); `hash` covers every other column through canonical JSON.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    authorityId: text('authority_id').notNull(),
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    clientId: text('client_id'),
    /** The person who acted, when the call was made with a session (null for an API client). */
    personId: text('person_id'),
    action: text('action').notNull(),
    recordType: text('record_type'),
    recordIds: text('record_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    provisionIds: text('provision_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    basis: text('basis'),
    requestId: text('request_id'),
    details: jsonb('details').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_chain_key').on(t.authorityId, t.seq),
    index('audit_log_records_idx').using('gin', t.recordIds),
    index('audit_log_provisions_idx').using('gin', t.provisionIds),
  ],
);

/** The head of each authority's chain; locked while an entry is appended, so a chain never forks. */
export const auditHeads = pgTable('audit_heads', {
  authorityId: text('authority_id').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  /** The hash of the entry before the last: the last entry's previous-hash, set as the head advances. */
  prevHash: text('prev_hash'),
});
