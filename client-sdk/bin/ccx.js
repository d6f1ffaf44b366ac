#!/usr/bin/env node
// The `ccx` executable: runs the compiled command line in dist/cli/. A file of its own that is never
// built, so that npm links the command even in a checkout before dist/ exists (`npm ci` builds it).
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
try {
  await import(main.href);
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && err.url === main.href) {
    process.stderr.write('ccx: the command line is not built yet: run `npm run build` in the ccx checkout\n');
    process.exit(1);
  }
  throw err;
}
