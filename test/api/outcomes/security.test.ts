// Monitoring outcomes, who sees and does what: drafts private to their authority; the layers each
// authority sees — detail, summary, or the restricted signal that gives nothing away but whom to
// contact; and only the publisher's members (not a viewer, not another authority) amend or withdraw.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { OutcomeView } from '@ccx/schema';
import {
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  test,
  type Member,
} from '../../support/harness.js';
import { detail, NOW, secretsOf, SUMMARY_KEYS, versionRows } from './fixtures.js';

test.override({ clockAt: NOW });

describe('drafts are private to their authority', () => {
  let draftId: string;
  test.beforeAll(async ({ h, w }) => {
    const draft = await h.caller(w.publisher.officer).outcomes.create(outcomeInput(w.provision.id));
    if (draft.layer !== 'detail') throw new Error('expected detail');
    draftId = draft.id;
  });

  test('answers 404 to every other authority, whatever its basis, and to the hub-admin', async ({ h, w }) => {
    for (const m of [w.lead, w.host, w.placing, w.member]) {
      await expectTRPCError(h.caller(m.officer).outcomes.get({ id: draftId }), 'NOT_FOUND');
      await expectTRPCError(
        h.caller(m.officer).access.explain({ recordType: 'outcome', recordId: draftId }),
        'NOT_FOUND',
      );
      const listed = await h
        .caller(m.officer)
        .outcomes.listForProvision({ provisionId: w.provision.id, includeDrafts: true });
      expect(JSON.stringify(listed)).not.toContain(draftId);
    }
    await expectTRPCError(h.caller(h.hubAdmin).outcomes.get({ id: draftId }), 'NOT_FOUND');
    await expectTRPCError(h.caller(w.lead.officer).outcomes.get({ id: randomUUID() }), 'NOT_FOUND');
  });

  test('is listed for its writer only with includeDrafts', async ({ h, w }) => {
    const plain = await h
      .caller(w.publisher.officer)
      .outcomes.listForProvision({ provisionId: w.provision.id });
    expect(plain.map((o) => ('id' in o ? o.id : null))).not.toContain(draftId);
    const withDrafts = await h
      .caller(w.publisher.officer)
      .outcomes.listForProvision({ provisionId: w.provision.id, includeDrafts: true });
    expect(withDrafts).toContainEqual(
      expect.objectContaining({ id: draftId, layer: 'detail', status: 'draft' }),
    );
    expect(await h.caller(w.publisher.officer).outcomes.get({ id: draftId })).toMatchObject({
      layer: 'detail',
      status: 'draft',
    });
  });
});

describe('layers of a published outcome', () => {
  let outcome: Awaited<ReturnType<typeof publishOutcome>>;
  test.beforeAll(async ({ h, w }) => {
    outcome = await publishOutcome(h, w.lead.officer, w.provision.id);
  });

  test('lead, host and placing authorities see detail', async ({ h, w }) => {
    for (const m of [w.lead, w.host, w.placing]) {
      const view = await h.caller(m.officer).outcomes.get({ id: outcome.id });
      expect(view).toMatchObject({
        layer: 'detail',
        summary: outcome.input.summary,
        findings: outcome.input.findings,
      });
    }
  });

  test('a bare member and the hub-admin see only the summary', async ({ h, w }) => {
    for (const who of [w.member.officer, w.publisher.officer, h.hubAdmin]) {
      const view = await h.caller(who).outcomes.get({ id: outcome.id });
      expect(view.layer).toBe('summary');
      expect(Object.keys(view).sort()).toEqual(SUMMARY_KEYS);
      expect(view).toMatchObject({
        id: outcome.id,
        publisherAuthorityId: w.lead.id,
        activityType: outcome.input.activityType,
        overallRating: outcome.input.overallRating,
        status: 'published',
      });
      const json = JSON.stringify(view);
      for (const secret of secretsOf(outcome.input)) expect(json).not.toContain(secret);
      const listed = await h.caller(who).outcomes.listForProvision({ provisionId: w.provision.id });
      const mine = listed.find((o) => 'id' in o && o.id === outcome.id);
      expect(mine?.layer).toBe('summary');
      for (const secret of secretsOf(outcome.input)) expect(JSON.stringify(listed)).not.toContain(secret);
    }
    const explain = await h
      .caller(h.hubAdmin)
      .access.explain({ recordType: 'outcome', recordId: outcome.id });
    expect(explain).toMatchObject({ layer: 'summary', rule: 'member-summary' });
  });
});

describe('restricted outcomes', () => {
  let restricted: Awaited<ReturnType<typeof publishOutcome>>;
  let second: Awaited<ReturnType<typeof publishOutcome>>;
  let sharedWith: Member;
  let provisionId: string;
  /** The publisher's QA inbox: the contact a signal gives. */
  let contact: string;

  test.beforeAll(async ({ h, w }) => {
    // A provision of its own, so the counts of signals are exact.
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    provisionId = p.id;
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId, authorityId: w.lead.id, rationale: 'lead here too' });
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId, children: 1, fromDate: '2026-01-01' });
    restricted = await publishOutcome(h, w.publisher.officer, provisionId, {
      restricted: true,
      activityType: 'desk-review',
      overallRating: 5,
    });
    second = await publishOutcome(h, w.publisher.officer, provisionId, {
      restricted: true,
      activityType: 'compliance-review',
    });
    sharedWith = await makeMember(h, 'shared');
    contact = w.publisher.qaInbox;
    await h.caller(w.publisher.officer).access.share({
      recordType: 'outcome',
      recordId: restricted.id,
      authorityId: sharedWith.id,
    });
  });

  /** A signal standing for `records` restricted outcomes: one opaque id each, and nothing else of them. */
  const assertSignal = (view: OutcomeView, label: string, records = 1) => {
    expect(view, label).toEqual({
      layer: 'signal',
      provisionId,
      provision: expect.objectContaining({ id: provisionId }) as unknown,
      contact,
      message: expect.stringContaining(contact) as unknown,
      signalIds: Array.from(
        { length: records },
        () => expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as unknown,
      ),
    });
    const json = JSON.stringify(view);
    for (const text of [
      ...secretsOf(restricted.input),
      ...secretsOf(second.input),
      'desk-review',
      'compliance-review',
      'activityType',
      'overallRating',
      'findings',
      restricted.id,
    ])
      expect(json, `${label} leaks ${text}`).not.toContain(text);
  };

  test('lead, host, placing and bare members see only a signal with the publisher QA inbox', async ({
    h,
    w,
  }) => {
    for (const [label, m] of Object.entries({
      lead: w.lead,
      host: w.host,
      placing: w.placing,
      member: w.member,
    })) {
      const got = await h.caller(m.officer).outcomes.get({ id: restricted.id });
      assertSignal(got, label);
      const listed = await h.caller(m.officer).outcomes.listForProvision({ provisionId });
      // Two restricted outcomes from one publisher: one signal, with the opaque id of each (the number
      // shows, as it does in the feed; their kind, dates and content do not).
      expect(listed, label).toHaveLength(1);
      assertSignal(listed[0]!, `${label} list`, 2);
      // get's signal id is the same record's id in the list.
      if (got.layer === 'signal' && listed[0]!.layer === 'signal')
        expect(listed[0]!.signalIds, label).toContain(got.signalIds[0]);
      const explain = await h
        .caller(m.officer)
        .access.explain({ recordType: 'outcome', recordId: restricted.id });
      expect(explain).toMatchObject({
        layer: 'signal',
        rule: 'restricted-signal',
        record: { restricted: true },
      });
      expect(explain.wouldGrant.join(' ')).toContain(w.publisher.qaInbox);
      for (const secret of secretsOf(restricted.input)) expect(JSON.stringify(explain)).not.toContain(secret);
    }
    assertSignal(await h.caller(h.hubAdmin).outcomes.get({ id: restricted.id }), 'hub-admin');
  });

  test('the publisher and an authority it shared the record with see detail', async ({ h, w }) => {
    for (const m of [w.publisher, sharedWith]) {
      expect(await h.caller(m.officer).outcomes.get({ id: restricted.id })).toMatchObject({
        layer: 'detail',
        restricted: true,
        findings: restricted.input.findings,
      });
    }
    const sharedList = await h.caller(sharedWith.officer).outcomes.listForProvision({ provisionId });
    // The shared record in detail; the other restricted one still only as a signal.
    expect(sharedList.map((o) => o.layer).sort()).toEqual(['detail', 'signal']);
    const publisherList = await h.caller(w.publisher.officer).outcomes.listForProvision({ provisionId });
    expect(publisherList.map((o) => ('id' in o ? o.id : o.layer)).sort()).toEqual(
      [restricted.id, second.id].sort(),
    );
  });

  test('restricted outcomes from two publishers give two signals, beside the summaries of open ones', async ({
    h,
    w,
  }) => {
    const other = await makeMember(h, 'otherpub');
    const fromOther = await publishOutcome(h, other.officer, provisionId, { restricted: true });
    const open = await publishOutcome(h, other.officer, provisionId, { activityDate: '2026-05-01' });
    const listed = await h.caller(w.member.officer).outcomes.listForProvision({ provisionId });
    const signals = listed.filter((o) => o.layer === 'signal');
    expect(signals.map((s) => s.layer === 'signal' && s.contact).sort()).toEqual(
      [w.publisher.qaInbox, other.qaInbox].sort(),
    );
    expect(listed.filter((o) => o.layer === 'summary')).toEqual([expect.objectContaining({ id: open.id })]);
    expect(JSON.stringify(listed)).not.toContain(fromOther.input.findings);
  });
});

describe('refusals', () => {
  test('another authority may not amend or withdraw: FORBIDDEN once published, NOT_FOUND for a draft', async ({
    h,
    w,
  }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    for (const m of [w.placing, w.host, w.member, w.publisher]) {
      const other = h.caller(m.officer);
      await expectTRPCError(
        other.outcomes.amend({
          id: published.id,
          version: published.version,
          reason: 'not mine',
          changes: { overallRating: 1 },
        }),
        'FORBIDDEN',
      );
      await expectTRPCError(
        other.outcomes.withdraw({ id: published.id, version: published.version, reason: 'not mine' }),
        'FORBIDDEN',
      );
      await expectTRPCError(
        other.outcomes.updateActionItem({
          outcomeId: published.id,
          version: published.version,
          itemId: published.actionItems[0]!.id,
          status: 'met',
        }),
        'FORBIDDEN',
      );
      await expectTRPCError(
        other.outcomes.amend({ id: draft.id, version: 1, reason: 'not mine', changes: { overallRating: 1 } }),
        'NOT_FOUND',
      );
      await expectTRPCError(
        other.outcomes.withdraw({ id: draft.id, version: 1, reason: 'not mine' }),
        'NOT_FOUND',
      );
    }
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.amend({
        id: randomUUID(),
        version: 1,
        reason: 'nothing here',
        changes: { overallRating: 1 },
      }),
      'NOT_FOUND',
    );
    // Nothing changed.
    expect(detail(await h.caller(w.lead.officer).outcomes.get({ id: published.id }))).toMatchObject({
      version: published.version,
      status: 'published',
      overallRating: published.overallRating,
    });
    expect(await versionRows(h, published.id)).toHaveLength(1);
  });

  test('a viewer may not amend or withdraw', async ({ h, w }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(
      h.caller(viewer).outcomes.amend({
        id: published.id,
        version: published.version,
        reason: 'viewer try',
        changes: { overallRating: 1 },
      }),
      'FORBIDDEN',
    );
    await expectTRPCError(
      h.caller(viewer).outcomes.withdraw({ id: published.id, version: published.version, reason: 'viewer' }),
      'FORBIDDEN',
    );
  });

  test('an amendment that restricts an outcome hides its detail and history from need-to-know readers', async ({
    h,
    w,
  }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const amended = detail(
      await h.caller(w.lead.officer).outcomes.amend({
        id: published.id,
        version: published.version,
        reason: 'matter now under investigation',
        changes: { restricted: true },
      }),
    );
    expect(amended).toMatchObject({ restricted: true, version: published.version + 1 });
    expect(amended.history.map((v) => [v.change, v.snapshot.restricted])).toEqual([
      ['published', false],
      ['amended', true],
    ]);
    const seen = await h.caller(w.placing.officer).outcomes.get({ id: published.id });
    expect(seen).toEqual({
      layer: 'signal',
      provisionId: w.provision.id,
      provision: { id: w.provision.id, urn: w.provision.urn, name: w.provision.name },
      contact: w.lead.qaInbox,
      message: expect.stringContaining(w.lead.qaInbox) as unknown,
      signalIds: [expect.stringMatching(/^sig_/)],
    });
    expect(JSON.stringify(seen)).not.toContain(published.input.findings);
  });
});
