// API clients, what works: an authority's admin creates, lists and revokes its own; the hub-admin manages
// all. Each client gets a secret of its own.
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { type Harness, test } from '../../support/harness.js';

let a: string;
let b: string;
let adminA: Principal;
let adminB: Principal;
test.beforeAll(async ({ h }) => {
  a = (await h.makeAuthority()).id;
  b = (await h.makeAuthority()).id;
  adminA = (await h.makeClient(a, 'admin', 'A admin')).principal;
  adminB = (await h.makeClient(b, 'admin', 'B admin')).principal;
});

const hub = (h: Harness) => h.caller(h.hubAdmin);

describe('clients.create', () => {
  test('lets an authority admin create viewer, officer and admin clients for its own authority', async ({
    h,
  }) => {
    for (const role of ['viewer', 'officer', 'admin'] as const) {
      const created = await h.caller(adminA).clients.create({ name: `A ${role} tool`, role });
      expect(created.client).toMatchObject({
        authorityId: a,
        name: `A ${role} tool`,
        role,
        status: 'active',
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(created.client.id).toMatch(/^ccx_[a-z0-9]{20}$/);
      expect(created.clientSecret.length).toBeGreaterThanOrEqual(32);
    }
    // Naming its own authority explicitly is the same.
    const explicit = await h
      .caller(adminA)
      .clients.create({ authorityId: a, name: 'A explicit', role: 'viewer' });
    expect(explicit.client.authorityId).toBe(a);
  });

  test('gives every client its own secret', async ({ h }) => {
    const one = await h.caller(adminA).clients.create({ name: 'One', role: 'viewer' });
    const two = await h.caller(adminA).clients.create({ name: 'Two', role: 'viewer' });
    expect(one.clientSecret).not.toBe(two.clientSecret);
    expect(one.client.id).not.toBe(two.client.id);
  });

  test('lets the hub-admin create clients of any role below hub-admin for any member authority', async ({
    h,
  }) => {
    for (const role of ['viewer', 'officer', 'admin'] as const) {
      const created = await hub(h).clients.create({ authorityId: b, name: `B ${role} by hub`, role });
      expect(created.client).toMatchObject({ authorityId: b, role, status: 'active' });
    }
  });
});

describe('clients.list', () => {
  test("shows the hub-admin every client, or one authority's", async ({ h }) => {
    const all = await hub(h).clients.list();
    const authorities = new Set(all.map((c) => c.authorityId));
    expect(authorities).toContain(a);
    expect(authorities).toContain(b);
    expect(authorities).toContain(h.hostAuthorityId);
    const onlyB = await hub(h).clients.list({ authorityId: b });
    expect(onlyB.length).toBeGreaterThan(0);
    expect(onlyB.every((c) => c.authorityId === b)).toBe(true);
    expect(onlyB).toEqual(all.filter((c) => c.authorityId === b));
  });
});

describe('clients.revoke', () => {
  test('lets an authority admin revoke its own client; revoking again changes nothing', async ({ h }) => {
    const { client } = await h.caller(adminA).clients.create({ name: 'Short-lived', role: 'viewer' });
    const revoked = await h.caller(adminA).clients.revoke({ id: client.id });
    expect(revoked).toMatchObject({ id: client.id, status: 'revoked' });
    expect(revoked.revokedAt).not.toBeNull();
    const again = await h.caller(adminA).clients.revoke({ id: client.id });
    expect(again).toEqual(revoked);
    const listed = (await h.caller(adminA).clients.list()).find((c) => c.id === client.id);
    expect(listed).toEqual(revoked);
  });

  test("lets the hub-admin revoke any authority's client", async ({ h }) => {
    const { client } = await h.caller(adminB).clients.create({ name: 'B tool 2', role: 'viewer' });
    expect(await hub(h).clients.revoke({ id: client.id })).toMatchObject({ status: 'revoked' });
  });
});
