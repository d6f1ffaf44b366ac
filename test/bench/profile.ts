// Summarises a V8 CPU profile (from `npm run bench -- --profile`): self time by function and by
// package, so the cost of a hot path can be read without a browser.
import { readFile } from 'node:fs/promises';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx test/bench/profile.ts FILE.cpuprofile [top] [--last SECONDS]');
  process.exit(2);
}
const top = Number(process.argv[3] && !process.argv[3].startsWith('--') ? process.argv[3] : 40);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// --last SECONDS: only the samples of the profile's last SECONDS (the last step of a run, say).
const lastAt = process.argv.indexOf('--last');
const lastUs = lastAt > 0 ? Number(process.argv[lastAt + 1]) * 1e6 : Number.POSITIVE_INFINITY;
const span = profile.timeDeltas.reduce((a, b) => a + b, 0);
const self = new Map<number, number>();
let clock = 0;
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (span - clock <= lastUs) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const packageOf = (url: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/server/src/')) return `server/${url.split('/server/src/')[1]!.split('/')[0]}`;
  if (url.includes('/schema/src/')) return '@ccx/schema';
  if (url.startsWith('node:')) return url;
  return url ? 'other' : '(native)';
};

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);
const fns = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const name = n.callFrame.functionName || '(anonymous)';
  const where = n.callFrame.url
    ? `${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`
    : '';
  add(fns, `${name} ${where}`, t);
  add(packages, packageOf(n.callFrame.url) === '(native)' ? name : packageOf(n.callFrame.url), t);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('self time by package (or native function)', packages);
print('self time by function', fns);

// Inclusive time (the function and everything it called), for the project's own functions and the
// libraries' entry points, so a hot path's whole cost can be read.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, t] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (/server\/src|schema\/src|drizzle-orm|postgres\/src|@trpc|zod|jose|pino/.test(n.callFrame.url))
      add(inclusive, key, t);
  }
}
print('inclusive time (project and library functions)', inclusive);
