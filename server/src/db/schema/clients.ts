import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';

export const clients = pgTable(
  'clients',
  {
    id: text('id').primaryKey(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** SHA-256 of the secret: secrets are 256 random bits, so a fast hash resists brute force. */
    secretHash: text('secret_hash').notNull(),
    status: text('status').notNull().default('active'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('clients_authority_idx').on(t.authorityId, t.createdAt),
    check('clients_role_check', sql`${t.role} in ('viewer', 'officer', 'admin', 'hub-admin')`),
    check('clients_status_check', sql`${t.status} in ('active', 'revoked')`),
  ],
);
