// The directory, provisions.search: by name fragment and URN, by type, host authority and provider,
// combined with AND, with LIKE wildcards in q matched literally — in a world of its own.
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { type Harness, test } from '../../support/harness.js';
import { ids } from './fixtures.js';

/** An officer of an ordinary member authority: the least role that may write the directory. */
let officer: Principal;
let memberId: string;
test.beforeAll(async ({ h }) => {
  memberId = (await h.makeAuthority()).id;
  officer = (await h.makeClient(memberId, 'officer')).principal;
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
