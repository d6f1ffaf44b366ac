// Single sign-on over HTTP with an authority's OpenID provider (a real one, in process): the admin
// sets the provider up, a person signs in through it with the code flow, and every way a callback,
// an ID token, an address or a return path must be refused is refused with no session.
import { TRPCClientError } from '@trpc/client';
import { describe, expect } from 'vitest';
import type { AuditEntry, Person, SignedIn } from '@ccx/schema';
import type { AppRouter } from '@ccx/server';
import { browserFor, type Browser } from '../../support/browser.js';
import { uniq } from '../../support/harness.js';
import { httpTest, startHttpHarness, type HttpHarness } from '../../support/http.js';
import {
  followToCallback,
  startTestIdp,
  type IdTokenTamper,
  type TestIdpAccount,
} from '../../support/oidc-idp.js';

const DOMAIN = 'medway.example.gov.uk';
const CLIENT_ID = 'ccx-hub-medway';
const CLIENT_SECRET = 'medway-idp-client-secret-0123456789abcdef';
const SESSION_COOKIE = 'ccx_session';
const SSO_COOKIE = 'ccx_sso';

// The provider looks accounts up in this record when someone signs in, so a test adds its own.
const accounts: Record<string, TestIdpAccount> = {};

/** A new account at the provider, with an address of its own. */
const newAccount = (name: string, domain = DOMAIN): { id: string; email: string; name: string } => {
  const id = `${name.toLowerCase().replace(/\W+/g, '.')}.${uniq()}`;
  const email = `${id}@${domain}`;
  accounts[id] = { email, name, emailVerified: true };
  return { id, email, name };
};

type ProviderSettings = { createUnknown: boolean; defaultRole: 'viewer' | 'officer' };

const test = httpTest
  .extend('idp', { scope: 'file' }, async ({ h }, { onCleanup }) => {
    const idp = await startTestIdp({
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${h.config.issuer}/auth/sso/callback`],
        },
      ],
      accounts,
    });
    onCleanup(() => idp.close());
    return idp;
  })
  // The authority whose people sign in through the provider, and its admin (an API client).
  .extend('medway', { scope: 'file' }, async ({ h, idp }) => {
    const authority = await h.makeAuthority();
    const admin = h.trpc((await h.makeClientWithToken(authority.id, 'admin')).token);
    const setProvider = (settings: ProviderSettings) =>
      admin.identityProviders.set.mutate({
        issuer: idp.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        allowedDomains: [DOMAIN],
        ...settings,
      });
    await setProvider({ createUnknown: false, defaultRole: 'viewer' });
    return { id: authority.id, admin, setProvider };
  })
  // Every test starts, and leaves, with a genuine provider.
  .extend('genuine', { auto: true }, ({ idp }, { onCleanup }) => {
    idp.tamper(null);
    onCleanup(() => idp.tamper(null));
    return true;
  });

// The file's hub trusts providers on plain http: the in-process provider has no certificate.
test.override({ hubEnv: { CCX_OIDC_ALLOW_HTTP: 'true' } });

type Medway = { id: string; admin: ReturnType<HttpHarness['trpc']> };

const callbackUrlOf = (h: HttpHarness): string => `${h.config.issuer}/auth/sso/callback`;

/**
 * The browser's trip: /auth/sso/start on the hub, the provider's sign-in as `accountId`, and the
 * callback requested in `finishIn` (the same browser unless told otherwise).
 */
const signInThroughSso = async (
  h: HttpHarness,
  idp: { signInAs(id: string): void },
  opts: { authorityId: string; accountId: string; returnTo?: string; browser?: Browser; finishIn?: Browser },
) => {
  idp.signInAs(opts.accountId);
  const b = opts.browser ?? browserFor(h.baseUrl);
  const returnTo = opts.returnTo === undefined ? '' : `&returnTo=${encodeURIComponent(opts.returnTo)}`;
  const start = await b.request(
    `/auth/sso/start?authority=${encodeURIComponent(opts.authorityId)}${returnTo}`,
  );
  const startText = await start.text();
  expect(start.status, startText).toBe(302);
  const authorizationUrl = start.headers.get('location') ?? '';
  const callback = await followToCallback(authorizationUrl, callbackUrlOf(h));
  const callbackPath = callback.pathname + callback.search;
  const finishIn = opts.finishIn ?? b;
  const answer = await finishIn.request(callbackPath);
  return { b, start, startText, authorizationUrl, callback, callbackPath, answer, text: await answer.text() };
};

const invite = async (medway: Medway, account: { email: string; name: string }) =>
  (await medway.admin.people.invite.mutate({ email: account.email, name: account.name, role: 'officer' }))
    .person;

/** Whether the browser holds a session cookie, and whether the hub takes it as a signed-in person. */
const expectNoSession = async (b: Browser) => {
  expect(b.jar.has(SESSION_COOKIE)).toBe(false);
  expect(b.seen.filter((c) => c.name === SESSION_COOKIE && c.value !== '')).toEqual([]);
  expect((await b.query('auth.me')).status).toBe(401);
};

/** Awaits a tRPC client call that must fail with this code. */
const expectTrpcCode = async (call: Promise<unknown>, code: string) => {
  const err = await call.then(
    (value) => expect.fail(`expected ${code}, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  expect((err as TRPCClientError<AppRouter>).data?.code).toBe(code);
};

describe('the provider settings', () => {
  test('are shown to the admin without the client secret, with the redirect URI to register', async ({
    h,
    idp,
    medway,
  }) => {
    const provider = await medway.admin.identityProviders.get.query({});
    expect(provider).toMatchObject({
      authorityId: medway.id,
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecretSet: true,
      allowedDomains: [DOMAIN],
      redirectUri: callbackUrlOf(h),
    });
    expect(JSON.stringify(provider)).not.toContain(CLIENT_SECRET);
    // Nor when it is set again, nor through the hub-admin's view.
    expect(
      JSON.stringify(await medway.setProvider({ createUnknown: false, defaultRole: 'viewer' })),
    ).not.toContain(CLIENT_SECRET);
    const asHubAdmin = await h.caller(h.hubAdmin).identityProviders.get({ authorityId: medway.id });
    expect(asHubAdmin?.clientId).toBe(CLIENT_ID);
    expect(JSON.stringify(asHubAdmin)).not.toContain(CLIENT_SECRET);
  });

  test("are another authority admin's to neither read nor change; the hub-admin's to do both", async ({
    h,
    idp,
    medway,
  }) => {
    const other = await h.makeAuthority();
    const otherAdmin = h.trpc((await h.makeClientWithToken(other.id, 'admin')).token);

    await expectTrpcCode(otherAdmin.identityProviders.get.query({ authorityId: medway.id }), 'FORBIDDEN');
    await expectTrpcCode(
      otherAdmin.identityProviders.set.mutate({
        authorityId: medway.id,
        issuer: 'https://impostor.example.test',
        clientId: 'impostor',
        clientSecret: 'impostor-secret',
        allowedDomains: ['impostor.example.test'],
      }),
      'FORBIDDEN',
    );
    await expectTrpcCode(otherAdmin.identityProviders.remove.mutate({ authorityId: medway.id }), 'FORBIDDEN');
    expect(await medway.admin.identityProviders.get.query({})).toMatchObject({
      issuer: idp.issuer,
      clientId: CLIENT_ID,
    });

    const hubAdmin = h.caller(h.hubAdmin);
    expect(await hubAdmin.identityProviders.get({ authorityId: medway.id })).toMatchObject({
      issuer: idp.issuer,
    });
    const set = await hubAdmin.identityProviders.set({
      authorityId: medway.id,
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      allowedDomains: [DOMAIN],
      createUnknown: false,
      defaultRole: 'viewer',
    });
    // Left out, the secret is kept.
    expect(set).toMatchObject({ authorityId: medway.id, clientSecretSet: true });
  });
});

describe('the code flow', () => {
  test('signs an invited person in: active, single sign-on, an oidc session, audited by name, back where they were', async ({
    h,
    idp,
    medway,
  }) => {
    const olivia = newAccount('Olivia Officer');
    const invited = await invite(medway, olivia);
    expect(invited.status).toBe('invited');

    const flow = await signInThroughSso(h, idp, {
      authorityId: medway.id,
      accountId: olivia.id,
      returnTo: '/settings/x',
    });

    // The way out to the provider: PKCE with S256, state and nonce, this hub's redirect URI, no secret.
    const url = new URL(flow.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: callbackUrlOf(h),
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.has('client_secret')).toBe(false);
    expect(flow.authorizationUrl).not.toContain(CLIENT_SECRET);
    expect(flow.startText).not.toContain(CLIENT_SECRET);
    // The flow is bound to this browser by a short-lived cookie only script cannot read.
    const ssoCookie = flow.b.seen.find((c) => c.name === SSO_COOKIE && c.value !== '');
    expect(ssoCookie?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));

    // Back on the hub: signed in, and sent where they started.
    expect(flow.answer.status, flow.text).toBe(303);
    expect(flow.answer.headers.get('location')).toBe('/settings/x');
    const session = flow.b.seen.find((c) => c.name === SESSION_COOKIE && c.value !== '');
    expect(session?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(flow.b.jar.has(SSO_COOKIE)).toBe(false);

    const me = flow.b.data<SignedIn>(await flow.b.query('auth.me'));
    expect(me.person).toMatchObject({
      id: invited.id,
      authorityId: medway.id,
      email: olivia.email,
      status: 'active',
      singleSignOn: true,
      localAccount: false,
    });
    expect(me.person.activatedAt).not.toBeNull();
    expect(me.session).toMatchObject({ method: 'oidc', current: true });

    const listed = await medway.admin.people.list.query({});
    expect(listed.find((p: Person) => p.id === invited.id)).toMatchObject({
      status: 'active',
      singleSignOn: true,
    });

    const audit = await medway.admin.audit.list.query({ scope: 'mine', action: 'person.sign-in' });
    const entries = (audit.items as AuditEntry[]).filter((e) => e.personId === invited.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      authorityId: medway.id,
      clientId: null,
      person: { id: invited.id, name: 'Olivia Officer' },
      recordIds: [invited.id],
      details: { method: 'oidc' },
    });

    // A second sign-in finds the same person by the provider's subject.
    const again = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: olivia.id });
    expect(again.answer.status, again.text).toBe(303);
    expect(again.answer.headers.get('location')).toBe('/');
    expect(again.b.data<SignedIn>(await again.b.query('auth.me')).person.id).toBe(invited.id);
  });
});

describe('who may sign in', () => {
  test('someone not invited is refused while the authority does not create people at sign-in', async ({
    h,
    idp,
    medway,
  }) => {
    const stranger = newAccount('Sam Stranger');

    const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: stranger.id });

    expect(flow.answer.status).toBe(403);
    expect(flow.text).toContain('you have not been invited to the hub yet');
    await expectNoSession(flow.b);
    const listed = await medway.admin.people.list.query({});
    expect(listed.map((p: Person) => p.email)).not.toContain(stranger.email);
  });

  test('someone not invited is created with the default role when the authority allows it', async ({
    h,
    idp,
    medway,
    onTestFinished,
  }) => {
    await medway.setProvider({ createUnknown: true, defaultRole: 'officer' });
    onTestFinished(async () => {
      await medway.setProvider({ createUnknown: false, defaultRole: 'viewer' });
    });
    const newcomer = newAccount('Nia Newcomer');

    const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: newcomer.id });

    expect(flow.answer.status, flow.text).toBe(303);
    const me = flow.b.data<SignedIn>(await flow.b.query('auth.me'));
    expect(me.person).toMatchObject({
      authorityId: medway.id,
      email: newcomer.email,
      name: 'Nia Newcomer',
      role: 'officer',
      status: 'active',
      singleSignOn: true,
    });
    const listed = await medway.admin.people.list.query({});
    expect(listed.filter((p: Person) => p.email === newcomer.email)).toHaveLength(1);
  });

  test("an address outside the authority's domains is refused, even when people are created at sign-in", async ({
    h,
    idp,
    medway,
    onTestFinished,
  }) => {
    await medway.setProvider({ createUnknown: true, defaultRole: 'officer' });
    onTestFinished(async () => {
      await medway.setProvider({ createUnknown: false, defaultRole: 'viewer' });
    });
    const outsider = newAccount('Otto Outsider', 'elsewhere.example.com');

    const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: outsider.id });

    expect(flow.answer.status).toBe(403);
    expect(flow.text).toContain('not one of your authority&#39;s domains');
    await expectNoSession(flow.b);
    const listed = await medway.admin.people.list.query({});
    expect(listed.map((p: Person) => p.email)).not.toContain(outsider.email);
  });

  test('a deactivated person is refused, and their session ended', async ({ h, idp, medway }) => {
    const leaver = newAccount('Lee Leaver');
    const invited = await invite(medway, leaver);
    const first = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: leaver.id });
    expect(first.answer.status, first.text).toBe(303);
    expect((await first.b.query('auth.me')).status).toBe(200);

    await medway.admin.people.deactivate.mutate({ id: invited.id });

    expect((await first.b.query('auth.me')).status).toBe(401);
    const again = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: leaver.id });
    expect(again.answer.status).toBe(403);
    expect(again.text).toContain('deactivated');
    await expectNoSession(again.b);
  });
});

describe('refused callbacks', () => {
  test('a replayed callback is refused, in the same browser and in another', async ({ h, idp, medway }) => {
    const person = newAccount('Rita Replay');
    await invite(medway, person);
    const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: person.id });
    expect(flow.answer.status, flow.text).toBe(303);

    const sameBrowser = await flow.b.request(flow.callbackPath);
    expect(sameBrowser.status).toBe(403);
    await sameBrowser.text();

    const elsewhere = browserFor(h.baseUrl);
    const other = await elsewhere.request(flow.callbackPath);
    expect(other.status).toBe(403);
    await other.text();
    await expectNoSession(elsewhere);
  });

  test('a callback in a browser that did not start the flow is refused', async ({ h, idp, medway }) => {
    const person = newAccount('Bea Browser');
    await invite(medway, person);
    const elsewhere = browserFor(h.baseUrl);

    const flow = await signInThroughSso(h, idp, {
      authorityId: medway.id,
      accountId: person.id,
      finishIn: elsewhere,
    });

    expect(elsewhere.jar.has(SSO_COOKIE)).toBe(false);
    expect(flow.answer.status).toBe(403);
    await expectNoSession(elsewhere);
  });

  test.for<IdTokenTamper>(['wrong-issuer', 'wrong-audience', 'expired', 'unsigned', 'wrong-nonce'])(
    'an ID token with %s is refused',
    async (kind, { h, idp, medway }) => {
      const person = newAccount(`Tess ${kind}`);
      await invite(medway, person);
      idp.tamper(kind);

      const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: person.id });

      expect(flow.answer.status).toBe(403);
      expect(flow.text).toContain('the sign-in could not be completed');
      await expectNoSession(flow.b);
      const listed = await medway.admin.people.list.query({});
      expect(listed.find((p: Person) => p.email === person.email)?.status).toBe('invited');
    },
  );
});

describe('the return path', () => {
  test.for(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)'])(
    'sends the person to / instead of %s',
    async (returnTo, { h, idp, medway }) => {
      const person = newAccount('Reggie Redirect');
      await invite(medway, person);

      const flow = await signInThroughSso(h, idp, { authorityId: medway.id, accountId: person.id, returnTo });

      expect(flow.answer.status, flow.text).toBe(303);
      expect(flow.answer.headers.get('location')).toBe('/');
    },
  );
});

describe('a provider on plain http', () => {
  test('is refused unless CCX_OIDC_ALLOW_HTTP is on', async () => {
    const strict = await startHttpHarness();
    try {
      const authority = await strict.makeAuthority();
      const admin = strict.trpc((await strict.makeClientWithToken(authority.id, 'admin')).token);
      const settings = {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        allowedDomains: [DOMAIN],
      };

      await expectTrpcCode(
        admin.identityProviders.set.mutate({ ...settings, issuer: 'http://127.0.0.1:1/tenant' }),
        'BAD_REQUEST',
      );
      expect(await admin.identityProviders.get.query({})).toBeNull();
      expect(
        await admin.identityProviders.set.mutate({
          ...settings,
          issuer: 'https://login.example.test/tenant/v2.0',
        }),
      ).toMatchObject({ issuer: 'https://login.example.test/tenant/v2.0' });
    } finally {
      await strict.close();
    }
  });
});
