// Grants (need-to-know, issue 3), what works: explicit shares of one record (by the publisher or the lead),
// their revocation and expiry, and self-service pre-placement (prospective) grants and their expiry.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { DAY_MS, expectTRPCError, makeMember, publishOutcome, test } from '../../support/harness.js';
import { layerOf, prospective } from './fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('access.share', () => {
  test('the publisher shares a record; the shared authority then reads detail, with basis granted', async ({
    h,
    w,
  }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'sharee');
    expect(await layerOf(h, to, outcome.id)).toBe('summary');

    const grant = await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    expect(grant).toMatchObject({
      kind: 'share',
      authorityId: to.id,
      provisionId: w.provision.id,
      recordType: 'outcome',
      recordId: outcome.id,
      grantedByAuthorityId: w.publisher.id,
      expiresAt: null,
      revokedAt: null,
      active: true,
    });
    expect(await h.caller(to.officer).outcomes.get({ id: outcome.id })).toMatchObject({
      layer: 'detail',
      findings: outcome.input.findings,
    });
    const explain = await h
      .caller(to.officer)
      .access.explain({ recordType: 'outcome', recordId: outcome.id });
    expect(explain).toMatchObject({ layer: 'detail', rule: 'granted-detail', wouldGrant: [] });
    expect(explain.bases.map((b) => b.basis)).toContain('granted');

    // Both ends of the share list it.
    for (const m of [to, w.publisher]) {
      const grants = await h.caller(m.officer).access.grants();
      expect(grants.map((g) => g.id)).toContain(grant.id);
    }
    // The share gives detail of that record only, not of others at the provision.
    const another = await publishOutcome(h, w.publisher.officer, w.provision.id);
    expect(await layerOf(h, to, another.id)).toBe('summary');
  });

  test('the lead authority may share a record of its provision', async ({ h, w }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'leadshare');
    const grant = await h
      .caller(w.lead.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    expect(grant).toMatchObject({ grantedByAuthorityId: w.lead.id, authorityId: to.id, active: true });
    expect(await layerOf(h, to, outcome.id)).toBe('detail');
  });

  test('revoke ends a share: the authority is back to the summary', async ({ h, w }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'revoked');
    const grant = await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    expect(await layerOf(h, to, outcome.id)).toBe('detail');

    // Only the granting authority may revoke a share; anyone else does not know of it.
    await expectTRPCError(h.caller(to.officer).access.revoke({ grantId: grant.id }), 'FORBIDDEN');
    await expectTRPCError(h.caller(w.member.officer).access.revoke({ grantId: grant.id }), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(w.publisher.officer).access.revoke({ grantId: randomUUID() }),
      'NOT_FOUND',
    );

    const revoked = await h.caller(w.publisher.officer).access.revoke({ grantId: grant.id });
    expect(revoked).toMatchObject({ id: grant.id, active: false, revokedAt: new Date(NOW).toISOString() });
    expect(await layerOf(h, to, outcome.id)).toBe('summary');
    expect((await h.caller(to.officer).access.grants()).map((g) => g.id)).not.toContain(grant.id);
    expect((await h.caller(to.officer).access.grants({ activeOnly: false })).map((g) => g.id)).toContain(
      grant.id,
    );
    // Revoking again changes nothing.
    expect(await h.caller(w.publisher.officer).access.revoke({ grantId: grant.id })).toMatchObject({
      revokedAt: revoked.revokedAt,
    });
  });

  test('a share until a date ends when that day ends in England', async ({ h, w, clock }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'until');
    await expectTRPCError(
      h.caller(w.publisher.officer).access.share({
        recordType: 'outcome',
        recordId: outcome.id,
        authorityId: to.id,
        until: '2026-06-14',
      }),
      'BAD_REQUEST',
    );
    const grant = await h.caller(w.publisher.officer).access.share({
      recordType: 'outcome',
      recordId: outcome.id,
      authorityId: to.id,
      until: '2026-06-17',
    });
    // Midnight in London (BST) is 23:00 UTC.
    expect(grant.expiresAt).toBe('2026-06-17T23:00:00.000Z');
    clock.set('2026-06-17T22:59:59Z');
    expect(await layerOf(h, to, outcome.id)).toBe('detail');
    clock.set('2026-06-17T23:00:01Z');
    expect(await layerOf(h, to, outcome.id)).toBe('summary');
    const grants = await h.caller(to.officer).access.grants({ activeOnly: false });
    expect(grants.find((g) => g.id === grant.id)?.active).toBe(false);
    expect((await h.caller(to.officer).access.grants()).map((g) => g.id)).not.toContain(grant.id);
  });
});

describe('access.requestProspective', () => {
  test('opens detail at the provision for 7 days by default, then falls back to the summary', async ({
    h,
    w,
    clock,
  }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const seeker = await makeMember(h, 'seeker');
    expect(await layerOf(h, seeker, outcome.id)).toBe('summary');

    const grant = await h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id));
    expect(grant).toMatchObject({
      kind: 'prospective',
      authorityId: seeker.id,
      provisionId: w.provision.id,
      recordType: null,
      recordId: null,
      grantedByAuthorityId: seeker.id,
      reason: 'considering a placement for a child in our care',
      caseReference: 'CR-2026-0412',
      active: true,
      revokedAt: null,
    });
    expect(new Date(grant.expiresAt!).getTime() - new Date(NOW).getTime()).toBe(7 * DAY_MS);

    expect(await h.caller(seeker.officer).outcomes.get({ id: outcome.id })).toMatchObject({
      layer: 'detail',
      findings: outcome.input.findings,
    });
    const explain = await h.caller(seeker.officer).access.explain({ provisionId: w.provision.id });
    expect(explain).toMatchObject({ layer: 'detail', rule: 'need-to-know-detail' });
    expect(explain.bases).toContainEqual(
      expect.objectContaining({ basis: 'prospective', until: '2026-06-22' }),
    );

    clock.move(7 * DAY_MS - 1000);
    expect(await layerOf(h, seeker, outcome.id)).toBe('detail');
    clock.move(2000); // 7 days and 1 second
    expect(await layerOf(h, seeker, outcome.id)).toBe('summary');
    const after = await h.caller(seeker.officer).access.explain({ provisionId: w.provision.id });
    expect(after.layer).toBe('summary');
    expect(after.bases.map((b) => b.basis)).not.toContain('prospective');
    // Not even listForProvision shows detail any more.
    const listed = await h.caller(seeker.officer).outcomes.listForProvision({ provisionId: w.provision.id });
    expect(listed.find((o) => 'id' in o && o.id === outcome.id)?.layer).toBe('summary');
  });

  test('a requester may revoke its own prospective grant early', async ({ h, w }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const seeker = await makeMember(h, 'early');
    const grant = await h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id));
    expect(await layerOf(h, seeker, outcome.id)).toBe('detail');
    await h.caller(seeker.officer).access.revoke({ grantId: grant.id });
    expect(await layerOf(h, seeker, outcome.id)).toBe('summary');
    // The lead may see it but not revoke it.
    await expectTRPCError(h.caller(w.lead.officer).access.revoke({ grantId: grant.id }), 'FORBIDDEN');
  });
});
