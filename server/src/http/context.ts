// The per-request context: the database, the verified principal (or why there is none), and the hub's services.
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request, Response } from 'express';
import { TRPCError } from '@trpc/server';
import type { Principal } from '../auth/tokens.js';
import { authenticate, type Authentication } from './authenticate.js';
import { crossSiteRefusal, readCookie, sessionCookieName } from './session-cookie.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';

export type Context = {
  hub: Hub;
  db: Hub['database']['db'];
  principal: Principal | null;
  /** Set when a token was presented but refused, so the refusal can be logged with its reason. */
  authFailure: string | null;
  requestId: string;
  log: Logger;
  res?: Response;
  req?: Request;
  /** The session cookie's secret, when the request carried one (the sign-in calls read it). */
  sessionSecret?: string | undefined;
};

export type ContextInnerOptions = {
  hub: Hub;
  principal?: Principal | null;
  requestId?: string;
  authFailure?: string | null;
  log?: Logger;
  res?: Response;
  req?: Request;
  sessionSecret?: string | undefined;
};

/** Builds a context without HTTP: used by createCaller in tests and by the express wrapper below. */
export const createContextInner = (opts: ContextInnerOptions): Context => {
  const requestId = opts.requestId ?? crypto.randomUUID();
  return {
    hub: opts.hub,
    db: opts.hub.database.db,
    principal: opts.principal ?? null,
    authFailure: opts.authFailure ?? null,
    requestId,
    log: opts.log ?? opts.hub.log.child({ reqId: requestId }),
    res: opts.res,
    req: opts.req,
    sessionSecret: opts.sessionSecret,
  };
};

/** The express adapter's context: verifies the bearer token, if any. */
export const createExpressContext =
  (hub: Hub) =>
  async ({ req, res, info }: CreateExpressContextOptions): Promise<Context> => {
    const requestId = res.locals.requestId as string;
    const log = res.locals.log as Logger;
    // Browsers' EventSource cannot send headers: a subscription may carry the token as a connection parameter.
    const sessionSecret = readCookie(req, sessionCookieName(hub.config));
    let auth: Authentication;
    try {
      auth = await authenticate(hub, {
        authorization: req.headers.authorization,
        token: info.connectionParams?.token,
        session: sessionSecret,
      });
    } catch (err) {
      // An error thrown here never reaches the procedures' error mapping: log the outage here.
      if (err instanceof TRPCError && err.code === 'SERVICE_UNAVAILABLE')
        log.warn({ err: err.cause }, 'database unavailable');
      throw err;
    }
    if ('principal' in auth) {
      if (auth.principal.personId) {
        // A browser's session rides along on every request to the hub, a forged one's included:
        // a state-changing call must prove it came from the hub's own pages.
        const refusal = crossSiteRefusal(req, hub.config.issuer);
        if (refusal) {
          log.info({ reason: refusal }, 'cross-site request refused');
          throw new TRPCError({ code: 'FORBIDDEN', message: refusal });
        }
        res.locals.personId = auth.principal.personId;
      } else res.locals.clientId = auth.principal.clientId;
      return createContextInner({ hub, requestId, log, res, req, sessionSecret, principal: auth.principal });
    }
    return createContextInner({
      hub,
      requestId,
      log,
      res,
      req,
      sessionSecret,
      authFailure: 'failure' in auth ? auth.failure : null,
    });
  };
