// Restrictions and embargoes (monitoring, issue 4), what works: every kind with its source rules and
// default dates (12-week review of regulator-sourced kinds), and update with versions kept.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { RESTRICTION_KINDS, type RestrictionKind } from '@ccx/schema';
import { expectTRPCError, queryRows, test, uniq } from '../../support/harness.js';
import { create, detailOf, get, input, lastEntry, NOW, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

describe('restrictions.create: every kind', () => {
  test('knows exactly the eleven kinds', () => {
    expect([...RESTRICTION_KINDS].sort()).toEqual(
      [
        'embargo',
        'informal-embargo',
        'action-plan',
        'regulatory-action-plan',
        'ofsted-restriction',
        'ofsted-suspension',
        'registration-cancelled',
        'framework-suspension',
        'letter-of-concern',
        'causing-concern-level',
        'ceased-operating',
      ].sort(),
    );
  });

  // kind → regulator-sourced, always restricted, has a compliance period
  const KINDS: [RestrictionKind, { regulator: boolean; restricted: boolean; compliance: boolean }][] = [
    ['embargo', { regulator: false, restricted: false, compliance: false }],
    ['informal-embargo', { regulator: false, restricted: true, compliance: false }],
    ['action-plan', { regulator: false, restricted: false, compliance: false }],
    ['regulatory-action-plan', { regulator: true, restricted: false, compliance: false }],
    ['ofsted-restriction', { regulator: true, restricted: false, compliance: false }],
    ['ofsted-suspension', { regulator: true, restricted: false, compliance: false }],
    ['registration-cancelled', { regulator: true, restricted: false, compliance: false }],
    ['framework-suspension', { regulator: false, restricted: false, compliance: false }],
    ['letter-of-concern', { regulator: false, restricted: false, compliance: true }],
    ['causing-concern-level', { regulator: false, restricted: false, compliance: false }],
    ['ceased-operating', { regulator: false, restricted: false, compliance: false }],
  ];

  test.for(KINDS)('creates a %s with its source rules and default dates', async ([kind, rules], { h, w }) => {
    const target = { provisionId: w.provision.id };
    const caller = h.caller(w.publisher.officer);
    if (rules.regulator) {
      // Without source "regulator", or without the regulator's reference: refused.
      const { source: _s, ...noSource } = input(target, kind);
      const e1 = await expectTRPCError(caller.restrictions.create(noSource), 'BAD_REQUEST');
      expect(e1.message).toMatch(/regulator/);
      await expectTRPCError(
        caller.restrictions.create(input(target, kind, { source: 'member' })),
        'BAD_REQUEST',
      );
      const { regulatorReference: _r, ...noReference } = input(target, kind);
      const e2 = await expectTRPCError(caller.restrictions.create(noReference), 'BAD_REQUEST');
      expect(e2.message).toMatch(/regulatorReference/);
    }

    // A causing-concern-level restriction carries its level (Knowsley's 1 or 2); no other kind has one.
    const level = kind === 'causing-concern-level' ? 2 : null;
    const e3 = await expectTRPCError(
      caller.restrictions.create(input(target, kind, { concernLevel: level ? undefined : 1 })),
      'BAD_REQUEST',
    );
    expect(e3.message).toMatch(/concernLevel/);

    const i = input(target, kind, level ? { concernLevel: level } : {});
    const r = await create(h, w.publisher.officer, i);
    expect(r).toMatchObject({
      layer: 'detail',
      kind,
      concernLevel: level,
      provisionId: w.provision.id,
      providerId: null,
      issuerAuthorityId: w.publisher.id,
      source: rules.regulator ? 'regulator' : 'member',
      regulatorReference: rules.regulator ? i.regulatorReference : null,
      partnershipWide: false,
      restricted: rules.restricted,
      status: 'active',
      effectiveFrom: TODAY,
      // 12 weeks after 15 June 2026 is 7 September.
      reviewOn: rules.regulator ? '2026-09-07' : null,
      expiresOn: null,
      // 15 working days after Monday 15 June 2026 (no bank holiday in between): Monday 6 July.
      complianceDueOn: rules.compliance ? '2026-07-06' : null,
      liftedOn: null,
      liftedReason: null,
      version: 1,
      reasons: i.reasons,
      contractScope: 'framework-lot',
      contractReference: i.contractReference,
      summary: i.summary,
      details: i.details,
    });
    expect(r.history).toEqual([
      {
        version: 1,
        at: expect.any(String) as string,
        byAuthorityId: w.publisher.id,
        byAuthority: { id: w.publisher.id, name: `Council ${w.publisher.id}` },
        change: 'created',
        note: null,
      },
    ]);

    // What a bare member sees: the summary, or for an always-restricted kind only the signal.
    const seen = await get(h, w.member, r.id);
    expect(seen.layer).toBe(rules.restricted ? 'signal' : 'summary');
    if (seen.layer === 'summary') expect(seen).toMatchObject({ kind, status: 'active', concernLevel: level });
    const got = await get(h, w.publisher, r.id);
    // The same record as created; only the answer to a create says whether it joined one.
    expect({ ...got, history: [] }).toEqual({ ...r, joined: undefined, history: [] });
  });

  test('lets a member relay a regulator alert for a member kind: with its reference and a 12-week review', async ({
    h,
    w,
  }) => {
    const target = { provisionId: w.provision.id };
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.create(input(target, 'embargo', { source: 'regulator' })),
      'BAD_REQUEST',
    );
    const r = await create(
      h,
      w.publisher.officer,
      input(target, 'embargo', {
        source: 'regulator',
        regulatorReference: 'OFSTED-1',
        effectiveFrom: '2026-06-01',
      }),
    );
    // 1 June + 84 days: 29 to 30 June, 31 in July, 24 in August.
    expect(r).toMatchObject({ source: 'regulator', regulatorReference: 'OFSTED-1', reviewOn: '2026-08-24' });
  });

  test('keeps a review date given explicitly, and counts the default from effectiveFrom', async ({
    h,
    w,
  }) => {
    const target = { provisionId: w.provision.id };
    const given = await create(
      h,
      w.publisher.officer,
      input(target, 'ofsted-restriction', { effectiveFrom: '2026-06-10', reviewOn: '2026-07-01' }),
    );
    expect(given.reviewOn).toBe('2026-07-01');
    const counted = await create(
      h,
      w.publisher.officer,
      input(target, 'ofsted-suspension', { effectiveFrom: '2026-12-20' }),
    );
    // 20 December + 84 days: 11 to the end of December, 31 in January, 28 in February, 14 in March.
    expect(counted).toMatchObject({ effectiveFrom: '2026-12-20', reviewOn: '2027-03-14', status: 'pending' });
    // A member kind gets no review date by default.
    expect((await create(h, w.publisher.officer, input(target, 'action-plan'))).reviewOn).toBeNull();
  });
});

describe('restrictions.update and lift', () => {
  test('only the issuer changes it; every update names its version; every version is kept with its note', async ({
    h,
    w,
  }) => {
    const i = input({ provisionId: w.provision.id }, 'action-plan');
    const r = await create(h, w.publisher.officer, i);

    // The lead sees it in detail, but may not change it; nor may the hub-admin or a bare member.
    expect((await get(h, w.lead, r.id)).layer).toBe('detail');
    for (const who of [w.lead.officer, w.member.officer, h.hubAdmin]) {
      await expectTRPCError(
        h.caller(who).restrictions.update({ id: r.id, version: 1, summary: 'hijacked' }),
        'FORBIDDEN',
      );
      await expectTRPCError(
        h.caller(who).restrictions.lift({ id: r.id, version: 1, reason: 'not mine to lift' }),
        'FORBIDDEN',
      );
    }
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.update({ id: randomUUID(), version: 1, summary: 'x' }),
      'NOT_FOUND',
    );
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.update({ id: r.id, version: 1 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.update({ id: r.id, version: 1, expiresOn: TODAY }),
      'BAD_REQUEST',
    );

    const v2 = detailOf(
      await h
        .caller(w.publisher.officer)
        .restrictions.update({ id: r.id, version: 1, summary: 'second summary', note: 'first change' }),
    );
    expect(v2).toMatchObject({
      version: 2,
      summary: 'second summary',
      details: i.details,
      reasons: i.reasons,
    });

    // A stale version is refused, and changes nothing.
    const stale = await expectTRPCError(
      h.caller(w.publisher.officer).restrictions.update({ id: r.id, version: 1, summary: 'lost update' }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(/version/);
    expect(detailOf(await get(h, w.publisher, r.id)).summary).toBe('second summary');

    // Any officer of the issuing authority may change it.
    const colleague = (await h.makeClient(w.publisher.id, 'officer', 'colleague')).principal;
    const v3 = detailOf(
      await h.caller(colleague).restrictions.update({
        id: r.id,
        version: 2,
        reasons: [{ category: 'financial', text: 'unpaid invoices' }],
        expiresOn: '2026-12-31',
        note: 'second change',
      }),
    );
    expect(v3).toMatchObject({
      version: 3,
      summary: 'second summary',
      reasons: [{ category: 'financial', text: 'unpaid invoices' }],
      expiresOn: '2026-12-31',
    });
    expect(v3.history.map((v) => [v.version, v.change, v.note, v.byAuthorityId])).toEqual([
      [1, 'created', null, w.publisher.id],
      [2, 'updated', 'first change', w.publisher.id],
      [3, 'updated', 'second change', w.publisher.id],
    ]);
    // The lead, reading detail, sees the same history.
    expect(detailOf(await get(h, w.lead, r.id)).history).toEqual(v3.history);

    // Each version is kept as it then stood.
    const kept = await queryRows<{ version: number; summary: string; reason: string }>(
      h.hub.database.db,
      sql`select version, snapshot->>'summary' as summary, snapshot->'reasons'->0->>'text' as reason
          from restriction_versions where restriction_id = ${r.id} order by version`,
    );
    expect(kept).toEqual([
      { version: 1, summary: i.summary, reason: i.reasons[0]!.text },
      { version: 2, summary: 'second summary', reason: i.reasons[0]!.text },
      { version: 3, summary: 'second summary', reason: 'unpaid invoices' },
    ]);

    const entry = await lastEntry(h, w.publisher);
    expect(entry).toMatchObject({
      action: 'restriction.update',
      recordIds: [r.id],
      basis: 'publisher',
      details: { fromVersion: 2, fields: ['expiresOn', 'reasons'], note: 'second change' },
    });
  });

  test('an idempotency key alone is not a change', async ({ h, w }) => {
    const r = await create(h, w.publisher.officer, input({ provisionId: w.provision.id }, 'action-plan'));
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .restrictions.update({ id: r.id, version: 1, idempotencyKey: `k-${uniq()}` }),
      'BAD_REQUEST',
    );
    const key = `k-${uniq()}`;
    const once = detailOf(
      await h
        .caller(w.publisher.officer)
        .restrictions.update({ id: r.id, version: 1, summary: 'retried', idempotencyKey: key }),
    );
    // The audit names only the fields that changed.
    expect((await lastEntry(h, w.publisher))?.details).toMatchObject({ fields: ['summary'] });
    const again = detailOf(
      await h
        .caller(w.publisher.officer)
        .restrictions.update({ id: r.id, version: 1, summary: 'retried', idempotencyKey: key }),
    );
    expect(once.version).toBe(2);
    expect(again).toEqual(once);
    expect(detailOf(await get(h, w.publisher, r.id)).version).toBe(2);
  });
});
