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
import { timestamps, uuidPk, version, versionEntry } from './columns.js';
import { provisions } from './provisions.js';

/** A monitoring outcome; the row holds the current version. */
export const outcomes = pgTable(
  'outcomes',
  {
    id: uuidPk(),
    provisionId: uuid('provision_id')
      .notNull()
      .references(() => provisions.id),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    status: text('status').notNull().default('draft'),
    restricted: boolean('restricted').notNull().default(false),
    byLead: boolean('by_lead').notNull().default(false),
    activityType: text('activity_type').notNull(),
    activityDate: date('activity_date', { mode: 'string' }).notNull(),
    announced: boolean('announced').notNull().default(true),
    overallRating: integer('overall_rating').notNull(),
    sectionJudgements: jsonb('section_judgements').notNull().default([]),
    summary: text('summary').notNull(),
    findings: text('findings').notNull().default(''),
    actionItems: jsonb('action_items').notNull().default([]),
    nextDueOn: date('next_due_on', { mode: 'string' }),
    createdBy: text('created_by'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    amendedAt: timestamp('amended_at', { withTimezone: true, mode: 'date' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawnReason: text('withdrawn_reason'),
    ...version,
    ...timestamps,
  },
  (t) => [
    index('outcomes_provision_idx').on(t.provisionId, t.activityDate, t.id),
    // The latest published outcome of a provision, found by one probe (the placement check, the schedule).
    index('outcomes_latest_idx')
      .on(t.provisionId, t.activityDate.desc().nullsFirst(), t.publishedAt.desc().nullsFirst())
      .where(sql`${t.status} in ('published', 'amended')`),
    // The latest outcome that counts as monitoring (a quality-monitoring activity published by the lead;
    // the monitoring domain's countsAsMonitoringSql): one probe per provision (check, schedule, report).
    // The activity types must stay those of MONITORING_ACTIVITY_TYPES (@ccx/schema).
    index('outcomes_monitoring_idx')
      .on(t.provisionId, t.activityDate.desc().nullsFirst(), t.publishedAt.desc().nullsFirst())
      .where(
        sql`${t.status} in ('published', 'amended') and ${t.byLead} and ${t.activityType} in ('full-qa-visit', 'monitoring-visit', 'unannounced-visit', 'property-only-visit', 'desk-review', 'compliance-review')`,
      ),
    index('outcomes_authority_idx').on(t.authorityId, t.status),
    check('outcomes_status_check', sql`${t.status} in ('draft', 'published', 'amended', 'withdrawn')`),
    check('outcomes_rating_check', sql`${t.overallRating} between 1 and 5`),
  ],
);

/** Every published version of an outcome, kept: what changed, why, and the content as it then stood. */
export const outcomeVersions = pgTable(
  'outcome_versions',
  {
    outcomeId: uuid('outcome_id')
      .notNull()
      .references(() => outcomes.id),
    ...versionEntry(),
  },
  (t) => [primaryKey({ columns: [t.outcomeId, t.version] })],
);
