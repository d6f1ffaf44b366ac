// Tokens are verified once and clients' standings cached (server/src/auth/credential-cache.ts), yet a
// revocation or a suspension holds at once: a hub under steady load has a client revoked (then an
// authority suspended, then reinstated), and every call sent after the change was answered must be
// refused (or, after reinstatement, served). On the embedded database: one hub process. On PostgreSQL:
// two hub processes on one database, the load on one and the changes made through the other, so only
// the database's notification can have told the loaded one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readBootstrap } from '../support/hub-process.js';
import { api, getToken, hubRoleEnv, startHubProcess, type Api, type HubProcess } from './processes.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const LOOPS = 16;

type Call = { sent: number; status: number };

/** `LOOPS` clients calling system.ping with `token` back to back until `stop` resolves. */
const load = (hub: HubProcess, token: string) => {
  const calls: Call[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const sent = performance.now();
      try {
        const res = await fetch(`${hub.url}/trpc/system.ping`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        calls.push({ sent, status: res.status });
      } catch {
        calls.push({ sent, status: 0 });
      }
    }
  };
  const running = Promise.all(Array.from({ length: LOOPS }, loop));
  return {
    calls,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
};

/** Runs load for a while, makes the change, runs on, and answers the calls on either side of it. */
const around = async (hub: HubProcess, token: string, change: () => Promise<unknown>) => {
  const l = load(hub, token);
  await sleep(600);
  await change();
  const changedAt = performance.now();
  await sleep(800);
  await l.stop();
  return {
    before: l.calls.filter((c) => c.sent < changedAt),
    after: l.calls.filter((c) => c.sent >= changedAt),
  };
};

const statuses = (calls: Call[]) => [...new Set(calls.map((c) => c.status))].sort();

describe('a revoked client or a suspended authority under load', () => {
  const runId = randomBytes(4).toString('hex');
  let dataDir = '';
  let hub: HubProcess | undefined;
  /** Where the changes are made: another process on PostgreSQL, the same one on the embedded database. */
  let other: HubProcess | undefined;
  let admin: Api;
  let adminPg: postgres.Sql | undefined;
  let dbName = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-revoke-'));
    const common = { CCX_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CCX_RATE_LIMIT: '0', CCX_JOBS: 'false' };
    if (TEST_DATABASE_URL) {
      adminPg = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      dbName = `ccx_revoke_${Date.now().toString(36)}_${runId}`;
      await adminPg.unsafe(`create database "${dbName}"`);
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${dbName}`;
      const role = await hubRoleEnv(url.toString());
      // One issuer, so a token from either process is good at both.
      hub = await startHubProcess('loaded', { ...common, ...role, CCX_ISSUER: 'http://ccx.test' });
      other = await startHubProcess('other', { ...common, ...role, CCX_ISSUER: 'http://ccx.test' });
    } else {
      hub = await startHubProcess('hub', { ...common, DATABASE_URL: '' });
      other = hub;
    }
    const creds = await readBootstrap(dataDir);
    admin = api(other, await getToken(other, creds.clientId, creds.clientSecret));
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    if (other !== hub) await other?.stop();
    if (adminPg) {
      if (dbName) await adminPg.unsafe(`drop database if exists "${dbName}" with (force)`);
      await adminPg.end();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const member = async (id: string) => {
    const authority = await admin.authorities.create.mutate({
      id: `${id}-${runId}`,
      name: `Council ${id} ${runId}`,
      region: 'north-west',
      qaInbox: `qa@${id}-${runId}.example.gov.uk`,
    });
    const { client, clientSecret } = await admin.clients.create.mutate({
      authorityId: authority.id,
      name: `${id} system`,
      role: 'officer',
    });
    return { authority, client, token: await getToken(hub!, client.id, clientSecret) };
  };

  test('no call sent after a revocation is answered gets through', async () => {
    const m = await member('revoked');
    const { before, after } = await around(hub!, m.token, () =>
      admin.clients.revoke.mutate({ id: m.client.id }),
    );
    // Served while it stood, from the cache: far more calls than the change took.
    expect(before.filter((c) => c.status === 200).length).toBeGreaterThan(50);
    expect(after.length).toBeGreaterThan(50);
    expect(statuses(after)).toEqual([401]);
  }, 60_000);

  test('a suspension holds for every call sent after it, and reinstatement for every call after that', async () => {
    const m = await member('suspended');
    const suspended = await around(hub!, m.token, () =>
      admin.authorities.update.mutate({
        id: m.authority.id,
        version: m.authority.version,
        status: 'suspended',
      }),
    );
    expect(suspended.before.filter((c) => c.status === 200).length).toBeGreaterThan(50);
    expect(suspended.after.length).toBeGreaterThan(50);
    expect(statuses(suspended.after)).toEqual([403]);

    const now = await admin.authorities.get.query({ id: m.authority.id });
    const reinstated = await around(hub!, m.token, () =>
      admin.authorities.update.mutate({ id: m.authority.id, version: now.version, status: 'active' }),
    );
    expect(reinstated.before.filter((c) => c.status === 403).length).toBeGreaterThan(50);
    expect(reinstated.after.length).toBeGreaterThan(50);
    expect(statuses(reinstated.after)).toEqual([200]);
  }, 60_000);
});
