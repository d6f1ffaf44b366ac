// Words people read in a placement check's reasons (issue 16): the rating says which end is worst, and
// a member's restriction names its issuer.
import { expect } from 'vitest';
import { publishOutcome, test } from '../../support/harness.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('the latest rating says 5 is the most serious; a restriction names its issuing authority', async ({
  h,
  w,
}) => {
  await publishOutcome(h, w.lead.officer, w.provision.id, { overallRating: 4, activityDate: '2026-06-01' });
  await h.caller(w.publisher.officer).restrictions.create({
    provisionId: w.provision.id,
    kind: 'action-plan',
    reasons: [{ category: 'quality', text: 'Invented: staffing' }],
  });
  const check = await h.caller(w.placing.officer).checks.placement({ provisionId: w.provision.id });
  const messages = check.reasons.map((r) => r.message);
  expect(messages).toContain(
    'latest monitoring (2026-06-01) rated 4 of 5 (significant), where 5 is the most serious',
  );
  expect(messages).toContain(`action plan issued by Council ${w.publisher.id} (${w.publisher.id})`);
});
