// Before any test runs: the console's build in server/console/dist must be the build of its source,
// or the browser tests would test yesterday's console. Rebuilt (a few seconds) only when a source file
// is newer than the build; skipped when CCX_CONSOLE_DIR names another build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleRoot = fileURLToPath(new URL('../../server/console', import.meta.url));

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }, 0);

const builtAt = (): number => {
  try {
    return statSync(path.join(consoleRoot, 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
};

export default function setup(): void {
  if (process.env.CCX_CONSOLE_DIR) return;
  const sources = Math.max(
    newest(path.join(consoleRoot, 'src')),
    newest(path.join(consoleRoot, 'public')),
    statSync(path.join(consoleRoot, 'index.html')).mtimeMs,
    statSync(path.join(consoleRoot, 'vite.config.ts')).mtimeMs,
  );
  if (sources <= builtAt()) return;
  console.log('building the console (its source is newer than server/console/dist)');
  try {
    execFileSync(process.execPath, [path.join(consoleRoot, '../../node_modules/vite/bin/vite.js'), 'build'], {
      cwd: consoleRoot,
      stdio: 'pipe',
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the console did not build:\n${String(stdout ?? '')}${String(stderr ?? '')}`, {
      cause: err,
    });
  }
}
