// The hub's long-lived services, built once per process (or once per test file): database, keys, tokens, metrics.
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/index.js';
import { SigningKeyStore } from './auth/signing-keys.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { TokenThrottle } from './auth/token-throttle.js';
import { InvalidTokenError, TokenService, type Principal } from './auth/tokens.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';

export type Hub = {
  config: Config;
  database: Database;
  log: Logger;
  keys: SigningKeyStore;
  tokens: TokenService;
  /** Procedure calls per client (429 when spent). */
  rateLimiter: RateLimiter;
  /** Failed attempts at the token endpoint per client id. */
  tokenThrottle: TokenThrottle;
  metrics: Metrics;
  /** The hub's idea of now for need-to-know decisions; tests move it to exercise expiry. */
  clock: { now: () => Date };
  verifyToken(token: string): Promise<{ principal: Principal } | { failure: string }>;
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
  return {
    config: opts.config,
    database,
    log,
    keys,
    tokens,
    rateLimiter: new RateLimiter(opts.config.rateLimit),
    tokenThrottle: new TokenThrottle(database.db, opts.config.tokenThrottle),
    metrics: createMetrics(database),
    clock: { now: () => new Date() },
    async verifyToken(token) {
      try {
        return { principal: await tokens.verify(token) };
      } catch (err) {
        if (err instanceof InvalidTokenError) return { failure: err.reason };
        throw err;
      }
    },
    close: () => database.close(),
  };
};
