// Who may read /metrics. The Prometheus text names every procedure, client error rates and the
// process's health: useful to an attacker sizing the hub, so it is never open on the API port by
// default. An operator either gives it a port of its own (CCX_METRICS_PORT, on an internal interface)
// or a bearer token the scraper sends (CCX_METRICS_TOKEN) — or both.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Hub } from '../hub.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares digests, so neither the token's length nor its first differing byte shows in the timing. */
const bearerMatches = (authorization: string | undefined, token: string): boolean => {
  const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
};

const serveMetrics =
  (hub: Hub): RequestHandler =>
  async (req, res) => {
    const token = hub.config.metrics.token;
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ccx-metrics"');
      res.status(401).json({
        error: 'unauthorized',
        message: 'metrics need the bearer token the hub was given in CCX_METRICS_TOKEN',
      });
      return;
    }
    res.setHeader('Content-Type', hub.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await hub.metrics.registry.metrics());
  };

/** /metrics on the API port: behind the token when there is one; absent when metrics have a port of their own. */
export const apiPortMetrics =
  (hub: Hub): RequestHandler =>
  (req, res, next) => {
    const { port, token } = hub.config.metrics;
    if (port !== undefined) return next();
    if (token !== undefined) return serveMetrics(hub)(req, res, next);
    res.status(404).json({
      error: 'not_found',
      message:
        'metrics are off on the API port: set CCX_METRICS_TOKEN (and scrape with it as a bearer token) or CCX_METRICS_PORT (see docs/operations.md)',
    });
  };

/** The app behind CCX_METRICS_PORT: /metrics (behind the token, if one is set) and the two probes. */
export const createMetricsApp = (hub: Hub): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', serveMetrics(hub));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'this port serves /metrics and /healthz only' });
  });
  return app;
};
