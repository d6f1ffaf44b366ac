// The access policy's in-memory face: from facts about one authority and one provision (or provider),
// derive the authority's bases, then decide the layer at which it sees a record, and why.
// The SQL face (sql.ts) must agree with this one on every pair; a property test holds them to it.
import type { AccessRule, Basis, BasisFound, Layer } from '@ccx/schema';
import { londonDate } from '../shared/dates.js';
import { isCurrentLead, LEAD_ROLE } from './allocations.js';

export type WorldAuthority = { id: string; status: string; qaInbox?: string };
export type WorldProvision = { id: string; providerId: string; hostAuthorityId: string };
export type WorldPlacement = {
  authorityId: string;
  provisionId: string;
  children: number;
  fromDate: string;
  endedOn: string | null;
};
export type WorldAllocation = {
  authorityId: string;
  provisionId: string;
  /** Only a `quality` allocation makes its holder the lead for need-to-know; absent means quality. */
  role?: string;
  startsOn: string;
  endsOn: string | null;
  endedAt: Date | null;
};
export type WorldGrant = {
  id?: string;
  kind: 'share' | 'prospective';
  authorityId: string;
  /** Null for a share of a record about a whole provider. */
  provisionId: string | null;
  recordId: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

/** Everything the policy needs to know; a loader fills it from the database for one decision. */
export type World = {
  now: Date;
  authorities: WorldAuthority[];
  provisions: WorldProvision[];
  placements: WorldPlacement[];
  allocations: WorldAllocation[];
  grants: WorldGrant[];
};

/** A record is about one provision, or about a whole provider (and so every provision of it). */
export type RecordScope = { provisionId: string } | { providerId: string };

export type PolicyRecord = {
  type: string;
  id: string;
  publisherAuthorityId: string;
  status: 'draft' | 'published' | 'amended' | 'withdrawn';
  restricted: boolean;
  scope: RecordScope;
  /** False for record types with no summary layer (concerns): bare members see nothing. */
  hasSummary?: boolean;
  /**
   * The London date from which the record has ended (a restriction lifted or expired), if it has an
   * end; a withdrawn record has ended whatever this says. An ended restricted record no longer signals.
   */
  endsOn?: string | null;
  /** Ended by its own state whatever the date (a concern closed). */
  closed?: boolean;
};

/** Whether a record has ended on `today` (withdrawn or closed, or its end date reached): a restricted one stops signalling. */
export const hasEnded = (
  record: Pick<PolicyRecord, 'status' | 'endsOn' | 'closed'>,
  today: string,
): boolean =>
  record.status === 'withdrawn' ||
  record.closed === true ||
  (record.endsOn != null && record.endsOn <= today);

export type Decision = { layer: Layer; rule: AccessRule; basis: Basis | null; bases: BasisFound[] };

/** The last London date on which an access that expires at `expiresAt` still holds. */
const lastDayOf = (expiresAt: Date): string => londonDate(new Date(expiresAt.getTime() - 1));

export const isPlacementOpen = (p: { fromDate: string; endedOn: string | null }, today: string): boolean =>
  p.fromDate <= today && (p.endedOn === null || p.endedOn > today);

export const isGrantActive = (g: { expiresAt: Date | null; revokedAt: Date | null }, now: Date): boolean =>
  g.revokedAt === null && (g.expiresAt === null || g.expiresAt.getTime() > now.getTime());

const provisionsInScope = (world: World, scope: RecordScope): WorldProvision[] =>
  'provisionId' in scope
    ? world.provisions.filter((p) => p.id === scope.provisionId)
    : world.provisions.filter((p) => p.providerId === scope.providerId);

/** The provision-level bases (lead, host, placing, prospective, member) of an authority for a scope. */
export const deriveBases = (world: World, authorityId: string, scope: RecordScope): BasisFound[] => {
  const today = londonDate(world.now);
  const found: BasisFound[] = [];
  const inScope = provisionsInScope(world, scope);
  const ids = new Set(inScope.map((p) => p.id));
  const where = (provisionId: string) =>
    'providerId' in scope ? ` at provision ${provisionId} of this provider` : '';

  for (const a of world.allocations) {
    if (
      a.authorityId === authorityId &&
      ids.has(a.provisionId) &&
      isCurrentLead({ ...a, role: a.role ?? LEAD_ROLE }, today)
    ) {
      found.push({
        basis: 'lead',
        because: `current lead (quality) allocation since ${a.startsOn}${where(a.provisionId)}`,
        until: a.endsOn,
      });
    }
  }
  for (const p of inScope) {
    if (p.hostAuthorityId === authorityId)
      found.push({ basis: 'host', because: `the setting stands in this authority's area${where(p.id)}` });
  }
  for (const p of world.placements) {
    if (p.authorityId === authorityId && ids.has(p.provisionId) && isPlacementOpen(p, today)) {
      found.push({
        basis: 'placing',
        because: `open placement declaration of ${p.children} since ${p.fromDate}${where(p.provisionId)}`,
      });
    }
  }
  for (const g of world.grants) {
    if (
      g.kind === 'prospective' &&
      g.authorityId === authorityId &&
      g.provisionId !== null &&
      ids.has(g.provisionId) &&
      isGrantActive(g, world.now)
    ) {
      found.push({
        basis: 'prospective',
        because: `pre-placement grant${where(g.provisionId ?? '')}`,
        until: g.expiresAt ? lastDayOf(g.expiresAt) : null,
      });
    }
  }
  const authority = world.authorities.find((a) => a.id === authorityId);
  if (authority?.status === 'active') found.push({ basis: 'member', because: 'active member authority' });
  return found;
};

/** The record-level bases (publisher, granted) added to the provision-level ones. */
export const deriveRecordBases = (world: World, authorityId: string, record: PolicyRecord): BasisFound[] => {
  const found: BasisFound[] = [];
  if (record.publisherAuthorityId === authorityId)
    found.push({ basis: 'publisher', because: 'this authority published the record' });
  for (const g of world.grants) {
    if (
      g.kind === 'share' &&
      g.authorityId === authorityId &&
      g.recordId === record.id &&
      isGrantActive(g, world.now)
    ) {
      found.push({
        basis: 'granted',
        because: 'the record was shared with this authority',
        until: g.expiresAt ? lastDayOf(g.expiresAt) : null,
      });
    }
  }
  return [...found, ...deriveBases(world, authorityId, record.scope)];
};

const NEED_TO_KNOW: Basis[] = ['lead', 'host', 'placing', 'prospective'];

/** The rules, in order; the first that applies decides. */
export const decide = (
  bases: BasisFound[],
  record: Pick<PolicyRecord, 'status' | 'restricted' | 'hasSummary'> & {
    /** The record has ended (hasEnded): a restricted one no longer signals. */
    ended?: boolean;
  },
): Decision => {
  const has = (b: Basis) => bases.some((x) => x.basis === b);
  const result = (layer: Layer, rule: AccessRule, basis: Basis | null): Decision => ({
    layer,
    rule,
    basis,
    bases,
  });
  if (!has('member')) return result('none', 'not-a-member', null);
  if (has('publisher')) return result('detail', 'publisher-detail', 'publisher');
  if (record.status === 'draft') return result('none', 'draft-publisher-only', null);
  if (has('granted')) return result('detail', 'granted-detail', 'granted');
  // A signal tells that restricted information is held; once the record has ended there is none.
  if (record.restricted)
    return record.ended
      ? result('none', 'restricted-ended', null)
      : result('signal', 'restricted-signal', 'member');
  const need = NEED_TO_KNOW.find(has);
  if (need) return result('detail', 'need-to-know-detail', need);
  if (record.hasSummary === false) return result('none', 'need-to-know-only', null);
  return result('summary', 'member-summary', 'member');
};

/** The in-memory check: the layer at which an authority sees one record. */
export const checkRecord = (world: World, authorityId: string, record: PolicyRecord): Decision =>
  decide(deriveRecordBases(world, authorityId, record), {
    ...record,
    ended: hasEnded(record, londonDate(world.now)),
  });

export const RULE_REASONS: Record<AccessRule, string> = {
  'not-a-member': 'only active member authorities see records',
  'draft-publisher-only': 'a draft is seen only by the authority writing it',
  'publisher-detail': 'the publishing authority sees its own record in full',
  'granted-detail': 'the record was shared with this authority explicitly',
  'restricted-signal':
    'restricted information is seen in detail only by its publisher and those it was shared with; other members see that it exists and whom to contact',
  'restricted-ended':
    'a restricted record that has ended (withdrawn, lifted, expired or closed) no longer signals: only its publisher and those it was shared with see it',
  'need-to-know-detail':
    'an authority that leads, hosts, places at or has a pre-placement grant for the setting sees detail',
  'member-summary': 'every member sees the summary; detail needs a need-to-know basis',
  'need-to-know-only':
    'this kind of record has no summary: only authorities with a need-to-know basis see it (it still counts in the risk rating)',
};

/** For a layer below detail: what would open more. */
export const whatWouldGrant = (
  decision: Decision,
  record: Pick<PolicyRecord, 'status' | 'restricted'> | null,
  contact?: string,
): string[] => {
  if (decision.layer === 'detail') return [];
  switch (decision.rule) {
    case 'not-a-member':
      return ['active membership of the partnership (the hub-admin admits authorities)'];
    case 'draft-publisher-only':
      return ['publication by the authority writing it'];
    case 'restricted-ended':
      return ['an explicit share by the publishing authority (access.share)'];
    case 'restricted-signal':
      return [
        `an explicit share by the publishing authority (access.share)${contact ? `: contact ${contact}` : ''}`,
      ];
    default:
      return [
        'a placement declaration at the setting (placements.declare)',
        'a pre-placement grant for the setting (access.requestProspective, up to 14 days)',
        ...(record ? ['an explicit share by the publisher or the lead authority (access.share)'] : []),
        'allocation as the lead authority (by the hub-admin)',
      ];
  }
};
