// Member authorities: the hub-admin admits and updates them; every member can list and get them,
// and ask who it is (authorities.me).
import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { expectTRPCError, queryRows, type Harness, test } from '../../support/harness.js';

const admin = (h: Harness) => h.caller(h.hubAdmin);

describe('authorities.create / get / list', () => {
  test('admits an authority and returns the stored record', async ({ h }) => {
    const created = await admin(h).authorities.create({
      id: 'medway',
      name: 'Medway Council',
      gssCode: 'E06000035',
      region: 'south-east',
      qaInbox: 'qa@medway.example.gov.uk',
    });
    expect(created).toMatchObject({
      id: 'medway',
      name: 'Medway Council',
      gssCode: 'E06000035',
      region: 'south-east',
      status: 'active',
      qaInbox: 'qa@medway.example.gov.uk',
      isHost: false,
      version: 1,
    });
    const viewer = (await h.makeClient('medway', 'viewer')).principal;
    expect(await h.caller(viewer).authorities.get({ id: 'medway' })).toEqual(created);
  });

  test('lists every authority, the host included, ordered by name', async ({ h }) => {
    const a = await h.makeAuthority({ name: 'Aardvark Borough Council' });
    const z = await h.makeAuthority({ name: 'Zzyzx County Council' });
    const viewer = (await h.makeClient(a.id, 'viewer')).principal;
    const list = await h.caller(viewer).authorities.list();
    const listed = list.map((x) => x.id);
    expect(listed).toContain(h.hostAuthorityId);
    expect(listed).toContain(a.id);
    expect(listed).toContain(z.id);
    expect(list.filter((x) => x.isHost).map((x) => x.id)).toEqual([h.hostAuthorityId]);
    const names = list.map((x) => x.name);
    expect(names.indexOf(a.name)).toBeLessThan(names.indexOf(z.name));
    expect(list.find((x) => x.id === a.id)).toEqual(a);
  });

  test('filters the list by membership status', async ({ h }) => {
    const s = await h.makeAuthority();
    await admin(h).authorities.update({ id: s.id, version: 1, status: 'suspended' });
    const suspended = await admin(h).authorities.list({ status: 'suspended' });
    expect(suspended.map((x) => x.id)).toContain(s.id);
    expect(suspended.every((x) => x.status === 'suspended')).toBe(true);
    const active = await admin(h).authorities.list({ status: 'active' });
    expect(active.map((x) => x.id)).not.toContain(s.id);
    expect(active.map((x) => x.id)).toContain(h.hostAuthorityId);
  });

  test('answers NOT_FOUND for an unknown authority', async ({ h }) => {
    const err = await expectTRPCError(admin(h).authorities.get({ id: 'atlantis' }), 'NOT_FOUND');
    expect(err.message).toContain('atlantis');
  });

  test('refuses a duplicate id with CONFLICT naming it', async ({ h }) => {
    const a = await h.makeAuthority();
    const err = await expectTRPCError(
      admin(h).authorities.create({ id: a.id, name: 'Impostor', region: 'london', qaInbox: 'x@example.org' }),
      'CONFLICT',
    );
    expect(err.message).toContain(a.id);
    expect(await admin(h).authorities.get({ id: a.id })).toEqual(a);
  });

  test('refuses a duplicate GSS code with CONFLICT naming the code, on create and on update', async ({
    h,
  }) => {
    await h.makeAuthority({ gssCode: 'E08000021' });
    const err = await expectTRPCError(h.makeAuthority({ gssCode: 'E08000021' }), 'CONFLICT');
    expect(err.message).toContain('GSS code E08000021');

    const other = await h.makeAuthority({ gssCode: 'E08000022' });
    const err2 = await expectTRPCError(
      admin(h).authorities.update({ id: other.id, version: 1, gssCode: 'E08000021' }),
      'CONFLICT',
    );
    expect(err2.message).toContain('GSS code E08000021');
    expect(await admin(h).authorities.get({ id: other.id })).toEqual(other);
  });

  test('allows many authorities without a GSS code', async ({ h }) => {
    const a = await h.makeAuthority();
    const b = await h.makeAuthority();
    expect([a.gssCode, b.gssCode]).toEqual([null, null]);
  });

  test('refuses invalid input with BAD_REQUEST', async ({ h }) => {
    const base = { name: 'Bad', region: 'london' as const, qaInbox: 'qa@bad.example.org' };
    await expectTRPCError(admin(h).authorities.create({ ...base, id: 'Not A Slug' }), 'BAD_REQUEST');
    await expectTRPCError(
      admin(h).authorities.create({ ...base, id: 'bad-gss', gssCode: 'W06000001' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      admin(h).authorities.create({ ...base, id: 'bad-inbox', qaInbox: 'nobody' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(admin(h).authorities.get({ id: 'bad-gss' }), 'NOT_FOUND');
  });
});

describe('authorities.update', () => {
  test('updates with the current version, incrementing it', async ({ h }) => {
    const a = await h.makeAuthority({ gssCode: 'E06000036' });
    const v2 = await admin(h).authorities.update({
      id: a.id,
      version: 1,
      name: 'Renamed Council',
      region: 'north-west',
      qaInbox: 'new-qa@example.gov.uk',
    });
    expect(v2).toMatchObject({
      id: a.id,
      name: 'Renamed Council',
      region: 'north-west',
      qaInbox: 'new-qa@example.gov.uk',
      gssCode: 'E06000036',
      status: 'active',
      version: 2,
    });
    expect(v2.createdAt).toBe(a.createdAt);
    const v3 = await admin(h).authorities.update({ id: a.id, version: 2, gssCode: null });
    expect(v3).toMatchObject({ gssCode: null, name: 'Renamed Council', version: 3 });
    expect(await admin(h).authorities.get({ id: a.id })).toEqual(v3);
  });

  test('refuses a stale version with CONFLICT naming the current version, and changes nothing', async ({
    h,
  }) => {
    const a = await h.makeAuthority();
    const v2 = await admin(h).authorities.update({ id: a.id, version: 1, name: 'Second Name' });
    const err = await expectTRPCError(
      admin(h).authorities.update({ id: a.id, version: 1, name: 'Lost Write', status: 'left' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/current version is 2\b/);
    expect(await admin(h).authorities.get({ id: a.id })).toEqual(v2);
  });

  test('suspends an ordinary member', async ({ h }) => {
    const a = await h.makeAuthority();
    const s = await admin(h).authorities.update({ id: a.id, version: 1, status: 'suspended' });
    expect(s).toMatchObject({ status: 'suspended', version: 2 });
    const back = await admin(h).authorities.update({ id: a.id, version: 2, status: 'active' });
    expect(back).toMatchObject({ status: 'active', version: 3 });
  });

  test('refuses to suspend or remove the host authority (FORBIDDEN), changing nothing', async ({ h }) => {
    const host = await admin(h).authorities.get({ id: h.hostAuthorityId });
    expect(host.isHost).toBe(true);
    for (const status of ['suspended', 'left'] as const) {
      const err = await expectTRPCError(
        admin(h).authorities.update({ id: host.id, version: host.version, status }),
        'FORBIDDEN',
      );
      expect(err.message).toMatch(/host authority/);
    }
    expect(await admin(h).authorities.get({ id: host.id })).toEqual(host);

    // Its other details may change.
    const renamed = await admin(h).authorities.update({
      id: host.id,
      version: host.version,
      name: 'The Host',
    });
    expect(renamed).toMatchObject({
      name: 'The Host',
      status: 'active',
      isHost: true,
      version: host.version + 1,
    });
  });

  test('answers NOT_FOUND for an unknown authority', async ({ h }) => {
    await expectTRPCError(
      admin(h).authorities.update({ id: 'atlantis', version: 1, name: 'x' }),
      'NOT_FOUND',
    );
  });
});

describe('system.ping', () => {
  test('answers who the token speaks for and the hub clock, and writes nothing to the audit trail', async ({
    h,
  }) => {
    const a = await h.makeAuthority();
    const client = await h.makeClient(a.id, 'viewer');
    const audited = async () =>
      (await queryRows<{ n: number }>(h.hub.database.db, sql`select count(*)::int as n from audit_log`))[0]
        ?.n;
    const before = await audited();
    const pong = await h.caller(client.principal).system.ping();
    expect(pong).toMatchObject({ ok: true, authorityId: a.id, clientId: client.principal.clientId });
    expect(Math.abs(Date.parse(pong.at) - Date.now())).toBeLessThan(60_000);
    expect(await audited()).toBe(before);
  });
});

describe('authorities.me', () => {
  test("returns the caller's authority and its own client record, without any secret", async ({ h }) => {
    const a = await h.makeAuthority();
    const client = await h.makeClient(a.id, 'officer', 'Case tool');
    const me = await h.caller(client.principal).authorities.me();
    expect(me.authority).toEqual(a);
    expect(me.client).toEqual(client.client);
    expect(me.client).toMatchObject({
      id: client.principal.clientId,
      authorityId: a.id,
      role: 'officer',
      name: 'Case tool',
    });
    const json = JSON.stringify(me);
    expect(json).not.toContain(client.clientSecret);
    expect(json).not.toMatch(/secret/i);
  });

  test('answers for the hub-admin with the host authority', async ({ h }) => {
    const me = await admin(h).authorities.me();
    expect(me.authority).toMatchObject({ id: h.hostAuthorityId, isHost: true });
    expect(me.client).toMatchObject({ id: h.hubAdmin.clientId, role: 'hub-admin' });
  });
});
