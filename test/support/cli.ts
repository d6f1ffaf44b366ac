// `ccx` as the tests run it: in this process (`main(argv, io)` with its output captured) or as a child
// process (as `npm run ccx` does), in an environment without the developer's own ccx settings.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CliIo } from '../../client-sdk/src/cli/io.js';
import { main } from '../../client-sdk/src/cli/program.js';
import { repoRoot, tsxBin } from './hub-process.js';

/** The `ccx` entry point, run with tsx. */
export const CLI = path.join(repoRoot, 'client-sdk/src/cli/main.ts');

export type CliEnv = Record<string, string | undefined>;

/** What a run of `ccx` left: its exit code and everything it wrote. */
export type CliRun = { code: number; stdout: string; stderr: string };

/** The process's environment without the developer's own ccx settings (any CCX_ variable). */
export const envWithoutCcx = (): CliEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CCX_')));

/** An environment of none of the developer's ccx settings: HOME at `home`, the config file `config`, and `extra`. */
export const isolatedEnv = (home: string, config: string, extra: CliEnv = {}): CliEnv => ({
  ...envWithoutCcx(),
  HOME: home,
  CCX_CONFIG: config,
  ...extra,
});

/**
 * `main(argv, io)` in this process with its output captured. `io` is the rest of what a command may
 * touch (environment, working directory, stdin, prompt, signal); `onOutput` sees stdout so far on each
 * write.
 */
export const runMain = async (
  args: string[],
  io: Omit<CliIo, 'stdout' | 'stderr'>,
  onOutput?: (stdout: string) => void,
): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    ...io,
    stdout: {
      write: (s: string) => {
        stdout += s;
        onOutput?.(stdout);
        return true;
      },
    },
    stderr: { write: (s: string) => ((stderr += s), true) },
  });
  return { code, stdout, stderr };
};

/** Runs `ccx` as a child process, as `npm run ccx` does; `stdin`, when given, is piped in. */
export const spawnCli = (
  args: string[],
  opts: { cwd: string; env: CliEnv; stdin?: string },
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(tsxBin, [CLI, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });

/** An API client's credentials, as `ccx` takes them. */
export type CliCreds = { id: string; secret: string };

/** The environment in which `ccx` speaks for `c` to the hub at `baseUrl`, with no config file (HOME at `dir`). */
export const clientEnv = (dir: string, baseUrl: string, c: CliCreds, extra: CliEnv = {}): CliEnv =>
  isolatedEnv(dir, path.join(dir, 'no-config.json'), {
    CCX_URL: baseUrl,
    CCX_CLIENT_ID: c.id,
    CCX_CLIENT_SECRET: c.secret,
    ...extra,
  });

/** `main(argv, io)` in this process, in `dir`; `stdin` is what is piped in (undefined: a terminal). */
export const runInDir = (dir: string, args: string[], env: CliEnv, stdin?: string): Promise<CliRun> =>
  runMain(args, {
    env,
    cwd: dir,
    stdin:
      stdin === undefined
        ? { isTTY: true, readAll: () => Promise.reject(new Error('a terminal')) }
        : { readAll: () => Promise.resolve(stdin) },
  });
