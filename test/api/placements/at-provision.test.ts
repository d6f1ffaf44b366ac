// placements.atProvision: which authorities place children at a setting — each with its number of
// children and its QA contact — for the setting's lead and host authorities only (Knowsley's protocol:
// the lead advises the placing authority; North Tyneside's note: the lead gathers feedback from them).
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, makeMember, test, type Member } from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('placements.atProvision', () => {
  let second: Member;
  let ended: Member;
  let future: Member;
  let suspended: Member;
  let ledBySuspended: string;

  test.beforeAll(async ({ h, w }) => {
    // The world: the placing authority has 2 children at the setting since 1 January. A second one has
    // two open declarations there (an import may leave two), one that ended, one not yet begun.
    second = await makeMember(h, 'secondplacer');
    ended = await makeMember(h, 'endedplacer');
    future = await makeMember(h, 'futureplacer');
    suspended = await makeMember(h, 'suspendedlead');
    await h
      .caller(second.officer)
      .placements.declare({ provisionId: w.provision.id, children: 3, fromDate: '2026-02-01' });
    const gone = await h
      .caller(ended.officer)
      .placements.declare({ provisionId: w.provision.id, children: 4, fromDate: '2026-01-01' });
    await h
      .caller(ended.officer)
      .placements.end({ id: gone.id, version: gone.version, endedOn: '2026-06-01' });
    await h
      .caller(future.officer)
      .placements.declare({ provisionId: w.provision.id, children: 5, fromDate: '2026-07-01' });
    await h.caller(suspended.officer).placements.declare({ provisionId: w.provision.id, children: 1 });
    ledBySuspended = (await h.makeProvision({ hostAuthorityId: w.host.id })).id;
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: ledBySuspended,
      authorityId: suspended.id,
      rationale: 'lead before its suspension',
      startsOn: '2026-01-01',
    });
    await h.caller(h.hubAdmin).authorities.update({ id: suspended.id, version: 1, status: 'suspended' });
  });

  test('the lead and the host see every authority placing there, its children and its QA contact', async ({
    h,
    w,
  }) => {
    for (const [who, basis] of [
      [w.lead, 'lead'],
      [w.host, 'host'],
    ] as const) {
      const got = await h.caller(who.officer).placements.atProvision({ provisionId: w.provision.id });
      expect(got.basis).toBe(basis);
      expect(got.provisionId).toBe(w.provision.id);
      expect(got.authorities.map((a) => [a.authorityId, a.children, a.since, a.qaInbox])).toEqual([
        [second.id, 3, '2026-02-01', second.qaInbox],
        [w.placing.id, 2, '2026-01-01', w.placing.qaInbox],
        // A suspended authority's declaration is still a fact about the setting.
        [suspended.id, 1, '2026-06-15', suspended.qaInbox],
      ]);
      expect(got.authorities.every((a) => a.name.length > 0)).toBe(true);
      expect(got.children).toBe(6);
      // Audited as a read, with the basis, the declarations shown and the setting.
      const [entry] = (await h.caller(who.officer).audit.list({ scope: 'mine', limit: 1 })).items;
      expect(entry).toMatchObject({
        action: 'placement.at-provision',
        basis,
        provisionIds: [w.provision.id],
      });
      expect(entry?.recordIds).toHaveLength(3);
      expect(entry?.recordIds).toContain(w.placement.id);
    }
  });

  const refused: [string, (w: { placing: Member; member: Member }, hubAdmin: Principal) => Principal][] = [
    ['a placing authority that neither leads nor hosts it', (w) => w.placing.officer],
    ['a bare member', (w) => w.member.officer],
    ['the hub-admin, whose authority has no basis there', (_w, admin) => admin],
  ];
  for (const [label, who] of refused)
    test(`is refused to ${label} (403, nothing shown, nothing audited)`, async ({ h, w }) => {
      const caller = who(w, h.hubAdmin);
      const before = (await h.caller(caller).audit.verify()).head?.seq ?? 0;
      const err = await expectTRPCError(
        h.caller(caller).placements.atProvision({ provisionId: w.provision.id }),
        'FORBIDDEN',
      );
      expect(err.message).toMatch(/only the lead authority and the host authority/);
      expect((await h.caller(caller).audit.verify()).head?.seq ?? 0).toBe(before);
    });

  test('a placing authority still sees its own declaration (placements.mine), and only that', async ({
    h,
    w,
  }) => {
    const mine = await h.caller(w.placing.officer).placements.mine();
    expect(mine.filter((m) => m.provisionId === w.provision.id).map((m) => m.authorityId)).toEqual([
      w.placing.id,
    ]);
  });

  test('a suspended authority is refused, even as the lead', async ({ h }) => {
    await expectTRPCError(
      h.caller(suspended.officer).placements.atProvision({ provisionId: ledBySuspended }),
      'FORBIDDEN',
    );
  });

  test('the hub-admin sees them at a setting its own authority hosts, as the host; the role adds nothing', async ({
    h,
  }) => {
    const p = await h.makeProvision(); // hosted by the hub's own authority
    const placer = await makeMember(h, 'hubhostedplacer');
    await h.caller(placer.officer).placements.declare({ provisionId: p.id, children: 2 });
    const got = await h.caller(h.hubAdmin).placements.atProvision({ provisionId: p.id });
    expect(got.basis).toBe('host');
    expect(got.authorities.map((a) => [a.authorityId, a.children])).toEqual([[placer.id, 2]]);
  });

  test('a lead whose allocation has ended is refused; an unknown setting is 404', async ({ h, w }) => {
    await expectTRPCError(
      h.caller(w.lead.officer).placements.atProvision({ provisionId: randomUUID() }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h.caller(w.lead.officer).placements.atProvision({ provisionId: 'not-a-uuid' }),
      'BAD_REQUEST',
    );
    const p = await h.makeProvision({ hostAuthorityId: w.host.id });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: p.id,
      authorityId: w.member.id,
      rationale: 'a short lead',
      startsOn: '2026-01-01',
      endsOn: '2026-06-01',
    });
    await expectTRPCError(
      h.caller(w.member.officer).placements.atProvision({ provisionId: p.id }),
      'FORBIDDEN',
    );
  });
});
