// Grants, refusals: a prospective grant's validation (days, reason, case reference), one open grant per
// setting, and the limit on open prospective grants per authority (409).
import { randomUUID } from 'node:crypto';
import { test as vitestTest, describe, expect } from 'vitest';
import {
  createHarness,
  DAY_MS,
  expectTRPCError,
  makeMember,
  test,
  type Caller,
} from '../../support/harness.js';
import { prospective } from './fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

type ProspectiveInput = Parameters<Caller['access']['requestProspective']>[0];

describe('access.requestProspective', () => {
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
