// Grants, who may do what: only the publisher or the lead shares (only the publisher a restricted record),
// and the lead and host see every prospective grant at their provision but no one else's shares.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import {
  DAY_MS,
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  test,
} from '../../support/harness.js';
import { layerOf, prospective } from './fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('access.share', () => {
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
});

describe('access.requestProspective', () => {
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
});
