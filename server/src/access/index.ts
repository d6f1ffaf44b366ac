// The one access-policy module. Every read path asks it: get and explain through decideRecord /
// explainAccess (in-memory face over loaded facts), lists and searches through layerSql (SQL face).
import { eq } from 'drizzle-orm';
import type { ExplainInput, Explanation } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { authorities, provisions } from '../db/schema/index.js';
import { notFound } from '../shared/errors.js';
import { loadWorld } from './load.js';
import {
  checkRecord,
  decide,
  deriveBases,
  RULE_REASONS,
  whatWouldGrant,
  type Decision,
  type PolicyRecord,
} from './policy.js';

export * from './policy.js';
export * from './allocations.js';
export * from './placing.js';
export * from './directory.js';
export {
  layerSql,
  needToKnowSql,
  needToKnowProviderSql,
  policyValues,
  PREPARED_POLICY,
  watchedProspectiveGrantSql,
  type SqlPolicyContext,
} from './sql.js';
export { loadWorld } from './load.js';
export { deadlineAudience } from './deadlines.js';
export * from './record-types.js';
export * from './signals.js';
import { policyRecordFor } from './record-types.js';

/** The caller's layer for one record, from the database's facts. */
export const decideRecord = async (
  db: Db,
  authorityId: string,
  record: PolicyRecord,
  now: Date,
): Promise<Decision> => {
  const world = await loadWorld(db, authorityId, record.scope, [record.id], now);
  return checkRecord(world, authorityId, record);
};

/** The caller's provision-level bases (lead, host, placing, prospective, member). */
export const provisionBases = async (db: Db, authorityId: string, provisionId: string, now: Date) => {
  const world = await loadWorld(db, authorityId, { provisionId }, [], now);
  return deriveBases(world, authorityId, { provisionId });
};

const contactOf = async (db: Db, authorityId: string): Promise<string | undefined> => {
  const [a] = await db
    .select({ qaInbox: authorities.qaInbox })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  return a?.qaInbox;
};

/** access.explain: the bases found, the layer granted, the deciding rule, and what would grant more. */
export const explainAccess = async (
  db: Db,
  authorityId: string,
  input: ExplainInput,
  now: Date,
): Promise<Explanation> => {
  if ('provisionId' in input) {
    const [p] = await db
      .select({ id: provisions.id })
      .from(provisions)
      .where(eq(provisions.id, input.provisionId));
    if (!p) throw notFound(`provision ${input.provisionId}`);
    const bases = await provisionBases(db, authorityId, input.provisionId, now);
    // For a provision, the question is what a published, unrestricted record there would show.
    const decision = decide(bases, { status: 'published', restricted: false });
    return {
      authorityId,
      provisionId: input.provisionId,
      providerId: null,
      record: null,
      bases,
      layer: decision.layer,
      rule: decision.rule,
      reason: RULE_REASONS[decision.rule],
      wouldGrant: whatWouldGrant(decision, null),
    };
  }
  const record = await policyRecordFor(db, input.recordType, input.recordId);
  if (!record) throw notFound(`${input.recordType} ${input.recordId}`);
  const decision = await decideRecord(db, authorityId, record, now);
  // A record the caller may not know of is answered exactly as a missing one.
  if (decision.layer === 'none' && decision.rule !== 'not-a-member')
    throw notFound(`${input.recordType} ${input.recordId}`);
  const contact = decision.layer === 'signal' ? await contactOf(db, record.publisherAuthorityId) : undefined;
  return {
    authorityId,
    provisionId: record.provisionId,
    providerId: record.providerId,
    record: {
      type: record.type,
      id: record.id,
      restricted: decision.layer === 'detail' ? record.restricted : decision.layer === 'signal',
    },
    bases: decision.bases,
    layer: decision.layer,
    rule: decision.rule,
    reason: RULE_REASONS[decision.rule],
    wouldGrant: whatWouldGrant(decision, record, contact),
  };
};

export { contactOf };
