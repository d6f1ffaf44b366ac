// Demo monitoring records: restrictions of several kinds (one informal embargo, one on a whole
// provider, one relayed from the regulator), logged concerns, and an amended outcome. Invented.
import type { Provision } from '@ccx/schema';
import type { Db } from '../db/index.js';
import type { Actor } from '../domain/actor.js';
import { logConcern, markConcern } from '../domain/concerns/concerns.js';
import { addDays, londonDate } from '../shared/dates.js';
import { createRestriction } from '../domain/restrictions/restrictions.js';
import { seededRandom } from './data.js';
import type { Showcase } from './need-to-know.js';

const CONCERNS = [
  ['quality', 'level-1', 'Missing-from-care episode reported late to the placing authority'],
  ['quality', 'minor', 'Key-work sessions not recorded for two weeks'],
  ['quality', 'level-1', 'Staff turnover: three leavers in a month, agency cover used'],
  ['financial', 'minor', 'Monthly placement invoice disputed for the second time'],
  ['quality', 'minor', 'Monthly placement report submitted after the deadline'],
] as const;

export const seedDemoMonitoring = async (
  tx: Db,
  provisions: Provision[],
  showcase: Showcase,
  now: Date,
): Promise<{
  restrictions: number;
  concerns: number;
  /** Where a significant concern raises every authority's verdict. */
  concernAt: { provisionId: string; name: string; urn: string | null };
}> => {
  const rand = seededRandom(11);
  const today = londonDate(now);
  const as = (authorityId: string, role: Actor['role'] = 'officer'): Actor => ({
    authorityId,
    clientId: 'demo-seed',
    role,
    requestId: 'demo-seed',
    now,
  });
  let restrictions = 0;
  let concerns = 0;

  // At the showcase: Medway's informal embargo (restricted), and a letter of concern from Bolton.
  await createRestriction(tx, as('medway'), {
    provisionId: showcase.provisionId,
    kind: 'informal-embargo',
    source: 'member',
    partnershipWide: false,
    restricted: true,
    reasons: [
      { category: 'safeguarding', text: 'Pending the outcome of a strategy meeting about staff conduct' },
    ],
    contractScope: 'all',
    summary: 'No new Medway placements until the strategy meeting concludes',
    details: 'Invented demo text.',
    effectiveFrom: addDays(today, -5),
  });
  await createRestriction(tx, as('bolton'), {
    provisionId: showcase.provisionId,
    kind: 'letter-of-concern',
    source: 'member',
    partnershipWide: false,
    restricted: false,
    reasons: [{ category: 'quality', text: 'Placement reports late three months running' }],
    contractScope: 'spot',
    summary: 'Letter of concern about reporting',
    details: '',
    // Given six weeks ago: its 15-working-day compliance period has ended with no compliance recorded,
    // a reason in every check of the showcase by those who read it in detail.
    effectiveFrom: addDays(today, -42),
  });
  restrictions += 2;

  // Elsewhere: an Ofsted restriction relayed by the host, and a framework suspension of a whole provider.
  const regulated = provisions.filter(
    (p) => p.id !== showcase.provisionId && p.urn && p.type === 'childrens-home',
  );
  const target = regulated[Math.floor(rand() * regulated.length)];
  if (target) {
    const notice: Parameters<typeof createRestriction>[2] = {
      provisionId: target.id,
      kind: 'ofsted-restriction',
      source: 'regulator',
      regulatorReference: `OFS-${target.urn}-2026`,
      partnershipWide: false,
      restricted: false,
      reasons: [
        { category: 'regulator-judgement', text: 'Restriction of accommodation following an inspection' },
      ],
      contractScope: 'all',
      summary: 'Ofsted restriction of accommodation',
      details: '',
      effectiveFrom: addDays(today, -20),
    };
    await createRestriction(tx, as(target.hostAuthorityId), notice);
    // The same Ofsted alert reaches another member, which relays it too: it joins the one record.
    await createRestriction(tx, as(target.hostAuthorityId === 'medway' ? 'bolton' : 'medway'), notice);
    restrictions++;
  }
  const otherProvider = provisions.find(
    (p) => p.providerId !== provisions.find((q) => q.id === showcase.provisionId)?.providerId,
  )?.providerId;
  if (otherProvider) {
    await createRestriction(tx, as('essex'), {
      providerId: otherProvider,
      kind: 'framework-suspension',
      source: 'member',
      partnershipWide: false,
      restricted: false,
      reasons: [
        { category: 'financial', text: 'Accounts overdue at Companies House; financial checks failed' },
      ],
      contractScope: 'framework-lot',
      contractReference: 'Essex residential framework, lot 2',
      summary: 'Suspended from lot 2 pending financial checks',
      details: '',
      effectiveFrom: addDays(today, -40),
      reviewOn: addDays(today, 50),
    });
    restrictions++;
  }

  // Concerns: a handful across the directory, and six at one setting (risk medium).
  const busy = regulated[Math.floor(rand() * regulated.length)] ?? provisions[0]!;
  for (let i = 0; i < 6; i++) {
    const [category, level, summary] = CONCERNS[i % CONCERNS.length]!;
    await logConcern(tx, as(i % 2 ? 'leeds' : 'knowsley'), {
      provisionId: busy.id,
      category,
      level,
      occurredOn: addDays(today, -20 - i * 30),
      summary,
      restricted: false,
    });
    concerns++;
  }
  for (const p of provisions.filter(() => rand() < 0.15)) {
    const [category, level, summary] = CONCERNS[Math.floor(rand() * CONCERNS.length)]!;
    await logConcern(tx, as(p.hostAuthorityId), {
      provisionId: p.id,
      category,
      level,
      occurredOn: addDays(today, -Math.floor(rand() * 300) - 1),
      summary,
      restricted: false,
    });
    concerns++;
  }
  // At the showcase's neighbour setting: a level-2 safeguarding concern from Knowsley, substantiated —
  // a reason in every check there (caution; do-not-place for Knowsley) and the rating at least medium.
  const significantAt = regulated.find((p) => p.id !== showcase.provisionId) ?? provisions[0]!;
  const significant = await logConcern(tx, as('knowsley'), {
    provisionId: significantAt.id,
    category: 'safeguarding',
    level: 'level-2',
    occurredOn: addDays(today, -9),
    summary: 'Allegation against a staff member referred to the LADO; staff member suspended',
    restricted: false,
  });
  if (significant.layer === 'detail')
    await markConcern(
      tx,
      as('knowsley'),
      {
        id: significant.id,
        version: significant.version,
        note: 'LADO strategy meeting found the allegation substantiated',
      },
      'substantiated',
    );
  concerns++;
  return {
    restrictions,
    concerns,
    concernAt: { provisionId: significantAt.id, name: significantAt.name, urn: significantAt.urn },
  };
};
