// Deadlines on action items: default due dates count from publication, not the visit (so a report sent
// within Bolton's ten working days is not overdue on arrival); an item past its due date and not met is
// one event to the publisher and the setting's lead, overdue for both and a check reason; marking it
// met ends it. A caller without detail of the outcome is told nothing of it.
import { describe, expect, vi } from 'vitest';
import { DAY_MS, outcomeInput, test } from '../../support/harness.js';
import {
  deadlineEvents,
  deadlineReasons,
  detail,
  freshWorld,
  mark,
  NOW,
  overdueAbout,
  runJob,
} from './fixtures.js';

test.override({ clockAt: NOW });
// The first test builds the hub (migrations included) on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

describe('due dates count from publication', () => {
  test('a draft carries provisional defaults; publishing counts them from the publication date', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    const author = h.caller(w.lead.officer);
    // The visit was on 1 December; the draft is written on 14 December and published on 21 December.
    const draft = detail(
      await author.outcomes.create(
        outcomeInput(w.provision.id, {
          activityDate: '2026-12-01',
          actionItems: [
            { description: 'medium', concernLevel: 'medium' },
            { description: 'high', concernLevel: 'high' },
            { description: 'explicit', concernLevel: 'low', dueOn: '2027-02-01' },
            { description: 'explicit, already past', concernLevel: 'low', dueOn: '2026-12-10' },
          ],
        }),
      ),
    );
    expect(draft.actionItems.map((a) => [a.description, a.dueOn, a.dueOnFromPublication ?? false])).toEqual([
      ['medium', '2026-12-28', true],
      ['high', '2026-12-16', true],
      ['explicit', '2027-02-01', false],
      ['explicit, already past', '2026-12-10', false],
    ]);
    clock.set('2026-12-21T10:00:00Z');
    const published = detail(await author.outcomes.publish({ id: draft.id, version: draft.version }));
    expect(published.actionItems.map((a) => [a.description, a.dueOn, a.dueOnFromPublication])).toEqual([
      ['medium', '2027-01-04', undefined],
      ['high', '2026-12-23', undefined],
      ['explicit', '2027-02-01', undefined],
      // An explicit date is the publisher's: kept, even before publication (overdue at once).
      ['explicit, already past', '2026-12-10', undefined],
    ]);
    expect(published.history[0]!.snapshot.actionItems).toEqual(published.actionItems);
    // Not the visit date: the medium item from 1 December would have been due on 15 December.
    const overdue = await overdueAbout(h, w.lead, draft.id);
    expect(overdue.map((d) => d.what)).toEqual(['explicit, already past']);

    // An item an amendment adds counts from the amendment.
    clock.set('2026-12-22T10:00:00Z');
    const amended = detail(
      await author.outcomes.amend({
        id: draft.id,
        version: published.version,
        reason: 'one more action',
        changes: { addActionItems: [{ description: 'added', concernLevel: 'medium' }] },
      }),
    );
    expect(amended.actionItems.at(-1)).toMatchObject({ description: 'added', dueOn: '2027-01-05' });
    expect(amended.actionItems.at(-1)!.dueOnFromPublication).toBeUndefined();
  });
});

describe('an action item past its due date', () => {
  test('is one event to publisher and lead, overdue for both, a reason; marking it met ends it', async ({
    h,
    clock,
  }) => {
    const w = await freshWorld(h);
    // The placing authority publishes; the lead is told too.
    const author = h.caller(w.placing.officer);
    const draft = detail(
      await author.outcomes.create(
        outcomeInput(w.provision.id, {
          activityDate: '2026-12-10',
          actionItems: [
            { description: 'fix the fire door', concernLevel: 'high' },
            { description: 'update the risk assessments', concernLevel: 'low' },
          ],
        }),
      ),
    );
    const o = detail(await author.outcomes.publish({ id: draft.id, version: draft.version }));
    const [door] = o.actionItems;
    expect(door!.dueOn).toBe('2026-12-16');
    const since = await mark(h);

    clock.set('2026-12-16T10:00:00Z');
    await runJob(h);
    expect(await deadlineEvents(h, w.placing, since, o.id)).toEqual([]);
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);

    clock.set('2026-12-17T10:00:00Z');
    await runJob(h);
    await runJob(h);
    clock.move(DAY_MS);
    await runJob(h);
    for (const m of [w.placing, w.lead]) {
      expect(await deadlineEvents(h, m, since, o.id)).toMatchObject([
        {
          type: 'deadline.action-overdue',
          layer: 'detail',
          data: {
            recordType: 'outcome',
            recordId: o.id,
            itemId: door!.id,
            dueOn: '2026-12-16',
            message: 'action due on 16 December 2026 is overdue: fix the fire door',
          },
        },
      ]);
    }
    expect(await deadlineEvents(h, w.member, since, o.id)).toEqual([]);
    expect(await deadlineEvents(h, w.host, since, o.id)).toEqual([]);

    expect(await overdueAbout(h, w.placing, o.id)).toMatchObject([
      { kind: 'action-item', itemId: door!.id, as: 'publisher', daysOverdue: 2 },
    ]);
    expect(await overdueAbout(h, w.lead, o.id)).toMatchObject([{ kind: 'action-item', as: 'lead' }]);
    expect(await overdueAbout(h, w.host, o.id)).toEqual([]);

    // Those reading the outcome in detail see the reason; a bare member (summary) does not.
    for (const m of [w.lead, w.host, w.placing]) {
      expect((await deadlineReasons(h, m, w.provision.id)).reasons).toEqual([
        {
          code: 'action-overdue',
          verdict: 'caution',
          message: 'action due on 16 December 2026 is overdue: fix the fire door',
          recordId: o.id,
          contact: w.placing.qaInbox,
        },
      ]);
    }
    const bare = await deadlineReasons(h, w.member, w.provision.id);
    expect(bare.reasons).toEqual([]);
    expect(JSON.stringify(bare.check)).not.toContain('fire door');

    const met = detail(
      await author.outcomes.updateActionItem({
        outcomeId: o.id,
        version: o.version,
        itemId: door!.id,
        status: 'met',
        note: 'new door fitted',
      }),
    );
    expect(met.actionItems[0]).toMatchObject({ status: 'met' });
    expect((await deadlineReasons(h, w.lead, w.provision.id)).reasons).toEqual([]);
    expect(await overdueAbout(h, w.lead, o.id)).toEqual([]);
    await runJob(h);
    expect(await deadlineEvents(h, w.lead, since, o.id)).toHaveLength(1);
  });

  test('a restricted outcome: a signal-layer caller is told nothing of its items', async ({ h, clock }) => {
    const w = await freshWorld(h);
    const author = h.caller(w.publisher.officer);
    const draft = detail(
      await author.outcomes.create(
        outcomeInput(w.provision.id, {
          activityDate: '2026-12-10',
          restricted: true,
          actionItems: [{ description: 'secret action', concernLevel: 'high' }],
        }),
      ),
    );
    const o = detail(await author.outcomes.publish({ id: draft.id, version: draft.version }));
    const since = await mark(h);
    clock.set('2026-12-20T10:00:00Z');
    await runJob(h);
    expect(await deadlineEvents(h, w.publisher, since, o.id)).toHaveLength(1);
    expect(await deadlineEvents(h, w.lead, since, o.id)).toEqual([]);
    expect(await overdueAbout(h, w.lead, o.id)).toEqual([]);
    for (const m of [w.lead, w.member]) {
      const { check, reasons } = await deadlineReasons(h, m, w.provision.id);
      expect(reasons).toEqual([]);
      expect(JSON.stringify(check)).not.toMatch(/secret action|December 2026/);
      expect(JSON.stringify(check)).not.toContain(o.id);
    }
  });
});
