// The web console (server/console, built by Vite into config.consoleDir): its hashed assets, served as
// immutable, and its page for any other address a browser asks for as HTML, so a person can bookmark
// or reload /settings/… . A program asking for JSON still gets the hub's 404.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
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
  // Vite names these by their content's hash: a new build has new names, so browsers keep them for good.
  r.use(
    '/assets/console',
    express.static(path.join(dir, 'assets', 'console'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  r.get('/favicon.svg', (_req, res, next) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path.join(dir, 'favicon.svg'), (err) => (err ? next() : undefined));
  });
  let page: { html: string } | null = null;
  r.get('/{*path}', async (req, res, next) => {
    if (!wantsHtml(req.headers.accept)) return next();
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
