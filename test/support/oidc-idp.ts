// A real OpenID provider (oidc-provider) in the test process, standing in for an authority's Entra ID:
// it signs in whichever account a test chooses without any page to fill in, and on request hands out
// ID tokens that are wrong in one way, so the relying party's refusals can be proved one by one.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
// @ts-expect-error -- oidc-provider ships no type declarations; the few parts used are typed below.
import { Provider as UntypedProvider } from 'oidc-provider';

export type TestIdpClient = { clientId: string; clientSecret: string; redirectUris: string[] };
export type TestIdpAccount = {
  email: string;
  name?: string;
  emailVerified?: boolean;
  /** The claim that carries the address; Entra ID without an `email` puts it in one of the others. */
  emailClaim?: 'email' | 'preferred_username' | 'upn';
};
export type TestIdpOptions = { clients: TestIdpClient[]; accounts: Record<string, TestIdpAccount> };

/** The ways the token endpoint can be made to lie about the ID token it issues. */
export type IdTokenTamper =
  'wrong-issuer' | 'wrong-audience' | 'expired' | 'unsigned' | 'foreign-key' | 'wrong-nonce' | 'no-email';

export type TestIdp = {
  /** http://127.0.0.1:<port>, no trailing slash, as the provider's discovery document says. */
  issuer: string;
  close(): Promise<void>;
  /** Who signs in at the next authorization requests; null: the person cancels (error=access_denied). */
  signInAs: (accountId: string | null) => void;
  /** From now on the token endpoint returns an ID token broken this way (null: a genuine one). */
  tamper: (kind: IdTokenTamper | null) => void;
  /** The paths requested so far, in order (discovery, JWKS, token …). */
  requests: string[];
};

// The parts of oidc-provider (a Koa application) that the fixture uses.
type KoaContext = { path: string; method: string; status: number; body: unknown };
type Interaction = { uid: string; params: Record<string, unknown> };
type InteractionResult =
  | { login: { accountId: string }; consent: { grantId: string } }
  | { error: string; error_description: string };
type Grant = {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
};
type Provider = {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => Grant;
};
const Provider = UntypedProvider as new (issuer: string, configuration: object) => Provider;

const SCOPE = 'openid email profile';
const CLAIMS = ['email', 'email_verified', 'name', 'preferred_username', 'upn'];

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Starts the provider on 127.0.0.1 and a free port; the first account signs in until told otherwise. */
export const startTestIdp = async (opts: TestIdpOptions): Promise<TestIdp> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // We hold the provider's private signing key, so a tampered token can carry a valid signature: the
  // relying party must then refuse it for what it says, not for how it is signed.
  const signing = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-idp-1';
  const signingJwk = { ...(await exportJWK(signing.privateKey)), kid, alg: 'RS256', use: 'sig' };

  let signedInAs: string | null = Object.keys(opts.accounts)[0] ?? null;
  let tampering: IdTokenTamper | null = null;
  let foreignKey: CryptoKey | undefined;
  const requests: string[] = [];

  const provider = new Provider(issuer, {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'upn'],
    },
    // Put the scopes' claims in the ID token itself, as Entra ID does with `email` and `name`.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, accountId: string) => {
      const account = opts.accounts[accountId];
      if (!account) return undefined;
      return {
        accountId,
        claims: () => ({
          sub: accountId,
          [account.emailClaim ?? 'email']: account.email,
          ...(account.name === undefined ? {} : { name: account.name }),
          ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
        }),
      };
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: Interaction) => `/interaction/${interaction.uid}` },
  });

  const reissue = async (idToken: string, kind: IdTokenTamper): Promise<string> => {
    const payload: JWTPayload = { ...decodeJwt(idToken) };
    const header = { ...decodeProtectedHeader(idToken), alg: 'RS256' };
    const now = Math.floor(Date.now() / 1000);
    let key: CryptoKey = signing.privateKey;
    switch (kind) {
      case 'wrong-issuer':
        payload.iss = 'https://impostor.example.test';
        break;
      case 'wrong-audience':
        payload.aud = 'another-client';
        break;
      case 'expired':
        payload.iat = now - 7200;
        payload.exp = now - 3600;
        break;
      case 'wrong-nonce':
        payload.nonce = 'not-the-nonce-that-was-sent';
        break;
      case 'no-email':
        delete payload['email'];
        delete payload['email_verified'];
        delete payload['preferred_username'];
        delete payload['upn'];
        break;
      case 'unsigned':
        return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
      case 'foreign-key':
        // Same kid as the genuine key, so only the signature check can tell.
        foreignKey ??= (await generateKeyPair('RS256')).privateKey;
        key = foreignKey;
        break;
    }
    return new SignJWT(payload).setProtectedHeader(header).sign(key);
  };

  // Runs around the provider's own routes: the genuine token response is taken and its id_token
  // replaced, so everything else (code, PKCE and client checks, the access token) stays real.
  provider.use(async (ctx, next) => {
    await next();
    const kind = tampering;
    if (kind === null || ctx.path !== '/token' || ctx.method !== 'POST' || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: unknown } | null;
    if (typeof body?.id_token !== 'string') return;
    ctx.body = { ...body, id_token: await reissue(body.id_token, kind) };
  });

  // The interaction "page": no form, the chosen account signs in and consents at once.
  const interact = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const interaction = await provider.interactionDetails(req, res);
    const accountId = signedInAs;
    if (accountId === null) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(interaction.params['client_id']) });
    grant.addOIDCScope(SCOPE);
    grant.addOIDCClaims(CLAIMS);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push(new URL(req.url ?? '/', issuer).pathname);
    const served = req.url?.startsWith('/interaction/') ? interact(req, res) : handle(req, res);
    served.catch((err: unknown) => {
      res.statusCode = 500;
      res.end(`test IdP failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  return {
    issuer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
    signInAs: (accountId) => {
      if (accountId !== null && !(accountId in opts.accounts)) throw new Error(`no account ${accountId}`);
      signedInAs = accountId;
    },
    tamper: (kind) => {
      tampering = kind;
    },
    requests,
  };
};

/** The cookies of one browser, for one site: enough for the provider's interaction and session cookies. */
const updateJar = (jar: Map<string, string>, response: Response): void => {
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k = '', v = ''] = a.trim().split('=');
      if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
      return false;
    });
    if (value === '' || expired) jar.delete(name);
    else jar.set(name, value);
  }
};

/**
 * Follows a browser's redirects from an authorization URL through the provider's sign-in until one
 * points at the relying party's redirect URI, and returns that callback URL (with code and state, or
 * error) without requesting it.
 */
export const followToCallback = async (authorizationUrl: string, redirectUriPrefix: string): Promise<URL> => {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    updateJar(jar, response);
    const body = await response.text();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      throw new Error(`expected a redirect from ${url.href}, got ${response.status}: ${body.slice(0, 500)}`);
    }
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUriPrefix)) return next;
    url = next;
  }
  throw new Error(`no redirect to ${redirectUriPrefix} after 10 hops from ${authorizationUrl}`);
};
