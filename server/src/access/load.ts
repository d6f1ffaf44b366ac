// Loads, for one authority and one provision (or provider), exactly the facts the policy needs.
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { accessGrants, allocations, authorities, placements, provisions } from '../db/schema/index.js';
import { londonDate } from '../shared/dates.js';
import { currentLeadSql } from './allocations.js';
import type { RecordScope, World } from './policy.js';

export const loadWorld = async (
  db: Db,
  authorityId: string,
  scope: RecordScope,
  recordIds: string[],
  now: Date,
): Promise<World> => {
  const provisionRows = await db
    .select({
      id: provisions.id,
      providerId: provisions.providerId,
      hostAuthorityId: provisions.hostAuthorityId,
    })
    .from(provisions)
    .where(
      'provisionId' in scope
        ? eq(provisions.id, scope.provisionId)
        : eq(provisions.providerId, scope.providerId),
    );
  const ids = provisionRows.map((p) => p.id);
  const [authorityRows, placementRows, allocationRows, grantRows] = await Promise.all([
    db
      .select({ id: authorities.id, status: authorities.status, qaInbox: authorities.qaInbox })
      .from(authorities)
      .where(eq(authorities.id, authorityId)),
    ids.length === 0
      ? []
      : db
          .select({
            authorityId: placements.authorityId,
            provisionId: placements.provisionId,
            children: placements.children,
            fromDate: placements.fromDate,
            endedOn: placements.endedOn,
          })
          .from(placements)
          .where(and(eq(placements.authorityId, authorityId), inArray(placements.provisionId, ids))),
    ids.length === 0
      ? []
      : db
          .select({
            authorityId: allocations.authorityId,
            provisionId: allocations.provisionId,
            role: allocations.role,
            startsOn: allocations.startsOn,
            endsOn: allocations.endsOn,
            endedAt: allocations.endedAt,
          })
          .from(allocations)
          .where(
            and(
              eq(allocations.authorityId, authorityId),
              inArray(allocations.provisionId, ids),
              // Only the current lead counts (policy.ts decides with the same predicate).
              currentLeadSql(londonDate(now)),
            ),
          ),
    db
      .select({
        id: accessGrants.id,
        kind: accessGrants.kind,
        authorityId: accessGrants.authorityId,
        provisionId: accessGrants.provisionId,
        recordId: accessGrants.recordId,
        expiresAt: accessGrants.expiresAt,
        revokedAt: accessGrants.revokedAt,
      })
      .from(accessGrants)
      .where(
        and(
          eq(accessGrants.authorityId, authorityId),
          or(
            ids.length
              ? and(eq(accessGrants.kind, 'prospective'), inArray(accessGrants.provisionId, ids))
              : undefined,
            recordIds.length
              ? and(eq(accessGrants.kind, 'share'), inArray(accessGrants.recordId, recordIds))
              : undefined,
          ),
        ),
      ),
  ]);
  return {
    now,
    authorities: authorityRows,
    provisions: provisionRows,
    placements: placementRows,
    allocations: allocationRows,
    grants: grantRows.map((g) => ({ ...g, kind: g.kind as 'share' | 'prospective' })),
  };
};
