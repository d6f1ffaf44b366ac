// Signing in with a member authority's own OpenID Connect provider (usually Microsoft Entra ID): the
// authorization code flow with PKCE (S256), state and nonce, as a confidential client. openid-client
// does the protocol checks; this module maps its errors to one OidcRefusal and adds the e-mail rule.
import {
  AuthorizationResponseError,
  ClientError,
  ClientSecretPost,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  discovery,
  enableNonRepudiationChecks,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  type Configuration,
  type IDToken,
} from 'openid-client';

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string };
export type OidcFlowStart = { authorizationUrl: string; state: string; nonce: string; codeVerifier: string };
export type OidcIdentity = {
  subject: string;
  issuer: string;
  email: string;
  emailVerified: boolean | null;
  name: string | null;
};

/**
 * Sign-in through the provider did not give a trustworthy identity. `reason` is for the log only:
 * the person signing in is told no more than that it failed.
 */
export class OidcRefusal extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('sign-in with the identity provider was refused', options);
    this.name = 'OidcRefusal';
  }
}

const SCOPE = 'openid email profile';
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 10_000;

type CachedDiscovery = { issuer: string; expiresAt: number; config: Promise<Configuration> };

export class OidcClients {
  readonly #allowInsecureHttp: boolean;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, CachedDiscovery>();

  constructor(opts: { allowInsecureHttp?: boolean; timeoutMs?: number } = {}) {
    this.#allowInsecureHttp = opts.allowInsecureHttp === true;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Where to send the person, and what to keep (server side, bound to their browser) until they return. */
  async start(settings: OidcSettings, redirectUri: string): Promise<OidcFlowStart> {
    const config = await this.#configuration(settings);
    const codeVerifier = randomPKCECodeVerifier();
    const state = randomState();
    const nonce = randomNonce();
    const url = buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      response_type: 'code',
      code_challenge: await calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href, state, nonce, codeVerifier };
  }

  /** Redeems the code the provider sent back to `callbackUrl`, and checks the ID token it returns. */
  async complete(
    settings: OidcSettings,
    redirectUri: string,
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<OidcIdentity> {
    const config = await this.#configuration(settings);
    // The token request names the registered redirect URI, not whatever host and path the callback
    // reached us under (a proxy may have rewritten them); only the callback's parameters are used.
    const current = new URL(redirectUri);
    current.search = callbackUrl.search;
    let claims: IDToken | undefined;
    try {
      const tokens = await authorizationCodeGrant(config, current, {
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        pkceCodeVerifier: expected.codeVerifier,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw refusalFor(err);
    }
    if (!claims) throw new OidcRefusal('no id token in the token response');
    return identityFrom(claims);
  }

  /** Drops what was discovered about an issuer, for when an authority changes its settings. */
  forget(issuer: string): void {
    for (const [key, entry] of this.#cache) if (entry.issuer === issuer) this.#cache.delete(key);
  }

  #configuration(settings: OidcSettings): Promise<Configuration> {
    const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
    const now = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt > now) return cached.config;
    const config = this.#discover(settings);
    this.#cache.set(key, { issuer: settings.issuer, expiresAt: now + DISCOVERY_TTL_MS, config });
    // A failed discovery is not remembered: the next sign-in tries again.
    config.catch(() => {
      if (this.#cache.get(key)?.config === config) this.#cache.delete(key);
    });
    return config;
  }

  async #discover(settings: OidcSettings): Promise<Configuration> {
    const execute = [
      // openid-client does not verify the signature of an ID token it receives straight from the token
      // endpoint over TLS (OIDC Core 3.1.3.7 allows that); we want it verified against the JWKS anyway.
      enableNonRepudiationChecks,
      ...(this.#allowInsecureHttp ? [allowInsecureRequests] : []),
    ];
    try {
      return await discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        ClientSecretPost(settings.clientSecret),
        { execute, timeout: this.#timeoutMs / 1000 },
      );
    } catch (err) {
      throw new OidcRefusal(`provider unreachable: ${describeError(err)}`, { cause: err });
    }
  }
}

const describeError = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  // openid-client's messages are generic ("invalid response encountered"); the cause says which check.
  const cause = err.cause instanceof Error ? err.cause.message : null;
  return cause && cause !== err.message ? `${err.message}: ${cause}` : err.message;
};

const isNetworkFailure = (err: unknown): boolean =>
  (err instanceof TypeError && err.message === 'fetch failed') ||
  (err instanceof ClientError && (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT'));

const refusalFor = (err: unknown): OidcRefusal => {
  if (err instanceof AuthorizationResponseError) {
    return new OidcRefusal(`provider returned error: ${err.error}`, { cause: err });
  }
  if (err instanceof ResponseBodyError) {
    return new OidcRefusal(`token endpoint refused: ${err.error}`, { cause: err });
  }
  // A 401 with a WWW-Authenticate challenge (a client secret the provider no longer accepts, say).
  if (err instanceof WWWAuthenticateChallengeError) {
    return new OidcRefusal(`token endpoint challenged the client: ${describeError(err)}`, { cause: err });
  }
  if (isNetworkFailure(err))
    return new OidcRefusal(`provider unreachable: ${describeError(err)}`, { cause: err });
  // Every check openid-client makes on the callback and the ID token (state, issuer, audience, expiry,
  // algorithm, signature, nonce) fails with a ClientError whose cause names the check.
  if (err instanceof ClientError)
    return new OidcRefusal(`invalid response: ${describeError(err)}`, { cause: err });
  throw err;
};

const stringClaim = (claims: IDToken, name: string): string | null => {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

const looksLikeAddress = (value: string): boolean => /^[^\s@]+@[^\s@]+$/.test(value);

const identityFrom = (claims: IDToken): OidcIdentity => {
  // Entra ID sends `email` only when the user has a mailbox address set and the app asks for the
  // optional claim; otherwise the sign-in name is in `preferred_username` (v2.0 tokens) or `upn` (v1.0),
  // which for a member of the tenant is their UPN, an address in the tenant's domain. We take the first
  // of these that looks like an address. None of them proves ownership on its own, so the hub keys a
  // person on (issuer, subject) and uses the address only to find whom to link on first sign-in.
  const email = stringClaim(claims, 'email');
  const address = [email, stringClaim(claims, 'preferred_username'), stringClaim(claims, 'upn')].find(
    (value): value is string => value !== null && looksLikeAddress(value),
  );
  if (address === undefined) throw new OidcRefusal('id token carries no e-mail address');
  const verified = claims['email_verified'];
  return {
    subject: claims.sub,
    issuer: claims.iss,
    email: address.toLowerCase(),
    // Only the provider's own statement about `email` counts; a fallback claim is never "verified".
    emailVerified: address === email && typeof verified === 'boolean' ? verified : null,
    name: stringClaim(claims, 'name'),
  };
};
