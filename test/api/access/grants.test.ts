// Grants (need-to-know, issue 3): explicit shares of one record (by the publisher or the lead),
// revocation and expiry, and self-service pre-placement (prospective) grants — their validation,
// their limit, their expiry, and the lead and host seeing every one of them.
import { randomUUID } from 'node:crypto';
import { test as vitestTest, describe, expect } from 'vitest';
import {
  createHarness,
  DAY_MS,
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  test,
  type Caller,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

type ProspectiveInput = Parameters<Caller['access']['requestProspective']>[0];

const layerOf = async (h: Harness, m: Member, id: string) =>
  (await h.caller(m.officer).outcomes.get({ id })).layer;

const prospective = (provisionId: string, extra: Record<string, unknown> = {}) => ({
  provisionId,
  reason: 'considering a placement for a child in our care',
  caseReference: 'CR-2026-0412',
  ...extra,
});

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

  test('others may not share (403); a record the caller cannot see answers 404', async ({ h, w }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'nobody');
    // The placing and host authorities see detail, but are neither publisher nor lead.
    for (const m of [w.placing, w.host, w.member]) {
      await expectTRPCError(
        h.caller(m.officer).access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id }),
        'FORBIDDEN',
      );
    }
    // A shared authority may not pass the record on.
    await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    await expectTRPCError(
      h
        .caller(to.officer)
        .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: w.member.id }),
      'FORBIDDEN',
    );
    const draft = await h.caller(w.publisher.officer).outcomes.create(outcomeInput(w.provision.id));
    if (draft.layer !== 'detail') throw new Error('expected detail');
    await expectTRPCError(
      h
        .caller(w.lead.officer)
        .access.share({ recordType: 'outcome', recordId: draft.id, authorityId: to.id }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .access.share({ recordType: 'outcome', recordId: randomUUID(), authorityId: to.id }),
      'NOT_FOUND',
    );
    // Its own draft cannot be shared before it is published; nor can a record be shared with oneself.
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .access.share({ recordType: 'outcome', recordId: draft.id, authorityId: to.id }),
      'CONFLICT',
    );
    await expectTRPCError(
      h.caller(w.publisher.officer).access.share({
        recordType: 'outcome',
        recordId: outcome.id,
        authorityId: w.publisher.id,
      }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: 'no-such-council' }),
      'NOT_FOUND',
    );
    const viewer = (await h.makeClient(w.publisher.id, 'viewer')).principal;
    await expectTRPCError(
      h
        .caller(viewer)
        .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: w.member.id }),
      'FORBIDDEN',
    );
  });

  test('a restricted record is shared only by its publisher: the lead, who sees only the signal, may not', async ({
    h,
    w,
  }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id, { restricted: true });
    const to = await makeMember(h, 'restrictedshare');
    await expectTRPCError(
      h
        .caller(w.lead.officer)
        .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id }),
      'FORBIDDEN',
    );
    expect(await layerOf(h, to, outcome.id)).toBe('signal');
    await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    expect(await layerOf(h, to, outcome.id)).toBe('detail');
    expect(await layerOf(h, w.lead, outcome.id)).toBe('signal');
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

  test('takes up to 14 days; 15 (or 0) is refused', async ({ h, w }) => {
    const seeker = await makeMember(h, 'fortnight');
    const grant = await h
      .caller(seeker.officer)
      .access.requestProspective(prospective(w.provision.id, { days: 14 }));
    expect(new Date(grant.expiresAt!).getTime() - new Date(NOW).getTime()).toBe(14 * DAY_MS);
    await expectTRPCError(
      h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id, { days: 15 })),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id, { days: 0 })),
      'BAD_REQUEST',
    );
  });

  test('requires a reason and a case reference that is not a name', async ({ h, w }) => {
    const seeker = await makeMember(h, 'validate');
    const call = (input: Record<string, unknown>) =>
      h.caller(seeker.officer).access.requestProspective(input as ProspectiveInput);
    await expectTRPCError(call({ provisionId: w.provision.id, caseReference: 'CR-1' }), 'BAD_REQUEST');
    await expectTRPCError(
      call({ provisionId: w.provision.id, reason: 'a proper reason here' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(call(prospective(w.provision.id, { reason: '' })), 'BAD_REQUEST');
    await expectTRPCError(call(prospective(w.provision.id, { reason: 'short' })), 'BAD_REQUEST');
    await expectTRPCError(call(prospective(w.provision.id, { caseReference: '' })), 'BAD_REQUEST');
    const named = await expectTRPCError(
      call(prospective(w.provision.id, { caseReference: 'Jane Smith' })),
      'BAD_REQUEST',
    );
    expect(named.message).toMatch(/caseReference/);
    await expectTRPCError(call(prospective(w.provision.id, { caseReference: 'Smith, Jane' })), 'BAD_REQUEST');
    await expectTRPCError(call(prospective(randomUUID())), 'NOT_FOUND');
    const viewer = (await h.makeClient(seeker.id, 'viewer')).principal;
    await expectTRPCError(
      h.caller(viewer).access.requestProspective(prospective(w.provision.id)),
      'FORBIDDEN',
    );
    // None of the refused requests left a grant behind.
    expect(await h.caller(seeker.officer).access.grants({ activeOnly: false })).toEqual([]);
  });

  test('the lead and host authorities see every prospective grant at their provision; a bare member does not', async ({
    h,
    w,
    clock,
  }) => {
    const seeker = await makeMember(h, 'watched');
    const grant = await h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id));
    for (const m of [w.lead, w.host, seeker]) {
      const grants = await h
        .caller(m.officer)
        .access.grants({ provisionId: w.provision.id, kind: 'prospective' });
      expect(grants).toContainEqual(
        expect.objectContaining({
          id: grant.id,
          authorityId: seeker.id,
          reason: grant.reason,
          caseReference: grant.caseReference,
        }),
      );
    }
    for (const m of [w.member, w.placing, w.publisher]) {
      const grants = await h.caller(m.officer).access.grants({ activeOnly: false });
      expect(grants.map((g) => g.id)).not.toContain(grant.id);
    }
    // An expired grant stays in the lead's history.
    clock.move(8 * DAY_MS);
    expect((await h.caller(w.lead.officer).access.grants()).map((g) => g.id)).not.toContain(grant.id);
    const history = await h.caller(w.lead.officer).access.grants({ activeOnly: false });
    expect(history.find((g) => g.id === grant.id)).toMatchObject({ active: false });
  });

  test('the lead and host do not see shares between other authorities', async ({ h, w }) => {
    const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    const to = await makeMember(h, 'private');
    const share = await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: to.id });
    for (const m of [w.lead, w.host, w.member]) {
      expect((await h.caller(m.officer).access.grants({ activeOnly: false })).map((g) => g.id)).not.toContain(
        share.id,
      );
    }
  });

  test('one open grant per setting: a second request for the same setting is refused (409)', async ({
    h,
    w,
  }) => {
    const seeker = await makeMember(h, 'twice');
    await h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id));
    const refused = await expectTRPCError(
      h.caller(seeker.officer).access.requestProspective(prospective(w.provision.id, { days: 14 })),
      'CONFLICT',
    );
    expect(refused.message).toMatch(/already holds an open pre-placement grant for this setting/);
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

describe('the limit on open prospective grants', () => {
  // A hub of its own, which allows two open pre-placement grants per authority.
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its pattern
  const test = vitestTest.extend('hl', async ({}, { onCleanup }) => {
    const hl = await createHarness({ CCX_MAX_PROSPECTIVE_GRANTS: '2' }, { clockAt: NOW });
    onCleanup(() => hl.close());
    return hl;
  });

  test('refuses a third open grant (409) until one is revoked or expires', async ({ hl }) => {
    const seeker = await makeMember(hl, 'limited');
    const other = await makeMember(hl, 'unlimited');
    const [p1, p2, p3] = [await hl.makeProvision(), await hl.makeProvision(), await hl.makeProvision()];
    const g1 = await hl.caller(seeker.officer).access.requestProspective(prospective(p1.id, { days: 3 }));
    await hl.caller(seeker.officer).access.requestProspective(prospective(p2.id));
    const refused = await expectTRPCError(
      hl.caller(seeker.officer).access.requestProspective(prospective(p3.id)),
      'CONFLICT',
    );
    expect(refused.message).toMatch(/2 open pre-placement grants/);
    // The limit is per authority.
    await hl.caller(other.officer).access.requestProspective(prospective(p3.id));

    await hl.caller(seeker.officer).access.revoke({ grantId: g1.id });
    const g3 = await hl.caller(seeker.officer).access.requestProspective(prospective(p3.id, { days: 1 }));
    await expectTRPCError(
      hl.caller(seeker.officer).access.requestProspective(prospective(p1.id)),
      'CONFLICT',
    );
    // After g3 expires, there is room again.
    hl.clock.move(DAY_MS + 1000);
    expect((await hl.caller(seeker.officer).access.grants()).map((g) => g.id)).not.toContain(g3.id);
    await hl.caller(seeker.officer).access.requestProspective(prospective(p1.id));
  });
});
