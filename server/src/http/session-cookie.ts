// The session cookie and the checks that go with it. Over https the cookie is `__Host-ccx_session`:
// Secure, HttpOnly, SameSite=Lax, Path=/, no Domain — browsers refuse to let any other site or any
// subdomain set or read it. Over plain http (a hub tried out on localhost) a browser will not keep a
// `__Host-` or Secure cookie from a non-secure origin in every case, so the cookie is plain
// `ccx_session`, still HttpOnly and SameSite=Lax: fit for a trial on one's own machine, never for a
// hub reached over a network (docs/people-and-sign-in.md).
import type { CookieOptions, Request, Response } from 'express';
import type { Config } from '../config.js';

export const CSRF_HEADER = 'x-ccx-csrf';

const secure = (config: Pick<Config, 'issuer'>): boolean => config.issuer.startsWith('https:');

export const sessionCookieName = (config: Pick<Config, 'issuer'>): string =>
  secure(config) ? '__Host-ccx_session' : 'ccx_session';
export const ssoCookieName = (config: Pick<Config, 'issuer'>): string =>
  secure(config) ? '__Host-ccx_sso' : 'ccx_sso';

const options = (config: Pick<Config, 'issuer'>, maxAgeSeconds: number): CookieOptions => ({
  httpOnly: true,
  secure: secure(config),
  sameSite: 'lax',
  path: '/',
  maxAge: maxAgeSeconds * 1000,
});

/** A cookie's value from the request's Cookie header (the first of that name), or undefined. */
export const readCookie = (req: Pick<Request, 'headers'>, name: string): string | undefined => {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }
  return undefined;
};

export const setCookie = (
  res: Response,
  config: Pick<Config, 'issuer'>,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void => {
  res.cookie(name, value, options(config, maxAgeSeconds));
};

export const clearCookie = (res: Response, config: Pick<Config, 'issuer'>, name: string): void => {
  const { maxAge: _maxAge, ...rest } = options(config, 0);
  res.clearCookie(name, rest);
};

/**
 * Whether a state-changing request made with a session came from the hub's own pages: its Origin is
 * the hub's, and it carries the custom header, which a cross-site form cannot send and a cross-site
 * script can send only after a CORS preflight the hub never grants. Returns why not, or null.
 */
export const crossSiteRefusal = (
  req: Pick<Request, 'headers' | 'method' | 'protocol'> & { get(name: string): string | undefined },
  issuer: string,
): string | null => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return null;
  const origin = req.headers.origin;
  // The hub's own origin is its public address (CCX_ISSUER), or the address this request was sent to
  // (a hub tried out on a port of the moment). A page of another site sends its own origin, never
  // these; and a session cookie is only ever sent to the host that set it.
  const host = req.get('host');
  const own = [new URL(issuer).origin, ...(host ? [`${req.protocol}://${host}`] : [])];
  if (!origin || !own.includes(origin))
    return origin
      ? `requests made with a session must come from the hub's own pages (Origin ${own[0]}, not ${origin.slice(0, 100)})`
      : "requests made with a session must carry an Origin header (the hub's own pages send it)";
  if (!req.headers[CSRF_HEADER])
    return `requests made with a session must carry the ${CSRF_HEADER} header (the hub's own pages send it)`;
  return null;
};
