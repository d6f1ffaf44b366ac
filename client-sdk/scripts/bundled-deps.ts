// The SDK bundles @trpc/client and @trpc/server (package.json bundleDependencies): both declare a
// required peer dependency on typescript, which npm would otherwise install into every project that
// installs @ccx/client, JavaScript-only ones and the global `ccx` command included. npm pack takes
// bundled packages from the package's own node_modules/, but in this workspace npm installs them at the
// root: `link` (prepack) links each into client-sdk/node_modules/, `unlink` (postpack) removes those
// links. Links, not copies, so whatever resolves @trpc/* from client-sdk meanwhile still reaches the
// one copy at the root.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkg, '..');
const { bundleDependencies = [] } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
  bundleDependencies?: string[];
};

const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

const mode = process.argv[2];
for (const name of bundleDependencies) {
  const here = join(pkg, 'node_modules', name);
  if (mode === 'link') {
    if (existsSync(here)) continue; // installed here already (a version of its own): npm packs that one
    const installed = join(root, 'node_modules', name);
    if (!existsSync(join(installed, 'package.json'))) throw new Error(`${name} is not installed: run npm ci`);
    mkdirSync(dirname(here), { recursive: true });
    symlinkSync(relative(dirname(here), installed), here, 'dir');
  } else if (mode === 'unlink') {
    if (!isLink(here)) continue;
    unlinkSync(here);
    // Remove the folders the links needed, if nothing else is in them.
    for (let dir = dirname(here); dir !== pkg && readdirSync(dir).length === 0; dir = dirname(dir))
      rmdirSync(dir);
  } else {
    throw new Error('usage: tsx scripts/bundled-deps.ts link|unlink');
  }
}
