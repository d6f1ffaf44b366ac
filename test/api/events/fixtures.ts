// Shared helpers for the event-feed tests: the clock at 2026-06-15; settle and mark (sequence what is
// committed, answer the feed's head); feed, eventsAbout, oneEvent and expectNone; restrictionInput, detail
// and expectNoText (what only the detail layer may carry).
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type CcxEvent, type EventType, type RestrictionCreate } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { headSeq } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { queryRows, uniq, type Harness, type Member } from '../../support/harness.js';

export const NOW = '2026-06-15T10:00:00Z'; // a Monday
export const TODAY = '2026-06-15';

export const unsequenced = async (h: Harness): Promise<number> =>
  (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from events where seq is null`))[0]!.n;

/**
 * Sequences everything committed so far; answers how many events got an id. The sequencer waits for
 * every transaction older than an event to end — on PostgreSQL that is any in the cluster, other test
 * files' included — so one call may leave some for later.
 */
export const settle = async (h: Harness): Promise<number> => {
  const end = Date.now() + 20_000;
  let n = 0;
  for (;;) {
    n += await sequenceEvents(h.db);
    if ((await unsequenced(h)) === 0) return n;
    if (Date.now() > end) throw new Error('events stayed unsequenced for 20 s');
    await sleep(10);
  }
};

/** Sequences everything committed so far and answers the feed's head: events after it are new. */
export const mark = async (h: Harness): Promise<string> => {
  await settle(h);
  return String(await headSeq(h.db));
};

export const who = (m: Member | Principal): Principal => ('officer' in m ? m.officer : m);

/** Every event after `since` that the authority may see, page by page. */
export const feed = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  opts: { types?: EventType[]; limit?: number } = {},
): Promise<CcxEvent[]> => {
  const all: CcxEvent[] = [];
  let cursor = since;
  for (;;) {
    const page = await h.caller(who(m)).events.list({ since: cursor, limit: opts.limit ?? 100, ...opts });
    if (page.items.length === 0) {
      expect(page.nextSince).toBe(cursor);
      return all;
    }
    expect(page.nextSince).toBe(page.items[page.items.length - 1]!.id);
    all.push(...page.items);
    cursor = page.nextSince!;
  }
};

/** Sequences, then answers the events after `since` about one record (or, for others, one provision). */
export const eventsAbout = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  match: { recordId?: string; provisionId?: string; type?: EventType },
): Promise<CcxEvent[]> => {
  await settle(h);
  return (await feed(h, m, since)).filter(
    (e) =>
      (match.recordId === undefined || e.recordId === match.recordId) &&
      (match.provisionId === undefined || e.provisionId === match.provisionId) &&
      (match.type === undefined || e.type === match.type),
  );
};

/** The one event of a type about a record that an authority sees after `since`. */
export const oneEvent = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  match: { recordId?: string; provisionId?: string; type: EventType },
): Promise<CcxEvent> => {
  const found = await eventsAbout(h, m, since, match);
  expect(found, `${match.type} for ${'officer' in m ? m.id : m.authorityId}`).toHaveLength(1);
  return found[0]!;
};

export const expectNone = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  match: { recordId?: string; provisionId?: string; type?: EventType },
) => {
  expect(await eventsAbout(h, m, since, match)).toEqual([]);
};

export const restrictionInput = (
  provisionId: string,
  kind: RestrictionCreate['kind'],
  overrides: Partial<RestrictionCreate> = {},
) => {
  const tag = uniq();
  return {
    provisionId,
    kind,
    reasons: [{ category: 'safeguarding' as const, text: `reason text ${tag}` }],
    contractScope: 'framework-lot' as const,
    contractReference: `lot ref ${tag}`,
    summary: `restriction summary ${tag}`,
    details: `restriction details ${tag}`,
    ...overrides,
  };
};

/** The detail view a writer gets back (any other layer fails the test). */
export const detail = <V extends { layer: string }>(v: V): Extract<V, { layer: 'detail' }> => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${v.layer}`);
  return v as Extract<V, { layer: 'detail' }>;
};

/** What only the detail layer may carry, so none of it may appear in a summary or signal. */
export const expectNoText = (e: CcxEvent, texts: string[]) => {
  const json = JSON.stringify(e);
  for (const t of texts) expect(json, `"${t}" leaked into ${e.layer}`).not.toContain(t);
};
