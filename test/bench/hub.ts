// The hub under test: the compiled hub (`server/dist/main.js`, as `npm start` runs it) in a process of
// its own — or several, with CCX_PROCESSES — its log to a file, its resident memory sampled while it
// runs; and a bare node:http server answering JSON, the ceiling every figure is set against.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type BenchHub = {
  url: string;
  pid: number;
  /**
   * Highest resident set size seen so far, in MiB: of the one process serving (sampled, and the
   * kernel's own high-water mark), or with several processes, of their sum as sampled.
   */
  peakRssMiB: () => Promise<number>;
  /** The largest one process's peak, in MiB (the same as peakRssMiB for one process). */
  peakProcessRssMiB: () => Promise<number>;
  rssMiB: () => Promise<number>;
  stop: () => Promise<void>;
};

const statusField = async (pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
};

/** A process and its children (a cluster's primary and its workers). */
const processTree = (pid: number): number[] => {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (list) children.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // exited
  }
  return [pid, ...children.flatMap(processTree)];
};

/** This process's environment for a compiled hub: without the condition that loads TypeScript sources. */
const compiledEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '').replace(/--conditions[= ]ccx-source/g, '').trim(),
});

/** Compiles the hub (incrementally: nothing to do when it is up to date), so the benchmark runs what `npm start` runs. */
export const buildHub = (): void => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'server/tsconfig.build.json'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
};

export const startBenchHub = async (opts: {
  databaseUrl?: string;
  dataDir?: string;
  logFile: string;
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the hub to this folder when it stops. */
  profileDir?: string;
  /** Hub processes sharing the port (CCX_PROCESSES; PostgreSQL only). */
  processes?: number;
}): Promise<BenchHub> => {
  // The hub logs every request: it writes straight to the file, as to a disk or a log collector in
  // production. A pipe to this process (busy driving the load) would block the hub's writes.
  const out = openSync(opts.logFile, 'a');
  const startedAt = statSync(opts.logFile).size;
  const profile = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, '--enable-source-maps', 'server/dist/main.js'],
    {
      cwd: repoRoot,
      env: {
        ...compiledEnv(),
        PORT: '0',
        DATABASE_URL: opts.databaseUrl ?? '',
        CCX_DATA_DIR: opts.dataDir ?? path.join(repoRoot, '.bench-data', 'unused'),
        // Long enough that no token expires during a run.
        CCX_TOKEN_TTL: '2h',
        // The benchmark measures what the hub can serve, so one client may exceed a council's rate limit.
        CCX_RATE_LIMIT: '0',
        CCX_PROCESSES: String(opts.processes ?? 1),
        ...opts.env,
      },
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const url = await (async () => {
    for (const until = Date.now() + 120_000; Date.now() < until;) {
      // startedAt counts bytes: slice the bytes, not the text (the log holds multi-byte characters).
      const head = readFileSync(opts.logFile).subarray(startedAt).toString('utf8');
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
  let sampledProcessPeak = 0;
  const rssOf = async (p: number) => statusField(p, 'VmRSS').catch(() => 0);
  const sample = async () => {
    const each = await Promise.all(processTree(pid).map(rssOf));
    sampledPeak = Math.max(
      sampledPeak,
      each.reduce((a, b) => a + b, 0),
    );
    sampledProcessPeak = Math.max(sampledProcessPeak, ...each);
  };
  const sampler = setInterval(() => void sample(), 200);
  const single = (opts.processes ?? 1) === 1;
  return {
    url,
    pid,
    rssMiB: async () => (await Promise.all(processTree(pid).map(rssOf))).reduce((a, b) => a + b, 0),
    peakRssMiB: async () => {
      await sample();
      if (!single) return sampledPeak;
      const hwm = await statusField(pid, 'VmHWM').catch(() => 0);
      return Math.max(sampledPeak, hwm);
    },
    peakProcessRssMiB: async () => {
      await sample();
      if (!single) return sampledProcessPeak;
      const hwm = await statusField(pid, 'VmHWM').catch(() => 0);
      return Math.max(sampledProcessPeak, hwm);
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

// The ceiling: node:http answering a small JSON body, nothing else (no parsing, no routing, no auth).
const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ result: { data: { ok: true, at: 'bare' } } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log('bare ready at http://127.0.0.1:' + server.address().port));
`;

/** A bare node:http JSON server in a process of its own, for the ceiling row. */
export const startBareHttp = async (): Promise<{ url: string; stop: () => Promise<void> }> => {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /bare ready at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

/**
 * The demo hub (`npm run demo`, compiled) on the embedded database in `dataDir`: its resident memory a
 * few seconds after it says it is ready — on its first start (which fills the data) and on a restart.
 */
export const measureDemoMemory = async (
  dataDir: string,
  logFile: string,
): Promise<{ firstStartMiB: number; restartMiB: number }> => {
  const once = async (): Promise<number> => {
    const out = openSync(logFile, 'a');
    const startedAt = statSync(logFile).size;
    const child = spawn(process.execPath, ['--enable-source-maps', 'server/dist/demo/main.js'], {
      cwd: repoRoot,
      env: { ...compiledEnv(), PORT: '0', DATABASE_URL: '', CCX_DATA_DIR: dataDir },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    try {
      for (const until = Date.now() + 180_000; ;) {
        const head = readFileSync(logFile).subarray(startedAt).toString('utf8');
        if (/demo hub ready at/.test(head)) break;
        if (exited !== undefined) throw new Error(`the demo hub exited with ${exited}:\n${head}`);
        if (Date.now() > until) throw new Error(`the demo hub did not become ready; see ${logFile}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Settled: what it holds while it waits for its first visitor.
      await new Promise((r) => setTimeout(r, 3000));
      return await statusField(child.pid!, 'VmRSS');
    } finally {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
    }
  };
  const firstStartMiB = await once();
  const restartMiB = await once();
  return { firstStartMiB, restartMiB };
};
