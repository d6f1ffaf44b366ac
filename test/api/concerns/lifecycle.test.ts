// Concerns that count: the level and category, the lifecycle with every version kept (correct,
// substantiate, unsubstantiate, close — the logging authority only), what stops counting, the
// significant-concern reason in every check (told only as far as each caller may read it), the event
// and who receives it, the setting's and provider's risk ratings, the hub-admin's bands, and the
// causing-concern level on a restriction.
import { describe, expect } from 'vitest';
import { expectTRPCError, uniq } from '../../support/harness.js';
import { settle } from '../events/fixtures.js';
import { list, log, NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('lifecycle', () => {
  test('correct, substantiate, unsubstantiate and close keep every version; only the logger may', async ({
    h,
    w,
    makeSite,
  }) => {
    const site = await makeSite();
    const c = await log(h, w.publisher.officer, site, { level: 'minor', category: 'quality' });
    expect([c.status, c.version, c.counts, c.significant]).toEqual(['open', 1, true, false]);

    // The lead reads it but may not change or close it: only the authority that logged it may.
    const forbidden = await expectTRPCError(
      h.caller(w.lead.officer).concerns.close({ id: c.id, version: 1, reason: 'resolved at visit' }),
      'FORBIDDEN',
    );
    expect(forbidden.message).toMatch(/only the authority that logged/);
    await expectTRPCError(
      h.caller(w.lead.officer).concerns.correct({ id: c.id, version: 1, level: 'level-2', note: 'worse' }),
      'FORBIDDEN',
    );

    const corrected = await h
      .caller(w.publisher.officer)
      .concerns.correct({ id: c.id, version: 1, level: 'level-1', note: 'second incident found' });
    if (corrected.layer !== 'detail') throw new Error('detail expected');
    expect([corrected.level, corrected.version]).toEqual(['level-1', 2]);
    // A stale version is a conflict naming the current one; a correction changing nothing is refused.
    await expectTRPCError(
      h.caller(w.publisher.officer).concerns.substantiate({ id: c.id, version: 1 }),
      'CONFLICT',
    );
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .concerns.correct({ id: c.id, version: 2, level: 'level-1', note: 'again' }),
      'BAD_REQUEST',
    );
    const sub = await h
      .caller(w.publisher.officer)
      .concerns.substantiate({ id: c.id, version: 2, note: 'confirmed' });
    const unsub = await h
      .caller(w.publisher.officer)
      .concerns.unsubstantiate({ id: c.id, version: 3, note: 'evidence withdrawn' });
    if (sub.layer !== 'detail' || unsub.layer !== 'detail') throw new Error('detail expected');
    expect([sub.status, sub.counts, unsub.status, unsub.counts]).toEqual([
      'substantiated',
      true,
      'unsubstantiated',
      false,
    ]);
    const closed = await h
      .caller(w.publisher.officer)
      .concerns.close({ id: c.id, version: 4, reason: 'provider retrained staff' });
    if (closed.layer !== 'detail') throw new Error('detail expected');
    expect([closed.status, closed.closedReason, closed.version]).toEqual([
      'closed',
      'provider retrained staff',
      5,
    ]);
    expect(closed.history.map((v) => [v.version, v.change, v.status, v.level])).toEqual([
      [1, 'logged', 'open', 'minor'],
      [2, 'corrected', 'open', 'level-1'],
      [3, 'substantiated', 'substantiated', 'level-1'],
      [4, 'unsubstantiated', 'unsubstantiated', 'level-1'],
      [5, 'closed', 'closed', 'level-1'],
    ]);
    expect(closed.history[1]!.note).toBe('second incident found');
    // A closed concern no longer changes.
    await expectTRPCError(
      h.caller(w.publisher.officer).concerns.substantiate({ id: c.id, version: 5 }),
      'CONFLICT',
    );
    // The lead reads it, with its versions; a bare member cannot know of it.
    const read = await h.caller(w.lead.officer).concerns.get({ id: c.id });
    expect(read.layer === 'detail' && read.history.length).toBe(5);
    await expectTRPCError(h.caller(w.member.officer).concerns.get({ id: c.id }), 'NOT_FOUND');
  });

  test('unsubstantiated and closed concerns stop counting', async ({ h, w, makeSite }) => {
    const site = await makeSite();
    const a = await log(h, w.publisher.officer, site);
    const b = await log(h, w.publisher.officer, site);
    await log(h, w.publisher.officer, site);
    expect((await list(h, w.member.officer, site)).concernsLast12Months).toBe(3);
    await h.caller(w.publisher.officer).concerns.unsubstantiate({ id: a.id, version: 1 });
    await h.caller(w.publisher.officer).concerns.close({ id: b.id, version: 1, reason: 'duplicate log' });
    const after = await list(h, w.member.officer, site);
    expect([after.concernsLast12Months, after.riskRag]).toEqual([1, 'low']);
  });
});

describe('the risk rating', () => {
  test('one counting level-2 concern raises it to medium; closing it lowers it again', async ({ h, w }) => {
    const { id: site } = await h.makeProvision({ hostAuthorityId: w.host.id });
    await log(h, w.publisher.officer, site, { level: 'minor' });
    expect((await list(h, w.member.officer, site)).riskRag).toBe('low');
    const two = await log(h, w.publisher.officer, site, { level: 'level-2', category: 'financial' });
    expect(await list(h, w.member.officer, site)).toMatchObject({
      concernsLast12Months: 2,
      riskRag: 'medium',
    });
    await h.caller(w.publisher.officer).concerns.close({ id: two.id, version: 1, reason: 'accounts filed' });
    expect((await list(h, w.member.officer, site)).riskRag).toBe('low');
  });

  test("the provider's rating counts every setting of it", async ({ h, w }) => {
    const provider = await h.makeProvider();
    const a = await h.makeProvision({ hostAuthorityId: w.host.id, providerId: provider.id });
    const b = await h.makeProvision({ hostAuthorityId: w.host.id, providerId: provider.id });
    for (let i = 0; i < 3; i++) await log(h, w.publisher.officer, a.id, { level: 'minor' });
    for (let i = 0; i < 2; i++) await log(h, w.publisher.officer, b.id, { level: 'minor' });
    const r = await list(h, w.member.officer, a.id);
    expect(r).toMatchObject({
      concernsLast12Months: 3,
      riskRag: 'low',
      providerId: provider.id,
      providerConcernsLast12Months: 5,
      providerRiskRag: 'medium',
    });
    const check = await h.caller(w.member.officer).checks.placement({ provisionId: a.id });
    expect(check).toMatchObject({
      riskRag: 'low',
      providerRiskRag: 'medium',
      providerConcernsLast12Months: 5,
    });
    expect(check.reasons.map((x) => x.code)).toContain('provider-risk-medium');
    expect(check.reasons.map((x) => x.code)).not.toContain('risk-medium');
  });

  test('the hub-admin sets the bands; no one else may; bad bands are refused', async ({ h, w }) => {
    expect(await h.caller(w.member.officer).concerns.riskBands()).toMatchObject({
      mediumFrom: 5,
      highFrom: 11,
      isDefault: true,
    });
    await expectTRPCError(
      h.caller(w.member.officer).concerns.setRiskBands({ mediumFrom: 2, highFrom: 4 }),
      'FORBIDDEN',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).concerns.setRiskBands({ mediumFrom: 4, highFrom: 4 }),
      'BAD_REQUEST',
    );
    const { id: site } = await h.makeProvision({ hostAuthorityId: w.host.id });
    for (let i = 0; i < 3; i++) await log(h, w.publisher.officer, site, { level: 'minor' });
    expect((await list(h, w.member.officer, site)).riskRag).toBe('low');
    try {
      expect(await h.caller(h.hubAdmin).concerns.setRiskBands({ mediumFrom: 2, highFrom: 3 })).toMatchObject({
        mediumFrom: 2,
        highFrom: 3,
        isDefault: false,
      });
      expect((await list(h, w.member.officer, site)).riskRag).toBe('high');
      const check = await h.caller(w.member.officer).checks.placement({ provisionId: site });
      expect(check.reasons.map((x) => x.code)).toContain('risk-high');
    } finally {
      await h.caller(h.hubAdmin).concerns.setRiskBands({ mediumFrom: 5, highFrom: 11 });
    }
  });
});

describe('a significant concern in the check', () => {
  test('caution for everyone, do-not-place for its logger, told only as far as each may read', async ({
    h,
    w,
    other,
    makeSite,
  }) => {
    const site = await makeSite();
    const summary = `allegation referred to the LADO ${uniq()}`;
    const c = await log(h, w.publisher.officer, site, {
      level: 'level-1',
      category: 'safeguarding',
      summary,
    });
    const reasonOf = async (who: typeof w.lead.officer) =>
      (await h.caller(who).checks.placement({ provisionId: site })).reasons.filter((r) =>
        ['significant-concern', 'own-significant-concern'].includes(r.code),
      );
    const own = await h.caller(w.publisher.officer).checks.placement({ provisionId: site });
    expect(own.verdict).toBe('do-not-place');
    expect(await reasonOf(w.publisher.officer)).toEqual([
      expect.objectContaining({ code: 'own-significant-concern', verdict: 'do-not-place', recordId: c.id }),
    ]);
    // The lead reads it: the reason names it and carries its text.
    const [lead] = await reasonOf(w.lead.officer);
    expect(lead).toMatchObject({ code: 'significant-concern', verdict: 'caution', recordId: c.id });
    expect(lead!.message).toContain(summary);
    // Another member without need-to-know: the reason, with no text and no record id.
    const check = await h.caller(other.officer).checks.placement({ provisionId: site });
    expect(check.verdict).toBe('caution');
    const [bare] = await reasonOf(other.officer);
    expect(bare).toEqual({
      code: 'significant-concern',
      verdict: 'caution',
      message: `a member authority has logged a significant concern: contact ${w.publisher.qaInbox} before placing`,
      recordId: null,
      contact: w.publisher.qaInbox,
    });
    expect(JSON.stringify(check)).not.toContain(summary);
    // Once unsubstantiated it no longer counts: no reason.
    await h.caller(w.publisher.officer).concerns.unsubstantiate({ id: c.id, version: 1 });
    expect(await reasonOf(other.officer)).toEqual([]);
    expect(await reasonOf(w.publisher.officer)).toEqual([]);
  });

  test('a restricted level-2 concern tells those who cannot read it only the neutral signal', async ({
    h,
    w,
    makeSite,
  }) => {
    const site = await makeSite();
    const summary = `criminal investigation ${uniq()}`;
    const c = await log(h, w.publisher.officer, site, {
      level: 'level-2',
      category: 'criminal-investigation',
      summary,
      restricted: true,
    });
    const check = await h.caller(w.lead.officer).checks.placement({ provisionId: site });
    // A significant-concern reason would say what kind of record the signal stands for: the caller
    // gets the one restricted-information reason (whom to contact), and the rating it raised.
    expect(check.reasons.map((r) => r.code)).not.toContain('significant-concern');
    expect(check.reasons.find((r) => r.code === 'restricted-information')).toMatchObject({
      recordId: null,
      contact: w.publisher.qaInbox,
    });
    expect(JSON.stringify(check)).not.toContain(summary);
    expect(JSON.stringify(check)).not.toContain(c.id);
    expect(check.riskRag).toBe('medium');
  });
});

describe('events', () => {
  test('concern.logged carries its level to need-to-know authorities only', async ({
    h,
    w,
    other,
    makeSite,
  }) => {
    const site = await makeSite();
    const c = await log(h, w.publisher.officer, site, { level: 'level-2', category: 'safeguarding' });
    await settle(h);
    const seen = async (who: typeof w.lead.officer) =>
      (await h.caller(who).events.list({ latest: 500, types: ['concern.logged'] })).items.filter(
        (e) => e.provisionId === site,
      );
    for (const who of [w.lead.officer, w.host.officer, w.placing.officer, w.publisher.officer]) {
      const [e] = await seen(who);
      expect(e).toMatchObject({
        layer: 'detail',
        recordId: c.id,
        data: { level: 'level-2', significant: true },
      });
    }
    expect(await seen(other.officer)).toEqual([]);
    expect(await seen(w.member.officer)).toEqual([]);
    await h
      .caller(w.publisher.officer)
      .concerns.close({ id: c.id, version: 1, reason: 'investigated: no case' });
    await settle(h);
    const closed = (await h.caller(w.lead.officer).events.list({ latest: 500, types: ['concern.closed'] }))
      .items;
    expect(closed.filter((e) => e.recordId === c.id)).toHaveLength(1);
  });
});

describe('causing-concern level on a restriction', () => {
  test('required for that kind, refused for others, shown in the view and the check reason', async ({
    h,
    w,
    makeSite,
  }) => {
    const site = await makeSite();
    const base = {
      provisionId: site,
      kind: 'causing-concern-level' as const,
      reasons: [{ category: 'quality' as const, text: 'home placed on the protocol' }],
    };
    await expectTRPCError(h.caller(w.publisher.officer).restrictions.create(base), 'BAD_REQUEST');
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.create({ ...base, kind: 'embargo', concernLevel: 1 }),
      'BAD_REQUEST',
    );
    const r = await h.caller(w.publisher.officer).restrictions.create({ ...base, concernLevel: 2 });
    expect(r.layer === 'detail' && r.concernLevel).toBe(2);
    const check = await h.caller(w.lead.officer).checks.placement({ provisionId: site });
    expect(
      check.reasons.find((x) => x.recordId === r.layer && false) ?? check.reasons.map((x) => x.message),
    ).toEqual(expect.arrayContaining([expect.stringContaining('causing concern, level 2')]));
  });
});
