// Domain errors. Services throw AppError; the tRPC layer maps each code to one HTTP status.
export const APP_ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  'UNAVAILABLE',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** What a caller is told while the database cannot be reached (a 503). */
export const DATABASE_UNAVAILABLE = 'the database is unavailable; retry shortly';

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);

/** The PostgreSQL SQLSTATE of an error from postgres.js or PGlite, looking through drizzle's wrapper. */
export const pgErrorCode = (err: unknown): string | undefined => {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
};

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** True when an error means the database cannot be reached, as opposed to a bad query. */
export const isDatabaseUnavailable = (err: unknown): boolean => {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    // Class 08 (connection exception), 57P01-03 (admin shutdown, crash shutdown, cannot connect now).
    if (/^08/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  }
  return false;
};
