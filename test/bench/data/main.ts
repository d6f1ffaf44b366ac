// `npm run bench:data -- [options]`: generates a synthetic England (153 councils, their settings,
// placements, outcomes, restrictions, concerns, events and audit chains) into PostgreSQL or PGlite,
// deterministically from a seed, and writes a manifest for the benchmark. Bench data only: the
// clients' secrets are derived from the seed and written to the manifest.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDatabase, type Database } from '@ccx/server/testing';
import { londonDate } from '@ccx/server/testing';
import { TargetNotEmptyError, loadSyntheticEngland, type LoadProgress } from './loader.js';
import { buildManifest, redactUrl, type ManifestDatabase } from './manifest.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

const HELP = `Generate a synthetic England into a hub database (bench data: known secrets, never a real hub).

usage: npm run bench:data -- [options]

  --database-url <url>  load into this PostgreSQL database (default: $DATABASE_URL)
  --data-dir <dir>      otherwise PGlite in <dir>/pglite (default: .bench-data/full)
  --scale <n>           1 is national scale (153 authorities, 15,000 settings, 1,000,000 audit
                        entries); every count but the authorities is multiplied by n (default 1)
  --seed <n>            the same seed, scale and as-of give byte-identical data (default 1)
  --as-of <YYYY-MM-DD>  the day the data describes (default: today in England)
  --reset               empty the target first (PostgreSQL: drop and recreate the public schema;
                        PGlite: delete <dir>/pglite); without it the target must hold no data
  --out <file>          the manifest (default: .bench-data/<database or folder name>.manifest.json)
  -h, --help            this help
`;

class UsageError extends Error {}

type Args = {
  target: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  scale: number;
  seed: number;
  asOf: string;
  reset: boolean;
  out: string;
};

const parse = (argv: string[]): Args | 'help' => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        reset: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (values.help) return 'help';

  if (values['database-url'] !== undefined && values['data-dir'] !== undefined)
    throw new UsageError('give --database-url or --data-dir, not both');
  // An explicit --data-dir means PGlite, whatever the environment says.
  const url =
    values['data-dir'] === undefined ? values['database-url'] || process.env.DATABASE_URL || '' : '';
  let target: Args['target'];
  if (url) {
    if (!/^postgres(ql)?:\/\/./.test(url)) throw new UsageError('--database-url must be a postgres:// URL');
    try {
      new URL(url);
    } catch {
      throw new UsageError('--database-url is not a valid URL');
    }
    target = { kind: 'postgres', url };
  } else {
    const dir = values['data-dir'] ?? '.bench-data/full';
    if (dir === '') throw new UsageError('--data-dir must not be empty');
    target = { kind: 'pglite', dataDir: path.resolve(repoRoot, dir) };
  }

  const scale = Number(values.scale ?? '1');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10)
    throw new UsageError(
      `--scale must be a number above 0 and at most 10, not ${JSON.stringify(values.scale)}`,
    );
  const seed = Number(values.seed ?? '1');
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number of 0 or more, not ${JSON.stringify(values.seed)}`);
  const asOf = values['as-of'] ?? londonDate(new Date());
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? new Date(`${asOf}T00:00:00Z`) : null;
  if (
    !parsed ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== asOf ||
    asOf < '2000-01-01'
  )
    throw new UsageError(`--as-of must be a date as YYYY-MM-DD, not ${JSON.stringify(asOf)}`);

  const name =
    target.kind === 'postgres'
      ? decodeURIComponent(new URL(target.url).pathname.replace(/^\//, '')) || 'postgres'
      : path.basename(target.dataDir);
  const out = path.resolve(repoRoot, values.out ?? path.join('.bench-data', `${name}.manifest.json`));
  return { target, scale, seed, asOf, reset: values.reset ?? false, out };
};

const resetTarget = async (target: Args['target']): Promise<void> => {
  if (target.kind === 'pglite') {
    await rm(path.join(target.dataDir, 'pglite'), { recursive: true, force: true });
    // A hub started on the old database may have left the credentials of a client that is gone.
    await rm(path.join(target.dataDir, 'bootstrap.json'), { force: true });
    return;
  }
  const sql = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql.unsafe('drop schema if exists drizzle cascade');
    await sql.unsafe('drop schema if exists public cascade');
    await sql.unsafe('create schema public');
  } finally {
    await sql.end({ timeout: 5 });
  }
};

const fmt = (n: number): string => n.toLocaleString('en-GB');

const progress = (p: LoadProgress): void => {
  if (p.phase === 'plan') console.log(`  planned the world in ${p.seconds.toFixed(1)} s`);
  else if (p.phase === 'analyze') console.log(`  analyze ${p.seconds.toFixed(1)} s`);
  else if (p.done)
    console.log(
      `  ${p.table.padEnd(22)} ${fmt(p.rows).padStart(11)} rows ${p.seconds.toFixed(1).padStart(8)} s`,
    );
  else
    console.log(
      `  ${p.table.padEnd(22)} ${fmt(p.rows).padStart(11)} rows so far (${p.seconds.toFixed(0)} s)`,
    );
};

const main = async (): Promise<number> => {
  let args: Args | 'help';
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`bench:data: ${err.message} (see --help)`);
      return 2;
    }
    throw err;
  }
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const { target } = args;
  const where = target.kind === 'postgres' ? redactUrl(target.url) : target.dataDir;
  console.log(
    `synthetic England: seed ${args.seed}, scale ${args.scale}, as of ${args.asOf} → ${target.kind} ${where}`,
  );

  let database: Database;
  try {
    if (args.reset) await resetTarget(target);
    database =
      target.kind === 'postgres'
        ? await openDatabase({ kind: 'postgres', url: target.url, poolMax: 2 })
        : await openDatabase({ kind: 'pglite', dataDir: target.dataDir });
  } catch (err) {
    console.error(`bench:data: cannot open the database ${where}: ${(err as Error).message}`);
    return 1;
  }
  try {
    const report = await loadSyntheticEngland(
      database,
      { seed: args.seed, scale: args.scale, asOf: args.asOf },
      { onProgress: progress },
    );
    const db: ManifestDatabase =
      target.kind === 'postgres'
        ? { kind: 'postgres', url: redactUrl(target.url) }
        : { kind: 'pglite', dataDir: target.dataDir };
    const manifest = buildManifest(report.world, report, db);
    await mkdir(path.dirname(args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(manifest, null, 1)}\n`);

    console.log('');
    console.log(`  ${'table'.padEnd(22)} ${'rows'.padStart(11)} ${'seconds'.padStart(13)}`);
    for (const [table, rows] of Object.entries(report.counts))
      console.log(
        `  ${table.padEnd(22)} ${fmt(rows).padStart(11)} ${report.timings[table]!.toFixed(1).padStart(13)}`,
      );
    console.log(
      `  ${'(plan)'.padEnd(22)} ${''.padStart(11)} ${report.timings.plan!.toFixed(1).padStart(13)}`,
    );
    console.log(
      `  ${'(analyze)'.padEnd(22)} ${''.padStart(11)} ${report.timings.analyze!.toFixed(1).padStart(13)}`,
    );
    const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
    console.log(
      `  ${'total'.padEnd(22)} ${fmt(total).padStart(11)} ${report.totalSeconds.toFixed(1).padStart(13)}`,
    );
    console.log(`\nmanifest: ${args.out}`);
    return 0;
  } catch (err) {
    if (err instanceof TargetNotEmptyError) {
      console.error(`bench:data: ${err.message}; give --reset to replace it`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
};

process.exitCode = await main();
