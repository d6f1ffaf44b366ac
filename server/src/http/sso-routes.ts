// GET /auth/sso/start and /auth/sso/callback: single sign-on with an authority's OpenID Connect
// provider. The start sends the browser to the provider with PKCE, state and nonce, and binds the
// flow to the browser with a short-lived cookie; the callback checks all of it (domain/people/
// single-sign-on.ts), sets the session cookie and returns to a path on the hub, never elsewhere.
import express, { type Request, type Response, type Router } from 'express';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import { AppError, isDatabaseUnavailable } from '../shared/errors.js';
import {
  completeSso,
  safeReturnTo,
  SSO_FLOW_SECONDS,
  SsoRefused,
  ssoPaths,
  startSso,
} from '../domain/people/single-sign-on.js';
import { clearCookie, readCookie, sessionCookieName, setCookie, ssoCookieName } from './session-cookie.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page for a refused sign-in: what happened in plain words, and the way back. */
const refusalPage = (res: Response, status: number, message: string): void => {
  const requestId = String(res.locals.requestId);
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in did not work – ccx</title></head>` +
        `<body><main><h1>Sign-in did not work</h1><p>${escapeHtml(message)}</p>` +
        `<p><a href="/">Return to the hub and try again</a>. If it keeps happening, give your administrator this reference: ${escapeHtml(requestId)}.</p></main></body></html>`,
    );
};

export const ssoRouter = (hub: Hub): Router => {
  const r = express.Router();
  const noStore = (_req: Request, res: Response, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    // The callback's address carries the one-time code: never leak it onward in a Referer.
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };

  r.get(ssoPaths.start, noStore, async (req, res) => {
    const log = res.locals.log as Logger;
    const authorityId = typeof req.query.authority === 'string' ? req.query.authority : '';
    if (!authorityId) return refusalPage(res, 400, 'The address is missing the authority to sign in with.');
    const returnTo = safeReturnTo(req.query.returnTo, hub.config.issuer);
    try {
      const { authorizationUrl, browserSecret } = await startSso(hub.database.db, hub.oidc, {
        authorityId,
        returnTo,
        issuer: hub.config.issuer,
        now: hub.clock.now(),
      });
      setCookie(res, hub.config, ssoCookieName(hub.config), browserSecret, SSO_FLOW_SECONDS);
      res.redirect(302, authorizationUrl);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return refusalPage(res, 404, err.message);
      if (err instanceof AppError && err.code === 'UNAVAILABLE') {
        log.warn({ reason: err.details?.reason, authorityId }, 'identity provider unreachable');
        return refusalPage(res, 503, err.message);
      }
      if (isDatabaseUnavailable(err))
        return refusalPage(res, 503, 'The hub cannot reach its database; try again shortly.');
      throw err;
    }
  });

  r.get(ssoPaths.callback, noStore, async (req, res) => {
    const log = res.locals.log as Logger;
    const callbackUrl = new URL(req.originalUrl, hub.config.issuer);
    const browserSecret = readCookie(req, ssoCookieName(hub.config));
    clearCookie(res, hub.config, ssoCookieName(hub.config));
    try {
      const done = await completeSso(
        {
          db: hub.database.db,
          now: hub.clock.now(),
          times: hub.config.sessions,
          throttle: hub.signInThrottle,
          requestId: String(res.locals.requestId),
          ip: req.ip ?? null,
          userAgent: req.headers['user-agent'] ?? null,
        },
        hub.oidc,
        { callbackUrl, browserSecret, issuer: hub.config.issuer },
      );
      const seconds = Math.max(
        1,
        Math.ceil((new Date(done.signedIn.session.expiresAt).getTime() - hub.clock.now().getTime()) / 1000),
      );
      setCookie(res, hub.config, sessionCookieName(hub.config), done.secret, seconds);
      res.locals.personId = done.signedIn.person.id;
      res.redirect(303, done.returnTo);
    } catch (err) {
      if (err instanceof SsoRefused) {
        log.info({ reason: err.reason }, 'single sign-on refused');
        return refusalPage(res, err.status, err.message);
      }
      if (isDatabaseUnavailable(err))
        return refusalPage(res, 503, 'The hub cannot reach its database; try again shortly.');
      throw err;
    }
  });
  return r;
};
