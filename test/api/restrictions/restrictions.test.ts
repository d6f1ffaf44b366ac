// Restrictions and embargoes (monitoring, issue 4): every kind with its source rules and default
// dates (12-week review of regulator-sourced kinds, 15 working days for a letter of concern across
// bank holidays), informal embargoes always restricted, partnership-wide embargoes, the target rule,
// update with versions kept and lift, status by the calendar alone, the list filters, provider-level
// restrictions reaching every provision, the layers each authority sees, and the audit of detail reads.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import {
  RESTRICTION_KINDS,
  type AuditEntry,
  type RestrictionCreate,
  type RestrictionDetail,
  type RestrictionKind,
  type RestrictionView,
} from '@ccx/schema';
import type { Principal } from '@ccx/server';
import {
  DAY_MS,
  expectTRPCError,
  makeMember,
  makeWorld,
  queryRows,
  test,
  uniq,
  type Harness,
  type Member,
  type World,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z'; // a Monday
const TODAY = '2026-06-15';
test.override({ clockAt: NOW });

// Written out here rather than taken from the schema, so a change there fails these tests.
const REGULATOR_KINDS: RestrictionKind[] = [
  'regulatory-action-plan',
  'ofsted-restriction',
  'ofsted-suspension',
  'registration-cancelled',
];

const SUMMARY_KEYS = [
  'effectiveFrom',
  'expiresOn',
  'id',
  'issuerAuthorityId',
  'kind',
  'layer',
  'liftedOn',
  'partnershipWide',
  'providerId',
  'provisionId',
  'reviewOn',
  'source',
  'status',
].sort();

type Target = { provisionId: string } | { providerId: string };
type Input = RestrictionCreate & {
  reasons: { category: 'safeguarding' | 'quality'; text: string }[];
  summary: string;
  details: string;
  contractReference: string;
};

/** A full restriction input with distinctive texts; regulator kinds come with source and reference. */
const input = (target: Target, kind: RestrictionKind, overrides: Partial<RestrictionCreate> = {}): Input => {
  const tag = uniq();
  return {
    ...target,
    kind,
    ...(REGULATOR_KINDS.includes(kind)
      ? { source: 'regulator' as const, regulatorReference: `SC-REF-${tag}` }
      : {}),
    reasons: [
      { category: 'safeguarding', text: `reason text ${tag}` },
      { category: 'quality', text: `second reason ${tag}` },
    ],
    contractScope: 'framework-lot',
    contractReference: `lot ref ${tag}`,
    summary: `summary text ${tag}`,
    details: `details text ${tag}`,
    ...overrides,
  } as Input;
};

/** Every text that only the detail layer may carry. */
const secretsOf = (i: Input): string[] => [
  ...i.reasons.map((r) => r.text),
  i.summary,
  i.details,
  i.contractReference,
  ...(i.regulatorReference ? [i.regulatorReference] : []),
];

const detailOf = (v: RestrictionView): RestrictionDetail => {
  if (v.layer !== 'detail') return expect.fail(`expected the detail layer, got ${JSON.stringify(v)}`);
  return v;
};

const create = async (h: Harness, who: Principal, i: RestrictionCreate): Promise<RestrictionDetail> =>
  detailOf(await h.caller(who).restrictions.create(i));

const get = (h: Harness, m: Member | Principal, id: string) =>
  h.caller('officer' in m ? m.officer : m).restrictions.get({ id });

const idsOf = (views: RestrictionView[]): string[] => views.flatMap((v) => ('id' in v ? [v.id] : [])).sort();

const lastEntry = async (h: Harness, m: Member): Promise<AuditEntry | undefined> =>
  (await h.caller(m.officer).audit.list({ scope: 'mine', limit: 1 })).items[0];

const headSeq = async (h: Harness, m: Member): Promise<number> =>
  (await h.caller(m.officer).audit.verify()).head?.seq ?? 0;

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

    const i = input(target, kind);
    const r = await create(h, w.publisher.officer, i);
    expect(r).toMatchObject({
      layer: 'detail',
      kind,
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
        change: 'created',
        note: null,
      },
    ]);

    // What a bare member sees: the summary, or for an always-restricted kind only the signal.
    const seen = await get(h, w.member, r.id);
    expect(seen.layer).toBe(rules.restricted ? 'signal' : 'summary');
    if (seen.layer === 'summary') expect(seen).toMatchObject({ kind, status: 'active' });
    const got = await get(h, w.publisher, r.id);
    expect({ ...got, history: [] }).toEqual({ ...r, history: [] });
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

describe('letters of concern: a compliance period of 15 working days', () => {
  const target = (w: World) => ({ provisionId: w.provision.id });

  test('skips Christmas Day, Boxing Day (substitute Monday 28th) and New Year’s Day', async ({ h, w }) => {
    // From Monday 14 December 2026: 15 16 17 18 | 21 22 23 24 (25 and 28 are holidays) |
    // 29 30 31 (1 January is a holiday) | 4 5 6 7 January: the 15th working day is Thursday 7 January.
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-12-14' }),
    );
    expect(r.complianceDueOn).toBe('2027-01-07');
  });

  test('counts from today when effectiveFrom is not given', async ({ h, w, clock }) => {
    // Friday 18 December 2026: 21 22 23 24 | 29 30 31 | 4 5 6 7 8 | 11 12 13 → Wednesday 13 January.
    clock.set('2026-12-18T10:00:00Z');
    const r = await create(h, w.publisher.officer, input(target(w), 'letter-of-concern'));
    expect(r).toMatchObject({ effectiveFrom: '2026-12-18', complianceDueOn: '2027-01-13' });
  });

  test('skips Good Friday and Easter Monday', async ({ h, w }) => {
    // From Monday 23 March 2026: 24 25 26 27 | 30 31 1 2 (3 April Good Friday) | (6 April Easter
    // Monday) 7 8 9 10 | 13 14 15: the 15th working day is Wednesday 15 April.
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-03-23' }),
    );
    expect(r.complianceDueOn).toBe('2026-04-15');
  });

  test('keeps a compliance date given explicitly', async ({ h, w }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input(target(w), 'letter-of-concern', { effectiveFrom: '2026-03-23', complianceDueOn: '2026-04-03' }),
    );
    expect(r.complianceDueOn).toBe('2026-04-03');
  });
});

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

  test('takes exactly one of provisionId and providerId, and refuses an unknown one', async ({ h, w }) => {
    const caller = h.caller(w.publisher.officer);
    const both = input({ provisionId: w.provision.id }, 'embargo', { providerId: w.provision.providerId });
    await expectTRPCError(caller.restrictions.create(both), 'BAD_REQUEST');
    const { provisionId: _p, ...neither } = input({ provisionId: w.provision.id }, 'embargo');
    await expectTRPCError(caller.restrictions.create(neither), 'BAD_REQUEST');
    const e1 = await expectTRPCError(
      caller.restrictions.create(input({ provisionId: randomUUID() }, 'embargo')),
      'NOT_FOUND',
    );
    expect(e1.message).toMatch(/provision/);
    const e2 = await expectTRPCError(
      caller.restrictions.create(input({ providerId: randomUUID() }, 'embargo')),
      'NOT_FOUND',
    );
    expect(e2.message).toMatch(/provider/);
  });

  test('refuses an expiry on or before effectiveFrom, no reason, and a viewer client', async ({ h, w }) => {
    const caller = h.caller(w.publisher.officer);
    const target = { provisionId: w.provision.id };
    await expectTRPCError(
      caller.restrictions.create(input(target, 'embargo', { effectiveFrom: TODAY, expiresOn: TODAY })),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      caller.restrictions.create(input(target, 'embargo', { reasons: [] })),
      'BAD_REQUEST',
    );
    const viewer = (await h.makeClient(w.publisher.id, 'viewer')).principal;
    await expectTRPCError(h.caller(viewer).restrictions.create(input(target, 'embargo')), 'FORBIDDEN');
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

  test('lift needs a reason and the current version; a lifted restriction can be neither changed nor lifted again', async ({
    h,
    w,
  }) => {
    const r = await create(h, w.publisher.officer, input({ provisionId: w.provision.id }, 'embargo'));
    const caller = h.caller(w.publisher.officer);
    await expectTRPCError(
      caller.restrictions.lift({ id: r.id, version: 1 } as unknown as Parameters<
        typeof caller.restrictions.lift
      >[0]),
      'BAD_REQUEST',
    );
    await expectTRPCError(caller.restrictions.lift({ id: r.id, version: 1, reason: '  ' }), 'BAD_REQUEST');
    await caller.restrictions.update({ id: r.id, version: 1, details: 'more detail', note: 'added detail' });
    await expectTRPCError(caller.restrictions.lift({ id: r.id, version: 1, reason: 'improved' }), 'CONFLICT');

    const lifted = detailOf(
      await caller.restrictions.lift({ id: r.id, version: 2, reason: 'the provider met the action plan' }),
    );
    expect(lifted).toMatchObject({
      status: 'lifted',
      liftedOn: TODAY,
      liftedReason: 'the provider met the action plan',
      version: 3,
      details: 'more detail',
    });
    expect(lifted.history.map((v) => [v.version, v.change, v.note])).toEqual([
      [1, 'created', null],
      [2, 'updated', 'added detail'],
      [3, 'lifted', 'the provider met the action plan'],
    ]);

    await expectTRPCError(caller.restrictions.update({ id: r.id, version: 3, summary: 'again' }), 'CONFLICT');
    await expectTRPCError(
      caller.restrictions.lift({ id: r.id, version: 3, reason: 'once more' }),
      'CONFLICT',
    );

    const summary = await get(h, w.member, r.id);
    expect(summary).toMatchObject({ layer: 'summary', status: 'lifted', liftedOn: TODAY });
    expect(JSON.stringify(summary)).not.toContain('the provider met the action plan');
    expect(await lastEntry(h, w.publisher)).toMatchObject({
      action: 'restriction.lift',
      recordIds: [r.id],
      basis: 'publisher',
    });
  });
});

describe('status follows the calendar, with nobody touching the restriction', () => {
  test('pending before effectiveFrom, active from it, expired once expiresOn arrives (in England)', async ({
    h,
    w,
    clock,
  }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'embargo', {
        effectiveFrom: '2026-06-16',
        expiresOn: '2026-06-20',
      }),
    );
    const statusOf = async (m: Member) => (await get(h, m, r.id)) as { status?: string };
    const activeIds = async (active: boolean) =>
      idsOf(
        await h
          .caller(w.member.officer)
          .restrictions.list({ provisionId: w.provision.id, issuerAuthorityId: w.publisher.id, active })
          .then((p) => p.items),
      );

    expect(r.status).toBe('pending');
    expect((await statusOf(w.member)).status).toBe('pending');
    expect(await activeIds(true)).not.toContain(r.id);
    expect(await activeIds(false)).not.toContain(r.id);

    clock.move(DAY_MS); // 16 June
    expect((await statusOf(w.member)).status).toBe('active');
    expect((await statusOf(w.placing)).status).toBe('active');
    expect(await activeIds(true)).toContain(r.id);
    expect(await activeIds(false)).not.toContain(r.id);

    // 22:59:59 UTC on 19 June is still 19 June in England (BST): the last day it applies.
    clock.set('2026-06-19T22:59:59Z');
    expect((await statusOf(w.member)).status).toBe('active');
    expect(await activeIds(true)).toContain(r.id);

    // 23:00 UTC is midnight in England: 20 June, its expiry date. It has stopped by itself.
    clock.set('2026-06-19T23:00:00Z');
    expect((await statusOf(w.member)).status).toBe('expired');
    expect(await activeIds(true)).not.toContain(r.id);
    expect(await activeIds(false)).toContain(r.id);
    const seen = detailOf(await get(h, w.publisher, r.id));
    expect(seen).toMatchObject({ status: 'expired', version: 1, updatedAt: r.updatedAt });
    expect(seen.history).toHaveLength(1);
  });

  test('a lift dated ahead takes effect on its date', async ({ h, w, clock }) => {
    const r = await create(
      h,
      w.publisher.officer,
      input({ provisionId: w.provision.id }, 'framework-suspension'),
    );
    const lifted = detailOf(
      await h
        .caller(w.publisher.officer)
        .restrictions.lift({ id: r.id, version: 1, liftedOn: '2026-06-17', reason: 'ends on the 17th' }),
    );
    expect(lifted).toMatchObject({ status: 'active', liftedOn: '2026-06-17' });
    clock.move(2 * DAY_MS);
    expect(await get(h, w.member, r.id)).toMatchObject({ layer: 'summary', status: 'lifted' });
    await expectTRPCError(
      h
        .caller(w.publisher.officer)
        .restrictions.lift({ id: r.id, version: 1, liftedOn: '2026-06-01', reason: 'x'.repeat(5) }),
      'CONFLICT',
    );
  });
});

describe('restrictions.list filters', () => {
  let x: Member;
  let y: Member;
  let a: string; // provider P, provision A
  let b: string; // provider P, provision B
  let c: string; // provider Q, provision C
  let providerP: string;
  let providerQ: string;
  const r: Record<string, string> = {};

  test.beforeAll(async ({ h }) => {
    x = await makeMember(h, 'issuerx');
    y = await makeMember(h, 'issuery');
    providerP = (await h.makeProvider()).id;
    providerQ = (await h.makeProvider()).id;
    a = (await h.makeProvision({ providerId: providerP })).id;
    b = (await h.makeProvision({ providerId: providerP })).id;
    c = (await h.makeProvision({ providerId: providerQ })).id;
    r.r1 = (await create(h, x.officer, input({ provisionId: a }, 'embargo'))).id;
    r.r2 = (await create(h, y.officer, input({ providerId: providerP }, 'framework-suspension'))).id;
    r.r3 = (await create(h, x.officer, input({ provisionId: b }, 'letter-of-concern'))).id;
    r.r4 = (await create(h, y.officer, input({ provisionId: c }, 'action-plan'))).id;
    const r5 = await create(h, x.officer, input({ provisionId: a }, 'causing-concern-level'));
    await h.caller(x.officer).restrictions.lift({ id: r5.id, version: 1, reason: 'improved' });
    r.r5 = r5.id;
    r.r6 = (await create(h, x.officer, input({ providerId: providerQ }, 'ceased-operating'))).id;
    r.r7 = (
      await create(h, x.officer, input({ provisionId: a }, 'action-plan', { effectiveFrom: '2026-07-01' }))
    ).id;
    r.r8 = (
      await create(
        h,
        y.officer,
        input({ provisionId: a }, 'embargo', { effectiveFrom: '2026-05-01', expiresOn: '2026-06-01' }),
      )
    ).id;
  });

  const list = async (
    h: Harness,
    filter: Parameters<ReturnType<Harness['caller']>['restrictions']['list']>[0],
  ) =>
    idsOf(
      await h
        .caller(x.officer)
        .restrictions.list(filter)
        .then((p) => p.items),
    );
  const ids = (...names: string[]) => names.map((n) => r[n]!).sort();

  test('by provision: its own restrictions and those on its provider', async ({ h }) => {
    expect(await list(h, { provisionId: a })).toEqual(ids('r1', 'r2', 'r5', 'r7', 'r8'));
    expect(await list(h, { provisionId: b })).toEqual(ids('r2', 'r3'));
    expect(await list(h, { provisionId: c })).toEqual(ids('r4', 'r6'));
    await expectTRPCError(
      h
        .caller(x.officer)
        .restrictions.list({ provisionId: randomUUID() })
        .then((p) => p.items),
      'NOT_FOUND',
    );
  });

  test('by provider: its provider-level restrictions, none of another provider', async ({ h }) => {
    const onP = await list(h, { providerId: providerP });
    expect(onP).toContain(r.r2);
    for (const other of ids('r4', 'r6')) expect(onP).not.toContain(other);
    expect(await list(h, { providerId: providerQ })).toContain(r.r6);
    expect(await list(h, { providerId: providerQ })).not.toContain(r.r2);
  });

  test('by issuer and by kind', async ({ h }) => {
    expect(await list(h, { issuerAuthorityId: x.id })).toEqual(ids('r1', 'r3', 'r5', 'r6', 'r7'));
    expect(await list(h, { issuerAuthorityId: y.id })).toEqual(ids('r2', 'r4', 'r8'));
    expect(await list(h, { provisionId: a, kind: 'embargo' })).toEqual(ids('r1', 'r8'));
    expect(await list(h, { issuerAuthorityId: x.id, kind: 'action-plan' })).toEqual(ids('r7'));
    expect(await list(h, { issuerAuthorityId: y.id, kind: 'letter-of-concern' })).toEqual([]);
  });

  test('active or not: active ones; lifted or expired ones (pending is neither)', async ({ h }) => {
    expect(await list(h, { provisionId: a, active: true })).toEqual(ids('r1', 'r2'));
    expect(await list(h, { provisionId: a, active: false })).toEqual(ids('r5', 'r8'));
    expect(await list(h, { issuerAuthorityId: x.id, active: true })).toEqual(ids('r1', 'r3', 'r6'));
    const statuses = Object.fromEntries(
      (
        await h
          .caller(x.officer)
          .restrictions.list({ provisionId: a })
          .then((p) => p.items)
      ).map((v) => ['id' in v ? v.id : 'signal', 'status' in v ? v.status : null]),
    );
    expect(statuses).toEqual({
      [r.r1!]: 'active',
      [r.r2!]: 'active',
      [r.r5!]: 'lifted',
      [r.r7!]: 'pending',
      [r.r8!]: 'expired',
    });
  });

  test('each at the caller’s layer: the issuer’s own in detail, the others’ in summary', async ({ h }) => {
    const views = await h
      .caller(x.officer)
      .restrictions.list({ provisionId: a })
      .then((p) => p.items);
    const layers = Object.fromEntries(views.map((v) => ['id' in v ? v.id : 'signal', v.layer]));
    expect(layers).toEqual({
      [r.r1!]: 'detail',
      [r.r2!]: 'summary',
      [r.r5!]: 'detail',
      [r.r7!]: 'detail',
      [r.r8!]: 'summary',
    });
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
      input({ provisionId: w.provision.id }, 'causing-concern-level'),
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
      providerId: w.provision.providerId,
      contact: w.publisher.qaInbox,
      message: expect.stringContaining(w.publisher.qaInbox) as string,
    });
    if (seen.layer === 'signal') expect(seen.message).toMatch(/provider/);
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
      expect(Object.keys(seen).sort()).toEqual(SUMMARY_KEYS);
      expect(seen).toEqual({
        layer: 'summary',
        id: u.id,
        provisionId: w.provision.id,
        providerId: null,
        kind: 'ofsted-restriction',
        status: 'active',
        issuerAuthorityId: w.publisher.id,
        source: 'regulator',
        partnershipWide: false,
        effectiveFrom: '2026-06-01',
        reviewOn: '2026-08-24',
        expiresOn: '2026-12-01',
        liftedOn: null,
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
      input(target, 'ofsted-suspension', { restricted: true }),
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
        expect(Object.keys(v).sort()).toEqual(['contact', 'layer', 'message', 'providerId', 'provisionId']);
      }
      expect(leaks(JSON.stringify(listed)), m.id).toEqual([]);
      for (const r of made) {
        const seen = await get(h, m, r.id);
        expect(seen.layer).toBe('signal');
        expect(leaks(JSON.stringify(seen)), m.id).toEqual([]);
      }
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
