// Who may see which authorities place children at a setting (their number of children and their
// quality-assurance contact): the setting's current lead and its host authority, and no one else.
// Knowsley's protocol has the lead advise the placing authority; North Tyneside's note has the lead
// gather professional feedback from the placing authorities. A placing authority sees only its own
// declaration (placements.mine); a bare member nothing; the hub-admin role gives no more than its
// authority's bases (being the hub operator gives no detail).
import type { BasisFound } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { loadWorld } from './load.js';
import { deriveBases } from './policy.js';

export type PlacingAuthoritiesDecision =
  | { allowed: true; basis: 'lead' | 'host'; bases: BasisFound[] }
  | { allowed: false; basis: null; bases: BasisFound[]; reason: string };

/** The bases that open a setting's placing authorities, in the order they are named as the basis. */
export const PLACING_AUTHORITIES_BASES = ['lead', 'host'] as const;

export const PLACING_AUTHORITIES_REFUSAL =
  'only the lead authority and the host authority of a setting see which authorities place children there';

/** The rule, over an authority's provision-level bases: an active member that leads or hosts it. */
export const decidePlacingAuthorities = (bases: BasisFound[]): PlacingAuthoritiesDecision => {
  if (!bases.some((b) => b.basis === 'member'))
    return {
      allowed: false,
      basis: null,
      bases,
      reason: 'only active member authorities see who places at a setting',
    };
  const basis = PLACING_AUTHORITIES_BASES.find((want) => bases.some((b) => b.basis === want));
  return basis
    ? { allowed: true, basis, bases }
    : { allowed: false, basis: null, bases, reason: PLACING_AUTHORITIES_REFUSAL };
};

/** The decision for one authority and one provision, from the database's facts on `now`'s date. */
export const placingAuthoritiesAccess = async (
  db: Db,
  authorityId: string,
  provisionId: string,
  now: Date,
): Promise<PlacingAuthoritiesDecision> => {
  const world = await loadWorld(db, authorityId, { provisionId }, [], now);
  return decidePlacingAuthorities(deriveBases(world, authorityId, { provisionId }));
};
