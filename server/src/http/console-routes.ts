// The web console (server/console, built by Vite into config.consoleDir): its hashed assets, served as
// immutable, and its page for any other address a browser asks for as HTML, so a person can bookmark
// or reload /settings/… . A program asking for JSON still gets the hub's 404.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';
import type { Hub } from '../hub.js';

/** What a console page may load and talk to: only the hub itself. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built – ccx</title></head>
<body><main><h1>The console has not been built</h1><p>Run <code>npm run build</code> (npm ci does it), then reload.
The API is working: see <a href="/docs/api">the API reference</a>.</p></main></body></html>`;

const wantsHtml = (accept: string | undefined): boolean => !!accept && /\btext\/html\b/.test(accept);

export const consoleRoutes = (hub: Hub): Router => {
  const dir = hub.config.consoleDir;
  const r = express.Router();
  // The console's files are compressed here (a third of their size or less); the API is left alone,
  // its live events included (a stream must not wait in a compressor's buffer).
  r.use(compression());
  // Vite names these by their content's hash: a new build has new names, so browsers keep them for good.
  r.use(
    '/assets/console',
    (_req, res, next) => {
      res.locals.routeLabel = '/assets/console';
      next();
    },
    express.static(path.join(dir, 'assets', 'console'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  r.get('/favicon.svg', (_req, res, next) => {
    res.locals.routeLabel = '/favicon.svg';
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path.join(dir, 'favicon.svg'), (err) => (err ? next() : undefined));
  });
  let page: { html: string } | null = null;
  // A middleware, not a route: a request it passes on stays unmatched for the metrics and the 404.
  r.use(async (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsHtml(req.headers.accept)) return next();
    res.locals.routeLabel = '(console page)';
    if (!page) {
      try {
        page = { html: await readFile(path.join(dir, 'index.html'), 'utf8') };
      } catch {
        res.status(503).type('html').setHeader('Cache-Control', 'no-store').send(notBuilt);
        return;
      }
    }
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    // Always asked again, so a new build reaches people at their next page load.
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page.html);
  });
  return r;
};
