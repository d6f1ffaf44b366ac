import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version } from './columns.js';
import { providers } from './providers.js';

export const provisions = pgTable(
  'provisions',
  {
    id: uuidPk(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    name: text('name').notNull(),
    /** Ofsted URN, unique where present (unregulated settings have none). */
    urn: text('urn'),
    type: text('type').notNull(),
    hostAuthorityId: text('host_authority_id')
      .notNull()
      .references(() => authorities.id),
    registrationStatus: text('registration_status').notNull().default('registered'),
    ofstedGrade: text('ofsted_grade').notNull().default('not-yet-inspected'),
    ofstedGradeDate: date('ofsted_grade_date', { mode: 'string' }),
    /** When the registered manager last changed: monitoring is more frequent for a while after. */
    registeredManagerChangedOn: date('registered_manager_changed_on', { mode: 'string' }),
    postcode: text('postcode'),
    /** `merged` once merged into another setting (merged_into_id): everything of it moved there. */
    status: text('status').notNull().default('active'),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => provisions.id),
    ...version,
    ...timestamps,
  },
  (t) => [
    uniqueIndex('provisions_urn_key').on(t.urn),
    index('provisions_name_idx').on(t.name, t.id),
    // Name fragments (search's `name ILIKE '%…%'`), where pg_trgm could be created: the migration
    // leaves it out otherwise (docs/operations.md).
    index('provisions_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('provisions_provider_idx').on(t.providerId, t.name, t.id),
    index('provisions_host_idx').on(t.hostAuthorityId, t.name, t.id),
    index('provisions_type_idx').on(t.type, t.name, t.id),
    check(
      'provisions_merged_check',
      sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null) and ${t.status} in ('active', 'merged')`,
    ),
    check(
      'provisions_grade_check',
      sql`${t.ofstedGrade} in ('outstanding', 'good', 'requires-improvement', 'inadequate', 'not-yet-inspected')`,
    ),
  ],
);
