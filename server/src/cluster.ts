// CCX_PROCESSES above 1: this process forks that many hub processes sharing one port (Node's cluster
// module hands each new connection to the next of them), restarts one that dies, and stops them all
// on SIGTERM or SIGINT. It serves nothing itself. Each worker is a whole hub (serve.ts): the hub already
// runs safely as several processes on one PostgreSQL — background jobs lock what they take, and a
// change to a client or an authority reaches every process's token cache (auth/credential-cache.ts).
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { createLogger } from './logger.js';

/** A worker that dies is replaced after this long (not at once: a hub that cannot start would spin). */
const RESTART_DELAY_MS = 1000;

type Ready = { type: 'ccx-ready'; url: string };
const isReady = (m: unknown): m is Ready =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ccx-ready';

export const runPrimary = async (config: Config, started: number): Promise<void> => {
  const log = createLogger(config.logLevel).child({ role: 'primary' });
  let stopping = false;

  /** Forks one worker and answers its address once it is ready; rejects if it exits first. */
  const fork = (): Promise<{ worker: Worker; url: string }> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      const onExit = (code: number | null, signal: string | null) =>
        reject(
          new Error(`hub process ${worker.id} exited (${signal ?? `code ${code}`}) before it was ready`),
        );
      worker.once('exit', onExit);
      worker.on('message', (m: unknown) => {
        if (!isReady(m)) return;
        worker.off('exit', onExit);
        resolve({ worker, url: m.url });
      });
    });

  let url: string;
  try {
    // The first alone: it applies migrations and, on a first start, creates the host authority.
    ({ url } = await fork());
    await Promise.all(Array.from({ length: config.processes - 1 }, fork));
  } catch (err) {
    log.fatal({ err }, 'the hub did not start');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(1);
  }
  log.info(
    { url, processes: config.processes, readyMs: Math.round(performance.now() - started) },
    `ccx hub ready at ${url} (${config.processes} processes, PostgreSQL)`,
  );

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ worker: worker.id, code, signal }, 'a hub process ended; starting another');
    setTimeout(() => {
      if (!stopping)
        fork().catch((err: unknown) => log.error({ err }, 'a replacement hub process did not start'));
    }, RESTART_DELAY_MS);
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    // Each worker finishes its requests within its own grace period (CCX_SHUTDOWN_GRACE), then exits.
    void Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    ).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};
