// Helpers for the reliability suites: real hub processes (from source, each in its own process
// group so a SIGKILL takes the whole tree), webhook receivers that record what they acknowledged, and
// a way to tell which process holds a TCP connection (Linux /proc), to kill one mid-delivery.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTRPCClient, httpLink } from '@trpc/client';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { type AppRouter } from '@ccx/server';
import { TEST_HUB_ROLE } from '@ccx/server/testing';
import { sourceArgs } from '../support/hub-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A port that was free a moment ago (the hub's "ready" line is logged at info, below LOG_LEVEL=warn). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });

/**
 * The environment for a hub process that connects as a role of its own, as in production
 * (docs/operations.md): the database's owner (`ownerUrl`) migrates and grants, the hub reads and
 * appends audit rows only. The role is made on the owner's server if it is not there yet.
 */
export const hubRoleEnv = async (
  ownerUrl: string,
): Promise<{ DATABASE_URL: string; DATABASE_OWNER_URL: string }> => {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe(`do $$ begin create role ${TEST_HUB_ROLE} login;
      exception when duplicate_object or unique_violation then null; end $$`);
  } finally {
    await owner.end({ timeout: 5 });
  }
  const hubUrl = new URL(ownerUrl);
  hubUrl.username = TEST_HUB_ROLE;
  hubUrl.password = '';
  return { DATABASE_URL: hubUrl.toString(), DATABASE_OWNER_URL: ownerUrl };
};

/** Whether any process of the group still runs. */
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const killGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
};

export type HubProcess = {
  name: string;
  /** The hub process, leader of its own process group. */
  pid: number;
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL to the whole group: the hub gets no chance to clean up. Resolves when nothing of it runs. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL to the group after a grace period; resolves when nothing runs. */
  stop(): Promise<void>;
};

const allGone = async (pgid: number, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
};

/** Every started hub, so a crash of the test process still kills them (see the exit handler). */
const started = new Set<number>();
process.once('exit', () => {
  for (const pgid of started) killGroup(pgid, 'SIGKILL');
});

/** Starts `server/src/main.ts` from source with the given environment and waits until /readyz answers 200. */
export const startHubProcess = async (name: string, env: Record<string, string>): Promise<HubProcess> => {
  const port = await freePort();
  const child = spawn(process.execPath, sourceArgs('server/src/main.ts'), {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not spawn the hub`);
  started.add(pid);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const kill = async () => {
    killGroup(pid, 'SIGKILL');
    if (!(await allGone(pid, 10_000))) throw new Error(`${name}: processes left after SIGKILL`);
    started.delete(pid);
  };
  const stop = async () => {
    // To the hub process only, which must see it once.
    if (!exited) child.kill('SIGTERM');
    if (!(await allGone(pid, 12_000))) killGroup(pid, 'SIGKILL');
    if (!(await allGone(pid, 5_000))) throw new Error(`${name}: processes left after SIGKILL`);
    started.delete(pid);
  };

  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited before it was ready:\n${out}`);
    if (Date.now() > until) {
      await kill();
      throw new Error(`${name} was not ready within 60 s:\n${out}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { name, pid, url, child, output: () => out, kill, stop };
};

/** The pids of a process and all its descendants (Linux /proc). */
export const processTree = (rootPid: number): number[] => {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
};

/**
 * Whether the TCP connection from `localPort` to `remotePort` on this machine belongs to one of `pids`;
 * undefined when it cannot be told (no /proc, or the connection is gone).
 */
export const connectionOwnedBy = (
  localPort: number,
  remotePort: number,
  pids: number[],
): boolean | undefined => {
  let inode: string | undefined;
  try {
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length < 10) continue;
        const port = (addr: string) => Number.parseInt(addr.slice(addr.lastIndexOf(':') + 1), 16);
        if (port(f[1]!) === localPort && port(f[2]!) === remotePort) inode = f[9];
      }
    }
  } catch {
    return undefined;
  }
  if (!inode || inode === '0') return undefined;
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return true;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  return false;
};

/** What a webhook delivery carries (the hub's Standard Webhooks body). */
export type DeliveryBody = {
  type: string;
  timestamp: string;
  data: { id: string } & Record<string, unknown>;
};

/** A delivery the receiver answered 200 to, in the order the answers went out. */
export type Arrival = { webhookId: string; eventId: number; body: DeliveryBody; at: number };

/** A delivery held by the receiver before it answers (see Receiver.hold). */
export type Held = { remotePort: number; eventId: number; answer(): void; closed: Promise<void> };

export type Receiver = {
  name: string;
  port: number;
  url: string;
  /** The webhook's signing secret, once created; every delivery is verified with it. */
  secret: string | undefined;
  arrivals: Arrival[];
  /** Requests whose sender hung up before the answer went out (not counted as received). */
  unacknowledged: Held[];
  badSignatures: string[];
  /** When set, each delivery is handed here instead of being answered at once. */
  hold: ((h: Held) => void) | undefined;
  close(): Promise<void>;
};

/** A webhook receiver on 127.0.0.1 that verifies signatures and answers 200. */
export const startReceiver = async (name: string): Promise<Receiver> => {
  const r: Receiver = {
    name,
    port: 0,
    url: '',
    secret: undefined,
    arrivals: [],
    unacknowledged: [],
    badSignatures: [],
    hold: undefined,
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (n: string) => String(req.headers[n] ?? '');
      const webhookId = header('webhook-id');
      try {
        if (!r.secret) throw new Error('no secret yet');
        new Webhook(r.secret).verify(raw, {
          'webhook-id': webhookId,
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        });
      } catch (err) {
        r.badSignatures.push(`${webhookId}: ${err instanceof Error ? err.message : String(err)}`);
        res.writeHead(400).end();
        return;
      }
      const body = JSON.parse(raw) as DeliveryBody;
      const eventId = Number(body.data.id);
      res.on('finish', () => r.arrivals.push({ webhookId, eventId, body, at: Date.now() }));
      const held: Held = {
        remotePort: req.socket.remotePort ?? 0,
        eventId,
        answer: () => {
          if (!res.destroyed && !res.headersSent)
            res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        },
        closed: new Promise((resolve) => res.once('close', () => resolve())),
      };
      res.once('close', () => {
        if (!res.writableFinished) r.unacknowledged.push(held);
      });
      if (r.hold) r.hold(held);
      else held.answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  r.port = typeof address === 'object' && address ? address.port : 0;
  r.url = `http://127.0.0.1:${r.port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return r;
};

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;
/** A tRPC client of a hub process, sending a bearer token. */
export const api = (hub: HubProcess, token: string): Api =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${hub.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });

/** A token from a hub process's token endpoint, by form parameters; throws when refused. */
export const getToken = async (hub: HubProcess, clientId: string, clientSecret: string): Promise<string> => {
  const res = await fetch(`${hub.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
};
