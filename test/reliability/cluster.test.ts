// CCX_PROCESSES=2 on PostgreSQL: `npm start`'s process forks two hub processes that share its port,
// serves through both, replaces one that is killed, and stops them all on SIGTERM. Runs only when
// TEST_DATABASE_URL is set (the embedded database refuses more than one process: test/http/config.test.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readBootstrap } from '../support/hub-process.js';
import { getToken, hubRoleEnv, processTree, startHubProcess, type HubProcess } from './processes.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Whether a process runs the hub (rather than a helper a loader started, such as esbuild's service). */
const isHub = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/src/main.ts');
  } catch {
    return false;
  }
};

/** The hub processes under the primary. */
const workersOf = (hub: HubProcess): number[] =>
  processTree(hub.pid).filter((pid) => pid !== hub.pid && isHub(pid));

/** Waits for a line in the hub's output (the primary says "ready" after its port already answers). */
const waitForOutput = async (hub: HubProcess, pattern: RegExp): Promise<void> => {
  for (const until = Date.now() + 30_000; !pattern.test(hub.output());) {
    if (Date.now() > until) throw new Error(`no ${String(pattern)} in:\n${hub.output()}`);
    await sleep(100);
  }
};

/** `n` pings at once, each on a connection of its own (each new connection goes to a live process). */
const pings = async (hub: HubProcess, token: string, n: number): Promise<number[]> =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<number>((resolve, reject) => {
          const req = http.get(
            `${hub.url}/trpc/system.ping`,
            { agent: false, headers: { authorization: `Bearer ${token}` } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
        }),
    ),
  );

describe.skipIf(!TEST_DATABASE_URL)('two hub processes on one port (CCX_PROCESSES=2)', () => {
  const dbName = `ccx_cluster_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  let admin: postgres.Sql | undefined;
  let dataDir = '';
  let hub: HubProcess | undefined;
  let token = '';

  beforeAll(async () => {
    admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${dbName}`;
    dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-cluster-'));
    hub = await startHubProcess('cluster', {
      ...(await hubRoleEnv(url.toString())),
      CCX_DATA_DIR: dataDir,
      CCX_PROCESSES: '2',
      LOG_LEVEL: 'info',
      CCX_RATE_LIMIT: '0',
    });
    await waitForOutput(hub, /ccx hub ready at/);
    const creds = await readBootstrap(dataDir);
    token = await getToken(hub, creds.clientId, creds.clientSecret);
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    if (admin) {
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('says it is ready once both are, and answers through both', async () => {
    expect(hub!.output()).toMatch(/ccx hub ready at http:\/\/127\.0\.0\.1:\d+ \(2 processes, PostgreSQL\)/);
    expect(hub!.output().match(/"msg":"hub process ready"/g)).toHaveLength(2);
    // The first set the database up; the second found it done.
    expect(hub!.output().match(/first start: created host authority/g)).toHaveLength(1);
    expect(workersOf(hub!)).toHaveLength(2);
    expect(new Set(await pings(hub!, token, 40))).toEqual(new Set([200]));
  });

  test('replaces a process that dies, and serves on meanwhile', async () => {
    const [victim, survivor] = workersOf(hub!);
    process.kill(victim!, 'SIGKILL');
    // Once the primary has seen it go, the survivor takes every new connection while the replacement starts.
    await waitForOutput(hub!, /a hub process ended; starting another/);
    expect(new Set(await pings(hub!, token, 10))).toEqual(new Set([200]));
    const until = Date.now() + 30_000;
    let workers = workersOf(hub!);
    while (!(workers.length === 2 && !workers.includes(victim!)) && Date.now() < until) {
      await sleep(200);
      workers = workersOf(hub!);
    }
    expect(workers).toContain(survivor);
    expect(workers).toHaveLength(2);
    // Ready again: every connection answered.
    await sleep(3000);
    expect(new Set(await pings(hub!, token, 40))).toEqual(new Set([200]));
  }, 60_000);

  test('stops every process on SIGTERM', async () => {
    const all = processTree(hub!.pid);
    expect(all.filter(isHub)).toHaveLength(3);
    await hub!.stop();
    for (const pid of all) expect(() => process.kill(pid, 0)).toThrow();
    hub = undefined;
  }, 30_000);
});
