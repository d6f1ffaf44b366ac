// Configuration from environment variables, validated once at start with a message naming the bad variable.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { zAuthorityId, zEmail, zName, zRegion } from '@ccx/schema';

const zBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const zDuration = z
  .string()
  .regex(/^\d+(ms|s|m|h)?$/, 'must be a duration such as 900, 900s, 15m or 1h')
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+/, '') || 's';
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[unit] ?? 1;
    return Math.round(n * factor);
  });

const zEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CCX_DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  CCX_ISSUER: z.url({ message: 'must be a URL such as https://ccx.example.gov.uk' }).optional(),
  CCX_AUDIENCE: z.string().min(1).default('ccx-api'),
  CCX_TOKEN_TTL: zDuration
    .pipe(z.number().min(60, 'must be at least 60 seconds').max(86_400, 'must be at most 24 hours'))
    .default(900),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CCX_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    // 4 MiB: a full yearly import (20,000 rows naming provisions by id and URN) is about 2 MiB.
    .default(4 * 1024 * 1024),
  CCX_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  CCX_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  CCX_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(300),
  CCX_TOKEN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  CCX_TOKEN_FAILURE_WINDOW: zDuration.pipe(z.number().min(1).max(86_400)).default(900),
  CCX_TOKEN_LOCK: zDuration.pipe(z.number().min(1).max(86_400)).default(900),
  CCX_TOKEN_FAILURE_DELAY_MS: z.coerce.number().int().min(0).max(5000).default(100),
  CCX_HOST_AUTHORITY_ID: zAuthorityId.default('hub-host'),
  CCX_HOST_AUTHORITY_NAME: zName.default('Hub host authority'),
  CCX_HOST_AUTHORITY_REGION: zRegion.default('london'),
  CCX_HOST_AUTHORITY_INBOX: zEmail.default('qa@hub-host.example.gov.uk'),
  CCX_TRUST_PROXY: zBool.default(false),
  CCX_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (a random string: openssl rand -hex 32)')
    .max(500)
    .regex(/^[A-Za-z0-9\-_.~+/]+=*$/, 'must be token characters (letters, digits and -_.~+/)')
    .optional(),
  CCX_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CCX_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  CCX_SHUTDOWN_GRACE: zDuration.default(10),
  CCX_MAX_PROSPECTIVE_GRANTS: z.coerce.number().int().min(1).max(1000).default(20),
  CCX_JOBS: zBool.default(true),
  CCX_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: zBool.default(false),
  CCX_WEBHOOK_ALLOW_PRIVATE: zBool.default(false),
  CCX_WEBHOOK_TIMEOUT: zDuration.pipe(z.number().min(1).max(60)).default(5),
  CCX_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  CCX_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  CCX_WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  CCX_WEBHOOK_SECRET_OVERLAP: zDuration
    .pipe(
      z
        .number()
        .min(0)
        .max(7 * 86_400),
    )
    .default(86_400),
  CCX_SESSION_IDLE: zDuration.pipe(z.number().min(60).max(86_400)).default(1800),
  CCX_SESSION_MAX: zDuration
    .pipe(
      z
        .number()
        .min(300)
        .max(7 * 86_400),
    )
    .default(43_200),
  CCX_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL such as smtps://user:pass@smtp.example.gov.uk')
    .optional(),
  CCX_MAIL_FROM: zEmail.optional(),
  CCX_OIDC_ALLOW_HTTP: zBool.default(false),
  CCX_CONSOLE_DIR: z.string().optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The schema owner's URL, when the hub connects as a less privileged role (DATABASE_URL). */
  databaseOwnerUrl: string | undefined;
  databasePoolMax: number;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  logLevel: z.infer<typeof zEnv>['LOG_LEVEL'];
  maxBodyBytes: number;
  maxBatchSize: number;
  /** Procedure calls per minute per API client (0: no limit), and how many may come at once. */
  rateLimit: { perMinute: number; burst: number };
  /** Brute-force protection of the token endpoint, per presented client id. */
  tokenThrottle: { maxFailures: number; windowSeconds: number; lockSeconds: number; failureDelayMs: number };
  hostAuthority: { id: string; name: string; region: z.infer<typeof zRegion>; qaInbox: string };
  trustProxy: boolean;
  /**
   * Who may read /metrics: with a port, it is served there only (no longer on the API port); with a
   * token, only a request bearing it; with neither, nobody (the route says how to turn it on).
   */
  metrics: { token: string | undefined; port: number | undefined; host: string };
  shutdownGraceSeconds: number;
  /** Most open pre-placement grants one authority may hold at once. */
  maxProspectiveGrants: number;
  /** Run background jobs (sequencer, webhook delivery, expiry, overdue) in this process. */
  jobs: boolean;
  /** Hub processes sharing the port (Node's cluster module); above 1 only on PostgreSQL. */
  processes: number;
  webhooks: {
    allowHttpLoopback: boolean;
    allowPrivate: boolean;
    timeoutSeconds: number;
    maxAttempts: number;
    retryBaseMs: number;
    /** How long a worker holds the deliveries it claimed; a dead worker's claim is retried after it. */
    leaseMs: number;
    secretOverlapSeconds: number;
  };
  /** People's browser sessions: idle timeout and absolute limit, in seconds. */
  sessions: { idleSeconds: number; maxSeconds: number };
  /** Outgoing e-mail (invitations): off unless an SMTP URL is set. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Allow identity providers on plain http (tests and local trials only). */
  oidcAllowHttp: boolean;
  /** The web console's built files (server/console/dist), served at /. */
  consoleDir: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  // An empty variable means "unset", as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = zEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      // A database URL may carry a password: name the variable, never echo its value.
      const value =
        (name.startsWith('DATABASE_') && name.endsWith('_URL')) || name === 'CCX_SMTP_URL'
          ? undefined
          : cleaned[name];
      return `  ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.CCX_PROCESSES > 1 && !e.DATABASE_URL)
    throw new ConfigError(
      `invalid configuration:\n  CCX_PROCESSES=${JSON.stringify(String(e.CCX_PROCESSES))}: more than one process needs PostgreSQL (DATABASE_URL); the embedded database belongs to one process`,
    );
  const issuerHost = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    // Relative to where the user ran the command (npm runs workspace scripts inside the package folder).
    dataDir: path.resolve(cleaned.INIT_CWD ?? process.cwd(), e.CCX_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    issuer: (e.CCX_ISSUER ?? `http://${issuerHost}:${e.PORT}`).replace(/\/$/, ''),
    audience: e.CCX_AUDIENCE,
    tokenTtlSeconds: e.CCX_TOKEN_TTL,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.CCX_MAX_BODY_BYTES,
    maxBatchSize: e.CCX_MAX_BATCH_SIZE,
    rateLimit: { perMinute: e.CCX_RATE_LIMIT, burst: e.CCX_RATE_BURST },
    tokenThrottle: {
      maxFailures: e.CCX_TOKEN_MAX_FAILURES,
      windowSeconds: e.CCX_TOKEN_FAILURE_WINDOW,
      lockSeconds: e.CCX_TOKEN_LOCK,
      failureDelayMs: e.CCX_TOKEN_FAILURE_DELAY_MS,
    },
    hostAuthority: {
      id: e.CCX_HOST_AUTHORITY_ID,
      name: e.CCX_HOST_AUTHORITY_NAME,
      region: e.CCX_HOST_AUTHORITY_REGION,
      qaInbox: e.CCX_HOST_AUTHORITY_INBOX,
    },
    trustProxy: e.CCX_TRUST_PROXY,
    metrics: { token: e.CCX_METRICS_TOKEN, port: e.CCX_METRICS_PORT, host: e.CCX_METRICS_HOST },
    shutdownGraceSeconds: e.CCX_SHUTDOWN_GRACE,
    maxProspectiveGrants: e.CCX_MAX_PROSPECTIVE_GRANTS,
    jobs: e.CCX_JOBS,
    processes: e.CCX_PROCESSES,
    webhooks: {
      allowHttpLoopback: e.CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK,
      allowPrivate: e.CCX_WEBHOOK_ALLOW_PRIVATE,
      timeoutSeconds: e.CCX_WEBHOOK_TIMEOUT,
      maxAttempts: e.CCX_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.CCX_WEBHOOK_RETRY_BASE_MS,
      leaseMs: e.CCX_WEBHOOK_LEASE_MS,
      secretOverlapSeconds: e.CCX_WEBHOOK_SECRET_OVERLAP,
    },
    sessions: { idleSeconds: e.CCX_SESSION_IDLE, maxSeconds: e.CCX_SESSION_MAX },
    mail: {
      smtpUrl: e.CCX_SMTP_URL,
      from: e.CCX_MAIL_FROM ?? `no-reply@${new URL(e.CCX_ISSUER ?? 'http://ccx.localhost').hostname}`,
    },
    oidcAllowHttp: e.CCX_OIDC_ALLOW_HTTP,
    consoleDir: e.CCX_CONSOLE_DIR
      ? path.resolve(cleaned.INIT_CWD ?? process.cwd(), e.CCX_CONSOLE_DIR)
      : // server/src/config.ts and server/dist/config.js both sit one folder below server/.
        fileURLToPath(new URL('../console/dist', import.meta.url)),
  };
};
