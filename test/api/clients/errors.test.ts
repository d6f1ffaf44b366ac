// API clients, refusals: an unknown authority (NOT_FOUND), an inactive one (FORBIDDEN), and revoking the
// last active hub-admin client (CONFLICT).
import { describe, expect } from 'vitest';
import type { Client } from '@ccx/schema';
import { expectTRPCError, type Harness, test } from '../../support/harness.js';

const hub = (h: Harness) => h.caller(h.hubAdmin);

describe('clients.create', () => {
  test('refuses an unknown authority (NOT_FOUND) and an inactive one (FORBIDDEN)', async ({ h }) => {
    await expectTRPCError(
      hub(h).clients.create({ authorityId: 'atlantis', name: 'Nobody', role: 'viewer' }),
      'NOT_FOUND',
    );
    const s = await h.makeAuthority();
    await hub(h).authorities.update({ id: s.id, version: s.version, status: 'suspended' });
    const err = await expectTRPCError(
      hub(h).clients.create({ authorityId: s.id, name: 'Too late', role: 'viewer' }),
      'FORBIDDEN',
    );
    expect(err.message).toMatch(/suspended/);
    expect(await hub(h).clients.list({ authorityId: s.id })).toEqual([]);
  });
});

describe('clients.revoke', () => {
  test('never revokes the last active hub-admin client (CONFLICT)', async ({ h }) => {
    const activeHubAdmins = async (): Promise<Client[]> =>
      (await hub(h).clients.list()).filter((c) => c.role === 'hub-admin' && c.status === 'active');

    // The bootstrap client, the harness's test hub-admin and any made above: revoke all but the caller's own.
    const before = await activeHubAdmins();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.map((c) => c.name)).toContain('Bootstrap hub-admin');
    for (const c of before) if (c.id !== h.hubAdmin.clientId) await hub(h).clients.revoke({ id: c.id });
    expect((await activeHubAdmins()).map((c) => c.id)).toEqual([h.hubAdmin.clientId]);

    const err = await expectTRPCError(hub(h).clients.revoke({ id: h.hubAdmin.clientId }), 'CONFLICT');
    expect(err.message).toMatch(/last active hub-admin/);
    expect((await activeHubAdmins()).map((c) => c.id)).toEqual([h.hubAdmin.clientId]);

    // With a successor in place, the old one can go.
    const successor = await hub(h).clients.create({ name: 'Successor', role: 'hub-admin' });
    const revoked = await hub(h).clients.revoke({ id: h.hubAdmin.clientId });
    expect(revoked.status).toBe('revoked');
    expect((await activeHubAdmins()).map((c) => c.id)).toEqual([successor.client.id]);
    const last = await expectTRPCError(
      h.caller({ ...h.hubAdmin, clientId: successor.client.id }).clients.revoke({ id: successor.client.id }),
      'CONFLICT',
    );
    expect(last.message).toMatch(/last active hub-admin/);
  });
});
