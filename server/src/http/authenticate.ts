// One authentication for every door — tRPC calls, live subscriptions and REST: the bearer token from
// the Authorization header (or, for a browser's EventSource, a connection parameter), verified once.
import { TRPCError } from '@trpc/server';
import type { Principal } from '../auth/tokens.js';
import type { Hub } from '../hub.js';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../shared/errors.js';

// The scheme is case-insensitive (RFC 7235 §2.1); the token's own characters are matched as they are.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-_.~+/]+=*)$/;

export type Authentication =
  | { principal: Principal }
  /** A credential was presented and refused; the reason is for the log, never the caller. */
  | { failure: string }
  | { none: true };

/** The 503 every door answers while the database is away (checking a client reads it). */
export const databaseUnavailableError = (cause?: unknown): TRPCError =>
  new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE, cause });

/**
 * Verifies the caller's credential: the Authorization header when there is one, else a token passed
 * as a connection parameter. Throws databaseUnavailableError when the database cannot be reached.
 */
export const authenticate = async (
  hub: Hub,
  credential: { authorization?: string | undefined; token?: unknown },
): Promise<Authentication> => {
  let token: string;
  if (credential.authorization !== undefined) {
    const match = BEARER.exec(credential.authorization);
    if (!match?.[1]) return { failure: 'malformed authorization header' };
    token = match[1];
  } else if (typeof credential.token === 'string') {
    token = credential.token;
  } else {
    return { none: true };
  }
  try {
    return await hub.verifyToken(token);
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw databaseUnavailableError(err);
    throw err;
  }
};
