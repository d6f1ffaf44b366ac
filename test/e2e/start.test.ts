// The README's way in, for real: start the hub as a process on an empty data folder, read the
// bootstrap credentials, get a token, call authorities.me, then stop it with SIGTERM.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';

const startProcess = (dataDir: string) => startHubProcess(dataDir);

describe('npm start on an empty data folder', () => {
  let dataDir: string;
  let hub: HubProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-start-'));
    hub = await startProcess(dataDir);
  }, 60_000);

  afterAll(async () => {
    hub.kill();
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
