import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version } from './columns.js';
import { providers } from './providers.js';
import { provisions } from './provisions.js';

/** A restriction or embargo on one provision, or on a whole provider (and so every provision of it). */
export const restrictions = pgTable(
  'restrictions',
  {
    id: uuidPk(),
    provisionId: uuid('provision_id').references(() => provisions.id),
    providerId: uuid('provider_id').references(() => providers.id),
    kind: text('kind').notNull(),
    issuerAuthorityId: text('issuer_authority_id')
      .notNull()
      .references(() => authorities.id),
    source: text('source').notNull().default('member'),
    regulatorReference: text('regulator_reference'),
    partnershipWide: boolean('partnership_wide').notNull().default(false),
    restricted: boolean('restricted').notNull().default(false),
    reasons: jsonb('reasons').notNull().default([]),
    contractScope: text('contract_scope').notNull().default('all'),
    contractReference: text('contract_reference'),
    summary: text('summary').notNull().default(''),
    details: text('details').notNull().default(''),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    reviewOn: date('review_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    complianceDueOn: date('compliance_due_on', { mode: 'string' }),
    liftedOn: date('lifted_on', { mode: 'string' }),
    liftedReason: text('lifted_reason'),
    createdBy: text('created_by'),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('restrictions_provision_idx').on(t.provisionId, t.effectiveFrom),
    index('restrictions_provider_idx').on(t.providerId, t.effectiveFrom),
    index('restrictions_issuer_idx').on(t.issuerAuthorityId, t.kind),
    check('restrictions_target_check', sql`(${t.provisionId} is null) <> (${t.providerId} is null)`),
    check('restrictions_source_check', sql`${t.source} in ('member', 'regulator')`),
  ],
);

/** Every version of a restriction: what changed, why, and the restriction as it then stood. */
export const restrictionVersions = pgTable(
  'restriction_versions',
  {
    restrictionId: uuid('restriction_id')
      .notNull()
      .references(() => restrictions.id),
    version: integer('version').notNull(),
    change: text('change').notNull(),
    note: text('note'),
    snapshot: jsonb('snapshot').notNull(),
    byAuthorityId: text('by_authority_id').notNull(),
    byClientId: text('by_client_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.restrictionId, t.version] })],
);
