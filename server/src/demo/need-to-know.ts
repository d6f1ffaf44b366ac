// Demo need-to-know: placements declared by member councils, lead authorities allocated by the
// hub's algorithm, published monitoring outcomes (one restricted), and a pre-placement grant.
// Invented throughout; placements are counts, never children.
import type { ActivityType, ConcernLevel, Provision } from '@ccx/schema';
import type { Db } from '../db/index.js';
import type { Actor } from '../domain/actor.js';
import { autoAllocate } from '../domain/allocations/allocations.js';
import { requestProspective } from '../domain/access/grants.js';
import { addDays, londonDate } from '../shared/dates.js';
import { createOutcome, publishOutcome } from '../domain/outcomes/outcomes.js';
import { declarePlacement } from '../domain/placements/placements.js';
import { DEMO_AUTHORITIES, seededRandom } from './data.js';

export type Showcase = { provisionId: string; name: string; urn: string | null; hostAuthorityId: string };

const FINDINGS = [
  'Staffing rotas showed consistent cover; two new starters were awaiting safer-recruitment checks.',
  'Young people spoke positively about key workers; records of missing episodes were complete and timely.',
  'The premises were clean and personalised; a broken window latch in the lounge was reported for repair.',
  'Care plans were up to date; evidence of education attendance monitoring was inconsistent.',
  'Medication records had two gaps in the last month; the manager had already begun an audit.',
];
const ACTIONS: [string, ConcernLevel][] = [
  ['Complete safer-recruitment checks for new staff', 'high'],
  ['Repair the lounge window latch', 'low'],
  ['Audit medication administration records', 'medium'],
  ['Provide education attendance data monthly', 'low'],
  ['Send the updated statement of purpose', 'low'],
];
const ACTIVITIES: ActivityType[] = [
  'full-qa-visit',
  'monitoring-visit',
  'unannounced-visit',
  'desk-review',
  'compliance-review',
  'contract-meeting',
];

export const seedDemoNeedToKnow = async (
  tx: Db,
  hubAdmin: Actor,
  provisions: Provision[],
  opts: { seed?: number; now?: Date } = {},
): Promise<{ placements: number; allocations: number; outcomes: number; showcase: Showcase }> => {
  const rand = seededRandom(opts.seed ?? 7);
  const now = opts.now ?? hubAdmin.now;
  const today = londonDate(now);
  const actorFor = (authorityId: string): Actor => ({
    authorityId,
    clientId: 'demo-seed',
    role: 'officer',
    requestId: 'demo-seed',
    now,
  });
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  // The showcase: a children's home in Kent where Medway places most, Bolton places too, North Tyneside none.
  const showcase =
    provisions.find((p) => p.type === 'childrens-home' && p.hostAuthorityId === 'kent') ?? provisions[0]!;
  let placements = 0;
  await declarePlacement(tx, actorFor('medway'), {
    provisionId: showcase.id,
    children: 3,
    fromDate: addDays(today, -200),
  });
  await declarePlacement(tx, actorFor('bolton'), {
    provisionId: showcase.id,
    children: 1,
    fromDate: addDays(today, -90),
  });
  placements += 2;

  const others = DEMO_AUTHORITIES.map((a) => a.id).filter((id) => id !== 'north-tyneside');
  for (const p of provisions) {
    if (p.id === showcase.id || p.type === 'independent-fostering-agency' || rand() < 0.35) continue;
    const count = 1 + Math.floor(rand() * 3);
    const placing = new Set<string>();
    while (placing.size < count) placing.add(pick(others));
    for (const authorityId of placing) {
      await declarePlacement(tx, actorFor(authorityId), {
        provisionId: p.id,
        children: 1 + Math.floor(rand() * 3),
        fromDate: addDays(today, -Math.floor(rand() * 400) - 1),
      });
      placements++;
    }
  }

  const allocated = await autoAllocate(tx, hubAdmin, { dryRun: false });

  let outcomes = 0;
  const publish = async (
    lead: string,
    provisionId: string,
    daysAgo: number,
    rating: number,
    restricted = false,
    activity?: ActivityType,
  ) => {
    const activityDate = addDays(today, -daysAgo);
    const [action, level] = pick(ACTIONS);
    const picked = restricted ? 'desk-review' : pick(ACTIVITIES);
    const draft = await createOutcome(tx, actorFor(lead), {
      provisionId,
      activityType: activity ?? picked,
      activityDate,
      announced: rand() < 0.7,
      overallRating: rating,
      sectionJudgements: [
        { section: 'Leadership and management', judgement: rating <= 2 ? 'good' : 'requires-improvement' },
        {
          section: 'Safeguarding',
          judgement: rating <= 2 ? 'good' : rating >= 4 ? 'inadequate' : 'requires-improvement',
        },
      ],
      summary: restricted
        ? 'Matter under investigation following a notification; details shared with the placing authorities concerned.'
        : `Overall ${['no concerns', 'minor concerns', 'moderate concerns', 'significant concerns', 'catastrophic concerns'][rating - 1]} at this visit.`,
      findings: restricted ? 'Restricted: see the lead authority.' : pick(FINDINGS),
      actionItems: rating >= 2 ? [{ description: action, concernLevel: level }] : [],
      nextDueOn: addDays(activityDate, 365),
      restricted,
    });
    if (draft.layer !== 'detail') throw new Error('a new draft is always visible to its publisher');
    await publishOutcome(tx, actorFor(lead), { id: draft.id, version: draft.version });
    outcomes++;
  };
  for (const proposal of allocated.proposals) {
    if (proposal.provisionId !== showcase.id && rand() < 0.4) continue;
    await publish(
      proposal.authorityId,
      proposal.provisionId,
      30 + Math.floor(rand() * 300),
      1 + Math.floor(rand() * 4),
    );
  }
  const showcaseLead =
    allocated.proposals.find((p) => p.provisionId === showcase.id)?.authorityId ?? 'medway';
  await publish(showcaseLead, showcase.id, 12, 3, true);

  // Monitoring that another member's visit did not reset: the lead last visited 400 days ago; a member
  // that is not the lead visited last month — the setting is still overdue (only the lead's visits count).
  const ledElsewhere: { provisionId: string; authorityId: string }[] = allocated.proposals.filter(
    (p) => p.provisionId !== showcase.id,
  );
  const notReset = ledElsewhere.find(
    (p) => provisions.find((q) => q.id === p.provisionId)?.ofstedGrade === 'good',
  );
  if (notReset) {
    await publish(notReset.authorityId, notReset.provisionId, 400, 2, false, 'monitoring-visit');
    const visitor = ['medway', 'bolton', 'essex'].find((a) => a !== notReset.authorityId)!;
    await publish(visitor, notReset.provisionId, 30, 2, false, 'full-qa-visit');
  }
  // A setting graded requires improvement is monitored every 6 months, not 12: visited 200 days ago by
  // its lead, it is overdue.
  const shorter = ledElsewhere.find(
    (p) =>
      p !== notReset &&
      provisions.find((q) => q.id === p.provisionId)?.ofstedGrade === 'requires-improvement',
  );
  if (shorter) await publish(shorter.authorityId, shorter.provisionId, 200, 2, false, 'monitoring-visit');

  // North Tyneside is considering a placement at another Kent setting: a week's pre-placement access.
  const considered = provisions.find(
    (p) => p.hostAuthorityId === 'kent' && p.id !== showcase.id && p.type === 'childrens-home',
  );
  if (considered) {
    await requestProspective(
      tx,
      actorFor('north-tyneside'),
      {
        provisionId: considered.id,
        reason: 'Matching for a possible placement next month',
        caseReference: 'NT-2026-0147',
        days: 7,
      },
      100,
    );
  }
  return {
    placements,
    allocations: allocated.assigned,
    outcomes,
    showcase: {
      provisionId: showcase.id,
      name: showcase.name,
      urn: showcase.urn,
      hostAuthorityId: showcase.hostAuthorityId,
    },
  };
};
