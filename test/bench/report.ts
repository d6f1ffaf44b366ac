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
  targets: Target[];
  seconds: number;
};

const PING = 'system.ping';
const find = (ops: OperationResult[], name: string) =>
  ops.find((o) => o.name === name || o.name.startsWith(`${name} `));
const at = (op: OperationResult | undefined, clients: number) => op?.steps.find((s) => s.clients === clients);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b ? undefined : a / b;
const f = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
const pct = (n: number | undefined) => (n === undefined ? '–' : `${(n * 100).toFixed(0)}%`);
const mb = (mib: number) => (mib * 1024 * 1024) / 1e6;

export const evaluateTargets = (r: BenchReport): Target[] => {
  const ops = r.operations;
  const ping = find(ops, PING);
  const check = find(ops, 'checks.placement');
  const many = find(ops, 'checks.placementMany');
  const publish = find(ops, 'outcomes.publish');
  const targets: Target[] = [];

  const c32 = at(check, 32);
  const p32 = at(ping, 32);
  if (c32 && p32) {
    const tp = ratio(c32.perSecond, p32.perSecond)!;
    const tail = ratio(c32.p99, p32.p99)!;
    targets.push({
      name: 'checks.placement at 32 clients',
      goal: '≥ 40% of ping throughput, p99 ≤ 2.5× ping p99',
      measured: `${pct(tp)} (${f(c32.perSecond)}/s vs ${f(p32.perSecond)}/s), p99 ${f(tail, 2)}× (${f(c32.p99, 1)} vs ${f(p32.p99, 1)} ms)`,
      met: tp >= 0.4 && tail <= 2.5,
    });
  }
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
  const pub32 = at(publish, 32);
  if (pub32 && p32) {
    const tp = ratio(pub32.perSecond, p32.perSecond)!;
    targets.push({
      name: 'outcomes.publish at 32 clients',
      goal: '≥ 25% of ping throughput (audit and outbox on)',
      measured: `${pct(tp)} (${f(pub32.perSecond)}/s vs ${f(p32.perSecond)}/s)`,
      met: tp >= 0.25,
    });
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
      name: 'server memory at the peak of the run',
      goal: '< 300 MB resident',
      measured: `${f(peak)} MB (${r.peaks.map((p) => `${p.database} ${f(mb(p.peakRssMiB))} MB`).join(', ')})`,
      met: peak < 300,
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
    `Closed-loop clients over HTTP from a separate process; ${r.settings.warmupSeconds} s warm-up then ${r.settings.measureSeconds} s measured per step. "× ping" is the throughput as a ratio of \`system.ping\` (authenticated no-op) at the same number of clients in this run.`,
    '',
    mdTable(rowsOf(r.operations)),
    ...(r.tenth
      ? ['', `## One tenth of the data (\`${r.tenth.database}\`)`, '', mdTable(rowsOf(r.tenth.operations))]
      : []),
    '',
    '## Targets',
    '',
    ...targetLines(r).map((l) => `- ${l}`),
    '',
    `Server peak resident memory: ${r.peaks.map((p) => `${p.database} ${f(mb(p.peakRssMiB))} MB`).join(', ')}. The run took ${r.seconds} s.`,
    '',
  ].join('\n');
