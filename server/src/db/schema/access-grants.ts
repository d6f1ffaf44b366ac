import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { uuidPk } from './columns.js';
import { provisions } from './provisions.js';

/**
 * Explicit access: a `share` of one record with one authority, or a time-limited `prospective`
 * (pre-placement) grant of one provision.
 */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuidPk(),
    kind: text('kind').notNull(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    /** The provision the grant is for; null for a share of a record about a whole provider. */
    provisionId: uuid('provision_id').references(() => provisions.id),
    recordType: text('record_type'),
    recordId: uuid('record_id'),
    grantedByAuthorityId: text('granted_by_authority_id')
      .notNull()
      .references(() => authorities.id),
    grantedByClientId: text('granted_by_client_id'),
    reason: text('reason'),
    caseReference: text('case_reference'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('access_grants_record_idx').on(t.recordId, t.authorityId),
    index('access_grants_provision_idx').on(t.provisionId, t.kind, t.authorityId),
    index('access_grants_authority_idx').on(t.authorityId, t.kind),
    check('access_grants_kind_check', sql`${t.kind} in ('share', 'prospective')`),
    check(
      'access_grants_shape_check',
      sql`(${t.kind} = 'share' and ${t.recordId} is not null) or (${t.kind} = 'prospective' and ${t.recordId} is null and ${t.provisionId} is not null and ${t.expiresAt} is not null)`,
    ),
  ],
);
