// Member authorities, who may do what: not even the hub-admin may suspend or remove the host authority,
// and authorities.me never shows a secret.
import { describe, expect } from 'vitest';
import { expectTRPCError, type Harness, test } from '../../support/harness.js';

const admin = (h: Harness) => h.caller(h.hubAdmin);

describe('authorities.update', () => {
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
});
