// One journey, three ways in, against the hub started as a process on a free port: a lead authority
// publishes an outcome and a restriction; a placing authority checks the setting and receives the
// events. Through the SDK only; through the ccx command in child processes; through REST with fetch.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCcxClient, type CcxClient } from '@ccx/client';
import { readBootstrap, repoRoot, startHubProcess, tsxBin, type HubProcess } from '../support/hub-process.js';

const execFileP = promisify(execFile);

let dataDir: string;
let hub: HubProcess;
let admin: CcxClient;
let n = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-journeys-'));
  hub = await startHubProcess(dataDir);
  const boot = await readBootstrap(dataDir);
  admin = createCcxClient({ baseUrl: hub.url, clientId: boot.clientId, clientSecret: boot.clientSecret });
}, 60_000);

afterAll(async () => {
  hub?.kill();
  await rm(dataDir, { recursive: true, force: true });
});

type Credentials = { clientId: string; clientSecret: string };

/**
 * The world of one journey, made through the SDK by the hub-admin: a lead authority allocated to a
 * new children's home, and a placing authority with a child placed there.
 */
const makeJourneyWorld = async (label: string) => {
  n += 1;
  const make = async (role: string): Promise<{ id: string; creds: Credentials }> => {
    const id = `${label}-${role}-${n}`;
    await admin.authorities.create.mutate({
      id,
      name: `${label} ${role} council ${n}`,
      region: 'north-west',
      qaInbox: `qa@${id}.example.gov.uk`,
    });
    const made = await admin.clients.create.mutate({
      authorityId: id,
      name: `${role} tool`,
      role: 'officer',
    });
    return { id, creds: { clientId: made.client.id, clientSecret: made.clientSecret } };
  };
  const lead = await make('lead');
  const placing = await make('placing');
  const provider = await admin.providers.create.mutate({ name: `${label} Care Homes Ltd ${n}` });
  const provision = await admin.provisions.create.mutate({
    providerId: provider.id,
    name: `${label} House ${n}`,
    type: 'childrens-home',
    hostAuthorityId: lead.id,
    urn: `SC77${String(n).padStart(4, '0')}`,
  });
  await admin.allocations.assign.mutate({
    provisionId: provision.id,
    authorityId: lead.id,
    rationale: 'host authority leads',
    startsOn: '2026-01-01',
  });
  const placingClient = client(placing.creds);
  await placingClient.placements.declare.mutate({
    provisionId: provision.id,
    children: 1,
    fromDate: '2026-02-01',
  });
  return { lead, placing, provision };
};

const client = (c: Credentials): CcxClient =>
  createCcxClient({ baseUrl: hub.url, clientId: c.clientId, clientSecret: c.clientSecret });

const outcome = (provisionId: string) => ({
  provisionId,
  activityType: 'unannounced-visit' as const,
  activityDate: '2026-10-14',
  announced: false,
  overallRating: 3 as const,
  sectionJudgements: [
    {
      section: 'safeguarding' as const,
      judgement: 'requires-improvement' as const,
      comment: 'missing-from-home protocol not followed',
    },
  ],
  summary: 'Unannounced visit: staffing below the agreed ratio on two nights.',
  findings: 'Rota gaps on 3 and 4 October; the registered manager has a recovery plan.',
  actionItems: [{ description: 'Evidence of safe staffing for four weeks', concernLevel: 'medium' as const }],
  nextDueOn: '2027-01-14',
});

const restriction = (provisionId: string) => ({
  provisionId,
  kind: 'action-plan' as const,
  reasons: [{ category: 'quality' as const, text: 'Staffing recovery plan agreed with the provider' }],
  summary: 'Action plan until staffing is stable',
});

describe('through the SDK only', () => {
  it('the lead publishes, the placing authority checks and receives both events live', async () => {
    const w = await makeJourneyWorld('sdk');
    const lead = client(w.lead.creds);
    const placing = client(w.placing.creds);

    const received: { type: string; provisionId: unknown }[] = [];
    let open = false;
    const sub = placing.events.subscribe.subscribe(
      {},
      {
        onStarted: () => (open = true),
        // The world's own allocation event may still be on its way: only the journey's two count.
        onData: (e) => {
          if (e.data.type === 'outcome.published' || e.data.type === 'restriction.created')
            received.push({ type: e.data.type, provisionId: e.data.provisionId });
        },
        onError: () => undefined,
      },
    );
    for (let i = 0; i < 100 && !open; i++) await new Promise((r) => setTimeout(r, 50));

    const draft = await lead.outcomes.create.mutate(outcome(w.provision.id));
    if (draft.layer !== 'detail') throw new Error('the writer sees its draft in detail');
    const published = await lead.outcomes.publish.mutate({ id: draft.id, version: draft.version });
    const created = await lead.restrictions.create.mutate(restriction(w.provision.id));
    expect(published).toMatchObject({ layer: 'detail', status: 'published' });
    expect(created).toMatchObject({ layer: 'detail', kind: 'action-plan' });

    const check = await placing.checks.placement.query({ urn: w.provision.urn! });
    expect(check.verdict).toBe('caution');
    expect(check.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['restriction-by-member', 'latest-rating-of-concern']),
    );
    // The placing authority reads the outcome in detail: it has a child there.
    expect(await placing.outcomes.get.query({ id: draft.id })).toMatchObject({
      layer: 'detail',
      findings: outcome(w.provision.id).findings,
    });

    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(received).toEqual([
      { type: 'outcome.published', provisionId: w.provision.id },
      { type: 'restriction.created', provisionId: w.provision.id },
    ]);
  });
});

describe('through the ccx command, each step a child process', () => {
  /** Runs `ccx` as a user runs it, with the credentials in the environment; answers output and exit code. */
  const ccx = async (creds: Credentials, args: string[]) =>
    execFileP(tsxBin, [path.join(repoRoot, 'client-sdk/src/cli/main.ts'), ...args], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        CCX_URL: hub.url,
        CCX_CLIENT_ID: creds.clientId,
        CCX_CLIENT_SECRET: creds.clientSecret,
      },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-journey-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('the lead publishes, the placing authority checks (exit code 3 for caution) and tails both events', async () => {
    const w = await makeJourneyWorld('cli');
    const before = await ccx(w.placing.creds, ['events', 'tail', '--json']);
    expect(before.code).toBe(0);
    const since = /continue with --since (\d+)/.exec(before.stderr)?.[1] ?? '0';

    await writeFile(path.join(workDir, 'visit.json'), JSON.stringify(outcome(w.provision.id)));
    await writeFile(path.join(workDir, 'restriction.json'), JSON.stringify(restriction(w.provision.id)));
    const published = await ccx(w.lead.creds, ['outcomes', 'publish', 'visit.json']);
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/1 outcome published/);
    const restricted = await ccx(w.lead.creds, ['restrictions', 'create', 'restriction.json']);
    expect(restricted.code).toBe(0);

    const table = await ccx(w.placing.creds, ['check', w.provision.urn!]);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/^caution\s+cli House/m);
    expect(table.stdout).toContain('restriction-by-member');
    const json = await ccx(w.placing.creds, ['check', w.provision.urn!, '--json']);
    const check = JSON.parse(json.stdout) as { verdict: string; reasons: { code: string }[] };
    expect(check.verdict).toBe('caution');
    expect(check.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['restriction-by-member', 'latest-rating-of-concern']),
    );

    let types: string[] = [];
    for (let i = 0; i < 50 && types.length < 2; i++) {
      const tail = await ccx(w.placing.creds, [
        'events',
        'tail',
        '--since',
        since,
        '--json',
        '--type',
        'outcome.published',
        '--type',
        'restriction.created',
      ]);
      types = tail.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; provisionId: string })
        .filter((e) => e.provisionId === w.provision.id)
        .map((e) => e.type);
    }
    expect(types).toEqual(['outcome.published', 'restriction.created']);
  });
});

describe('through REST with fetch only', () => {
  /** A token from /oauth/token, as any HTTP client would get one. */
  const tokenOf = async (c: Credentials): Promise<string> => {
    const res = await fetch(`${hub.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const rest = async (token: string, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${hub.url}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('the lead publishes, the placing authority checks and reads both events from the feed', async () => {
    const w = await makeJourneyWorld('rest');
    const lead = await tokenOf(w.lead.creds);
    const placing = await tokenOf(w.placing.creds);
    const head = await rest(placing, 'GET', '/events?limit=500');
    let since = (head.body.nextSince as string | null) ?? '0';

    const draft = await rest(lead, 'POST', '/outcomes', outcome(w.provision.id));
    expect(draft.status).toBe(201);
    const published = await rest(lead, 'POST', `/outcomes/${String(draft.body.id)}/publish`, {
      version: draft.body.version,
    });
    expect(published).toMatchObject({ status: 200, body: { status: 'published' } });
    const created = await rest(lead, 'POST', '/restrictions', restriction(w.provision.id));
    expect(created).toMatchObject({ status: 201, body: { kind: 'action-plan', layer: 'detail' } });

    const check = await rest(placing, 'GET', `/checks/placement?urn=${w.provision.urn!}`);
    expect(check.status).toBe(200);
    expect(check.body.verdict).toBe('caution');
    expect((check.body.reasons as { code: string }[]).map((r) => r.code)).toEqual(
      expect.arrayContaining(['restriction-by-member', 'latest-rating-of-concern']),
    );

    // The feed is sequenced in the background: poll until both events are there.
    const seen: { type: string; provisionId: string }[] = [];
    for (let i = 0; i < 100 && seen.length < 2; i++) {
      const page = await rest(
        placing,
        'GET',
        `/events?since=${since}&limit=100&types=outcome.published&types=restriction.created`,
      );
      const items = page.body.items as { id: string; type: string; provisionId: string }[];
      seen.push(...items.filter((e) => e.provisionId === w.provision.id));
      since = (page.body.nextSince as string | null) ?? since;
      if (seen.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.map((e) => e.type)).toEqual(['outcome.published', 'restriction.created']);
  });
});
