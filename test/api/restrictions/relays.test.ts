// One record per regulator notice (Medway: Ofsted alerts and 12-week restrictions reach every member):
// a second member relaying the same notice joins the record (a relayer, a version, an audit entry, 200
// on REST), distinct references make distinct records, relays at once make one; any relayer lifts it
// and no one else; an Ofsted restriction of accommodation is do-not-place for everyone; a regulator
// notice is never restricted.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { REST_PREFIX } from '@ccx/server/testing';
import { httpTest as test } from '../../support/http.js';
import { expectTRPCError, makeMember, queryRows, uniq } from '../../support/harness.js';
import { create, detailOf, get, input, lastEntry, NOW, TODAY } from './fixtures.js';

test.override({ clockAt: NOW });

const notice = (provisionId: string, reference: string, kind = 'ofsted-restriction' as const) =>
  input({ provisionId }, kind, { regulatorReference: reference, effectiveFrom: TODAY });

describe('restrictions.create: a regulator notice already relayed', () => {
  test('joins the existing record: the same id, joined, the relayer listed, a version and an audit entry', async ({
    h,
  }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const reference = `OF-${uniq()}`;
    const made = await create(h, first.officer, notice(provision.id, reference));
    expect(made.joined).toBe(false);
    expect(made.relayers?.map((r) => r.authorityId)).toEqual([first.id]);

    const joined = detailOf(
      await h.caller(second.officer).restrictions.create(notice(provision.id, reference)),
    );
    expect(joined.id).toBe(made.id);
    expect(joined.joined).toBe(true);
    expect(joined.version).toBe(made.version + 1);
    expect(joined.issuerAuthorityId).toBe(first.id);
    expect(joined.relayers?.map((r) => r.authorityId)).toEqual([first.id, second.id]);
    expect(joined.relayers?.[1]?.authority).toEqual({ id: second.id, name: `Council ${second.id}` });
    expect(joined.history.at(-1)).toMatchObject({
      change: 'relayed',
      byAuthorityId: second.id,
      note: `relayed also by Council ${second.id} (${second.id})`,
    });
    expect(await lastEntry(h, second)).toMatchObject({
      action: 'restriction.relay',
      recordIds: [made.id],
      basis: 'relayer',
    });
    const counted = await queryRows<{ n: number }>(
      h.hub.database.db,
      sql`select count(*)::int as n from restrictions where regulator_reference = ${reference}`,
    );
    expect(counted[0]?.n).toBe(1);

    // The relayer reads the record in detail; a member without need-to-know sees the summary, relayers and all.
    expect(detailOf(await get(h, second, made.id)).relayers?.map((r) => r.authorityId)).toEqual([
      first.id,
      second.id,
    ]);
    const bystander = await makeMember(h, 'bystander');
    const seen = await get(h, bystander, made.id);
    expect(seen.layer).toBe('summary');
    expect(seen.layer !== 'signal' && seen.relayers?.map((r) => r.authorityId)).toEqual([
      first.id,
      second.id,
    ]);

    // Relaying again changes nothing: the same record, no new version.
    const again = detailOf(
      await h.caller(second.officer).restrictions.create(notice(provision.id, reference)),
    );
    expect(again).toMatchObject({ id: made.id, joined: true, version: joined.version });
  });

  test('distinct references, or the same reference on another setting, make distinct records', async ({
    h,
  }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const other = await h.makeProvision();
    const a = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const b = await create(h, second.officer, notice(provision.id, `OF-${uniq()}`));
    const c = await create(h, second.officer, notice(other.id, a.regulatorReference!));
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect([a.joined, b.joined, c.joined]).toEqual([false, false, false]);
  });

  test('the same reference relayed as another kind is refused, naming the record', async ({ h }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const e = await expectTRPCError(
      h
        .caller(second.officer)
        .restrictions.create(notice(provision.id, made.regulatorReference!, 'ofsted-suspension' as never)),
      'CONFLICT',
    );
    expect(e.message).toContain(made.id);
    expect(e.message).toMatch(/already recorded here as a ofsted-restriction/);
  });

  test('relays at the same moment make one record, every relayer on it', async ({ h }) => {
    const members = await Promise.all([1, 2, 3, 4].map((i) => makeMember(h, `racer${i}`)));
    const provision = await h.makeProvision();
    const reference = `OF-${uniq()}`;
    const answers = await Promise.all(
      members.map((m) => h.caller(m.officer).restrictions.create(notice(provision.id, reference))),
    );
    const ids = new Set(answers.map((a) => detailOf(a).id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => detailOf(a).joined === false)).toHaveLength(1);
    const rows = await queryRows<{ authority_id: string }>(
      h.hub.database.db,
      sql`select authority_id from restriction_relays where restriction_id = ${[...ids][0]!}`,
    );
    expect(rows.map((r) => r.authority_id).sort()).toEqual(members.map((m) => m.id).sort());
  });

  test('an idempotency key answers the first answer again', async ({ h }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const i = { ...notice(provision.id, made.regulatorReference!), idempotencyKey: `key-${uniq()}` };
    const once = detailOf(await h.caller(second.officer).restrictions.create(i));
    const twice = detailOf(await h.caller(second.officer).restrictions.create(i));
    expect(twice).toEqual(once);
    expect(detailOf(await get(h, first, made.id)).version).toBe(made.version + 1);
  });

  test('after the record is lifted, the same reference makes a new record', async ({ h }) => {
    const first = await makeMember(h, 'first');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    await h
      .caller(first.officer)
      .restrictions.lift({ id: made.id, version: made.version, reason: 'Ofsted lifted the restriction' });
    const again = await create(h, first.officer, notice(provision.id, made.regulatorReference!));
    expect(again.id).not.toBe(made.id);
    expect(again.joined).toBe(false);
  });

  test('POST /restrictions answers 201 for a new record and 200 when it joined one', async ({ h }) => {
    const first = await h.makeAuthority({ id: `first-${uniq()}` });
    const second = await h.makeAuthority({ id: `second-${uniq()}` });
    const provision = await h.makeProvision();
    const body = notice(provision.id, `OF-${uniq()}`);
    const post = async (authorityId: string) => {
      const { token } = await h.makeClientWithToken(authorityId, 'officer');
      const res = await fetch(`${h.baseUrl}${REST_PREFIX}/restrictions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id: string; joined: boolean } };
    };
    const made = await post(first.id);
    expect(made.status).toBe(201);
    expect(made.body.joined).toBe(false);
    const joined = await post(second.id);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ id: made.body.id, joined: true });
  });
});

describe('a regulator notice is public', () => {
  test('restricted=true is refused on create and on update', async ({ h }) => {
    const first = await makeMember(h, 'first');
    const provision = await h.makeProvision();
    const e = await expectTRPCError(
      h
        .caller(first.officer)
        .restrictions.create({ ...notice(provision.id, `OF-${uniq()}`), restricted: true }),
      'BAD_REQUEST',
    );
    expect(e.message).toMatch(/public regulator information/);
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const u = await expectTRPCError(
      h.caller(first.officer).restrictions.update({ id: made.id, version: made.version, restricted: true }),
      'BAD_REQUEST',
    );
    expect(u.message).toMatch(/cannot be restricted/);
    // A member's own restriction may still be restricted.
    const own = await create(h, first.officer, {
      ...input({ provisionId: provision.id }, 'action-plan'),
      restricted: true,
    });
    expect(own.restricted).toBe(true);
  });
});

describe('restrictions.lift and update: any relayer, no one else', () => {
  test('a relayer that did not make the record lifts it; who lifted it and why are kept', async ({ h }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const joined = detailOf(
      await h.caller(second.officer).restrictions.create(notice(provision.id, made.regulatorReference!)),
    );
    const lifted = detailOf(
      await h.caller(second.officer).restrictions.lift({
        id: made.id,
        version: joined.version,
        reason: 'Ofsted lifted the restriction on 15 June',
      }),
    );
    expect(lifted).toMatchObject({
      status: 'lifted',
      liftedOn: TODAY,
      liftedReason: 'Ofsted lifted the restriction on 15 June',
      liftedByAuthorityId: second.id,
      liftedByAuthority: { id: second.id, name: `Council ${second.id}` },
    });
    expect(lifted.history.at(-1)).toMatchObject({ change: 'lifted', byAuthorityId: second.id });
    expect(await lastEntry(h, second)).toMatchObject({ action: 'restriction.lift', basis: 'relayer' });
  });

  test('a relayer may update it; an authority that did not relay it may neither update nor lift it', async ({
    h,
  }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const stranger = await makeMember(h, 'stranger');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    const joined = detailOf(
      await h.caller(second.officer).restrictions.create(notice(provision.id, made.regulatorReference!)),
    );
    const updated = detailOf(
      await h.caller(second.officer).restrictions.update({
        id: made.id,
        version: joined.version,
        reviewOn: '2026-08-01',
        note: 'Ofsted set the review date',
      }),
    );
    expect(updated.reviewOn).toBe('2026-08-01');
    const e1 = await expectTRPCError(
      h
        .caller(stranger.officer)
        .restrictions.lift({ id: made.id, version: updated.version, reason: 'not ours to lift' }),
      'FORBIDDEN',
    );
    expect(e1.message).toMatch(/relayed this regulator notice/);
    await expectTRPCError(
      h
        .caller(stranger.officer)
        .restrictions.update({ id: made.id, version: updated.version, reviewOn: '2026-09-01' }),
      'FORBIDDEN',
    );
    expect(detailOf(await get(h, first, made.id))).toMatchObject({
      liftedOn: null,
      version: updated.version,
    });
  });

  test("a member's own restriction is still lifted only by its issuer", async ({ h }) => {
    const first = await makeMember(h, 'first');
    const second = await makeMember(h, 'second');
    const provision = await h.makeProvision();
    const own = await create(h, first.officer, input({ provisionId: provision.id }, 'embargo'));
    expect(own.relayers).toEqual([]);
    const e = await expectTRPCError(
      h.caller(second.officer).restrictions.lift({ id: own.id, version: own.version, reason: 'not ours' }),
      'FORBIDDEN',
    );
    expect(e.message).toMatch(/only the issuing authority/);
  });
});

describe('placement check: a regulator notice for everyone', () => {
  test('an Ofsted restriction of accommodation is do-not-place for every member, with its reference where read in detail', async ({
    h,
  }) => {
    const first = await makeMember(h, 'first');
    const bystander = await makeMember(h, 'bystander');
    const provision = await h.makeProvision();
    const made = await create(h, first.officer, notice(provision.id, `OF-${uniq()}`));
    for (const [who, message] of [
      [
        first,
        `Ofsted has restricted accommodation (reference ${made.regulatorReference}): no new placements`,
      ],
      [bystander, 'Ofsted has restricted accommodation: no new placements'],
    ] as const) {
      const check = await h.caller(who.officer).checks.placement({ provisionId: provision.id });
      expect(check.verdict).toBe('do-not-place');
      expect(check.reasons).toContainEqual(
        expect.objectContaining({
          code: 'ofsted-restriction',
          verdict: 'do-not-place',
          message,
          recordId: made.id,
        }),
      );
    }
  });
});
