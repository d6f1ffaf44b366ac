// The feed reads a page range by range (server/src/events/feed.ts: a first read of 1,000 positions,
// then larger ones). A member that may see only a few events among thousands it may not still gets
// every one of its own, in order, without gaps or repeats — after a cursor, a page at a time, or as
// the latest N — and none of the others slips in.
import { describe, expect } from 'vitest';
import type { CcxEvent } from '@ccx/schema';
import { tables } from '@ccx/server/testing';
import { test, uniq, type Harness } from '../../support/harness.js';
import { feed, mark, NOW, settle } from './fixtures.js';

test.override({ clockAt: NOW });

/** Several first reads long, the reader's events further apart than one: a page needs later reads. */
const STRETCH = 4000;
const EVERY = 1200;

/**
 * Writes STRETCH events addressed to `other`, every EVERY-th of them (from the 8th) to `reader`
 * instead, each tagged with its place; answers the places of the reader's.
 */
const writeSparse = async (h: Harness, reader: string, other: string, tag: string): Promise<number[]> => {
  const to = (n: number) => (n % EVERY === 7 ? reader : other);
  const rows = Array.from({ length: STRETCH }, (_, n) => ({
    type: 'deadline.action-overdue',
    at: new Date(NOW),
    audience: 'authorities',
    audienceAuthorityIds: [to(n)],
    summary: { tag, n },
    detail: { tag, n },
  }));
  for (let i = 0; i < rows.length; i += 500) await h.db.insert(tables.events).values(rows.slice(i, i + 500));
  await settle(h);
  return rows.flatMap((_, n) => (to(n) === reader ? [n] : []));
};

/** The places of the tagged events among `items` (other tests' events may be there too). */
const places = (items: CcxEvent[], tag: string): unknown[] =>
  items.filter((e) => e.data.tag === tag).map((e) => e.data.n);

describe('a feed its reader sees only sparsely', () => {
  test('comes whole and in order, whatever the page size, and gives nobody else its events', async ({
    h,
    w,
  }) => {
    const since = await mark(h);
    const tag = uniq();
    const mine = await writeSparse(h, w.member.id, w.lead.id, tag);
    expect(mine).toEqual([7, 1207, 2407, 3607]);

    // One page holds them all: its reads go on past stretches that hold none of them.
    const page = await h.caller(w.member.officer).events.list({ since, limit: 100 });
    expect(places(page.items, tag)).toEqual(mine);
    expect(places(await feed(h, w.member, since), tag)).toEqual(mine);
    expect(places(await feed(h, w.member, since, { limit: 2 }), tag)).toEqual(mine);
    expect(places(await feed(h, w.member, since, { limit: 1 }), tag)).toEqual(mine);

    const theirs = places(await feed(h, w.lead, since, { limit: 500 }), tag);
    expect(theirs).toHaveLength(STRETCH - mine.length);
    expect(theirs.some((n) => mine.includes(n as number))).toBe(false);
  });

  test('the latest N reach back across it, oldest first', async ({ h, w }) => {
    const tag = uniq();
    const mine = await writeSparse(h, w.member.id, w.lead.id, tag);
    const page = await h.caller(w.member.officer).events.list({ latest: 500 });
    expect(places(page.items, tag)).toEqual(mine);
    const ids = page.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(page.nextSince).toBe(page.items.at(-1)!.id);

    const three = await h.caller(w.member.officer).events.list({ latest: 3 });
    // Other test files' events may be newer; none of the reader's is left out in favour of an older one.
    const newest = places(three.items, tag);
    expect(newest).toEqual(mine.slice(mine.length - newest.length));
  });
});
