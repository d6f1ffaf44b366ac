// The directory, refusals: unknown providers, host authorities and records (NOT_FOUND), duplicate URNs
// and company numbers and stale versions (CONFLICT), and bad input (BAD_REQUEST) — each changing nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, test } from '../../support/harness.js';
import { ids } from './fixtures.js';

/**
 * An officer of the host authority the test settings stand in (h.makeProvision's default): the least
 * role that may keep their facts. Another member's officer proposes a correction (integrity.test.ts).
 */
let officer: Principal;
let memberId: string;
test.beforeAll(async ({ h }) => {
  memberId = (await h.makeAuthority()).id;
  officer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
});

describe('provisions', () => {
  test('answers NOT_FOUND for an unknown provision', async ({ h }) => {
    const id = randomUUID();
    const err = await expectTRPCError(h.caller(officer).provisions.get({ id }), 'NOT_FOUND');
    expect(err.message).toContain(id);
  });

  test('refuses an unknown provider or host authority on create, naming it', async ({ h }) => {
    const provider = await h.makeProvider();
    const missingProvider = randomUUID();
    const e1 = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.create({
        providerId: missingProvider,
        name: 'Nowhere House',
        type: 'childrens-home',
        hostAuthorityId: memberId,
      }),
      'NOT_FOUND',
    );
    expect(e1.message).toBe(`provider ${missingProvider} not found`);

    const e2 = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.create({
        providerId: provider.id,
        name: 'Nowhere House',
        type: 'childrens-home',
        hostAuthorityId: 'atlantis',
      }),
      'NOT_FOUND',
    );
    expect(e2.message).toBe('host authority atlantis not found');

    const page = await h.caller(officer).provisions.search({ providerId: provider.id });
    expect(page.items).toEqual([]);
  });

  test('refuses an unknown provider or host authority on update, changing nothing', async ({ h }) => {
    const p = await h.makeProvision();
    const missingProvider = randomUUID();
    const e1 = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.update({ id: p.id, version: 1, providerId: missingProvider }),
      'NOT_FOUND',
    );
    expect(e1.message).toContain(`provider ${missingProvider}`);
    const e2 = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.update({ id: p.id, version: 1, hostAuthorityId: 'atlantis' }),
      'NOT_FOUND',
    );
    expect(e2.message).toContain('host authority atlantis');
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(p);
  });

  test('keeps Ofsted URNs unique, whatever their case, but allows any number of provisions without one', async ({
    h,
  }) => {
    const first = await h.makeProvision({ urn: 'SC300001' });
    const err = await expectTRPCError(h.makeProvision({ urn: 'sc300001' }), 'CONFLICT');
    expect(err.message).toContain('SC300001');

    const provider = await h.makeProvider();
    const a = await h.makeProvision({ providerId: provider.id, name: 'Unregulated A', type: 'unregulated' });
    const b = await h.makeProvision({ providerId: provider.id, name: 'Unregulated B', type: 'unregulated' });
    expect(a.urn).toBeNull();
    expect(b.urn).toBeNull();
    expect(ids((await h.caller(officer).provisions.search({ providerId: provider.id })).items)).toEqual(
      ids([a, b]),
    );

    // Taking another provision's URN by update is refused too.
    const err2 = await expectTRPCError(
      h.caller(officer).provisions.update({ id: a.id, version: a.version, urn: first.urn }),
      'CONFLICT',
    );
    expect(err2.message).toContain('SC300001');
    expect((await h.caller(officer).provisions.get({ id: a.id })).urn).toBeNull();
  });

  test('refuses a stale update with CONFLICT naming the current version, and the stale write changes nothing', async ({
    h,
  }) => {
    const p = await h.makeProvision({ name: 'Elm Cottage' });
    const v2 = await h.caller(officer).provisions.update({ id: p.id, version: 1, name: 'Elm Cottage II' });
    expect(v2.version).toBe(2);

    const err = await expectTRPCError(
      h
        .caller(officer)
        .provisions.update({ id: p.id, version: 1, name: 'Lost write', ofstedGrade: 'inadequate' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/current version is 2\b/);
    expect(err.message).toMatch(/you sent version 1\b/);

    // A version from the future is just as stale.
    await expectTRPCError(
      h.caller(officer).provisions.update({ id: p.id, version: 7, name: 'Lost write' }),
      'CONFLICT',
    );
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(v2);
  });

  test('refuses NUL characters in text as BAD_REQUEST, not a server error', async ({ h }) => {
    const provider = await h.makeProvider();
    const base = { providerId: provider.id, type: 'childrens-home' as const, hostAuthorityId: memberId };
    const err = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.create({ ...base, name: 'Nul\u0000House' }),
      'BAD_REQUEST',
    );
    expect(err.message).toMatch(/NUL/);
    await expectTRPCError(h.caller(officer).provisions.search({ q: 'a\u0000b' }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(officer).providers.search({ q: '\u0000' }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(officer).providers.create({ name: 'Nul\u0000 Ltd' }), 'BAD_REQUEST');
    const p = await h.makeProvision({ providerId: provider.id });
    await expectTRPCError(
      h.caller(officer).provisions.update({ id: p.id, version: 1, name: 'x\u0000' }),
      'BAD_REQUEST',
    );
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(p);
  });

  test('refuses an update of an unknown provision with NOT_FOUND', async ({ h }) => {
    await expectTRPCError(
      h.caller(officer).provisions.update({ id: randomUUID(), version: 1, name: 'Ghost' }),
      'NOT_FOUND',
    );
  });

  test('refuses invalid input with BAD_REQUEST', async ({ h }) => {
    const provider = await h.makeProvider();
    const base = { providerId: provider.id, type: 'childrens-home' as const, hostAuthorityId: memberId };
    await expectTRPCError(h.caller(h.hubAdmin).provisions.create({ ...base, name: '   ' }), 'BAD_REQUEST');
    await expectTRPCError(
      h.caller(h.hubAdmin).provisions.create({ ...base, name: 'Bad URN', urn: 'XY12' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).provisions.create({ ...base, name: 'x'.repeat(201) }),
      'BAD_REQUEST',
    );
    await expectTRPCError(h.caller(officer).provisions.get({ id: 'not-a-uuid' }), 'BAD_REQUEST');
    expect((await h.caller(officer).provisions.search({ providerId: provider.id })).items).toEqual([]);
  });
});

describe('providers', () => {
  test('refuses a duplicate company number with CONFLICT, but allows many providers without one', async ({
    h,
  }) => {
    await h.makeProvider({ companyNumber: '01234567' });
    const err = await expectTRPCError(
      h.caller(officer).providers.create({ name: 'Copycat Ltd', companyNumber: '01234567' }),
      'CONFLICT',
    );
    expect(err.message).toContain('01234567');
    expect((await h.caller(officer).providers.search({ q: 'Copycat' })).items).toEqual([]);

    const a = await h.caller(officer).providers.create({ name: 'No Number One' });
    const b = await h.caller(officer).providers.create({ name: 'No Number Two' });
    expect([a.companyNumber, b.companyNumber]).toEqual([null, null]);
  });

  test('updates with the current version and refuses a stale one, changing nothing', async ({ h }) => {
    const p = await h.makeProvider({ name: 'Meadow Homes', companyNumber: '07654321' });
    const v2 = await h
      .caller(h.hubAdmin)
      .providers.update({ id: p.id, version: 1, name: 'Meadow Homes Group' });
    expect(v2).toMatchObject({ name: 'Meadow Homes Group', companyNumber: '07654321', version: 2 });

    const err = await expectTRPCError(
      h.caller(h.hubAdmin).providers.update({ id: p.id, version: 1, name: 'Stale', companyNumber: null }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/current version is 2\b/);
    expect(await h.caller(officer).providers.get({ id: p.id })).toEqual(v2);

    const v3 = await h.caller(h.hubAdmin).providers.update({ id: p.id, version: 2, companyNumber: null });
    expect(v3).toMatchObject({ name: 'Meadow Homes Group', companyNumber: null, version: 3 });
  });

  test("refuses taking another provider's company number by update", async ({ h }) => {
    await h.makeProvider({ companyNumber: '02222222' });
    const p = await h.makeProvider({ companyNumber: '03333333' });
    const err = await expectTRPCError(
      h.caller(h.hubAdmin).providers.update({ id: p.id, version: 1, companyNumber: '02222222' }),
      'CONFLICT',
    );
    expect(err.message).toContain('02222222');
    expect(await h.caller(officer).providers.get({ id: p.id })).toEqual(p);
  });
});
