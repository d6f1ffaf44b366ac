// POST /oauth/token — the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), with client
// authentication by HTTP Basic or by form parameters (§2.3.1) and RFC-shaped errors (§5.2).
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { authenticateClient } from '../domain/clients/clients.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';

type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

const sendError = (
  res: Response,
  status: number,
  error: OAuthErrorCode,
  description: string,
  basic = false,
) => {
  if (status === 401)
    res.setHeader('WWW-Authenticate', basic ? 'Basic realm="ccx", charset="UTF-8"' : 'Basic realm="ccx"');
  res.status(status).json({ error, error_description: description });
};

/** Decodes `Authorization: Basic`, whose parts are form-urlencoded before base64 (RFC 6749 §2.3.1). */
const parseBasic = (header: string): { id: string; secret: string } | null => {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
};

/** The form parser's refusals (too large, too many parameters, bad charset or encoding), in the RFC shape. */
const formRefused: ErrorRequestHandler = (err: { status?: unknown }, _req, res, next) => {
  // Anything else is not the client's fault: the app's error handler answers it (500, logged).
  if (typeof err.status !== 'number' || err.status < 400 || err.status > 499) return next(err);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  if (err.status === 413)
    return sendError(res, 413, 'invalid_request', 'the body is too large or has too many parameters');
  if (err.status === 415)
    return sendError(res, 415, 'invalid_request', 'unsupported charset or content encoding');
  sendError(res, 400, 'invalid_request', 'the body could not be read');
};

export const tokenRouter = (hub: Hub): Router => {
  const r = express.Router();
  r.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }),
    async (req: Request, res: Response) => {
      const log = res.locals.log as Logger;
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      if (!req.is('application/x-www-form-urlencoded')) {
        return sendError(res, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      for (const [name, value] of Object.entries(body)) {
        if (typeof value !== 'string')
          return sendError(res, 400, 'invalid_request', `parameter ${name} must appear once`);
      }
      const params = body as Record<string, string | undefined>;
      const grantType = params.grant_type;
      if (!grantType) return sendError(res, 400, 'invalid_request', 'grant_type is required');
      if (grantType !== 'client_credentials') {
        return sendError(
          res,
          400,
          'unsupported_grant_type',
          'only the client_credentials grant is supported',
        );
      }

      const header = req.headers.authorization;
      const inBody = params.client_id !== undefined || params.client_secret !== undefined;
      if (header && inBody) {
        return sendError(
          res,
          400,
          'invalid_request',
          'use one client authentication method: HTTP Basic or form parameters, not both',
        );
      }
      let credentials: { id: string; secret: string } | null;
      if (header) {
        credentials = parseBasic(header);
        if (!credentials) return sendError(res, 401, 'invalid_client', 'client authentication failed', true);
      } else if (params.client_id && params.client_secret) {
        credentials = { id: params.client_id, secret: params.client_secret };
      } else {
        return sendError(
          res,
          401,
          'invalid_client',
          'client authentication is required (client_id and client_secret)',
        );
      }
      if (credentials.id.length > 100 || credentials.secret.length > 200) {
        return sendError(res, 401, 'invalid_client', 'client authentication failed', Boolean(header));
      }

      try {
        const attempt = await hub.tokenThrottle.begin(credentials.id);
        if (attempt.locked) {
          hub.metrics.observeTokenRequest('locked');
          log.warn({ clientId: credentials.id.slice(0, 40) }, 'token request refused: client id locked');
          res.setHeader('Retry-After', String(attempt.retryAfterSeconds));
          return sendError(
            res,
            429,
            'invalid_client',
            `too many failed attempts for this client; retry after ${attempt.retryAfterSeconds} s`,
          );
        }
        const client = await authenticateClient(hub.database.db, credentials.id, credentials.secret);
        if (!client) {
          hub.metrics.observeTokenRequest('refused');
          log.info({ clientId: credentials.id.slice(0, 40) }, 'client authentication failed');
          const delay = hub.tokenThrottle.failureDelayMs(attempt.failures);
          if (delay > 0) await sleep(delay);
          return sendError(res, 401, 'invalid_client', 'client authentication failed', Boolean(header));
        }
        await hub.tokenThrottle.succeeded(credentials.id);
        const { token, expiresIn } = await hub.tokens.issue(client);
        hub.metrics.observeTokenRequest('issued');
        res.locals.clientId = client.clientId;
        res.status(200).json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
      } catch (err) {
        log.error({ err }, 'token endpoint failed');
        return sendError(
          res,
          503,
          'temporarily_unavailable',
          'the token service is temporarily unavailable; retry shortly',
        );
      }
    },
    formRefused,
  );
  r.all('/oauth/token', (_req, res) => {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, 'invalid_request', 'use POST');
  });
  return r;
};
