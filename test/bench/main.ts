// `npm run bench`: starts the hub on the synthetic England (`npm run bench:data`), drives it over HTTP
// from this process with 1, 8, 32 and 128 clients, and prints each operation's throughput, p50 and
// p99, and its throughput as a ratio of the authenticated no-op ping measured in the same run.
// Writes the table as JSON and Markdown under test/bench/results/.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '@ccx/server/testing';
import {
  buildHub,
  fetchToken,
  measureDemoMemory,
  repoRoot,
  startBareHttp,
  startBenchHub,
  type BenchHub,
} from './hub.js';
import { HttpDriver, runBatch, runStep, type Request, type StepResult } from './load.js';
import {
  renderMarkdown,
  renderTable,
  evaluateTargets,
  type BenchReport,
  type OperationResult,
} from './report.js';

const HELP = `npm run bench -- [options]

Runs the benchmark against data made by \`npm run bench:data\`.

  --database-url URL   the full-scale PostgreSQL database (default postgres://root@127.0.0.1:5432/ccx_bench)
  --tenth-url URL      the one-tenth database, for the data-growth comparison
                       (default postgres://root@127.0.0.1:5432/ccx_bench_tenth; "none" skips it)
  --pglite DIR         instead: a PGlite data folder made by bench:data --data-dir DIR
  --manifest FILE      the manifest bench:data wrote (default: .bench-data/<database>.manifest.json)
  --clients LIST       concurrency sweep (default 1,8,32,128)
  --seconds N          measured seconds per step (default 8; 2 s warm-up before each)
  --only LIST          operations to run (ping is always run; --only ping runs nothing else): check,many,search,publish,restrict,events,import,
                       processes (ping, check and search again on two hub processes sharing the port),
                       demo (the demo hub's memory on the embedded database)
  --profile            write a CPU profile of each hub to .bench-data/profiles/ (summarise it with
                       npx tsx test/bench/profile.ts FILE)
  --help`;

type Manifest = {
  generator: { seed: number; scale: number; asOf: string };
  counts: Record<string, number>;
  timings?: Record<string, number>;
  authorities: { id: string; clientId: string; clientSecret: string }[];
  provisions: {
    id: string;
    urn: string | null;
    providerId: string;
    hostAuthorityId: string;
    leadAuthorityId: string | null;
  }[];
  placing: Record<string, string[]>;
};

const BARE = 'node:http bare JSON (ceiling)';

const query = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'tenth-url': { type: 'string' },
    pglite: { type: 'string' },
    manifest: { type: 'string' },
    clients: { type: 'string', default: '1,8,32,128' },
    seconds: { type: 'string', default: '8' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const sweep = args.clients.split(',').map((s) => Number.parseInt(s, 10));
if (sweep.some((n) => !Number.isInteger(n) || n < 1 || n > 1024))
  fail('--clients must be a comma-separated list of numbers from 1 to 1024');
const measureMs = Number(args.seconds) * 1000;
if (!Number.isFinite(measureMs) || measureMs < 1000) fail('--seconds must be at least 1');
const OPS = [
  'ping',
  'check',
  'many',
  'search',
  'publish',
  'restrict',
  'events',
  'import',
  'processes',
  'demo',
] as const;
const only = new Set(args.only ? args.only.split(',') : OPS);
for (const o of only) if (!(OPS as readonly string[]).includes(o)) fail(`--only: unknown operation ${o}`);

const databaseUrl = args.pglite
  ? undefined
  : (args['database-url'] ?? 'postgres://root@127.0.0.1:5432/ccx_bench');
const tenthUrl = args.pglite
  ? undefined
  : args['tenth-url'] === 'none'
    ? undefined
    : (args['tenth-url'] ?? 'postgres://root@127.0.0.1:5432/ccx_bench_tenth');
const nameOf = (url: string) => new URL(url).pathname.replace(/^\//, '');
const manifestFor = (target: string) =>
  path.join(repoRoot, '.bench-data', `${databaseUrl ? nameOf(target) : path.basename(target)}.manifest.json`);
const manifestPath = args.manifest ?? manifestFor(databaseUrl ?? args.pglite!);
if (!existsSync(manifestPath))
  fail(
    `no benchmark data: ${manifestPath} is missing. Make it first with\n  npm run bench:data${databaseUrl ? ` -- --database-url ${databaseUrl}` : ` -- --data-dir ${args.pglite}`}`,
  );
const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;

const resultsDir = path.join(repoRoot, 'test', 'bench', 'results');
await mkdir(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const logFile = path.join(repoRoot, '.bench-data', `hub-${stamp}.log`);
const WARMUP_MS = 2000;
// Seeded, so two runs send the same requests.
const random = seededRandom(manifest.generator.seed * 7919 + 17);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const say = (line: string) => process.stdout.write(`${line}\n`);

const startHub = async (url: string | undefined, processes = 1): Promise<BenchHub> =>
  startBenchHub({
    ...(url ? { databaseUrl: url } : { dataDir: args.pglite! }),
    logFile,
    processes,
    ...(args.profile ? { profileDir: path.join(repoRoot, '.bench-data', 'profiles') } : {}),
  });

/** Tokens for every member authority (and which provisions each places at and leads). */
const authoritiesOf = async (hub: BenchHub, m: Manifest) => {
  const leads = new Map<string, string[]>();
  for (const p of m.provisions)
    if (p.leadAuthorityId) leads.set(p.leadAuthorityId, [...(leads.get(p.leadAuthorityId) ?? []), p.id]);
  const out = [];
  for (const a of m.authorities) {
    out.push({
      id: a.id,
      token: await fetchToken(hub.url, a.clientId, a.clientSecret),
      placing: m.placing[a.id] ?? [],
      leads: leads.get(a.id) ?? [],
    });
  }
  return out;
};
type Member = Awaited<ReturnType<typeof authoritiesOf>>[number];

type Next = (client: number, n: number) => Request | null;

const sweepOf = async (
  driver: HttpDriver,
  name: string,
  make: (clients: number, previous: StepResult | undefined) => Next | Promise<Next>,
  levels = sweep,
): Promise<OperationResult> => {
  const steps: StepResult[] = [];
  for (const clients of levels) {
    const next = await make(clients, steps.at(-1));
    const step = await runStep(driver, clients, next, { warmupMs: WARMUP_MS, measureMs });
    steps.push(step);
    say(
      `  ${name.padEnd(34)} ${String(clients).padStart(4)} clients  ${step.perSecond.toFixed(0).padStart(6)}/s  p50 ${step.p50.toFixed(1)} ms  p99 ${step.p99.toFixed(1)} ms${step.errors ? `  ${step.errors} ERRORS: ${step.firstError}` : ''}`,
    );
  }
  return { name, steps };
};

const checkTarget = (m: Member, provisions: Manifest['provisions']) =>
  // Half the checks are of settings the authority places at (detail, histories), half of any setting.
  m.placing.length && random() < 0.5 ? pick(m.placing) : pick(provisions).id;

const run = async (url: string | undefined, m: Manifest, full: boolean): Promise<OperationResult[]> => {
  const hub = await startHub(url);
  const driver = new HttpDriver(hub.url);
  try {
    say(
      `hub ${hub.url} (pid ${hub.pid}) on ${url ? nameOf(url) : args.pglite}: ${m.counts.provisions} provisions`,
    );
    const members = await authoritiesOf(hub, m);
    const memberFor = (client: number) => members[(client * 31) % members.length]!;
    const results: OperationResult[] = [];
    if (full) {
      // The ceiling, in the same run: node:http answering JSON, driven by the same clients.
      const bare = await startBareHttp();
      const bareDriver = new HttpDriver(bare.url);
      try {
        results.push(
          await sweepOf(bareDriver, BARE, () => () => ({ method: 'GET', path: '/', token: 'none' })),
        );
      } finally {
        bareDriver.close();
        await bare.stop();
      }
    }
    const ping = await sweepOf(driver, 'system.ping (authenticated no-op)', () => (c) => ({
      method: 'GET',
      path: query('system.ping'),
      token: memberFor(c).token,
    }));
    results.push(ping);

    if (only.has('check') || !full)
      results.push(
        await sweepOf(driver, 'checks.placement', () => (c) => {
          const me = memberFor(c);
          return {
            method: 'GET',
            path: query('checks.placement', { provisionId: checkTarget(me, m.provisions) }),
            token: me.token,
          };
        }),
      );
    if (!full) return results;

    if (only.has('many'))
      results.push(
        await sweepOf(driver, 'checks.placementMany (100)', () => (c) => {
          const me = memberFor(c);
          const ids = new Set<string>();
          while (ids.size < 100) ids.add(checkTarget(me, m.provisions));
          return {
            method: 'POST',
            path: '/trpc/checks.placementMany',
            token: me.token,
            body: { items: [...ids].map((provisionId) => ({ provisionId })) },
          };
        }),
      );

    if (only.has('search')) {
      const names = await searchTerms(driver, members[0]!.token);
      results.push(
        await sweepOf(driver, 'provisions.search', () => (c) => ({
          method: 'GET',
          path: query('provisions.search', { q: pick(names), limit: 20 }),
          token: memberFor(c).token,
        })),
      );
    }

    if (only.has('events')) {
      const latest = await driver.send({
        method: 'GET',
        path: query('events.list', { latest: 1 }),
        token: members[0]!.token,
      });
      const top = Number(
        (JSON.parse(latest.body) as { result: { data: { nextSince: string } } }).result.data.nextSince,
      );
      results.push(
        await sweepOf(driver, 'events.list (100)', () => (c) => ({
          method: 'GET',
          path: query('events.list', {
            since: String(Math.floor(random() * Math.max(1, top - 2000))),
            limit: 100,
          }),
          token: memberFor(c).token,
        })),
      );
    }

    if (only.has('publish')) {
      const leaders = members.filter((x) => x.leads.length > 0);
      const draftsCreated: StepResult[] = [];
      results.push(
        await sweepOf(driver, 'outcomes.publish', async (clients, previous) => {
          // Drafts to publish, made before the step (not timed in it): enough for half as much again as
          // the last step's rate could grow to. Should they run out, the window ends at the last answer.
          const growth = Math.min(2, clients / (previous?.clients ?? clients));
          const estimate = Math.max(300, (previous?.perSecond ?? 0) * growth);
          const perClient = Math.ceil((estimate * 1.5 * (measureMs + WARMUP_MS)) / 1000 / clients) + 5;
          const queues: { token: string; drafts: { id: string; version: number }[] }[] = [];
          const creates: Request[] = [];
          const owners = new Map<Request, number>();
          for (let c = 0; c < clients; c++) {
            const lead = leaders[(c * 31) % leaders.length]!;
            queues.push({ token: lead.token, drafts: [] });
            for (let i = 0; i < perClient; i++) {
              const create: Request = {
                method: 'POST',
                path: '/trpc/outcomes.create',
                token: lead.token,
                body: draftFor(pick(lead.leads), m.generator.asOf),
              };
              creates.push(create);
              owners.set(create, c);
            }
          }
          const made = await runBatch(driver, 32, creates, (a, req) => {
            const owner = owners.get(req)!;
            if (a.status !== 200) return false;
            const d = (JSON.parse(a.body) as { result: { data: { id: string; version: number } } }).result
              .data;
            queues[owner]!.drafts.push({ id: d.id, version: d.version });
            return true;
          });
          draftsCreated.push(made);
          if (made.errors) throw new Error(`drafts not created: ${made.firstError}`);
          return (c) => {
            const q = queues[c]!;
            const d = q.drafts.pop();
            return d
              ? {
                  method: 'POST',
                  path: '/trpc/outcomes.publish',
                  token: q.token,
                  body: { id: d.id, version: d.version, idempotencyKey: randomUUID() },
                }
              : null;
          };
        }),
      );
      // The drafts were made 32 at a time, batch by batch: their throughput is a row of its own.
      results.push({
        name: 'outcomes.create (draft, 32 clients)',
        steps: [mergeBatches(draftsCreated, 32)],
      });
    }

    if (only.has('restrict')) {
      const kinds = [
        'embargo',
        'informal-embargo',
        'action-plan',
        'letter-of-concern',
        'causing-concern-level',
      ];
      results.push(
        await sweepOf(driver, 'restrictions.create', () => (c) => {
          const me = memberFor(c);
          const kind = pick(kinds);
          return {
            method: 'POST',
            path: '/trpc/restrictions.create',
            token: me.token,
            body: {
              provisionId: checkTarget(me, m.provisions),
              kind,
              restricted: kind === 'informal-embargo' || random() < 0.1,
              // Knowsley's level, which that kind carries and no other.
              ...(kind === 'causing-concern-level' ? { concernLevel: random() < 0.5 ? 1 : 2 } : {}),
              reasons: [
                { category: 'quality', text: 'Benchmark: staffing below the agreed ratio on two visits.' },
              ],
              summary: 'Benchmark restriction',
              idempotencyKey: randomUUID(),
            },
          };
        }),
      );
    }

    if (only.has('import')) results.push(...(await imports(driver, members, m)));
    return results;
  } finally {
    driver.close();
    peaks.push({ database: url ? nameOf(url) : args.pglite!, peakRssMiB: await hub.peakRssMiB() });
    await hub.stop();
  }
};

const peaks: { database: string; peakRssMiB: number }[] = [];

/** Ping, check and search at 32 clients on two hub processes sharing one port (CCX_PROCESSES=2). */
const twoProcesses = async (url: string, m: Manifest): Promise<NonNullable<BenchReport['processes']>> => {
  const hub = await startHub(url, 2);
  const driver = new HttpDriver(hub.url);
  const levels = [32];
  try {
    say(`two hub processes at ${hub.url} (primary pid ${hub.pid})`);
    const members = await authoritiesOf(hub, m);
    const memberFor = (client: number) => members[(client * 31) % members.length]!;
    const operations: OperationResult[] = [];
    operations.push(
      await sweepOf(
        driver,
        'system.ping (authenticated no-op)',
        () => (c) => ({ method: 'GET', path: query('system.ping'), token: memberFor(c).token }),
        levels,
      ),
    );
    operations.push(
      await sweepOf(
        driver,
        'checks.placement',
        () => (c) => {
          const me = memberFor(c);
          return {
            method: 'GET',
            path: query('checks.placement', { provisionId: checkTarget(me, m.provisions) }),
            token: me.token,
          };
        },
        levels,
      ),
    );
    const names = await searchTerms(driver, members[0]!.token);
    operations.push(
      await sweepOf(
        driver,
        'provisions.search',
        () => (c) => ({
          method: 'GET',
          path: query('provisions.search', { q: pick(names), limit: 20 }),
          token: memberFor(c).token,
        }),
        levels,
      ),
    );
    return {
      count: 2,
      operations,
      peakRssMiB: await hub.peakRssMiB(),
      peakProcessRssMiB: await hub.peakProcessRssMiB(),
    };
  } finally {
    driver.close();
    await hub.stop();
  }
};

const mergeBatches = (steps: StepResult[], clients: number): StepResult => {
  const requests = steps.reduce((n, s) => n + s.requests, 0);
  const seconds = steps.reduce((n, s) => n + s.seconds, 0);
  const weighted = (f: (s: StepResult) => number) =>
    steps.reduce((n, s) => n + f(s) * s.requests, 0) / Math.max(1, requests);
  return {
    clients,
    requests,
    errors: steps.reduce((n, s) => n + s.errors, 0),
    seconds,
    perSecond: requests / seconds,
    // Each batch's percentiles, weighted by its size: an approximation, marked as such in the report.
    p50: weighted((s) => s.p50),
    p99: Math.max(...steps.map((s) => s.p99)),
    max: Math.max(...steps.map((s) => s.max)),
    firstError: steps.find((s) => s.firstError)?.firstError ?? null,
  };
};

const draftFor = (provisionId: string, asOf: string) => ({
  provisionId,
  activityType: 'monitoring-visit',
  activityDate: asOf > today() ? today() : asOf,
  overallRating: 1 + Math.floor(random() * 3),
  sectionJudgements: [
    { section: 'Leadership and management', judgement: 'good' },
    {
      section: 'Health and wellbeing',
      judgement: 'requires-improvement',
      comment: 'Medication records incomplete.',
    },
  ],
  summary: 'Benchmark visit: settled home, records mostly in order.',
  findings: 'Staffing stable; two agency staff on nights. Medication audit overdue by one week.',
  actionItems: [{ description: 'Complete the medication audit', concernLevel: 'medium' }],
});

const today = () => new Date().toISOString().slice(0, 10);

/** Name fragments that find settings: words from the first page of the directory. */
const searchTerms = async (driver: HttpDriver, token: string): Promise<string[]> => {
  const page = await driver.send({ method: 'GET', path: query('provisions.search', { limit: 100 }), token });
  const items = (JSON.parse(page.body) as { result: { data: { items: { name: string }[] } } }).result.data
    .items;
  const words = new Set(items.flatMap((p) => p.name.split(/\s+/).filter((w) => w.length >= 4)));
  return [...words].map((w) => w.slice(0, 5).toLowerCase());
};

/** placements.import of 10,000 rows against 1,000 single placements.declare calls. */
const imports = async (driver: HttpDriver, members: Member[], m: Manifest): Promise<OperationResult[]> => {
  const importer = members.at(-1)!;
  const declarer = members.at(-2)!;
  const shuffled = [...m.provisions].sort(() => random() - 0.5);
  const rows = shuffled.slice(0, 10_000);
  const importOnce = async (children: number) =>
    runBatch(
      driver,
      1,
      [
        {
          method: 'POST',
          path: '/trpc/placements.import',
          token: importer.token,
          body: {
            rows: rows.map((p) => ({ provisionId: p.id, children })),
            endMissing: true,
            idempotencyKey: randomUUID(),
          },
        },
      ],
      (a) =>
        a.status === 200 &&
        (JSON.parse(a.body) as { result: { data: { applied: boolean } } }).result.data.applied,
    );
  const first = await importOnce(1);
  const second = await importOnce(2);
  say(
    `  placements.import (10,000 rows)    ${first.seconds.toFixed(2)} s opening, ${second.seconds.toFixed(2)} s changing every row`,
  );
  const declares = (offset: number): Request[] =>
    shuffled.slice(offset, offset + 1000).map((p) => ({
      method: 'POST',
      path: '/trpc/placements.declare',
      token: declarer.token,
      body: { provisionId: p.id, children: 1, idempotencyKey: randomUUID() },
    }));
  const one = await runBatch(driver, 1, declares(0));
  const many = await runBatch(driver, 32, declares(1000));
  say(
    `  placements.declare × 1,000         ${one.seconds.toFixed(2)} s one at a time, ${many.seconds.toFixed(2)} s 32 at a time`,
  );
  return [
    { name: 'placements.import (10,000 rows, opening)', steps: [first], batch: { rows: 10_000 } },
    { name: 'placements.import (10,000 rows, changing)', steps: [second], batch: { rows: 10_000 } },
    { name: 'placements.declare × 1,000 (1 client)', steps: [one], batch: { rows: 1000 } },
    { name: 'placements.declare × 1,000 (32 clients)', steps: [many], batch: { rows: 1000 } },
  ];
};

say(
  `ccx benchmark — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
say(`data: ${manifestPath} (seed ${manifest.generator.seed}, scale ${manifest.generator.scale})`);
const started = Date.now();
buildHub();
const operations = await run(databaseUrl, manifest, true);
const processes = databaseUrl && only.has('processes') ? await twoProcesses(databaseUrl, manifest) : null;
let tenth: BenchReport['tenth'] = null;
if (tenthUrl) {
  const tenthManifestPath = manifestFor(tenthUrl);
  if (!existsSync(tenthManifestPath)) {
    say(
      `(no one-tenth data at ${tenthManifestPath}: the data-growth comparison is skipped; make it with npm run bench:data -- --scale 0.1 --database-url ${tenthUrl})`,
    );
  } else {
    const tm = JSON.parse(await readFile(tenthManifestPath, 'utf8')) as Manifest;
    say(`one-tenth data: ${tenthManifestPath} (scale ${tm.generator.scale})`);
    tenth = { database: nameOf(tenthUrl), counts: tm.counts, operations: await run(tenthUrl, tm, false) };
  }
}

let demo: BenchReport['demo'] = null;
if (only.has('demo')) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccx-bench-demo-'));
  try {
    demo = await measureDemoMemory(dir, logFile);
    say(
      `demo hub on the embedded database: ${demo.firstStartMiB.toFixed(0)} MiB resident after its first start (filling its data), ${demo.restartMiB.toFixed(0)} MiB after a restart`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const report: BenchReport = {
  at: new Date().toISOString(),
  machine: {
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? '',
  },
  database: databaseUrl
    ? { kind: 'postgres', name: nameOf(databaseUrl) }
    : { kind: 'pglite', name: args.pglite! },
  data: { seed: manifest.generator.seed, scale: manifest.generator.scale, counts: manifest.counts },
  settings: { sweep, measureSeconds: measureMs / 1000, warmupSeconds: WARMUP_MS / 1000 },
  operations,
  tenth,
  peaks,
  processes,
  demo,
  targets: [],
  seconds: Math.round((Date.now() - started) / 1000),
};
report.targets = evaluateTargets(report);
say('');
say(renderTable(report));
const base = path.join(resultsDir, `${stamp}-${report.database.kind}`);
await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
await writeFile(`${base}.md`, renderMarkdown(report));
say(
  `\nwritten: ${path.relative(repoRoot, base)}.json and .md (hub log: ${path.relative(repoRoot, logFile)})`,
);
