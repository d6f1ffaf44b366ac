// One authentication for every door — tRPC calls, live subscriptions and REST: the bearer token from
// the Authorization header (or, for a browser's EventSource, a connection parameter), verified once.
import { TRPCError } from '@trpc/server';
import { TOKEN_EXPIRED, type Principal } from '../auth/tokens.js';
import type { Hub } from '../hub.js';
import { SESSION_REFUSED } from '../domain/people/sessions.js';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../shared/errors.js';

// The scheme is case-insensitive (RFC 7235 §2.1); the token's own characters are matched as they are.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-_.~+/]+=*)$/;

export type Authentication =
  | { principal: Principal }
  /** A credential was presented and refused; the reason is for the log, never the caller. */
  | { failure: string }
  | { none: true };

export const TOKEN_REQUIRED_MESSAGE = 'an access token is required (Authorization: Bearer …)';
export const TOKEN_EXPIRED_MESSAGE = 'the access token has expired; get a new one from /oauth/token';
export const TOKEN_INVALID_MESSAGE = 'the access token is not valid';
export const SESSION_ENDED_MESSAGE =
  'your session has ended (signed out, timed out or expired); sign in again';

/**
 * What every door says to a caller it cannot authenticate: the 401's message and its
 * WWW-Authenticate header (RFC 6750 §3). A token is only called expired when it is genuine in every
 * other respect (auth/tokens.ts); any other refusal gets the same words, which help no attacker.
 */
export const unauthenticated = (failure: string | null): { message: string; wwwAuthenticate: string } => {
  if (failure === null) return { message: TOKEN_REQUIRED_MESSAGE, wwwAuthenticate: 'Bearer realm="ccx"' };
  if (failure === SESSION_REFUSED)
    return { message: SESSION_ENDED_MESSAGE, wwwAuthenticate: 'Bearer realm="ccx"' };
  const message = failure === TOKEN_EXPIRED ? TOKEN_EXPIRED_MESSAGE : TOKEN_INVALID_MESSAGE;
  return {
    message,
    wwwAuthenticate: `Bearer realm="ccx", error="invalid_token", error_description="${message}"`,
  };
};

/** The 503 every door answers while the database is away (checking a client reads it). */
export const databaseUnavailableError = (cause?: unknown): TRPCError =>
  new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE, cause });

/**
 * Verifies the caller's credential: the Authorization header when there is one, else a token passed
 * as a connection parameter, else a person's session cookie. Throws databaseUnavailableError when the
 * database cannot be reached.
 */
export const authenticate = async (
  hub: Hub,
  credential: { authorization?: string | undefined; token?: unknown; session?: string | undefined },
): Promise<Authentication> => {
  if (credential.authorization === undefined && typeof credential.token !== 'string' && credential.session) {
    try {
      return await hub.verifySession(credential.session);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw databaseUnavailableError(err);
      throw err;
    }
  }
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
