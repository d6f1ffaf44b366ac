// A lead authority publishes a monitoring visit, then amends it, naming the version it amends.
//   tsx publish-an-outcome.ts <provision-id>
import { createCcxClient, isCcxError, type RouterInputs } from '@ccx/client';

const ccx = createCcxClient({
  baseUrl: process.env.CCX_URL ?? 'http://localhost:3000',
  clientId: process.env.CCX_CLIENT_ID ?? '',
  clientSecret: process.env.CCX_CLIENT_SECRET ?? '',
});

const visit: RouterInputs['outcomes']['create'] = {
  provisionId: process.argv[2] ?? '',
  activityType: 'unannounced-visit',
  activityDate: '2026-11-02',
  announced: false,
  overallRating: 2,
  sectionJudgements: [{ section: 'safeguarding', judgement: 'good', comment: 'Records up to date' }],
  summary: 'Unannounced evening visit; young people settled, staffing as planned.',
  findings: 'Two staff files lacked references; the manager obtained them during the visit.',
  actionItems: [{ description: 'Audit all staff files for references', concernLevel: 'low' }],
};

// Every write gets an idempotency key from the SDK, so a retried call never publishes twice.
const draft = await ccx.outcomes.create.mutate(visit);
if (draft.layer !== 'detail') throw new Error('a writer always sees its own draft in detail');
const published = await ccx.outcomes.publish.mutate({ id: draft.id, version: draft.version });
if (published.layer !== 'detail') throw new Error('a publisher reads its outcome in detail');
console.log(`published outcome ${published.id}, version ${published.version}`);

// Every update names the version it amends: a stale one is a CONFLICT, never an overwrite.
const amend = (version: number) =>
  ccx.outcomes.amend.mutate({
    id: draft.id,
    version,
    reason: 'rating corrected after moderation',
    changes: { overallRating: 3 },
  });
const stale = await amend(draft.version).catch((err: unknown) => err); // the draft's version: stale now
if (!isCcxError(stale) || stale.code !== 'CONFLICT') throw new Error('a stale version must be refused');
const current = await ccx.outcomes.get.query({ id: draft.id });
if (current.layer !== 'detail') throw new Error('a publisher reads its outcome in detail');
const amended = await amend(current.version);
if (amended.layer !== 'detail') throw new Error('a publisher reads its outcome in detail');
console.log(`version ${draft.version} refused (${stale.httpStatus}); amended to version ${amended.version}`);
