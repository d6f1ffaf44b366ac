import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, uuidPk, version } from './columns.js';

export const providers = pgTable(
  'providers',
  {
    id: uuidPk(),
    name: text('name').notNull(),
    companyNumber: text('company_number'),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('providers_name_idx').on(t.name, t.id),
    uniqueIndex('providers_company_number_key').on(t.companyNumber),
  ],
);
