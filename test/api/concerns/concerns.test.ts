// Concerns ("QA cases"): logged by any member about a provision, read in detail only on a need-to-know
// basis (a bare member sees none of them, though every one counts in the risk RAG), restricted ones seen
// by others only as one signal per logging authority; the RAG thresholds and the 12-month window.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { ConcernView } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import {
  DAY_MS,
  expectTRPCError,
  makeMember,
  queryRows,
  test as base,
  uniq,
  type Harness,
} from '../../support/harness.js';

// Today is 2026-06-15 in England; the risk window starts on 2025-06-16.
const NOW = '2026-06-15T10:00:00Z';

/**
 * Beside the need-to-know world `w`: a `prospective` authority and an `other` one, and `makeSite`,
 * which makes a provision of its own, so counts are exact: hosted by w.host, led by w.lead, with
 * w.placing placing and a pre-placement grant (7 days from NOW) for the prospective authority.
 */
const test = base
  .extend('prospective', { scope: 'file' }, ({ h }) => makeMember(h, 'prospective'))
  .extend('other', { scope: 'file' }, ({ h }) => makeMember(h, 'other'))
  .extend('makeSite', { scope: 'file' }, ({ h, w, prospective }) => async (): Promise<string> => {
    const { id } = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: id,
      authorityId: w.lead.id,
      rationale: 'lead here too',
      startsOn: '2026-01-01',
    });
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: id, children: 1, fromDate: '2026-01-01' });
    await h.caller(prospective.officer).access.requestProspective({
      provisionId: id,
      reason: 'looking for a home for a sibling group',
      caseReference: `CASE/2026/${uniq()}`,
    });
    return id;
  });
test.override({ clockAt: NOW });

type LogInput = Parameters<ReturnType<Harness['caller']>['concerns']['log']>[0];

const log = async (h: Harness, who: Principal, provisionId: string, overrides: Partial<LogInput> = {}) => {
  const view = await h.caller(who).concerns.log({
    provisionId,
    category: 'quality',
    severity: 'medium',
    occurredOn: '2026-06-01',
    summary: `concern text ${uniq()}`,
    ...overrides,
  });
  if (view.layer !== 'detail') throw new Error('the logging authority should see its concern in detail');
  return view;
};

type ConcernDetail = Extract<ConcernView, { layer: 'detail' }>;

const list = (h: Harness, who: Principal, provisionId: string, sinceMonths?: number) =>
  h.caller(who).concerns.list({ provisionId, ...(sinceMonths ? { sinceMonths } : {}) });

const detailIds = (items: ConcernView[]) => items.flatMap((c) => (c.layer === 'detail' ? [c.id] : [])).sort();

describe('concerns.log', () => {
  test('any member logs a concern, seen in detail by itself and audited', async ({ h, w }) => {
    const summary = `bruising not recorded ${uniq()}`;
    const view = await log(h, w.member.officer, w.provision.id, {
      category: 'safeguarding',
      severity: 'high',
      occurredOn: '2026-06-14',
      summary,
    });
    expect(view).toEqual({
      layer: 'detail',
      id: expect.any(String) as unknown,
      provisionId: w.provision.id,
      loggedByAuthorityId: w.member.id,
      category: 'safeguarding',
      severity: 'high',
      occurredOn: '2026-06-14',
      summary,
      restricted: false,
      createdAt: expect.any(String) as unknown,
    });
    const [entry] = await queryRows<{ basis: string; authority_id: string }>(
      h.hub.database.db,
      sql`select basis, authority_id from audit_log where action = 'concern.log' and ${view.id} = any(record_ids)`,
    );
    expect(entry).toEqual({ basis: 'publisher', authority_id: w.member.id });
    // It is the logging authority's own: it reads it back even with no other basis at the setting.
    const mine = await list(h, w.member.officer, w.provision.id);
    expect(mine.items).toContainEqual(view);
  });

  test('refuses a viewer, a future date, an unknown provision and bad fields', async ({ h, w, clock }) => {
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(log(h, viewer, w.provision.id), 'FORBIDDEN');
    const future = await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-06-16' }),
      'BAD_REQUEST',
    );
    expect(future.message).toMatch(/future/);
    await expectTRPCError(log(h, w.lead.officer, randomUUID()), 'NOT_FOUND');
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-02-30' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { category: 'gossip' as LogInput['category'] }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { severity: 'extreme' as LogInput['severity'] }),
      'BAD_REQUEST',
    );
    await expectTRPCError(log(h, w.lead.officer, w.provision.id, { summary: '   ' }), 'BAD_REQUEST');
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { summary: 'x'.repeat(2001) }),
      'BAD_REQUEST',
    );

    // 23:30 UTC on 15 June is already 16 June in England: that date is today, not the future.
    clock.set('2026-06-15T23:30:00Z');
    expect((await log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-06-16' })).occurredOn).toBe(
      '2026-06-16',
    );
  });

  test('concerns.list answers 404 for an unknown provision and 400 for a window out of range', async ({
    h,
    w,
  }) => {
    await expectTRPCError(list(h, w.lead.officer, randomUUID()), 'NOT_FOUND');
    for (const sinceMonths of [0, 121, 1.5])
      await expectTRPCError(
        h.caller(w.lead.officer).concerns.list({ provisionId: w.provision.id, sinceMonths }),
        'BAD_REQUEST',
      );
  });
});

describe('who sees which concerns', () => {
  let site: string;
  let byPublisher: ConcernDetail[];
  let byLead: ConcernDetail;

  test.beforeAll(async ({ h, w, makeSite }) => {
    site = await makeSite();
    byPublisher = [
      await log(h, w.publisher.officer, site, { occurredOn: '2026-05-01' }),
      await log(h, w.publisher.officer, site, { occurredOn: '2026-06-10', severity: 'critical' }),
    ];
    byLead = await log(h, w.lead.officer, site, { occurredOn: '2026-03-01' });
  });

  const allIds = () => [...byPublisher.map((c) => c.id), byLead.id].sort();
  const texts = () => [...byPublisher.map((c) => c.summary), byLead.summary];

  test('lead, host, placing and prospective authorities read every concern in detail, newest first', async ({
    h,
    w,
    prospective,
  }) => {
    for (const m of [w.lead, w.host, w.placing, prospective]) {
      const result = await list(h, m.officer, site);
      expect(result).toMatchObject({
        provisionId: site,
        concernsLast12Months: 3,
        riskRag: 'low',
        notVisible: 0,
      });
      expect(result.items.map((c) => c.layer === 'detail' && c.occurredOn)).toEqual([
        '2026-06-10',
        '2026-05-01',
        '2026-03-01',
      ]);
      expect(result.items).toContainEqual(byLead);
      expect(detailIds(result.items)).toEqual(allIds());
    }
  });

  test('the publisher reads its own concerns, but not those of others where it has no basis', async ({
    h,
    w,
  }) => {
    const result = await list(h, w.publisher.officer, site);
    expect(detailIds(result.items)).toEqual(byPublisher.map((c) => c.id).sort());
    expect(result).toMatchObject({ concernsLast12Months: 3, riskRag: 'low', notVisible: 1 });
    expect(JSON.stringify(result)).not.toContain(byLead.summary);
  });

  test('a bare member (and the hub-admin) see no concern, yet the same count and RAG', async ({ h, w }) => {
    for (const who of [w.member.officer, h.hubAdmin]) {
      const result = await list(h, who, site);
      expect(result).toEqual({
        provisionId: site,
        concernsLast12Months: 3,
        riskRag: 'low',
        items: [],
        notVisible: 3,
      });
      for (const id of allIds()) expect(JSON.stringify(result)).not.toContain(id);
    }
  });

  test('audits detail reads with their basis, and nothing for a caller who read none', async ({ h, w }) => {
    const countFor = async (authorityId: string) => {
      const [row] = await queryRows<{ n: number }>(
        h.hub.database.db,
        sql`select count(*)::int as n from audit_log
            where authority_id = ${authorityId} and action = 'concern.list' and ${site} = any(provision_ids)`,
      );
      return Number(row?.n);
    };
    const before = await countFor(w.member.id);
    await list(h, w.member.officer, site);
    expect(await countFor(w.member.id)).toBe(before);

    await list(h, w.placing.officer, site);
    const [last] = await queryRows<{ basis: string; record_ids: string[] }>(
      h.hub.database.db,
      sql`select basis, record_ids from audit_log
          where authority_id = ${w.placing.id} and action = 'concern.list' and ${site} = any(provision_ids)
          order by seq desc limit 1`,
    );
    expect(last?.basis).toBe('placing');
    expect([...(last?.record_ids ?? [])].sort()).toEqual(allIds());
  });

  test('a lapsed pre-placement grant takes the detail away again', async ({ h, clock, prospective }) => {
    clock.move(8 * DAY_MS);
    const result = await list(h, prospective.officer, site);
    expect(result).toMatchObject({ items: [], notVisible: 3, concernsLast12Months: 3 });
  });

  test('access.explain answers for those with a basis, and 404 for a bare member', async ({
    h,
    w,
    prospective,
  }) => {
    const id = byPublisher[0]!.id;
    const explainFor = (who: Principal) =>
      h.caller(who).access.explain({ recordType: 'concern', recordId: id });
    expect(await explainFor(w.publisher.officer)).toMatchObject({
      layer: 'detail',
      rule: 'publisher-detail',
      provisionId: site,
      record: { type: 'concern', id, restricted: false },
      wouldGrant: [],
    });
    for (const [m, basis] of [
      [w.lead, 'lead'],
      [w.host, 'host'],
      [w.placing, 'placing'],
      [prospective, 'prospective'],
    ] as const) {
      const explained = await explainFor(m.officer);
      expect(explained).toMatchObject({ authorityId: m.id, layer: 'detail', rule: 'need-to-know-detail' });
      expect(explained.bases.map((b) => b.basis)).toContain(basis);
    }
    await expectTRPCError(explainFor(w.member.officer), 'NOT_FOUND');
    await expectTRPCError(explainFor(h.hubAdmin), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(w.lead.officer).access.explain({ recordType: 'concern', recordId: randomUUID() }),
      'NOT_FOUND',
    );
    // Nothing said to the bare member names the concern's text.
    for (const text of texts())
      expect(JSON.stringify(await list(h, w.member.officer, site))).not.toContain(text);
  });
});

describe('restricted concerns', () => {
  let site: string;
  let restricted: ConcernDetail[];
  let fromOther: ConcernDetail;
  let open: ConcernDetail;

  test.beforeAll(async ({ h, w, other, makeSite }) => {
    site = await makeSite();
    restricted = [
      await log(h, w.publisher.officer, site, { restricted: true, category: 'criminal-investigation' }),
      await log(h, w.publisher.officer, site, { restricted: true, occurredOn: '2026-04-01' }),
    ];
    fromOther = await log(h, other.officer, site, { restricted: true, occurredOn: '2026-02-01' });
    open = await log(h, w.lead.officer, site, { occurredOn: '2026-05-01' });
  });

  const secrets = () => [
    ...restricted.map((c) => c.summary),
    ...restricted.map((c) => c.id),
    fromOther.summary,
    fromOther.id,
    'criminal-investigation',
  ];

  const expectSignals = (items: ConcernView[], contacts: string[], label: string) => {
    const signals = items.filter((c) => c.layer === 'signal');
    expect(signals, label).toHaveLength(contacts.length);
    expect(signals.map((s) => s.layer === 'signal' && s.contact).sort(), label).toEqual([...contacts].sort());
    for (const s of signals) {
      expect(Object.keys(s).sort(), label).toEqual(['contact', 'layer', 'message', 'provisionId']);
      if (s.layer !== 'signal') continue;
      expect(s.provisionId).toBe(site);
      expect(s.message).toContain(s.contact);
    }
  };

  test('others with a basis see one signal per logging authority, with its QA inbox and no text', async ({
    h,
    w,
    prospective,
    other,
  }) => {
    for (const [label, m] of Object.entries({
      lead: w.lead,
      host: w.host,
      placing: w.placing,
      prospective,
    })) {
      const result = await list(h, m.officer, site);
      expect(result, label).toMatchObject({ concernsLast12Months: 4, riskRag: 'low', notVisible: 3 });
      expect(detailIds(result.items), label).toEqual([open.id]);
      expectSignals(result.items, [w.publisher.qaInbox, other.qaInbox], label);
      const json = JSON.stringify(result);
      for (const text of secrets()) expect(json, `${label} leaks ${text}`).not.toContain(text);
    }
  });

  test('a bare member sees only the signals, and the count', async ({ h, w, other }) => {
    const result = await list(h, w.member.officer, site);
    expect(result).toMatchObject({ concernsLast12Months: 4, riskRag: 'low', notVisible: 4 });
    expect(detailIds(result.items)).toEqual([]);
    expectSignals(result.items, [w.publisher.qaInbox, other.qaInbox], 'member');
    const json = JSON.stringify(result);
    for (const text of [...secrets(), open.summary]) expect(json).not.toContain(text);
  });

  test('the logging authority reads its own restricted concerns in detail', async ({ h, w, other }) => {
    const result = await list(h, w.publisher.officer, site);
    expect(detailIds(result.items)).toEqual(restricted.map((c) => c.id).sort());
    expect(result.items.filter((c) => c.layer === 'detail').every((c) => c.restricted)).toBe(true);
    expectSignals(result.items, [other.qaInbox], 'publisher');
    expect(result.notVisible).toBe(2);
  });

  test('a share opens one restricted concern; the other stays a signal', async ({ h, w, other }) => {
    const sharedWith = await makeMember(h, 'sharedwith');
    await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'concern', recordId: restricted[0]!.id, authorityId: sharedWith.id });
    const result = await list(h, sharedWith.officer, site);
    expect(detailIds(result.items)).toEqual([restricted[0]!.id]);
    expect(JSON.stringify(result)).not.toContain(restricted[1]!.summary);
    expectSignals(result.items, [w.publisher.qaInbox, other.qaInbox], 'shared');
    // The lead sees only the signal, so it may not pass the concern on.
    await expectTRPCError(
      h
        .caller(w.lead.officer)
        .access.share({ recordType: 'concern', recordId: restricted[1]!.id, authorityId: sharedWith.id }),
      'FORBIDDEN',
    );
  });

  test('access.explain gives the signal and whom to contact, never the kind or text', async ({ h, w }) => {
    for (const m of [w.lead, w.member]) {
      const explained = await h
        .caller(m.officer)
        .access.explain({ recordType: 'concern', recordId: restricted[0]!.id });
      expect(explained).toMatchObject({
        layer: 'signal',
        rule: 'restricted-signal',
        record: { restricted: true },
      });
      expect(explained.wouldGrant.join(' ')).toContain(w.publisher.qaInbox);
      for (const text of [restricted[0]!.summary, 'criminal-investigation'])
        expect(JSON.stringify(explained)).not.toContain(text);
    }
  });
});

describe('risk RAG thresholds', () => {
  test('0 none, 1–4 low, 5–10 medium, over 10 high; every caller gets the same answer', async ({
    h,
    w,
    other,
  }) => {
    const { id: site } = await h.makeProvision({ hostAuthorityId: w.host.id });
    const expected: Record<number, string> = {
      0: 'none',
      1: 'low',
      4: 'low',
      5: 'medium',
      10: 'medium',
      11: 'high',
    };
    const loggers = [w.publisher, w.member, other];
    for (let n = 0; n <= 11; n++) {
      if (n > 0) await log(h, loggers[n % loggers.length]!.officer, site, { occurredOn: '2026-01-15' });
      const rag = expected[n];
      if (!rag) continue;
      for (const who of [w.lead.officer, w.member.officer]) {
        const result = await list(h, who, site);
        expect([n, result.concernsLast12Months, result.riskRag]).toEqual([n, n, rag]);
      }
    }
  });
});

describe('the 12-month window', () => {
  let site: string;
  const ids: Record<string, string> = {};

  test.beforeAll(async ({ h, w, makeSite }) => {
    site = await makeSite();
    // 12 months and a day old; exactly 12 months old; the first day inside the window; well inside.
    for (const occurredOn of ['2025-06-14', '2025-06-15', '2025-06-16', '2026-01-10'])
      ids[occurredOn] = (await log(h, w.publisher.officer, site, { occurredOn })).id;
  });

  const occurredOnOf = (items: ConcernView[]) =>
    items.flatMap((c) => (c.layer === 'detail' ? [c.occurredOn] : [])).sort();

  test('counts a concern from the first day of the window, not one 12 months old or older', async ({
    h,
    w,
  }) => {
    for (const who of [w.lead.officer, w.member.officer]) {
      const result = await list(h, who, site);
      expect(result).toMatchObject({ concernsLast12Months: 2, riskRag: 'low' });
    }
    const lead = await list(h, w.lead.officer, site);
    expect(occurredOnOf(lead.items)).toEqual(['2025-06-16', '2026-01-10']);
    expect((await list(h, w.member.officer, site)).notVisible).toBe(2);
  });

  test('a longer listing window shows older concerns, but the RAG still counts 12 months', async ({
    h,
    w,
  }) => {
    const lead = await list(h, w.lead.officer, site, 24);
    expect(occurredOnOf(lead.items)).toEqual(['2025-06-14', '2025-06-15', '2025-06-16', '2026-01-10']);
    expect(lead).toMatchObject({ concernsLast12Months: 2, riskRag: 'low', notVisible: 0 });
    expect((await list(h, w.member.officer, site, 24)).notVisible).toBe(4);
  });

  test('moves with the clock: a day later the first-day concern drops out, a day earlier one more counts', async ({
    h,
    w,
    clock,
  }) => {
    clock.move(DAY_MS); // 2026-06-16: the window starts 2025-06-17
    expect((await list(h, w.lead.officer, site)).concernsLast12Months).toBe(1);

    clock.move(-2 * DAY_MS); // 2026-06-14: the window starts 2025-06-15
    const earlier = await list(h, w.lead.officer, site);
    expect(earlier.concernsLast12Months).toBe(3);
    expect(occurredOnOf(earlier.items)).toEqual(['2025-06-15', '2025-06-16', '2026-01-10']);
  });

  test('follows the date in England: 23:30 UTC on 15 June is already 16 June', async ({ h, w, clock }) => {
    clock.set('2026-06-15T22:59:59Z');
    expect((await list(h, w.lead.officer, site)).concernsLast12Months).toBe(2);
    clock.set('2026-06-15T23:30:00Z');
    expect((await list(h, w.lead.officer, site)).concernsLast12Months).toBe(1);
  });
});
