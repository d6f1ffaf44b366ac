// How `ccx` and the SDK tell failures apart: a hub that never answers (--timeout, CCX_TIMEOUT, the
// profile's timeout), a client id locked after too many failed attempts (when to try again, no hint
// about the secret), a wrong secret (the secret hint), and a rate limit (when to try again).
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { CcxError, createCcxClient, TokenError } from '@ccx/client';
import { isolatedEnv, runMain, spawnCli, type CliEnv, type CliRun } from '../support/cli.js';
import { httpTest as test, silentPort, type HttpHarness } from '../support/http.js';

const LOCK_SECONDS = 900;

type Run = CliRun & { ms: number };

// Two failures are allowed; the third locks the id for 15 minutes.
test.override({
  hubEnv: {
    CCX_TOKEN_MAX_FAILURES: '2',
    CCX_TOKEN_LOCK: `${LOCK_SECONDS}s`,
    CCX_TOKEN_FAILURE_DELAY_MS: '0',
  },
});

let dir: string;
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-errors-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The environment without the developer's own ccx settings. */
const cleanEnv = (extra: Record<string, string> = {}): CliEnv =>
  isolatedEnv(dir, path.join(dir, 'no-config.json'), extra);

/** A run of `ccx`, with how long it took. */
const timed = async (run: () => Promise<CliRun>): Promise<Run> => {
  const started = performance.now();
  const r = await run();
  return { ...r, ms: performance.now() - started };
};

const runIn = (args: string[], env: CliEnv): Promise<Run> => timed(() => runMain(args, { env, cwd: dir }));

const runCli = (args: string[], env: CliEnv): Promise<Run> => timed(() => spawnCli(args, { cwd: dir, env }));

const newClient = async (h: HttpHarness, name: string) => {
  const authority = await h.makeAuthority();
  const made = await h.makeClient(authority.id, 'officer', name);
  return { id: made.client.id, secret: made.clientSecret };
};

const credsEnv = (h: HttpHarness, c: { id: string; secret: string }) =>
  cleanEnv({ CCX_URL: h.baseUrl, CCX_CLIENT_ID: c.id, CCX_CLIENT_SECRET: c.secret });

const SECRET_HINT = 'check the client id and secret';

describe('a hub that accepts a connection and never answers', () => {
  test('ccx check --timeout 1 exits 1 within a few seconds, saying the hub did not answer', async () => {
    const port = await silentPort();
    try {
      const env = cleanEnv({ CCX_CLIENT_ID: 'ccx_hanging', CCX_CLIENT_SECRET: 'ccxs_hanging' });
      const r = await runCli(['check', 'SC123456', '--url', port.url, '--timeout', '1'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('ccx: the hub did not answer within 1 s');
      expect(r.stderr).toContain('--timeout <seconds>');
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(r.stdout).toBe('');
      // One second, one retry of one second, and the start of the process.
      expect(r.ms).toBeLessThan(8000);
    } finally {
      await port.close();
    }
  });

  test('CCX_TIMEOUT and the profile’s "timeout" set it too; the flag wins; a bad value is a usage error', async () => {
    const port = await silentPort();
    try {
      const config = path.join(dir, 'timeout-config.json');
      await writeFile(
        config,
        JSON.stringify({
          url: port.url,
          clientId: 'ccx_hanging',
          clientSecret: 'ccxs_hanging',
          timeout: 0.3,
        }),
        { mode: 0o600 },
      );
      const env = cleanEnv({ CCX_CONFIG: config });
      const fromProfile = await runIn(['whoami'], env);
      expect([fromProfile.code, fromProfile.stderr.split('\n')[0]]).toEqual([
        1,
        'ccx: the hub did not answer within 300 ms',
      ]);
      expect(fromProfile.ms).toBeLessThan(3000);
      const fromEnv = await runIn(['whoami'], { ...env, CCX_TIMEOUT: '0.4' });
      expect(fromEnv.stderr).toContain('within 400 ms');
      const fromFlag = await runIn(['whoami', '--timeout', '0.5'], { ...env, CCX_TIMEOUT: '0.4' });
      expect(fromFlag.stderr).toContain('within 500 ms');
      const bad = await runIn(['whoami', '--timeout', 'soon'], env);
      expect([bad.code, bad.stderr]).toEqual([
        2,
        expect.stringContaining('--timeout must be a number of seconds'),
      ]);
      const badEnv = await runIn(['whoami'], { ...env, CCX_TIMEOUT: '-1' });
      expect([badEnv.code, badEnv.stderr]).toEqual([2, expect.stringContaining('CCX_TIMEOUT must be')]);
    } finally {
      await port.close();
    }
  });
});

describe('a locked client id and a wrong secret', () => {
  test('a wrong secret keeps the secret hint; once locked, ccx says until when, and nothing about the secret', async ({
    h,
  }) => {
    const client = await newClient(h, 'lockout officer');
    const wrong = credsEnv(h, { id: client.id, secret: 'ccxs_wrong' });
    for (let i = 0; i < 2; i++) {
      const r = await runIn(['whoami'], wrong);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('client authentication failed (UNAUTHORIZED 401)');
      expect(r.stderr).toContain(SECRET_HINT);
    }
    const started = Date.now();
    const locked = await runIn(['whoami'], wrong);
    expect(locked.code).toBe(1);
    const [first, second] = locked.stderr.split('\n');
    expect(first).toMatch(
      /^ccx: this client is locked after too many failed attempts; try again after (\d{4}-\d\d-\d\d )?\d\d:\d\d \(in 15 min\)$/,
    );
    // The time is the end of the lock in local time, rounded up to the minute.
    const [hh, mm] = /(\d\d):(\d\d) \(in/.exec(first!)!.slice(1).map(Number);
    const end = new Date(started + LOCK_SECONDS * 1000);
    const shown = new Date(end);
    shown.setHours(hh!, mm, 0, 0);
    if (shown.getTime() < end.getTime() - 12 * 3600_000) shown.setDate(shown.getDate() + 1);
    expect(Math.abs(shown.getTime() - end.getTime())).toBeLessThanOrEqual(61_000);
    expect(second).toContain('even the right secret is refused');
    expect(locked.stderr).not.toContain(SECRET_HINT);
    expect(locked.ms).toBeLessThan(3000); // not retried: asking again does not unlock it

    // The right secret is refused too, and `ccx login` writes nothing.
    const config = path.join(dir, 'locked-login.json');
    const login = await runIn(
      ['login', '--url', h.baseUrl, '--client-id', client.id, '--client-secret', client.secret],
      {
        ...cleanEnv(),
        CCX_CONFIG: config,
      },
    );
    expect(login.code).toBe(1);
    expect(login.stderr).toContain('this client is locked after too many failed attempts');
    await expect(stat(config)).rejects.toThrow();
  });

  test('the SDK’s error carries the token request’s status, OAuth error and Retry-After', async ({ h }) => {
    const client = await newClient(h, 'sdk lockout officer');
    const sdk = (secret: string) =>
      createCcxClient({
        baseUrl: h.baseUrl,
        clientId: client.id,
        clientSecret: secret,
        retry: { baseDelayMs: 10 },
      });
    const refused = (await sdk('ccxs_wrong')
      .authorities.me.query()
      .catch((e: unknown) => e)) as CcxError;
    expect(refused).toBeInstanceOf(CcxError);
    expect([refused.code, refused.httpStatus, refused.retryAfterSeconds]).toEqual([
      'UNAUTHORIZED',
      401,
      undefined,
    ]);
    expect(refused.tokenError).toBeInstanceOf(TokenError);
    expect(refused.tokenError).toMatchObject({ status: 401, oauthError: 'invalid_client', locked: false });

    await sdk('ccxs_wrong')
      .authorities.me.query()
      .catch(() => undefined);
    const locked = (await sdk(client.secret)
      .authorities.me.query()
      .catch((e: unknown) => e)) as CcxError;
    expect([locked.code, locked.httpStatus]).toEqual(['TOO_MANY_REQUESTS', 429]);
    expect(locked.tokenError).toMatchObject({ status: 429, oauthError: 'invalid_client', locked: true });
    expect(locked.retryAfterSeconds).toBeGreaterThan(LOCK_SECONDS - 30);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(LOCK_SECONDS);
    expect(locked.message).toContain('too many failed attempts for this client');
  });
});

describe('a rate-limited client', () => {
  test('is told when to try again, at once rather than after a long wait', async () => {
    // The hub's answer to a client over its rate (as test/security/rate-limit.test.ts has it), a minute to wait.
    let calls = 0;
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/oauth/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'token', token_type: 'Bearer', expires_in: 300 }));
          return;
        }
        calls++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' });
        const message = 'this client has made too many requests; retry after 120 s';
        res.end(
          JSON.stringify([
            {
              error: {
                message,
                code: -32029,
                data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, requestId: 'req-429' },
              },
            },
          ]),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const env = cleanEnv({
        CCX_URL: `http://127.0.0.1:${port}`,
        CCX_CLIENT_ID: 'ccx_busy',
        CCX_CLIENT_SECRET: 'ccxs_busy',
      });
      const limited = await runIn(['whoami'], env);
      expect(limited.code).toBe(1);
      const lines = limited.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(
        'ccx: this client has made too many requests; retry after 120 s (TOO_MANY_REQUESTS 429)',
      );
      expect(lines[1]).toMatch(
        /^the hub is rate-limiting this client; try again after (\d{4}-\d\d-\d\d )?\d\d:\d\d \(in 2 min\)$/,
      );
      expect(lines[2]).toContain('request id: req-429');
      // Retry-After (2 min) is longer than the SDK waits between attempts (30 s): it gives up at once.
      expect(calls).toBe(1);
      expect(limited.ms).toBeLessThan(3000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
