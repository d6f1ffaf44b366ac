// The directory through its procedures: providers and provisions — create, get, update with
// optimistic concurrency, uniqueness, references, and search by every filter.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, type Harness, test } from '../../support/harness.js';

/** An officer of an ordinary member authority: the least role that may write the directory. */
let officer: Principal;
let memberId: string;
test.beforeAll(async ({ h }) => {
  memberId = (await h.makeAuthority()).id;
  officer = (await h.makeClient(memberId, 'officer')).principal;
});

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

describe('provisions', () => {
  test('creates and gets a provision', async ({ h }) => {
    const p = await h.makeProvision({ name: 'Oak Lodge', urn: 'SC123456' });
    const got = await h.caller(h.hubAdmin).provisions.get({ id: p.id });
    expect(got).toMatchObject({
      name: 'Oak Lodge',
      urn: 'SC123456',
      version: 1,
      ofstedGrade: 'not-yet-inspected',
    });
  });

  test('lets the hub-admin create a provision with every field, and returns what it stored', async ({
    h,
  }) => {
    const provider = await h.makeProvider();
    const created = await h.caller(h.hubAdmin).provisions.create({
      providerId: provider.id,
      name: '  Birch House  ',
      urn: 'sc100200',
      type: 'residential-special-school',
      hostAuthorityId: memberId,
      registrationStatus: 'applied',
      ofstedGrade: 'good',
      ofstedGradeDate: '2025-03-14',
      postcode: 'me4 4tr',
    });
    expect(created).toMatchObject({
      providerId: provider.id,
      name: 'Birch House',
      urn: 'SC100200',
      type: 'residential-special-school',
      hostAuthorityId: memberId,
      registrationStatus: 'applied',
      ofstedGrade: 'good',
      ofstedGradeDate: '2025-03-14',
      postcode: 'ME4 4TR',
      version: 1,
    });
    expect(created.createdAt).toBe(created.updatedAt);
    const viewer = (await h.makeClient(memberId, 'viewer')).principal;
    expect(await h.caller(viewer).provisions.get({ id: created.id })).toEqual(created);
  });

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

  test('leaves where a setting stands and whose it is to the hub-admin: an officer may neither add a setting nor move one', async ({
    h,
  }) => {
    const provider = await h.makeProvider();
    const other = await h.makeProvider();
    const refused = await expectTRPCError(
      h.caller(officer).provisions.create({
        providerId: provider.id,
        name: 'Claimed House',
        type: 'childrens-home',
        hostAuthorityId: memberId,
      }),
      'FORBIDDEN',
    );
    expect(refused.message).toContain('hub-admin');
    const p = await h.makeProvision({ providerId: provider.id });
    for (const change of [{ hostAuthorityId: memberId }, { providerId: other.id }]) {
      const err = await expectTRPCError(
        h.caller(officer).provisions.update({ id: p.id, version: p.version, ...change }),
        'FORBIDDEN',
      );
      expect(err.message).toMatch(/only the hub-admin can change a provision's (hostAuthorityId|providerId)/);
    }
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(p);
    // Its other details are an officer's to keep, and naming the same host and provider again is no change.
    const renamed = await h.caller(officer).provisions.update({
      id: p.id,
      version: p.version,
      name: 'Renamed House',
      hostAuthorityId: p.hostAuthorityId,
      providerId: p.providerId,
    });
    expect(renamed).toMatchObject({ name: 'Renamed House', hostAuthorityId: p.hostAuthorityId });
    const moved = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p.id, version: renamed.version, hostAuthorityId: memberId });
    expect(moved.hostAuthorityId).toBe(memberId);
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

  test('updates with the current version, incrementing it, and can clear optional fields', async ({ h }) => {
    const p = await h.makeProvision({ urn: 'SC300100', postcode: 'ME4 4TR' });
    const updated = await h.caller(officer).provisions.update({
      id: p.id,
      version: 1,
      name: 'Renamed Lodge',
      ofstedGrade: 'outstanding',
      ofstedGradeDate: '2026-01-05',
    });
    expect(updated).toMatchObject({
      id: p.id,
      name: 'Renamed Lodge',
      ofstedGrade: 'outstanding',
      ofstedGradeDate: '2026-01-05',
      urn: 'SC300100',
      postcode: 'ME4 4TR',
      version: 2,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(p.updatedAt));
    expect(updated.createdAt).toBe(p.createdAt);

    const cleared = await h.caller(officer).provisions.update({
      id: p.id,
      version: 2,
      urn: null,
      postcode: null,
    });
    expect(cleared).toMatchObject({ urn: null, postcode: null, name: 'Renamed Lodge', version: 3 });
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(cleared);
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

describe('provisions.search', () => {
  // A world of its own: two providers, two host authorities, several types.
  let hostA: string;
  let hostB: string;
  let provX: string;
  let provY: string;
  const made: Record<string, { id: string }> = {};

  test.beforeAll(async ({ h }) => {
    hostA = (await h.makeAuthority()).id;
    hostB = (await h.makeAuthority()).id;
    provX = (await h.makeProvider({ name: 'Search Provider X' })).id;
    provY = (await h.makeProvider({ name: 'Search Provider Y' })).id;
    const specs = [
      {
        key: 'willowA',
        name: 'Willow House',
        urn: 'SC410001',
        type: 'childrens-home',
        host: hostA,
        provider: provX,
      },
      {
        key: 'willowB',
        name: 'Little WILLOW Lodge',
        urn: 'SC410002',
        type: 'short-breaks-home',
        host: hostB,
        provider: provX,
      },
      {
        key: 'willowC',
        name: 'Willowbrook',
        urn: null,
        type: 'childrens-home',
        host: hostB,
        provider: provY,
      },
      { key: 'ash', name: 'Ash Grove', urn: '4100031', type: 'childrens-home', host: hostA, provider: provY },
      { key: 'pct', name: '100% Care Home', urn: null, type: 'unregulated', host: hostA, provider: provX },
      { key: 'nopct', name: '100 Care Home', urn: null, type: 'unregulated', host: hostA, provider: provX },
      { key: 'under', name: 'A_B House', urn: null, type: 'unregulated', host: hostA, provider: provX },
      { key: 'nounder', name: 'AxB House', urn: null, type: 'unregulated', host: hostA, provider: provX },
      { key: 'slash', name: 'C\\D House', urn: null, type: 'unregulated', host: hostA, provider: provX },
    ] as const;
    for (const s of specs) {
      made[s.key] = await h.makeProvision({
        name: s.name,
        type: s.type,
        hostAuthorityId: s.host,
        providerId: s.provider,
        ...(s.urn ? { urn: s.urn } : {}),
      });
    }
  });

  const search = async (
    h: Harness,
    input: Parameters<ReturnType<Harness['caller']>['provisions']['search']>[0],
  ) => ids((await h.caller(officer).provisions.search(input)).items);
  const keys = (...k: string[]) => ids(k.map((x) => made[x]!));
  /** Scopes a search to this block's two host authorities by running it for each and merging. */
  const inWorld = async (h: Harness, input: Omit<Parameters<typeof search>[1], 'hostAuthorityId'>) =>
    [
      ...(await search(h, { ...input, hostAuthorityId: hostA })),
      ...(await search(h, { ...input, hostAuthorityId: hostB })),
    ].sort();

  test('finds by name fragment, case-insensitively', async ({ h }) => {
    expect(await inWorld(h, { q: 'willow' })).toEqual(keys('willowA', 'willowB', 'willowC'));
    expect(await inWorld(h, { q: 'WiLLoW' })).toEqual(keys('willowA', 'willowB', 'willowC'));
    expect(await inWorld(h, { q: 'llowbr' })).toEqual(keys('willowC'));
    expect(await inWorld(h, { q: 'no such setting' })).toEqual([]);
  });

  test('finds by URN, normalised to upper case', async ({ h }) => {
    expect(await search(h, { urn: 'SC410002' })).toEqual(keys('willowB'));
    expect(await search(h, { urn: 'sc410002' })).toEqual(keys('willowB'));
    expect(await search(h, { urn: ' sc410001 ' })).toEqual(keys('willowA'));
    expect(await search(h, { urn: '4100031' })).toEqual(keys('ash'));
    expect(await search(h, { urn: 'SC499999' })).toEqual([]);
  });

  test('filters by type, host authority and provider', async ({ h }) => {
    expect(await inWorld(h, { type: 'short-breaks-home' })).toEqual(keys('willowB'));
    expect(await inWorld(h, { type: 'childrens-home' })).toEqual(keys('willowA', 'willowC', 'ash'));
    expect(await search(h, { hostAuthorityId: hostB })).toEqual(keys('willowB', 'willowC'));
    expect(await search(h, { providerId: provY })).toEqual(keys('willowC', 'ash'));
    expect(await search(h, { providerId: provX })).toEqual(
      keys('willowA', 'willowB', 'pct', 'nopct', 'under', 'nounder', 'slash'),
    );
  });

  test('combines filters with AND', async ({ h }) => {
    expect(await search(h, { q: 'willow', hostAuthorityId: hostB })).toEqual(keys('willowB', 'willowC'));
    expect(await search(h, { q: 'willow', hostAuthorityId: hostB, providerId: provX })).toEqual(
      keys('willowB'),
    );
    expect(await search(h, { q: 'willow', type: 'childrens-home', providerId: provY })).toEqual(
      keys('willowC'),
    );
    expect(
      await search(h, { q: 'willow', type: 'childrens-home', hostAuthorityId: hostA, providerId: provX }),
    ).toEqual(keys('willowA'));
    expect(await search(h, { urn: 'SC410001', hostAuthorityId: hostB })).toEqual([]);
    expect(await search(h, { type: 'unregulated', providerId: provY })).toEqual([]);
  });

  test("matches LIKE wildcards '%' and '_' (and '\\') in q literally", async ({ h }) => {
    expect(await search(h, { q: '%', providerId: provX })).toEqual(keys('pct'));
    expect(await search(h, { q: '100%', providerId: provX })).toEqual(keys('pct'));
    expect(await search(h, { q: '_', providerId: provX })).toEqual(keys('under'));
    expect(await search(h, { q: 'a_b', providerId: provX })).toEqual(keys('under'));
    expect(await search(h, { q: '\\', providerId: provX })).toEqual(keys('slash'));
    expect(await search(h, { q: 'c\\d', providerId: provX })).toEqual(keys('slash'));
    // Without escaping, '%%' and '__' would match every row.
    expect(await search(h, { q: '%%', providerId: provX })).toEqual([]);
    expect(await search(h, { q: '__', providerId: provX })).toEqual([]);
  });
});

describe('providers', () => {
  test('creates and gets a provider, normalising its company number', async ({ h }) => {
    const created = await h
      .caller(officer)
      .providers.create({ name: '  Harbour Care Ltd ', companyNumber: 'sc654321' });
    expect(created).toMatchObject({ name: 'Harbour Care Ltd', companyNumber: 'SC654321', version: 1 });
    expect(await h.caller(officer).providers.get({ id: created.id })).toEqual(created);
    await expectTRPCError(h.caller(officer).providers.get({ id: randomUUID() }), 'NOT_FOUND');
  });

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
    const v2 = await h.caller(officer).providers.update({ id: p.id, version: 1, name: 'Meadow Homes Group' });
    expect(v2).toMatchObject({ name: 'Meadow Homes Group', companyNumber: '07654321', version: 2 });

    const err = await expectTRPCError(
      h.caller(officer).providers.update({ id: p.id, version: 1, name: 'Stale', companyNumber: null }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/current version is 2\b/);
    expect(await h.caller(officer).providers.get({ id: p.id })).toEqual(v2);

    const v3 = await h.caller(officer).providers.update({ id: p.id, version: 2, companyNumber: null });
    expect(v3).toMatchObject({ name: 'Meadow Homes Group', companyNumber: null, version: 3 });
  });

  test("refuses taking another provider's company number by update", async ({ h }) => {
    await h.makeProvider({ companyNumber: '02222222' });
    const p = await h.makeProvider({ companyNumber: '03333333' });
    const err = await expectTRPCError(
      h.caller(officer).providers.update({ id: p.id, version: 1, companyNumber: '02222222' }),
      'CONFLICT',
    );
    expect(err.message).toContain('02222222');
    expect(await h.caller(officer).providers.get({ id: p.id })).toEqual(p);
  });

  test('searches by name fragment case-insensitively, and by company number', async ({ h }) => {
    const a = await h.makeProvider({ name: 'Riverside Zebra Care', companyNumber: '04444444' });
    const b = await h.makeProvider({ name: 'ZEBRA crossings Ltd', companyNumber: 'NI123456' });
    await h.makeProvider({ name: 'Unrelated Ltd' });
    const search = async (input: { q?: string; companyNumber?: string }) =>
      ids((await h.caller(officer).providers.search(input)).items);

    expect(await search({ q: 'zebra' })).toEqual(ids([a, b]));
    expect(await search({ q: 'ZeBrA cRoSs' })).toEqual(ids([b]));
    expect(await search({ companyNumber: '04444444' })).toEqual(ids([a]));
    expect(await search({ companyNumber: 'ni123456' })).toEqual(ids([b]));
    expect(await search({ q: 'riverside', companyNumber: 'NI123456' })).toEqual([]);
    expect(await search({ q: 'zebra%' })).toEqual([]);
    expect(await search({ q: 'zebra_' })).toEqual([]);
  });
});
