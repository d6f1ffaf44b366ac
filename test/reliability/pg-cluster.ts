// A throwaway PostgreSQL server for fault injection: its own data folder, port and socket folder, so a
// suite can stop, crash and restart it without touching the machine's shared server, which other test
// files use in parallel. Run as root, the server's programs run as the `postgres` user (initdb refuses root).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { freePort } from './processes.js';

const PG_ROOT = '/usr/lib/postgresql';
/** CI's PostgreSQL pass runs 15; another installed major version is still better than skipping. */
const PREFERRED_MAJOR = '15';

/** The bin folder holding initdb and pg_ctl, or undefined when no server is installed. */
export const findPgBin = (): string | undefined => {
  if (!existsSync(PG_ROOT)) return undefined;
  const majors = readdirSync(PG_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  const ordered = majors.includes(PREFERRED_MAJOR)
    ? [PREFERRED_MAJOR, ...majors.filter((v) => v !== PREFERRED_MAJOR)]
    : majors;
  for (const major of ordered) {
    const bin = path.join(PG_ROOT, major, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
};

type RunAs = { uid: number; gid: number; runuser: string } | null;

/** As root, the `postgres` account (and runuser to switch to it); otherwise the current user as is. */
const runAs = (): RunAs | string => {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) return 'running as root, and there is no postgres user to run initdb as';
  const [, , uid, gid] = line.split(':');
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  if (!runuser) return 'running as root, and runuser is not installed to run initdb as postgres';
  return { uid: Number(uid), gid: Number(gid), runuser };
};

/** Why no throwaway server can be started here, or undefined when one can. */
export const clusterUnavailableReason = (): string | undefined => {
  if (!findPgBin()) return `no PostgreSQL server programs (initdb, pg_ctl) under ${PG_ROOT}/<version>/bin`;
  const who = runAs();
  return typeof who === 'string' ? who : undefined;
};

export type StopMode = 'fast' | 'immediate';

export type PgCluster = {
  port: number;
  /** The folder holding the data directory, the socket and the server log. */
  dir: string;
  /** A connection URL for a database on this server, as the superuser `root`. */
  url(database: string): string;
  running(): boolean;
  /** `pg_ctl stop -m <mode>`: fast ends sessions cleanly; immediate is a crash (recovery at next start). */
  stop(mode: StopMode): Promise<void>;
  start(): Promise<void>;
  log(): Promise<string>;
  /** Stops the server (immediate) if it runs and removes its folder; safe to call more than once. */
  destroy(): Promise<void>;
};

/** Clusters still to be torn down, so a crashed test process does not leave a server running. */
const live = new Map<string, { pgCtl: string[]; dir: string }>();
process.once('exit', () => {
  for (const { pgCtl, dir } of live.values()) {
    try {
      execFileSync(pgCtl[0]!, [...pgCtl.slice(1), 'stop', '-m', 'immediate', '-w', '-t', '10'], {
        cwd: dir,
        stdio: 'ignore',
      });
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

const run = (argv: string[], cwd: string, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      // A plain environment: PGPORT, PGDATA and the like from the caller must not steer the server.
      { cwd, timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${argv.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });

/** initdb a new cluster in a temporary folder and start it on a free port of 127.0.0.1. */
export const startCluster = async (): Promise<PgCluster> => {
  const bin = findPgBin();
  const who = runAs();
  if (!bin || typeof who === 'string') throw new Error(clusterUnavailableReason());
  const dir = await mkdtemp(path.join(tmpdir(), 'ccx-pg-'));
  if (who) await chown(dir, who.uid, who.gid);
  const as = (program: string): string[] =>
    who ? [who.runuser, '-u', 'postgres', '--', path.join(bin, program)] : [path.join(bin, program)];
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const pgCtl = [...as('pg_ctl'), '-D', data];
  let port = 0;
  let up = false;

  const start = async () => {
    // -l: without a log file the server inherits pg_ctl's stdout, and execFile would wait on it forever.
    await run(
      [
        ...pgCtl,
        '-l',
        logFile,
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
        '-w',
        '-t',
        '60',
        'start',
      ],
      dir,
      90_000,
    );
    up = true;
  };
  const stop = async (mode: StopMode) => {
    await run([...pgCtl, '-m', mode, '-w', '-t', '60', 'stop'], dir, 90_000);
    up = false;
  };

  try {
    await run(
      [...as('initdb'), '-D', data, '--auth=trust', '-U', 'root', '--encoding=UTF8', '--locale=C'],
      dir,
      120_000,
    );
    live.set(dir, { pgCtl, dir });
    port = await freePort();
    await start();
  } catch (err) {
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    dir,
    url: (database) => `postgres://root@127.0.0.1:${port}/${database}`,
    running: () => up,
    stop,
    start,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    destroy: async () => {
      if (!live.has(dir)) return;
      try {
        if (up) await stop('immediate');
      } finally {
        live.delete(dir);
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
};
