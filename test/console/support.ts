// The console's browser tests: the demo hub (`npm run demo`, its invented data and people) in a process
// of its own on a free port, Debian's Chromium driven by playwright-core, and the checks every page gets
// — axe-core for WCAG 2.2 A and AA, reflow at 320 px and at 200% zoom — plus screenshots for docs/.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { createTRPCClient, httpLink } from '@trpc/client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AppRouter } from '@ccx/server';
import { afterAll, beforeAll, expect } from 'vitest';
import { totp } from '@ccx/server/testing';
import { repoRoot, sourceArgs } from '../support/hub-process.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.CCX_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

export type DemoPerson = {
  authorityId: string;
  name: string;
  email: string;
  role: 'viewer' | 'officer' | 'admin' | 'hub-admin';
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
};
export type DemoClient = {
  authorityId: string;
  role: string;
  name: string;
  clientId: string;
  clientSecret: string;
};
export type Showcase = { provisionId: string; urn: string | null; name: string; hostAuthorityId: string };

export type ConsoleHub = {
  /** http://localhost:<port>: a name, not an address, so that passkeys (WebAuthn) work. */
  url: string;
  dataDir: string;
  people: DemoPerson[];
  clients: DemoClient[];
  showcase: Showcase;
  /** The demo person with this role (officer: Priya Shah of Medway; admin: Tom Hughes of Bolton; …). */
  person: (role: DemoPerson['role']) => DemoPerson;
  output: () => string;
  stop: () => Promise<void>;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts the demo hub from source (as `npm run demo` does from its build) on a data folder of its own. */
export const startConsoleHub = async (env: Record<string, string> = {}): Promise<ConsoleHub> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-console-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, sourceArgs('server/src/demo/main.ts'), {
    cwd: repoRoot,
    env: {
      ...process.env,
      CCX_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      CCX_ISSUER: url,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const kill = () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  await new Promise<void>((resolve, reject) => {
    // A busy machine may need longer to fill the demo: CCX_DEMO_READY_MS raises the wait.
    const timer = setTimeout(
      () => {
        kill();
        reject(new Error(`the demo hub did not become ready:\n${out}`));
      },
      Number(process.env.CCX_DEMO_READY_MS ?? 90_000),
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/ccx demo hub ready at/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo hub exited with ${code} before it was ready:\n${out}`));
    });
  });
  const state = JSON.parse(await readFile(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
    clients: DemoClient[];
    showcase: Showcase;
    people: DemoPerson[];
  };
  return {
    url,
    dataDir,
    people: state.people,
    clients: state.clients,
    showcase: state.showcase,
    person: (role) => {
      const found = state.people.find((p) => p.role === role);
      if (!found) throw new Error(`the demo has no ${role}`);
      return found;
    },
    output: () => out,
    stop: async () => {
      kill();
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** POST /oauth/token with an API client's credentials (client_credentials), answered raw. */
export const requestToken = (hub: ConsoleHub, clientId: string, clientSecret: string): Promise<Response> =>
  fetch(`${hub.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });

/** An access token for an API client. */
export const tokenFor = async (hub: ConsoleHub, clientId: string, clientSecret: string): Promise<string> => {
  const res = await requestToken(hub, clientId, clientSecret);
  if (res.status !== 200) throw new Error(`no token for ${clientId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
};

/** The credentials of a demo authority's API client, or of the hub admin's (bootstrap.json) for 'hub-admin'. */
export const clientOf = async (
  hub: ConsoleHub,
  who: string,
): Promise<{ clientId: string; clientSecret: string }> => {
  if (who === 'hub-admin')
    return JSON.parse(await readFile(path.join(hub.dataDir, 'bootstrap.json'), 'utf8')) as {
      clientId: string;
      clientSecret: string;
    };
  const client = hub.clients.find((c) => c.authorityId === who);
  if (!client) throw new Error(`the demo has no API client at ${who}`);
  return client;
};

/** That client's token (see clientOf). */
export const tokenOf = async (hub: ConsoleHub, who: string): Promise<string> => {
  const { clientId, clientSecret } = await clientOf(hub, who);
  return tokenFor(hub, clientId, clientSecret);
};

/** A typed tRPC client acting as that API client, to set things up or to race the browser over HTTP. */
export const apiAs = async (hub: ConsoleHub, who: string) => {
  const token = await tokenOf(hub, who);
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${hub.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });
};

/** One tRPC call over HTTP by name (POST, which the hub takes for queries too), answering its data. */
export const trpcCall = async <T>(
  hub: ConsoleHub,
  token: string,
  procedure: string,
  input: unknown,
): Promise<T> => {
  const res = await fetch(`${hub.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    // A procedure that takes no input gets an empty object (a POST needs a body).
    body: JSON.stringify(input ?? {}),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!body.result) throw new Error(`${procedure} answered ${res.status}: ${JSON.stringify(body.error)}`);
  return body.result.data;
};

/** Chromium as the machine has it: headless, no sandbox (root), nothing reaching out to the internet. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });

export const newContext = async (browser: Browser, hub: ConsoleHub): Promise<BrowserContext> => {
  const context = await browser.newContext({
    baseURL: hub.url,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
  });
  // A step that cannot happen fails in seconds, naming what it waited for, well inside the test's time.
  context.setDefaultTimeout(10_000);
  return context;
};

/** Whether the element with keyboard focus has this class (evaluated in the page). */
export const focusedHasClass = (page: Page, className: string): Promise<boolean> =>
  page.evaluate<boolean>(`!!document.activeElement?.classList.contains(${JSON.stringify(className)})`);

/** A journey's time: many pages, each checked with axe at three widths. */
export const JOURNEY_MS = 180_000;

/**
 * A TOTP code for the person that the hub has not seen yet: the hub accepts each code once, so a
 * second sign-in in the same 30 seconds takes the next step's code (within the hub's ±1 step window).
 */
const lastStep = new Map<string, number>();
export const freshCode = (secret: string): string => {
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (lastStep.get(secret) ?? -Infinity) + 1);
  if (step > now + 1) throw new Error('two sign-ins of one person already used this 30-second window');
  lastStep.set(secret, step);
  return totp.totpAt(secret, step);
};

/** Signs in through the console's page: address, password, then a code from the authenticator app. */
export const signIn = async (page: Page, person: DemoPerson, returnTo?: string): Promise<void> => {
  await page.goto(returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in');
  await page.getByLabel('Email address').fill(person.email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code from your authenticator app').fill(freshCode(person.totpSecret));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => page.getByTestId('account-bar').textContent()).toContain(person.name);
};

const RESULTS = path.join(repoRoot, 'test/console/.results');

/** Every page and state checked, with the number of axe violations found (for the closing note). */
const record = async (line: Record<string, unknown>) => {
  await mkdir(RESULTS, { recursive: true });
  await appendFile(
    path.join(RESULTS, 'checked.jsonl'),
    `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`,
  );
};

/**
 * The page as it stands: no axe violation of WCAG 2.0–2.2 A and AA, one h1, and no sideways scrolling
 * at 320 CSS pixels wide or at 200% zoom (WCAG 1.4.10 reflow, 1.4.4 resize text).
 */
export const checkPage = async (page: Page, state: string): Promise<void> => {
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const violations = axe.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  await record({ state, url: page.url(), violations: violations.length, passes: axe.passes.length });
  expect(violations, `axe on ${state}`).toEqual([]);
  expect(await page.locator('h1').count(), `one h1 on ${state}`).toBe(1);
  await checkReflow(page, state);
};

/** No horizontal scrolling of the page itself at 320 px, nor at 200% zoom of a 1280 px window. */
export const checkReflow = async (page: Page, state: string): Promise<void> => {
  const original = page.viewportSize();
  // A string, as the test code has no DOM types: run in the page, not here.
  const overflow = () =>
    page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  try {
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await overflow(), `${state} at 320 px scrolls sideways`).toBeLessThanOrEqual(0);
    // 200% zoom of a 1280 × 900 window lays the page out in 640 × 450 CSS pixels.
    await page.setViewportSize({ width: 640, height: 450 });
    expect(await overflow(), `${state} at 200% zoom scrolls sideways`).toBeLessThanOrEqual(0);
  } finally {
    if (original) await page.setViewportSize(original);
  }
};

/**
 * With SCREENSHOTS=1 (`npm run screenshots`), a PNG of the top of the page in docs/screenshots/: by default
 * 1024 × 900, what a person sees first; `width` 320 shows a phone, 640 a 1280-pixel window at 200% zoom.
 */
export const screenshot = async (
  page: Page,
  name: string,
  size: { width: number; height: number } = { width: 1024, height: 900 },
): Promise<void> => {
  if (!process.env.SCREENSHOTS) return;
  const dir = path.join(repoRoot, 'docs/screenshots');
  await mkdir(dir, { recursive: true });
  const original = page.viewportSize();
  await page.setViewportSize(size);
  try {
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  } finally {
    if (original) await page.setViewportSize(original);
  }
};

/** A London date `offsetDays` from today (negative: in the past), as YYYY-MM-DD. */
export const londonDay = (offsetDays = 0): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

export type Journey = {
  hub: ConsoleHub;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** A call over the API as a demo client (`medway`, `bolton`, …). */
  api: <T = Record<string, unknown>>(who: string, procedure: string, input: unknown) => Promise<T>;
};

/**
 * One journey's demo hub, browser and page, started before the describe block's tests and closed after
 * them: call inside the describe block, and read its fields inside the tests.
 */
export const useJourney = (): Journey => {
  const j = {
    api: async <T>(who: string, procedure: string, input: unknown) =>
      trpcCall<T>(j.hub, await tokenOf(j.hub, who), procedure, input),
  } as Journey;
  beforeAll(async () => {
    [j.hub, j.browser] = await Promise.all([startConsoleHub(), launchBrowser()]);
    j.context = await newContext(j.browser, j.hub);
    j.page = await j.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await j.context?.close();
    await j.browser?.close();
    await j.hub?.stop();
  });
  return j;
};
