// The published SDK as a council's developer gets it: `npm pack` of @ccx/client, installed into an
// empty folder, a ten-line script that type-checks (strict, library types checked too) and runs against
// a running hub, the `ccx` command from the package, and a wrong call refused by the compiler. And
// `npm install -g` of the tarball, as docs/cli.md tells an officer to install `ccx`.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { httpTest as test } from '../support/http.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let dir: string;
let project: string;
let tarball: string;
let env: NodeJS.ProcessEnv;

const SCRIPT = `import { createCcxClient, isCcxError } from '@ccx/client';

const ccx = createCcxClient({ baseUrl: process.env.CCX_URL!, clientId: process.env.CCX_CLIENT_ID!, clientSecret: process.env.CCX_CLIENT_SECRET! });
const me = await ccx.authorities.me.query();
const check = await ccx.checks.placement.query({ urn: process.env.URN! });
const verdict: 'clear' | 'caution' | 'do-not-place' = check.verdict;
console.log(JSON.stringify({ authority: me.authority.id, verdict, reasons: check.reasons.map((r) => r.code) }));
try { await ccx.outcomes.get.query({ id: '00000000-0000-4000-8000-000000000000' }); }
catch (e) { if (isCcxError(e)) console.log(JSON.stringify({ code: e.code, status: e.httpStatus })); }
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  include: ['script.ts'],
};

// The packed SDK installed in a project of its own, and a council's client to run the script as.
test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(join(tmpdir(), 'ccx-pack-'));
  project = join(dir, 'project');
  // prepack builds the package: ESM, .d.ts and the self-contained router types.
  await run('npm', ['pack', '-w', '@ccx/client', '--pack-destination', dir, '--silent'], {
    cwd: root,
    maxBuffer: 16 << 20,
  });
  const packed = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
  if (!packed) throw new Error('npm pack wrote no tarball');
  tarball = packed;
  await run('mkdir', [project]);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'council-tool', private: true, type: 'module' }),
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball), '@types/node@20'],
    { cwd: project, maxBuffer: 16 << 20 },
  );
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await writeFile(join(project, 'script.ts'), SCRIPT);

  const placing = await h.makeAuthority({ id: 'pack-placing' });
  const client = await h.makeClient(placing.id, 'officer');
  const provision = await h.makeProvision({ urn: 'SC990001' });
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    CCX_URL: h.baseUrl,
    CCX_CLIENT_ID: client.client.id,
    CCX_CLIENT_SECRET: client.clientSecret,
    URN: provision.urn ?? '',
  };
}, 240_000);

test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('@ccx/client from a packed tarball, in an empty project', () => {
  test('holds the built package only: ESM, declarations, the router types and the ccx command', async () => {
    const files = await readdir(join(project, 'node_modules/@ccx/client/dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'router.d.ts', 'cli']));
    const installed = await readdir(join(project, 'node_modules/@ccx'));
    expect(installed).toEqual(['client']); // no server, no schema: the types are self-contained
  });

  test('type-checks a ten-line script strictly, library declarations included, and runs it', async () => {
    expect(SCRIPT.trim().split('\n')).toHaveLength(9);
    await run(process.execPath, [tsc, '-p', project], { cwd: project });
    const { stdout } = await run(process.execPath, [join(project, 'out/script.js')], { cwd: project, env });
    const [first, second] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ authority: 'pack-placing', verdict: 'caution' });
    expect(first?.reasons).toContain('never-monitored');
    expect(second).toEqual({ code: 'NOT_FOUND', status: 404 });
  });

  test('refuses a wrong call at compile time: the types are the router, not any', async () => {
    await writeFile(
      join(project, 'wrong.ts'),
      `import { createCcxClient } from '@ccx/client';\n` +
        `const ccx = createCcxClient({ baseUrl: 'http://localhost', clientId: 'a', clientSecret: 'b' });\n` +
        `await ccx.checks.placement.query({ provisionId: 42 });\n` +
        `const n: number = (await ccx.authorities.me.query()).authority.name;\n` +
        `await ccx.outcomes.nonexistent.query();\n`,
    );
    const out = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'NodeNext',
        '--target',
        'ES2023',
        '--types',
        'node',
        'wrong.ts',
      ],
      { cwd: project },
    ).then(
      () => 'compiled without an error',
      (e: { stdout: string }) => e.stdout,
    );
    expect(out).toMatch(/wrong\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(out).toMatch(/wrong\.ts\(4,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(out).toMatch(/wrong\.ts\(5,\d+\): error TS2339: Property 'nonexistent' does not exist/);
  });

  test('installs the ccx command, which answers --help', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/ccx'), ['--help'], { cwd: project, env });
    expect(stdout).toMatch(/ccx check/);
  });

  test('installs globally from the tarball (npm install -g --prefix), as docs/cli.md says: ccx --version, --help, completion', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'client-sdk/package.json'), 'utf8')) as {
      version: string;
    };
    // The file name docs/cli.md gives: ccx-client-<version>.tgz.
    expect(tarball).toBe(`ccx-client-${version}.tgz`);
    const prefix = join(dir, 'prefix');
    await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`],
      { cwd: dir, maxBuffer: 16 << 20 },
    );
    const ccx = join(prefix, 'bin', 'ccx');
    expect((await run(ccx, ['--version'], { cwd: dir, env })).stdout).toBe(`ccx ${version}\n`);
    const help = await run(ccx, ['--help'], { cwd: dir, env });
    expect(help.stdout).toMatch(/Usage: ccx <command>/);
    expect(help.stdout).toMatch(/profiles/);
    const completion = await run(ccx, ['completion', 'bash'], { cwd: dir, env });
    expect(completion.stdout).toContain('complete -o bashdefault -o default -F _ccx ccx');
  });
});
