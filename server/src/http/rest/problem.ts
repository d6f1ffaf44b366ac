// RFC 9457 problem details for the REST routes. Every refusal goes through tRPC's own error formatter,
// so REST answers carry the same status, message and field-by-field issues as the tRPC endpoint.
import { getTRPCErrorShape, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Response } from 'express';
import type { Context } from '../context.js';
import type { Logger } from '../../logger.js';
import { appRouter } from '../routers/index.js';
import type { FieldIssue } from '../trpc.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are documented at /problems/<slug>, a stable relative URI on the hub itself. */
export const PROBLEM_TYPES: Record<TRPC_ERROR_CODE_KEY, { title: string; description: string }> = {
  PARSE_ERROR: { title: 'Bad Request', description: 'The request could not be parsed.' },
  BAD_REQUEST: {
    title: 'Bad Request',
    description:
      'The input is not valid. `issues` names each bad field (`path`, dotted) with what is wrong with it. Fix the input before retrying.',
  },
  UNAUTHORIZED: {
    title: 'Unauthorized',
    description:
      'No access token, or one that is invalid or expired. Get a new token from POST /oauth/token and send it as `Authorization: Bearer <token>`.',
  },
  PAYMENT_REQUIRED: { title: 'Payment Required', description: 'Not used by this hub.' },
  FORBIDDEN: {
    title: 'Forbidden',
    description:
      'Your client may not do this to a record it can see, for example a write that needs the officer role, or a change to a record another authority issued. `detail` says why.',
  },
  NOT_FOUND: {
    title: 'Not Found',
    description:
      'No such route or record, or a record your authority may not know of: the answer is the same either way, by design.',
  },
  METHOD_NOT_SUPPORTED: {
    title: 'Method Not Allowed',
    description: 'The route exists but not with this method; the Allow header lists the methods it takes.',
  },
  TIMEOUT: { title: 'Request Timeout', description: 'The request took too long to arrive.' },
  CONFLICT: {
    title: 'Conflict',
    description:
      'The record changed since you read it (a stale `version`), or an idempotency key was reused for a different request. Read the record again, or use a new key for a new request.',
  },
  PRECONDITION_FAILED: { title: 'Precondition Failed', description: 'A precondition of the request failed.' },
  PAYLOAD_TOO_LARGE: {
    title: 'Content Too Large',
    description: 'The body is larger than the hub accepts. Split a large batch or import.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    title: 'Unsupported Media Type',
    description: 'Send request bodies as JSON, with `Content-Type: application/json`.',
  },
  UNPROCESSABLE_CONTENT: { title: 'Unprocessable Content', description: 'The input could not be processed.' },
  PRECONDITION_REQUIRED: { title: 'Precondition Required', description: 'A precondition is required.' },
  TOO_MANY_REQUESTS: {
    title: 'Too Many Requests',
    description: 'Slow down: retry after the number of seconds in the Retry-After header.',
  },
  CLIENT_CLOSED_REQUEST: { title: 'Client Closed Request', description: 'The client went away.' },
  INTERNAL_SERVER_ERROR: {
    title: 'Internal Server Error',
    description:
      'A fault in the hub, not in your request. `detail` carries a request id that the operators can look up.',
  },
  NOT_IMPLEMENTED: { title: 'Not Implemented', description: 'Not implemented.' },
  BAD_GATEWAY: { title: 'Bad Gateway', description: 'An upstream service failed.' },
  SERVICE_UNAVAILABLE: {
    title: 'Service Unavailable',
    description: 'The database is unavailable for a moment; retry shortly. No acknowledged write is lost.',
  },
  GATEWAY_TIMEOUT: { title: 'Gateway Timeout', description: 'An upstream service timed out.' },
};

export const PROBLEM_CODES = Object.keys(PROBLEM_TYPES) as TRPC_ERROR_CODE_KEY[];

const slugOf = (code: TRPC_ERROR_CODE_KEY): string => code.toLowerCase().replace(/_/g, '-');
const codeBySlug = new Map(PROBLEM_CODES.map((code) => [slugOf(code), code]));

export const problemTypeUri = (code: TRPC_ERROR_CODE_KEY): string => `/problems/${slugOf(code)}`;

/** What GET /problems/<slug> answers: the documentation of one problem type, or null for an unknown slug. */
export const describeProblemType = (slug: string) => {
  const code = codeBySlug.get(slug);
  if (!code) return null;
  const { title, description } = PROBLEM_TYPES[code];
  const status = getHTTPStatusCodeFromError(new TRPCError({ code }));
  return { type: problemTypeUri(code), code, title, status, description };
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: TRPC_ERROR_CODE_KEY;
  issues?: FieldIssue[];
  requestId: string;
};

/** Issues as the problem carries them: a dotted path and a message (and zod's code where there is one). */
const issuesOf = (data: unknown): FieldIssue[] | undefined => {
  const issues = (data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return (issues as FieldIssue[]).map((i) => ({
    path: i.path,
    message: i.message,
    ...(i.code ? { code: i.code } : {}),
  }));
};

/** A TRPCError whose cause carries issues, so the shared formatter reports them field by field. */
export const inputError = (message: string, issues: { path: PropertyKey[]; message: string }[]): TRPCError =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message,
    cause: Object.assign(new Error(message), { issues: issues.map((i) => ({ code: 'custom', ...i })) }),
  });

/**
 * Answers an error as a problem. The message and issues come from the tRPC error formatter (which
 * already reduces an internal error to "internal error (request id …)"), the status from tRPC's table.
 */
export const sendProblem = (
  res: Response,
  error: TRPCError,
  call: {
    ctx?: Context;
    path?: string;
    input?: unknown;
    type?: 'query' | 'mutation';
    /** Replaces the formatter's message, where the adapter knows better what happened. */
    detail?: string;
  } = {},
): void => {
  const requestId = String(res.locals.requestId);
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error,
    type: call.type ?? 'unknown',
    path: call.path,
    input: call.input,
    ctx: call.ctx,
  });
  const status = getHTTPStatusCodeFromError(error);
  if (status === 401 && !res.getHeader('WWW-Authenticate'))
    res.setHeader('WWW-Authenticate', 'Bearer realm="ccx"');
  const detail =
    error.code === 'INTERNAL_SERVER_ERROR'
      ? `internal error (request id ${requestId})`
      : (call.detail ?? shape.message);
  const issues = issuesOf(shape.data);
  const problem: Problem = {
    type: problemTypeUri(error.code),
    title: PROBLEM_TYPES[error.code].title,
    status,
    detail,
    code: error.code,
    ...(issues ? { issues } : {}),
    requestId,
  };
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
};

/** A problem for a fault outside any procedure (the procedures log their own): logged, then a bare 500. */
export const sendInternalProblem = (res: Response, err: unknown): void => {
  (res.locals.log as Logger | undefined)?.error({ err }, 'unexpected error in the REST adapter');
  sendProblem(res, new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error' }));
};
