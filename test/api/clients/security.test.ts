// API clients, who may do what: an authority's admin manages only its own and no role above its own; the
// hub-admin role lives only on the host authority. Secrets are shown once and never listed.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, queryRows, type Harness, test } from '../../support/harness.js';

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
const secretHashes = async (h: Harness) =>
  (await queryRows<{ secret_hash: string }>(h.db, sql`select secret_hash from clients`)).map(
    (r) => r.secret_hash,
  );

describe('clients.create', () => {
  test('refuses an authority admin creating a client for another authority (FORBIDDEN), creating nothing', async ({
    h,
  }) => {
    const before = await hub(h).clients.list({ authorityId: b });
    const err = await expectTRPCError(
      h.caller(adminA).clients.create({ authorityId: b, name: 'Intruder', role: 'viewer' }),
      'FORBIDDEN',
    );
    expect(err.message).toMatch(/own authority/);
    expect(await hub(h).clients.list({ authorityId: b })).toEqual(before);
  });

  test('refuses an authority admin creating a hub-admin client (FORBIDDEN)', async ({ h }) => {
    const err = await expectTRPCError(
      h.caller(adminA).clients.create({ name: 'Escalation', role: 'hub-admin' }),
      'FORBIDDEN',
    );
    expect(err.message).toMatch(/hub-admin/);
    expect((await hub(h).clients.list({ authorityId: a })).map((c) => c.name)).not.toContain('Escalation');
  });

  test("refuses the host authority's own admin creating a hub-admin client: no role above one's own", async ({
    h,
  }) => {
    const hostAdmin = (await h.makeClient(h.hostAuthorityId, 'admin', 'Host admin')).principal;
    const err = await expectTRPCError(
      h.caller(hostAdmin).clients.create({ name: 'Escalation on the host', role: 'hub-admin' }),
      'FORBIDDEN',
    );
    expect(err.message).toMatch(/higher role/);
    const active = (await hub(h).clients.list({ authorityId: h.hostAuthorityId })).map((c) => c.name);
    expect(active).not.toContain('Escalation on the host');
    // Its own role and below are fine.
    const ok = await h.caller(hostAdmin).clients.create({ name: 'Host officer', role: 'officer' });
    expect(ok.client).toMatchObject({ authorityId: h.hostAuthorityId, role: 'officer' });
  });

  test('creates hub-admin clients only on the host authority', async ({ h }) => {
    const err = await expectTRPCError(
      hub(h).clients.create({ authorityId: b, name: 'Misplaced hub-admin', role: 'hub-admin' }),
      'FORBIDDEN',
    );
    expect(err.message).toMatch(/host authority/);
    const ok = await hub(h).clients.create({
      authorityId: h.hostAuthorityId,
      name: 'Second hub-admin',
      role: 'hub-admin',
    });
    expect(ok.client).toMatchObject({ authorityId: h.hostAuthorityId, role: 'hub-admin', status: 'active' });
    // With no authority named, the hub-admin's own (the host) is meant.
    const own = await hub(h).clients.create({ name: 'Third hub-admin', role: 'hub-admin' });
    expect(own.client.authorityId).toBe(h.hostAuthorityId);
  });
});

describe('clients.list', () => {
  test("shows an authority admin only its own authority's clients", async ({ h }) => {
    const mine = await h.caller(adminA).clients.create({ name: 'Listed A', role: 'officer' });
    const theirs = await h.caller(adminB).clients.create({ name: 'Listed B', role: 'officer' });
    const list = await h.caller(adminA).clients.list();
    expect(list.length).toBeGreaterThan(1);
    expect(list.every((c) => c.authorityId === a)).toBe(true);
    expect(list.map((c) => c.id)).toContain(mine.client.id);
    expect(list.map((c) => c.id)).toContain(adminA.clientId);
    expect(list.map((c) => c.id)).not.toContain(theirs.client.id);
    expect(await h.caller(adminA).clients.list({ authorityId: a })).toEqual(list);
  });

  test("refuses an authority admin listing another authority's clients (FORBIDDEN)", async ({ h }) => {
    await expectTRPCError(h.caller(adminA).clients.list({ authorityId: b }), 'FORBIDDEN');
  });

  test('never returns a secret or a secret hash; the secret is returned once, at creation', async ({ h }) => {
    const created = await h.caller(adminA).clients.create({ name: 'Secretive', role: 'viewer' });
    const hashes = await secretHashes(h);
    expect(hashes.length).toBeGreaterThan(3);
    const lists = [await h.caller(adminA).clients.list(), await hub(h).clients.list()];
    for (const list of lists) {
      const json = JSON.stringify(list);
      for (const hash of hashes) expect(json).not.toContain(hash);
      expect(json).not.toContain(created.clientSecret);
      for (const c of list) {
        expect(Object.keys(c).sort()).toEqual(
          [
            'authority',
            'authorityId',
            'createdAt',
            'id',
            'lastUsedAt',
            'name',
            'revokedAt',
            'role',
            'status',
          ].sort(),
        );
      }
    }
    expect(lists[0]!.find((c) => c.id === created.client.id)).toEqual(created.client);
    // Nor is it stored: only its hash is.
    expect(hashes).not.toContain(created.clientSecret);
  });
});

describe('clients.revoke', () => {
  test("answers NOT_FOUND when an authority admin revokes another authority's client, which stays active", async ({
    h,
  }) => {
    const { client } = await h.caller(adminB).clients.create({ name: 'B tool', role: 'officer' });
    const err = await expectTRPCError(h.caller(adminA).clients.revoke({ id: client.id }), 'NOT_FOUND');
    // The same answer as for a client that does not exist: its existence is not A's business.
    const unknown = 'ccx_00000000000000000000';
    const err2 = await expectTRPCError(h.caller(adminA).clients.revoke({ id: unknown }), 'NOT_FOUND');
    expect(err.message.replace(client.id, 'X')).toBe(err2.message.replace(unknown, 'X'));
    const still = (await h.caller(adminB).clients.list()).find((c) => c.id === client.id);
    expect(still?.status).toBe('active');
  });
});
