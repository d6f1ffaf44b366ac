// The hub's long-lived services, built once per process (or once per test file): database, keys, tokens, metrics.
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/index.js';
import { SigningKeyStore } from './auth/signing-keys.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { TokenThrottle } from './auth/token-throttle.js';
import { InvalidTokenError, TokenService, type Principal } from './auth/tokens.js';
import { watchCredentials, type CredentialWatch } from './auth/credential-cache.js';
import { createLogger, type Logger } from './logger.js';
import { OidcClients } from './auth/oidc.js';
import { createMailer, redactSmtpUrl, type Mailer } from './mail/mailer.js';
import { findSession, SESSION_REFUSED } from './domain/people/sessions.js';
import { createMetrics, type Metrics } from './metrics.js';

export type Hub = {
  config: Config;
  database: Database;
  log: Logger;
  keys: SigningKeyStore;
  tokens: TokenService;
  /** Tells every process's token cache that a client or an authority changed (after its commit). */
  credentials: CredentialWatch;
  /** Procedure calls per client (429 when spent). */
  rateLimiter: RateLimiter;
  /** Failed attempts at the token endpoint per client id. */
  tokenThrottle: TokenThrottle;
  /** Failed sign-ins per e-mail address (the same rules as the token endpoint). */
  signInThrottle: TokenThrottle;
  /** Relying-party state for the authorities' OpenID Connect providers (discovery cache). */
  oidc: OidcClients;
  /** Outgoing e-mail, when CCX_SMTP_URL is set. */
  mailer: Mailer | null;
  metrics: Metrics;
  /** The hub's idea of now for need-to-know decisions; tests move it to exercise expiry. */
  clock: { now: () => Date };
  verifyToken(token: string): Promise<{ principal: Principal } | { failure: string }>;
  /** The person a session cookie's secret signs in, while the session, person and authority are live. */
  verifySession(secret: string): Promise<{ principal: Principal } | { failure: string }>;
  close(): Promise<void>;
};

export type CreateHubOptions = { config: Config; database?: Database; log?: Logger };

export const openConfiguredDatabase = (config: Config): Promise<Database> =>
  config.databaseUrl
    ? openDatabase({
        kind: 'postgres',
        url: config.databaseUrl,
        poolMax: config.databasePoolMax,
        ...(config.databaseOwnerUrl ? { ownerUrl: config.databaseOwnerUrl } : {}),
      })
    : openDatabase({ kind: 'pglite', dataDir: config.dataDir });

export const createHub = async (opts: CreateHubOptions): Promise<Hub> => {
  const log = opts.log ?? createLogger(opts.config.logLevel);
  const database = opts.database ?? (await openConfiguredDatabase(opts.config));
  const keys = new SigningKeyStore(database.db, opts.config.tokenTtlSeconds);
  await keys.ensureActiveKey();
  const tokens = new TokenService(database.db, keys, {
    issuer: opts.config.issuer,
    audience: opts.config.audience,
    ttlSeconds: opts.config.tokenTtlSeconds,
  });
  const credentials = await watchCredentials(database, tokens.cache, (err) =>
    log.warn({ err }, 'credential change not confirmed by the database'),
  );
  const mailer = opts.config.mail.smtpUrl
    ? createMailer({ smtpUrl: opts.config.mail.smtpUrl, from: opts.config.mail.from })
    : null;
  if (mailer) log.info({ smtp: redactSmtpUrl(opts.config.mail.smtpUrl!) }, 'invitations are sent by e-mail');
  const clock = { now: () => new Date() };
  return {
    config: opts.config,
    database,
    log,
    keys,
    tokens,
    credentials,
    rateLimiter: new RateLimiter(opts.config.rateLimit),
    tokenThrottle: new TokenThrottle(database.db, opts.config.tokenThrottle),
    signInThrottle: new TokenThrottle(database.db, opts.config.tokenThrottle),
    oidc: new OidcClients({ allowInsecureHttp: opts.config.oidcAllowHttp }),
    mailer,
    metrics: createMetrics(database),
    clock,
    async verifyToken(token) {
      try {
        return { principal: await tokens.verify(token) };
      } catch (err) {
        if (err instanceof InvalidTokenError) return { failure: err.reason };
        throw err;
      }
    },
    async verifySession(secret) {
      const live = await findSession(database.db, secret, 'active', clock.now(), opts.config.sessions);
      if (!live) return { failure: SESSION_REFUSED };
      return {
        principal: {
          authorityId: live.person.authorityId,
          role: live.person.role,
          clientId: null,
          personId: live.person.id,
          sessionHandle: live.session.handle,
          ...(live.authoritySuspended ? { authoritySuspended: true } : {}),
        },
      };
    },
    close: async () => {
      mailer?.close();
      await credentials.stop().catch(() => undefined);
      await database.close();
    },
  };
};
