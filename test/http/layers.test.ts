// The need-to-know acceptance test of issue 3, over real HTTP with OAuth tokens and the tRPC client:
// a lead publishes; a placing authority reads detail until its placement ends; a bare member sees
// the summary until a pre-placement grant opens detail, which then expires; the lead and host see
// the grant; every read of detail is in the audit log with its basis; an edited audit row is found.
import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect } from 'vitest';
import type { Role } from '@ccx/schema';
import type { AppRouter } from '@ccx/server';
import { ownerDbOf } from '@ccx/server/testing';
import { DAY_MS, uniq } from '../support/harness.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** A tRPC client over HTTP for a new client of the authority, with a token from POST /oauth/token. */
const clientFor = async (h: HttpHarness, authorityId: string, role: Role) =>
  h.trpc((await h.makeClientWithToken(authorityId, role)).token);

/** Awaits a call that must fail over HTTP with the given tRPC code and HTTP status. */
const expectHttpError = async (call: Promise<unknown>, code: string, status: number) => {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(TRPCClientError);
    const data = (err as TRPCClientError<AppRouter>).data;
    expect(data?.code).toBe(code);
    expect(data?.httpStatus).toBe(status);
    return;
  }
  expect.fail(`expected ${code}`);
};

describe('need-to-know over HTTP (issue 3 acceptance)', () => {
  test('detail follows the bases, grants expire, the lead and host see grants, and the audit log holds every read', async ({
    h,
    clock,
  }) => {
    const u = uniq();
    const host = await h.makeAuthority({ id: `host-${u}` });
    const lead = await h.makeAuthority({ id: `lead-${u}` });
    const placing = await h.makeAuthority({ id: `placing-${u}` });
    const member = await h.makeAuthority({ id: `member-${u}` });
    const provision = await h.makeProvision({ hostAuthorityId: host.id });

    const admin = await clientFor(h, h.hostAuthorityId, 'hub-admin');
    const asHost = await clientFor(h, host.id, 'officer');
    const asLead = await clientFor(h, lead.id, 'officer');
    const asPlacing = await clientFor(h, placing.id, 'officer');
    const asMember = await clientFor(h, member.id, 'officer');

    // The hub-admin allocates the provision to the lead; the placing authority declares 2 children.
    await admin.allocations.assign.mutate({
      provisionId: provision.id,
      authorityId: lead.id,
      rationale: 'lead by partnership agreement',
      startsOn: '2026-01-01',
    });
    const placement = await asPlacing.placements.declare.mutate({
      provisionId: provision.id,
      children: 2,
      fromDate: '2026-01-01',
    });

    // The lead publishes a monitoring outcome.
    const findings = `Staffing below the required ratio at night (${u})`;
    const draft = await asLead.outcomes.create.mutate({
      provisionId: provision.id,
      activityType: 'monitoring-visit',
      activityDate: '2026-06-10',
      overallRating: 3,
      summary: `Monitoring visit summary ${u}`,
      findings,
      actionItems: [{ description: 'Recruit two night staff', concernLevel: 'high' }],
    });
    if (draft.layer !== 'detail') throw new Error('the writer sees its draft in detail');
    await expectHttpError(asMember.outcomes.get.query({ id: draft.id }), 'NOT_FOUND', 404);
    const outcome = await asLead.outcomes.publish.mutate({ id: draft.id, version: draft.version });
    expect(outcome).toMatchObject({ layer: 'detail', status: 'published', byLead: true });
    if (outcome.layer !== 'detail') return;
    // A high-concern item is due two days after publication (15 June), not after the visit.
    expect(outcome.actionItems[0]?.dueOn).toBe('2026-06-17');

    // The placing authority reads detail; the bare member gets the summary.
    expect(await asPlacing.outcomes.get.query({ id: outcome.id })).toMatchObject({
      layer: 'detail',
      findings,
    });
    const summary = await asMember.outcomes.get.query({ id: outcome.id });
    expect(summary).toMatchObject({ layer: 'summary', id: outcome.id, overallRating: 3 });
    expect(JSON.stringify(summary)).not.toContain(findings);
    expect(
      await asMember.access.explain.query({ recordType: 'outcome', recordId: outcome.id }),
    ).toMatchObject({
      layer: 'summary',
      rule: 'member-summary',
    });

    // After placements.end the placing authority's detail is gone.
    await asPlacing.placements.end.mutate({ id: placement.id, version: placement.version });
    const afterEnd = await asPlacing.outcomes.get.query({ id: outcome.id });
    expect(afterEnd.layer).toBe('summary');
    expect(JSON.stringify(afterEnd)).not.toContain(findings);
    const explainEnded = await asPlacing.access.explain.query({ provisionId: provision.id });
    expect(explainEnded.bases.map((b) => b.basis)).toEqual(['member']);

    // A pre-placement grant opens detail for the bare member.
    const grant = await asMember.access.requestProspective.mutate({
      provisionId: provision.id,
      reason: 'considering this home for a child in our care',
      caseReference: 'CR-2026-0412',
    });
    expect(new Date(grant.expiresAt!).getTime()).toBe(new Date(NOW).getTime() + 7 * DAY_MS);
    expect(await asMember.outcomes.get.query({ id: outcome.id })).toMatchObject({
      layer: 'detail',
      findings,
    });
    const listed = await asMember.outcomes.listForProvision.query({ provisionId: provision.id });
    expect(listed).toEqual([expect.objectContaining({ id: outcome.id, layer: 'detail' })]);

    // The lead and the host see the grant; the (former) placing authority does not.
    for (const client of [asLead, asHost]) {
      expect(await client.access.grants.query({ provisionId: provision.id })).toContainEqual(
        expect.objectContaining({
          id: grant.id,
          kind: 'prospective',
          authorityId: member.id,
          caseReference: 'CR-2026-0412',
        }),
      );
    }
    expect((await asPlacing.access.grants.query({ activeOnly: false })).map((g) => g.id)).not.toContain(
      grant.id,
    );

    // Seven days and one second later the grant has expired: back to the summary.
    clock.set(new Date(new Date(grant.expiresAt!).getTime() + 1000));
    expect((await asMember.outcomes.get.query({ id: outcome.id })).layer).toBe('summary');
    expect((await asMember.access.grants.query()).map((g) => g.id)).not.toContain(grant.id);

    // Every read of detail is in the audit log with its basis.
    const placingReads = await asPlacing.audit.list.query({ scope: 'mine', action: 'outcome.read' });
    expect(placingReads.items).toEqual([
      expect.objectContaining({ action: 'outcome.read', recordIds: [outcome.id], basis: 'placing' }),
    ]);
    const memberMine = await asMember.audit.list.query({ scope: 'mine' });
    expect(memberMine.items.map((e) => [e.action, e.basis])).toEqual([
      ['outcome.list', 'prospective'],
      ['outcome.read', 'prospective'],
      ['access.prospective', 'prospective'],
    ]);
    expect(memberMine.items[0]?.recordIds).toEqual([outcome.id]);

    const readsOfLeads = await asLead.audit.list.query({
      scope: 'reads-of-my-records',
      recordId: outcome.id,
    });
    expect(readsOfLeads.items.map((e) => [e.authorityId, e.action, e.basis])).toEqual([
      [member.id, 'outcome.list', 'prospective'],
      [member.id, 'outcome.read', 'prospective'],
      [placing.id, 'outcome.read', 'placing'],
    ]);
    const atLeads = await asLead.audit.list.query({ scope: 'reads-at-my-provisions' });
    expect(atLeads.items).toContainEqual(
      expect.objectContaining({
        authorityId: member.id,
        action: 'access.prospective',
        recordIds: [grant.id],
      }),
    );
    expect(await asPlacing.audit.verify.query()).toMatchObject({ ok: true, firstBroken: null });

    // The lead's signed chain head verifies against the JWKS served over HTTP.
    const head = await asLead.audit.exportHead.query();
    const jwks = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(head.jws, createLocalJWKSet(jwks));
    expect(payload).toMatchObject({ authority: lead.id, seq: head.seq, hash: head.hash });
    expect(head.hash).toBe((await asLead.audit.verify.query()).head?.hash);

    // Editing one audit row directly in the database makes audit.verify name that entry.
    const readEntry = placingReads.items[0]!;
    await ownerDbOf(h.hub.database.db).transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await tx.execute(
        sql`update audit_log set basis = 'lead' where authority_id = ${placing.id} and seq = ${readEntry.seq}`,
      );
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    });
    const verified = await asPlacing.audit.verify.query();
    expect(verified.ok).toBe(false);
    expect(verified.firstBroken?.seq).toBe(readEntry.seq);
    expect(await admin.audit.verify.query({ authorityId: placing.id })).toMatchObject({
      ok: false,
      firstBroken: { seq: readEntry.seq },
    });
    // Other chains still hold.
    expect(await asMember.audit.verify.query()).toMatchObject({ ok: true });
  });
});
