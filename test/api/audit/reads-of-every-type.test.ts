// The publisher sees every read, of every record type: audit.list scope `reads-of-my-records` shows
// another member's read (get, list, check) of each of its records; `reads-at-my-provisions` shows the
// lead and the host every read of every record at their settings, a provider-wide one included; a member
// with no basis sees nothing of others' reads.
import { describe, expect } from 'vitest';
import { RECORD_TYPES, type AuditEntry, type RecordType } from '@ccx/schema';
import { input as restrictionInput } from '../restrictions/fixtures.js';
import {
  makeMember,
  publishOutcome,
  test,
  type Harness,
  type Member,
  type World,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** One published record of each type, at the world's provision, by the world's publisher. */
const publishOneOfEach = async (h: Harness, w: World): Promise<{ [K in RecordType]: string }> => {
  const outcome = await publishOutcome(h, w.publisher.officer, w.provision.id);
  const restriction = await h
    .caller(w.publisher.officer)
    .restrictions.create(restrictionInput({ provisionId: w.provision.id }, 'embargo'));
  const concern = await h.caller(w.publisher.officer).concerns.log({
    provisionId: w.provision.id,
    category: 'quality',
    level: 'level-1',
    occurredOn: '2026-06-01',
    summary: 'staffing below the agreed ratio on two visits',
  });
  if (!('id' in restriction) || !('id' in concern)) throw new Error('the publisher sees its records');
  return { outcome: outcome.id, restriction: restriction.id, concern: concern.id };
};

/** Reads of one record of each type by a member: one `get` where the type has one, else its list. */
const readEach: { [K in RecordType]: (h: Harness, m: Member, w: World, id: string) => Promise<unknown> } = {
  outcome: (h, m, _w, id) => h.caller(m.officer).outcomes.get({ id }),
  restriction: (h, m, _w, id) => h.caller(m.officer).restrictions.get({ id }),
  concern: (h, m, w) => h.caller(m.officer).concerns.list({ provisionId: w.provision.id }),
};

const audit = async (
  h: Harness,
  m: Member,
  scope: 'reads-of-my-records' | 'reads-at-my-provisions',
): Promise<AuditEntry[]> => (await h.caller(m.officer).audit.list({ scope, limit: 200 })).items;

const readOf = (entries: AuditEntry[], by: Member, id: string) =>
  entries.filter((e) => e.authorityId === by.id && e.recordIds.includes(id));

describe('every record type', () => {
  test("the publisher sees another member's get, list and check of each of its records", async ({ h, w }) => {
    const ids = await publishOneOfEach(h, w);
    for (const type of RECORD_TYPES) await readEach[type](h, w.placing, w, ids[type]);
    // Lists of every type, by a second reader with a basis (the lead).
    await h.caller(w.lead.officer).outcomes.listForProvision({ provisionId: w.provision.id });
    await h.caller(w.lead.officer).restrictions.list({ provisionId: w.provision.id });
    await h.caller(w.lead.officer).concerns.list({ provisionId: w.provision.id });
    // A bare member's placement check shows the outcome and the restriction (at summary).
    await h.caller(w.member.officer).checks.placement({ provisionId: w.provision.id });

    const seen = await audit(h, w.publisher, 'reads-of-my-records');
    for (const type of RECORD_TYPES) {
      const byPlacing = readOf(seen, w.placing, ids[type]);
      expect(
        byPlacing.map((e) => e.action),
        type,
      ).toEqual([type === 'concern' ? 'concern.list' : `${type}.read`]);
      expect(byPlacing[0]?.basis, type).toBe('placing');
      expect(byPlacing[0]?.provisionIds, type).toEqual([w.provision.id]);
      expect(
        readOf(seen, w.lead, ids[type]).map((e) => e.action),
        type,
      ).toEqual([`${type}.list`]);
    }
    const checks = seen.filter((e) => e.authorityId === w.member.id);
    expect(checks.map((e) => e.action)).toEqual(['check.placement']);
    expect([...checks[0]!.recordIds].sort()).toEqual([ids.outcome, ids.restriction].sort());
    expect(checks[0]!.provisionIds).toEqual([w.provision.id]);
    // Never the publisher's own reads.
    expect(seen.every((e) => e.authorityId !== w.publisher.id)).toBe(true);

    // The lead and the host see every one of those reads at their setting (not their own).
    for (const watcher of [w.lead, w.host]) {
      const at = await audit(h, watcher, 'reads-at-my-provisions');
      for (const type of RECORD_TYPES)
        expect(readOf(at, w.placing, ids[type]).length, `${type} for ${watcher.id}`).toBe(1);
      expect(at.some((e) => e.authorityId === w.member.id && e.action === 'check.placement')).toBe(true);
      expect(at.every((e) => e.authorityId !== watcher.id)).toBe(true);
    }
    // The host also sees the lead's lists; the lead sees the host's nothing (it read nothing).
    const atHost = await audit(h, w.host, 'reads-at-my-provisions');
    for (const type of RECORD_TYPES)
      expect(
        readOf(atHost, w.lead, ids[type]).map((e) => e.action),
        type,
      ).toEqual([`${type}.list`]);

    // A member with no basis and no records sees nothing of anyone's reads.
    expect(await audit(h, w.member, 'reads-of-my-records')).toEqual([]);
    expect(await audit(h, w.member, 'reads-at-my-provisions')).toEqual([]);
  }, 120_000);

  test('a check of a clear setting names no record, and still shows at the setting', async ({ h }) => {
    const host = await makeMember(h, 'clearhost');
    const checker = await makeMember(h, 'clearchecker');
    const p = await h.makeProvision({ hostAuthorityId: host.id });
    await h.caller(checker.officer).checks.placementMany({ items: [{ provisionId: p.id }] });
    const at = await audit(h, host, 'reads-at-my-provisions');
    expect(at.map((e) => [e.authorityId, e.action, e.recordIds])).toEqual([
      [checker.id, 'check.placementMany', []],
    ]);
  });
});

describe('a record about a whole provider', () => {
  test("its reads, by get, list or check, show to the lead of every one of the provider's settings", async ({
    h,
  }) => {
    const publisher = await makeMember(h, 'pwpub');
    const leadA = await makeMember(h, 'pwleada');
    const leadB = await makeMember(h, 'pwleadb');
    const placing = await makeMember(h, 'pwplacing');
    const bare = await makeMember(h, 'pwbare');
    const a = await h.makeProvision();
    const b = await h.makeProvision({ providerId: a.providerId });
    const elsewhere = await h.makeProvision();
    for (const [p, lead] of [
      [a, leadA],
      [b, leadB],
    ] as const)
      await h.caller(h.hubAdmin).allocations.assign({
        provisionId: p.id,
        authorityId: lead.id,
        rationale: 'lead by agreement',
        startsOn: '2026-01-01',
      });
    await h
      .caller(placing.officer)
      .placements.declare({ provisionId: a.id, children: 1, fromDate: '2026-01-01' });
    const created = await h
      .caller(publisher.officer)
      .restrictions.create(restrictionInput({ providerId: a.providerId }, 'embargo'));
    if (!('id' in created)) throw new Error('the issuer sees its restriction');
    const id = created.id;

    await h.caller(placing.officer).restrictions.list({ provisionId: a.id });
    await h.caller(placing.officer).restrictions.get({ id });
    await h.caller(bare.officer).checks.placement({ provisionId: a.id });
    await h.caller(bare.officer).checks.placement({ provisionId: elsewhere.id });

    // The list's entry names every provision of the provider, as a get's does.
    const mine = (await h.caller(placing.officer).audit.list({ scope: 'mine', limit: 5 })).items;
    for (const e of mine.filter((x) => x.action.startsWith('restriction.')))
      expect([...e.provisionIds].sort(), e.action).toEqual([a.id, b.id].sort());

    for (const lead of [leadA, leadB]) {
      const at = await audit(h, lead, 'reads-at-my-provisions');
      expect(
        at
          .filter((e) => e.recordIds.includes(id))
          .map((e) => e.action)
          .sort(),
        lead.id,
      ).toEqual(['check.placement', 'restriction.list', 'restriction.read']);
      // The check of a setting elsewhere is no read at theirs.
      expect(at.some((e) => e.provisionIds.includes(elsewhere.id))).toBe(false);
    }
    const ofMine = await audit(h, publisher, 'reads-of-my-records');
    expect(ofMine.map((e) => e.action).sort()).toEqual([
      'check.placement',
      'restriction.list',
      'restriction.read',
    ]);
  });
});
