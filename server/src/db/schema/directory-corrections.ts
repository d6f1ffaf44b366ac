import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';
import { timestamps, uuidPk, version } from './columns.js';
import { providers } from './providers.js';
import { provisions } from './provisions.js';

/**
 * A member's proposed correction of a directory entry (a setting or a provider): the host authority or
 * the hub-admin accepts it (the change is applied as their own edit would be) or declines it with a note.
 */
export const directoryCorrections = pgTable(
  'directory_corrections',
  {
    id: uuidPk(),
    provisionId: uuid('provision_id').references(() => provisions.id),
    providerId: uuid('provider_id').references(() => providers.id),
    /** The proposed values, by field, as the update of the entry takes them. */
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull(),
    /** The entry's values of those fields when proposed. */
    was: jsonb('was').$type<Record<string, unknown>>().notNull(),
    reason: text('reason').notNull(),
    proposerAuthorityId: text('proposer_authority_id')
      .notNull()
      .references(() => authorities.id),
    /** The person or API client that proposed it. */
    proposedBy: text('proposed_by').notNull(),
    status: text('status').notNull().default('proposed'),
    decidedByAuthorityId: text('decided_by_authority_id').references(() => authorities.id),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionNote: text('decision_note'),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('directory_corrections_provision_idx').on(t.provisionId, t.status),
    index('directory_corrections_provider_idx').on(t.providerId, t.status),
    index('directory_corrections_proposer_idx').on(t.proposerAuthorityId, t.createdAt),
    check(
      'directory_corrections_subject_check',
      sql`(${t.provisionId} is null) <> (${t.providerId} is null)`,
    ),
    check('directory_corrections_status_check', sql`${t.status} in ('proposed', 'accepted', 'declined')`),
    check('directory_corrections_decision_check', sql`(${t.status} = 'proposed') = (${t.decidedAt} is null)`),
  ],
);
