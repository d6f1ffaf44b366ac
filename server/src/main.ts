// `npm start`: run the hub until SIGTERM or SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { startHub } from './server.js';

const started = performance.now();
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const running = await startHub(config);
const { hub, url } = running;
if (running.bootstrap.created) {
  hub.log.info(
    { hostAuthority: running.bootstrap.hostAuthorityId, credentialsFile: running.bootstrap.credentialsFile },
    `first start: created host authority ${running.bootstrap.hostAuthorityId} and a hub-admin client; its credentials and a one-time link to set up the first hub-admin person (valid 24 hours) were written to ${running.bootstrap.credentialsFile}`,
  );
}
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
