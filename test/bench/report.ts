// The benchmark's report: one table of every operation at every concurrency, each throughput as a
// ratio of the ping's at the same concurrency, and the targets, met or not, with the figures behind them.
import type { StepResult } from './load.js';

export type OperationResult = {
  name: string;
  steps: StepResult[];
  /** A timed batch of work (an import, a run of declares) rather than a sweep. */
  batch?: { rows: number };
};

export type Target = { name: string; goal: string; measured: string; met: boolean | null };

export type BenchReport = {
  at: string;
  machine: { cores: number; memoryGiB: number; node: string; cpu: string };
  database: { kind: 'postgres' | 'pglite'; name: string };
  data: { seed: number; scale: number; counts: Record<string, number> };
  settings: { sweep: number[]; measureSeconds: number; warmupSeconds: number };
  operations: OperationResult[];
  tenth: { database: string; counts: Record<string, number>; operations: OperationResult[] } | null;
  peaks: { database: string; peakRssMiB: number }[];
  /** Ping, check and search again on several hub processes sharing the port. */
  processes?: {
    count: number;
    operations: OperationResult[];
    /** Of all the processes together (primary included), and of the largest one. */
    peakRssMiB: number;
    peakProcessRssMiB: number;
  } | null;
  /** The demo hub's resident memory on the embedded database, settled after it starts. */
  demo?: { firstStartMiB: number; restartMiB: number } | null;
  targets: Target[];
  seconds: number;
};

const PING = 'system.ping';
const BARE = 'node:http bare JSON';
const find = (ops: OperationResult[], name: string) =>
  ops.find((o) => o.name === name || o.name.startsWith(`${name} `));
const at = (op: OperationResult | undefined, clients: number) => op?.steps.find((s) => s.clients === clients);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b ? undefined : a / b;
const f = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
const pct = (n: number | undefined) => (n === undefined ? '–' : `${(n * 100).toFixed(0)}%`);
const mb = (mib: number) => (mib * 1024 * 1024) / 1e6;

/** A throughput target: `name` at 32 clients at least `share` of the ping's (and its p99 at most `tail`× the ping's). */
const shareOfPing = (
  ops: OperationResult[],
  name: string,
  share: number,
  tail?: number,
): Target | undefined => {
  const op = at(find(ops, name), 32);
  const p32 = at(find(ops, PING), 32);
  if (!op || !p32) return undefined;
  const tp = ratio(op.perSecond, p32.perSecond)!;
  const p99 = ratio(op.p99, p32.p99)!;
  return {
    name: `${name} at 32 clients`,
    goal: `≥ ${pct(share)} of ping throughput${tail === undefined ? '' : `, p99 ≤ ${tail}× ping p99`}`,
    measured: `${pct(tp)} (${f(op.perSecond)}/s vs ${f(p32.perSecond)}/s)${tail === undefined ? '' : `, p99 ${f(p99, 2)}× (${f(op.p99, 1)} vs ${f(p32.p99, 1)} ms)`}`,
    met: tp >= share && (tail === undefined || p99 <= tail),
  };
};

export const evaluateTargets = (r: BenchReport): Target[] => {
  const ops = r.operations;
  const ping = find(ops, PING);
  const check = find(ops, 'checks.placement');
  const many = find(ops, 'checks.placementMany');
  const targets: Target[] = [];

  const p32 = at(ping, 32);
  const b32 = at(find(ops, BARE), 32);
  if (p32 && b32) {
    const tp = ratio(p32.perSecond, b32.perSecond)!;
    targets.push({
      name: 'system.ping (authenticated) at 32 clients',
      goal: '≥ 12% of bare node:http',
      measured: `${pct(tp)} (${f(p32.perSecond)}/s vs ${f(b32.perSecond)}/s)`,
      met: tp >= 0.12,
    });
  }
  for (const t of [
    shareOfPing(ops, 'checks.placement', 0.5, 2.5),
    shareOfPing(ops, 'outcomes.publish', 0.3),
    shareOfPing(ops, 'restrictions.create', 0.3),
    shareOfPing(ops, 'events.list', 0.25),
    shareOfPing(ops, 'provisions.search', 0.4),
  ])
    if (t) targets.push(t);
  const c32 = at(check, 32);
  if (many && check) {
    const m32 = at(many, 32);
    if (m32 && c32) {
      const x = (m32.perSecond * 100) / c32.perSecond;
      targets.push({
        name: 'checks.placementMany of 100',
        goal: '≥ 5× the provisions/s of single checks (32 clients each)',
        measured: `${f(x, 1)}× (${f(m32.perSecond * 100)} vs ${f(c32.perSecond)} provisions/s)`,
        met: x >= 5,
      });
    }
  }
  const imports = ops.filter((o) => o.name.startsWith('placements.import'));
  const declares = ops.filter((o) => o.name.startsWith('placements.declare'));
  if (imports.length && declares.length) {
    const slowestImport = Math.max(...imports.map((o) => o.steps[0]!.seconds));
    const fastestDeclares = Math.min(...declares.map((o) => o.steps[0]!.seconds));
    targets.push({
      name: 'placements.import of 10,000 rows',
      goal: 'faster than 1,000 single placements.declare calls',
      measured: `slower import ${f(slowestImport, 2)} s vs the faster 1,000 declares ${f(fastestDeclares, 2)} s (${f(fastestDeclares / slowestImport, 1)}×)`,
      met: slowestImport < fastestDeclares,
    });
  }
  if (r.peaks.length) {
    const peak = Math.max(...r.peaks.map((p) => mb(p.peakRssMiB)));
    targets.push({
      name: 'hub memory at the peak of the run (one process)',
      goal: '< 250 MB resident',
      measured: `${f(peak)} MB (${r.peaks.map((p) => `${p.database} ${f(mb(p.peakRssMiB))} MB`).join(', ')})`,
      met: peak < 250,
    });
  }
  if (r.demo) {
    const first = mb(r.demo.firstStartMiB);
    const restart = mb(r.demo.restartMiB);
    targets.push({
      name: 'the demo hub on the embedded database, resident after start',
      goal: '< 300 MB',
      measured: `${f(first)} MB after its first start, ${f(restart)} MB after a restart`,
      met: Math.max(first, restart) < 300,
    });
  }
  if (r.tenth && check) {
    const tenthCheck = find(r.tenth.operations, 'checks.placement');
    const rows = [1, 32].flatMap((clients) => {
      const full = at(check, clients);
      const small = at(tenthCheck, clients);
      return full && small ? [{ clients, full: full.p50, small: small.p50, x: full.p50 / small.p50 }] : [];
    });
    if (rows.length)
      targets.push({
        name: 'checks.placement p50, full data against one tenth',
        goal: 'full ≤ 1.5× one tenth',
        measured: rows
          .map(
            (x) =>
              `${x.clients} client${x.clients === 1 ? '' : 's'}: ${f(x.x, 2)}× (${f(x.full, 1)} vs ${f(x.small, 1)} ms)`,
          )
          .join('; '),
        met: rows.every((x) => x.x <= 1.5),
      });
  }
  return targets;
};

/** What the extra processes gave: each operation's throughput against one process's at 32 clients. */
const processesLines = (r: BenchReport): string[] => {
  if (!r.processes) return [];
  const p = r.processes;
  return [
    ...p.operations.map((op) => {
      const two = at(op, 32);
      const one = at(find(r.operations, op.name), 32);
      return `${op.name}: ${f(two?.perSecond)}/s on ${p.count} processes vs ${f(one?.perSecond)}/s on one (${f(ratio(two?.perSecond, one?.perSecond), 2)}×)`;
    }),
    `memory: ${f(mb(p.peakRssMiB))} MB resident at the peak for all ${p.count} processes and their primary together; the largest one ${f(mb(p.peakProcessRssMiB))} MB`,
  ];
};

type Row = string[];

const rowsOf = (ops: OperationResult[]): Row[] => {
  const ping = find(ops, PING);
  return ops.flatMap((op) =>
    op.steps.map((s) => {
      const base = op.batch ? undefined : at(ping, s.clients);
      const many = op.name.startsWith('checks.placementMany');
      return [
        op.name,
        String(s.clients),
        op.batch ? `${f(s.seconds, 2)} s` : f(s.perSecond),
        op.batch ? `${f(op.batch.rows / s.seconds)} rows/s` : many ? `${f(s.perSecond * 100)} prov/s` : '',
        op === ping ? '1.00' : f(ratio(s.perSecond, base?.perSecond), 2),
        f(s.p50, 1),
        f(s.p99, 1),
        op === ping ? '1.00' : f(ratio(s.p99, base?.p99), 2),
        String(s.errors),
      ];
    }),
  );
};

const HEAD = [
  'operation',
  'clients',
  'req/s (or time)',
  'work/s',
  '× ping',
  'p50 ms',
  'p99 ms',
  'p99 × ping',
  'errors',
];

const pad = (rows: Row[]): string => {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
};

const targetLines = (r: BenchReport) =>
  r.targets.map(
    (t) => `${t.met === null ? '?' : t.met ? 'MET ' : 'MISS'}  ${t.name}: ${t.measured}  [goal ${t.goal}]`,
  );

const countsLine = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`)
    .join(', ');

export const renderTable = (r: BenchReport): string => {
  const lines = [
    `${r.database.kind} ${r.database.name}: ${countsLine(r.data.counts)}`,
    pad([HEAD, ...rowsOf(r.operations)]),
  ];
  if (r.tenth) lines.push('', `one tenth (${r.tenth.database}):`, pad([HEAD, ...rowsOf(r.tenth.operations)]));
  if (r.processes)
    lines.push(
      '',
      `${r.processes.count} hub processes sharing the port (CCX_PROCESSES=${r.processes.count}):`,
      pad([HEAD, ...rowsOf(r.processes.operations)]),
      ...processesLines(r),
    );
  lines.push('', ...targetLines(r), '', `run took ${r.seconds} s`);
  return lines.join('\n');
};

const mdTable = (rows: Row[]) =>
  [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export const renderMarkdown = (r: BenchReport): string =>
  [
    `# ccx benchmark, ${r.at.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. Database: ${r.database.kind} \`${r.database.name}\`, synthetic data seed ${r.data.seed}, scale ${r.data.scale}: ${countsLine(r.data.counts)}.`,
    '',
    `Closed-loop clients over HTTP from a separate process; ${r.settings.warmupSeconds} s warm-up then ${r.settings.measureSeconds} s measured per step. "× ping" is the throughput as a ratio of \`system.ping\` (authenticated no-op) at the same number of clients in this run; the first row is the ceiling, a bare node:http server answering JSON, driven by the same clients.`,
    '',
    mdTable(rowsOf(r.operations)),
    ...(r.tenth
      ? ['', `## One tenth of the data (\`${r.tenth.database}\`)`, '', mdTable(rowsOf(r.tenth.operations))]
      : []),
    ...(r.processes
      ? [
          '',
          `## ${r.processes.count} hub processes sharing the port (\`CCX_PROCESSES=${r.processes.count}\`)`,
          '',
          mdTable(rowsOf(r.processes.operations)),
          '',
          ...processesLines(r).map((l) => `- ${l}`),
        ]
      : []),
    '',
    '## Targets',
    '',
    ...targetLines(r).map((l) => `- ${l}`),
    '',
    `Server peak resident memory: ${r.peaks.map((p) => `${p.database} ${f(mb(p.peakRssMiB))} MB`).join(', ')}. The run took ${r.seconds} s.`,
    '',
  ].join('\n');
