// The hub as a user starts it: `server/src/main.ts` in its own process on a free port, on an
// embedded database in a data folder of its own, ready when it says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const tsxBin = path.join(repoRoot, 'node_modules/.bin/tsx');

/**
 * Node's own command line for a TypeScript entry point, with tsx as a loader rather than its CLI: one
 * process, so a signal sent to it reaches the program itself. (The tsx CLI relays a signal to its child
 * and kills it outright when the child does not answer within 30 ms, which a busy machine can miss.)
 */
export const sourceArgs = (script: string, ...args: string[]): string[] => [
  '--import',
  'tsx',
  script,
  ...args,
];

export type HubProcess = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  /** Stops the hub and everything it started. */
  kill: () => void;
};

export const startHubProcess = (dataDir: string, env: Record<string, string> = {}): Promise<HubProcess> =>
  new Promise((resolve, reject) => {
    // DATABASE_URL is cleared: the process runs on the embedded default a new user gets.
    const child = spawn(process.execPath, sourceArgs('server/src/main.ts'), {
      cwd: repoRoot,
      env: { ...process.env, CCX_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that cleanup reaches anything it starts.
      detached: true,
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const kill = () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    };
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`hub did not become ready:\n${out}`));
    }, 45_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ccx hub ready at (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited, kill });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before it was ready:\n${out}`));
    });
  });

/** The hub-admin credentials the first start wrote. */
export const readBootstrap = async (dataDir: string): Promise<{ clientId: string; clientSecret: string }> =>
  JSON.parse(await readFile(path.join(dataDir, 'bootstrap.json'), 'utf8')) as {
    clientId: string;
    clientSecret: string;
  };
