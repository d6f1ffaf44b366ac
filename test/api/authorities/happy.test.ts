// Member authorities, what works: the hub-admin admits and updates them; every member can list and get
// them, and ask who it is (authorities.me) or ping the hub (system.ping).
import { describe, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows, type Harness, test } from '../../support/harness.js';

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

  test('allows many authorities without a GSS code', async ({ h }) => {
    const a = await h.makeAuthority();
    const b = await h.makeAuthority();
    expect([a.gssCode, b.gssCode]).toEqual([null, null]);
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

  test('suspends an ordinary member', async ({ h }) => {
    const a = await h.makeAuthority();
    const s = await admin(h).authorities.update({ id: a.id, version: 1, status: 'suspended' });
    expect(s).toMatchObject({ status: 'suspended', version: 2 });
    const back = await admin(h).authorities.update({ id: a.id, version: 2, status: 'active' });
    expect(back).toMatchObject({ status: 'active', version: 3 });
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
  test('answers for the hub-admin with the host authority', async ({ h }) => {
    const me = await admin(h).authorities.me();
    expect(me.authority).toMatchObject({ id: h.hostAuthorityId, isHost: true });
    expect(me.client).toMatchObject({ id: h.hubAdmin.clientId, role: 'hub-admin' });
  });
});
