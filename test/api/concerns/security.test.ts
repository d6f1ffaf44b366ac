// Concerns, who sees what: read in detail only on a need-to-know basis (a bare member sees none of them,
// though every one counts in the risk RAG), audited with their basis; restricted ones seen by others only
// as one signal per logging authority.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { ConcernView } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { DAY_MS, expectTRPCError, makeMember, queryRows } from '../../support/harness.js';
import { detailIds, list, log, NOW, test, type ConcernDetail } from './fixtures.js';

test.override({ clockAt: NOW });

describe('who sees which concerns', () => {
  let site: string;
  let byPublisher: ConcernDetail[];
  let byLead: ConcernDetail;

  test.beforeAll(async ({ h, w, makeSite }) => {
    site = await makeSite();
    byPublisher = [
      await log(h, w.publisher.officer, site, { occurredOn: '2026-05-01' }),
      await log(h, w.publisher.officer, site, { occurredOn: '2026-06-10', level: 'level-2' }),
    ];
    byLead = await log(h, w.lead.officer, site, { occurredOn: '2026-03-01' });
  });

  const allIds = () => [...byPublisher.map((c) => c.id), byLead.id].sort();
  const texts = () => [...byPublisher.map((c) => c.summary), byLead.summary];

  // Three counting concerns is a low count, but one is at level 2, which raises the rating to medium on
  // its own (Medway's figure 6), for the setting and for its provider (this is its only setting).
  const rating = {
    concernsLast12Months: 3,
    riskRag: 'medium',
    providerConcernsLast12Months: 3,
    providerRiskRag: 'medium',
  };

  test('lead, host, placing and prospective authorities read every concern in detail, newest first', async ({
    h,
    w,
    prospective,
  }) => {
    for (const m of [w.lead, w.host, w.placing, prospective]) {
      const result = await list(h, m.officer, site);
      expect(result).toMatchObject({
        provisionId: site,
        ...rating,
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
    expect(result).toMatchObject({ ...rating, notVisible: 1 });
    expect(JSON.stringify(result)).not.toContain(byLead.summary);
  });

  test('a bare member (and the hub-admin) see no concern, yet the same count and RAG', async ({ h, w }) => {
    const { providerId } = await h.caller(h.hubAdmin).provisions.get({ id: site });
    for (const who of [w.member.officer, h.hubAdmin]) {
      const result = await list(h, who, site);
      expect(result).toEqual({
        provisionId: site,
        providerId,
        ...rating,
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

  /** One signal per logging authority (its contact), with one opaque id per concern it stands for. */
  const expectSignals = (
    items: ConcernView[],
    expected: [contact: string, concerns: number][],
    label: string,
  ) => {
    const signals = items.filter((c) => c.layer === 'signal');
    expect(signals, label).toHaveLength(expected.length);
    expect(signals.map((s) => s.layer === 'signal' && [s.contact, s.signalIds.length]).sort(), label).toEqual(
      [...expected].sort(),
    );
    for (const s of signals) {
      // The setting named beside its id (a directory fact), the opaque signal ids, and nothing more.
      expect(Object.keys(s).sort(), label).toEqual([
        'contact',
        'layer',
        'message',
        'provision',
        'provisionId',
        'signalIds',
      ]);
      if (s.layer !== 'signal') continue;
      for (const id of s.signalIds) expect(id, label).toMatch(/^sig_[A-Za-z0-9_-]{22}$/);
      expect(s.provisionId).toBe(site);
      expect(Object.keys(s.provision ?? {}).sort(), label).toEqual(['id', 'name', 'urn']);
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
      expectSignals(
        result.items,
        [
          [w.publisher.qaInbox, 2],
          [other.qaInbox, 1],
        ],
        label,
      );
      const json = JSON.stringify(result);
      for (const text of secrets()) expect(json, `${label} leaks ${text}`).not.toContain(text);
    }
  });

  test('a bare member sees only the signals, and the count', async ({ h, w, other }) => {
    const result = await list(h, w.member.officer, site);
    expect(result).toMatchObject({ concernsLast12Months: 4, riskRag: 'low', notVisible: 4 });
    expect(detailIds(result.items)).toEqual([]);
    expectSignals(
      result.items,
      [
        [w.publisher.qaInbox, 2],
        [other.qaInbox, 1],
      ],
      'member',
    );
    const json = JSON.stringify(result);
    for (const text of [...secrets(), open.summary]) expect(json).not.toContain(text);
  });

  test('the logging authority reads its own restricted concerns in detail', async ({ h, w, other }) => {
    const result = await list(h, w.publisher.officer, site);
    expect(detailIds(result.items)).toEqual(restricted.map((c) => c.id).sort());
    expect(result.items.filter((c) => c.layer === 'detail').every((c) => c.restricted)).toBe(true);
    expectSignals(result.items, [[other.qaInbox, 1]], 'publisher');
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
    // The shared concern no longer signals; the publisher's other one still does.
    expectSignals(
      result.items,
      [
        [w.publisher.qaInbox, 1],
        [other.qaInbox, 1],
      ],
      'shared',
    );
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
