// The audit log, who sees what: every read of detail is audited with its basis (lists name every record
// they returned); the scopes of audit.list; viewers and other authorities are refused.
import { describe, expect } from 'vitest';
import type { AuditEntry } from '@ccx/schema';
import {
  expectTRPCError,
  makeMember,
  outcomeInput,
  publishOutcome,
  test,
  type Harness,
  type Member,
} from '../../support/harness.js';
import { headSeq } from './fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

const lastEntry = async (h: Harness, m: Member): Promise<AuditEntry | undefined> =>
  (await h.caller(m.officer).audit.list({ scope: 'mine', limit: 1 })).items[0];

describe('reads of detail are audited with their basis', () => {
  let outcome: Awaited<ReturnType<typeof publishOutcome>>;
  let shared: Member;
  let seeker: Member;

  test.beforeAll(async ({ h, w }) => {
    outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
    shared = await makeMember(h, 'auditshared');
    await h
      .caller(w.publisher.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: shared.id });
    seeker = await makeMember(h, 'auditseeker');
    await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'checking before a placement',
      caseReference: 'CR-9',
    });
  });

  test('outcomes.get writes outcome.read with the basis that gave detail', async ({ h, w }) => {
    const cases: [string, Member, string][] = [
      ['placing', w.placing, 'placing'],
      ['lead', w.lead, 'lead'],
      ['host', w.host, 'host'],
      ['publisher', w.publisher, 'publisher'],
      ['granted', shared, 'granted'],
      ['prospective', seeker, 'prospective'],
    ];
    for (const [label, m, basis] of cases) {
      const before = await headSeq(h, m);
      const view = await h.caller(m.officer).outcomes.get({ id: outcome.id });
      expect(view.layer, label).toBe('detail');
      const entry = await lastEntry(h, m);
      expect(entry, label).toMatchObject({
        seq: before + 1,
        authorityId: m.id,
        clientId: m.officer.clientId,
        action: 'outcome.read',
        recordType: 'outcome',
        recordIds: [outcome.id],
        provisionIds: [w.provision.id],
        basis,
      });
      expect(entry?.details, label).toMatchObject({
        rule:
          basis === 'publisher'
            ? 'publisher-detail'
            : basis === 'granted'
              ? 'granted-detail'
              : 'need-to-know-detail',
      });
    }
  });

  test('a read of the summary or of the restricted signal writes nothing', async ({ h, w }) => {
    const restricted = await publishOutcome(h, w.publisher.officer, w.provision.id, { restricted: true });
    for (const m of [w.member, w.lead]) {
      const before = await headSeq(h, m);
      const id = m === w.member ? outcome.id : restricted.id;
      const view = await h.caller(m.officer).outcomes.get({ id });
      expect(view.layer).toBe(m === w.member ? 'summary' : 'signal');
      await h.caller(m.officer).access.explain({ recordType: 'outcome', recordId: id });
      expect(await headSeq(h, m)).toBe(before);
    }
    const before = await headSeq(h, w.member);
    const listed = await h
      .caller(w.member.officer)
      .outcomes.listForProvision({ provisionId: w.provision.id });
    expect(listed.every((o) => o.layer !== 'detail')).toBe(true);
    expect(await headSeq(h, w.member)).toBe(before);
  });

  test("listForProvision's entry names every record it returned, and the basis of each detail", async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    const reader = await makeMember(h, 'lister');
    await h
      .caller(reader.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    const other = await makeMember(h, 'otherpublisher');
    const o1 = await publishOutcome(h, w.publisher.officer, p.id);
    const o2 = await publishOutcome(h, w.publisher.officer, p.id, { restricted: true });
    const o3 = await publishOutcome(h, other.officer, p.id, { activityDate: '2026-05-01' });

    const listed = await h.caller(reader.officer).outcomes.listForProvision({ provisionId: p.id });
    expect(listed.map((o) => o.layer).sort()).toEqual(['detail', 'detail', 'signal']);
    const returnedIds = listed.flatMap((o) => ('id' in o ? [o.id] : []));
    const entry = await lastEntry(h, reader);
    expect(entry).toMatchObject({ action: 'outcome.list', provisionIds: [p.id], basis: 'placing' });
    expect([...(entry?.recordIds ?? [])].sort()).toEqual(returnedIds.sort());
    expect([...(entry?.recordIds ?? [])].sort()).toEqual([o1.id, o3.id].sort());
    expect(entry?.recordIds).not.toContain(o2.id);
    expect(entry?.details).toEqual({ detail: { [o1.id]: 'placing', [o3.id]: 'placing' } });

    // The publisher sees its own two in detail and the other's in summary: all three are named.
    const byPublisher = await h.caller(w.publisher.officer).outcomes.listForProvision({ provisionId: p.id });
    const publisherEntry = await lastEntry(h, w.publisher);
    const ids = byPublisher.flatMap((o) => ('id' in o ? [o.id] : []));
    expect(ids.sort()).toEqual([o1.id, o2.id, o3.id].sort());
    expect(publisherEntry).toMatchObject({ action: 'outcome.list', basis: 'publisher' });
    expect([...(publisherEntry?.recordIds ?? [])].sort()).toEqual(ids.sort());
    expect(publisherEntry?.details).toEqual({ detail: { [o1.id]: 'publisher', [o2.id]: 'publisher' } });
  });
});

describe('audit.list scopes', () => {
  test('the publisher sees who read its records; the lead sees grants and reads at its provisions', async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: w.lead.id, rationale: 'lead here' });
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    const outcome = await publishOutcome(h, w.publisher.officer, p.id);
    const seeker = await makeMember(h, 'scopeseeker');
    const grant = await h.caller(seeker.officer).access.requestProspective({
      provisionId: p.id,
      reason: 'urgent search for a placement',
      caseReference: 'LAC-2026-001',
    });
    await h.caller(w.placing.officer).outcomes.get({ id: outcome.id });
    await h.caller(seeker.officer).outcomes.get({ id: outcome.id });
    await h.caller(w.member.officer).outcomes.get({ id: outcome.id }); // summary: not a read of detail

    const readsOfMine = await h
      .caller(w.publisher.officer)
      .audit.list({ scope: 'reads-of-my-records', recordId: outcome.id });
    expect(readsOfMine.items.map((e) => [e.authorityId, e.action, e.basis])).toEqual([
      [seeker.id, 'outcome.read', 'prospective'],
      [w.placing.id, 'outcome.read', 'placing'],
    ]);
    const allOfMine = await h
      .caller(w.publisher.officer)
      .audit.list({ scope: 'reads-of-my-records', limit: 200 });
    expect(allOfMine.items.every((e) => e.authorityId !== w.publisher.id)).toBe(true);

    const atMine = await h.caller(w.lead.officer).audit.list({ scope: 'reads-at-my-provisions', limit: 200 });
    const atP = atMine.items.filter((e) => e.provisionIds.includes(p.id));
    expect(atP).toContainEqual(
      expect.objectContaining({
        authorityId: seeker.id,
        action: 'access.prospective',
        recordIds: [grant.id],
        details: expect.objectContaining({
          reason: 'urgent search for a placement',
          caseReference: 'LAC-2026-001',
        }) as unknown,
      }),
    );
    expect(atP).toContainEqual(
      expect.objectContaining({ authorityId: seeker.id, action: 'outcome.read', basis: 'prospective' }),
    );
    expect(atP).toContainEqual(
      expect.objectContaining({ authorityId: w.placing.id, action: 'outcome.read', basis: 'placing' }),
    );
    expect(atMine.items.every((e) => e.authorityId !== w.lead.id)).toBe(true);
    // The host authority sees the pre-placement grant at the setting in its area too.
    const atHosted = await h
      .caller(w.host.officer)
      .audit.list({ scope: 'reads-at-my-provisions', limit: 200 });
    expect(atHosted.items).toContainEqual(
      expect.objectContaining({
        authorityId: seeker.id,
        action: 'access.prospective',
        recordIds: [grant.id],
      }),
    );
    expect(atP.some((e) => e.authorityId === w.member.id)).toBe(false);

    // A bare member's view of the same: nothing at a provision it does not lead, no records of its own.
    expect((await h.caller(w.member.officer).audit.list({ scope: 'reads-at-my-provisions' })).items).toEqual(
      [],
    );
    expect((await h.caller(w.member.officer).audit.list({ scope: 'reads-of-my-records' })).items).toEqual([]);

    // 'mine' is only the caller's own chain; the action filter narrows it.
    const mine = await h.caller(seeker.officer).audit.list({ scope: 'mine' });
    expect(mine.items.map((e) => e.action)).toEqual(['outcome.read', 'access.prospective']);
    expect((await h.caller(seeker.officer).audit.list({ action: 'outcome.read' })).items).toHaveLength(1);
  });

  test("shows others' reads and grants, never their writes: a draft written at my provision stays theirs", async ({
    h,
    w,
  }) => {
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: w.lead.id, rationale: 'lead here' });
    const draft = await h.caller(w.publisher.officer).outcomes.create(outcomeInput(p.id));
    if (draft.layer !== 'detail') throw new Error('a draft is seen in detail by its writer');
    await h
      .caller(w.placing.officer)
      .placements.declare({ provisionId: p.id, children: 1, fromDate: '2026-01-01' });
    for (const who of [w.lead, w.host]) {
      const seen = (await h.caller(who.officer).audit.list({ scope: 'reads-at-my-provisions', limit: 200 }))
        .items;
      expect(seen.filter((e) => e.provisionIds.includes(p.id))).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain(draft.id);
    }
  });

  test('is not for viewers (403)', async ({ h, w }) => {
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(h.caller(viewer).audit.list({ scope: 'mine' }), 'FORBIDDEN');
    await expectTRPCError(h.caller(viewer).audit.verify(), 'FORBIDDEN');
    await expectTRPCError(h.caller(viewer).audit.exportHead(), 'FORBIDDEN');
    await expectTRPCError(h.caller(null).audit.list({}), 'UNAUTHORIZED');
  });
});

describe('audit.verify and tampering', () => {
  /** A fresh authority with a chain of `n` placement declarations. */
  const chainOf = async (h: Harness, prefix: string, n: number): Promise<Member> => {
    const m = await makeMember(h, prefix);
    for (let i = 0; i < n; i++) {
      await h
        .caller(m.officer)
        .placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    }
    return m;
  };

  test("verifies an intact chain; another authority's chain only for the hub-admin", async ({ h }) => {
    const a = await chainOf(h, 'verifya', 3);
    const b = await chainOf(h, 'verifyb', 2);
    expect(await h.caller(a.officer).audit.verify({ authorityId: a.id })).toMatchObject({
      authorityId: a.id,
      ok: true,
      entries: 3,
      firstBroken: null,
    });
    await expectTRPCError(h.caller(a.officer).audit.verify({ authorityId: b.id }), 'FORBIDDEN');
    const admin = (await h.makeClient(a.id, 'admin')).principal;
    await expectTRPCError(h.caller(admin).audit.verify({ authorityId: b.id }), 'FORBIDDEN');
    await expectTRPCError(h.caller(admin).audit.exportHead({ authorityId: b.id }), 'FORBIDDEN');
    expect(await h.caller(h.hubAdmin).audit.verify({ authorityId: b.id })).toMatchObject({
      authorityId: b.id,
      ok: true,
      entries: 2,
    });
    expect(await h.caller(h.hubAdmin).audit.verify()).toMatchObject({
      authorityId: h.hostAuthorityId,
      ok: true,
    });
    // An authority that has done nothing has an empty, intact chain.
    const quiet = await makeMember(h, 'quiet');
    expect(await h.caller(quiet.officer).audit.verify()).toEqual({
      authorityId: quiet.id,
      entries: 0,
      ok: true,
      firstBroken: null,
      head: null,
    });
  });
});
