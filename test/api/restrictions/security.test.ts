// Restrictions, who sees and does what: informal embargoes always restricted, partnership-wide embargoes
// by the hub-admin only, provider-level restrictions reaching every provision, the layers each authority
// sees (detail, summary, one neutral signal per issuer and target), and the audit of detail reads.
import { describe, expect } from 'vitest';
import { RESTRICTION_KINDS, type RestrictionDetail } from '@ccx/schema';
import {
  expectTRPCError,
  makeMember,
  makeWorld,
  test,
  type Member,
  type World,
} from '../../support/harness.js';
import { RESTRICTION_SIGNAL_KEYS } from '../names-fixtures.js';
import {
  create,
  detailOf,
  get,
  headSeq,
  idsOf,
  input,
  lastEntry,
  NOW,
  secretsOf,
  SUMMARY_KEYS,
  type Input,
} from './fixtures.js';

test.override({ clockAt: NOW });

describe('restricted restrictions', () => {
  test('an informal embargo is always restricted: restricted:false on create is ignored, and update cannot clear it', async ({
    h,
    w,
  }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'informal-embargo', { restricted: false }),
    );
    expect(r.restricted).toBe(true);
    for (const m of [w.lead, w.host, w.placing, w.member])
      expect((await get(h, m, r.id)).layer).toBe('signal');
    const e = await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.update({ id: r.id, version: 1, restricted: false }),
      'BAD_REQUEST',
    );
    expect(e.message).toMatch(/always restricted/);
    expect(detailOf(await get(h, w.publisher, r.id))).toMatchObject({ version: 1, restricted: true });
  });

  test('any kind marked restricted follows the restricted layer until the issuer clears the mark', async ({
    h,
    w,
  }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'action-plan', { restricted: true }),
    );
    expect(r.restricted).toBe(true);
    for (const m of [w.lead, w.host, w.placing, w.member])
      expect((await get(h, m, r.id)).layer).toBe('signal');
    const cleared = detailOf(
      await h.caller(w.publisher.officer).restrictions.update({ id: r.id, version: 1, restricted: false }),
    );
    expect(cleared).toMatchObject({ restricted: false, version: 2 });
    for (const m of [w.lead, w.host, w.placing]) expect((await get(h, m, r.id)).layer).toBe('detail');
    expect((await get(h, w.member, r.id)).layer).toBe('summary');
  });
});

describe('restrictions.create: who, on what', () => {
  test('partnership-wide: only the hub-admin, and only for an embargo', async ({ h, w }) => {
    const target = { provisionId: w.provision.id };
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.create(input(target, 'embargo', { partnershipWide: true })),
      'FORBIDDEN',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).restrictions.create(input(target, 'action-plan', { partnershipWide: true })),
      'FORBIDDEN',
    );
    const r = await create(h, h.hubAdmin, input(target, 'embargo', { partnershipWide: true }));
    expect(r).toMatchObject({ partnershipWide: true, issuerAuthorityId: h.hostAuthorityId });
    const seen = await get(h, w.member, r.id);
    expect(seen).toMatchObject({ layer: 'summary', partnershipWide: true, kind: 'embargo' });
  });
});

describe('a provider-level restriction reaches every provision of the provider', () => {
  let sibling: string;
  let siblingHost: Member;
  let siblingPlacer: Member;
  let elsewhere: string;
  let elsewherePlacer: Member;
  let onProvider: RestrictionDetail;
  let onProvision: RestrictionDetail;

  test.beforeAll(async ({ h, w }) => {
    siblingHost = await makeMember(h, 'siblinghost');
    siblingPlacer = await makeMember(h, 'siblingplacer');
    elsewherePlacer = await makeMember(h, 'elsewhere');
    sibling = (await h.makeProvision({ providerId: w.provision.providerId, hostAuthorityId: siblingHost.id }))
      .id;
    elsewhere = (await h.makeProvision()).id;
    await h.caller(siblingPlacer.officer).placements.declare({ provisionId: sibling, children: 1 });
    await h.caller(elsewherePlacer.officer).placements.declare({ provisionId: elsewhere, children: 1 });
    onProvider = await create(
      h,
      w.publisher.officer,
      input({ providerId: w.provision.providerId }, 'framework-suspension'),
    );
    onProvision = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'causing-concern-level', { concernLevel: 1 }),
    );
  });

  test('an authority placing at any provision of the provider reads detail; one placing at another provider’s does not', async ({
    h,
    w,
  }) => {
    for (const m of [siblingPlacer, siblingHost, w.placing, w.lead, w.host]) {
      expect((await get(h, m, onProvider.id)).layer, m.id).toBe('detail');
    }
    expect((await get(h, elsewherePlacer, onProvider.id)).layer).toBe('summary');
    expect((await get(h, w.member, onProvider.id)).layer).toBe('summary');
    // A provision-level restriction stays with its provision: placing at the sibling gives nothing there.
    expect((await get(h, siblingPlacer, onProvision.id)).layer).toBe('summary');
    expect((await get(h, w.placing, onProvision.id)).layer).toBe('detail');
  });

  test('the read is audited with the basis found at the sibling provision, naming every provision of the provider', async ({
    h,
    w,
  }) => {
    await get(h, siblingPlacer, onProvider.id);
    const entry = await lastEntry(h, siblingPlacer);
    expect(entry).toMatchObject({
      action: 'restriction.read',
      recordType: 'restriction',
      recordIds: [onProvider.id],
      basis: 'placing',
      details: { rule: 'need-to-know-detail' },
    });
    expect([...(entry?.provisionIds ?? [])].sort()).toEqual([w.provision.id, sibling].sort());
  });

  test('lists of each provision of the provider carry it, at the caller’s layer', async ({ h, w }) => {
    const atP = await h
      .caller(siblingPlacer.officer)
      .restrictions.list({ provisionId: w.provision.id })
      .then((p) => p.items);
    const layers = Object.fromEntries(atP.map((v) => ['id' in v ? v.id : 'signal', v.layer]));
    expect(layers[onProvider.id]).toBe('detail');
    expect(layers[onProvision.id]).toBe('summary');
    const atSibling = await h
      .caller(siblingPlacer.officer)
      .restrictions.list({ provisionId: sibling })
      .then((p) => p.items);
    expect(idsOf(atSibling)).toContain(onProvider.id);
    expect(idsOf(atSibling)).not.toContain(onProvision.id);
    const atElsewhere = await h
      .caller(elsewherePlacer.officer)
      .restrictions.list({ provisionId: elsewhere })
      .then((p) => p.items);
    expect(idsOf(atElsewhere)).not.toContain(onProvider.id);
    expect(
      idsOf(
        await h
          .caller(elsewherePlacer.officer)
          .restrictions.list({ providerId: w.provision.providerId })
          .then((p) => p.items),
      ),
    ).toContain(onProvider.id);
  });

  test('restricted on a provider: a placing authority at a sibling sees only the signal, naming the provider', async ({
    h,
    w,
  }) => {
    const restricted = await create(
      h,
      w.publisher.officer,
      input({ providerId: w.provision.providerId }, 'informal-embargo'),
    );
    const seen = await get(h, siblingPlacer, restricted.id);
    expect(seen).toEqual({
      layer: 'signal',
      provisionId: null,
      provision: null,
      providerId: w.provision.providerId,
      provider: { id: w.provision.providerId, name: expect.any(String) as string },
      contact: w.publisher.qaInbox,
      message: expect.stringContaining(w.publisher.qaInbox) as string,
      signalIds: [expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as string],
    });
    if (seen.layer !== 'signal') return;
    expect(seen.message).toMatch(/provider/);
    // It signals, under the same id, in the list of restrictions at the sibling and in its placement check.
    const listed = (await h.caller(siblingPlacer.officer).restrictions.list({ provisionId: sibling })).items;
    expect(listed.flatMap((v) => (v.layer === 'signal' ? v.signalIds : []))).toContain(seen.signalIds[0]);
    const check = await h.caller(siblingPlacer.officer).checks.placement({ provisionId: sibling });
    expect(check.reasons).toContainEqual(
      expect.objectContaining({
        code: 'restricted-information',
        contact: w.publisher.qaInbox,
        recordId: null,
        signalIds: expect.arrayContaining([seen.signalIds[0]]) as string[],
      }),
    );
    expect(JSON.stringify(check)).not.toContain(restricted.id);
  });
});

describe('layers', () => {
  let seeker: Member;
  let i: Input;
  let u: RestrictionDetail;

  test.beforeAll(async ({ h, w }) => {
    seeker = await makeMember(h, 'seeker');
    await h.caller(seeker.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'checking before a placement',
      caseReference: 'CR-2026-0001',
    });
    i = input({ provisionId: w.provision.id }, 'ofsted-restriction', {
      effectiveFrom: '2026-06-01',
      expiresOn: '2026-12-01',
    });
    u = await create(h, w.publisher.officer, i);
  });

  test('the issuer, lead, host, placing and prospective authorities read detail of an unrestricted restriction, each audited with its basis', async ({
    h,
    w,
  }) => {
    const cases: [Member, string, string][] = [
      [w.publisher, 'publisher', 'publisher-detail'],
      [w.lead, 'lead', 'need-to-know-detail'],
      [w.host, 'host', 'need-to-know-detail'],
      [w.placing, 'placing', 'need-to-know-detail'],
      [seeker, 'prospective', 'need-to-know-detail'],
    ];
    for (const [m, basis, rule] of cases) {
      const before = await headSeq(h, m);
      const seen = detailOf(await get(h, m, u.id));
      expect(seen, basis).toMatchObject({
        reasons: i.reasons,
        summary: i.summary,
        details: i.details,
        regulatorReference: i.regulatorReference,
      });
      const entry = await lastEntry(h, m);
      expect(entry, basis).toMatchObject({
        seq: before + 1,
        authorityId: m.id,
        clientId: m.officer.clientId,
        action: 'restriction.read',
        recordType: 'restriction',
        recordIds: [u.id],
        provisionIds: [w.provision.id],
        basis,
        details: { rule },
      });
    }
  });

  test('a bare member sees the summary — kind, status, issuer, dates and scope — and nothing of the detail; unaudited', async ({
    h,
    w,
  }) => {
    for (const who of [w.member.officer, h.hubAdmin]) {
      const seen = await get(h, who, u.id);
      // The summary keys, and the causing-concern level (null for any other kind).
      expect(Object.keys(seen).sort()).toEqual(SUMMARY_KEYS);
      expect(seen).toEqual({
        layer: 'summary',
        id: u.id,
        provisionId: w.provision.id,
        provision: { id: w.provision.id, urn: w.provision.urn, name: w.provision.name },
        providerId: null,
        provider: null,
        kind: 'ofsted-restriction',
        status: 'active',
        issuerAuthorityId: w.publisher.id,
        issuerAuthority: { id: w.publisher.id, name: `Council ${w.publisher.id}` },
        source: 'regulator',
        partnershipWide: false,
        effectiveFrom: '2026-06-01',
        reviewOn: '2026-08-24',
        expiresOn: '2026-12-01',
        liftedOn: null,
        concernLevel: null,
        // Who relayed the regulator notice is public: every member sees it.
        relayers: [
          {
            authorityId: w.publisher.id,
            authority: { id: w.publisher.id, name: `Council ${w.publisher.id}` },
            at: expect.any(String) as string,
          },
        ],
      });
      const json = JSON.stringify(seen);
      for (const secret of secretsOf(i)) expect(json).not.toContain(secret);
      for (const key of ['reasons', 'summary', 'details', 'regulatorReference', 'history', 'restricted'])
        expect(seen).not.toHaveProperty(key);
    }
    const before = await headSeq(h, w.member);
    await get(h, w.member, u.id);
    await h
      .caller(w.member.officer)
      .restrictions.list({ provisionId: w.provision.id })
      .then((p) => p.items);
    expect(await headSeq(h, w.member)).toBe(before);
  });

  test('a read of detail in a list is audited too', async ({ h, w }) => {
    await h
      .caller(w.placing.officer)
      .restrictions.list({ provisionId: w.provision.id, kind: 'ofsted-restriction' })
      .then((p) => p.items);
    const entry = await lastEntry(h, w.placing);
    expect(entry).toMatchObject({ action: 'restriction.list', recordType: 'restriction' });
    expect(entry?.recordIds).toContain(u.id);
    expect((entry?.details as { detail: Record<string, string> }).detail[u.id]).toBe('placing');
  });
});

describe('restricted restrictions: one neutral signal per issuer and target', () => {
  let wr: World;
  let other: Member;
  const inputs: Input[] = [];
  const made: RestrictionDetail[] = [];

  test.beforeAll(async ({ h }) => {
    wr = await makeWorld(h);
    other = await makeMember(h, 'otherissuer');
    const target = { provisionId: wr.provision.id };
    inputs.push(
      input(target, 'informal-embargo'),
      input(target, 'action-plan', { restricted: true }),
      input(target, 'embargo', { restricted: true }),
      input({ providerId: wr.provision.providerId }, 'letter-of-concern', { restricted: true }),
      // A regulator notice is public (never restricted): a member's own kind here.
      input(target, 'framework-suspension', { restricted: true }),
    );
    const issuers = [wr.publisher, wr.publisher, other, wr.publisher, other];
    for (const [n, inp] of inputs.entries()) made.push(await create(h, issuers[n]!.officer, inp));
  });

  const leaks = (json: string): string[] => [
    ...RESTRICTION_KINDS.filter((k) => json.includes(k)),
    ...inputs.flatMap(secretsOf).filter((s) => json.includes(s)),
    ...made.map((m) => m.id).filter((id) => json.includes(id)),
    ...['reason', 'safeguarding', 'quality'].filter((word) => json.includes(word)),
  ];

  test('lead, host, placing and bare member each get one signal per issuer and target, with the issuer’s QA inbox and nothing else', async ({
    h,
  }) => {
    for (const m of [wr.lead, wr.host, wr.placing, wr.member]) {
      const listed = await h
        .caller(m.officer)
        .restrictions.list({ provisionId: wr.provision.id })
        .then((p) => p.items);
      expect(
        listed.every((v) => v.layer === 'signal'),
        m.id,
      ).toBe(true);
      expect(
        listed
          .map((v) =>
            v.layer === 'signal' ? `${v.contact} ${v.provisionId ?? '-'} ${v.providerId ?? '-'}` : '',
          )
          .sort(),
        m.id,
      ).toEqual(
        [
          `${wr.publisher.qaInbox} ${wr.provision.id} -`,
          `${other.qaInbox} ${wr.provision.id} -`,
          `${wr.publisher.qaInbox} - ${wr.provision.providerId}`,
        ].sort(),
      );
      for (const v of listed) {
        // The names of where, whom to contact, and the opaque id of each record it stands for.
        expect(Object.keys(v).sort()).toEqual(RESTRICTION_SIGNAL_KEYS);
      }
      // Two of the publisher's at the setting, one of the other issuer's, one on the provider.
      expect(
        listed
          .map((v) =>
            v.layer === 'signal' ? `${v.contact} ${v.provisionId ?? '-'} ${v.signalIds.length}` : '',
          )
          .sort(),
        m.id,
      ).toEqual(
        [
          `${wr.publisher.qaInbox} ${wr.provision.id} 2`,
          `${other.qaInbox} ${wr.provision.id} 2`,
          `${wr.publisher.qaInbox} - 1`,
        ].sort(),
      );
      expect(leaks(JSON.stringify(listed)), m.id).toEqual([]);
      const listedIds = listed.flatMap((v) => (v.layer === 'signal' ? v.signalIds : []));
      for (const r of made) {
        const seen = await get(h, m, r.id);
        expect(seen.layer).toBe('signal');
        expect(leaks(JSON.stringify(seen)), m.id).toEqual([]);
        // get's one id is the record's id in the list, and no other record's.
        expect(seen.layer === 'signal' && seen.signalIds.length).toBe(1);
        if (seen.layer === 'signal') expect(listedIds).toContain(seen.signalIds[0]);
      }
      expect(new Set(listedIds).size, m.id).toBe(made.length);
      // access.explain says as little.
      const explained = await h
        .caller(m.officer)
        .access.explain({ recordType: 'restriction', recordId: made[0]!.id });
      expect(explained).toMatchObject({ layer: 'signal', rule: 'restricted-signal' });
    }
  });

  test('a signal read is not audited', async ({ h }) => {
    const before = await headSeq(h, wr.lead);
    await get(h, wr.lead, made[0]!.id);
    await h
      .caller(wr.lead.officer)
      .restrictions.list({ provisionId: wr.provision.id })
      .then((p) => p.items);
    expect(await headSeq(h, wr.lead)).toBe(before);
  });

  test('the issuer reads its own in detail and sees the other issuer’s only as a signal', async ({ h }) => {
    const listed = await h
      .caller(wr.publisher.officer)
      .restrictions.list({ provisionId: wr.provision.id })
      .then((p) => p.items);
    expect(idsOf(listed)).toEqual([made[0]!.id, made[1]!.id, made[3]!.id].sort());
    expect(listed.filter((v) => v.layer === 'signal')).toEqual([
      expect.objectContaining({ contact: other.qaInbox, provisionId: wr.provision.id }),
    ]);
  });

  test('access.share by the issuer opens detail for the grantee, and that read is audited as granted', async ({
    h,
  }) => {
    await expectTRPCError(
      h
        .caller(wr.lead.officer)
        .access.share({ recordType: 'restriction', recordId: made[0]!.id, authorityId: wr.member.id }),
      'FORBIDDEN',
    );
    await h
      .caller(wr.publisher.officer)
      .access.share({ recordType: 'restriction', recordId: made[0]!.id, authorityId: wr.member.id });
    const seen = detailOf(await get(h, wr.member, made[0]!.id));
    expect(seen).toMatchObject({ kind: 'informal-embargo', restricted: true, details: inputs[0]!.details });
    expect(await lastEntry(h, wr.member)).toMatchObject({
      action: 'restriction.read',
      recordIds: [made[0]!.id],
      basis: 'granted',
      details: { rule: 'granted-detail' },
    });
    // The other restricted restrictions stay signals; the shared one is listed in detail.
    const listed = await h
      .caller(wr.member.officer)
      .restrictions.list({ provisionId: wr.provision.id })
      .then((p) => p.items);
    expect(idsOf(listed)).toEqual([made[0]!.id]);
    expect(listed.filter((v) => v.layer === 'signal')).toHaveLength(3);
    // Sharing with the member opens nothing for anyone else.
    expect((await get(h, wr.lead, made[0]!.id)).layer).toBe('signal');
  });
});
