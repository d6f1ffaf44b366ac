// The placement check (DESIGN §4), what works: a clear setting; the worst reason wins; lifted, expired
// and pending restrictions; provider-level restrictions; checks by URN; and the batch form.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { DAY_MS, plusDays } from '../../support/harness.js';
import { codes, NOW, test, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

describe('a clear setting', () => {
  test('is clear with no reasons, and carries what a placing officer needs on one screen', async ({
    lead,
    checker,
    clearSetting,
    check,
  }) => {
    const s = await clearSetting();
    const c = await check(checker, s.provisionId);
    expect(c).toMatchObject({
      provisionId: s.provisionId,
      verdict: 'clear',
      reasons: [],
      provision: { urn: s.urn, ofstedGrade: 'good', registrationStatus: 'registered' },
      provider: { id: s.providerId },
      lead: { authorityId: lead.id, qaInbox: lead.qaInbox, since: '2026-01-01' },
      latestOutcome: { layer: 'summary', id: s.outcome!.id, overallRating: 2 },
      restrictions: [],
      riskRag: 'low',
      concernsLast12Months: 2,
      monitoring: { status: 'ok', lastMonitoredOn: '2026-05-20', nextDueOn: '2027-05-20', daysOverdue: 0 },
      checkedAt: new Date(NOW).toISOString(),
    });
  });
});

describe('the worst reason wins', () => {
  test('do-not-place beats any number of cautions, and the reasons come worst first', async ({
    checker,
    other,
    clearSetting,
    restrict,
    check,
    updateProvision,
  }) => {
    const s = await clearSetting();
    const byOther = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    await updateProvision(s, { ofstedGrade: 'inadequate' });
    const cancelled = await restrict(other.officer, { provisionId: s.provisionId }, 'registration-cancelled');
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(codes(c).sort()).toEqual(['ofsted-inadequate', 'registration-cancelled', 'restriction-by-member']);
    expect(c.reasons[0]).toMatchObject({ code: 'registration-cancelled', recordId: cancelled.id });
    expect(c.reasons.slice(1).every((r) => r.verdict === 'caution')).toBe(true);
    expect(c.reasons.find((r) => r.code === 'restriction-by-member')?.recordId).toBe(byOther.id);
  });

  test('several cautions stay caution, each with its own reason', async ({
    checker,
    clearSetting,
    check,
    logConcerns,
    updateProvision,
  }) => {
    const s = await clearSetting({ withLead: false });
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    await logConcerns(s.provisionId, 3);
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('caution');
    // No lead, so the lead's old visit is not monitoring; three safeguarding concerns, each significant.
    expect(codes(c).sort()).toEqual([
      'never-monitored',
      'no-lead-authority',
      'ofsted-requires-improvement',
      'risk-medium',
      'significant-concern',
      'significant-concern',
      'significant-concern',
    ]);
    expect(c.reasons.every((r) => r.verdict === 'caution')).toBe(true);
  });
});

describe('restrictions that no longer (or do not yet) apply', () => {
  test('a lifted restriction no longer counts', async ({ h, checker, clearSetting, restrict, check }) => {
    const s = await clearSetting();
    const r = await restrict(checker.officer, { provisionId: s.provisionId }, 'embargo');
    expect((await check(checker, s.provisionId)).verdict).toBe('do-not-place');
    await h
      .caller(checker.officer)
      .restrictions.lift({ id: r.id, version: r.version, reason: 'concerns resolved' });
    const after = await check(checker, s.provisionId);
    expect(after).toMatchObject({ verdict: 'clear', reasons: [], restrictions: [] });
  });

  test('a restriction lifted from a later date counts until that date', async ({
    h,
    clock,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(other.officer, { provisionId: s.provisionId }, 'ceased-operating');
    await h.caller(other.officer).restrictions.lift({
      id: r.id,
      version: r.version,
      liftedOn: plusDays(TODAY, 2),
      reason: 'operating again from the 17th',
    });
    expect(codes(await check(checker, s.provisionId))).toEqual(['ceased-operating']);
    clock.move(2 * DAY_MS);
    expect(await check(checker, s.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });

  test('an expired restriction no longer counts (the hub clock moves past its expiry)', async ({
    clock,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    await restrict(other.officer, { provisionId: s.provisionId }, 'embargo', {
      expiresOn: plusDays(TODAY, 3),
    });
    expect(codes(await check(checker, s.provisionId))).toEqual(['restriction-by-member']);
    clock.move(2 * DAY_MS);
    expect(codes(await check(checker, s.provisionId))).toEqual(['restriction-by-member']);
    clock.move(DAY_MS);
    expect(await check(checker, s.provisionId)).toMatchObject({
      verdict: 'clear',
      reasons: [],
      restrictions: [],
    });
  });

  test('a restriction effective from a later date counts from that date', async ({
    clock,
    checker,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(checker.officer, { provisionId: s.provisionId }, 'framework-suspension', {
      effectiveFrom: plusDays(TODAY, 1),
    });
    expect((await check(checker, s.provisionId)).verdict).toBe('clear');
    clock.move(DAY_MS);
    const c = await check(checker, s.provisionId);
    expect(c.verdict).toBe('do-not-place');
    expect(c.reasons).toEqual([
      expect.objectContaining({ code: 'own-framework-suspension', recordId: r.id }),
    ]);
  });
});

describe('restrictions on a whole provider', () => {
  test('count at every provision of the provider, and nowhere else', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    const elsewhere = await clearSetting();

    const byOther = await restrict(other.officer, { providerId: provider.id }, 'letter-of-concern');
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        expect.objectContaining({
          code: 'restriction-by-member',
          recordId: byOther.id,
          contact: other.qaInbox,
        }),
      ]);
      expect(c.restrictions).toEqual([
        expect.objectContaining({ id: byOther.id, providerId: provider.id, provisionId: null }),
      ]);
    }

    const own = await restrict(checker.officer, { providerId: provider.id }, 'embargo');
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
      expect(c.verdict).toBe('do-not-place');
      expect(c.reasons[0]).toMatchObject({ code: 'own-embargo', recordId: own.id, contact: checker.qaInbox });
      expect(codes(c).sort()).toEqual(['own-embargo', 'restriction-by-member']);
    }

    const ceased = await restrict(other.officer, { providerId: provider.id }, 'ceased-operating');
    expect(codes(await check(other, a.provisionId))).toContain('ceased-operating');
    expect((await check(other, b.provisionId)).reasons).toContainEqual(
      expect.objectContaining({ code: 'ceased-operating', recordId: ceased.id }),
    );

    expect(await check(checker, elsewhere.provisionId)).toMatchObject({ verdict: 'clear', reasons: [] });
  });
});

describe('check by URN, and unknown settings', () => {
  test('a URN finds the same setting and the same answer as its id', async ({
    h,
    checker,
    clearSetting,
    check,
    updateProvision,
  }) => {
    const s = await clearSetting();
    await updateProvision(s, { ofstedGrade: 'requires-improvement' });
    const byId = await check(checker, s.provisionId);
    const byUrn = await h.caller(checker.officer).checks.placement({ urn: s.urn });
    expect(byUrn).toEqual(byId);
    expect(byUrn).toMatchObject({ provisionId: s.provisionId, verdict: 'caution' });
    // URNs are matched case-insensitively, as Ofsted writes them in capitals.
    expect((await h.caller(checker.officer).checks.placement({ urn: s.urn.toLowerCase() })).provisionId).toBe(
      s.provisionId,
    );
  });
});

describe('checks.placementMany', () => {
  test('answers each item in order, the same as single checks, with the summary counts', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
    updateProvision,
  }) => {
    const clear = await clearSetting();
    const stop = await clearSetting();
    await updateProvision(stop, { registrationStatus: 'closed' });
    const careful = await clearSetting();
    await restrict(other.officer, { provisionId: careful.provisionId }, 'action-plan');
    const unknownId = randomUUID();

    const items = [
      { provisionId: clear.provisionId },
      { provisionId: stop.provisionId },
      { urn: careful.urn },
      { provisionId: unknownId },
      { urn: 'SC000002' },
    ];
    const many = await h.caller(checker.officer).checks.placementMany({ items });
    expect(many.summary).toEqual({ clear: 1, caution: 1, doNotPlace: 1, notFound: 2 });
    expect(many.results.map((r) => (r.ok ? [r.provisionId, r.verdict] : [r.ok, r.target]))).toEqual([
      [clear.provisionId, 'clear'],
      [stop.provisionId, 'do-not-place'],
      [careful.provisionId, 'caution'],
      [false, { provisionId: unknownId }],
      [false, { urn: 'SC000002' }],
    ]);
    expect(many.results[3]).toMatchObject({ ok: false, error: expect.stringContaining(unknownId) as string });

    for (const [i, s] of [clear, stop, careful].entries()) {
      const single = await check(checker, s.provisionId);
      const result = many.results[i]!;
      if (!result.ok) throw new Error('expected a result');
      const { ok: _ok, ...fromMany } = result;
      expect(fromMany).toEqual(single);
    }
  });
});
