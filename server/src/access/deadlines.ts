// Who is told that a record's deadline has passed: its publisher, whose record it is, and the current
// lead of the setting (of every setting, for a record about a whole provider), whose monitoring it is —
// a lead only when the policy lets it read the record in detail, so that a restricted record's deadline
// reaches no one it was not shared with.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { allocations, provisions } from '../db/schema/index.js';
import { londonDate } from '../shared/dates.js';
import { currentLeadSql } from './allocations.js';
import { loadWorld } from './load.js';
import { checkRecord } from './policy.js';
import type { RecordRef } from './record-types.js';

/** The authorities a passed deadline of `record` is told to: the publisher first, then the leads. */
export const deadlineAudience = async (db: Db, record: RecordRef, now: Date): Promise<string[]> => {
  const provisionIds = record.provisionId
    ? [record.provisionId]
    : (
        await db
          .select({ id: provisions.id })
          .from(provisions)
          .where(eq(provisions.providerId, record.providerId!))
      ).map((p) => p.id);
  const leads =
    provisionIds.length === 0
      ? []
      : await db
          .selectDistinct({ authorityId: allocations.authorityId })
          .from(allocations)
          .where(and(inArray(allocations.provisionId, provisionIds), currentLeadSql(londonDate(now))));
  const audience = [record.publisherAuthorityId];
  for (const { authorityId } of leads) {
    if (audience.includes(authorityId)) continue;
    const world = await loadWorld(db, authorityId, record.scope, [record.id], now);
    if (checkRecord(world, authorityId, record).layer === 'detail') audience.push(authorityId);
  }
  return audience;
};
