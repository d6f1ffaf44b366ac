// The event feed (issue: events): every change that matters writes its event in its own transaction —
// outcomes published, amended, withdrawn; restrictions created, updated, lifted, expired; allocations;
// pre-placement grants and their expiry; Ofsted grade and registration changes; monitoring overdue — and
// events.list shows each authority only what it may see: the detail with a need-to-know basis, the
// summary to a bare member, the neutral signal for restricted records. Ids are given by the sequencer,
// strictly increasing; the feed pages with since/limit without gaps or repeats.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { EVENT_TYPES, type CcxEvent, type EventType, type RestrictionCreate } from '@ccx/schema';
import type { Principal } from '@ccx/server';
import { headSeq } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { emitGrantExpiries, emitOverdueMonitoring, emitRestrictionExpiries } from '@ccx/server/testing';
import {
  DAY_MS,
  expectTRPCError,
  makeMember,
  plusDays,
  publishOutcome,
  queryRows,
  test,
  uniq,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z'; // a Monday
const TODAY = '2026-06-15';
test.override({ clockAt: NOW });

const unsequenced = async (h: Harness): Promise<number> =>
  (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from events where seq is null`))[0]!.n;

/**
 * Sequences everything committed so far; answers how many events got an id. The sequencer waits for
 * every transaction older than an event to end — on PostgreSQL that is any in the cluster, other test
 * files' included — so one call may leave some for later.
 */
const settle = async (h: Harness): Promise<number> => {
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
const mark = async (h: Harness): Promise<string> => {
  await settle(h);
  return String(await headSeq(h.db));
};

const who = (m: Member | Principal): Principal => ('officer' in m ? m.officer : m);

/** Every event after `since` that the authority may see, page by page. */
const feed = async (
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
const eventsAbout = async (
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
const oneEvent = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  match: { recordId?: string; provisionId?: string; type: EventType },
): Promise<CcxEvent> => {
  const found = await eventsAbout(h, m, since, match);
  expect(found, `${match.type} for ${'officer' in m ? m.id : m.authorityId}`).toHaveLength(1);
  return found[0]!;
};

const expectNone = async (
  h: Harness,
  m: Member | Principal,
  since: string,
  match: { recordId?: string; provisionId?: string; type?: EventType },
) => {
  expect(await eventsAbout(h, m, since, match)).toEqual([]);
};

const restrictionInput = (
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
const detail = <V extends { layer: string }>(v: V): Extract<V, { layer: 'detail' }> => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${v.layer}`);
  return v as Extract<V, { layer: 'detail' }>;
};

/** What only the detail layer may carry, so none of it may appear in a summary or signal. */
const expectNoText = (e: CcxEvent, texts: string[]) => {
  const json = JSON.stringify(e);
  for (const t of texts) expect(json, `"${t}" leaked into ${e.layer}`).not.toContain(t);
};

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

  test('a restricted outcome reaches others only as the neutral signal', async ({ h, w }) => {
    const since = await mark(h);
    const o = await publishOutcome(h, w.publisher.officer, w.provision.id, { restricted: true });
    const mine = await oneEvent(h, w.publisher, since, { recordId: o.id, type: 'outcome.published' });
    expect(mine).toMatchObject({ layer: 'detail', recordId: o.id });
    expect(mine.data).toMatchObject({ summary: o.input.summary, restricted: true });

    for (const m of [w.lead, w.host, w.placing, w.member]) {
      const found = (await eventsAbout(h, m, since, { provisionId: w.provision.id })).filter(
        (e) => e.id === mine.id,
      );
      expect(found).toHaveLength(1);
      const e = found[0]!;
      expect(e).toEqual({
        id: mine.id,
        type: 'outcome.published',
        at: mine.at,
        layer: 'signal',
        provisionId: w.provision.id,
        providerId: null,
        recordType: null,
        recordId: null,
        data: {
          message: expect.stringContaining(w.publisher.qaInbox) as string,
          contact: w.publisher.qaInbox,
        },
      });
      expectNoText(e, [o.id, o.input.summary, o.input.findings, 'unannounced-visit']);
    }
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

  test('a restricted restriction: detail to its issuer, the neutral signal to everyone else', async ({
    h,
    w,
  }) => {
    const since = await mark(h);
    const i = restrictionInput(w.provision.id, 'informal-embargo');
    const r = detail(await h.caller(w.publisher.officer).restrictions.create(i));

    const mine = await oneEvent(h, w.publisher, since, { recordId: r.id, type: 'restriction.created' });
    expect(mine).toMatchObject({ layer: 'detail', recordId: r.id, recordType: 'restriction' });
    expect(mine.data).toMatchObject({ kind: 'informal-embargo', restricted: true, summary: i.summary });

    for (const m of [w.lead, w.host, w.placing, w.member]) {
      const found = (await eventsAbout(h, m, since, { provisionId: w.provision.id })).filter(
        (e) => e.id === mine.id,
      );
      expect(found).toHaveLength(1);
      const e = found[0]!;
      expect(e).toMatchObject({
        type: 'restriction.created',
        layer: 'signal',
        recordId: null,
        recordType: null,
      });
      expect(Object.keys(e.data).sort()).toEqual(['contact', 'message']);
      expect(e.data.contact).toBe(w.publisher.qaInbox);
      expect(e.data.message).toContain(w.publisher.qaInbox);
      expectNoText(e, [
        r.id,
        'informal-embargo',
        'embargo',
        i.reasons[0]!.text,
        i.summary,
        i.details,
        'safeguarding',
      ]);
    }
  });

  test('expired: emitted once the hub clock passes expiresOn, and only once however often the job runs', async ({
    h,
    w,
    clock,
  }) => {
    const expiresOn = plusDays(TODAY, 3);
    const i = restrictionInput(w.provision.id, 'embargo', { expiresOn });
    const r = detail(await h.caller(w.publisher.officer).restrictions.create(i));
    // One lifted before its expiry date never expires.
    const lifted = detail(
      await h
        .caller(w.publisher.officer)
        .restrictions.create(restrictionInput(w.provision.id, 'action-plan', { expiresOn })),
    );
    await h
      .caller(w.publisher.officer)
      .restrictions.lift({ id: lifted.id, version: 1, reason: 'resolved early' });
    const since = await mark(h);

    await emitRestrictionExpiries(h.db, h.hub.clock.now());
    clock.move(2 * DAY_MS);
    await emitRestrictionExpiries(h.db, h.hub.clock.now());
    await expectNone(h, w.placing, since, { type: 'restriction.expired' });

    clock.move(DAY_MS); // now on expiresOn: the first day it no longer applies
    expect(await emitRestrictionExpiries(h.db, h.hub.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await emitRestrictionExpiries(h.db, h.hub.clock.now())).toBe(0);
    clock.move(5 * DAY_MS);
    await emitRestrictionExpiries(h.db, h.hub.clock.now());

    const e = await oneEvent(h, w.placing, since, { recordId: r.id, type: 'restriction.expired' });
    expect(e).toMatchObject({ layer: 'detail', recordType: 'restriction', provisionId: w.provision.id });
    expect(e.at).toBe(new Date(new Date(NOW).getTime() + 3 * DAY_MS).toISOString());
    expect(e.data).toMatchObject({
      id: r.id,
      kind: 'embargo',
      status: 'expired',
      expiresOn,
      summary: i.summary,
    });
    const s = await oneEvent(h, w.member, since, { recordId: r.id, type: 'restriction.expired' });
    expect(s).toMatchObject({ id: e.id, layer: 'summary' });
    expect(s.data).toMatchObject({ id: r.id, kind: 'embargo', status: 'expired' });
    expectNoText(s, [i.summary, i.details, i.reasons[0]!.text]);
    await expectNone(h, w.placing, since, { recordId: lifted.id, type: 'restriction.expired' });
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

describe('pre-placement grants', () => {
  test('access.prospective-granted and -expired reach the grantee, the lead and the host, not a bare member', async ({
    h,
    w,
    clock,
  }) => {
    const seeker = await makeMember(h, 'seeker');
    const since = await mark(h);
    const grant = await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'a possible placement for a child in our care',
      caseReference: `CASE-${uniq()}`,
      days: 2,
    });

    for (const m of [seeker, w.lead, w.host]) {
      const e = await oneEvent(h, m, since, {
        provisionId: w.provision.id,
        type: 'access.prospective-granted',
      });
      expect(e).toMatchObject({ layer: 'detail', provisionId: w.provision.id });
      expect(e.data).toMatchObject({
        grantId: grant.id,
        authorityId: seeker.id,
        provisionId: w.provision.id,
        caseReference: grant.caseReference,
        expiresAt: grant.expiresAt,
      });
    }
    for (const m of [w.member, w.placing, w.publisher])
      await expectNone(h, m, since, { type: 'access.prospective-granted' });

    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBe(0);
    clock.move(2 * DAY_MS + 1000);
    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await emitGrantExpiries(h.db, h.hub.clock.now())).toBe(0);
    for (const m of [seeker, w.lead, w.host]) {
      const e = await oneEvent(h, m, since, {
        provisionId: w.provision.id,
        type: 'access.prospective-expired',
      });
      expect(e).toMatchObject({ layer: 'detail' });
      expect(e.data).toMatchObject({ grantId: grant.id, authorityId: seeker.id, expiresAt: grant.expiresAt });
    }
    for (const m of [w.member, w.placing, w.publisher])
      await expectNone(h, m, since, { type: 'access.prospective-expired' });
  });
});

describe('monitoring overdue', () => {
  test('emitted to the lead authority alone, once per due date', async ({ h, w, clock }) => {
    const lead = await makeMember(h, 'overdue-lead');
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: lead.id,
      rationale: 'lead',
      startsOn: '2026-01-01',
    });
    const o = await publishOutcome(h, lead.officer, p.id, { nextDueOn: plusDays(TODAY, 2) });
    const since = await mark(h);

    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await expectNone(h, lead, since, { provisionId: p.id, type: 'monitoring.overdue' });

    clock.move(4 * DAY_MS);
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    clock.move(DAY_MS);
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    const [first, ...rest] = await eventsAbout(h, lead, since, {
      provisionId: p.id,
      type: 'monitoring.overdue',
    });
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ layer: 'detail', provisionId: p.id, recordId: null });
    expect(first!.data).toMatchObject({
      provisionId: p.id,
      leadAuthorityId: lead.id,
      status: 'overdue',
      nextDueOn: plusDays(TODAY, 2),
      lastMonitoredOn: o.activityDate,
    });
    for (const m of [w.host, w.member, w.placing, w.lead])
      await expectNone(h, m, since, { provisionId: p.id, type: 'monitoring.overdue' });

    // A new due date that also passes is a new event.
    await h.caller(lead.officer).outcomes.amend({
      id: o.id,
      version: o.version,
      reason: 'next visit rescheduled',
      changes: { nextDueOn: plusDays(TODAY, 3) },
    });
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    await emitOverdueMonitoring(h.db, h.hub.clock.now());
    const all = await eventsAbout(h, lead, since, { provisionId: p.id, type: 'monitoring.overdue' });
    expect(all.map((e) => e.data.nextDueOn)).toEqual([plusDays(TODAY, 2), plusDays(TODAY, 3)]);
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

  test('a bad since or limit is refused with 400', async ({ h, w }) => {
    const c = h.caller(w.member.officer);
    for (const since of ['abc', '-1', '1.5', '', '12345678901234567890'])
      await expectTRPCError(c.events.list({ since }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ limit: 501 }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ types: ['outcome.deleted' as EventType] }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(null).events.list({}), 'UNAUTHORIZED');
  });

  test('who sees what is decided at reading: an ended placement sees the summary from then on', async ({
    h,
    w,
    clock,
  }) => {
    const leaver = await makeMember(h, 'leaver');
    const placement = await h
      .caller(leaver.officer)
      .placements.declare({ provisionId: w.provision.id, children: 1, fromDate: '2026-01-01' });
    const since = await mark(h);
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const before = await oneEvent(h, leaver, since, { recordId: o.id, type: 'outcome.published' });
    expect(before.layer).toBe('detail');
    await h
      .caller(leaver.officer)
      .placements.end({ id: placement.id, version: placement.version, endedOn: TODAY });
    clock.move(DAY_MS);
    const after = await oneEvent(h, leaver, since, { recordId: o.id, type: 'outcome.published' });
    expect(after).toMatchObject({ id: before.id, layer: 'summary' });
    expectNoText(after, [o.input.findings, o.input.summary]);
  });
});
