// `npm start`: run the hub until SIGTERM or SIGINT.
import { ConfigError, loadConfig } from './config.js';
import cluster from 'node:cluster';

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

// Several processes on one port (CCX_PROCESSES): this one only forks and watches them.
if (config.processes > 1 && cluster.isPrimary)
  await (await import('./cluster.js')).runPrimary(config, started);
else await (await import('./serve.js')).serve(config, started);
