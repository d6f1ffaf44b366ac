// The hub under test: `server/src/main.ts` in a process of its own (node with tsx's loader, so the
// pid is the server's own), its log to a file, its resident memory sampled while it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type BenchHub = {
  url: string;
  pid: number;
  /** Highest resident set size seen so far, in MiB (sampled, and the kernel's own high-water mark). */
  peakRssMiB: () => Promise<number>;
  rssMiB: () => Promise<number>;
  stop: () => Promise<void>;
};

const statusField = async (pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
};

export const startBenchHub = async (opts: {
  databaseUrl?: string;
  dataDir?: string;
  logFile: string;
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the hub to this folder when it stops. */
  profileDir?: string;
}): Promise<BenchHub> => {
  // The hub logs every request: it writes straight to the file, as to a disk or a log collector in
  // production. A pipe to this process (busy driving the load) would block the hub's writes.
  const out = openSync(opts.logFile, 'a');
  const startedAt = statSync(opts.logFile).size;
  const profile = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: opts.databaseUrl ?? '',
      CCX_DATA_DIR: opts.dataDir ?? path.join(repoRoot, '.bench-data', 'unused'),
      // Long enough that no token expires during a run.
      CCX_TOKEN_TTL: '2h',
      // The benchmark measures what the hub can serve, so one client may exceed a council's rate limit.
      CCX_RATE_LIMIT: '0',
      ...opts.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const url = await (async () => {
    for (const until = Date.now() + 120_000; Date.now() < until;) {
      const head = readFileSync(opts.logFile, 'utf8').slice(startedAt);
      const m = /ccx hub ready at (http:\/\/[^\s"]+)/.exec(head);
      if (m?.[1]) return m[1];
      if (exited !== undefined)
        throw new Error(`the hub exited with ${exited} before it was ready:\n${head}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the hub did not become ready; see ${opts.logFile}`);
  })();
  const pid = child.pid!;
  let sampledPeak = 0;
  const sample = async () => {
    try {
      sampledPeak = Math.max(sampledPeak, await statusField(pid, 'VmRSS'));
    } catch {
      // exited
    }
  };
  const sampler = setInterval(() => void sample(), 200);
  return {
    url,
    pid,
    rssMiB: () => statusField(pid, 'VmRSS'),
    peakRssMiB: async () => {
      await sample();
      const hwm = await statusField(pid, 'VmHWM').catch(() => 0);
      return Math.max(sampledPeak, hwm);
    },
    stop: async () => {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** An access token for a client, from the hub's token endpoint. */
export const fetchToken = async (url: string, clientId: string, clientSecret: string): Promise<string> => {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`no token for ${clientId}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
};
