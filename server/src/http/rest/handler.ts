// The REST face of the hub: /api/v1 routes that each call one tRPC procedure with the context tRPC
// itself would build (same bearer-token check, principal, access policy, audit and metrics), the
// OpenAPI document at /openapi.json, problem-type pages and the browsable reference at /docs/api.
import { callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import type { TRPCRequestInfo } from '@trpc/server/http';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { createExpressContext, type Context } from '../context.js';
import type { Hub } from '../../hub.js';
import { appRouter } from '../routers/index.js';
import { buildInput } from './input.js';
import { buildRestApi, OPENAPI_PATH, takesBody, type RoutePlan } from './openapi.js';
import { describeProblemType, inputError, sendInternalProblem, sendProblem } from './problem.js';
import { referencePage } from './reference.js';
import { authoritySuspendedError, notJsonMessage, OPEN_WHILE_SUSPENDED } from '../trpc.js';
import { unauthenticated } from '../authenticate.js';
import { contractOf } from './contracts.js';
import { REST_PREFIX } from './routes.js';
import { nearest } from '../../shared/suggest.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** `/provisions/{id}` → `/api/v1/provisions/:id` (express 5 reads `{…}` as an optional part). */
const expressPathOf = (path: string): string =>
  `${REST_PREFIX}${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`;

/** What tRPC's express adapter would tell createContext about a single, non-batched call. */
const requestInfo = (type: 'query' | 'mutation', signal: AbortSignal): TRPCRequestInfo => ({
  accept: null,
  type,
  isBatchCall: false,
  calls: [],
  connectionParams: null,
  signal,
  url: null,
});

/** A body must be JSON; no body at all is fine (the input's own validation says what is missing). */
const requireJson: RequestHandler = (req, res, next) => {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !req.is(JSON_TYPES)) {
    res.setHeader(req.method === 'PATCH' ? 'Accept-Patch' : 'Accept-Post', 'application/json');
    return sendProblem(
      res,
      new TRPCError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'send the body as JSON, with Content-Type: application/json',
      }),
    );
  }
  next();
};

/**
 * HEAD on a GET route: the credential and the input are checked as GET checks them (401 without a
 * valid token, 403 for a suspended authority, 400 for bad input), and then it answers 200 with GET's
 * headers and no body, without running the procedure: nothing is read, nothing is audited, and whether
 * the record exists is not told (GET says that, and audits the read).
 */
const answerHead = (res: Response, ctx: Context, plan: RoutePlan, input: unknown): void => {
  const call = { ctx, path: plan.route.procedure, input, type: plan.type };
  if (!ctx.principal) {
    const { message, wwwAuthenticate } = unauthenticated(ctx.authFailure);
    res.setHeader('WWW-Authenticate', wwwAuthenticate);
    return sendProblem(res, new TRPCError({ code: 'UNAUTHORIZED', message }), call);
  }
  if (ctx.principal.authoritySuspended && !OPEN_WHILE_SUSPENDED.has(plan.route.procedure))
    return sendProblem(res, authoritySuspendedError(), call);
  const contract = contractOf(plan.route).input;
  const parsed = contract?.safeParse(input);
  if (parsed && !parsed.success)
    return sendProblem(res, new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error }), call);
  res.status(200).type('application/json').end();
};

const handlerFor = (hub: Hub, plan: RoutePlan): RequestHandler => {
  const createContext = createExpressContext(hub);
  return async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const { route, type } = plan;
    // A request that cannot be read as input at all is refused first, as tRPC refuses an unparseable one.
    let input: unknown;
    try {
      input = buildInput(plan, req);
    } catch (err) {
      return sendProblem(res, getTRPCErrorFromUnknown(err), { path: route.procedure, type });
    }
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    let ctx: Context;
    try {
      ctx = await createContext({ req, res, info: requestInfo(type, controller.signal) });
    } catch (err) {
      // The database away (503), or a session's call from another site (403).
      if (err instanceof TRPCError && (err.code === 'SERVICE_UNAVAILABLE' || err.code === 'FORBIDDEN'))
        return sendProblem(res, err);
      return sendInternalProblem(res, err);
    }
    if (req.method === 'HEAD') return answerHead(res, ctx, plan, input);
    try {
      const output: unknown = await callTRPCProcedure({
        router: appRouter,
        path: route.procedure,
        getRawInput: () => Promise.resolve(input),
        ctx,
        type,
        signal: controller.signal,
        batchIndex: 0,
      });
      const refusal = route.refuse?.(output);
      if (refusal) {
        const error = inputError(
          refusal.detail,
          refusal.issues.map((i) => ({ path: i.path.split('.'), message: i.message })),
        );
        return sendProblem(res, error, { ctx, path: route.procedure, input, type, detail: refusal.detail });
      }
      const id = (output as { id?: unknown } | null)?.id;
      if (plan.locationTemplate && typeof id === 'string')
        res.setHeader('Location', plan.locationTemplate.replace('{id}', encodeURIComponent(id)));
      res.status(route.creates && !route.existing?.is(output) ? 201 : 200).json(output);
    } catch (err) {
      sendProblem(res, getTRPCErrorFromUnknown(err), { ctx, path: route.procedure, input, type });
    }
  };
};

const methodNotAllowed =
  (methods: string[]): RequestHandler =>
  (req, res) => {
    const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    res.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendProblem(
      res,
      new TRPCError({
        code: 'METHOD_NOT_SUPPORTED',
        message: `${req.method} is not allowed here; this route takes ${methods.join(' or ')}`,
      }),
    );
  };

/**
 * The route template nearest to a path that matched none, with its parameters filled from the path
 * (`/api/v1/provision/1234` → `/api/v1/provisions/1234`), or undefined when none is near.
 */
const nearestRoute = (path: string, templates: readonly string[]): string | undefined => {
  const segments = path.split('/');
  const filled = templates.map((template) => {
    const parts = template.split('/');
    if (parts.length !== segments.length) return template.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    return parts.map((part, i) => (part.startsWith(':') ? segments[i]! : part)).join('/');
  });
  return nearest(path, filled);
};

/** Refusals from express itself (body parser, path decoding) as problems; anything else is a fault. */
const problemErrors =
  (hub: Hub): ErrorRequestHandler =>
  (err: { status?: unknown; type?: unknown; message?: unknown }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = typeof err.status === 'number' ? err.status : 500;
    if (status === 413)
      return sendProblem(
        res,
        new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `the body is larger than the ${hub.config.maxBodyBytes} bytes the hub accepts`,
        }),
      );
    if (status === 415)
      return sendProblem(
        res,
        new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported charset or content encoding' }),
      );
    if (status >= 400 && status < 500) {
      const message =
        err.type === 'entity.parse.failed'
          ? notJsonMessage('body', String(err.message))
          : 'malformed request';
      return sendProblem(res, inputError(message, [{ path: [], message }]), { detail: message });
    }
    sendInternalProblem(res, err);
  };

/** Everything REST: mount it on the app before its final 404 handler. */
export const restApi = (hub: Hub): Router => {
  const { document, plans } = buildRestApi();
  const r = express.Router();

  r.get(OPENAPI_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    // The document is public: let browser-based tools (editors, viewers) on other origins read it.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json(document);
  });
  r.get('/problems/:slug', (req, res) => {
    const problemType = describeProblemType(req.params.slug);
    if (!problemType)
      return sendProblem(res, new TRPCError({ code: 'NOT_FOUND', message: 'no such problem type' }));
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.json(problemType);
  });
  r.use(referencePage());

  const json = express.json({ limit: hub.config.maxBodyBytes, strict: false, type: JSON_TYPES });
  const methodsByPath = new Map<string, string[]>();
  for (const plan of plans) {
    const path = expressPathOf(plan.route.path);
    const handler = handlerFor(hub, plan);
    const { method } = plan.route;
    if (takesBody(method)) r[method](path, requireJson, json, handler);
    else r[method](path, handler);
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), plan.route.method.toUpperCase()]);
  }
  // After every route: a known path with another method. Registered per path template, so the
  // request metrics label it by its template rather than by the ids in it.
  for (const [path, methods] of methodsByPath) r.all(path, methodNotAllowed(methods));
  const templates = [...methodsByPath.keys()];
  r.use('/api', (req, res) => {
    const path = `${req.baseUrl}${req.path}`;
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    const guess = path.length > 200 ? undefined : nearestRoute(path, templates);
    sendProblem(
      res,
      new TRPCError({
        code: 'NOT_FOUND',
        message: `no route for ${req.method} ${shown}${guess ? ` — did you mean "${guess}"?` : ''}`,
      }),
    );
  });
  r.use(problemErrors(hub));
  return r;
};
