// The per-request context: the database, the verified principal (or why there is none), and the hub's services.
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Response } from 'express';
import { TRPCError } from '@trpc/server';
import type { Principal } from './auth/tokens.js';
import { isDatabaseUnavailable } from './errors.js';
import type { Hub } from './hub.js';
import type { Logger } from './logger.js';

export type Context = {
  hub: Hub;
  db: Hub['database']['db'];
  principal: Principal | null;
  /** Set when a token was presented but refused, so the refusal can be logged with its reason. */
  authFailure: string | null;
  requestId: string;
  log: Logger;
  res?: Response;
};

export type ContextInnerOptions = {
  hub: Hub;
  principal?: Principal | null;
  requestId?: string;
  authFailure?: string | null;
  log?: Logger;
  res?: Response;
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
  };
};

// The scheme is case-insensitive (RFC 7235 §2.1); the token's own characters are matched as they are.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-_.~+/]+=*)$/;

/** The express adapter's context: verifies the bearer token, if any. */
export const createExpressContext =
  (hub: Hub) =>
  async ({ req, res, info }: CreateExpressContextOptions): Promise<Context> => {
    const requestId = res.locals.requestId as string;
    const log = res.locals.log as Logger;
    // Browsers' EventSource cannot send headers: a subscription may carry the token as a connection parameter.
    const fromParams: unknown = info.connectionParams?.token;
    const header =
      req.headers.authorization ?? (typeof fromParams === 'string' ? `Bearer ${fromParams}` : undefined);
    if (!header) return createContextInner({ hub, requestId, log, res });
    const match = BEARER.exec(header);
    if (!match?.[1])
      return createContextInner({ hub, requestId, log, res, authFailure: 'malformed authorization header' });
    let verified: Awaited<ReturnType<Hub['verifyToken']>>;
    try {
      verified = await hub.verifyToken(match[1]);
    } catch (err) {
      // Checking the client reads the database: while it is away the answer is 503, not a 500
      // (an error thrown here never reaches the procedures' error mapping).
      if (isDatabaseUnavailable(err)) {
        log.warn({ err }, 'database unavailable');
        throw new TRPCError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'the database is unavailable; retry shortly',
          cause: err,
        });
      }
      throw err;
    }
    if ('principal' in verified) {
      res.locals.clientId = verified.principal.clientId;
      return createContextInner({ hub, requestId, log, res, principal: verified.principal });
    }
    return createContextInner({ hub, requestId, log, res, authFailure: verified.failure });
  };
