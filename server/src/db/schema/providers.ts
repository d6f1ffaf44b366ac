import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { timestamps, uuidPk, version } from './columns.js';

export const providers = pgTable(
  'providers',
  {
    id: uuidPk(),
    name: text('name').notNull(),
    companyNumber: text('company_number'),
    /** `merged` once merged into another provider (merged_into_id): everything of it moved there. */
    status: text('status').notNull().default('active'),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => providers.id),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('providers_name_idx').on(t.name, t.id),
    // Name fragments (search's `name ILIKE '%…%'`), where pg_trgm could be created: the migration
    // leaves it out otherwise (docs/operations.md).
    index('providers_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    uniqueIndex('providers_company_number_key').on(t.companyNumber),
    check(
      'providers_merged_check',
      sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null) and ${t.status} in ('active', 'merged')`,
    ),
  ],
);
