// The README's way in, for real: start the hub as a process on an empty data folder, read the
// bootstrap credentials, get a token, call authorities.me, then stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');

type Started = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

const startProcess = (dataDir: string): Promise<Started> =>
  new Promise((resolve, reject) => {
    // DATABASE_URL is cleared: this test is about the embedded default a new user gets.
    const child = spawn(tsx, ['server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, CCX_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: tsx runs the hub in a child, and cleanup must reach both.
      detached: true,
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`hub did not become ready:\n${out}`)), 45_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ccx hub ready at (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before it was ready:\n${out}`));
    });
  });

describe('npm start on an empty data folder', () => {
  let dataDir: string;
  let hub: Started;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-start-'));
    hub = await startProcess(dataDir);
  }, 60_000);

  afterAll(async () => {
    if (hub.child.exitCode === null && hub.child.pid) process.kill(-hub.child.pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes bootstrap credentials with mode 600 and never logs the secret', async () => {
    const file = path.join(dataDir, 'bootstrap.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(await readFile(file, 'utf8')) as { clientId: string; clientSecret: string };
    expect(creds.clientSecret).toMatch(/^ccxs_/);
    expect(hub.output()).toContain('bootstrap.json');
    expect(hub.output()).not.toContain(creds.clientSecret);
  });

  it('serves a token and authorities.me with the bootstrap credentials, then stops cleanly on SIGTERM', async () => {
    const creds = JSON.parse(await readFile(path.join(dataDir, 'bootstrap.json'), 'utf8')) as {
      clientId: string;
      clientSecret: string;
    };
    const tokenRes = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };

    const me = await fetch(`${hub.url}/trpc/authorities.me`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(me.status).toBe(200);
    const body = (await me.json()) as {
      result: { data: { authority: { id: string; isHost: boolean }; client: { role: string } } };
    };
    expect(body.result.data.authority).toMatchObject({ id: 'hub-host', isHost: true });
    expect(body.result.data.client.role).toBe('hub-admin');

    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.output()).not.toContain(access_token);
    expect(hub.output()).not.toContain(creds.clientSecret);
  });

  it('keeps its data and signing key across a restart, without a second bootstrap', async () => {
    const again = await startProcess(dataDir);
    try {
      expect(again.output()).not.toContain('first start');
      const jwks = (await (await fetch(`${again.url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys).toHaveLength(1);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  });
});
