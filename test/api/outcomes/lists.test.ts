// Cursor paging of the record lists: restrictions.list, outcomes.list (every provision at once) and
// allocations.list. Each walks every item exactly once in its documented order and ends with a null
// cursor; each item is at the caller's layer and equals what a single read gives; restricted records
// the caller may not read come as one signal per publisher and target, whole on the first page only;
// drafts stay their writer's; the filters narrow; currentOnly keeps pages full; bad cursors are 400s;
// and detail read through outcomes.list is audited.
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import type { Allocation, AuditEntry, OutcomeView, RestrictionKind, RestrictionView } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import {
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  test,
  uniq,
  type Harness,
  type Member,
  type World,
} from '../../support/harness.js';
import { RESTRICTION_SIGNAL_KEYS } from '../names-fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
const TODAY = '2026-06-15';
const TOMORROW = '2026-06-16';
test.override({ clockAt: NOW });

type Caller = ReturnType<Harness['caller']>;
type OutcomeListArgs = NonNullable<Parameters<Caller['outcomes']['list']>[0]>;
type RestrictionListArgs = NonNullable<Parameters<Caller['restrictions']['list']>[0]>;
type AllocationListArgs = NonNullable<Parameters<Caller['allocations']['list']>[0]>;
type Page<T> = { items: T[]; nextCursor: string | null };

let y: Member; // publishes too; hosts provision Q
let g: Member; // a bare member the publisher shares one restricted record with
let q: string; // a second provision, in Y's area, of another provider

/** Who may read what: the test's own model of the policy, written out rather than asked of the hub. */
type Known = {
  id: string;
  publisher: string;
  provisionId: string | null;
  providerId: string | null;
  date: string;
  restricted: boolean;
  sharedWith: string[];
};
const outcomeRecs: Record<string, Known> = {};
const restrictionRecs: Record<string, Known> = {};
const drafts: Record<string, string> = {};
const inbox: Record<string, string> = {};
/** lead, host or placing authorities, by provision (and so by the provider of P, which has only P). */
let needToKnow: Record<string, Set<string>>;

type Who = { name: string; id: string; principal: Principal };
let callers: Who[];
const who = (name: string): Who => callers.find((c) => c.name === name)!;

// The world these lists are read from, made once for the file.
test.beforeAll(async ({ h, w }) => {
  y = await makeMember(h, 'otherpub');
  g = await makeMember(h, 'sharee');
  q = (await h.makeProvision({ hostAuthorityId: y.id })).id;
  const p = w.provision.id;
  const providerP = w.provision.providerId;
  for (const m of [w.host, w.lead, w.placing, w.member, w.publisher, y, g]) inbox[m.id] = m.qaInbox;
  needToKnow = {
    [p]: new Set([w.lead.id, w.host.id, w.placing.id]),
    [providerP]: new Set([w.lead.id, w.host.id, w.placing.id]),
    [q]: new Set([y.id]),
  };
  callers = [
    { name: 'publisher', id: w.publisher.id, principal: w.publisher.officer },
    { name: 'lead', id: w.lead.id, principal: w.lead.officer },
    { name: 'host', id: w.host.id, principal: w.host.officer },
    { name: 'placing', id: w.placing.id, principal: w.placing.officer },
    { name: 'member', id: w.member.id, principal: w.member.officer },
    { name: 'granted', id: g.id, principal: g.officer },
    { name: 'other publisher', id: y.id, principal: y.officer },
    { name: 'hub-admin', id: h.hostAuthorityId, principal: h.hubAdmin },
  ];

  // Outcomes: o* open, r* restricted, three of them on one date so the id breaks the tie.
  const outcomePlan: [string, Member, string, string, boolean][] = [
    ['o1', w.publisher, p, '2026-06-10', false],
    ['o2', w.lead, p, '2026-06-10', false],
    ['o3', y, p, '2026-05-20', false],
    ['o4', w.publisher, q, '2026-06-10', false],
    ['o5', y, q, '2026-04-01', false],
    ['o6', w.lead, q, '2026-05-01', false],
    ['o7', w.publisher, p, '2026-03-15', false],
    ['o8', w.placing, p, '2026-06-01', false],
    ['r1', w.publisher, p, '2026-06-12', true],
    ['r2', w.publisher, p, '2026-02-01', true],
    ['r3', y, p, '2026-05-05', true],
    ['r4', w.publisher, q, '2026-01-10', true],
  ];
  const versions: Record<string, number> = {};
  for (const [name, m, provisionId, activityDate, restricted] of outcomePlan) {
    const o = await publishOutcome(h, m.officer, provisionId, { activityDate, restricted });
    versions[name] = o.version;
    outcomeRecs[name] = {
      id: o.id,
      publisher: m.id,
      provisionId,
      providerId: null,
      date: activityDate,
      restricted,
      sharedWith: [],
    };
  }
  await h.caller(y.officer).outcomes.withdraw({
    id: outcomeRecs.o5!.id,
    version: versions.o5!,
    reason: 'entered in error',
  });
  await h.caller(w.lead.officer).outcomes.amend({
    id: outcomeRecs.o6!.id,
    version: versions.o6!,
    reason: 'rating corrected',
    changes: { overallRating: 2 },
  });
  await h
    .caller(w.publisher.officer)
    .access.share({ recordType: 'outcome', recordId: outcomeRecs.r1!.id, authorityId: g.id });
  outcomeRecs.r1!.sharedWith.push(g.id);
  for (const [name, m, provisionId, activityDate] of [
    ['d1', w.publisher, p, '2026-06-14'],
    ['d2', y, q, '2026-06-13'],
  ] as const) {
    const d = await h.caller(m.officer).outcomes.create(outcomeInput(provisionId, { activityDate }));
    drafts[name] = d.layer === 'detail' ? d.id : '';
  }

  // Restrictions: s* open, t* restricted; three of them take effect on one date.
  const restrictionPlan: [
    string,
    Member,
    { provisionId: string } | { providerId: string },
    RestrictionKind,
    string,
    boolean,
  ][] = [
    ['s1', w.publisher, { provisionId: p }, 'embargo', '2026-06-01', false],
    ['s2', y, { provisionId: p }, 'action-plan', '2026-06-01', false],
    ['s3', w.publisher, { provisionId: q }, 'letter-of-concern', '2026-05-10', false],
    ['s4', w.lead, { providerId: providerP }, 'framework-suspension', '2026-06-01', false],
    ['s5', y, { provisionId: q }, 'causing-concern-level', '2026-04-01', false],
    ['s6', w.publisher, { provisionId: p }, 'embargo', '2026-07-01', false],
    ['t1', w.publisher, { provisionId: p }, 'informal-embargo', '2026-06-10', true],
    ['t2', w.publisher, { provisionId: p }, 'action-plan', '2026-03-01', true],
    ['t3', y, { provisionId: q }, 'informal-embargo', '2026-05-15', true],
    ['t4', w.publisher, { providerId: providerP }, 'informal-embargo', '2026-04-20', true],
  ];
  for (const [name, m, target, kind, effectiveFrom, restricted] of restrictionPlan) {
    const r = await h.caller(m.officer).restrictions.create({
      ...target,
      kind,
      effectiveFrom,
      restricted,
      reasons: [{ category: 'quality', text: `reason ${name} ${uniq()}` }],
      // A causing-concern-level restriction carries its level (Knowsley's 1 or 2), and only it does.
      ...(kind === 'causing-concern-level' ? { concernLevel: 2 as const } : {}),
    });
    restrictionRecs[name] = {
      id: r.layer === 'detail' ? r.id : '',
      publisher: m.id,
      provisionId: 'provisionId' in target ? target.provisionId : null,
      providerId: 'providerId' in target ? target.providerId : null,
      date: effectiveFrom,
      restricted,
      sharedWith: [],
    };
  }
  await h
    .caller(w.publisher.officer)
    .access.share({ recordType: 'restriction', recordId: restrictionRecs.t1!.id, authorityId: g.id });
  restrictionRecs.t1!.sharedWith.push(g.id);
});

// ---------------------------------------------------------------------------------------------------
// Helpers

/** The layer the access model gives `authorityId` for a published record. */
const layerOf = (authorityId: string, r: Known): 'detail' | 'summary' | 'signal' => {
  if (r.publisher === authorityId || r.sharedWith.includes(authorityId)) return 'detail';
  if (r.restricted) return 'signal';
  return needToKnow[r.provisionId ?? r.providerId!]!.has(authorityId) ? 'detail' : 'summary';
};

/** Newest first, then id descending (UUIDs in lower-case hex compare as PostgreSQL compares them). */
const newestFirst = (a: Known, b: Known) =>
  a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** The ids a caller should get as items (not signals), in list order. */
const expectedIds = (
  recs: Record<string, Known>,
  authorityId: string,
  keep: (r: Known) => boolean = () => true,
) =>
  Object.values(recs)
    .filter((r) => keep(r) && layerOf(authorityId, r) !== 'signal')
    .sort(newestFirst)
    .map((r) => r.id);

/** The signals a caller should get, as "contact|provision|provider", sorted. */
const expectedSignals = (
  recs: Record<string, Known>,
  authorityId: string,
  keep: (r: Known) => boolean = () => true,
) =>
  [
    ...new Set(
      Object.values(recs)
        .filter((r) => keep(r) && layerOf(authorityId, r) === 'signal')
        .map((r) => `${inbox[r.publisher]}|${r.provisionId ?? '-'}|${r.providerId ?? '-'}`),
    ),
  ].sort();

/** How many records each expected signal stands for (its number of signal ids), as "signal#n", sorted. */
const expectedSignalCounts = (recs: Record<string, Known>, authorityId: string) => {
  const counts = new Map<string, number>();
  for (const r of Object.values(recs))
    if (layerOf(authorityId, r) === 'signal') {
      const key = `${inbox[r.publisher]}|${r.provisionId ?? '-'}|${r.providerId ?? '-'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return [...counts].map(([key, n]) => `${key}#${n}`).sort();
};

type AnyView = OutcomeView | RestrictionView;
const idOf = (v: AnyView): string | null => ('id' in v ? v.id : null);
const itemIds = (views: AnyView[]): string[] => views.flatMap((v) => ('id' in v ? [v.id] : []));
const signalsOf = (views: AnyView[]): string[] =>
  views
    .flatMap((v) =>
      v.layer === 'signal'
        ? [`${v.contact}|${v.provisionId ?? '-'}|${'providerId' in v ? (v.providerId ?? '-') : '-'}`]
        : [],
    )
    .sort();
/** The signals of `views` with the number of opaque ids each carries, as "signal#n", sorted. */
const signalCountsOf = (views: AnyView[]): string[] =>
  views
    .flatMap((v) =>
      v.layer === 'signal'
        ? [
            `${v.contact}|${v.provisionId ?? '-'}|${'providerId' in v ? (v.providerId ?? '-') : '-'}#${v.signalIds.length}`,
          ]
        : [],
    )
    .sort();
/** Every signal id in `views`. */
const signalIdsOf = (views: AnyView[]): string[] =>
  views.flatMap((v) => (v.layer === 'signal' ? v.signalIds : [])).sort();
/**
 * `views` without their signal ids: the signals first (as a page has them), in the order of what they
 * name, since a page orders them by their opaque ids and a new id may move one; then the records.
 */
const withoutSignalIds = (views: AnyView[]) => [
  ...views
    .flatMap((v) => (v.layer === 'signal' ? [{ ...v, signalIds: undefined }] : []))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  ...views.filter((v) => v.layer !== 'signal'),
];

/** Follows nextCursor to the end, returning each page's items. */
const walk = async <T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[][]> => {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 60; i++) {
    const page = await fetch(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    expect(typeof page.nextCursor).toBe('string');
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
};

const outcomePages = (h: Harness, p: Principal, input: OutcomeListArgs) =>
  walk((cursor) => h.caller(p).outcomes.list({ ...input, ...(cursor ? { cursor } : {}) }));
const restrictionPages = (h: Harness, p: Principal, input: RestrictionListArgs) =>
  walk((cursor) => h.caller(p).restrictions.list({ ...input, ...(cursor ? { cursor } : {}) }));
const allocationPages = (h: Harness, p: Principal, input: AllocationListArgs) =>
  walk((cursor) => h.caller(p).allocations.list({ ...input, ...(cursor ? { cursor } : {}) }));

const lastEntry = async (h: Harness, m: Principal): Promise<AuditEntry | undefined> =>
  (await h.caller(m).audit.list({ scope: 'mine', limit: 1 })).items[0];
const headSeq = async (h: Harness, m: Principal): Promise<number> =>
  (await h.caller(m).audit.verify()).head?.seq ?? 0;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A call given a foreign cursor: either a 400 or an ordinary page, never a server error. */
const badRequestOrPage = async (call: Promise<Page<unknown>>, label: string) => {
  try {
    const page = await call;
    expect(Array.isArray(page.items), label).toBe(true);
    expect(page.nextCursor === null || typeof page.nextCursor === 'string', label).toBe(true);
    return 'page' as const;
  } catch (err) {
    expect(err, label).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code, `${label}: ${(err as Error).message}`).toBe('BAD_REQUEST');
    return 'bad-request' as const;
  }
};

// ---------------------------------------------------------------------------------------------------

describe('outcomes.list: paging', () => {
  test('the world is as planned: 12 published outcomes, 4 restricted, one tie of three dates', ({ w }) => {
    expect(Object.keys(outcomeRecs)).toHaveLength(12);
    expect(Object.values(outcomeRecs).filter((r) => r.date === '2026-06-10')).toHaveLength(3);
    expect(expectedIds(outcomeRecs, w.member.id)).toHaveLength(8);
    expect(expectedIds(outcomeRecs, w.publisher.id)).toHaveLength(11);
  });

  test.for(['member', 'lead', 'publisher', 'granted'])(
    'walks every outcome %s may know of exactly once, activityDate then id descending, limits 1, 2 and 3 agreeing with one page of 500',
    async (name, { h }) => {
      const c = who(name);
      const big = await h.caller(c.principal).outcomes.list({ limit: 500 });
      expect(big.nextCursor).toBeNull();
      const ids = itemIds(big.items);
      expect(ids).toEqual(expectedIds(outcomeRecs, c.id));
      expect(new Set(ids).size).toBe(ids.length);
      // The default limit (200) holds them all too.
      expect(await h.caller(c.principal).outcomes.list()).toEqual(big);

      for (const limit of [1, 2, 3]) {
        const pages = await outcomePages(h, c.principal, { limit });
        const counts = pages.map((p) => itemIds(p).length);
        expect(counts, `limit ${limit}`).toEqual(
          Array.from({ length: Math.ceil(ids.length / limit) }, (_, i) =>
            Math.min(limit, ids.length - i * limit),
          ),
        );
        // Signals first on the first page, then the page's items: the concatenation is the big page.
        expect(pages.flat(), `limit ${limit}`).toEqual(big.items);
        for (const later of pages.slice(1)) expect(signalsOf(later)).toEqual([]);
      }
    },
  );

  test('a last page that is exactly full still ends with a null cursor', async ({ h, w }) => {
    // The member knows of 8: limit 4 gives two full pages and no third, empty one.
    const first = await h.caller(w.member.officer).outcomes.list({ limit: 4 });
    expect(itemIds(first.items)).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    const second = await h.caller(w.member.officer).outcomes.list({ limit: 4, cursor: first.nextCursor! });
    expect(itemIds(second.items)).toHaveLength(4);
    expect(second.nextCursor).toBeNull();
  });

  test('refuses a limit of 0 or 501 and accepts 500', async ({ h, w }) => {
    await expectTRPCError(h.caller(w.member.officer).outcomes.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(w.member.officer).outcomes.list({ limit: 501 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(w.member.officer).restrictions.list({ limit: 501 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(w.member.officer).allocations.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(w.member.officer).allocations.list({ limit: 501 }), 'BAD_REQUEST');
  });
});

describe('outcomes.list: layers', () => {
  test('gives each caller each outcome at the layer the policy gives, equal to outcomes.get', async ({
    h,
  }) => {
    for (const c of callers) {
      const { items } = await h.caller(c.principal).outcomes.list({ limit: 500 });
      for (const item of items) {
        if (item.layer === 'signal') continue;
        const rec = Object.values(outcomeRecs).find((r) => r.id === item.id)!;
        expect(rec, `${c.name}: unknown ${item.id}`).toBeDefined();
        expect(item.layer, `${c.name} ${item.id}`).toBe(layerOf(c.id, rec));
        expect(item, `${c.name} ${item.id}`).toEqual(
          await h.caller(c.principal).outcomes.get({ id: item.id }),
        );
      }
      expect(signalsOf(items), c.name).toEqual(expectedSignals(outcomeRecs, c.id));
    }
  });

  test('spot checks against the access model: lead detail at P and summary at Q, member summary everywhere, hub-admin no detail', async ({
    h,
    w,
  }) => {
    const layers = async (p: Principal) =>
      Object.fromEntries(
        (await h.caller(p).outcomes.list({ limit: 500 })).items.flatMap((v) =>
          'id' in v ? [[v.id, v.layer]] : [],
        ),
      );
    const o = (n: string) => outcomeRecs[n]!.id;
    const lead = await layers(w.lead.officer);
    expect([lead[o('o1')], lead[o('o3')], lead[o('o8')], lead[o('o6')]]).toEqual([
      'detail',
      'detail',
      'detail',
      'detail',
    ]);
    expect([lead[o('o4')], lead[o('o5')]]).toEqual(['summary', 'summary']);
    expect(lead[o('r1')]).toBeUndefined();
    for (const p of [w.member.officer, h.hubAdmin]) {
      expect(new Set(Object.values(await layers(p)))).toEqual(new Set(['summary']));
    }
    const granted = await layers(g.officer);
    expect(granted[o('r1')]).toBe('detail');
    expect(granted[o('r2')]).toBeUndefined();
    expect(granted[o('o1')]).toBe('summary');
    // The host of Q reads Q's outcomes in detail, withdrawn and amended ones included.
    const host = await layers(y.officer);
    expect([host[o('o4')], host[o('o5')], host[o('o6')], host[o('o1')]]).toEqual([
      'detail',
      'detail',
      'detail',
      'summary',
    ]);
  });

  test('a summary item carries nothing of the detail', async ({ h, w }) => {
    const { items } = await h.caller(w.member.officer).outcomes.list({ limit: 500 });
    for (const item of items.filter((v) => v.layer === 'summary')) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'activityDate',
          'activityType',
          'byLead',
          'id',
          'layer',
          'overallRating',
          'provision',
          'provisionId',
          'publishedAt',
          'publisherAuthority',
          'publisherAuthorityId',
          'status',
        ].sort(),
      );
    }
    expect(JSON.stringify(items)).not.toContain('findings');
  });

  test('agrees with listForProvision at each provision, for every caller', async ({ h, w }) => {
    for (const c of callers) {
      for (const provisionId of [w.provision.id, q]) {
        const lfp = await h.caller(c.principal).outcomes.listForProvision({ provisionId });
        const listed = await h.caller(c.principal).outcomes.list({ provisionId, limit: 500 });
        expect(
          listed.items.filter((v) => v.layer !== 'signal'),
          `${c.name} at ${provisionId}`,
        ).toEqual(lfp.filter((v) => v.layer !== 'signal'));
        expect(signalsOf(listed.items), `${c.name} at ${provisionId}`).toEqual(signalsOf(lfp));
      }
    }
  });

  test('a suspended authority knows of no outcome and no restriction', async ({ h }) => {
    const gone = await h.makeAuthority({ id: `suspended-${uniq()}` });
    const officer = (await h.makeClient(gone.id, 'officer')).principal;
    expect(itemIds((await h.caller(officer).outcomes.list({ limit: 500 })).items)).toHaveLength(8);
    await h
      .caller(h.hubAdmin)
      .authorities.update({ id: gone.id, version: gone.version, status: 'suspended' });
    expect(await h.caller(officer).outcomes.list({ limit: 500 })).toEqual({ items: [], nextCursor: null });
    expect(await h.caller(officer).restrictions.list({ limit: 500 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe('outcomes.list: restricted signals', () => {
  const restrictedIds = () => ['r1', 'r2', 'r3', 'r4'].map((n) => outcomeRecs[n]!.id);

  test('one signal per publisher and provision, two restricted outcomes from one publisher at P still one, on the first page only', async ({
    h,
    w,
  }) => {
    const p = w.provision.id;
    for (const c of [who('member'), who('lead'), who('host'), who('placing'), who('hub-admin')]) {
      const pages = await outcomePages(h, c.principal, { limit: 2 });
      expect(signalsOf(pages[0]!), c.name).toEqual(
        [`${w.publisher.qaInbox}|${p}|-`, `${y.qaInbox}|${p}|-`, `${w.publisher.qaInbox}|${q}|-`].sort(),
      );
      // The signals lead the first page, and no later page has one.
      expect(pages[0]!.slice(0, 3).map((v) => v.layer)).toEqual(['signal', 'signal', 'signal']);
      for (const later of pages.slice(1))
        expect(
          later.filter((v) => v.layer === 'signal'),
          c.name,
        ).toEqual([]);
      // One opaque id per restricted outcome the signal stands for.
      expect(signalCountsOf(pages[0]!), c.name).toEqual(expectedSignalCounts(outcomeRecs, c.id));
      for (const signal of pages[0]!.filter((v) => v.layer === 'signal')) {
        // The setting's URN and name (directory facts) beside its id, its signal ids, and nothing more.
        expect(Object.keys(signal).sort()).toEqual([
          'contact',
          'layer',
          'message',
          'provision',
          'provisionId',
          'signalIds',
        ]);
        if (signal.layer === 'signal')
          expect(Object.keys(signal.provision ?? {}).sort()).toEqual(['id', 'name', 'urn']);
        if (signal.layer === 'signal') expect(signal.message).toContain(signal.contact);
      }
      // Never an id, a rating or a text of a restricted outcome, on any page.
      const json = JSON.stringify(pages);
      for (const id of restrictedIds()) expect(json, c.name).not.toContain(id);
    }
  });

  // A signal carries one opaque id per record it stands for (so, like the feed, it tells how many), and
  // nothing else about them: another restricted outcome adds its id to its publisher's signal, keeps
  // the ids already there, and changes nothing else on any page.
  test('another restricted outcome adds only its signal id; nothing else the others see changes, on any page', async ({
    h,
    w,
  }) => {
    const before = await outcomePages(h, w.member.officer, { limit: 3 });
    const another = await publishOutcome(h, w.publisher.officer, w.provision.id, {
      activityDate: '2026-06-11',
      restricted: true,
    });
    try {
      const after = await outcomePages(h, w.member.officer, { limit: 3 });
      expect(after.map(withoutSignalIds)).toEqual(before.map(withoutSignalIds));
      const added = signalIdsOf(after.flat()).filter((id) => !signalIdsOf(before.flat()).includes(id));
      expect(added).toHaveLength(1);
      expect(signalIdsOf(after.flat())).toEqual([...signalIdsOf(before.flat()), ...added].sort());
      const publisherSignal = after[0]!.find(
        (v) => v.layer === 'signal' && v.contact === w.publisher.qaInbox && v.provisionId === w.provision.id,
      );
      expect(publisherSignal?.layer === 'signal' && publisherSignal.signalIds).toContain(added[0]);
      expect(JSON.stringify(after)).not.toContain(another.id);
    } finally {
      // The model must know of it for the tests that follow: one more behind the same signal.
      outcomeRecs.r5 = {
        id: another.id,
        publisher: w.publisher.id,
        provisionId: w.provision.id,
        providerId: null,
        date: '2026-06-11',
        restricted: true,
        sharedWith: [],
      };
    }
  });

  test('the granted authority reads the shared one in detail and still gets the signal for the other from that publisher', async ({
    h,
    w,
  }) => {
    const { items } = await h.caller(g.officer).outcomes.list({ limit: 500 });
    expect(items.find((v) => idOf(v) === outcomeRecs.r1!.id)).toMatchObject({
      layer: 'detail',
      restricted: true,
    });
    expect(signalsOf(items)).toContain(`${w.publisher.qaInbox}|${w.provision.id}|-`);
    expect(JSON.stringify(items)).not.toContain(outcomeRecs.r2!.id);
  });

  test('the publisher reads its own restricted outcomes in detail, and sees only the other publisher’s as a signal', async ({
    h,
    w,
  }) => {
    const { items } = await h.caller(w.publisher.officer).outcomes.list({ limit: 500 });
    for (const n of ['r1', 'r2', 'r4'])
      expect(items.find((v) => idOf(v) === outcomeRecs[n]!.id)?.layer, n).toBe('detail');
    expect(signalsOf(items)).toEqual([`${y.qaInbox}|${w.provision.id}|-`]);
  });

  // The signal is to carry no kind, date or count ("not even their number leaks"), but the content
  // filters select the signal rows too: whether a signal appears tells the activity date (and, over two
  // disjoint ranges, that there are several) and the status of restricted outcomes.
  test('whether a signal shows does not depend on the activity dates or status asked for', async ({
    h,
    w,
  }) => {
    const m = w.member.officer;
    const signals = async (input: OutcomeListArgs) =>
      signalsOf(
        (await h.caller(m).outcomes.list({ ...input, provisionId: w.provision.id, limit: 500 })).items,
      );
    // X's restricted outcomes at P are dated 1 February and 12 June (and 11 June); none in April.
    // Asked side by side, so that one run shows every difference.
    expect({
      dates: await signals({ activityFrom: '2026-02-01', activityTo: '2026-02-01' }),
      status: await signals({ status: 'withdrawn' }),
    }).toEqual({
      dates: await signals({ activityFrom: '2026-04-01', activityTo: '2026-04-30' }),
      status: await signals({ status: 'published' }),
    });
  });
});

describe('outcomes.list: drafts', () => {
  test('another authority’s draft never appears, whatever the caller asks', async ({ h, w }) => {
    for (const c of callers.filter((x) => x.id !== w.publisher.id && x.id !== y.id)) {
      for (const input of [
        {},
        { includeDrafts: true },
        { status: 'draft' as const },
        { includeDrafts: true, status: 'draft' as const },
      ]) {
        const json = JSON.stringify(await outcomePages(h, c.principal, { ...input, limit: 3 }));
        expect(json, c.name).not.toContain(drafts.d1);
        expect(json, c.name).not.toContain(drafts.d2);
      }
    }
    const y1 = JSON.stringify(await outcomePages(h, y.officer, { includeDrafts: true, limit: 3 }));
    expect(y1).toContain(drafts.d2);
    expect(y1).not.toContain(drafts.d1);
  });

  test('the publisher’s own draft appears only with includeDrafts, in its place in the order', async ({
    h,
    w,
  }) => {
    const plain = itemIds((await outcomePages(h, w.publisher.officer, { limit: 2 })).flat());
    expect(plain).not.toContain(drafts.d1);
    const withDrafts = (await outcomePages(h, w.publisher.officer, { includeDrafts: true, limit: 2 })).flat();
    // The draft (14 June) is the newest of all: first after the signal.
    expect(itemIds(withDrafts)).toEqual([drafts.d1, ...plain]);
    expect(withDrafts.find((v) => idOf(v) === drafts.d1)).toMatchObject({ layer: 'detail', status: 'draft' });
    expect(withDrafts.find((v) => idOf(v) === drafts.d1)).toEqual(
      await h.caller(w.publisher.officer).outcomes.get({ id: drafts.d1! }),
    );
    // Asking for status "draft" lists the caller's own drafts only.
    const onlyDrafts = await h
      .caller(w.publisher.officer)
      .outcomes.list({ status: 'draft', includeDrafts: true });
    expect(itemIds(onlyDrafts.items)).toEqual([drafts.d1]);
  });
});

describe('outcomes.list: filters', () => {
  const o = (...names: string[]) => names.map((n) => outcomeRecs[n]!.id);
  const ids = async (
    { h, w }: { h: Harness; w: World },
    input: OutcomeListArgs,
    p: Principal = w.member.officer,
  ) => itemIds((await outcomePages(h, p, { ...input, limit: 2 })).flat());
  const signalSet = async (
    { h, w }: { h: Harness; w: World },
    input: OutcomeListArgs,
    p: Principal = w.member.officer,
  ) => signalsOf((await h.caller(p).outcomes.list({ ...input, limit: 500 })).items);

  test('by provision', async ({ h, w }) => {
    expect(await ids({ h, w }, { provisionId: q })).toEqual(
      expectedIds(outcomeRecs, w.member.id, (r) => r.provisionId === q),
    );
    expect(await ids({ h, w }, { provisionId: q })).toEqual(o('o4', 'o6', 'o5'));
    expect(await signalSet({ h, w }, { provisionId: q })).toEqual([`${w.publisher.qaInbox}|${q}|-`]);
    const atP = await ids({ h, w }, { provisionId: w.provision.id });
    expect(atP).toEqual(expectedIds(outcomeRecs, w.member.id, (r) => r.provisionId === w.provision.id));
    expect([...atP].sort()).toEqual(o('o1', 'o2', 'o3', 'o7', 'o8').sort());
  });

  test('by publisher', async ({ h, w }) => {
    expect(await ids({ h, w }, { publisherAuthorityId: y.id })).toEqual(o('o3', 'o5'));
    expect(await signalSet({ h, w }, { publisherAuthorityId: y.id })).toEqual([
      `${y.qaInbox}|${w.provision.id}|-`,
    ]);
    expect(await ids({ h, w }, { publisherAuthorityId: w.lead.id, provisionId: q })).toEqual(o('o6'));
    expect(await ids({ h, w }, { publisherAuthorityId: g.id })).toEqual([]);
    // Its own restricted outcomes for the publisher.
    expect(
      await ids({ h, w }, { publisherAuthorityId: w.publisher.id, provisionId: q }, w.publisher.officer),
    ).toEqual(o('o4', 'r4'));
  });

  test('by status', async ({ h, w }) => {
    expect(await ids({ h, w }, { status: 'withdrawn' })).toEqual(o('o5'));
    expect(await ids({ h, w }, { status: 'amended' })).toEqual(o('o6'));
    expect(await ids({ h, w }, { status: 'published' })).toEqual(
      expectedIds(
        outcomeRecs,
        w.member.id,
        (r) => r.id !== outcomeRecs.o5!.id && r.id !== outcomeRecs.o6!.id,
      ),
    );
    const withdrawn = (await h.caller(y.officer).outcomes.list({ status: 'withdrawn' })).items;
    expect(withdrawn.filter((v) => v.layer !== 'signal')).toEqual([
      expect.objectContaining({
        id: outcomeRecs.o5!.id,
        status: 'withdrawn',
        withdrawnReason: 'entered in error',
      }),
    ]);
  });

  test('by activity date, both ends inclusive', async ({ h, w }) => {
    expect(await ids({ h, w }, { activityFrom: '2026-05-01', activityTo: '2026-06-01' })).toEqual(
      o('o8', 'o3', 'o6'),
    );
    expect(await ids({ h, w }, { activityFrom: '2026-06-02' })).toEqual(
      expectedIds(outcomeRecs, w.member.id, (r) => r.date >= '2026-06-02'),
    );
    expect(await ids({ h, w }, { activityTo: '2026-04-01' })).toEqual(o('o5', 'o7'));
    expect(await ids({ h, w }, { activityFrom: '2026-06-11', activityTo: '2026-06-09' })).toEqual([]);
    expect(
      await ids({ h, w }, { activityFrom: '2026-05-01', activityTo: '2026-06-01', provisionId: q }),
    ).toEqual(o('o6'));
    await expectTRPCError(
      h.caller(w.member.officer).outcomes.list({ activityFrom: '2026-6-1' }),
      'BAD_REQUEST',
    );
  });
});

describe('outcomes.list: audit', () => {
  test('a list with detail in it writes one entry naming every record it returned and the basis of each detail', async ({
    h,
    w,
  }) => {
    const lead = w.lead.officer;
    const before = await headSeq(h, lead);
    const { items } = await h.caller(lead).outcomes.list({ limit: 500 });
    expect(await headSeq(h, lead)).toBe(before + 1);
    const entry = await lastEntry(h, lead);
    const returned = itemIds(items);
    expect(entry).toMatchObject({
      seq: before + 1,
      authorityId: w.lead.id,
      clientId: lead.clientId,
      action: 'outcome.list',
      recordType: 'outcome',
      basis: 'lead,publisher',
    });
    expect(entry!.recordIds).toEqual(returned);
    expect([...entry!.provisionIds].sort()).toEqual([w.provision.id, q].sort());
    const detailIds = items.filter((v) => v.layer === 'detail').map((v) => idOf(v)!);
    const o = (n: string) => outcomeRecs[n]!.id;
    expect(entry!.details).toEqual({
      detail: Object.fromEntries(
        detailIds.map((id) => [id, id === o('o2') || id === o('o6') ? 'publisher' : 'lead']),
      ),
    });
    expect(Object.keys((entry!.details as { detail: object }).detail).sort()).toEqual(
      [o('o1'), o('o2'), o('o3'), o('o6'), o('o7'), o('o8')].sort(),
    );
    // No id of a restricted outcome the lead saw only as a signal.
    for (const n of ['r1', 'r2', 'r3', 'r4']) expect(entry!.recordIds).not.toContain(o(n));
  });

  test('each page is its own entry, naming only that page; a page of summaries and signals writes none', async ({
    h,
    w,
  }) => {
    const placing = w.placing.officer;
    const first = await h.caller(placing).outcomes.list({ limit: 3, provisionId: w.provision.id });
    const e1 = await lastEntry(h, placing);
    expect(e1?.recordIds).toEqual(itemIds(first.items));
    expect(e1?.basis).toBe(
      itemIds(first.items).includes(outcomeRecs.o8!.id) ? 'placing,publisher' : 'placing',
    );
    const second = await h
      .caller(placing)
      .outcomes.list({ limit: 3, provisionId: w.provision.id, cursor: first.nextCursor! });
    const e2 = await lastEntry(h, placing);
    expect(e2?.seq).toBe(e1!.seq + 1);
    expect(e2?.recordIds).toEqual(itemIds(second.items));

    const member = w.member.officer;
    const before = await headSeq(h, member);
    await outcomePages(h, member, { limit: 2 });
    expect(await headSeq(h, member)).toBe(before);
  });

  test('a granted read through the list is audited with basis granted', async ({ h, w }) => {
    await h
      .caller(g.officer)
      .outcomes.list({ publisherAuthorityId: w.publisher.id, provisionId: w.provision.id });
    const entry = await lastEntry(h, g.officer);
    expect(entry).toMatchObject({ action: 'outcome.list', basis: 'granted' });
    expect((entry!.details as { detail: Record<string, string> }).detail).toEqual({
      [outcomeRecs.r1!.id]: 'granted',
    });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('restrictions.list: paging, layers and signals', () => {
  test.for(['member', 'lead', 'publisher', 'granted', 'other publisher'])(
    'walks every restriction %s may know of once, effectiveFrom then id descending, limits 2 and 3 agreeing with one page of 500',
    async (name, { h }) => {
      const c = who(name);
      const big = await h.caller(c.principal).restrictions.list({ limit: 500 });
      expect(big.nextCursor).toBeNull();
      const ids = itemIds(big.items);
      expect(ids).toEqual(expectedIds(restrictionRecs, c.id));
      expect(signalsOf(big.items)).toEqual(expectedSignals(restrictionRecs, c.id));
      for (const limit of [2, 3]) {
        const pages = await restrictionPages(h, c.principal, { limit });
        expect(
          pages.map((p) => itemIds(p).length),
          `limit ${limit}`,
        ).toEqual(
          Array.from({ length: Math.ceil(ids.length / limit) }, (_, i) =>
            Math.min(limit, ids.length - i * limit),
          ),
        );
        expect(pages.flat(), `limit ${limit}`).toEqual(big.items);
        for (const later of pages.slice(1)) expect(signalsOf(later)).toEqual([]);
      }
    },
  );

  test('gives each caller each restriction at the policy’s layer, equal to restrictions.get', async ({
    h,
    w,
  }) => {
    for (const c of callers) {
      const { items } = await h.caller(c.principal).restrictions.list({ limit: 500 });
      for (const item of items) {
        if (item.layer === 'signal') continue;
        const rec = Object.values(restrictionRecs).find((r) => r.id === item.id)!;
        expect(item.layer, `${c.name} ${item.id}`).toBe(layerOf(c.id, rec));
        expect(item, `${c.name} ${item.id}`).toEqual(
          await h.caller(c.principal).restrictions.get({ id: item.id }),
        );
      }
    }
    // Spot checks: the provider-level suspension is detail to everyone with a basis at P, summary beyond.
    const s4 = restrictionRecs.s4!.id;
    const layerFor = async (p: Principal) =>
      (await h.caller(p).restrictions.list({ limit: 500 })).items.find((v) => idOf(v) === s4)?.layer;
    expect(await layerFor(w.placing.officer)).toBe('detail');
    expect(await layerFor(w.host.officer)).toBe('detail');
    expect(await layerFor(w.member.officer)).toBe('summary');
    expect(await layerFor(y.officer)).toBe('summary');
    expect(await layerFor(h.hubAdmin)).toBe('summary');
  });

  test('one signal per issuer and target, first page only, never with a restricted id; two from one issuer at P are one', async ({
    h,
    w,
  }) => {
    const p = w.provision.id;
    const restrictedIds = ['t1', 't2', 't3', 't4'].map((n) => restrictionRecs[n]!.id);
    for (const c of [who('member'), who('lead'), who('host'), who('placing'), who('hub-admin')]) {
      const pages = await restrictionPages(h, c.principal, { limit: 2 });
      expect(signalsOf(pages[0]!), c.name).toEqual(
        [
          `${w.publisher.qaInbox}|${p}|-`,
          `${y.qaInbox}|${q}|-`,
          `${w.publisher.qaInbox}|-|${w.provision.providerId}`,
        ].sort(),
      );
      for (const later of pages.slice(1)) expect(signalsOf(later), c.name).toEqual([]);
      // One opaque id per restricted restriction the signal stands for.
      expect(signalCountsOf(pages[0]!), c.name).toEqual(expectedSignalCounts(restrictionRecs, c.id));
      for (const s of pages[0]!.filter((v) => v.layer === 'signal'))
        expect(Object.keys(s).sort()).toEqual(RESTRICTION_SIGNAL_KEYS);
      const json = JSON.stringify(pages);
      for (const id of restrictedIds) expect(json, c.name).not.toContain(id);
      expect(json).not.toContain('informal-embargo');
    }
    // The granted authority reads t1, but t2 (same issuer, same provision) is still a signal.
    const granted = (await h.caller(g.officer).restrictions.list({ provisionId: p })).items;
    expect(granted.find((v) => idOf(v) === restrictionRecs.t1!.id)?.layer).toBe('detail');
    expect(signalsOf(granted)).toContain(`${w.publisher.qaInbox}|${p}|-`);
    expect(JSON.stringify(granted)).not.toContain(restrictionRecs.t2!.id);
  });

  test('pages with a filter too: by provision, its own and its provider’s', async ({ h, w }) => {
    const p = w.provision.id;
    const pages = await restrictionPages(h, w.member.officer, { provisionId: p, limit: 2 });
    expect(itemIds(pages.flat())).toEqual(
      expectedIds(
        restrictionRecs,
        w.member.id,
        (r) => r.provisionId === p || r.providerId === w.provision.providerId,
      ),
    );
    expect(signalsOf(pages.flat())).toEqual(
      [`${w.publisher.qaInbox}|${p}|-`, `${w.publisher.qaInbox}|-|${w.provision.providerId}`].sort(),
    );
  });

  // The signal is to carry no kind ("no kind, reason or text"), but the kind and active filters select
  // the signal rows too, so asking for one kind or another tells whether a restricted record of it exists.
  test('whether a signal shows does not depend on the kind or status asked for', async ({ h, w }) => {
    const signals = async (input: RestrictionListArgs) =>
      signalsOf((await h.caller(w.member.officer).restrictions.list({ ...input, limit: 500 })).items);
    // Asked side by side, so that one run shows every difference.
    expect({
      kind: await signals({ kind: 'informal-embargo' }),
      active: await signals({ active: true }),
    }).toEqual({
      kind: await signals({ kind: 'ofsted-suspension' }),
      active: await signals({ active: false }),
    });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('allocations.list', () => {
  let e: Member;
  let f: Member;
  const mine: Record<string, Allocation> = {};

  test.beforeAll(async ({ h }) => {
    e = await makeMember(h, 'alloce');
    f = await makeMember(h, 'allocf');
    const providerId = (await h.makeProvider()).id;
    const assign = async (provisionId: string, authorityId: string, startsOn: string, endsOn?: string) =>
      h.caller(h.hubAdmin).allocations.assign({
        provisionId,
        authorityId,
        rationale: 'by agreement',
        startsOn,
        ...(endsOn ? { endsOn } : {}),
      });
    const plan: [string, string, string | undefined][] = [
      ['current1', '2026-01-01', undefined],
      ['current2', TODAY, undefined], // starts today: current
      ['current3', '2026-02-01', TOMORROW], // ends tomorrow: current today
      ['future', TOMORROW, undefined],
      ['lapsed', '2026-03-01', TODAY], // its end date is today: no longer current
      ['current4', '2026-01-01', undefined],
      ['current5', '2026-04-01', undefined],
      ['current6', '2026-05-01', undefined],
      ['current7', '2026-05-02', undefined],
    ];
    for (const [name, startsOn, endsOn] of plan) {
      const provision = await h.makeProvision({ providerId });
      mine[name] = await assign(provision.id, e.id, startsOn, endsOn);
    }
    // Reassigned the same day: E's allocation ended, F's current, both starting today (the id breaks the tie).
    const shared = await h.makeProvision({ providerId });
    mine.ended = await assign(shared.id, e.id, TODAY);
    mine.successor = await assign(shared.id, f.id, TODAY);
    // Two more in E's past at one provision, to order by startsOn within a provision.
    const history = await h.makeProvision({ providerId });
    mine.older = await assign(history.id, f.id, '2026-01-01');
    mine.newer = await assign(history.id, e.id, '2026-03-01');
  });

  const byProvisionStartId = (a: Allocation, b: Allocation) =>
    a.provisionId !== b.provisionId
      ? a.provisionId < b.provisionId
        ? -1
        : 1
      : a.startsOn !== b.startsOn
        ? a.startsOn < b.startsOn
          ? -1
          : 1
        : a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0;

  test('walks every allocation once, by provision, startsOn and id, limits 2 and 3 agreeing with one page of 500', async ({
    h,
    w,
  }) => {
    const big = await h.caller(w.member.officer).allocations.list({ currentOnly: false, limit: 500 });
    expect(big.nextCursor).toBeNull();
    expect(big.items).toEqual([...big.items].sort(byProvisionStartId));
    // Every allocation of the file: the world's lead at P and the thirteen above.
    const worldLead = big.items.filter((a) => a.provisionId === w.provision.id);
    expect(worldLead).toEqual([expect.objectContaining({ authorityId: w.lead.id, current: true })]);
    expect(big.items.map((a) => a.id).sort()).toEqual(
      [...Object.values(mine).map((a) => a.id), worldLead[0]!.id].sort(),
    );
    expect(big.items).toHaveLength(14);
    const currentIds = big.items.filter((a) => a.current).map((a) => a.id);
    expect(currentIds.sort()).toEqual(
      [
        worldLead[0]!.id,
        ...[
          'current1',
          'current2',
          'current3',
          'current4',
          'current5',
          'current6',
          'current7',
          'successor',
          'newer',
        ].map((n) => mine[n]!.id),
      ].sort(),
    );
    for (const limit of [2, 3]) {
      const pages = await allocationPages(h, w.member.officer, { currentOnly: false, limit });
      expect(pages.flat()).toEqual(big.items);
      expect(pages.map((p) => p.length)).toEqual(
        Array.from({ length: Math.ceil(14 / limit) }, (_, i) => Math.min(limit, 14 - i * limit)),
      );
    }
    // Within a provision, oldest start first; same start, id order.
    const hist = big.items.filter((a) => a.provisionId === mine.older!.provisionId);
    expect(hist.map((a) => a.id)).toEqual([mine.older!.id, mine.newer!.id]);
    const same = big.items.filter((a) => a.provisionId === mine.ended!.provisionId).map((a) => a.id);
    expect(same).toEqual([mine.ended!.id, mine.successor!.id].sort());
  });

  test('currentOnly (the default) leaves out ended, lapsed and future allocations, and pages stay full', async ({
    h,
    w,
    clock,
  }) => {
    const all = (
      await h.caller(w.member.officer).allocations.list({ authorityId: e.id, currentOnly: false, limit: 500 })
    ).items;
    expect(all).toHaveLength(11);
    const current = (await h.caller(w.member.officer).allocations.list({ authorityId: e.id })).items;
    expect(current.map((a) => a.id)).toEqual(all.filter((a) => a.current).map((a) => a.id));
    expect(current.map((a) => a.id).sort()).toEqual(
      ['current1', 'current2', 'current3', 'current4', 'current5', 'current6', 'current7', 'newer']
        .map((n) => mine[n]!.id)
        .sort(),
    );
    for (const n of ['future', 'lapsed', 'ended'])
      expect(current.map((a) => a.id)).not.toContain(mine[n]!.id);
    expect(current.every((a) => a.current)).toBe(true);

    for (const limit of [2, 3, 5]) {
      const pages = await allocationPages(h, w.member.officer, { authorityId: e.id, limit });
      expect(pages.flat(), `limit ${limit}`).toEqual(current);
      // Every page but the last is full, though non-current rows sort among the current ones.
      expect(
        pages.map((p) => p.length),
        `limit ${limit}`,
      ).toEqual(Array.from({ length: Math.ceil(8 / limit) }, (_, i) => Math.min(limit, 8 - i * limit)));
    }
    // Tomorrow the future one starts and the one ending tomorrow lapses.
    clock.set('2026-06-16T10:00:00Z');
    const tomorrow = (
      await h.caller(w.member.officer).allocations.list({ authorityId: e.id, limit: 500 })
    ).items.map((a) => a.id);
    expect(tomorrow).toContain(mine.future!.id);
    expect(tomorrow).not.toContain(mine.current3!.id);
    expect(tomorrow).toHaveLength(8);
  });

  test('is the same for every member, the hub-admin included (allocations have no layers)', async ({
    h,
    w,
  }) => {
    const seen = await allocationPages(h, w.member.officer, { limit: 4 });
    for (const p of [w.lead.officer, e.officer, h.hubAdmin])
      expect(await allocationPages(h, p, { limit: 4 })).toEqual(seen);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('cursors', () => {
  const uuid = () => outcomeRecs.o1!.id;
  const garbage = () => [
    'not-a-cursor',
    '!!!',
    b64({ key: '2026-06-01', id: uuid() }),
    b64(null),
    b64('2026-06-01'),
    b64([]),
    b64(['2026-06-01']),
    b64(['2026-06-01', 'not-a-uuid']),
    b64([20260601, uuid()]),
    b64(['June 1st', uuid()]),
    b64(['2026-06-01', uuid(), 'extra', 'more']),
    b64(['2026-06-01\u0000', uuid()]),
    Buffer.from('["2026-06-01",', 'utf8').toString('base64url'),
    'x'.repeat(501),
  ];

  test('a garbage or tampered cursor is a BAD_REQUEST for each list', async ({ h, w }) => {
    const m = w.member.officer;
    for (const cursor of garbage()) {
      await expectTRPCError(h.caller(m).outcomes.list({ cursor }), 'BAD_REQUEST');
      await expectTRPCError(h.caller(m).restrictions.list({ cursor }), 'BAD_REQUEST');
      await expectTRPCError(h.caller(m).allocations.list({ cursor }), 'BAD_REQUEST');
    }
    // An allocation cursor carries three keys.
    const aid = w.provision.id;
    for (const cursor of [
      b64([aid, '2026-01-01']),
      b64(['2026-01-01', aid, aid]),
      b64([aid, '2026-01-01', 'nope']),
    ])
      await expectTRPCError(h.caller(m).allocations.list({ cursor }), 'BAD_REQUEST');
  });

  // The cursor check accepts any \d{4}-\d{2}-\d{2} as a date, and PostgreSQL then refuses the cast
  // ("date/time field value out of range"): an internal error instead of a 400.
  test('a cursor with an impossible date is a BAD_REQUEST, not a server error', async ({ h, w }) => {
    const m = w.member.officer;
    const codeOf = async (call: Promise<unknown>) =>
      call.then(
        () => 'resolved',
        (err: unknown) => (err instanceof TRPCError ? err.code : String(err)),
      );
    const codes: Record<string, string> = {};
    for (const date of ['2026-13-45', '2026-02-30', '2026-06-31', '0000-00-00']) {
      codes[`outcomes ${date}`] = await codeOf(h.caller(m).outcomes.list({ cursor: b64([date, uuid()]) }));
      codes[`restrictions ${date}`] = await codeOf(
        h.caller(m).restrictions.list({ cursor: b64([date, uuid()]) }),
      );
      codes[`allocations ${date}`] = await codeOf(
        h.caller(m).allocations.list({ cursor: b64([w.provision.id, date, uuid()]) }),
      );
    }
    // All of them at once, so that one run shows every case.
    expect(codes).toEqual(Object.fromEntries(Object.keys(codes).map((k) => [k, 'BAD_REQUEST'])));
  });

  // Year 0000 passes the YYYY-MM-DD pattern but PostgreSQL has no year 0: the contract refuses it.
  test('a date filter or field in year 0000 is a BAD_REQUEST, not a server error', async ({ h, w }) => {
    const m = w.member.officer;
    await expectTRPCError(h.caller(m).outcomes.list({ activityFrom: '0000-01-01' }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(m).outcomes.list({ activityTo: '0000-12-31' }), 'BAD_REQUEST');
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id, { activityDate: '0000-06-01' })),
      'BAD_REQUEST',
    );
    const fromYearOne = await h.caller(m).outcomes.list({ activityFrom: '0001-01-01', limit: 1 });
    expect(fromYearOne.items.filter((o) => o.layer !== 'signal')).toHaveLength(1);
  });

  test('a cursor of one list given to another is a BAD_REQUEST or a valid position, never a server error', async ({
    h,
    w,
  }) => {
    const m = w.member.officer;
    const outcomeCursor = (await h.caller(m).outcomes.list({ limit: 2 })).nextCursor!;
    const restrictionCursor = (await h.caller(m).restrictions.list({ limit: 2 })).nextCursor!;
    const allocationCursor = (await h.caller(m).allocations.list({ currentOnly: false, limit: 2 }))
      .nextCursor!;
    const searchCursor = (await h.caller(m).provisions.search({ limit: 1 })).nextCursor!;
    for (const c of [outcomeCursor, restrictionCursor, allocationCursor, searchCursor])
      expect(c).toEqual(expect.any(String));

    expect(
      await badRequestOrPage(
        h.caller(m).restrictions.list({ cursor: outcomeCursor }),
        'outcome → restrictions',
      ),
    ).toBeDefined();
    expect(
      await badRequestOrPage(
        h.caller(m).outcomes.list({ cursor: restrictionCursor }),
        'restriction → outcomes',
      ),
    ).toBeDefined();
    for (const [label, cursor] of [
      ['allocation', allocationCursor],
      ['search', searchCursor],
    ] as const) {
      await badRequestOrPage(h.caller(m).outcomes.list({ cursor }), `${label} → outcomes`);
      await badRequestOrPage(h.caller(m).restrictions.list({ cursor }), `${label} → restrictions`);
    }
    for (const [label, cursor] of [
      ['outcome', outcomeCursor],
      ['restriction', restrictionCursor],
      ['search', searchCursor],
    ] as const)
      await badRequestOrPage(h.caller(m).allocations.list({ cursor }), `${label} → allocations`);

    // A valid position from another list still brings no signals: they belong to the first page.
    const moved = await h
      .caller(m)
      .restrictions.list({ cursor: outcomeCursor, limit: 500 })
      .catch(() => null);
    if (moved) expect(signalsOf(moved.items)).toEqual([]);
  });

  test('a cursor keeps its place when new outcomes arrive before and after it', async ({ h, w }) => {
    const m = w.member.officer;
    const first = await h.caller(m).outcomes.list({ provisionId: q, limit: 1 });
    expect(itemIds(first.items)).toEqual([outcomeRecs.o4!.id]);
    const newer = await publishOutcome(h, y.officer, q, { activityDate: '2026-06-14' });
    const older = await publishOutcome(h, y.officer, q, { activityDate: '2026-01-02' });
    for (const [name, made] of [
      ['o9', newer],
      ['o10', older],
    ] as const)
      outcomeRecs[name] = {
        id: made.id,
        publisher: y.id,
        provisionId: q,
        providerId: null,
        date: made.activityDate,
        restricted: false,
        sharedWith: [],
      };
    const rest = (
      await walk((cursor) =>
        h.caller(m).outcomes.list({ provisionId: q, limit: 1, cursor: cursor ?? first.nextCursor! }),
      )
    ).flat();
    expect(itemIds(rest)).toEqual([outcomeRecs.o6!.id, outcomeRecs.o5!.id, older.id]);
    expect(itemIds(rest)).not.toContain(newer.id);
    expect(signalsOf(rest)).toEqual([]);
  });
});
