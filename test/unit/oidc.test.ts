// Signing in through an authority's OpenID provider (server/src/auth/oidc.ts) against a real provider in
// process: the code flow with PKCE end to end, what the authorization URL carries, and every way a
// callback or an ID token must be refused.
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { describe, expect, test as base } from 'vitest';
import { OidcClients, OidcRefusal, type OidcSettings } from '@ccx/server/testing';
import { followToCallback, startTestIdp, type IdTokenTamper } from '../support/oidc-idp.js';

const REDIRECT_URI = 'https://hub.example.test/auth/oidc/callback';
const CLIENT = {
  clientId: 'ccx-hub',
  clientSecret: 'test-idp-client-secret-0123456789',
  redirectUris: [REDIRECT_URI],
};

const ACCOUNTS = {
  alice: { email: 'Alice.Smith@Northshire.GOV.UK', name: 'Alice Smith', emailVerified: true },
  bob: { email: 'bob@northshire.gov.uk' },
  carol: { email: 'Carol@Northshire.gov.uk', name: 'Carol Jones', emailClaim: 'preferred_username' as const },
  dan: { email: 'dan@northshire.gov.uk', emailClaim: 'upn' as const },
};

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/** Accepts connections and never answers. */
const startSilentServer = async (): Promise<{ port: number; close: () => Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

const test = base
  .extend('accounts', { scope: 'file' }, ACCOUNTS)
  .extend('idp', { scope: 'file' }, async ({ accounts }, { onCleanup }) => {
    const idp = await startTestIdp({ clients: [CLIENT], accounts });
    onCleanup(() => idp.close());
    return idp;
  })
  // Each test starts with the genuine provider, alice signing in, and a relying party with no cache.
  .extend('oidc', ({ idp }) => {
    idp.tamper(null);
    idp.signInAs('alice');
    return new OidcClients({ allowInsecureHttp: true });
  })
  .extend('settings', ({ idp }): OidcSettings => ({ issuer: idp.issuer, ...CLIENT }));

/** The flow as the hub runs it: start, the browser's trip through the provider, the callback. */
const signIn = async (oidc: OidcClients, settings: OidcSettings) => {
  const flow = await oidc.start(settings, REDIRECT_URI);
  const callback = await followToCallback(flow.authorizationUrl, REDIRECT_URI);
  return { flow, callback, complete: () => oidc.complete(settings, REDIRECT_URI, callback, flow) };
};

/** The reason an OidcRefusal gives, failing the test if the promise resolves or throws anything else. */
const refusalOf = async (promise: Promise<unknown>): Promise<string> => {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OidcRefusal);
  return (err as OidcRefusal).reason;
};

describe('the code flow', () => {
  test('gives the account its subject, lower-cased e-mail and name', async ({ idp, oidc, settings }) => {
    const { callback, complete } = await signIn(oidc, settings);
    expect(callback.searchParams.get('code')).toBeTruthy();

    await expect(complete()).resolves.toEqual({
      subject: 'alice',
      issuer: idp.issuer,
      email: 'alice.smith@northshire.gov.uk',
      emailVerified: true,
      name: 'Alice Smith',
    });
  });

  test('gives null for a name and a verification the provider does not state', async ({
    idp,
    oidc,
    settings,
  }) => {
    idp.signInAs('bob');
    const { complete } = await signIn(oidc, settings);

    await expect(complete()).resolves.toMatchObject({
      subject: 'bob',
      email: 'bob@northshire.gov.uk',
      emailVerified: null,
      name: null,
    });
  });

  // Entra ID sends no `email` claim for a user without a mailbox address: the sign-in name stands in.
  test.for([
    ['preferred_username', 'carol', 'carol@northshire.gov.uk'],
    ['upn', 'dan', 'dan@northshire.gov.uk'],
  ] as const)(
    'takes the address from %s when there is no email claim',
    async ([, account, email], { idp, oidc, settings }) => {
      idp.signInAs(account);
      const { complete } = await signIn(oidc, settings);

      await expect(complete()).resolves.toMatchObject({ subject: account, email, emailVerified: null });
    },
  );

  test('sends PKCE (S256), state and nonce, and never the client secret', async ({ oidc, settings }) => {
    const flow = await oidc.start(settings, REDIRECT_URI);
    const url = new URL(flow.authorizationUrl);
    const params = Object.fromEntries(url.searchParams);

    expect(`${url.origin}${url.pathname}`).toBe(`${settings.issuer}/auth`);
    expect(params).toEqual({
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: createHash('sha256').update(flow.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    expect(flow.authorizationUrl).not.toContain(CLIENT.clientSecret);
    expect(flow.codeVerifier).toMatch(/^[\w-]{43,128}$/);

    const again = await oidc.start(settings, REDIRECT_URI);
    expect(again.state).not.toBe(flow.state);
    expect(again.nonce).not.toBe(flow.nonce);
    expect(again.codeVerifier).not.toBe(flow.codeVerifier);
  });

  test('discovers a provider once, and again after forget', async ({ idp, oidc, settings }) => {
    const discoveries = () => idp.requests.filter((p) => p === '/.well-known/openid-configuration').length;
    const before = discoveries();

    await oidc.start(settings, REDIRECT_URI);
    await oidc.start(settings, REDIRECT_URI);
    expect(discoveries() - before).toBe(1);

    oidc.forget(settings.issuer);
    await oidc.start(settings, REDIRECT_URI);
    expect(discoveries() - before).toBe(2);
  });
});

describe('refusals', () => {
  test.for<[IdTokenTamper, RegExp]>([
    ['wrong-issuer', /"iss"/],
    ['wrong-audience', /"aud"/],
    ['expired', /"exp"/],
    ['unsigned', /"alg"/],
    ['foreign-key', /signature/],
    ['wrong-nonce', /"nonce"/],
    ['no-email', /no e-mail address/],
  ])('refuses an id token with %s', async ([kind, reason], { idp, oidc, settings }) => {
    idp.tamper(kind);
    const { complete } = await signIn(oidc, settings);

    expect(await refusalOf(complete())).toMatch(reason);
  });

  test('refuses a callback whose state is not the one it sent', async ({ oidc, settings }) => {
    const { flow, callback } = await signIn(oidc, settings);
    const other = await oidc.start(settings, REDIRECT_URI);

    const reason = await refusalOf(
      oidc.complete(settings, REDIRECT_URI, callback, { ...flow, state: other.state }),
    );
    expect(reason).toMatch(/"state"/);
  });

  test('refuses a replayed callback: the provider will not redeem a code twice', async ({
    oidc,
    settings,
  }) => {
    const { complete } = await signIn(oidc, settings);
    await expect(complete()).resolves.toMatchObject({ subject: 'alice' });

    expect(await refusalOf(complete())).toMatch(/invalid_grant/);
  });

  test('refuses a callback that carries an error, and says which', async ({ idp, oidc, settings }) => {
    idp.signInAs(null);
    const { callback, complete } = await signIn(oidc, settings);
    expect(callback.searchParams.get('error')).toBe('access_denied');

    expect(await refusalOf(complete())).toBe('provider returned error: access_denied');
  });

  test('refuses when the provider cannot be reached', async ({ oidc }) => {
    const settings = { ...CLIENT, issuer: `http://127.0.0.1:${await closedPort()}` };

    expect(await refusalOf(oidc.start(settings, REDIRECT_URI))).toMatch(/^provider unreachable: /);
  });

  test('refuses when the provider does not answer in time', async () => {
    const { port, close } = await startSilentServer();
    try {
      const oidc = new OidcClients({ allowInsecureHttp: true, timeoutMs: 200 });
      const settings = { ...CLIENT, issuer: `http://127.0.0.1:${port}` };

      expect(await refusalOf(oidc.start(settings, REDIRECT_URI))).toMatch(/^provider unreachable: /);
    } finally {
      await close();
    }
  });

  test('refuses a provider on plain http unless told to allow it', async ({ settings }) => {
    const strict = new OidcClients();

    expect(await refusalOf(strict.start(settings, REDIRECT_URI))).toMatch(/^provider unreachable: .*HTTPS/);
  });
});
