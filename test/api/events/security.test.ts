// The event feed, who sees what: restricted records reach others only as the neutral signal (detail to
// their publisher), and the layer is decided at reading, so an ended placement sees the summary from then on.
import { describe, expect } from 'vitest';
import { DAY_MS, makeMember, publishOutcome, test } from '../../support/harness.js';
import {
  detail,
  eventsAbout,
  expectNoText,
  mark,
  NOW,
  oneEvent,
  restrictionInput,
  TODAY,
} from './fixtures.js';

test.override({ clockAt: NOW });

describe('outcome events', () => {
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
      // A signal's own type, not the record's: the type would say what kind of record it is.
      expect(e).toEqual({
        id: mine.id,
        type: 'signal.raised',
        at: mine.at,
        layer: 'signal',
        provisionId: w.provision.id,
        // The setting's directory names, which every member may know, and nothing of the record.
        provision: { id: w.provision.id, urn: w.provision.urn ?? null, name: w.provision.name },
        providerId: null,
        provider: null,
        recordType: null,
        recordId: null,
        data: {
          message: expect.stringContaining(w.publisher.qaInbox) as string,
          contact: w.publisher.qaInbox,
          signalId: expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as string,
        },
      });
      expectNoText(e, [o.id, o.input.summary, o.input.findings, 'unannounced-visit', 'outcome']);
      // The same opaque id as the viewer's signal in the outcomes list.
      const listed = (await h.caller(m.officer).outcomes.list({ provisionId: w.provision.id })).items;
      expect(listed.flatMap((v) => (v.layer === 'signal' ? v.signalIds : []))).toContain(e.data.signalId);
    }
  });
});

describe('restriction events', () => {
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
        type: 'signal.raised',
        layer: 'signal',
        recordId: null,
        recordType: null,
      });
      expect(Object.keys(e.data).sort()).toEqual(['contact', 'message', 'signalId']);
      expect(e.data.signalId).toMatch(/^sig_[A-Za-z0-9_-]{22}$/);
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
        'restriction',
      ]);
    }
  });
});

describe('events.list', () => {
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
