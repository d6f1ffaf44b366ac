// Starts the hub: configuration, database and migrations, first-start bootstrap, HTTP, graceful shutdown.
import type { Server } from 'node:http';
import type { Express } from 'express';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createMetricsApp } from './http/metrics-route.js';
import { createHub, type Hub } from './hub.js';
import { startJobs } from './jobs.js';

export type RunningHub = {
  hub: Hub;
  server: Server;
  url: string;
  /** Where /metrics is served when it has a port of its own (CCX_METRICS_PORT). */
  metricsUrl: string | null;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
};

const listen = (app: Express, port: number, host: string): Promise<Server> =>
  new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });

const urlOf = (server: Server, host: string): string => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
};

export const startHub = async (config: Config, opts: { hub?: Hub } = {}): Promise<RunningHub> => {
  const hub = opts.hub ?? (await createHub({ config }));
  const boot = await bootstrap(hub);
  const app = createApp(hub);
  const jobs = hub.config.jobs ? startJobs(hub) : null;
  const server = await listen(app, config.port, config.host);
  server.keepAliveTimeout = 65_000;
  const metricsServer =
    config.metrics.port === undefined
      ? null
      : await listen(createMetricsApp(hub), config.metrics.port, config.metrics.host);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, let in-flight requests finish, then force-close what is left after the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearTimeout(grace);
      if (metricsServer) {
        const metricsClosed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await metricsClosed;
      }
      await jobs?.stop();
      await hub.close();
    })());
  return {
    hub,
    server,
    url: urlOf(server, config.host),
    metricsUrl: metricsServer ? urlOf(metricsServer, config.metrics.host) : null,
    bootstrap: boot,
    stop,
  };
};
