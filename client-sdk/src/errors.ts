// Typed errors: every failure of an SDK call is a CcxError with the hub's code, HTTP status, the
// field-by-field issues of a 400, and the request id to quote to the hub's operators.
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from './router.js';
import { TokenError } from './tokens.js';

export type FieldIssue = { path: string; message: string; code?: string };

export class CcxError extends TRPCClientError<AppRouter> {
  override name = 'CcxError';
  /** The tRPC code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE … */
  readonly code: string;
  readonly httpStatus: number;
  readonly issues: FieldIssue[];
  readonly requestId: string | undefined;

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
    // A refused token request surfaces as the call's own 401.
    const tokenError = cause.cause instanceof TokenError ? cause.cause : undefined;
    this.code = data.code ?? (tokenError ? 'UNAUTHORIZED' : cause.cause ? 'NETWORK' : 'UNKNOWN');
    this.httpStatus = data.httpStatus ?? tokenError?.status ?? 0;
    this.issues = data.issues ?? [];
    this.requestId = data.requestId;
  }
}

export const isCcxError = (err: unknown): err is CcxError => err instanceof CcxError;
