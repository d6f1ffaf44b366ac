// `npm run bench:console`: what the console costs a person. Prints, for each page, the JavaScript and
// CSS it loads (gzip, from a cold cache), against a budget of 200 KB of JavaScript for the first page;
// and the time from navigation to the setting page showing its verdict, in Debian's Chromium, against
// a hub on the national-scale data (`npm run bench:data`). Asserts nothing: the browser tests prove
// behaviour; this measures it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import { totp } from '@ccx/server/testing';
import { repoRoot, startBenchHub } from './hub.js';

const HELP = `npm run bench:console -- [options]

  --database-url URL   the national-scale PostgreSQL database bench:data made
                       (default postgres://root@127.0.0.1:5432/ccx_bench)
  --pglite DIR         instead: a PGlite data folder made by bench:data --data-dir DIR
  --settings N         setting pages to time (default 30)
  --help`;

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    pglite: { type: 'string' },
    settings: { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const CHROMIUM = process.env.CCX_CHROMIUM ?? '/usr/bin/chromium';
const JS_BUDGET_KB = 200;
const databaseUrl = args.pglite
  ? undefined
  : (args['database-url'] ?? 'postgres://root@127.0.0.1:5432/ccx_bench');
const manifestPath = path.join(
  repoRoot,
  '.bench-data',
  `${databaseUrl ? new URL(databaseUrl).pathname.slice(1) : path.basename(args.pglite!)}.manifest.json`,
);
if (!existsSync(manifestPath)) {
  console.error(`no benchmark data: ${manifestPath} is missing. Make it first with\n  npm run bench:data`);
  process.exit(2);
}
const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
  hostClient: { clientId: string; clientSecret: string };
  authorities: { id: string; name: string }[];
  provisions: { id: string; urn: string | null; leadAuthorityId: string | null }[];
  placing: Record<string, string[]>;
};

const hub = await startBenchHub({
  ...(databaseUrl ? { databaseUrl } : { dataDir: args.pglite! }),
  logFile: path.join(repoRoot, '.bench-data', 'hub-console.log'),
});
const origin = new URL(hub.url).origin;

const post = async (procedure: string, input: unknown, headers: Record<string, string>) => {
  const res = await fetch(`${hub.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, 'x-ccx-csrf': '1', ...headers },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  if (!res.ok) throw new Error(`${procedure}: ${res.status} ${body.error?.message}`);
  return {
    data: body.result!.data,
    cookie: res.headers
      .getSetCookie()
      .find((c) => c.startsWith('ccx_session='))
      ?.split(';')[0],
  };
};

// A placing officer at the authority that places the most children, set up through their invitation.
const tokenRes = await fetch(`${hub.url}/oauth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: manifest.hostClient.clientId,
    client_secret: manifest.hostClient.clientSecret,
  }),
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;
const [authorityId, placed] = Object.entries(manifest.placing).sort((a, b) => b[1].length - a[1].length)[0]!;
const email = `bench.console.${Date.now().toString(36)}@${authorityId}.example.gov.uk`;
const invited = await post(
  'people.invite',
  { authorityId, email, name: 'Bench Officer', role: 'officer' },
  { authorization: `Bearer ${token}` },
);
const link = (invited.data as { invitationUrl: string }).invitationUrl;
const accepted = await post(
  'auth.acceptLink',
  { token: new URL(link).hash.slice('#invitation='.length), password: 'correct horse battery staple' },
  {},
);
const secret = (accepted.data as { totpSecret: string }).totpSecret;
const confirmed = await post(
  'auth.confirmTotp',
  { code: totp.totpAt(secret, totp.totpStep(new Date())) },
  { cookie: accepted.cookie! },
);
const session = confirmed.cookie!.split('=')[1]!;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const signedIn = async (): Promise<BrowserContext> => {
  const context = await browser.newContext({ baseURL: hub.url, viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'ccx_session', value: session, url: hub.url }]);
  return context;
};

// 1. What each page loads, from a cold cache.
const setting = placed[0]!;
const PAGES: { path: string; signedIn: boolean }[] = [
  { path: '/sign-in', signedIn: false },
  { path: '/', signedIn: true },
  { path: '/settings?q=house', signedIn: true },
  { path: `/settings/${setting}`, signedIn: true },
  { path: '/shortlist', signedIn: true },
  { path: '/my-settings', signedIn: true },
  { path: '/notifications', signedIn: true },
  { path: '/account', signedIn: true },
];
console.log(
  `The console on ${databaseUrl ? 'PostgreSQL' : 'PGlite'} with the national-scale data; Chromium ${browser.version()}\n`,
);
console.log(
  'What each page loads, cold cache (KB: gzip -9 of each file, as a compressing server sends it; raw in brackets)\n',
);
console.log('| page                               | JS files | JS gzip (raw)     | CSS gzip (raw)   |');
console.log('|------------------------------------|----------|-------------------|------------------|');
let firstPageJs = 0;
for (const p of PAGES) {
  const context = p.signedIn ? await signedIn() : await browser.newContext({ baseURL: hub.url });
  const page = await context.newPage();
  const files: { type: 'js' | 'css'; raw: number; gzip: number }[] = [];
  const reads: Promise<void>[] = [];
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    reads.push(
      res.body().then((body) => {
        files.push({
          type: type === 'script' ? 'js' : 'css',
          raw: body.length,
          gzip: gzipSync(body, { level: 9 }).length,
        });
      }),
    );
  });
  await page.goto(p.path, { waitUntil: 'networkidle' });
  await Promise.all(reads);
  const sum = (t: 'js' | 'css', k: 'raw' | 'gzip') =>
    files.filter((f) => f.type === t).reduce((s, f) => s + f[k], 0) / 1024;
  if (p.path === '/sign-in') firstPageJs = sum('js', 'gzip');
  console.log(
    `| ${p.path.replace(setting, ':id').padEnd(34)} | ${String(files.filter((f) => f.type === 'js').length).padStart(8)} | ${sum('js', 'gzip').toFixed(1).padStart(6)} (${sum('js', 'raw').toFixed(1).padStart(6)})   | ${sum('css', 'gzip').toFixed(1).padStart(5)} (${sum('css', 'raw').toFixed(1).padStart(6)})   |`,
  );
  await context.close();
}
console.log(
  `\nFirst page (sign-in): ${firstPageJs.toFixed(1)} KB of JavaScript, budget ${JS_BUDGET_KB} KB: ${firstPageJs <= JS_BUDGET_KB ? 'within' : 'OVER'} budget.\n`,
);

// 2. Navigation to verdict: a signed-in officer opens setting pages one after another (warm cache, as
// in a day's work), each timed from the navigation's start to the verdict banner on the screen.
const n = Number(args.settings);
const targets = [
  ...placed.slice(0, Math.ceil(n / 2)),
  ...manifest.provisions
    .filter((p) => !placed.includes(p.id))
    .slice(0, n)
    .map((p) => p.id),
].slice(0, n);
const context = await signedIn();
const page = await context.newPage();
await page.goto(`/settings/${targets[0]}`);
await page.locator('[data-testid="verdict"]').waitFor({ timeout: 30_000 });
const times: number[] = [];
for (const id of targets) {
  const started = performance.now();
  await page.goto(`/settings/${id}`);
  await page.locator('[data-testid="verdict"]').waitFor({ timeout: 30_000 });
  times.push(performance.now() - started);
}
const sorted = [...times].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(
  `Navigation to verdict on /settings/:id, ${times.length} settings (half placed by ${authorityId}, half not), one at a time:`,
);
console.log(
  `  p50 ${at(0.5).toFixed(0)} ms   p95 ${at(0.95).toFixed(0)} ms   min ${sorted[0]!.toFixed(0)} ms   max ${sorted.at(-1)!.toFixed(0)} ms`,
);
console.log(
  '  (a full page load each time: the HTML, the cached assets, authorities.me, then the check and the records)',
);

await browser.close();
await hub.stop();
