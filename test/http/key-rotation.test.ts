// Signing keys: rotation signs new tokens with the new key while earlier tokens keep working, the
// JWKS publishes both, and the key lives in the database so a restarted hub keeps using it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect } from 'vitest';
import { bootstrap, createHub, loadConfig, openDatabase } from '@ccx/server';
import { insertClient, openTestDatabase } from '@ccx/server/testing';
import { httpTest as test, type HttpHarness } from '../support/http.js';

let authorityId: string;
let officer: { id: string; secret: string };

test.beforeAll(async ({ h }) => {
  authorityId = (await h.makeAuthority()).id;
  const created = await h.makeClient(authorityId, 'officer');
  officer = { id: created.client.id, secret: created.clientSecret };
});

const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const fetchJwks = async (h: HttpHarness) =>
  (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
const meStatus = async (h: HttpHarness, token: string) =>
  (await h.trpcGet('authorities.me', `Bearer ${token}`)).status;

describe('the JWKS', () => {
  test('publishes public ES256 signing keys only, cacheably', async ({ h }) => {
    const res = await fetch(`${h.baseUrl}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const jwks = (await res.json()) as JSONWebKeySet;
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        kid: expect.any(String) as string,
      });
      // No private part of the key, ever.
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
  });
});

describe('hub.keys.rotate()', () => {
  test('signs new tokens with the new key, keeps earlier tokens working, and publishes both keys', async ({
    h,
  }) => {
    const before = await h.getToken(officer.id, officer.secret);
    const oldKid = kidOf(before);
    expect(oldKid).toBe((await h.hub.keys.signingKey()).kid);

    const newKid = await h.hub.keys.rotate();
    expect(newKid).not.toBe(oldKid);

    const after = await h.getToken(officer.id, officer.secret);
    expect(kidOf(after)).toBe(newKid);

    expect(await meStatus(h, before)).toBe(200);
    expect(await meStatus(h, after)).toBe(200);

    const jwks = await fetchJwks(h);
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));

    // A third party holding only the published JWKS can verify both tokens.
    const keySet = createLocalJWKSet(jwks);
    for (const token of [before, after]) {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: h.config.issuer,
        audience: h.config.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(payload.sub).toBe(officer.id);
    }

    const keys = await h.hub.keys.list();
    expect(keys.find((k) => k.kid === oldKid)).toMatchObject({
      status: 'retired',
      retiredAt: expect.any(String) as string,
    });
    expect(keys.find((k) => k.kid === newKid)).toMatchObject({ status: 'active', retiredAt: null });
    expect(keys.filter((k) => k.status === 'active')).toHaveLength(1);
  });

  test('can rotate again; every key still in its grace period keeps verifying', async ({ h }) => {
    const tokens = [await h.getToken(officer.id, officer.secret)];
    for (let i = 0; i < 2; i++) {
      await h.hub.keys.rotate();
      tokens.push(await h.getToken(officer.id, officer.secret));
    }
    expect(new Set(tokens.map(kidOf)).size).toBe(3);
    for (const token of tokens) expect(await meStatus(h, token)).toBe(200);
    const published = (await fetchJwks(h)).keys.map((k) => k.kid);
    for (const token of tokens) expect(published).toContain(kidOf(token));
  });
});

describe('the signing key persists', () => {
  test('for a second hub on the same database, which neither makes a new key nor changes the active one', async ({
    h,
  }) => {
    const keysBefore = await h.hub.keys.list();
    const { kid } = await h.hub.keys.signingKey();
    const tokenFromFirst = await h.getToken(officer.id, officer.secret);

    // Closing a hub closes its database, which the first hub still uses: this one is never closed.
    const second = await createHub({ config: h.config, database: h.hub.database });
    expect((await second.keys.signingKey()).kid).toBe(kid);
    expect(await second.keys.list()).toEqual(keysBefore);

    expect(await second.verifyToken(tokenFromFirst)).toMatchObject({ principal: { clientId: officer.id } });
    const { token: tokenFromSecond } = await second.tokens.issue({
      clientId: officer.id,
      authorityId,
      role: 'officer',
    });
    expect(kidOf(tokenFromSecond)).toBe(kid);
    expect(await meStatus(h, tokenFromSecond)).toBe(200);
  });

  test('across a restart of a hub on an on-disk database', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-restart-'));
    try {
      const config = loadConfig({ CCX_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
      const first = await createHub({ config, database: await openDatabase({ kind: 'pglite', dataDir }) });
      const { kid } = await first.keys.signingKey();
      const { hostAuthorityId } = await bootstrap(first);
      const { client } = await insertClient(first.database.db, {
        authorityId: hostAuthorityId,
        name: 'restart test',
        role: 'viewer',
        createdBy: null,
      });
      const { token } = await first.tokens.issue({
        clientId: client.id,
        authorityId: hostAuthorityId,
        role: 'viewer',
      });
      await first.close();

      const second = await createHub({ config, database: await openDatabase({ kind: 'pglite', dataDir }) });
      try {
        expect((await second.keys.signingKey()).kid).toBe(kid);
        expect(await second.keys.list()).toHaveLength(1);
        expect(await second.verifyToken(token)).toMatchObject({
          principal: { clientId: client.id, role: 'viewer' },
        });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('when two hubs start at once on a new database: they agree on one key', async ({ h }) => {
    const database = await openTestDatabase();
    try {
      const [a, b] = await Promise.all([
        createHub({ config: h.config, database }),
        createHub({ config: h.config, database }),
      ]);
      expect((await a.keys.signingKey()).kid).toBe((await b.keys.signingKey()).kid);
      expect(await a.keys.list()).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
