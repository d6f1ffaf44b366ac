// The browsable API reference at /docs/api: swagger-ui-dist's own files, served from node_modules so
// the page works without internet access, started by a separate script (no inline script, so the
// page can carry a strict Content-Security-Policy).
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { OPENAPI_PATH, REFERENCE_PAGE_PATH } from './openapi.js';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files of the package the page needs; nothing else in it is served. */
const ASSETS = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['index.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

const INITIALISER = 'ccx-initialiser.js';

// Swagger UI sets inline styles and uses data: images; it needs no inline script and no eval.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const page = (): string => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>ccx API reference</title>
    <link rel="stylesheet" href="${REFERENCE_PAGE_PATH}/swagger-ui.css">
    <link rel="stylesheet" href="${REFERENCE_PAGE_PATH}/index.css">
    <link rel="icon" type="image/png" href="${REFERENCE_PAGE_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${REFERENCE_PAGE_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <noscript>The reference needs JavaScript. The OpenAPI document itself is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</noscript>
    <div id="swagger-ui"></div>
    <script src="${REFERENCE_PAGE_PATH}/swagger-ui-bundle.js"></script>
    <script src="${REFERENCE_PAGE_PATH}/${INITIALISER}"></script>
  </body>
</html>
`;

// validatorUrl null: no badge fetched from swagger.io, so nothing leaves the hub.
const initialiser = (): string => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    persistAuthorization: false,
  });
});
`;

export const referencePage = (): Router => {
  const r = express.Router();
  const html = page();
  const script = initialiser();
  r.get(REFERENCE_PAGE_PATH, (_req, res) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8').send(html);
  });
  r.get(`${REFERENCE_PAGE_PATH}/${INITIALISER}`, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript; charset=utf-8').send(script);
  });
  r.get(`${REFERENCE_PAGE_PATH}/:asset`, (req, res, next) => {
    const asset = req.params.asset;
    const type = asset === undefined ? undefined : ASSETS.get(asset);
    if (!asset || !type) return next();
    res.sendFile(path.join(swaggerUiDir, asset), {
      headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' },
    });
  });
  return r;
};
