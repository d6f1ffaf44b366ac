import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { uuidPk } from './columns.js';

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The outbox: one row per change, written in the change's transaction. `seq` is given later by the
 * sequencer, in commit order, so a reader that has seen seq N never later finds an event below N.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }),
    txid: xid8('txid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Who may receive it: `record` (the access policy on the record), `members` (every active member), `authorities` (those listed). */
    audience: text('audience').notNull(),
    audienceAuthorityIds: text('audience_authority_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    recordType: text('record_type'),
    recordId: uuid('record_id'),
    publisherAuthorityId: text('publisher_authority_id'),
    recordStatus: text('record_status').notNull().default('published'),
    restricted: boolean('restricted').notNull().default(false),
    provisionId: uuid('provision_id'),
    providerId: uuid('provider_id'),
    summary: jsonb('summary').notNull().default({}),
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    uniqueIndex('events_seq_key').on(t.seq),
    index('events_unsequenced_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
  ],
);

/** An authority's webhook subscription. Secrets are kept to sign (HMAC needs them), never shown again. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuidPk(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    provisionIds: text('provision_ids').array(),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true, mode: 'date' }),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true, mode: 'date' }),
    status: text('status').notNull().default('active'),
    /** The last event seq fanned out to this webhook's deliveries. */
    cursor: bigint('cursor', { mode: 'number' }).notNull().default(0),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('webhooks_authority_idx').on(t.authorityId)],
);

/** One event to one webhook: attempted in seq order per webhook, retried with backoff, then dead. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuidPk(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    eventSeq: bigint('event_seq', { mode: 'number' }),
    eventType: text('event_type').notNull(),
    /** The body as first rendered, so every retry sends the same bytes and signature input. */
    body: text('body').notNull(),
    messageId: text('message_id').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    /** A worker that claimed the delivery holds it until then; if it dies, another takes it after. */
    leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.status, t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.eventSeq),
    uniqueIndex('webhook_deliveries_once').on(t.webhookId, t.eventSeq),
  ],
);

/** Markers so a background job emits each time-based event once (restriction expiry, overdue monitoring). */
export const jobMarks = pgTable(
  'job_marks',
  {
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('job_marks_key').on(t.kind, t.key)],
);
