// Events over real HTTP (issue: events): the pull feed (GET /trpc/events.list) and the live subscription
// (server-sent events through @trpc/client's httpSubscriptionLink, with the token in the Authorization
// header or as the `token` connection parameter) deliver the same need-to-know filtered sequence to a
// placing authority and to a bare member; a subscription resumes after the last event id it saw, without
// repeats; an unauthenticated subscription is refused with a plain 401 before any stream starts.
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { EventSource, type FetchLike } from 'eventsource';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import type { CcxEvent } from '@ccx/schema';
import type { AppRouter } from '@ccx/server';
import { headSeq } from '@ccx/server/testing';
import { startJobs } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { httpTest, type HttpHarness } from '../support/http.js';
import {
  londonToday,
  makeMember,
  plusDays,
  publishOutcome,
  queryRows,
  uniq,
  type World,
} from '../support/harness.js';

/** The background work a hub process runs, for the whole file: here it sequences events (every 20 ms). */
const test = httpTest.extend('jobs', { scope: 'file', auto: true }, ({ h }, { onCleanup }) => {
  const jobs = startJobs(h.hub, { fastMs: 20, slowMs: 3_600_000 });
  onCleanup(() => jobs.stop());
  return jobs;
});

let placingToken: string;
let memberToken: string;

// Viewers of a placing authority and of a bare member, each with a token.
test.beforeAll(async ({ h, w }) => {
  placingToken = (await h.makeClientWithToken(w.placing.id, 'viewer')).token;
  memberToken = (await h.makeClientWithToken(w.member.id, 'viewer')).token;
});

type Client = TRPCClient<AppRouter>;

/** A tRPC client whose subscriptions go over SSE: the token as a header, or as a connection parameter. */
const clientFor = (h: HttpHarness, token: string, via: 'header' | 'connectionParams'): Client =>
  createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${h.baseUrl}/trpc`,
          EventSource,
          ...(via === 'header'
            ? {
                eventSourceOptions: {
                  // The `eventsource` package sends what its fetch sends: here, the Authorization header.
                  fetch: ((input, init) =>
                    fetch(input, {
                      ...init,
                      headers: { ...init.headers, authorization: `Bearer ${token}` },
                    })) satisfies FetchLike,
                },
              }
            : { connectionParams: () => ({ token }) }),
        }),
        false: httpLink({ url: `${h.baseUrl}/trpc`, headers: { authorization: `Bearer ${token}` } }),
      }),
    ],
  });

type Live = { events: CcxEvent[]; ids: string[]; errors: unknown[]; started: Promise<void>; stop(): void };

const live = (client: Client, input: { lastEventId?: string } = {}): Live => {
  const events: CcxEvent[] = [];
  const ids: string[] = [];
  const errors: unknown[] = [];
  let onStarted!: () => void;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const sub = client.events.subscribe.subscribe(input, {
    onStarted: () => onStarted(),
    onData: (tracked) => {
      ids.push(tracked.id);
      events.push(tracked.data);
    },
    onError: (err) => errors.push(err),
  });
  return { events, ids, errors, started, stop: () => sub.unsubscribe() };
};

const waitFor = async (what: string, cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** The feed over HTTP: GET /trpc/events.list with the bearer token, every page after `since`. */
const feedOverHttp = async (h: HttpHarness, token: string, since: string): Promise<CcxEvent[]> => {
  const all: CcxEvent[] = [];
  let cursor = since;
  for (;;) {
    const answer = await h.trpcGet('events.list', `Bearer ${token}`, { since: cursor, limit: 3 });
    expect(answer.status).toBe(200);
    const page = (answer.body as { result: { data: { items: CcxEvent[]; nextSince: string | null } } }).result
      .data;
    if (page.items.length === 0) {
      expect(page.nextSince).toBe(cursor);
      return all;
    }
    all.push(...page.items);
    cursor = page.nextSince!;
  }
};

/** Waits until every committed event is sequenced (the background job may hold the sequencer's lock). */
const settle = async (h: HttpHarness) => {
  for (;;) {
    await sequenceEvents(h.hub.database.db);
    const [row] = await queryRows<{ n: number }>(
      h.hub.database.db,
      sql`select count(*)::int as n from events where seq is null`,
    );
    if (row!.n === 0) return;
    await sleep(10);
  }
};

/** The feed's head once everything committed is sequenced: events after it are new. */
const mark = async (h: HttpHarness): Promise<string> => {
  await settle(h);
  return String(await headSeq(h.hub.database.db));
};

/** A few changes at the world's provision: what placing and member see of them differs. */
const someChanges = async (h: HttpHarness, w: World) => {
  const o = await publishOutcome(h, w.lead.officer, w.provision.id, {
    nextDueOn: plusDays(londonToday(new Date()), 365),
  });
  const reasons = [{ category: 'quality' as const, text: `reason ${uniq()}` }];
  await h
    .caller(w.publisher.officer)
    .restrictions.create({ provisionId: w.provision.id, kind: 'action-plan', reasons });
  await h
    .caller(w.publisher.officer)
    .restrictions.create({ provisionId: w.provision.id, kind: 'informal-embargo', reasons });
  const seeker = await makeMember(h, 'seeker');
  await h.caller(seeker.officer).access.requestProspective({
    provisionId: w.provision.id,
    reason: 'a possible placement for a child',
    caseReference: `CASE-${uniq()}`,
  });
  await h.caller(h.hubAdmin).allocations.assign({
    provisionId: w.provision.id,
    authorityId: w.lead.id,
    rationale: `again ${uniq()}`,
  });
  return o;
};

describe('the feed over HTTP', () => {
  test('GET /trpc/events.list pages the filtered feed; bad input is a 400, no token a 401', async ({
    h,
    w,
  }) => {
    const since = await mark(h);
    const o = await someChanges(h, w);
    await settle(h);
    const placing = await feedOverHttp(h, placingToken, since);
    const member = await feedOverHttp(h, memberToken, since);
    // The informal embargo (restricted) reaches both as a signal, under a signal's type, not its own.
    expect(placing.map((e) => e.type)).toEqual([
      'outcome.published',
      'restriction.created',
      'signal.raised',
      'allocation.changed',
    ]);
    expect(member.map((e) => e.type)).toEqual(placing.map((e) => e.type));
    expect(member.map((e) => e.id)).toEqual(placing.map((e) => e.id));
    expect(placing[2]).toMatchObject({ recordType: null, recordId: null });
    expect(placing[2]!.data.signalId).toMatch(/^sig_[A-Za-z0-9_-]{22}$/);
    expect(member[2]!.data.signalId).not.toBe(placing[2]!.data.signalId);
    expect(placing.map((e) => e.layer)).toEqual(['detail', 'detail', 'signal', 'summary']);
    expect(member.map((e) => e.layer)).toEqual(['summary', 'summary', 'signal', 'summary']);
    expect(placing[0]!.data).toMatchObject({ findings: o.input.findings });
    expect(JSON.stringify(member)).not.toContain(o.input.findings);

    const bad = await h.trpcGet('events.list', `Bearer ${placingToken}`, { since: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('since');
    const big = await h.trpcGet('events.list', `Bearer ${placingToken}`, { limit: 100_000 });
    expect(big.status).toBe(400);
    const anonymous = await h.trpcGet('events.list', undefined, {});
    expect(anonymous.status).toBe(401);
  });
});

describe('the live subscription', () => {
  test('delivers the same filtered sequence as the feed, to a placing authority and to a bare member', async ({
    h,
    w,
  }) => {
    const since = await mark(h);
    const placing = live(clientFor(h, placingToken, 'header'), { lastEventId: since });
    const member = live(clientFor(h, memberToken, 'connectionParams'), { lastEventId: since });
    await Promise.all([placing.started, member.started]);
    await someChanges(h, w);
    await someChanges(h, w);
    await waitFor('8 events each', () => placing.events.length >= 8 && member.events.length >= 8);
    await sleep(700); // one more poll: nothing else arrives
    placing.stop();
    member.stop();
    expect(placing.errors).toEqual([]);
    expect(member.errors).toEqual([]);

    const placingFeed = await feedOverHttp(h, placingToken, since);
    const memberFeed = await feedOverHttp(h, memberToken, since);
    expect(placingFeed).toHaveLength(8);
    expect(placing.events).toEqual(placingFeed);
    expect(placing.ids).toEqual(placingFeed.map((e) => e.id));
    expect(member.events).toEqual(memberFeed);
    expect(member.ids).toEqual(memberFeed.map((e) => e.id));
    // The same events, each at its own layer; no one sees the pre-placement grant of another.
    expect(member.ids).toEqual(placing.ids);
    expect(placing.events.some((e) => e.layer === 'detail')).toBe(true);
    expect(member.events.some((e) => e.layer === 'detail')).toBe(false);
    expect(placing.events.map((e) => e.type)).not.toContain('access.prospective-granted');
    const signals = member.events.filter((e) => e.layer === 'signal');
    expect(signals).toHaveLength(2);
    for (const s of signals) expect(s).toMatchObject({ recordId: null, recordType: null });
  });

  test('without lastEventId starts at the newest event; with it resumes right after, without repeats', async ({
    h,
    w,
  }) => {
    const client = clientFor(h, memberToken, 'connectionParams');
    await someChanges(h, w); // history the new stream must not replay
    await settle(h);
    const fresh = live(client);
    await fresh.started;
    await sleep(700); // the stream has fixed its start at the head
    const since = await mark(h);
    await someChanges(h, w);
    await waitFor('the new events', () => fresh.events.length >= 4);
    expect(Number(fresh.ids[0])).toBeGreaterThan(Number(since));
    expect(fresh.events).toEqual((await feedOverHttp(h, memberToken, since)).slice(0, fresh.events.length));

    // Stop after two, miss some while away, and resume from the last id seen.
    const first = live(client, { lastEventId: since });
    await first.started;
    await waitFor('two events', () => first.events.length >= 2);
    first.stop();
    fresh.stop();
    const seen = first.ids.length;
    await someChanges(h, w);
    const resumed = live(clientFor(h, memberToken, 'header'), { lastEventId: first.ids[seen - 1]! });
    await resumed.started;
    await settle(h);
    const expected = await feedOverHttp(h, memberToken, since);
    expect(expected).toHaveLength(8);
    await waitFor('the rest', () => seen + resumed.events.length >= expected.length);
    await sleep(700);
    resumed.stop();
    const all = [...first.ids.slice(0, seen), ...resumed.ids];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expected.map((e) => e.id));
    expect(resumed.events).toEqual(expected.slice(seen));
  });

  test('the raw stream: text/event-stream with the event id on each message, Last-Event-ID resumes', async ({
    h,
    w,
  }) => {
    const since = await mark(h);
    await someChanges(h, w);
    await settle(h);
    const expected = await feedOverHttp(h, placingToken, since);
    const ac = new AbortController();
    const input = encodeURIComponent(JSON.stringify({}));
    const res = await fetch(`${h.baseUrl}/trpc/events.subscribe?input=${input}`, {
      headers: {
        authorization: `Bearer ${placingToken}`,
        'last-event-id': expected[0]!.id,
        accept: 'text/event-stream',
      },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const decoder = new TextDecoder();
    let text = '';
    const complete = () =>
      (text.match(/^id: /gm) ?? []).length >= expected.length - 1 && text.endsWith('\n\n');
    const timer = setTimeout(() => ac.abort(), 10_000);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        if (complete()) break;
      }
    } catch {
      // aborted after 10 s: the assertions below say what was missing
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(expected.slice(1).map((e) => e.id));
    const datas = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as CcxEvent);
    expect(datas.filter((d) => typeof d === 'object' && d !== null && 'type' in d)).toEqual(
      expected.slice(1),
    );
  });

  test('an unauthenticated subscription is refused with a plain 401, never a stream', async ({ h }) => {
    const input = encodeURIComponent(JSON.stringify({ lastEventId: '0' }));
    const url = `${h.baseUrl}/trpc/events.subscribe?input=${input}`;
    const cases: [string, RequestInit, RegExp][] = [
      ['no token', { headers: { accept: 'text/event-stream' } }, /^Bearer realm="ccx"$/],
      [
        'a bad bearer token',
        { headers: { accept: 'text/event-stream', authorization: 'Bearer not.a.token' } },
        /invalid_token/,
      ],
      ['a member token, tampered', { headers: { authorization: `Bearer ${memberToken}x` } }, /invalid_token/],
    ];
    for (const [what, init, challenge] of cases) {
      const res = await fetch(url, init);
      expect(res.status, what).toBe(401);
      expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
      expect(res.headers.get('www-authenticate'), what).toMatch(challenge);
      const body = (await res.json()) as { error: { data: { code: string; httpStatus: number } } };
      expect(body.error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
    // A bad token as a connection parameter, likewise.
    const params = encodeURIComponent(JSON.stringify({ token: 'not.a.token' }));
    const res = await fetch(`${url}&connectionParams=${params}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await res.text();

    // Through the client: no data, an error instead of a stream.
    const anonymous = createTRPCClient<AppRouter>({
      links: [httpSubscriptionLink({ url: `${h.baseUrl}/trpc`, EventSource })],
    });
    const sub = live(anonymous, { lastEventId: '0' });
    await sleep(500);
    sub.stop();
    expect(sub.events).toEqual([]);
  });
});
