// Keyset pagination of the directory's searches: every row exactly once, in a stable (name, id)
// order, stable under concurrent inserts, and bad cursors or limits refused as bad input.
import { describe, expect } from 'vitest';
import type { Provision } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { expectTRPCError, type Harness, test } from '../../support/harness.js';

let viewer: Principal;
let providerId: string;
let all: Provision[];

/** Byte order, as the (name, id) keyset compares: names here differ only in ASCII digits, so every collation agrees. */
const byNameThenId = (a: Provision, b: Provision) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

test.beforeAll(async ({ h }) => {
  const member = await h.makeAuthority();
  viewer = (await h.makeClient(member.id, 'viewer')).principal;
  providerId = (await h.makeProvider({ name: 'Paging Provider' })).id;
  all = [];
  // 25 provisions; names repeat (Home 03 four times, Home 07 three times) so the id breaks ties.
  // Created out of name order, so insertion order cannot pass for the sort order.
  const names = Array.from({ length: 25 }, (_, i) => {
    const n = (i * 7) % 18;
    return `Home ${String(n === 11 || n === 12 ? 3 : n === 13 ? 7 : n).padStart(2, '0')}`;
  });
  for (const name of names) all.push(await h.makeProvision({ providerId, name }));
  all.sort(byNameThenId);
});

type Search = Parameters<ReturnType<Harness['caller']>['provisions']['search']>[0];

/** Follows nextCursor to the end, returning each page. */
const pages = async (h: Harness, input: Search) => {
  const out: Provision[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await h.caller(viewer).provisions.search({ ...input, ...(cursor ? { cursor } : {}) });
    out.push(page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
};

describe('provisions.search pagination', () => {
  test('has duplicate names to exercise the id tie-break', () => {
    expect(all).toHaveLength(25);
    expect(new Set(all.map((p) => p.name)).size).toBeLessThan(20);
  });

  test('pages through with limit 7: every item exactly once, ordered by (name, id), ending with a null cursor', async ({
    h,
  }) => {
    const got = await pages(h, { providerId, limit: 7 });
    expect(got.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    const flat = got.flat();
    expect(new Set(flat.map((p) => p.id)).size).toBe(25);
    expect(flat.map((p) => p.id)).toEqual(all.map((p) => p.id));
  });

  test('is repeatable: the same walk gives the same pages', async ({ h }) => {
    const a = await pages(h, { providerId, limit: 7 });
    const b = await pages(h, { providerId, limit: 7 });
    expect(b.map((p) => p.map((x) => x.id))).toEqual(a.map((p) => p.map((x) => x.id)));
  });

  test('gives a null cursor when the last page is exactly full, and when everything fits', async ({ h }) => {
    const five = await pages(h, { providerId, limit: 5 });
    expect(five.map((p) => p.length)).toEqual([5, 5, 5, 5, 5]);
    const one = await h.caller(viewer).provisions.search({ providerId, limit: 200 });
    expect(one.items).toHaveLength(25);
    expect(one.nextCursor).toBeNull();
  });

  test('pages with other filters too', async ({ h }) => {
    const got = await pages(h, { providerId, q: 'home 0', limit: 3 });
    const expected = all.filter((p) => p.name.startsWith('Home 0'));
    expect(got.flat().map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(got.slice(0, -1).every((p) => p.length === 3)).toBe(true);
  });

  test('breaks ties between identical names by id, whatever index serves the query', async ({ h }) => {
    const provider = (await h.makeProvider()).id;
    const twins: Provision[] = [];
    for (let i = 0; i < 9; i++)
      twins.push(await h.makeProvision({ providerId: provider, name: 'Twin Gables' }));
    twins.sort(byNameThenId);
    // By name alone (no provider filter), and by provider: each page of two in id order, none lost.
    for (const input of [{ q: 'twin gables' }, { providerId: provider }]) {
      const got = await pages(h, { ...input, limit: 2 });
      expect(got.flat().map((p) => p.id)).toEqual(twins.map((p) => p.id));
    }
  });

  test('stays stable when rows are inserted before and after the cursor mid-way', async ({ h }) => {
    const provider = (await h.makeProvider({ name: 'Paging Provider 2' })).id;
    const names = ['Home 10', 'Home 20', 'Home 30', 'Home 40', 'Home 50', 'Home 60', 'Home 70', 'Home 80'];
    const rows: Provision[] = [];
    for (const name of names) rows.push(await h.makeProvision({ providerId: provider, name }));

    const first = await h.caller(viewer).provisions.search({ providerId: provider, limit: 3 });
    expect(first.items.map((p) => p.name)).toEqual(['Home 10', 'Home 20', 'Home 30']);
    expect(first.nextCursor).not.toBeNull();

    // One row sorts before the cursor (already passed), one after it (still to come).
    const before = await h.makeProvision({ providerId: provider, name: 'Home 15' });
    const after = await h.makeProvision({ providerId: provider, name: 'Home 55' });

    const rest: Provision[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await h.caller(viewer).provisions.search({ providerId: provider, limit: 3, cursor });
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(rest.map((p) => p.name)).toEqual([
      'Home 40',
      'Home 50',
      'Home 55',
      'Home 60',
      'Home 70',
      'Home 80',
    ]);
    expect(rest.map((p) => p.id)).not.toContain(before.id);
    expect(rest.map((p) => p.id)).toContain(after.id);
    const seen = [...first.items, ...rest].map((p) => p.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  test('refuses invalid cursors with BAD_REQUEST, not a server error', async ({ h }) => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const cursors = [
      'not-a-cursor',
      '!!!',
      b64({ key: 'Home 01', id: all[0]!.id }),
      b64(['Home 01']),
      b64(['Home 01', 'not-a-uuid']),
      b64([1, all[0]!.id]),
      b64(['Home 01', all[0]!.id, 'extra']),
      b64(['Home\u000001', all[0]!.id]),
      Buffer.from('["Home 01",', 'utf8').toString('base64url'),
      'x'.repeat(501),
    ];
    for (const cursor of cursors) {
      const err = await expectTRPCError(
        h.caller(viewer).provisions.search({ providerId, limit: 7, cursor }),
        'BAD_REQUEST',
      );
      expect(err.message, cursor).toMatch(/cursor/);
    }
    // The same for providers.
    for (const cursor of cursors) {
      await expectTRPCError(h.caller(viewer).providers.search({ limit: 7, cursor }), 'BAD_REQUEST');
    }
  });

  test('refuses a limit above 200 or below 1, and accepts 200', async ({ h }) => {
    const e = await expectTRPCError(
      h.caller(viewer).provisions.search({ providerId, limit: 201 }),
      'BAD_REQUEST',
    );
    expect(e.message).toMatch(/limit/);
    await expectTRPCError(h.caller(viewer).provisions.search({ providerId, limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(viewer).provisions.search({ providerId, limit: 2.5 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(viewer).providers.search({ limit: 201 }), 'BAD_REQUEST');
    expect((await h.caller(viewer).provisions.search({ providerId, limit: 200 })).items).toHaveLength(25);
  });

  test('defaults to 50 items a page', async ({ h }) => {
    const provider = (await h.makeProvider()).id;
    for (let i = 0; i < 51; i++)
      await h.makeProvision({ providerId: provider, name: `Bulk ${String(i).padStart(2, '0')}` });
    const page = await h.caller(viewer).provisions.search({ providerId: provider });
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).not.toBeNull();
    const last = await h.caller(viewer).provisions.search({ providerId: provider, cursor: page.nextCursor! });
    expect(last.items.map((p) => p.name)).toEqual(['Bulk 50']);
    expect(last.nextCursor).toBeNull();
  });
});

describe('providers.search pagination', () => {
  test('pages through every provider exactly once, ordered by (name, id)', async ({ h }) => {
    const expected: { id: string; name: string }[] = [];
    for (const n of [4, 1, 3, 1, 2, 4, 0, 2, 3, 1, 0]) {
      expected.push(await h.makeProvider({ name: `Pager Org ${n}` }));
    }
    expected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pagesSeen = 0;
    do {
      const page = await h
        .caller(viewer)
        .providers.search({ q: 'pager org', limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
      pagesSeen++;
    } while (cursor && pagesSeen < 10);
    expect(pagesSeen).toBe(3);
    expect(seen).toEqual(expected.map((p) => p.id));
  });
});
