// One hub process: start it, say where it is, and stop it gracefully on SIGTERM or SIGINT. Run by
// main.ts directly, or in each worker when CCX_PROCESSES starts several (cluster.ts).
import cluster from 'node:cluster';
import type { Config } from './config.js';
import { startHub } from './server.js';

export const serve = async (config: Config, started: number): Promise<void> => {
  const running = await startHub(config);
  const { hub, url } = running;
  if (running.bootstrap.created) {
    hub.log.info(
      {
        hostAuthority: running.bootstrap.hostAuthorityId,
        credentialsFile: running.bootstrap.credentialsFile,
      },
      `first start: created host authority ${running.bootstrap.hostAuthorityId} and a hub-admin client; its credentials and a one-time link to set up the first hub-admin person (valid 24 hours) were written to ${running.bootstrap.credentialsFile}`,
    );
  }
  if (cluster.isWorker) {
    // The primary says "ready" once every worker is (cluster.ts).
    hub.log.info(
      { url, worker: cluster.worker?.id, readyMs: Math.round(performance.now() - started) },
      'hub process ready',
    );
    process.send?.({ type: 'ccx-ready', url });
  } else
    hub.log.info(
      { url, database: hub.database.kind, readyMs: Math.round(performance.now() - started) },
      `ccx hub ready at ${url} (${hub.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    );
  if (running.metricsUrl)
    hub.log.info({ metricsUrl: running.metricsUrl }, `metrics at ${running.metricsUrl}/metrics`);
  if (hub.database.kind === 'postgres' && !hub.database.auditRowsProtected) {
    hub.log.warn(
      'the hub connects to PostgreSQL as a role that could change audit rows if the append-only triggers were dropped; connect as a role of its own and give DATABASE_OWNER_URL (docs/operations.md)',
    );
  }

  const shutdown = (signal: string) => {
    hub.log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        hub.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};
