// The directory's integrity in the demo: one correction a member proposed of a setting it does not host,
// awaiting the host authority's decision (the Corrections page; `ccx directory corrections`).
import type { Db } from '../db/index.js';
import type { Actor } from '../domain/actor.js';
import { proposeProvisionCorrection } from '../domain/directory/corrections.js';

export const seedDemoCorrection = async (
  tx: Db,
  system: Actor,
  provisions: { id: string; type: string; hostAuthorityId: string; ofstedGrade: string }[],
  showcaseId: string,
): Promise<number> => {
  const setting =
    provisions.find(
      (p) => p.hostAuthorityId === 'kent' && p.id !== showcaseId && p.ofstedGrade !== 'requires-improvement',
    ) ?? provisions.find((p) => p.hostAuthorityId !== 'bolton');
  if (!setting) return 0;
  // Bolton, which does not host it, read a newer inspection report than the directory holds.
  const bolton: Actor = { ...system, authorityId: 'bolton', role: 'officer', clientId: 'demo-seed' };
  await proposeProvisionCorrection(tx, bolton, {
    provisionId: setting.id,
    changes: { ofstedGrade: 'requires-improvement', ofstedGradeDate: '2026-10-14' },
    reason:
      'Ofsted full inspection report published 14 October 2026 (invented for the demo): judged requires improvement to be good',
  });
  return 1;
};
