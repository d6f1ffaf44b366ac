// Writes a policy World and its outcome records straight into the database (no services, no audit),
// so the SQL and loaded faces of the policy can be compared with the in-memory one on the same facts.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Layer } from '@ccx/schema';
import { type Db } from '@ccx/server';
import { ownerDbOf } from '@ccx/server/testing';
import { layerSql, type PolicyRecord, type World, type WorldGrant } from '@ccx/server/testing';
import { readCheckRows } from '@ccx/server/testing';
import {
  accessGrants,
  allocations,
  authorities,
  outcomes,
  placements,
  providers,
  provisions,
  restrictions,
} from '@ccx/server/testing';

/** Empties every table a world lives in; audit_log is append-only and holds nothing of ours. */
export const clearWorld = async (db: Db): Promise<void> => {
  // Truncating is the schema owner's right; the hub's own role (on PostgreSQL) may only delete.
  await ownerDbOf(db).execute(
    sql`truncate table access_grants, outcomes, allocations, placements, provisions, providers, clients, authorities cascade`,
  );
};

export const provisionOf = (record: PolicyRecord): string => {
  if (!('provisionId' in record.scope)) throw new Error(`record ${record.id} is not about one provision`);
  return record.scope.provisionId;
};

/**
 * Inserts the world's facts and records beside whatever the database holds (ids must not clash).
 * `hubHost` marks the partnership's operator (is_host); grants are recorded as given by `grantedBy`,
 * which the policy never looks at.
 */
export const insertWorld = async (
  db: Db,
  world: World,
  records: PolicyRecord[],
  opts: { hubHost: string | null; grantedBy: string },
): Promise<void> => {
  // The partnership has one operator (authorities_one_host): it passes to this world's.
  if (opts.hubHost !== null)
    await db.update(authorities).set({ isHost: false }).where(eq(authorities.isHost, true));
  await db.insert(authorities).values(
    world.authorities.map((a) => ({
      id: a.id,
      name: `Council ${a.id}`,
      region: 'south-east',
      status: a.status,
      qaInbox: a.qaInbox ?? `qa@${a.id}.example.gov.uk`,
      isHost: a.id === opts.hubHost,
    })),
  );
  const providerIds = [...new Set(world.provisions.map((p) => p.providerId))];
  if (providerIds.length > 0)
    await db.insert(providers).values(providerIds.map((id) => ({ id, name: `Provider ${id}` })));
  if (world.provisions.length > 0) {
    await db.insert(provisions).values(
      world.provisions.map((p) => ({
        id: p.id,
        providerId: p.providerId,
        name: `Setting ${p.id}`,
        type: 'childrens-home',
        hostAuthorityId: p.hostAuthorityId,
      })),
    );
  }
  if (world.placements.length > 0) await db.insert(placements).values(world.placements);
  if (world.allocations.length > 0)
    await db.insert(allocations).values(world.allocations.map((a) => ({ ...a, rationale: 'property test' })));
  if (records.length > 0) {
    await db.insert(outcomes).values(
      records.map((r) => ({
        id: r.id,
        provisionId: provisionOf(r),
        authorityId: r.publisherAuthorityId,
        status: r.status,
        restricted: r.restricted,
        activityType: 'monitoring-visit',
        activityDate: '2026-01-01',
        overallRating: 2,
        summary: 'a visit',
      })),
    );
  }
  if (world.grants.length > 0) {
    await db.insert(accessGrants).values(
      world.grants.map((g) => ({
        ...(g.id ? { id: g.id } : {}),
        kind: g.kind,
        authorityId: g.authorityId,
        provisionId: g.provisionId,
        recordType: g.recordId ? 'outcome' : null,
        recordId: g.recordId,
        grantedByAuthorityId: opts.grantedBy,
        expiresAt: g.expiresAt,
        revokedAt: g.revokedAt,
      })),
    );
  }
};

/** The layer of the given outcomes for one caller, from the SQL face: one query. */
export const sqlLayers = async (
  db: Db,
  authorityId: string,
  now: Date,
  recordIds: string[],
): Promise<Map<string, Layer>> => {
  const rows = await db
    .select({
      id: outcomes.id,
      layer: layerSql(
        { authorityId, now },
        {
          id: outcomes.id,
          publisherAuthorityId: outcomes.authorityId,
          status: outcomes.status,
          restricted: outcomes.restricted,
          provisionId: outcomes.provisionId,
        },
      ),
    })
    .from(outcomes)
    .where(inArray(outcomes.id, recordIds));
  return new Map(rows.map((r) => [r.id, r.layer]));
};

/**
 * The placement check's face: the layers its statement gives for the latest published outcome of each
 * provision, the newest (its signal, if one) and every active restriction on the provisions and their
 * providers (its need-to-know computed once per provision), by record id. The check finds the
 * providers through the provisions: `_providerIds` is what the callers know them as, unused.
 */
export const checkLayers = async (
  db: Db,
  authorityId: string,
  now: Date,
  provisionIds: string[],
  _providerIds: string[],
): Promise<Map<string, Layer>> => {
  const rows = await readCheckRows(db, { authorityId, now }, { ids: provisionIds, urns: [] });
  return new Map([
    ...rows.flatMap((r) => (r.latest ? [[r.latest.outcome.id, r.latest.layer] as const] : [])),
    ...rows.flatMap((r) => (r.newest ? [[r.newest.id, r.newest.layer] as const] : [])),
    ...rows.flatMap((r) => r.restrictions.map((x) => [x.restriction.id, x.layer] as const)),
  ]);
};

/** A restriction row for a policy record: the record (provision- or provider-level) and the facts the policy ignores. */
export type RestrictionFacts = {
  record: PolicyRecord;
  kind: string;
  effectiveFrom: string;
  expiresOn: string | null;
  liftedOn: string | null;
};

/**
 * Inserts restrictions for policy records (scope provision or provider), beside whatever the database
 * holds. A provider named only by a provider-level record (no provisions) is inserted too.
 */
export const insertRestrictions = async (
  db: Db,
  rows: RestrictionFacts[],
  opts: { createdBy?: string } = {},
): Promise<void> => {
  if (rows.length === 0) return;
  const providerIds = [
    ...new Set(rows.flatMap(({ record }) => ('providerId' in record.scope ? [record.scope.providerId] : []))),
  ];
  if (providerIds.length > 0)
    await db
      .insert(providers)
      .values(providerIds.map((id) => ({ id, name: `Provider ${id}` })))
      .onConflictDoNothing();
  await db.insert(restrictions).values(
    rows.map(({ record, kind, effectiveFrom, expiresOn, liftedOn }) => ({
      id: record.id,
      provisionId: 'provisionId' in record.scope ? record.scope.provisionId : null,
      providerId: 'providerId' in record.scope ? record.scope.providerId : null,
      kind,
      // The kind that is a level carries one (Knowsley's levels 1 and 2); the policy ignores it.
      concernLevel: kind === 'causing-concern-level' ? 1 : null,
      issuerAuthorityId: record.publisherAuthorityId,
      restricted: record.restricted,
      reasons: [{ category: 'quality', text: 'property test' }],
      effectiveFrom,
      expiresOn,
      liftedOn,
      liftedReason: liftedOn === null ? null : 'property test',
      createdBy: opts.createdBy ?? null,
    })),
  );
};

/** Inserts grants of a world as grants on records of one type (insertWorld records shares as outcomes'). */
export const insertGrants = async (
  db: Db,
  grants: WorldGrant[],
  opts: { recordType: string; grantedBy: string },
): Promise<void> => {
  if (grants.length === 0) return;
  await db.insert(accessGrants).values(
    grants.map((g) => ({
      ...(g.id ? { id: g.id } : {}),
      kind: g.kind,
      authorityId: g.authorityId,
      provisionId: g.provisionId,
      recordType: g.recordId ? opts.recordType : null,
      recordId: g.recordId,
      grantedByAuthorityId: opts.grantedBy,
      expiresAt: g.expiresAt,
      revokedAt: g.revokedAt,
    })),
  );
};
