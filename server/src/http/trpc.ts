// tRPC is initialised once here: the error formatter, and the procedure chain
// baseProcedure (errors, timing, metrics) → authedProcedure (verified principal) → roleProcedure(min role).
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { roleRank, type Role } from '@ccx/schema';
import { databaseUnavailableError } from './authenticate.js';
import type { Context } from './context.js';
import type { Actor } from '../domain/actor.js';
import { AppError, isDatabaseUnavailable, pgErrorCode, type AppErrorCode } from '../shared/errors.js';

/** SQLSTATEs of a value PostgreSQL cannot take: numeric out of range, bad datetime, bad text form. */
const VALUE_REFUSED = new Set(['22003', '22007', '22008', '22009', '22P02']);

const APP_TO_TRPC: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

export type FieldIssue = { path: string; message: string; code?: string };

/** Zod (or any Standard Schema) issues, flattened to one entry per field. */
const issuesOf = (cause: unknown): FieldIssue[] | undefined => {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return issues.map((i: { path?: PropertyKey[]; message?: string; code?: string }) => ({
    path: (i.path ?? []).map(String).join('.') || '(input)',
    message: i.message ?? 'invalid',
    ...(i.code ? { code: i.code } : {}),
  }));
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const { stack: _stack, ...data } = shape.data;
    const requestId = ctx?.requestId;
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      // Never show an internal message: the log has it, keyed by the request id.
      return {
        ...shape,
        message: `internal error (request id ${requestId ?? 'unknown'})`,
        data: { ...data, requestId },
      };
    }
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : undefined;
    if (issues) {
      const message = `invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
      return { ...shape, message: message.slice(0, 2000), data: { ...data, requestId, issues } };
    }
    return { ...shape, data: { ...data, requestId } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Maps domain errors and database outages to tRPC errors, and logs every unexpected failure. */
const errorMapping = t.middleware(async ({ ctx, next, path, type }) => {
  const started = performance.now();
  const result = await next();
  const seconds = (performance.now() - started) / 1000;
  if (result.ok) {
    ctx.hub.metrics.observeProcedure(path, type, 'OK', seconds);
    return result;
  }
  let error = result.error;
  const cause = error.cause;
  if (cause instanceof AppError) {
    error = new TRPCError({ code: APP_TO_TRPC[cause.code], message: cause.message, cause });
  } else if (error.code === 'INTERNAL_SERVER_ERROR' && pgErrorCode(cause) === '22021') {
    // PostgreSQL text cannot hold U+0000; zod lets it through, so it is bad input, not a server fault.
    error = new TRPCError({
      code: 'BAD_REQUEST',
      message: 'text must not contain NUL (U+0000) characters',
      cause,
    });
  } else if (error.code === 'INTERNAL_SERVER_ERROR' && VALUE_REFUSED.has(pgErrorCode(cause) ?? '')) {
    // The contracts should stop these first; if a value still reaches PostgreSQL out of range or
    // malformed, it is the client's value, not a server fault. Logged, so the contract can be tightened.
    ctx.log.warn({ path, sqlState: pgErrorCode(cause) }, 'database refused a value the contract let through');
    error = new TRPCError({ code: 'BAD_REQUEST', message: 'a value is out of range or malformed', cause });
  } else if (error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(cause)) {
    error = databaseUnavailableError(cause);
    ctx.log.warn({ err: cause, path }, 'database unavailable');
  } else if (error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.log.error({ err: cause ?? error, path }, 'unexpected error');
  }
  ctx.hub.metrics.observeProcedure(path, type, error.code, seconds);
  return { ...result, error };
});

class InputIssuesError extends Error {
  constructor(readonly issues: { path: PropertyKey[]; message: string; code: string }[]) {
    super('invalid input');
  }
}

const MAX_INPUT_DEPTH = 20;
/** Half of a UTF-16 surrogate pair without the other half: not Unicode, and PostgreSQL's jsonb refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Finds what no contract should have to think about: NUL characters (PostgreSQL cannot store them) and absurd nesting. */
const findRawInputProblem = (
  value: unknown,
  path: PropertyKey[] = [],
): { path: PropertyKey[]; message: string; code: string } | null => {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      return { path, message: 'text must not contain NUL (\\u0000) characters', code: 'invalid_string' };
    return LONE_SURROGATE.test(value)
      ? { path, message: 'text must be valid Unicode (a lone surrogate was sent)', code: 'invalid_string' }
      : null;
  }
  // JSON like 1e400 parses to Infinity, which no column or canonical form can hold.
  if (typeof value === 'number' && !Number.isFinite(value))
    return { path, message: 'numbers must be finite', code: 'invalid_type' };
  if (value === null || typeof value !== 'object') return null;
  if (path.length >= MAX_INPUT_DEPTH)
    return { path, message: `input is nested more than ${MAX_INPUT_DEPTH} levels deep`, code: 'too_big' };
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000') || LONE_SURROGATE.test(k))
      return {
        path: [...path, k],
        message: 'field names must be valid Unicode without NUL characters',
        code: 'invalid_key',
      };
    const problem = findRawInputProblem(v, [...path, k]);
    if (problem) return problem;
  }
  return null;
};

const rawInputGuard = t.middleware(async ({ getRawInput, next }) => {
  const problem = findRawInputProblem(await getRawInput());
  if (problem)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: problem.message,
      cause: new InputIssuesError([problem]),
    });
  return next();
});

export const baseProcedure = t.procedure.use(errorMapping).use(rawInputGuard);

export const authedProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) {
    if (ctx.authFailure) ctx.log.info({ reason: ctx.authFailure }, 'token refused');
    ctx.res?.setHeader(
      'WWW-Authenticate',
      ctx.authFailure ? 'Bearer realm="ccx", error="invalid_token"' : 'Bearer realm="ccx"',
    );
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.authFailure
        ? 'invalid or expired access token'
        : 'an access token is required (Authorization: Bearer …)',
    });
  }
  const rate = ctx.hub.rateLimiter.take(ctx.principal.clientId);
  if (!rate.ok) {
    ctx.res?.setHeader('Retry-After', String(rate.retryAfterSeconds));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `this client has made too many requests; retry after ${rate.retryAfterSeconds} s`,
    });
  }
  const actor: Actor = { ...ctx.principal, requestId: ctx.requestId, now: ctx.hub.clock.now() };
  return next({ ctx: { ...ctx, principal: ctx.principal, actor } });
});

/** Requires at least the given role. `hub-admin` is above `admin`, which is above `officer` and `viewer`. */
export const roleProcedure = (min: Role) =>
  authedProcedure.use(({ ctx, next }) => {
    if (roleRank(ctx.principal.role) < roleRank(min)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `this action needs the ${min} role; your client has ${ctx.principal.role}`,
      });
    }
    return next();
  });

export type AuthedContext = Context & { principal: NonNullable<Context['principal']> };
