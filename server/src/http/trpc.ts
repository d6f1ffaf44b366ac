// tRPC is initialised once here: the error formatter, and the procedure chain
// baseProcedure (errors, timing, metrics) → authedProcedure (verified principal) → roleProcedure(min role).
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { roleRank, type Role } from '@ccx/schema';
import { databaseUnavailableError, unauthenticated } from './authenticate.js';
import type { Context } from './context.js';
import type { Actor } from '../domain/actor.js';
import { AppError, isDatabaseUnavailable, pgErrorCode, type AppErrorCode } from '../shared/errors.js';
import { didYouMean } from '../shared/suggest.js';

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

/** A zod issue as the formatter reads it: any Standard Schema issue, plus zod's own fields. */
type RawIssue = {
  path?: PropertyKey[];
  message?: string;
  code?: string;
  /** unrecognized_keys: the unknown fields, and the fields the object knows (schema/src/common.ts zInput). */
  keys?: unknown;
  known?: unknown;
  /** invalid_union: each alternative's own issues. */
  errors?: unknown;
  expected?: unknown;
};

/** A name as an error quotes it: an absurdly long one is cut, never echoed whole. */
const quoted = (name: string): string => (name.length > 60 ? `${name.slice(0, 60)}…` : name);
const dotted = (path: readonly PropertyKey[]): string =>
  path.map((p) => quoted(String(p))).join('.') || '(input)';
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const issueList = (value: unknown): RawIssue[] =>
  Array.isArray(value) ? value.filter((v): v is RawIssue => typeof v === 'object' && v !== null) : [];

/** One issue per unknown field, naming the known field it was probably meant to be. */
const unknownFieldIssues = (path: PropertyKey[], keys: string[], known: string[]): FieldIssue[] =>
  keys.map((key) => ({
    path: dotted([...path, key]),
    message: `unknown field "${quoted(key)}"${didYouMean(key, known)}`,
    code: 'unrecognized_keys',
  }));

const listed = (names: string[]): string => names.join(' and ');

/** The input's value at a path, or undefined. */
const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
};

/**
 * An input that fits none of a union's alternatives (zod's bare "Invalid input"), said as what to
 * give: "give either provisionId or urn". Each alternative is named by the fields its own issues
 * point at (those it misses) and the fields given that it takes; a field given to one alternative
 * that belongs to another means two were mixed ("…, not both"); a field no alternative knows is
 * reported as unknown.
 */
const unionIssues = (path: PropertyKey[], union: RawIssue, value: unknown): FieldIssue[] => {
  const given =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const branches = issueList(union.errors).map(issueList);
  const alternatives = branches.map((issues) => {
    const fields = new Set<string>();
    const known: string[] = [];
    const unknown: string[] = [];
    let refused = false;
    for (const issue of issues) {
      const at = issue.path ?? [];
      if (issue.code === 'unrecognized_keys' && at.length === 0) {
        known.push(...strings(issue.known));
        unknown.push(...strings(issue.keys));
      } else if (issue.code === 'invalid_type' && issue.expected === 'undefined') {
        refused = true; // a field this alternative forbids because another one takes it
      } else if (at.length > 0) fields.add(String(at[0]));
    }
    // A field given that this alternative did not refuse is one of its own, though it was right.
    for (const key of given) if (!unknown.includes(key) && !fields.has(key)) fields.add(key);
    const own = given.filter((k) => fields.has(k));
    const ordered = [...own, ...[...fields].filter((f) => !own.includes(f))];
    return { fields: ordered.length > 0 ? ordered : known, known, unknown, refused };
  });
  if (alternatives.length === 0 || alternatives.some((a) => a.fields.length === 0)) {
    // Not alternatives of fields (the input is not an object at all, say): the first alternative's words.
    const first = branches[0]?.[0];
    return [{ path: dotted(path), message: first?.message ?? 'invalid input', code: 'invalid_union' }];
  }
  const everyField = new Set(alternatives.flatMap((a) => [...a.fields, ...a.known]));
  const mixed = alternatives.some((a) => a.refused || a.unknown.some((k) => everyField.has(k)));
  const forms = alternatives.map((a) => listed(a.fields));
  const words =
    forms.length === 2 ? `give either ${forms[0]} or ${forms[1]}` : `give one of: ${forms.join('; ')}`;
  const issues: FieldIssue[] = [
    { path: dotted(path), message: mixed ? `${words}, not both` : words, code: 'invalid_union' },
  ];
  // Unknown to every alternative: a field of its own, reported as any unknown field is.
  const strangers = [...new Set(alternatives.flatMap((a) => a.unknown))].filter(
    (k) => !everyField.has(k) && alternatives.every((a) => a.unknown.includes(k)),
  );
  return [...issues, ...unknownFieldIssues(path, strangers, [...everyField])];
};

/** At most this many issues are reported; a body of ten thousand unknown fields gets no longer answer. */
const MAX_ISSUES = 50;

/** Zod (or any Standard Schema) issues, flattened to one entry per field; `input` is the raw input. */
const issuesOf = (cause: unknown, input?: unknown): FieldIssue[] | undefined => {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  const flat = issueList(issues).flatMap((i): FieldIssue[] => {
    const path = i.path ?? [];
    if (i.code === 'unrecognized_keys') return unknownFieldIssues(path, strings(i.keys), strings(i.known));
    if (i.code === 'invalid_union' && (i.message === undefined || i.message === 'Invalid input'))
      return unionIssues(path, i, valueAt(input, path));
    return [{ path: dotted(path), message: i.message ?? 'invalid', ...(i.code ? { code: i.code } : {}) }];
  });
  if (flat.length <= MAX_ISSUES) return flat;
  return [
    ...flat.slice(0, MAX_ISSUES),
    { path: '(input)', message: `and ${flat.length - MAX_ISSUES} more issues`, code: 'too_many_issues' },
  ];
};

/** The position a JSON parser names, "at position 12 (line 1 column 13)", and nothing of the text itself. */
const jsonPosition = (message: string): string => {
  const position = /position (\d+)/.exec(message)?.[1];
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (position === undefined) {
    if (/end of (?:JSON|data)/i.test(message)) return 'it ends too soon';
    // V8 names the character (and quotes the text around it, which is left out).
    const token = /^Unexpected token '([\x21-\x7e])'/.exec(message)?.[1];
    return token === undefined ? 'it cannot be read' : `unexpected character '${token}'`;
  }
  return lineColumn
    ? `at position ${position} (line ${lineColumn[1]}, column ${lineColumn[2]})`
    : `at position ${position}`;
};

/**
 * What to say of input that is not JSON at all. tRPC's own words are the parser's, which quote the
 * text sent; these say where it broke and nothing more.
 */
export const notJsonMessage = (source: 'body' | 'query', parserMessage: string): string =>
  source === 'query'
    ? `the input query parameter is not valid JSON: ${jsonPosition(parserMessage)}`
    : `the request body is not valid JSON: ${jsonPosition(parserMessage)}`;

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx, input }) {
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
    if (
      (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') &&
      error.cause instanceof SyntaxError
    ) {
      // The input did not parse as JSON: from ?input= on a GET, else from the body (or, for a live
      // subscription, its connectionParams, which tRPC parses apart and names).
      const message =
        error.code === 'PARSE_ERROR' && /connection ?params|query params/i.test(error.message)
          ? 'the connectionParams query parameter is not valid JSON'
          : notJsonMessage(ctx?.res?.req.method === 'GET' ? 'query' : 'body', error.cause.message);
      const issues: FieldIssue[] = [{ path: '(input)', message, code: 'invalid_json' }];
      return { ...shape, message, data: { ...data, requestId, issues } };
    }
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause, input) : undefined;
    if (issues) {
      const message = `invalid input: ${issues
        .map((i) => (i.path === '(input)' ? i.message : `${i.path}: ${i.message}`))
        .join('; ')}`;
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
    const retryAfter = cause.details?.retryAfterSeconds;
    if (cause.code === 'TOO_MANY_REQUESTS' && typeof retryAfter === 'number')
      ctx.res?.setHeader('Retry-After', String(retryAfter));
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

export const AUTHORITY_SUSPENDED_MESSAGE =
  "your authority's membership of the partnership is suspended; contact the hub-admin";

/**
 * What a caller of a suspended authority may still reach: who they are and what their authority's
 * status is, their own sessions, and signing out. Everything else is refused with the reason.
 */
export const OPEN_WHILE_SUSPENDED: ReadonlySet<string> = new Set([
  'authorities.me',
  'auth.me',
  'auth.sessions',
  'auth.signOut',
  'auth.signOutEverywhere',
  'auth.endSession',
]);

/** The refusal every door gives a suspended authority's caller. */
export const authoritySuspendedError = (): TRPCError =>
  new TRPCError({ code: 'FORBIDDEN', message: AUTHORITY_SUSPENDED_MESSAGE });

export const authedProcedure = baseProcedure.use(({ ctx, next, path }) => {
  if (!ctx.principal) {
    if (ctx.authFailure) ctx.log.info({ reason: ctx.authFailure }, 'token refused');
    const { message, wwwAuthenticate } = unauthenticated(ctx.authFailure);
    ctx.res?.setHeader('WWW-Authenticate', wwwAuthenticate);
    throw new TRPCError({ code: 'UNAUTHORIZED', message });
  }
  // Known from the same lookup that verified the token or session (auth/tokens.ts, people/sessions.ts).
  if (ctx.principal.authoritySuspended && !OPEN_WHILE_SUSPENDED.has(path)) throw authoritySuspendedError();
  const rate = ctx.hub.rateLimiter.take(ctx.principal.personId ?? ctx.principal.clientId ?? '');
  if (!rate.ok) {
    ctx.res?.setHeader('Retry-After', String(rate.retryAfterSeconds));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `${ctx.principal.personId ? 'you have' : 'this client has'} made too many requests; retry after ${rate.retryAfterSeconds} s`,
    });
  }
  const actor: Actor = {
    authorityId: ctx.principal.authorityId,
    clientId: ctx.principal.clientId,
    personId: ctx.principal.personId ?? null,
    role: ctx.principal.role,
    requestId: ctx.requestId,
    now: ctx.hub.clock.now(),
  };
  return next({ ctx: { ...ctx, principal: ctx.principal, actor } });
});

/** Requires at least the given role. `hub-admin` is above `admin`, which is above `officer` and `viewer`. */
export const roleProcedure = (min: Role) =>
  authedProcedure.use(({ ctx, next }) => {
    if (roleRank(ctx.principal.role) < roleRank(min)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `this action needs the ${min} role; ${ctx.principal.personId ? 'you have' : 'your client has'} ${ctx.principal.role}`,
      });
    }
    return next();
  });

export type AuthedContext = Context & { principal: NonNullable<Context['principal']> };
