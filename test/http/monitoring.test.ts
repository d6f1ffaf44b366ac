// The monitoring and placement-check acceptance test over real HTTP, with OAuth tokens and raw tRPC
// requests: a lead publishes an outcome and an informal embargo; a placing authority's check shows the
// outcome in detail and `caution` with the restricted signal but nothing of the embargo; a bare
// member's check shows summaries only; the issuer's own check says `do-not-place`. Retried writes
// with one idempotency key make one record; two concurrent amendments of one version make one winner.
import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import { describe, expect } from 'vitest';
import type { OutcomeView, PlacementCheck, RestrictionView } from '@ccx/schema';
import type { AppRouter } from '@ccx/server';
import { insertProvisions, uniq } from '../support/harness.js';
import { httpTest as test, readAnswer, type HttpAnswer, type HttpHarness } from '../support/http.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** A raw tRPC mutation: POST /trpc/<procedure> with the input as its JSON body. */
const post = async (
  h: HttpHarness,
  token: string,
  procedure: string,
  input: unknown,
): Promise<HttpAnswer> => {
  const res = await fetch(`${h.baseUrl}/trpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return readAnswer(res);
};

/** A raw tRPC query: GET /trpc/<procedure>?input=… */
const get = (h: HttpHarness, token: string, procedure: string, input: unknown): Promise<HttpAnswer> =>
  h.trpcGet(procedure, `Bearer ${token}`, input);

/** The data of a successful answer; fails the test with the answer otherwise. */
const dataOf = <T>(answer: HttpAnswer): T => {
  if (answer.status !== 200) expect.fail(`expected 200, got ${answer.status}: ${answer.text}`);
  return (answer.body as { result: { data: T } }).result.data;
};

/** The tRPC error code of a failed answer. */
const errorCodeOf = (answer: HttpAnswer): string | undefined =>
  (answer.body as { error?: { data?: { code?: string } } }).error?.data?.code;

describe('monitoring and placement checks over HTTP (acceptance)', () => {
  test('publishes, restricts and checks with need-to-know, idempotent retries and one winner per version', async ({
    h,
  }) => {
    const u = uniq();
    const lead = await h.makeAuthority({ id: `lead-${u}` });
    const placing = await h.makeAuthority({ id: `placing-${u}` });
    const member = await h.makeAuthority({ id: `member-${u}` });
    const admin = (await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin')).token;
    const asLead = (await h.makeClientWithToken(lead.id, 'officer')).token;
    const asPlacing = (await h.makeClientWithToken(placing.id, 'officer')).token;
    const asMember = (await h.makeClientWithToken(member.id, 'officer')).token;

    const provider = dataOf<{ id: string }>(
      await post(h, admin, 'providers.create', { name: `Provider ${u}` }),
    );
    const provision = dataOf<{ id: string }>(
      await post(h, admin, 'provisions.create', {
        providerId: provider.id,
        name: `Harbour House ${u}`,
        type: 'childrens-home',
        hostAuthorityId: h.hostAuthorityId,
        ofstedGrade: 'good',
        ofstedGradeDate: '2025-10-01',
      }),
    );
    dataOf(
      await post(h, admin, 'allocations.assign', {
        provisionId: provision.id,
        authorityId: lead.id,
        rationale: 'lead by partnership agreement',
        startsOn: '2026-01-01',
      }),
    );
    dataOf(
      await post(h, asPlacing, 'placements.declare', {
        provisionId: provision.id,
        children: 1,
        fromDate: '2026-02-01',
      }),
    );

    // The lead writes an outcome; the request is retried (once after the answer, twice at once) with
    // the same idempotency key, and only one draft exists.
    const findings = `Night staffing met the ratio on every night sampled (${u})`;
    const outcomeSummary = `Full QA visit summary ${u}`;
    const createOutcome = {
      provisionId: provision.id,
      activityType: 'full-qa-visit',
      activityDate: '2026-06-10',
      overallRating: 2,
      summary: outcomeSummary,
      findings,
      actionItems: [{ description: `Update the missing-from-care policy ${u}`, concernLevel: 'low' }],
      idempotencyKey: `outcome-${randomUUID()}`,
    };
    const first = dataOf<OutcomeView>(await post(h, asLead, 'outcomes.create', createOutcome));
    if (first.layer !== 'detail') throw new Error('the writer sees its draft in detail');
    const retries = await Promise.all([
      post(h, asLead, 'outcomes.create', createOutcome),
      post(h, asLead, 'outcomes.create', createOutcome),
    ]);
    for (const retry of retries) expect(dataOf<OutcomeView>(retry)).toMatchObject({ id: first.id });
    const drafts = dataOf<OutcomeView[]>(
      await get(h, asLead, 'outcomes.listForProvision', { provisionId: provision.id, includeDrafts: true }),
    );
    expect(drafts.map((o) => (o.layer === 'signal' ? null : o.id))).toEqual([first.id]);
    // The same key with another request is refused rather than answered with the first one.
    const reused = await post(h, asLead, 'outcomes.create', { ...createOutcome, overallRating: 4 });
    expect(reused.status).toBe(409);
    expect(errorCodeOf(reused)).toBe('CONFLICT');

    const publish = { id: first.id, version: first.version, idempotencyKey: `publish-${randomUUID()}` };
    const published = dataOf<OutcomeView>(await post(h, asLead, 'outcomes.publish', publish));
    expect(dataOf<OutcomeView>(await post(h, asLead, 'outcomes.publish', publish))).toEqual(published);
    if (published.layer !== 'detail') throw new Error('the publisher sees detail');
    expect(published).toMatchObject({ status: 'published', byLead: true });
    expect(
      dataOf<OutcomeView[]>(await get(h, asLead, 'outcomes.listForProvision', { provisionId: provision.id })),
    ).toHaveLength(1);

    // The lead records an informal embargo, retried with the same key: one embargo.
    const embargoSummary = `Informal embargo pending a strategy meeting ${u}`;
    const embargoDetails = `Allegation against a member of staff under police review ${u}`;
    const embargoReason = `Safeguarding allegation reported on 12 June ${u}`;
    const createEmbargo = {
      provisionId: provision.id,
      kind: 'informal-embargo',
      reasons: [{ category: 'safeguarding', text: embargoReason }],
      summary: embargoSummary,
      details: embargoDetails,
      idempotencyKey: `embargo-${randomUUID()}`,
    };
    // (Here the retries race the first request: all three are in flight at once.)
    const [embargo, ...embargoRetries] = (
      await Promise.all([1, 2, 3].map(() => post(h, asLead, 'restrictions.create', createEmbargo)))
    ).map((a) => dataOf<RestrictionView>(a));
    if (embargo?.layer !== 'detail') throw new Error('the issuer sees its restriction in detail');
    expect(embargo).toMatchObject({ kind: 'informal-embargo', restricted: true, issuerAuthorityId: lead.id });
    for (const retry of embargoRetries) expect(retry).toMatchObject({ id: embargo.id });
    const issued = dataOf<{ items: RestrictionView[] }>(
      await get(h, asLead, 'restrictions.list', { provisionId: provision.id }),
    );
    expect(issued.items.map((r) => (r.layer === 'signal' ? 'signal' : r.id))).toEqual([embargo.id]);

    const embargoSecrets = [
      'informal-embargo',
      'informal embargo',
      embargo.id,
      embargoSummary,
      embargoDetails,
      embargoReason,
    ];

    // The placing authority: the outcome in detail, `caution` for the restricted signal, nothing of the embargo.
    const placingAnswer = await get(h, asPlacing, 'checks.placement', { provisionId: provision.id });
    const placingCheck = dataOf<PlacementCheck>(placingAnswer);
    expect(placingCheck).toMatchObject({
      provisionId: provision.id,
      verdict: 'caution',
      lead: { authorityId: lead.id, qaInbox: lead.qaInbox },
      latestOutcome: { layer: 'detail', id: first.id, findings, summary: outcomeSummary, overallRating: 2 },
      // The embargo is the restricted-information reason alone: listed here it would say its kind.
      restrictions: [],
      monitoring: { status: 'ok', lastMonitoredOn: '2026-06-10', nextDueOn: '2027-06-10' },
    });
    expect(placingCheck.reasons).toEqual([
      {
        code: 'restricted-information',
        verdict: 'caution',
        message: expect.stringContaining(lead.qaInbox) as string,
        recordId: null,
        contact: lead.qaInbox,
        signalIds: [expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as string],
      },
    ]);
    for (const secret of embargoSecrets) expect(placingAnswer.text).not.toContain(secret);

    // The bare member: summaries only, the same signal, nothing of the embargo.
    const memberAnswer = await get(h, asMember, 'checks.placement', { provisionId: provision.id });
    const memberCheck = dataOf<PlacementCheck>(memberAnswer);
    expect(memberCheck).toMatchObject({
      verdict: 'caution',
      latestOutcome: { layer: 'summary', id: first.id, overallRating: 2, activityType: 'full-qa-visit' },
      restrictions: [],
    });
    expect(memberCheck.reasons.map((r) => [r.code, r.recordId, r.contact])).toEqual([
      ['restricted-information', null, lead.qaInbox],
    ]);
    for (const secret of [...embargoSecrets, findings, outcomeSummary])
      expect(memberAnswer.text).not.toContain(secret);

    // The issuer: its own informal embargo is a do-not-place.
    const leadCheck = dataOf<PlacementCheck>(
      await get(h, asLead, 'checks.placement', { provisionId: provision.id }),
    );
    expect(leadCheck.verdict).toBe('do-not-place');
    expect(leadCheck.reasons).toEqual([
      expect.objectContaining({ code: 'own-embargo', verdict: 'do-not-place', recordId: embargo.id }),
    ]);

    // The batch form answers the same, and an unknown setting is a 404 for the single form.
    const many = dataOf<{ results: (PlacementCheck & { ok: boolean })[]; summary: unknown }>(
      await get(h, asPlacing, 'checks.placementMany', {
        items: [{ provisionId: provision.id }, { provisionId: randomUUID() }],
      }),
    );
    expect(many.summary).toEqual({ clear: 0, caution: 1, doNotPlace: 0, notFound: 1 });
    expect(many.results[0]).toMatchObject({ ok: true, verdict: 'caution', reasons: placingCheck.reasons });
    const unknown = await get(h, asPlacing, 'checks.placement', { provisionId: randomUUID() });
    expect(unknown.status).toBe(404);

    // Two amendments of one version at once: exactly one wins, the other is told of the conflict.
    const amend = (reason: string, overallRating: number) =>
      post(h, asLead, 'outcomes.amend', {
        id: published.id,
        version: published.version,
        reason,
        changes: { overallRating },
      });
    const raced = await Promise.all([
      amend('typo in the rating', 1),
      amend('second opinion on the rating', 3),
    ]);
    expect(raced.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = raced.find((a) => a.status === 409)!;
    expect(errorCodeOf(loser)).toBe('CONFLICT');
    const winner = dataOf<OutcomeView>(raced.find((a) => a.status === 200)!);
    const current = dataOf<OutcomeView>(await get(h, asLead, 'outcomes.get', { id: published.id }));
    if (current.layer !== 'detail' || winner.layer !== 'detail') throw new Error('the publisher sees detail');
    expect(current).toMatchObject({
      status: 'amended',
      version: published.version + 1,
      overallRating: winner.overallRating,
    });
    expect(current.history.filter((v) => v.change === 'amended')).toHaveLength(1);
    expect(
      dataOf<OutcomeView[]>(await get(h, asLead, 'outcomes.listForProvision', { provisionId: provision.id })),
    ).toHaveLength(1);
  });
});

describe('checks.placementMany over HTTP', () => {
  test('checks a shortlist of 500 in one call, sent as POST since it does not fit in a URL; 501 is refused', async ({
    h,
  }) => {
    const token = (await h.makeClientWithToken(h.hostAuthorityId, 'officer')).token;
    const provider = await h.makeProvider();
    const rows = await insertProvisions(h.hub.database.db, {
      count: 501,
      providerId: provider.id,
      hostAuthorityId: h.hostAuthorityId,
      urnPrefix: '8',
      namePrefix: `Shortlist ${uniq()}`,
    });
    const items = rows.map((r) => ({ provisionId: r.id }));

    // The SDK's way: a tRPC client that sends queries as POST.
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${h.baseUrl}/trpc`,
          headers: { authorization: `Bearer ${token}` },
          methodOverride: 'POST',
        }),
      ],
    });
    const many = await client.checks.placementMany.query({ items: items.slice(0, 500) });
    expect(many.summary).toEqual({ clear: 0, caution: 500, doNotPlace: 0, notFound: 0 });
    expect(many.results.map((r) => (r.ok ? r.provisionId : null))).toEqual(
      rows.slice(0, 500).map((r) => r.id),
    );

    const tooMany = await post(h, token, 'checks.placementMany', { items });
    expect(tooMany.status).toBe(400);
    expect(errorCodeOf(tooMany)).toBe('BAD_REQUEST');
    expect(tooMany.text).toContain('at most 500');
  });
});
