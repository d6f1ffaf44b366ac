import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { restrictions } from './restrictions.js';

/**
 * The authorities that relayed a regulator notice: one record per notice, every member that relayed it
 * listed here (its first relayer too), each of whom may lift it when the regulator does.
 */
export const restrictionRelays = pgTable(
  'restriction_relays',
  {
    restrictionId: uuid('restriction_id')
      .notNull()
      .references(() => restrictions.id),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The API client or person that relayed it. */
    by: text('by'),
  },
  (t) => [
    primaryKey({ columns: [t.restrictionId, t.authorityId] }),
    index('restriction_relays_authority_idx').on(t.authorityId),
  ],
);
