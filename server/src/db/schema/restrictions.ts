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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version, versionEntry } from './columns.js';
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
    /** Who lifted it: its issuer or, for a regulator notice, any authority that relayed it. */
    liftedByAuthorityId: text('lifted_by_authority_id').references(() => authorities.id),
    /** A causing-concern-level restriction: the Knowsley protocol level (1 or 2); null for other kinds. */
    concernLevel: integer('concern_level'),
    /** A letter of concern: the day its issuer recorded whether the provider complied, and whether it did. */
    complianceRecordedOn: date('compliance_recorded_on', { mode: 'string' }),
    complied: boolean('complied'),
    complianceNote: text('compliance_note'),
    /** The day its issuer last recorded a review (which set the next reviewOn). */
    reviewedOn: date('reviewed_on', { mode: 'string' }),
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
    // One record per regulator notice: a second relay of the same reference on the same target joins it.
    uniqueIndex('restrictions_regulator_notice_uq')
      .on(t.regulatorReference, sql`coalesce(${t.provisionId}, ${t.providerId})`)
      .where(sql`${t.source} = 'regulator' and ${t.liftedOn} is null`),
    check(
      'restrictions_concern_level_check',
      sql`(${t.kind} = 'causing-concern-level') = (${t.concernLevel} is not null) and (${t.concernLevel} is null or ${t.concernLevel} in (1, 2))`,
    ),
  ],
);

/** Every version of a restriction: what changed, why, and the restriction as it then stood. */
export const restrictionVersions = pgTable(
  'restriction_versions',
  {
    restrictionId: uuid('restriction_id')
      .notNull()
      .references(() => restrictions.id),
    ...versionEntry(),
  },
  (t) => [primaryKey({ columns: [t.restrictionId, t.version] })],
);
