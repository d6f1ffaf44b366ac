// Concerns, the risk RAG: its thresholds, the same for every caller, and the 12-month window it counts
// over, which follows the date in England.
import { describe, expect } from 'vitest';
import type { ConcernView } from '@ccx/schema';
import { DAY_MS } from '../../support/harness.js';
import { list, log, NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

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
