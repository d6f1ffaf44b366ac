// Typed errors: every failure of an SDK call is a CcxError with the hub's code, HTTP status, the
// field-by-field issues of a 400, the request id to quote to the hub's operators, and when to retry.
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from './router.js';
import { RequestTimeoutError } from './timeout.js';
import { parseRetryAfter, TokenError } from './tokens.js';

export type FieldIssue = { path: string; message: string; code?: string };

/** The code of a refused token request: a lockout or rate limit, the service down, else bad credentials. */
const tokenCode = (status: number): string =>
  status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'SERVICE_UNAVAILABLE' : 'UNAUTHORIZED';

export class CcxError extends TRPCClientError<AppRouter> {
  override name = 'CcxError';
  /**
   * The tRPC code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS,
   * SERVICE_UNAVAILABLE …, or NETWORK (the hub could not be reached) and TIMEOUT (it did not answer in time).
   */
  readonly code: string;
  readonly httpStatus: number;
  readonly issues: FieldIssue[];
  readonly requestId: string | undefined;
  /** Seconds to wait before trying again, from the hub's Retry-After (a 429 or 503), when it gave one. */
  readonly retryAfterSeconds: number | undefined;
  /** The refused token request behind this error, if that is what failed (status, OAuth error, lockout). */
  readonly tokenError: TokenError | undefined;

  constructor(cause: TRPCClientError<AppRouter>) {
    super(cause.message, {
      cause,
      meta: cause.meta,
      result: cause.shape ? { error: cause.shape } : undefined,
    });
    // TRPCClientError resets the prototype in its constructor; restore ours so instanceof works.
    Object.setPrototypeOf(this, new.target.prototype);
    const data = (cause.data ?? {}) as {
      code?: string;
      httpStatus?: number;
      issues?: FieldIssue[];
      requestId?: string;
    };
    // A refused token request surfaces as the call's own error: 401 UNAUTHORIZED, or a lockout's 429.
    const tokenError = cause.cause instanceof TokenError ? cause.cause : undefined;
    const timedOut = cause.cause instanceof RequestTimeoutError;
    this.code =
      data.code ??
      (tokenError
        ? tokenCode(tokenError.status)
        : timedOut
          ? 'TIMEOUT'
          : cause.cause
            ? 'NETWORK'
            : 'UNKNOWN');
    this.httpStatus = data.httpStatus ?? tokenError?.status ?? 0;
    this.issues = data.issues ?? [];
    this.requestId = data.requestId;
    this.tokenError = tokenError;
    const response = cause.meta?.response;
    this.retryAfterSeconds =
      tokenError?.retryAfterSeconds ??
      (response instanceof Response ? parseRetryAfter(response.headers.get('retry-after')) : undefined);
  }
}

export const isCcxError = (err: unknown): err is CcxError => err instanceof CcxError;
