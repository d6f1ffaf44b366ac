// The events acceptance test, for real: two hub processes on one PostgreSQL, 1,000 events created
// through both, and one process killed (SIGKILL) mid-run while it is sending a webhook delivery.
// Every subscriber must receive every event it may see (lost = 0), at its own need-to-know layer, in
// order; repeats are allowed (at least once) and counted. Runs only when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TRPCClientError } from '@trpc/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CcxEvent, EventType } from '@ccx/schema';
import {
  api,
  connectionOwnedBy,
  getToken,
  hubRoleEnv,
  processTree,
  startHubProcess,
  startReceiver,
  type Api,
  type Held,
  type HubProcess,
  type Receiver,
} from './processes.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

const EVENTS = 1000;
/** Once this many events are created (through both), A is killed at its next delivery (or 15 s later). */
const KILL_AFTER = 400;
const CONCURRENCY = 8;
/** Short, so the delivery the killed process held is retried within the test (the default is a minute). */
const LEASE_MS = 10_000;
// A restricted record reaches those who may not read it as signal.raised, never under its own type.
const EVENT_TYPES: EventType[] = [
  'outcome.published',
  'outcome.amended',
  'restriction.created',
  'signal.raised',
];

/** Every event of the webhook's types that an authority's feed holds, in feed order. */
const feedOf = async (client: Api): Promise<CcxEvent[]> => {
  const all: CcxEvent[] = [];
  let since: string | undefined;
  for (;;) {
    const page = await client.events.list.query({
      limit: 500,
      types: EVENT_TYPES,
      ...(since ? { since } : {}),
    });
    if (page.items.length === 0) return all;
    all.push(...page.items);
    since = page.nextSince ?? undefined;
  }
};

/** A network failure or a server error is worth retrying (with the same idempotency key); a 4xx is not. */
const retryable = (err: unknown): boolean => {
  if (!(err instanceof TRPCClientError)) return true;
  const status = (err.data as { httpStatus?: number } | undefined)?.httpStatus;
  return status === undefined || status >= 500;
};

describe.skipIf(!TEST_DATABASE_URL)('two hub processes on one PostgreSQL, one killed mid-run', () => {
  const runId = randomBytes(4).toString('hex');
  const dbName = `ccx_rel_${Date.now().toString(36)}_${runId}`;
  let admin: postgres.Sql | undefined;
  let dbCreated = false;
  let dbUrl = '';
  const dataDirs: string[] = [];
  const receivers: Receiver[] = [];
  let a: HubProcess | undefined;
  let b: HubProcess | undefined;

  // The world: the lead L publishes at provision P; the placing authority PL and the bare member M
  // each have a webhook. Tokens are issued by A and used on both processes (one issuer, keys in the db).
  let leadToken = '';
  let placingToken = '';
  let memberToken = '';
  let provisionId = '';
  let placingReceiver: Receiver;
  let memberReceiver: Receiver;

  beforeAll(async () => {
    admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`);
    dbCreated = true;
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    const role = await hubRoleEnv(dbUrl);
    const env = (dataDir: string) => ({
      ...role,
      CCX_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CCX_ISSUER: 'http://ccx.test',
      CCX_JOBS: 'true',
      CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
      CCX_WEBHOOK_RETRY_BASE_MS: '100',
      CCX_WEBHOOK_LEASE_MS: String(LEASE_MS),
      // 1,000 writes as fast as two hubs take them: far past a council's rate, which is not under test here.
      CCX_RATE_LIMIT: '0',
    });
    for (const n of ['a', 'b']) dataDirs.push(await mkdtemp(path.join(tmpdir(), `ccx-rel-${n}-`)));
    a = await startHubProcess('A', env(dataDirs[0]!));
    const creds = JSON.parse(await readFile(path.join(dataDirs[0]!, 'bootstrap.json'), 'utf8')) as {
      clientId: string;
      clientSecret: string;
    };
    b = await startHubProcess('B', env(dataDirs[1]!));

    const hubAdmin = api(a, await getToken(a, creds.clientId, creds.clientSecret));
    const authority = (id: string) =>
      hubAdmin.authorities.create.mutate({
        id,
        name: `Council ${id}`,
        region: 'south-east',
        qaInbox: `qa@${id}.example.gov.uk`,
      });
    const lead = await authority(`lead-${runId}`);
    const placing = await authority(`placing-${runId}`);
    const member = await authority(`member-${runId}`);
    const provider = await hubAdmin.providers.create.mutate({ name: `Provider ${runId}` });
    const provision = await hubAdmin.provisions.create.mutate({
      providerId: provider.id,
      name: `Setting ${runId}`,
      type: 'childrens-home',
      hostAuthorityId: 'hub-host',
    });
    provisionId = provision.id;
    await hubAdmin.allocations.assign.mutate({
      provisionId,
      authorityId: lead.id,
      rationale: 'lead by agreement',
    });

    // Clients are created by the hub-admin; their tokens come from A or B alike.
    const client = async (authorityId: string, role: 'officer' | 'admin', on: HubProcess) => {
      const created = await hubAdmin.clients.create.mutate({
        authorityId,
        name: `${authorityId} ${role}`,
        role,
      });
      return getToken(on, created.client.id, created.clientSecret);
    };
    leadToken = await client(lead.id, 'officer', a);
    placingToken = await client(placing.id, 'admin', b);
    memberToken = await client(member.id, 'admin', a);
    await api(b, placingToken).placements.declare.mutate({ provisionId, children: 2 });

    placingReceiver = await startReceiver('placing');
    memberReceiver = await startReceiver('member');
    receivers.push(placingReceiver, memberReceiver);
    const hook = async (hub: HubProcess, token: string, r: Receiver) => {
      const created = await api(hub, token).webhooks.create.mutate({ url: r.url, eventTypes: EVENT_TYPES });
      r.secret = created.secret;
    };
    await hook(a, placingToken, placingReceiver);
    await hook(b, memberToken, memberReceiver);
  }, 120_000);

  afterAll(async () => {
    // Always: no hub process, receiver, folder or database is left behind.
    const failures: unknown[] = [];
    const attempt = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (err) {
        failures.push(err);
      }
    };
    if (a) await attempt(() => a!.kill());
    if (b) await attempt(() => b!.stop());
    for (const r of receivers) await attempt(() => r.close());
    for (const d of dataDirs) await attempt(() => rm(d, { recursive: true, force: true }));
    if (dbCreated) await attempt(() => admin!.unsafe(`drop database if exists "${dbName}" with (force)`));
    if (admin) await attempt(() => admin!.end({ timeout: 5 }));
    if (failures.length) throw new AggregateError(failures, 'cleanup failed');
  }, 60_000);

  it('delivers every event each subscriber may see, at its layer and in order, though A dies', async () => {
    const hubA = a!;
    const hubB = b!;
    let aAlive = true;
    const started = performance.now();
    const startedAt = Date.now();

    // The events: 600 outcomes (create, then publish: one event each) and 400 restrictions, by the lead;
    // 200 of them restricted, which the subscribers see only as a neutral signal.
    type Job = { kind: 'outcome' | 'restriction'; restricted: boolean; kindOf?: string };
    const jobs: Job[] = Array.from({ length: EVENTS }, (_, i) =>
      i % 5 < 3
        ? { kind: 'outcome', restricted: i % 10 === 0 }
        : {
            kind: 'restriction',
            restricted: i % 20 === 3,
            // An informal embargo is always restricted.
            kindOf: i % 20 === 8 ? 'informal-embargo' : i % 2 ? 'letter-of-concern' : 'embargo',
          },
    );
    const restrictedCount = jobs.filter((j) => j.restricted || j.kindOf === 'informal-embargo').length;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

    const leadOn = { A: api(hubA, leadToken), B: api(hubB, leadToken) };
    /** Alternates between the processes while A lives; then B alone. */
    const via = (n: number): Api => (aAlive && n % 2 === 0 ? leadOn.A : leadOn.B);
    const callFailures: string[] = [];
    const calls = { A: 0, B: 0 };
    /** One call, retried (same input, so the same idempotency key) on a live process after a failure. */
    const call = async <T>(n: number, f: (client: Api) => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        const client = attempt === 0 ? via(n) : leadOn.B;
        calls[client === leadOn.A ? 'A' : 'B']++;
        try {
          return await f(client);
        } catch (err) {
          callFailures.push(`${client === leadOn.A ? 'A' : 'B'}: ${String(err)}`);
          if (!retryable(err) || attempt >= 5) throw err;
          await sleep(100 * (attempt + 1));
        }
      }
    };

    const runJob = async (i: number, job: Job) => {
      const key = (step: string) => `rel-${runId}:${i}:${step}`;
      if (job.kind === 'outcome') {
        const draft = await call(i, (c) =>
          c.outcomes.create.mutate({
            provisionId,
            activityType: 'unannounced-visit',
            activityDate: yesterday,
            announced: false,
            overallRating: 3,
            summary: `outcome ${i} of run ${runId}`,
            restricted: job.restricted,
            idempotencyKey: key('create'),
          }),
        );
        if (draft.layer !== 'detail') throw new Error('the writer sees its draft in detail');
        await call(i + 1, (c) =>
          c.outcomes.publish.mutate({ id: draft.id, version: draft.version, idempotencyKey: key('publish') }),
        );
      } else {
        await call(i, (c) =>
          c.restrictions.create.mutate({
            provisionId,
            kind: job.kindOf as 'embargo' | 'letter-of-concern' | 'informal-embargo',
            reasons: [{ category: 'quality', text: `reason ${i} of run ${runId}` }],
            summary: `restriction ${i}`,
            restricted: job.restricted,
            idempotencyKey: key('create'),
          }),
        );
      }
    };

    // Kill A while it is sending a delivery: hold each delivery for a moment, find which process sent
    // it (who owns the connection), and SIGKILL A when it is A's. A then dies holding the lease of that
    // webhook's head, which B must take over when the lease runs out.
    type Kill = {
      at: number;
      midDelivery: boolean;
      receiver?: string;
      heldEvent?: number;
      acknowledged?: boolean;
    };
    let created = 0;
    let createdAtKill = 0;
    const killA = () =>
      new Promise<Kill>((resolve) => {
        const tree = processTree(hubA.pid);
        let done = false;
        let unknown = 0;
        const kill = (receiver?: Receiver, h?: Held) => {
          if (done) return;
          done = true;
          clearTimeout(fallback);
          aAlive = false;
          createdAtKill = created;
          for (const r of receivers) r.hold = undefined;
          const at = Date.now();
          const finished = hubA.kill();
          void Promise.all([finished, h?.closed]).then(() =>
            resolve({
              at,
              midDelivery: Boolean(h),
              ...(receiver && h
                ? {
                    receiver: receiver.name,
                    heldEvent: h.eventId,
                    acknowledged: !receiver.unacknowledged.includes(h),
                  }
                : {}),
            }),
          );
        };
        // Should A never be caught mid-delivery, it is killed anyway.
        const fallback = setTimeout(() => kill(), 15_000);
        for (const r of receivers) {
          r.hold = (h) => {
            if (done) return h.answer();
            const ofA = connectionOwnedBy(h.remotePort, r.port, tree);
            if (ofA === true) return kill(r, h);
            h.answer();
            // Without /proc the owner cannot be told: kill at once, mid-delivery or not.
            if (ofA === undefined && ++unknown >= 3) kill();
          };
        }
      });

    let next = 0;
    let killing: Promise<Kill> | undefined;
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        await runJob(i, jobs[i]!);
        created++;
        if (created >= KILL_AFTER && !killing) {
          killing = killA();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const killed = await killing!;
    const createdSeconds = (performance.now() - started) / 1000;

    // The lead (the publisher) sees every event in detail: exactly one per job, none lost or doubled by
    // the retries across the kill.
    const lead = api(hubB, leadToken);
    let leadFeed: CcxEvent[] = [];
    for (const until = Date.now() + 30_000; Date.now() < until; await sleep(250)) {
      leadFeed = await feedOf(lead);
      if (leadFeed.length >= EVENTS) break;
    }
    expect(leadFeed).toHaveLength(EVENTS);

    // What each subscriber may see, from its own feed (through B).
    const expected = new Map<Receiver, CcxEvent[]>([
      [placingReceiver, await feedOf(api(hubB, placingToken))],
      [memberReceiver, await feedOf(api(hubB, memberToken))],
    ]);
    const missing = (r: Receiver) => {
      const got = new Set(r.arrivals.map((x) => x.eventId));
      return expected.get(r)!.filter((e) => !got.has(Number(e.id)));
    };
    const waitFrom = performance.now();
    for (const until = Date.now() + 120_000; Date.now() < until; await sleep(200)) {
      if (receivers.every((r) => missing(r).length === 0)) break;
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const waitedSeconds = (performance.now() - waitFrom) / 1000;

    // The hub's own record of the deliveries.
    const rel = postgres(dbUrl, { max: 1, onnotice: () => {} });
    const deliveries = await rel<{ status: string; n: number; retried: number }[]>`
      select status, count(*)::int as n, count(*) filter (where attempts > 1)::int as retried
      from webhook_deliveries group by status order by status`.finally(() => rel.end({ timeout: 5 }));

    const report = receivers.map((r) => {
      const exp = expected.get(r)!;
      const ids = r.arrivals.map((x) => x.webhookId);
      return {
        subscriber: r.name,
        maySee: exp.length,
        signals: exp.filter((e) => e.layer === 'signal').length,
        received: r.arrivals.length,
        distinct: new Set(ids).size,
        duplicates: ids.length - new Set(ids).size,
        lost: missing(r).length,
        unacknowledged: r.unacknowledged.length,
        badSignatures: r.badSignatures.length,
      };
    });
    console.log(
      [
        `two processes, one killed: ${EVENTS} events created (${createdAtKill} before A was killed, the rest through B) in ${createdSeconds.toFixed(1)} s`,
        `A killed ${((killed.at - startedAt) / 1000).toFixed(1)} s in, ${killed.midDelivery ? `mid-delivery (holding event ${killed.heldEvent} for ${killed.receiver}; ${killed.acknowledged ? 'answered' : 'never answered'})` : 'NOT mid-delivery'}`,
        ...report.map(
          (x) =>
            `  ${x.subscriber}: may see ${x.maySee} (${x.signals} as signals), received ${x.received}, distinct ${x.distinct}, duplicates ${x.duplicates}, lost ${x.lost}, unacknowledged ${x.unacknowledged}, bad signatures ${x.badSignatures}`,
        ),
        `  API calls: ${calls.A} to A, ${calls.B} to B; ${callFailures.length} failed and were retried on B`,
        `  deliveries in the hub: ${deliveries.map((d) => `${d.status} ${d.n} (${d.retried} after more than one attempt)`).join(', ')}`,
        `  all delivered ${totalSeconds.toFixed(1)} s after the start (waited ${waitedSeconds.toFixed(1)} s after the last event was created; lease ${LEASE_MS / 1000} s)`,
        ...callFailures.slice(0, 5).map((f) => `    ${f.slice(0, 200)}`),
        ...[hubA, hubB].map((h) => {
          const lines = h.output().split('\n').filter(Boolean);
          return `  ${h.name} logged ${lines.length} line(s) at warn or above${lines.length ? `:\n    ${lines.slice(0, 5).join('\n    ').slice(0, 2000)}` : ''}`;
        }),
      ].join('\n'),
    );
    // A died while events were still being created, so the rest went through B alone.
    expect(createdAtKill).toBeLessThan(EVENTS);

    for (const r of receivers) {
      const exp = expected.get(r)!;
      const x = report.find((y) => y.subscriber === r.name)!;
      // Every event it may see, and nothing else.
      expect(exp).toHaveLength(EVENTS);
      expect(x.signals).toBe(restrictedCount);
      expect(x.lost, `${r.name} lost events`).toBe(0);
      expect(x.badSignatures, r.badSignatures.slice(0, 3).join('\n')).toBe(0);
      const mayId = new Set(exp.map((e) => e.id));
      expect(r.arrivals.filter((y) => !mayId.has(String(y.eventId)))).toEqual([]);
      // At its layer: the body of each delivery is the event as the subscriber's feed has it.
      const byId = new Map(exp.map((e) => [Number(e.id), e]));
      for (const arrival of r.arrivals) {
        const e = byId.get(arrival.eventId)!;
        expect(arrival.body).toEqual({ type: e.type, timestamp: e.at, data: e });
        expect(arrival.webhookId).toBe(`msg_${e.id}`);
      }
      expect(new Set(exp.map((e) => e.layer))).toEqual(
        new Set([r === placingReceiver ? 'detail' : 'summary', 'signal']),
      );
      // In order: the first arrival of each event comes after the first arrival of every earlier one.
      const firsts: number[] = [];
      const seen = new Set<number>();
      for (const y of r.arrivals) {
        if (seen.has(y.eventId)) continue;
        seen.add(y.eventId);
        firsts.push(y.eventId);
      }
      expect(firsts).toEqual([...firsts].sort((p, q) => p - q));
    }
  }, 200_000);
});
