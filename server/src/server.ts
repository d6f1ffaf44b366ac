// Starts the hub: configuration, database and migrations, first-start bootstrap, HTTP, graceful shutdown.
import type { Server } from 'node:http';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createHub, type Hub } from './hub.js';
import { startJobs } from './jobs.js';

export type RunningHub = {
  hub: Hub;
  server: Server;
  url: string;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
};

export const startHub = async (config: Config, opts: { hub?: Hub } = {}): Promise<RunningHub> => {
  const hub = opts.hub ?? (await createHub({ config }));
  const boot = await bootstrap(hub);
  const app = createApp(hub);
  const jobs = hub.config.jobs ? startJobs(hub) : null;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, let in-flight requests finish, then force-close what is left after the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearTimeout(grace);
      await jobs?.stop();
      await hub.close();
    })());
  return { hub, server, url: `http://${host}:${port}`, bootstrap: boot, stop };
};
