// The event feed (issue: events), what works: every change that matters writes its event in its own
// transaction — outcomes published, amended, withdrawn; restrictions created, updated, lifted; allocations;
// Ofsted grade and registration changes — given ids by the sequencer, strictly increasing, and the feed
// pages with since/limit (or the latest N) without gaps or repeats. events.list runs last: it reads the
// events the tests above it wrote.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { EVENT_TYPES, type EventType } from '@ccx/schema';
import { sequenceEvents } from '@ccx/server/testing';
import { expectTRPCError, publishOutcome, queryRows, test, uniq } from '../../support/harness.js';
import { headSeq } from '@ccx/server/testing';
import {
  detail,
  eventsAbout,
  expectNoText,
  feed,
  mark,
  NOW,
  oneEvent,
  restrictionInput,
  settle,
  TODAY,
  unsequenced,
} from './fixtures.js';

test.override({ clockAt: NOW });

describe('the outbox and the sequencer', () => {
  test('writes the event with the change, but gives it an id only when sequenced', async ({ h, w }) => {
    const since = await mark(h);
    expect(await unsequenced(h)).toBe(0);
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);

    // Committed, but not yet in anyone's feed.
    const waiting = await queryRows<{ type: string; record_id: string }>(
      h.db,
      sql`select type, record_id::text as record_id from events where seq is null`,
    );
    expect(waiting).toEqual([{ type: 'outcome.published', record_id: o.id }]);
    expect(await feed(h, w.lead, since)).toEqual([]);
    expect(await feed(h, w.member, since)).toEqual([]);

    expect(await settle(h)).toBe(1);
    expect(await sequenceEvents(h.db)).toBe(0);
    const [e] = await feed(h, w.lead, since);
    expect(e).toMatchObject({ type: 'outcome.published', recordId: o.id });
    expect(Number(e!.id)).toBeGreaterThan(Number(since));
    expect(String(await headSeq(h.db))).toBe(e!.id);
  });

  test('writes nothing for a draft, nor for a change that fails', async ({ h, w }) => {
    const since = await mark(h);
    const draft = detail(
      await h.caller(w.lead.officer).outcomes.create({
        provisionId: w.provision.id,
        activityType: 'desk-review',
        activityDate: '2026-06-01',
        overallRating: 2,
        summary: 'a draft',
      }),
    );
    await h
      .caller(w.lead.officer)
      .outcomes.amend({ id: draft.id, version: 1, reason: 'typo', changes: { summary: 'still a draft' } });
    // A stale version fails: its transaction, and the event in it, roll back.
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.publish({ id: draft.id, version: 1 }),
      'CONFLICT',
    );
    expect(await settle(h)).toBe(0);
    expect(await headSeq(h.db)).toBe(Number(since));
    for (const m of [w.lead, w.host, w.placing, w.member]) expect(await feed(h, m, since)).toEqual([]);
  });
});

describe('outcome events', () => {
  test('published, amended and withdrawn reach every member, each at its layer', async ({ h, w }) => {
    const since = await mark(h);
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const secrets = [o.input.summary, o.input.findings, o.input.actionItems![0]!.description];

    const published = await oneEvent(h, w.placing, since, { recordId: o.id, type: 'outcome.published' });
    expect(published).toMatchObject({
      layer: 'detail',
      type: 'outcome.published',
      recordType: 'outcome',
      recordId: o.id,
      provisionId: w.provision.id,
      at: new Date(NOW).toISOString(),
    });
    expect(published.data).toMatchObject({
      id: o.id,
      status: 'published',
      summary: o.input.summary,
      findings: o.input.findings,
      overallRating: 3,
      publisherAuthorityId: w.lead.id,
    });
    for (const m of [w.lead, w.host]) {
      const e = await oneEvent(h, m, since, { recordId: o.id, type: 'outcome.published' });
      expect(e).toEqual(published);
    }
    // A bare member, and an authority with no basis at the setting: the summary only.
    for (const m of [w.member, w.publisher]) {
      const e = await oneEvent(h, m, since, { recordId: o.id, type: 'outcome.published' });
      expect(e).toMatchObject({ id: published.id, layer: 'summary', recordId: o.id, recordType: 'outcome' });
      expect(e.data).toMatchObject({
        id: o.id,
        status: 'published',
        overallRating: 3,
        activityType: o.activityType,
      });
      expect(e.data).not.toHaveProperty('findings');
      expect(e.data).not.toHaveProperty('summary');
      expect(e.data).not.toHaveProperty('actionItems');
      expectNoText(e, secrets);
    }

    const amended = await h.caller(w.lead.officer).outcomes.amend({
      id: o.id,
      version: o.version,
      reason: 'rating reviewed',
      changes: { overallRating: 4, findings: `amended findings ${uniq()}` },
    });
    if (amended.layer !== 'detail') throw new Error('the publisher sees detail');
    const a = await oneEvent(h, w.placing, since, { recordId: o.id, type: 'outcome.amended' });
    expect(a.data).toMatchObject({ status: 'amended', overallRating: 4, findings: amended.findings });
    const aSummary = await oneEvent(h, w.member, since, { recordId: o.id, type: 'outcome.amended' });
    expect(aSummary).toMatchObject({ layer: 'summary' });
    expect(aSummary.data).toMatchObject({ status: 'amended', overallRating: 4 });
    expectNoText(aSummary, [amended.findings, ...secrets]);
    expect(Number(a.id)).toBeGreaterThan(Number(published.id));

    await h
      .caller(w.lead.officer)
      .outcomes.withdraw({ id: o.id, version: amended.version, reason: 'published in error' });
    const wd = await oneEvent(h, w.host, since, { recordId: o.id, type: 'outcome.withdrawn' });
    expect(wd).toMatchObject({ layer: 'detail' });
    expect(wd.data).toMatchObject({ status: 'withdrawn', withdrawnReason: 'published in error' });
    const wdSummary = await oneEvent(h, w.member, since, { recordId: o.id, type: 'outcome.withdrawn' });
    expect(wdSummary).toMatchObject({ id: wd.id, layer: 'summary' });
    expect(wdSummary.data).toMatchObject({ status: 'withdrawn' });
    expect(wdSummary.data).not.toHaveProperty('withdrawnReason');
    expect(Number(wd.id)).toBeGreaterThan(Number(a.id));
  });
});

describe('restriction events', () => {
  test('created, updated and lifted: detail with a basis, the summary to a bare member', async ({ h, w }) => {
    const since = await mark(h);
    const i = restrictionInput(w.provision.id, 'action-plan');
    const r = detail(await h.caller(w.publisher.officer).restrictions.create(i));

    const created = await oneEvent(h, w.placing, since, { recordId: r.id, type: 'restriction.created' });
    expect(created).toMatchObject({
      layer: 'detail',
      recordType: 'restriction',
      provisionId: w.provision.id,
    });
    expect(created.data).toMatchObject({
      id: r.id,
      kind: 'action-plan',
      status: 'active',
      issuerAuthorityId: w.publisher.id,
      reasons: i.reasons,
      summary: i.summary,
      details: i.details,
    });
    for (const m of [w.lead, w.host, w.publisher])
      expect(await oneEvent(h, m, since, { recordId: r.id, type: 'restriction.created' })).toEqual(created);
    const summary = await oneEvent(h, w.member, since, { recordId: r.id, type: 'restriction.created' });
    expect(summary).toMatchObject({ id: created.id, layer: 'summary', recordId: r.id });
    expect(summary.data).toMatchObject({
      id: r.id,
      kind: 'action-plan',
      status: 'active',
      issuerAuthorityId: w.publisher.id,
    });
    expect(summary.data).not.toHaveProperty('reasons');
    expectNoText(summary, [i.reasons[0]!.text, i.summary, i.details, i.contractReference]);

    const newSummary = `updated summary ${uniq()}`;
    const updated = detail(
      await h
        .caller(w.publisher.officer)
        .restrictions.update({ id: r.id, version: 1, summary: newSummary, note: 'more detail' }),
    );
    const u = await oneEvent(h, w.lead, since, { recordId: r.id, type: 'restriction.updated' });
    expect(u.data).toMatchObject({ summary: newSummary, version: 2 });
    const uSummary = await oneEvent(h, w.member, since, { recordId: r.id, type: 'restriction.updated' });
    expect(uSummary.layer).toBe('summary');
    expectNoText(uSummary, [newSummary]);

    await h
      .caller(w.publisher.officer)
      .restrictions.lift({ id: r.id, version: updated.version, reason: 'plan completed' });
    const l = await oneEvent(h, w.placing, since, { recordId: r.id, type: 'restriction.lifted' });
    expect(l.data).toMatchObject({ status: 'lifted', liftedOn: TODAY, liftedReason: 'plan completed' });
    const lSummary = await oneEvent(h, w.member, since, { recordId: r.id, type: 'restriction.lifted' });
    expect(lSummary.data).toMatchObject({ status: 'lifted', liftedOn: TODAY });
    expect(lSummary.data).not.toHaveProperty('liftedReason');
    expect(Number(created.id)).toBeLessThan(Number(u.id));
    expect(Number(u.id)).toBeLessThan(Number(l.id));
  });
});

describe('directory and allocation events', () => {
  test('allocations.assign: allocation.changed to every member, as a summary', async ({ h, w }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    const since = await mark(h);
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: w.lead.id,
      rationale: 'nearest member',
    });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: w.placing.id,
      rationale: 'rebalanced',
    });
    for (const m of [w.lead, w.placing, w.member, w.host, w.publisher]) {
      const found = await eventsAbout(h, m, since, { provisionId: p.id, type: 'allocation.changed' });
      expect(found).toHaveLength(2);
      expect(found.map((e) => e.layer)).toEqual(['summary', 'summary']);
      expect(found[0]!.data).toMatchObject({
        provisionId: p.id,
        authorityId: w.lead.id,
        previousAuthorityId: null,
        role: 'quality',
      });
      expect(found[1]!.data).toMatchObject({
        provisionId: p.id,
        authorityId: w.placing.id,
        previousAuthorityId: w.lead.id,
      });
      expect(found[0]).toMatchObject({ recordId: null, recordType: null, provisionId: p.id });
    }
  });

  test('provisions.update: Ofsted grade and registration changes, and nothing for other edits', async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    const since = await mark(h);
    const v1 = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p.id, version: p.version, name: `Renamed ${uniq()}` });
    const v2 = await h.caller(h.hubAdmin).provisions.update({
      id: p.id,
      version: v1.version,
      ofstedGrade: 'inadequate',
      ofstedGradeDate: '2026-06-10',
    });
    await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p.id, version: v2.version, registrationStatus: 'suspended' });

    for (const m of [w.member, w.lead, w.host]) {
      const found = await eventsAbout(h, m, since, { provisionId: p.id });
      expect(found.map((e) => e.type)).toEqual([
        'provision.ofsted-grade-changed',
        'provision.registration-changed',
      ]);
      expect(found.map((e) => e.layer)).toEqual(['summary', 'summary']);
      expect(found[0]!.data).toMatchObject({
        provisionId: p.id,
        from: p.ofstedGrade,
        to: 'inadequate',
        gradeDate: '2026-06-10',
      });
      expect(found[1]!.data).toMatchObject({
        provisionId: p.id,
        from: p.registrationStatus,
        to: 'suspended',
      });
    }
  });
});

describe('events.list', () => {
  test('ids are strictly increasing; pages with since/limit have no gaps or repeats', async ({ h, w }) => {
    // A few more events, so every page size below splits them.
    for (let n = 0; n < 3; n++) await publishOutcome(h, w.lead.officer, w.provision.id);
    await settle(h);
    for (const m of [w.placing, w.member, w.lead]) {
      const whole = (await h.caller(m.officer).events.list({ limit: 500 })).items;
      expect(whole.length).toBeGreaterThan(10);
      const ids = whole.map((e) => Number(e.id));
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
      for (const limit of [1, 3, 7]) {
        const paged = await feed(h, m, '0', { limit });
        expect(paged).toEqual(whole);
      }
      // Starting in the middle continues right after the given id.
      const middle = whole[4]!.id;
      expect(await feed(h, m, middle, { limit: 2 })).toEqual(whole.slice(5));
      const first = await h.caller(m.officer).events.list({ limit: 2 });
      expect(first.items).toEqual(whole.slice(0, 2));
      expect(first.nextSince).toBe(whole[1]!.id);
    }
    // Every sequenced event has a distinct id; the feed's ids are the sequencer's.
    const rows = await queryRows<{ id: string; seq: string }>(
      h.db,
      sql`select id::text as id, seq::text as seq from events order by events.seq`,
    );
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
  });

  test('an empty page keeps the cursor; types filters', async ({ h, w }) => {
    const head = await mark(h);
    expect(await h.caller(w.member.officer).events.list({ since: head })).toEqual({
      items: [],
      nextSince: head,
    });
    expect(await h.caller(w.member.officer).events.list({ since: '999999999' })).toEqual({
      items: [],
      nextSince: '999999999',
    });

    const all = await feed(h, w.placing, '0');
    const kinds = new Set(all.map((e) => e.type));
    expect(kinds.size).toBeGreaterThan(3);
    const wanted: EventType[] = ['restriction.created', 'outcome.amended'];
    const filtered = await feed(h, w.placing, '0', { types: wanted, limit: 2 });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered).toEqual(all.filter((e) => wanted.includes(e.type)));
    expect(await feed(h, w.placing, '0', { types: [...EVENT_TYPES] })).toEqual(all);
  });

  test('latest gives the newest N the caller may see, oldest first, with the cursor to follow from', async ({
    h,
    w,
  }) => {
    await settle(h);
    for (const m of [w.placing, w.member]) {
      const all = await feed(h, m, '0');
      expect(all.length).toBeGreaterThan(5);
      const newest = await h.caller(m.officer).events.list({ latest: 5 });
      expect(newest).toEqual({ items: all.slice(-5), nextSince: all[all.length - 1]!.id });
      // Each at the caller's own layer, exactly as the feed gives it.
      const typed = await h.caller(m.officer).events.list({ latest: 2, types: ['restriction.created'] });
      expect(typed.items).toEqual(all.filter((e) => e.type === 'restriction.created').slice(-2));
      expect(await h.caller(m.officer).events.list({ latest: 500 })).toEqual({
        items: all.slice(-500),
        nextSince: all[all.length - 1]!.id,
      });
    }
    const c = h.caller(w.member.officer);
    await expectTRPCError(c.events.list({ latest: 3, since: '0' }), 'BAD_REQUEST');
    for (const latest of [0, 501, 1.5]) await expectTRPCError(c.events.list({ latest }), 'BAD_REQUEST');
  });
});
