// The express application: request ids and logs, health and metrics, OAuth and JWKS, and tRPC at /trpc.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { tokenRouter } from './token-endpoint.js';
import { authenticate, unauthenticated, type Authentication } from './authenticate.js';
import { createExpressContext } from './context.js';
import type { Hub } from '../hub.js';
import { appRouter } from './routers/index.js';
import { restApi } from './rest/handler.js';
import { OPENAPI_PATH, REFERENCE_PAGE_PATH } from './rest/openapi.js';
import { REST_PREFIX } from './rest/routes.js';
import { notJsonMessage } from './trpc.js';
import { didYouMean } from '../shared/suggest.js';
import { apiPortMetrics } from './metrics-route.js';
import { readCookie, sessionCookieName } from './session-cookie.js';
import { ssoRouter } from './sso-routes.js';
import { consoleRoutes } from './console-routes.js';

const READY_TIMEOUT_MS = 2000;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A request id from a trusted-looking header, or a new one; logged with every line and returned as x-request-id. */
const requestContext =
  (hub: Hub): RequestHandler =>
  (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = hub.log.child({ reqId: requestId });
    res.locals.requestId = requestId;
    res.locals.log = log;
    res.setHeader('x-request-id', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const started = performance.now();
    // Read now: a mounted router (/trpc) strips its prefix from req.url, and tRPC answers without
    // restoring it, so by 'finish' req.path would be "/providers.search" rather than "/trpc/providers.search".
    const requestPath = req.path;
    hub.metrics.requestStarted();
    res.on('finish', () => {
      hub.metrics.requestEnded();
      const ms = performance.now() - started;
      // A bounded label: the route's pattern, one for all of tRPC, one for every console page.
      const route = requestPath.startsWith('/trpc/')
        ? '/trpc'
        : ((res.locals.routeLabel as string | undefined) ??
          (req.route as { path?: string } | undefined)?.path ??
          requestPath);
      hub.metrics.observeHttp(
        res.statusCode === 404 && route === requestPath ? 'unmatched' : route,
        req.method,
        res.statusCode,
        ms / 1000,
      );
      log.info(
        {
          method: req.method,
          path: requestPath,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          clientId: res.locals.clientId as string | undefined,
          personId: res.locals.personId as string | undefined,
          // The caller's address: behind a proxy (CCX_TRUST_PROXY), the one it forwarded.
          ip: req.ip,
        },
        'request',
      );
    });
    next();
  };

/**
 * A live subscription answers with an event stream (200) before its procedure runs, so an
 * unauthenticated one would be refused inside the stream. Refuse it up front with a plain 401.
 */
const subscriptionAuth =
  (hub: Hub): RequestHandler =>
  async (req, res, next) => {
    if (!req.path.startsWith('/events.subscribe')) return next();
    let token: unknown;
    if (typeof req.query.connectionParams === 'string') {
      try {
        token = (JSON.parse(req.query.connectionParams) as { token?: unknown } | null)?.token;
      } catch {
        // not JSON: no token
      }
    }
    const error = (status: number, code: string, rpcCode: number, message: string) =>
      res.status(status).json({
        error: {
          message,
          code: rpcCode,
          data: {
            code,
            httpStatus: status,
            path: 'events.subscribe',
            requestId: res.locals.requestId as string,
          },
        },
      });
    let auth: Authentication;
    try {
      auth = await authenticate(hub, {
        authorization: req.headers.authorization,
        token,
        session: readCookie(req, sessionCookieName(hub.config)),
      });
    } catch (err) {
      if (!(err instanceof TRPCError && err.code === 'SERVICE_UNAVAILABLE')) throw err;
      (res.locals.log as Hub['log']).warn({ err: err.cause }, 'database unavailable');
      res.setHeader('Retry-After', '1');
      error(503, 'SERVICE_UNAVAILABLE', -32603, err.message);
      return;
    }
    if ('principal' in auth) return next();
    const failure = 'failure' in auth ? auth.failure : null;
    if (failure) (res.locals.log as Hub['log']).info({ reason: failure }, 'token refused');
    const { message, wwwAuthenticate } = unauthenticated(failure);
    res.setHeader('WWW-Authenticate', wwwAuthenticate);
    error(401, 'UNAUTHORIZED', -32001, message);
  };

/** A name as an answer quotes it: never echoed whole when absurdly long. */
const quoted = (name: string): string => (name.length > 100 ? `${name.slice(0, 100)}…` : name);

/**
 * A single call to a procedure the router does not have: 404 naming the nearest one, where tRPC would
 * only say it found none. (A batch is left to tRPC, which answers each of its calls by itself.)
 */
const unknownProcedure: RequestHandler = (req, res, next) => {
  if (req.query.batch !== undefined) return next();
  let path: string;
  try {
    path = decodeURIComponent(req.path.slice(1));
  } catch {
    return next();
  }
  const procedures = appRouter._def.procedures as Record<string, unknown>;
  if (path === '' || Object.hasOwn(procedures, path)) return next();
  res.status(404).json({
    error: {
      message: `no procedure "${quoted(path)}"${didYouMean(path, Object.keys(procedures))}`,
      code: -32004,
      data: { code: 'NOT_FOUND', httpStatus: 404, requestId: res.locals.requestId as string },
    },
  });
};

/** The plain-HTTP paths outside /trpc and the REST routes, for "did you mean" on an unknown one. */
const PLAIN_PATHS = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/oauth/token',
  '/auth/sso/start',
  '/auth/sso/callback',
  '/.well-known/jwks.json',
  '/.well-known/oauth-authorization-server',
  OPENAPI_PATH,
  REFERENCE_PAGE_PATH,
  REST_PREFIX,
  '/trpc',
];

export const createApp = (hub: Hub): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', hub.config.trustProxy);
  app.use(requestContext(hub));

  // First after the request's context: the API's own door, so its calls do not walk the REST
  // routes and the other routers before reaching it.
  app.use(
    '/trpc',
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
    unknownProcedure,
    subscriptionAuth(hub),
    createExpressMiddleware({
      router: appRouter,
      createContext: createExpressContext(hub),
      maxBodySize: hub.config.maxBodyBytes,
      maxBatchSize: hub.config.maxBatchSize,
      // Queries may also be sent as POST: a batch check of 500 provisions does not fit in a URL
      // (node refuses request headers over 16 KB with 431).
      allowMethodOverride: true,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // A database that does not answer within the probe's patience is as good as down.
      const patience = new AbortController();
      try {
        await Promise.race([
          hub.database.ping(),
          sleep(READY_TIMEOUT_MS, undefined, { signal: patience.signal }).then(() =>
            Promise.reject(new Error('database ping timed out')),
          ),
        ]);
      } finally {
        patience.abort();
      }
      hub.metrics.setDatabaseUp(true);
      res.json({ status: 'ready', database: hub.database.kind });
    } catch {
      hub.metrics.setDatabaseUp(false);
      res.status(503).json({ status: 'unavailable', database: hub.database.kind });
    }
  });
  app.get('/metrics', apiPortMetrics(hub));
  app.get('/.well-known/jwks.json', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(await hub.keys.jwks());
  });
  // RFC 8414 metadata, so standard OAuth libraries can discover the token endpoint.
  app.get('/.well-known/oauth-authorization-server', (_req, res) => {
    const issuer = hub.config.issuer;
    res.json({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
    });
  });
  app.use(tokenRouter(hub));
  // Single sign-on with each authority's OpenID Connect provider (GET /auth/sso/start and /callback).
  app.use(ssoRouter(hub));
  // REST routes under /api/v1 (each calls a tRPC procedure), /openapi.json and the reference at /docs/api.
  app.use(restApi(hub));

  // The web console at / (its assets, and its page for any address a browser opens).
  app.use(consoleRoutes(hub));

  app.use((req, res) => {
    res.status(404).json({
      error: 'not_found',
      message: `no route for ${req.method} ${quoted(req.path)}${didYouMean(req.path, PLAIN_PATHS)}`,
    });
  });
  const onError: ErrorRequestHandler = (
    err: { status?: number; type?: string; message?: string },
    _req,
    res,
    _next,
  ) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) (res.locals.log as Hub['log'] | undefined)?.error({ err }, 'unhandled error');
    const message =
      status === 413
        ? 'request body too large'
        : status === 500
          ? `internal error (request id ${String(res.locals.requestId)})`
          : err.type === 'entity.parse.failed'
            ? notJsonMessage('body', String(err.message))
            : 'malformed request';
    res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request', message });
  };
  app.use(onError);
  return app;
};
