// POST /oauth/token over real HTTP: the client-credentials grant with both client authentication
// methods, the shape of the token it issues, interop with oauth4webapi, and every RFC 6749 §5.2 error.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oauth from 'oauth4webapi';
import { describe, expect } from 'vitest';
import {
  httpTest as test,
  type HttpAnswer,
  type HttpHarness,
  type OAuthError,
  type TokenResponse,
} from '../support/http.js';

// Not the defaults, so the test proves both come from the configuration.
const TTL_SECONDS = 600;
const AUDIENCE = 'ccx-test-api';

let authorityId: string;
let officer: { id: string; secret: string };

test.override({ hubEnv: { CCX_TOKEN_TTL: '10m', CCX_AUDIENCE: AUDIENCE } });
test.beforeAll(async ({ h }) => {
  authorityId = (await h.makeAuthority()).id;
  const created = await h.makeClient(authorityId, 'officer');
  officer = { id: created.client.id, secret: created.clientSecret };
});

const form = (extra: Record<string, string> = {}) => ({ grant_type: 'client_credentials', ...extra });

const expectTokenResponse = (answer: HttpAnswer): string => {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('pragma')).toBe('no-cache');
  const body = answer.body as TokenResponse;
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
  expect(body.token_type).toBe('Bearer');
  expect(body.expires_in).toBe(TTL_SECONDS);
  expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return body.access_token;
};

/** An RFC 6749 §5.2 error: the status, `{ error, error_description }` and nothing else, never cached. */
const expectOAuthError = (answer: HttpAnswer, status: number, error: string): OAuthError => {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  const body = answer.body as OAuthError;
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  expect(body.error_description.length).toBeGreaterThan(0);
  expect(answer.text).not.toContain('access_token');
  return body;
};

describe('POST /oauth/token issues a token', () => {
  test('for client credentials in the form body', async ({ h }) => {
    const answer = await h.requestToken({
      form: form({ client_id: officer.id, client_secret: officer.secret }),
    });
    expectTokenResponse(answer);
  });

  test('for client credentials in HTTP Basic', async ({ h }) => {
    const answer = await h.requestToken({ form: form(), basic: officer });
    expectTokenResponse(answer);
  });

  test('as an RFC 9068 JWT signed ES256 with a key published in the JWKS, carrying the client’s claims', async ({
    h,
  }) => {
    const before = Math.floor(Date.now() / 1000);
    const token = expectTokenResponse(await h.requestToken({ form: form(), basic: officer }));
    const after = Math.floor(Date.now() / 1000);

    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) as string });
    const jwks = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);

    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: h.config.issuer,
      aud: AUDIENCE,
      sub: officer.id,
      client_id: officer.id,
      authority: authorityId,
      role: 'officer',
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(after);
    expect(claims.exp! - claims.iat!).toBe(TTL_SECONDS);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('with a different jti every time', async ({ h }) => {
    const tokens = await Promise.all(Array.from({ length: 5 }, () => h.getToken(officer.id, officer.secret)));
    expect(new Set(tokens.map((t) => decodeJwt(t).jti)).size).toBe(5);
  });

  test('that answers authorities.me over HTTP with the client’s own authority and record', async ({ h }) => {
    const token = await h.getToken(officer.id, officer.secret);
    const me = await h.trpc(token).authorities.me.query();
    expect(me.authority.id).toBe(authorityId);
    expect(me.client).toMatchObject({ id: officer.id, authorityId, role: 'officer', status: 'active' });
    expect(me.client?.lastUsedAt).not.toBeNull();
  });
});

describe('oauth4webapi (a client library none of us wrote)', () => {
  const as = (h: HttpHarness): oauth.AuthorizationServer => ({
    issuer: h.config.issuer,
    token_endpoint: `${h.baseUrl}/oauth/token`,
  });
  const insecure = { [oauth.allowInsecureRequests]: true };

  test.for([
    ['client_secret_basic', oauth.ClientSecretBasic],
    ['client_secret_post', oauth.ClientSecretPost],
  ] as const)('gets a working token with %s', async ([, auth], { h }) => {
    const client: oauth.Client = { client_id: officer.id };
    const response = await oauth.clientCredentialsGrantRequest(
      as(h),
      client,
      auth(officer.secret),
      new URLSearchParams(),
      insecure,
    );
    const result = await oauth.processClientCredentialsResponse(as(h), client, response);
    expect(result.token_type).toBe('bearer');
    expect(result.expires_in).toBe(TTL_SECONDS);
    const me = await h.trpc(result.access_token).authorities.me.query();
    expect(me.client?.id).toBe(officer.id);
  });

  test('sees a bad secret as a Basic challenge with invalid_client', async ({ h }) => {
    const client: oauth.Client = { client_id: officer.id };
    const response = await oauth.clientCredentialsGrantRequest(
      as(h),
      client,
      oauth.ClientSecretBasic('ccxs_wrong'),
      new URLSearchParams(),
      insecure,
    );
    const error = await oauth.processClientCredentialsResponse(as(h), client, response).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = error as oauth.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]?.scheme).toBe('basic');
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('accepts the RFC 8414 metadata, whose issuer and token endpoint are the configured ones', async ({
    h,
  }) => {
    const response = await fetch(`${h.baseUrl}/.well-known/oauth-authorization-server`);
    const metadata = await oauth.processDiscoveryResponse(new URL(h.config.issuer), response);
    expect(metadata.issuer).toBe(h.config.issuer);
    expect(metadata.token_endpoint).toBe(`${h.config.issuer}/oauth/token`);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
  });
});

describe('POST /oauth/token refuses', () => {
  test('a bad secret, in the body or in Basic, with 401 invalid_client', async ({ h }) => {
    const inBody = await h.requestToken({
      form: form({ client_id: officer.id, client_secret: 'ccxs_wrong' }),
    });
    expectOAuthError(inBody, 401, 'invalid_client');
    expect(inBody.headers.get('www-authenticate')).toMatch(/^Basic realm="ccx"/);
    expect(inBody.headers.get('cache-control')).toBe('no-store');

    const inBasic = await h.requestToken({ form: form(), basic: { id: officer.id, secret: 'ccxs_wrong' } });
    expectOAuthError(inBasic, 401, 'invalid_client');
    expect(inBasic.headers.get('www-authenticate')).toMatch(/^Basic realm="ccx"/);
  });

  test('an unknown client exactly as it refuses a bad secret, so ids cannot be probed', async ({ h }) => {
    const unknownId = 'ccx_aaaaaaaaaaaaaaaaaaaa';
    for (const send of [
      (id: string, secret: string) =>
        h.requestToken({ form: form({ client_id: id, client_secret: secret }) }),
      (id: string, secret: string) => h.requestToken({ form: form(), basic: { id, secret } }),
    ]) {
      const badSecret = await send(officer.id, 'ccxs_wrong');
      const unknown = await send(unknownId, 'ccxs_wrong');
      expectOAuthError(unknown, 401, 'invalid_client');
      expect(unknown.status).toBe(badSecret.status);
      expect(unknown.text).toBe(badSecret.text);
      expect(unknown.headers.get('www-authenticate')).toBe(badSecret.headers.get('www-authenticate'));
    }
  });

  test('an over-long id or secret as a bad secret', async ({ h }) => {
    const badSecret = await h.requestToken({
      form: form({ client_id: officer.id, client_secret: 'ccxs_wrong' }),
    });
    const longSecret = await h.requestToken({
      form: form({ client_id: officer.id, client_secret: 'x'.repeat(500) }),
    });
    const longId = await h.requestToken({ form: form({ client_id: 'x'.repeat(500), client_secret: 'y' }) });
    for (const answer of [longSecret, longId]) {
      expectOAuthError(answer, 401, 'invalid_client');
      expect(answer.text).toBe(badSecret.text);
    }
  });

  test('an unsupported grant type with 400 unsupported_grant_type', async ({ h }) => {
    for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS']) {
      const answer = await h.requestToken({ form: form({ grant_type: grant }), basic: officer });
      expectOAuthError(answer, 400, 'unsupported_grant_type');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  test('a missing grant_type with 400 invalid_request', async ({ h }) => {
    const answer = await h.requestToken({ form: {}, basic: officer });
    const body = expectOAuthError(answer, 400, 'invalid_request');
    expect(body.error_description).toContain('grant_type');
  });

  test('a client revoked through clients.revoke with 401 invalid_client, as it refuses a bad secret', async ({
    h,
  }) => {
    const victim = await h.makeClient(authorityId, 'viewer');
    const { id, clientSecret } = { id: victim.client.id, clientSecret: victim.clientSecret };
    await h.getToken(id, clientSecret); // works before revocation

    const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    const revoked = await h.trpc(admin.token).clients.revoke.mutate({ id });
    expect(revoked.status).toBe('revoked');

    const answer = await h.requestToken({ form: form({ client_id: id, client_secret: clientSecret }) });
    expectOAuthError(answer, 401, 'invalid_client');
    const badSecret = await h.requestToken({ form: form({ client_id: id, client_secret: 'ccxs_wrong' }) });
    expect(answer.text).toBe(badSecret.text);
  });

  test('a client of a suspended authority with 401 invalid_client', async ({ h }) => {
    const authority = await h.makeAuthority();
    const member = await h.makeClient(authority.id, 'admin');
    await h.getToken(member.client.id, member.clientSecret); // works while active
    await h
      .caller(h.hubAdmin)
      .authorities.update({ id: authority.id, version: authority.version, status: 'suspended' });

    const answer = await h.requestToken({
      basic: { id: member.client.id, secret: member.clientSecret },
      form: form(),
    });
    expectOAuthError(answer, 401, 'invalid_client');
  });

  test('credentials in both Basic and the body with 400 invalid_request', async ({ h }) => {
    const both = await h.requestToken({
      form: form({ client_id: officer.id, client_secret: officer.secret }),
      basic: officer,
    });
    expectOAuthError(both, 400, 'invalid_request');

    const idOnly = await h.requestToken({ form: form({ client_id: officer.id }), basic: officer });
    expectOAuthError(idOnly, 400, 'invalid_request');
  });

  test('a JSON body, even with good credentials, with 400 invalid_request', async ({ h }) => {
    const answer = await h.requestToken({
      form: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: officer.id,
        client_secret: officer.secret,
      }),
      headers: { 'content-type': 'application/json' },
    });
    const body = expectOAuthError(answer, 400, 'invalid_request');
    expect(body.error_description).toContain('application/x-www-form-urlencoded');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  test('a body with no content type with 400 invalid_request', async ({ h }) => {
    const answer = await h.requestToken({ basic: officer });
    expectOAuthError(answer, 400, 'invalid_request');
  });

  test('a repeated parameter with 400 invalid_request', async ({ h }) => {
    const twiceGrant = await h.requestToken({
      form: 'grant_type=client_credentials&grant_type=client_credentials',
      basic: officer,
    });
    expect(expectOAuthError(twiceGrant, 400, 'invalid_request').error_description).toContain('grant_type');

    const twiceSecret = await h.requestToken({
      form: new URLSearchParams([
        ['grant_type', 'client_credentials'],
        ['client_id', officer.id],
        ['client_secret', officer.secret],
        ['client_secret', officer.secret],
      ]).toString(),
    });
    expect(expectOAuthError(twiceSecret, 400, 'invalid_request').error_description).toContain(
      'client_secret',
    );
  });

  test.for(['GET', 'PUT', 'DELETE'])('the %s method with 405 and Allow: POST', async (method, { h }) => {
    const answer = await h.requestToken({ method, basic: officer });
    expectOAuthError(answer, 405, 'invalid_request');
    expect(answer.headers.get('allow')).toBe('POST');
  });

  test('a request with no client credentials with 401 invalid_client and a Basic challenge', async ({
    h,
  }) => {
    const answer = await h.requestToken({ form: form() });
    expectOAuthError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="ccx"/);

    const idWithoutSecret = await h.requestToken({ form: form({ client_id: officer.id }) });
    expectOAuthError(idWithoutSecret, 401, 'invalid_client');
    expect(idWithoutSecret.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  test.for<[string, string, Record<string, string>, number]>([
    ['an oversized body', 'grant_type=client_credentials&pad=' + 'a'.repeat(9000), {}, 413],
    [
      'too many parameters',
      'grant_type=client_credentials&' + Array.from({ length: 30 }, (_, i) => `p${i}=1`).join('&'),
      {},
      413,
    ],
    [
      'an unsupported charset',
      'grant_type=client_credentials',
      { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' },
      415,
    ],
    ['a body that does not decode', 'grant_type=client_credentials', { 'content-encoding': 'gzip' }, 400],
  ])(
    'a body the form parser cannot take (%s) in the RFC shape, uncached',
    async ([, body, headers, status], { h }) => {
      const answer = await h.requestToken({ form: body, basic: officer, headers });
      expectOAuthError(answer, status, 'invalid_request');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    },
  );

  test.for<[string, string]>([
    ['not base64', 'Basic %%%'],
    ['no colon', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
    ['another scheme', 'Bearer abc.def.ghi'],
  ])('a malformed Authorization header (%s) with 401 invalid_client', async ([, authorization], { h }) => {
    const answer = await h.requestToken({ form: form(), headers: { authorization } });
    expectOAuthError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="ccx"/);
  });
});
