// Monitoring outcomes, what works: a draft seen in detail by its writer, publish and byLead, the whole
// lifecycle (amendments as new versions with earlier ones kept, withdrawal with a reason kept in
// history), and action items (defaults by concern level, status and due-date changes kept).
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, outcomeInput, publishOutcome, test } from '../../support/harness.js';
import { countAudit, detail, NOW, versionRows, type Detail } from './fixtures.js';

test.override({ clockAt: NOW });

describe('outcomes.create', () => {
  test('creates a draft seen in detail by its writer, with due dates defaulted from the concern level and today', async ({
    h,
    w,
  }) => {
    const draft = await h.caller(w.lead.officer).outcomes.create(
      outcomeInput(w.provision.id, {
        activityDate: '2026-06-10',
        actionItems: [
          { description: 'low one', concernLevel: 'low' },
          { description: 'medium one', concernLevel: 'medium' },
          { description: 'high one', concernLevel: 'high' },
          { description: 'significant one', concernLevel: 'significant' },
          { description: 'low with a date', concernLevel: 'low', dueOn: '2026-06-20' },
        ],
      }),
    );
    expect(draft).toMatchObject({
      layer: 'detail',
      status: 'draft',
      version: 1,
      publisherAuthorityId: w.lead.id,
      provisionId: w.provision.id,
      publishedAt: null,
      byLead: false,
      restricted: false,
      announced: false,
    });
    if (draft.layer !== 'detail') return;
    expect(draft.actionItems.map((a) => [a.description, a.dueOn, a.status])).toEqual([
      // Provisional in a draft: counted from today (15 June), and again from the publication date.
      ['low one', '2026-07-13', 'open'],
      ['medium one', '2026-06-29', 'open'],
      ['high one', '2026-06-17', 'open'],
      ['significant one', '2026-06-15', 'open'],
      ['low with a date', '2026-06-20', 'open'],
    ]);
    expect(new Set(draft.actionItems.map((a) => a.id)).size).toBe(5);
  });
});

describe('outcomes.publish', () => {
  test('marks byLead when the publisher holds the current allocation of the provision', async ({ h, w }) => {
    const byLead = await publishOutcome(h, w.lead.officer, w.provision.id);
    expect(byLead.byLead).toBe(true);
    const byOther = await publishOutcome(h, w.placing.officer, w.provision.id);
    expect(byOther.byLead).toBe(false);
    // Everyone sees the flag, in the summary as in detail.
    expect(await h.caller(w.member.officer).outcomes.get({ id: byLead.id })).toMatchObject({
      layer: 'summary',
      byLead: true,
    });
  });
});

describe('lifecycle: draft → publish → amend → amend → withdraw', () => {
  let input: ReturnType<typeof outcomeInput>;
  let id: string;
  let final: Detail;
  const texts: string[] = [];
  const AMEND_1 = 'rating raised after the manager interview';
  const AMEND_2 = 'summary rewritten after the provider replied';
  const WITHDRAW = 'published against the wrong setting by mistake';

  test.beforeAll(async ({ h, w }) => {
    input = outcomeInput(w.provision.id, { overallRating: 2 });
    texts.push(input.summary, input.findings);
    const lead = h.caller(w.lead.officer);

    const draft = detail(await lead.outcomes.create(input));
    expect(draft).toMatchObject({ status: 'draft', version: 1, history: [] });
    id = draft.id;

    // A draft is still being written: an amendment changes it in place and keeps no version.
    const draftSummary = `draft summary corrected ${randomUUID()}`;
    texts.push(draftSummary);
    const amendedDraft = detail(
      await lead.outcomes.amend({
        id,
        version: 1,
        reason: 'typo in the draft',
        changes: { summary: draftSummary },
      }),
    );
    expect(amendedDraft).toMatchObject({ status: 'draft', version: 2, summary: draftSummary, history: [] });
    expect(await versionRows(h, id)).toEqual([]);

    const published = detail(await lead.outcomes.publish({ id, version: 2 }));
    expect(published).toMatchObject({ status: 'published', version: 3, overallRating: 2 });
    expect(published.history).toHaveLength(1);

    const findings1 = `findings after review ${randomUUID()}`;
    texts.push(findings1);
    const amended1 = detail(
      await lead.outcomes.amend({
        id,
        version: 3,
        reason: AMEND_1,
        changes: { overallRating: 4, findings: findings1 },
      }),
    );
    expect(amended1).toMatchObject({
      status: 'amended',
      version: 4,
      overallRating: 4,
      findings: findings1,
      summary: draftSummary,
    });

    const summary2 = `summary as amended ${randomUUID()}`;
    texts.push(summary2);
    const amended2 = detail(
      await lead.outcomes.amend({
        id,
        version: 4,
        reason: AMEND_2,
        changes: { summary: summary2, nextDueOn: null },
      }),
    );
    expect(amended2).toMatchObject({ status: 'amended', version: 5, summary: summary2, nextDueOn: null });

    final = detail(await lead.outcomes.withdraw({ id, version: 5, reason: WITHDRAW }));
  });

  test('increments the version and moves the status at each step, ending withdrawn with its reason', ({
    w,
  }) => {
    expect(final).toMatchObject({
      status: 'withdrawn',
      version: 6,
      withdrawnReason: WITHDRAW,
      overallRating: 4,
      byLead: true,
      publisherAuthorityId: w.lead.id,
    });
  });

  test('keeps every published version with its change, note and the content as it then stood', ({ w }) => {
    expect(final.history.map((v) => [v.version, v.change, v.note, v.byAuthorityId])).toEqual([
      [3, 'published', null, w.lead.id],
      [4, 'amended', AMEND_1, w.lead.id],
      [5, 'amended', AMEND_2, w.lead.id],
      [6, 'withdrawn', WITHDRAW, w.lead.id],
    ]);
    const [v3, v4, v5, v6] = final.history;
    // The earlier snapshot keeps the old rating and texts; the amendment shows in the later ones.
    expect(v3!.snapshot).toMatchObject({
      status: 'published',
      overallRating: 2,
      findings: input.findings,
      summary: texts[2],
      nextDueOn: input.nextDueOn,
    });
    expect(v4!.snapshot).toMatchObject({
      status: 'amended',
      overallRating: 4,
      findings: texts[3],
      summary: texts[2],
    });
    expect(v5!.snapshot).toMatchObject({ status: 'amended', summary: texts[4], nextDueOn: null });
    expect(v6!.snapshot).toMatchObject({ status: 'withdrawn', overallRating: 4, summary: texts[4] });
    for (const v of final.history) expect(Date.parse(v.at)).toBe(Date.parse(NOW));
  });

  test('stores the versions in the database and audits each write once', async ({ h }) => {
    expect(await versionRows(h, id)).toEqual([
      { version: 3, change: 'published', note: null },
      { version: 4, change: 'amended', note: AMEND_1 },
      { version: 5, change: 'amended', note: AMEND_2 },
      { version: 6, change: 'withdrawn', note: WITHDRAW },
    ]);
    expect(await countAudit(h, 'outcome.create', id)).toBe(1);
    expect(await countAudit(h, 'outcome.publish', id)).toBe(1);
    expect(await countAudit(h, 'outcome.amend', id)).toBe(3);
    expect(await countAudit(h, 'outcome.withdraw', id)).toBe(1);
  });

  test('a placing (and host) authority reads the current version and the whole history', async ({ h, w }) => {
    for (const m of [w.placing, w.host]) {
      const view = detail(await h.caller(m.officer).outcomes.get({ id }));
      expect(view).toEqual(final);
      const listed = await h.caller(m.officer).outcomes.listForProvision({ provisionId: w.provision.id });
      const mine = listed.find((o) => 'id' in o && o.id === id);
      expect(mine).toEqual(final);
    }
  });

  test('a bare member sees the summary: no history, findings, summary text or reasons', async ({ h, w }) => {
    const view = await h.caller(w.member.officer).outcomes.get({ id });
    expect(view).toEqual({
      layer: 'summary',
      id,
      provisionId: w.provision.id,
      provision: { id: w.provision.id, urn: w.provision.urn, name: w.provision.name },
      publisherAuthorityId: w.lead.id,
      publisherAuthority: { id: w.lead.id, name: `Council ${w.lead.id}` },
      status: 'withdrawn',
      activityType: input.activityType,
      activityDate: input.activityDate,
      overallRating: 4,
      byLead: true,
      publishedAt: new Date(NOW).toISOString(),
    });
    const listed = await h
      .caller(w.member.officer)
      .outcomes.listForProvision({ provisionId: w.provision.id });
    expect(listed.find((o) => 'id' in o && o.id === id)).toEqual(view);
    for (const json of [JSON.stringify(view), JSON.stringify(listed)]) {
      for (const text of [...texts, AMEND_1, AMEND_2, WITHDRAW, 'history', 'snapshot', 'findings'])
        expect(json).not.toContain(text);
    }
  });

  test('a withdrawn outcome stays listed for its publisher, with its reason in detail', async ({ h, w }) => {
    const listed = await h.caller(w.lead.officer).outcomes.listForProvision({ provisionId: w.provision.id });
    expect(listed).toContainEqual(
      expect.objectContaining({ id, layer: 'detail', status: 'withdrawn', withdrawnReason: WITHDRAW }),
    );
  });

  test('a withdrawn outcome can no longer be amended, withdrawn or have its action items changed', async ({
    h,
    w,
  }) => {
    const lead = h.caller(w.lead.officer);
    const amend = await expectTRPCError(
      lead.outcomes.amend({ id, version: 6, reason: 'too late', changes: { overallRating: 1 } }),
      'CONFLICT',
    );
    expect(amend.message).toMatch(/withdrawn/);
    await expectTRPCError(lead.outcomes.withdraw({ id, version: 6, reason: 'again' }), 'CONFLICT');
    await expectTRPCError(
      lead.outcomes.updateActionItem({
        outcomeId: id,
        version: 6,
        itemId: final.actionItems[0]!.id,
        status: 'met',
      }),
      'CONFLICT',
    );
    expect(detail(await lead.outcomes.get({ id }))).toMatchObject({ version: 6, status: 'withdrawn' });
    expect(await versionRows(h, id)).toHaveLength(4);
  });
});

describe('action items', () => {
  test('default their due dates from the concern level and the publication date; an explicit date is kept', async ({
    h,
    w,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id, {
      activityDate: '2026-05-29',
      actionItems: [
        { description: 'low', concernLevel: 'low' },
        { description: 'medium', concernLevel: 'medium' },
        { description: 'high', concernLevel: 'high' },
        { description: 'significant', concernLevel: 'significant' },
        { description: 'explicit', concernLevel: 'high', dueOn: '2026-09-30' },
      ],
    });
    expect(o.actionItems.map((a) => [a.description, a.concernLevel, a.dueOn, a.status, a.history])).toEqual([
      // Published on 15 June: not counted from the visit (29 May).
      ['low', 'low', '2026-07-13', 'open', []],
      ['medium', 'medium', '2026-06-29', 'open', []],
      ['high', 'high', '2026-06-17', 'open', []],
      ['significant', 'significant', '2026-06-15', 'open', []],
      ['explicit', 'high', '2026-09-30', 'open', []],
    ]);
  });

  test('keep every status and due-date change, with a new outcome version for each', async ({
    h,
    w,
    clock,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id, {
      activityDate: '2026-06-01',
      actionItems: [
        { description: 'fix the fire door', concernLevel: 'significant' },
        { description: 'update the risk assessments', concernLevel: 'low' },
      ],
    });
    const [door, risk] = o.actionItems;
    expect(door!.dueOn).toBe('2026-06-15');
    const lead = h.caller(w.lead.officer);

    // Moving the due date later without a status marks the item extended.
    const v3 = detail(
      await lead.outcomes.updateActionItem({
        outcomeId: o.id,
        version: o.version,
        itemId: door!.id,
        dueOn: '2026-06-29',
        note: 'parts on order',
      }),
    );
    expect(v3.version).toBe(o.version + 1);
    expect(v3.actionItems[0]).toMatchObject({ status: 'extended', dueOn: '2026-06-29' });

    clock.set('2026-06-20T09:00:00Z');
    const v4 = detail(
      await lead.outcomes.updateActionItem({
        outcomeId: o.id,
        version: v3.version,
        itemId: door!.id,
        status: 'met',
      }),
    );
    const v5 = detail(
      await lead.outcomes.updateActionItem({
        outcomeId: o.id,
        version: v4.version,
        itemId: risk!.id,
        status: 'extended',
        dueOn: '2026-07-31',
        note: 'agreed with the manager',
      }),
    );
    expect(v5.version).toBe(o.version + 3);
    expect(v5.status).toBe('published');
    expect(v5.actionItems[0]).toMatchObject({
      id: door!.id,
      status: 'met',
      dueOn: '2026-06-29',
      history: [
        {
          at: new Date(NOW).toISOString(),
          status: 'extended',
          dueOn: '2026-06-29',
          note: 'parts on order',
          byAuthorityId: w.lead.id,
        },
        {
          at: '2026-06-20T09:00:00.000Z',
          status: 'met',
          dueOn: '2026-06-29',
          note: null,
          byAuthorityId: w.lead.id,
        },
      ],
    });
    expect(v5.actionItems[1]).toMatchObject({
      id: risk!.id,
      status: 'extended',
      dueOn: '2026-07-31',
      history: [{ status: 'extended', dueOn: '2026-07-31', note: 'agreed with the manager' }],
    });
    // The outcome's history has a version per change, with the item's content as it then stood.
    expect(v5.history.map((v) => [v.version, v.change, v.note])).toEqual([
      [o.version, 'published', null],
      [o.version + 1, 'action-item', 'parts on order'],
      [o.version + 2, 'action-item', `${door!.id}: met, due 2026-06-29`],
      [o.version + 3, 'action-item', 'agreed with the manager'],
    ]);
    const snapItems = (i: number) =>
      (v5.history[i]!.snapshot.actionItems as { id: string; status: string; dueOn: string }[]).map((a) => [
        a.status,
        a.dueOn,
      ]);
    expect(snapItems(0)).toEqual([
      ['open', '2026-06-15'],
      ['open', '2026-07-13'],
    ]);
    expect(snapItems(1)).toEqual([
      ['extended', '2026-06-29'],
      ['open', '2026-07-13'],
    ]);
    expect(snapItems(3)).toEqual([
      ['met', '2026-06-29'],
      ['extended', '2026-07-31'],
    ]);
    // A placing authority reads the progress too.
    expect(await h.caller(w.placing.officer).outcomes.get({ id: o.id })).toEqual(v5);
    expect(await countAudit(h, 'outcome.action-item', o.id)).toBe(3);
  });

  test('moving a due date earlier without a status keeps the status', async ({ h, w }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id, {
      actionItems: [{ description: 'sooner', concernLevel: 'low' }],
    });
    const item = o.actionItems[0]!;
    const updated = detail(
      await h.caller(w.lead.officer).outcomes.updateActionItem({
        outcomeId: o.id,
        version: o.version,
        itemId: item.id,
        dueOn: '2026-06-10',
      }),
    );
    expect(updated.actionItems[0]).toMatchObject({
      status: 'open',
      dueOn: '2026-06-10',
      history: [{ status: 'open', dueOn: '2026-06-10' }],
    });
  });

  test("a draft's items change in place, with the item's history but no outcome version", async ({
    h,
    w,
  }) => {
    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const updated = detail(
      await h.caller(w.lead.officer).outcomes.updateActionItem({
        outcomeId: draft.id,
        version: 1,
        itemId: draft.actionItems[0]!.id,
        status: 'met',
      }),
    );
    expect(updated).toMatchObject({ status: 'draft', version: 2, history: [] });
    expect(updated.actionItems[0]!.history).toHaveLength(1);
    expect(await versionRows(h, draft.id)).toEqual([]);
  });

  test('added by an amendment get defaults from the date of the amendment, not the activity date', async ({
    h,
    w,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id, {
      activityDate: '2026-06-01',
      actionItems: [{ description: 'original', concernLevel: 'medium' }],
    });
    expect(o.actionItems[0]!.dueOn).toBe('2026-06-29');
    const lead = h.caller(w.lead.officer);
    const moved = detail(
      await lead.outcomes.amend({
        id: o.id,
        version: o.version,
        reason: 'the visit was on the 5th',
        changes: {
          activityDate: '2026-06-05',
          addActionItems: [
            { description: 'added high', concernLevel: 'high' },
            { description: 'added low', concernLevel: 'low' },
            { description: 'added significant', concernLevel: 'significant' },
            { description: 'added dated', concernLevel: 'medium', dueOn: '2026-08-01' },
          ],
        },
      }),
    );
    expect(moved.activityDate).toBe('2026-06-05');
    expect(moved.actionItems.map((a) => [a.description, a.dueOn, a.status])).toEqual([
      // An existing item keeps its date; new items count from the amendment (15 June), published with it.
      ['original', '2026-06-29', 'open'],
      ['added high', '2026-06-17', 'open'],
      ['added low', '2026-07-13', 'open'],
      ['added significant', '2026-06-15', 'open'],
      ['added dated', '2026-08-01', 'open'],
    ]);
    expect(new Set(moved.actionItems.map((a) => a.id)).size).toBe(5);
    // The earlier version keeps the single original item.
    expect((moved.history[0]!.snapshot.actionItems as unknown[]).length).toBe(1);
    expect(moved.history[0]!.snapshot.activityDate).toBe('2026-06-01');

    const again = detail(
      await lead.outcomes.amend({
        id: o.id,
        version: moved.version,
        reason: 'one more action',
        changes: { addActionItems: [{ description: 'added medium', concernLevel: 'medium' }] },
      }),
    );
    expect(again.actionItems.at(-1)).toMatchObject({ description: 'added medium', dueOn: '2026-06-29' });
    expect(again.history.map((v) => v.change)).toEqual(['published', 'amended', 'amended']);
  });
});

describe('byLead', () => {
  test('is true for the lead, false for any other member publishing for the same provision', async ({
    h,
    w,
  }) => {
    const byLead = await publishOutcome(h, w.lead.officer, w.provision.id);
    expect(byLead.byLead).toBe(true);
    for (const m of [w.member, w.publisher, w.host, w.placing]) {
      const other = await publishOutcome(h, m.officer, w.provision.id);
      expect(other).toMatchObject({ byLead: false, publisherAuthorityId: m.id, status: 'published' });
    }
    // Every member sees the flag in the summary; an amendment keeps it.
    expect(await h.caller(w.member.officer).outcomes.get({ id: byLead.id })).toMatchObject({
      layer: 'summary',
      byLead: true,
    });
    const amended = await h.caller(w.lead.officer).outcomes.amend({
      id: byLead.id,
      version: byLead.version,
      reason: 'a small correction',
      changes: { announced: true },
    });
    expect(amended).toMatchObject({ byLead: true, status: 'amended' });
  });

  test('is false for an authority whose allocation has not started yet', async ({ h, w }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: w.publisher.id,
      rationale: 'from next month',
      startsOn: '2026-07-01',
    });
    const early = await publishOutcome(h, w.publisher.officer, p.id);
    expect(early.byLead).toBe(false);
  });
});
