// Restricted-information signals (DESIGN.md §3): what a member without detail is told of restricted
// records — one text whatever their kind, no record dates or ids, an opaque signal id per viewer and
// record that the check, the lists and the event feed share — and that a withdrawn outcome or a lifted
// restriction stops signalling, its end told once in the feed with the id its start carried.
import { describe, expect } from 'vitest';
import type { CcxEvent, PlacementCheck } from '@ccx/schema';
import { publishOutcome, uniq } from '../../support/harness.js';
import { settle } from '../events/fixtures.js';
import { NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

const SIGNAL_ID = /^sig_[A-Za-z0-9_-]{22}$/;
const signalReasons = (c: PlacementCheck) => c.reasons.filter((r) => r.code === 'restricted-information');
const idsOf = (c: PlacementCheck) => signalReasons(c).flatMap((r) => r.signalIds ?? []);

/** Nothing in `body` names the hidden records, their kind or their dates. */
const revealsNothing = (body: unknown, hidden: { ids: string[]; dates: string[] }, words = true) => {
  const text = JSON.stringify(body);
  for (const id of hidden.ids) expect(text).not.toContain(id);
  for (const date of hidden.dates) expect(text).not.toContain(date);
  if (words)
    for (const word of ['restriction', 'outcome', 'concern', 'action-plan', 'action plan', 'embargo'])
      expect(text.toLowerCase()).not.toContain(word);
};

describe('restricted-information signals', { timeout: 240_000 }, () => {
  test('carry no kind, date or record id; one reason per authority; ids stable per viewer, different across viewers', async ({
    h,
    lead,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', {
      restricted: true,
      effectiveFrom: '2026-06-01',
    });
    const o = await publishOutcome(h, other.officer, s.provisionId, {
      activityDate: '2026-06-10',
      overallRating: 4,
      nextDueOn: undefined,
      restricted: true,
    });
    const c = await h.caller(other.officer).concerns.log({
      provisionId: s.provisionId,
      category: 'criminal-investigation',
      level: 'level-2',
      occurredOn: '2026-06-03',
      summary: `under investigation ${uniq()}`,
      restricted: true,
    });
    const hidden = {
      ids: [r.id, o.id, 'id' in c ? c.id : 'missing'],
      dates: ['2026-06-01', '2026-06-03', '2026-06-10'],
    };

    const first = await check(checker, s.provisionId);
    const reasons = signalReasons(first);
    // One reason for the one authority holding the three records, in the one text.
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({
      verdict: 'caution',
      recordId: null,
      contact: other.qaInbox,
      message: `a member authority holds restricted information about this setting: contact ${other.qaInbox} before placing`,
    });
    expect(reasons[0]!.signalIds).toHaveLength(3);
    for (const id of reasons[0]!.signalIds!) expect(id).toMatch(SIGNAL_ID);
    revealsNothing(reasons, hidden);
    // No other part of the check tells of them: not the restrictions, the latest outcome or the schedule.
    expect(first.restrictions.every((v) => v.layer !== 'signal')).toBe(true);
    expect(first.latestOutcome).toMatchObject({ id: s.outcome!.id });
    expect(first.monitoring.lastMonitoredOn).toBe('2026-05-20');
    revealsNothing(
      { restrictions: first.restrictions, latestOutcome: first.latestOutcome, monitoring: first.monitoring },
      hidden,
      false, // the check's own field names say "restrictions", "latestOutcome"
    );
    expect(first.reasons.some((x) => x.code === 'significant-concern')).toBe(false);
    expect(first.reasons.some((x) => x.code === 'latest-rating-of-concern')).toBe(false);

    // The same viewer gets the same ids again; another viewer gets its own.
    expect(idsOf(await check(checker, s.provisionId))).toEqual(idsOf(first));
    const byLead = idsOf(await check(lead, s.provisionId));
    expect(byLead).toHaveLength(3);
    expect(byLead.filter((id) => idsOf(first).includes(id))).toEqual([]);

    // The lists: one signal per publisher and scope, carrying the same ids.
    const restrictions = await h.caller(checker.officer).restrictions.list({ provisionId: s.provisionId });
    const rSignals = restrictions.items.filter((v) => v.layer === 'signal');
    expect(rSignals).toHaveLength(1);
    expect(rSignals[0]!.layer === 'signal' && rSignals[0]!.signalIds).toHaveLength(1);
    const restrictionSignal = rSignals[0]!.layer === 'signal' ? rSignals[0]!.signalIds[0]! : '';
    expect(idsOf(first)).toContain(restrictionSignal);
    revealsNothing(rSignals, hidden);
    const outcomes = await h.caller(checker.officer).outcomes.list({ provisionId: s.provisionId });
    const oSignals = outcomes.items.filter((v) => v.layer === 'signal');
    expect(oSignals).toHaveLength(1);
    // Signals come first, never among the outcomes (whose order would date them).
    expect(outcomes.items[0]!.layer).toBe('signal');
    const outcomeSignal = oSignals[0]!.layer === 'signal' ? oSignals[0]!.signalIds[0]! : '';
    expect(idsOf(first)).toContain(outcomeSignal);
    revealsNothing(oSignals, hidden);
    // get: the one record's signal carries its id.
    const one = await h.caller(checker.officer).restrictions.get({ id: r.id });
    expect(one).toMatchObject({ layer: 'signal', signalIds: [restrictionSignal] });

    // The feed: a signal.raised per record with the same id, nothing of the record.
    await settle(h);
    const feed = await h.caller(checker.officer).events.list({ latest: 50 });
    const raised = feed.items.filter((e) => e.layer === 'signal' && e.provisionId === s.provisionId);
    expect(raised.map((e) => e.type)).toEqual(['signal.raised', 'signal.raised', 'signal.raised']);
    expect(raised.map((e) => e.data.signalId).sort()).toEqual([...idsOf(first)].sort());
    for (const e of raised) expect(e).toMatchObject({ recordType: null, recordId: null });
    revealsNothing(
      raised.map(({ type: _t, ...e }) => e),
      hidden,
    );
    // A filter on a kind finds no signal; a filter on signals finds them.
    const byKind = await h
      .caller(checker.officer)
      .events.list({ latest: 50, types: ['restriction.created'] });
    expect(byKind.items.filter((e) => e.provisionId === s.provisionId)).toEqual([]);
    const bySignal = await h.caller(checker.officer).events.list({ latest: 50, types: ['signal.raised'] });
    expect(bySignal.items.filter((e) => e.provisionId === s.provisionId)).toHaveLength(3);
  });

  test('a lifted restriction and a withdrawn outcome stop signalling; the feed tells each end once, with its start’s id', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const r = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', {
      restricted: true,
    });
    const o = await publishOutcome(h, other.officer, s.provisionId, {
      activityDate: '2026-06-10',
      overallRating: 2,
      nextDueOn: undefined,
      restricted: true,
    });
    const before = idsOf(await check(checker, s.provisionId));
    expect(before).toHaveLength(2);

    await h
      .caller(other.officer)
      .restrictions.lift({ id: r.id, version: r.version, reason: 'complied in full' });
    const afterLift = await check(checker, s.provisionId);
    expect(idsOf(afterLift)).toHaveLength(1);
    const list = await h.caller(checker.officer).restrictions.list({ provisionId: s.provisionId });
    expect(list.items.filter((v) => v.layer === 'signal')).toEqual([]);
    await expect(h.caller(checker.officer).restrictions.get({ id: r.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // The issuer still reads it.
    expect(await h.caller(other.officer).restrictions.get({ id: r.id })).toMatchObject({ layer: 'detail' });

    const current = await h.caller(other.officer).outcomes.get({ id: o.id });
    await h.caller(other.officer).outcomes.withdraw({
      id: o.id,
      version: current.layer === 'detail' ? current.version : 0,
      reason: 'published in error',
    });
    const afterWithdraw = await check(checker, s.provisionId);
    expect(signalReasons(afterWithdraw)).toEqual([]);
    expect(afterWithdraw.verdict).toBe('clear');
    const outcomes = await h.caller(checker.officer).outcomes.list({ provisionId: s.provisionId });
    expect(outcomes.items.filter((v) => v.layer === 'signal')).toEqual([]);

    await settle(h);
    const feed = await h.caller(checker.officer).events.list({ latest: 100 });
    const mine = feed.items.filter((e: CcxEvent) => e.layer === 'signal' && e.provisionId === s.provisionId);
    const ended = mine.filter((e) => e.type === 'signal.ended');
    const raised = mine.filter((e) => e.type === 'signal.raised');
    expect(raised.map((e) => e.data.signalId).sort()).toEqual([...before].sort());
    expect(ended.map((e) => e.data.signalId).sort()).toEqual([...before].sort());
    // Nothing else of them: no update, amendment or other change of a restricted record reaches a signal viewer.
    expect(mine).toHaveLength(4);
  });

  test('a closed restricted concern stops signalling, in the check, the list and the feed', async ({
    h,
    checker,
    other,
    clearSetting,
    check,
  }) => {
    const s = await clearSetting();
    const logged = await h.caller(other.officer).concerns.log({
      provisionId: s.provisionId,
      category: 'quality',
      level: 'minor',
      occurredOn: '2026-06-01',
      summary: 'Staffing rota gaps reported by a placing social worker',
      restricted: true,
    });
    if (logged.layer !== 'detail') throw new Error('its logger reads it in detail');
    const before = idsOf(await check(checker, s.provisionId));
    expect(before).toHaveLength(1);
    const listed = await h.caller(checker.officer).concerns.list({ provisionId: s.provisionId });
    expect(listed.items.filter((v) => v.layer === 'signal').flatMap((v) => v.signalIds)).toEqual(before);

    await h.caller(other.officer).concerns.close({
      id: logged.id,
      version: logged.version,
      reason: 'resolved with the provider',
    });
    expect(signalReasons(await check(checker, s.provisionId))).toEqual([]);
    const after = await h.caller(checker.officer).concerns.list({ provisionId: s.provisionId });
    expect(after.items.filter((v) => v.layer === 'signal')).toEqual([]);
    // Its logger still reads it, closed.
    expect(await h.caller(other.officer).concerns.get({ id: logged.id })).toMatchObject({
      layer: 'detail',
      status: 'closed',
    });

    await settle(h);
    const feed = await h.caller(checker.officer).events.list({ latest: 100 });
    const mine = feed.items.filter((e: CcxEvent) => e.layer === 'signal' && e.provisionId === s.provisionId);
    expect(mine.map((e) => e.type).sort()).toEqual(['signal.ended', 'signal.raised']);
    expect(new Set(mine.map((e) => e.data.signalId))).toEqual(new Set(before));
  });
});
