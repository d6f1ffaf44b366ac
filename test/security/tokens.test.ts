// Bearer tokens on a tRPC call over real HTTP (OWASP API2): every kind of bad token is refused with
// the same 401, a Bearer challenge and no hint of why — but for a genuine token that has only expired,
// which is told so; a revoked client stops at once, a suspended authority is refused with its reason; a token replayed at another
// hub or after its client was revoked gets nowhere.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { describe, expect } from 'vitest';
import { httpTest as test, startHttpHarness, type HttpAnswer, type HttpHarness } from '../support/http.js';

const GENERIC_MESSAGE = 'the access token is not valid';
const GENERIC_CHALLENGE = `Bearer realm="ccx", error="invalid_token", error_description="${GENERIC_MESSAGE}"`;
const EXPIRED_MESSAGE = 'the access token has expired; get a new one from /oauth/token';
/** Words that would tell a caller why its token failed. */
const REASON_WORDS =
  /audience|\baud\b|issuer|\biss\b|\bkid\b|unknown|signature|\balg\b|algorithm|\bnone\b|HS256|\btyp\b|claim|revoked|suspended|inactive|malformed|ERR_J|JWS|JWT|timestamp|stack/i;

let authorityId: string;
let officer: { id: string; secret: string };
let validToken: string;
let realKid: string;
let realKey: CryptoKey;
/** The claims of a real token, to forge variants from. */
let realClaims: JWTPayload;
/** The refusal of a garbage token, the reference every other refusal must match. */
let reference: ReturnType<typeof comparable>;

type TrpcErrorBody = { error: { message: string; code: number; data: { code: string; httpStatus: number } } };

/** The parts of a refusal that must not vary with the reason (all but the request id and procedure path). */
const comparable = (answer: HttpAnswer) => {
  const body = structuredClone(answer.body) as { error: { data: Record<string, unknown> } };
  delete body.error.data.requestId;
  delete body.error.data.path;
  return { status: answer.status, challenge: answer.headers.get('www-authenticate'), body };
};

const me = (h: HttpHarness, authorization?: string) => h.trpcGet('authorities.me', authorization);
const bearer = (token: string) => `Bearer ${token}`;

/** Signs claims with a key and header of our choosing; defaults to a valid token of `officer`. */
const forge = async (opts: {
  key?: CryptoKey | Uint8Array;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const { iat: _iat, exp: _exp, ...rest } = realClaims;
  return new SignJWT({ ...rest, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...opts.claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: realKid, ...opts.header })
    .sign(opts.key ?? realKey);
};

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

const expectRefused = (answer: HttpAnswer) => {
  expect(answer.status, answer.text).toBe(401);
  const body = answer.body as TrpcErrorBody;
  expect(body.error.message).toBe(GENERIC_MESSAGE);
  expect(body.error.data.code).toBe('UNAUTHORIZED');
  expect(answer.headers.get('www-authenticate')).toBe(GENERIC_CHALLENGE);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  // Nothing but the generic message may explain the refusal; only a genuine token is called expired.
  expect(answer.text).not.toMatch(/expir/i);
  expect(answer.text).not.toMatch(REASON_WORDS);
  expect(comparable(answer)).toEqual(reference);
};

test.beforeAll(async ({ h }) => {
  authorityId = (await h.makeAuthority()).id;
  const created = await h.makeClient(authorityId, 'officer');
  officer = { id: created.client.id, secret: created.clientSecret };
  validToken = await h.getToken(officer.id, officer.secret);
  realClaims = decodeJwt(validToken);
  ({ kid: realKid, key: realKey } = await h.hub.keys.signingKey());
  expect(decodeProtectedHeader(validToken).kid).toBe(realKid);

  const garbage = await me(h, bearer('garbage'));
  expect(garbage.status).toBe(401);
  reference = comparable(garbage);
});

describe('a good token', () => {
  test('from the token endpoint is accepted', async ({ h }) => {
    const answer = await me(h, bearer(validToken));
    expect(answer.status, answer.text).toBe(200);
  });

  test('forged here with the hub’s real key and claims is accepted, so the refusals below are for their one flaw', async ({
    h,
  }) => {
    const answer = await me(h, bearer(await forge({})));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ result: { data: { client: { id: officer.id } } } });
  });
});

describe('the Bearer scheme', () => {
  test('is case-insensitive (RFC 7235 §2.1), as oauth4webapi reports token_type in lower case', async ({
    h,
  }) => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const answer = await me(h, `${scheme} ${validToken}`);
      expect(answer.status, `${scheme}: ${answer.text}`).toBe(200);
    }
  });
});

describe('no token', () => {
  test('is refused with 401 and a Bearer challenge without an error code (RFC 6750 §3.1)', async ({ h }) => {
    const answer = await me(h);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ccx"');
    expect((answer.body as TrpcErrorBody).error.data.code).toBe('UNAUTHORIZED');
  });
});

describe('an expired token', () => {
  const expired = () => {
    const now = Math.floor(Date.now() / 1000);
    return { iat: now - 7200, exp: now - 3600 };
  };

  test('that is genuine in every other respect is told it has expired, and where to get a new one', async ({
    h,
  }) => {
    const answer = await me(h, bearer(await forge({ claims: expired() })));
    expect(answer.status).toBe(401);
    expect((answer.body as TrpcErrorBody).error.message).toBe(EXPIRED_MESSAGE);
    expect(answer.headers.get('www-authenticate')).toBe(
      `Bearer realm="ccx", error="invalid_token", error_description="${EXPIRED_MESSAGE}"`,
    );
    expect(answer.text).not.toMatch(REASON_WORDS);
  });

  test('with any other flaw is only "not valid": forged, foreign, tampered or of a revoked client', async ({
    h,
  }) => {
    const { privateKey } = await generateKeyPair('ES256');
    expectRefused(await me(h, bearer(await forge({ key: privateKey, claims: expired() }))));
    expectRefused(await me(h, bearer(await forge({ claims: { ...expired(), aud: 'another-api' } }))));
    expectRefused(
      await me(h, bearer(await forge({ claims: { ...expired(), iss: 'https://idp.example.com' } }))),
    );
    expectRefused(await me(h, bearer(await forge({ header: { kid: 'no-such-key' }, claims: expired() }))));
    expectRefused(await me(h, bearer(await forge({ claims: { ...expired(), role: 'hub-admin' } }))));
    const victim = await h.makeClient(authorityId, 'viewer');
    const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    await h.trpc(admin.token).clients.revoke.mutate({ id: victim.client.id });
    expectRefused(
      await me(
        h,
        bearer(
          await forge({
            claims: { ...expired(), sub: victim.client.id, client_id: victim.client.id, role: 'viewer' },
          }),
        ),
      ),
    );
  });
});

describe('a bad token is refused with the same 401 whatever its flaw', () => {
  test('not yet valid (nbf an hour ahead)', async ({ h }) => {
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await me(h, bearer(await forge({ claims: { nbf: now + 3600 } }))));
  });

  test('for another audience', async ({ h }) => {
    expectRefused(await me(h, bearer(await forge({ claims: { aud: 'another-api' } }))));
  });

  test('from another issuer', async ({ h }) => {
    expectRefused(await me(h, bearer(await forge({ claims: { iss: 'https://idp.example.com' } }))));
  });

  test('without an expiry', async ({ h }) => {
    const token = await new SignJWT({ ...realClaims, exp: undefined })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: realKid })
      .sign(realKey);
    expect(decodeJwt(token).exp).toBeUndefined();
    expectRefused(await me(h, bearer(token)));
  });

  test('signed by an unknown key under its own kid', async ({ h }) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    expectRefused(await me(h, bearer(await forge({ key: privateKey, header: { kid } }))));
  });

  test('signed by an unknown key under the real kid', async ({ h }) => {
    const { privateKey } = await generateKeyPair('ES256');
    expectRefused(await me(h, bearer(await forge({ key: privateKey }))));
  });

  test('without a kid', async ({ h }) => {
    const token = await new SignJWT({ ...realClaims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .sign(realKey);
    expectRefused(await me(h, bearer(token)));
  });

  test('unsecured (alg: none), with or without a signature part', async ({ h }) => {
    const now = Math.floor(Date.now() / 1000);
    const header = encodeJson({ alg: 'none', typ: 'at+jwt', kid: realKid });
    const payload = encodeJson({ ...realClaims, iat: now, exp: now + 300, role: 'hub-admin' });
    expectRefused(await me(h, bearer(`${header}.${payload}.`)));
    expectRefused(await me(h, bearer(`${header}.${payload}`)));
    const realSignature = validToken.split('.')[2]!;
    expectRefused(await me(h, bearer(`${header}.${payload}.${realSignature}`)));
  });

  test('HS256 with the public key as the HMAC secret (key confusion), as JWK or PEM', async ({ h }) => {
    const jwks = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const publicJwk = jwks.keys.find((k) => k.kid === realKid)!;
    const pem = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const secrets = [JSON.stringify(publicJwk), pem, pem.trim(), publicJwk.x!];
    for (const secret of secrets) {
      const token = await forge({ key: new TextEncoder().encode(secret), header: { alg: 'HS256' } });
      expect(decodeProtectedHeader(token).alg).toBe('HS256');
      expectRefused(await me(h, bearer(token)));
    }
  });

  test('tampered (role raised to hub-admin, signature kept)', async ({ h }) => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as JWTPayload;
    const tampered = `${header}.${encodeJson({ ...claims, role: 'hub-admin' })}.${signature}`;
    expect(decodeJwt(tampered).role).toBe('hub-admin');
    expectRefused(await me(h, bearer(tampered)));
  });

  test('tampered (authority changed, signature kept)', async ({ h }) => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as JWTPayload;
    const tampered = `${header}.${encodeJson({ ...claims, authority: h.hostAuthorityId })}.${signature}`;
    expectRefused(await me(h, bearer(tampered)));
  });

  test('validly signed but claiming more than the client has (role hub-admin for an officer)', async ({
    h,
  }) => {
    expectRefused(await me(h, bearer(await forge({ claims: { role: 'hub-admin' } }))));
  });

  test('validly signed but with sub and client_id naming different clients', async ({ h }) => {
    const other = await h.makeClient(authorityId, 'officer');
    expectRefused(await me(h, bearer(await forge({ claims: { client_id: other.client.id } }))));
  });

  test('of another type (typ JWT, or none, instead of at+jwt)', async ({ h }) => {
    expectRefused(await me(h, bearer(await forge({ header: { typ: 'JWT' } }))));
    const untyped = await new SignJWT({ ...realClaims })
      .setProtectedHeader({ alg: 'ES256', kid: realKid })
      .sign(realKey);
    expectRefused(await me(h, bearer(untyped)));
  });

  test.for<[string, string]>([
    ['a word', 'garbage'],
    ['three dots of nothing', '..'],
    ['three parts of junk', 'abc.def.ghi'],
    ['JSON that is not a JWT', `${encodeJson({ alg: 'ES256' })}.${encodeJson('x')}.AAAA`],
    ['a very long token', 'a'.repeat(6000)],
  ])('garbage: %s', async ([, token], { h }) => {
    expectRefused(await me(h, bearer(token)));
  });

  test.for<[string, (t: string) => string]>([
    ['no Bearer prefix', (t: string) => t],
    ['another scheme', (t: string) => `Basic ${t}`],
    ['Bearer without a token', () => 'Bearer '],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
  ])('a malformed Authorization header: %s', async ([, header], { h }) => {
    expectRefused(await me(h, header(validToken)));
  });

  test('of a client revoked after the token was issued, from the next request on', async ({ h }) => {
    const victim = await h.makeClientWithToken(authorityId, 'officer');
    expect((await me(h, bearer(victim.token))).status).toBe(200);

    const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    await h.trpc(admin.token).clients.revoke.mutate({ id: victim.client.id });

    expectRefused(await me(h, bearer(victim.token)));
  });

  test('of a client whose authority was suspended after the token was issued, until it is reinstated', async ({
    h,
  }) => {
    const authority = await h.makeAuthority();
    const member = await h.makeClientWithToken(authority.id, 'admin');
    expect((await me(h, bearer(member.token))).status).toBe(200);

    const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    const suspended = await h
      .trpc(admin.token)
      .authorities.update.mutate({ id: authority.id, version: authority.version, status: 'suspended' });
    expect(suspended.status).toBe('suspended');

    // A genuine token of a suspended authority is told why (test/security/suspended-authority.test.ts);
    // it may still read its own authority, whose status says it.
    const refused = await h.trpcGet('authorities.list', bearer(member.token), {});
    expect(refused.status).toBe(403);
    expect((refused.body as TrpcErrorBody).error.message).toBe(
      "your authority's membership of the partnership is suspended; contact the hub-admin",
    );
    expect((await me(h, bearer(member.token))).text).toContain('"status":"suspended"');

    await h
      .trpc(admin.token)
      .authorities.update.mutate({ id: authority.id, version: suspended.version, status: 'active' });
    expect((await me(h, bearer(member.token))).status).toBe(200);
  });
});

describe('a replayed token is refused', () => {
  test('at another hub, which has its own keys, issuer and audience', async () => {
    const other = await startHttpHarness({
      CCX_ISSUER: 'https://other-hub.example.gov.uk',
      CCX_AUDIENCE: 'other-api',
    });
    try {
      const answer = await other.trpcGet('authorities.me', bearer(validToken));
      expect(answer.status).toBe(401);
      expect((answer.body as TrpcErrorBody).error.message).toBe(GENERIC_MESSAGE);
    } finally {
      await other.close();
    }
  });

  test('over REST as over tRPC once its client is revoked, though it has not expired', async ({ h }) => {
    const victim = await h.makeClientWithToken(authorityId, 'viewer');
    const rest = () =>
      fetch(`${h.baseUrl}/api/v1/authorities/me`, { headers: { authorization: bearer(victim.token) } });
    expect((await rest()).status).toBe(200);
    const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    await h.trpc(admin.token).clients.revoke.mutate({ id: victim.client.id });
    const refused = await rest();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(GENERIC_CHALLENGE);
    expectRefused(await me(h, bearer(victim.token)));
    // Nor can the revoked client fetch a new one with its secret.
    const again = await h.requestToken({
      form: {
        grant_type: 'client_credentials',
        client_id: victim.client.id,
        client_secret: victim.clientSecret,
      },
    });
    expect(again.status).toBe(401);
  });
});
