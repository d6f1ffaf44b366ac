// Property-based fuzzing over real HTTP (DESIGN.md §7): every procedure of the router and every REST
// route is sent inputs shaped by its own zod contract and inputs from well outside it, as the
// hub-admin and as an officer of an ordinary member. No answer may be a 5xx or carry a stack trace,
// SQL or a driver's name, and the hub must still answer afterwards. Inputs come from fast-check with a
// fixed seed (FUZZ_SEED to change it; FUZZ_RUNS=<n> multiplies the runs for a longer local session).
import { createServer } from 'node:http';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { REGULATOR_KINDS } from '@ccx/schema';
import { appRouter } from '@ccx/server';
import { sequenceEvents } from '@ccx/server/testing';
import { createLogger } from '@ccx/server/testing';
import { REST_PREFIX, REST_ROUTES, type RestRoute } from '@ccx/server/testing';
import { londonToday, type Caller } from '../support/harness.js';
import { httpTest as test, serve, type HttpHarness } from '../support/http.js';
import {
  addDays,
  asText,
  describeInput,
  emptyPools,
  forgedCursors,
  HUGE_TEXT,
  inputArb,
  isFuzzObject,
  listProcedures,
  MAX_GET_URL,
  poolFor,
  RawJson,
  toJsonText,
  type FuzzInput,
  type FuzzObject,
  type FuzzValue,
  type GenContext,
  type ProcedureInfo,
  type Pools,
} from './fuzz-arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260523);
const RUNS = Math.max(Number(process.env.FUZZ_RUNS ?? 1), 0.1);
const VERBOSE = process.env.FUZZ_VERBOSE === '1';

/** Inputs per procedure or route; sized so the file runs in about a minute on PGlite on two cores. */
const BUDGET = {
  trpcAdmin: Math.round(40 * RUNS),
  trpcOfficer: Math.round(14 * RUNS),
  rest: Math.round(18 * RUNS),
  subscribe: Math.round(8 * RUNS),
  raw: Math.round(200 * RUNS),
};

const TODAY = londonToday(new Date());

// ---------------------------------------------------------------------------------------------------
// The procedures and routes, from the router and the REST table themselves: nothing can be missed.

const PROCEDURES: ProcedureInfo[] = listProcedures(appRouter._def.procedures);
const procedureAt = (path: string): ProcedureInfo => {
  const p = PROCEDURES.find((x) => x.path === path);
  if (!p) throw new Error(`no procedure ${path}`);
  return p;
};

/** Writes that remove what later inputs aim at (a deleted webhook, a lifted restriction) run last. */
const DESTRUCTIVE = /\.(?:delete|revoke|withdraw|lift|end|rotateSecret)$/;
const isDestructive = (procedure: string) => DESTRUCTIVE.test(procedure);
const byKind = (a: ProcedureInfo, b: ProcedureInfo) =>
  a.type.localeCompare(b.type) || a.path.localeCompare(b.path);

// ---------------------------------------------------------------------------------------------------
// The world, the callers and what the hub logs.

type Who = 'hub-admin' | 'officer';

let h: HttpHarness;
let receiver: Awaited<ReturnType<typeof serve>>;
/** In-process callers acting as the fuzzing clients, for making fresh records in the defect cases. */
const callers = {} as Record<Who, Caller>;
const tokens = {} as Record<Who, string>;
const pools: Pools = emptyPools();
/** Per actor, per field name, the only ids a fuzzed write may touch (so it cannot lock the fuzzer out). */
const overrides = {} as Record<Who, Record<string, Record<string, string[]>>>;

/** Warnings and errors the hub logged, by request id: the cause behind a 5xx. */
const logged = new Map<string, string[]>();

type LogLine = {
  level?: number;
  reqId?: string;
  msg?: string;
  path?: string;
  err?: LoggedError;
};
type LoggedError = { type?: string; message?: string; code?: string; stack?: string; cause?: LoggedError };

/** The innermost cause of a logged error: for a failed query, the database's own message and code. */
const rootOf = (err: LoggedError): LoggedError => (err.cause ? rootOf(err.cause) : err);

const describeRoot = (err: LoggedError): string =>
  `${err.type ?? 'Error'}${err.code ? ` [${err.code}]` : ''}: ${(err.message ?? '').slice(0, 200)}`;

const captureLog = (line: string): void => {
  let entry: LogLine;
  try {
    entry = JSON.parse(line) as LogLine;
  } catch {
    return;
  }
  if (!entry.reqId) return;
  const err = entry.err;
  const where = (err?.stack ?? '')
    .split('\n')
    .filter((l) => l.includes('/server/src/'))
    .slice(0, 2)
    .map((l) =>
      l
        .trim()
        .replace(/^at\s+/, '')
        .replace(/.*\/server\/src\//, 'server/src/')
        .replace(/\)$/, ''),
    );
  const text = [
    entry.msg,
    entry.path && `in ${entry.path}`,
    err && `${err.type ?? 'Error'}: ${(err.message ?? '').split('\n')[0]!.slice(0, 120)}`,
    // pino appends each cause's message to the error's: the database's own words are at the end.
    err?.message?.includes('\n') && `… ${err.message.slice(-240)}`,
    err?.cause && `caused by ${describeRoot(rootOf(err))}`,
    where.length > 0 && `at ${where.join(' < ')}`,
  ]
    .filter(Boolean)
    .join(' — ');
  logged.set(entry.reqId, [...(logged.get(entry.reqId) ?? []), text]);
};

/** Answers every webhook delivery at once, so webhooks.test and resend run their whole path. */
const startReceiver = () =>
  serve(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    }),
  );

/** The detail layer of a view; the seed reads its own records, so anything else is a broken seed. */
const detail = <T extends { layer: string }>(view: T): Extract<T, { layer: 'detail' }> => {
  if (view.layer !== 'detail') throw new Error(`seed expected detail, got ${view.layer}`);
  return view as Extract<T, { layer: 'detail' }>;
};

/**
 * A small realistic world: a lead authority that publishes, a placing one, a bystander with a share
 * and a pre-placement grant, a spare one the fuzzer may change; providers, provisions, an allocation,
 * a placement, outcomes (published, draft, restricted), restrictions on a provision and on a
 * provider, a concern, a webhook with a delivery, events and real cursors.
 */
const seedWorld = async (): Promise<void> => {
  const lead = await h.makeAuthority({ id: 'fuzz-lead', gssCode: 'E06000035', region: 'south-east' });
  const placing = await h.makeAuthority({ id: 'fuzz-placing', region: 'london' });
  const bystander = await h.makeAuthority({ id: 'fuzz-bystander', region: 'north-west' });
  const spare = await h.makeAuthority({ id: 'fuzz-spare', region: 'south-west' });

  const admin = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin', 'fuzz hub-admin');
  const officer = await h.makeClientWithToken(lead.id, 'officer', 'fuzz officer');
  tokens['hub-admin'] = admin.token;
  tokens.officer = officer.token;
  const asAdmin = h.caller(admin.principal);
  const asLead = h.caller(officer.principal);
  callers['hub-admin'] = asAdmin;
  callers.officer = asLead;
  const asPlacing = h.caller((await h.makeClient(placing.id, 'officer')).principal);
  const asBystander = h.caller((await h.makeClient(bystander.id, 'officer')).principal);
  const spareClients = [
    (await h.makeClient(spare.id, 'viewer')).client.id,
    (await h.makeClient(spare.id, 'admin')).client.id,
  ];

  const p1 = await h.makeProvider({ name: 'Fuzz Care Ltd', companyNumber: '01234567' });
  const p2 = await h.makeProvider({ name: 'Fuzz Homes Ltd', companyNumber: 'SC123456' });
  const s1 = await h.makeProvision({
    providerId: p1.id,
    name: 'Fuzz House',
    urn: 'SC100001',
    postcode: 'ME4 4TR',
    ofstedGrade: 'good',
    ofstedGradeDate: addDays(TODAY, -100),
  });
  const s2 = await h.makeProvision({
    providerId: p1.id,
    urn: '1234567',
    type: 'supported-accommodation',
    hostAuthorityId: lead.id,
  });
  const s3 = await h.makeProvision({
    providerId: p2.id,
    type: 'unregulated',
    registrationStatus: 'not-required',
    hostAuthorityId: placing.id,
  });

  const allocation = await asAdmin.allocations.assign({
    provisionId: s1.id,
    authorityId: lead.id,
    rationale: 'closest authority with capacity',
  });
  const placement = await asPlacing.placements.declare({ provisionId: s1.id, children: 2 });

  const outcomeInput = {
    provisionId: s1.id,
    activityType: 'full-qa-visit' as const,
    activityDate: addDays(TODAY, -10),
    overallRating: 3,
    summary: 'Fire doors need attention',
    sectionJudgements: [{ section: 'Safety', judgement: 'requires-improvement' as const }],
    actionItems: [
      { description: 'Fix the fire door', concernLevel: 'high' as const },
      { description: 'Review staffing rota', concernLevel: 'low' as const },
    ],
  };
  const draft = detail(await asLead.outcomes.create(outcomeInput));
  const published = detail(await asLead.outcomes.publish({ id: draft.id, version: draft.version }));
  const restrictedDraft = detail(
    await asLead.outcomes.create({ ...outcomeInput, restricted: true, summary: 'Restricted finding' }),
  );
  const hostDraft = detail(await asAdmin.outcomes.create({ ...outcomeInput, provisionId: s2.id }));
  const hostOutcome = detail(
    await asAdmin.outcomes.publish({ id: hostDraft.id, version: hostDraft.version }),
  );

  const reasons = [{ category: 'safeguarding' as const, text: 'Staffing below safe levels' }];
  const embargo = detail(await asLead.restrictions.create({ provisionId: s1.id, kind: 'embargo', reasons }));
  const letter = detail(
    await asLead.restrictions.create({ providerId: p2.id, kind: 'letter-of-concern', reasons }),
  );
  const suspension = detail(
    await asAdmin.restrictions.create({
      provisionId: s3.id,
      kind: 'ofsted-suspension',
      source: 'regulator',
      regulatorReference: 'OF-2026-1',
      reasons,
    }),
  );
  const concern = detail(
    await asPlacing.concerns.log({
      provisionId: s1.id,
      category: 'quality',
      level: 'level-1',
      occurredOn: addDays(TODAY, -3),
      summary: 'Missed medication',
    }),
  );
  const share = await asLead.access.share({
    recordType: 'outcome',
    recordId: published.id,
    authorityId: bystander.id,
  });
  const prospective = await asBystander.access.requestProspective({
    provisionId: s2.id,
    reason: 'Considering a placement here',
    caseReference: 'CR-2026-0412',
  });
  const hook = await asAdmin.webhooks.create({
    url: `${receiver.baseUrl}/hook`,
    eventTypes: ['outcome.published', 'restriction.created'],
  });
  const delivery = await asAdmin.webhooks.test({ id: hook.webhook.id });

  await sequenceEvents(h.hub.database.db);
  const events = await asAdmin.events.list({});
  const cursors = [
    (await asAdmin.providers.search({ limit: 1 })).nextCursor,
    (await asAdmin.provisions.search({ limit: 1 })).nextCursor,
    (await asAdmin.outcomes.list({ limit: 1 })).nextCursor,
    (await asAdmin.restrictions.list({ limit: 1 })).nextCursor,
    (await asAdmin.audit.list({ limit: 1 })).nextCursor,
  ].filter((c): c is string => c !== null);

  Object.assign(pools, {
    authority: [h.hostAuthorityId, lead.id, placing.id, bystander.id, spare.id],
    provider: [p1.id, p2.id],
    provision: [s1.id, s2.id, s3.id],
    outcome: [published.id, restrictedDraft.id, hostOutcome.id],
    restriction: [embargo.id, letter.id, suspension.id],
    concern: [concern.id],
    placement: [placement.id],
    allocation: [allocation.id],
    grant: [share.id, prospective.id],
    webhook: [hook.webhook.id],
    delivery: [delivery.id],
    // Only the spare authority's clients: revoking the fuzzer's own would turn every later answer into a 401.
    client: spareClients,
    actionItem: published.actionItems.map((a) => a.id),
    urn: ['SC100001', '1234567'],
    companyNumber: ['01234567', 'SC123456'],
    gssCode: ['E06000035', 'E10000016'],
    eventId: ['0', ...events.items.map((e) => e.id), '999999999999999999'],
    cursor: [...cursors, ...forgedCursors([s1.id])],
  } satisfies Pools);

  // The hub-admin may suspend or rename authorities: only the spare one, or the members stop answering.
  const sacrificial = { id: [spare.id] };
  overrides['hub-admin'] = { 'authorities.update': sacrificial };
  overrides.officer = {};
};

test.override({ hubEnv: { CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true' } });
// The file's hub, seeded, logging to the test; and a webhook receiver for it to deliver to.
test.beforeAll(async ({ h: hub }) => {
  h = hub;
  receiver = await startReceiver();
  // Keep what the hub logs at warn and above, keyed by request id, instead of printing it.
  h.hub.log = createLogger('warn', { write: captureLog });
  await seedWorld();
});
test.afterAll(async () => {
  await receiver?.close();
});

// ---------------------------------------------------------------------------------------------------
// Sending, and judging every answer.

type Outgoing = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
};
type Fault = {
  block: string;
  request: string;
  input: string;
  status: number;
  problems: string[];
  answer: string;
  logged: string[];
};

/** Internals an answer must never show. Each counts only when the request did not itself contain it. */
const LEAKS: readonly RegExp[] = [
  /\n\s+at .+:\d+:\d+/, // a stack-trace line
  /"stack"\s*:/,
  /failed query/i,
  /syntax error at or near/i,
  /violates [\w-]+ constraint/i,
  /\brelation "[^"]+"/i,
  /\bcolumn "[^"]+"/i,
  /\bselect\s+[\w"*.,\s()]+\s+from\s+"?\w/i,
  /\binsert into\s+"?\w/i,
  /\bupdate\s+"\w+"\s+set\b/i,
  /\bdelete from\s+"?\w/i,
  /postgres/i,
  /pglite/i,
  /drizzle/i,
  /node_modules/,
  /\.ts:\d+/,
];

let inputsTried = 0;
/** Requests sent again after fetch found its pooled connection closed (see send). */
let retried = 0;
const isDroppedSocket = (err: unknown): boolean =>
  ['UND_ERR_SOCKET', 'ECONNRESET'].includes(String((err as { cause?: { code?: unknown } }).cause?.code));
let requestSeq = 0;
const faults: Fault[] = [];
/** Per block, how many answers had each status: shows how deep the inputs got (FUZZ_VERBOSE=1 prints it). */
const statuses = new Map<string, Map<number, number>>();
/** Per block, why inputs were refused with 400 (FUZZ_VERBOSE=1): shows what keeps inputs shallow. */
const refusals = new Map<string, Map<string, number>>();
const triedProcedures = new Set<string>();
const triedRoutes = new Set<string>();

const bodyText = (body: Outgoing['body']): string =>
  body === undefined ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('latin1');

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const send = async (
  block: string,
  who: Who | null,
  out: Outgoing,
  input?: FuzzInput,
): Promise<{ status: number; text: string }> => {
  const requestId = `fuzz-${++requestSeq}`;
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
    ...out.headers,
  };
  const attempt = () =>
    fetch(`${h.baseUrl}${out.path}`, {
      method: out.method,
      headers,
      body: out.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  let status: number;
  let text: string;
  try {
    let res: Response;
    try {
      res = await attempt();
    } catch (err) {
      // Client and hub share one event loop: after a long in-process stretch (the seeding) the hub
      // may close an idle keep-alive socket just as fetch reuses it. Retry that once; a hub that
      // drops the connection on this input drops it again and is reported below.
      if (!isDroppedSocket(err)) throw err;
      retried++;
      res = await attempt();
    }
    status = res.status;
    text = await res.text();
  } catch (err) {
    // No answer at all (the connection dropped or hung) is a fault too.
    status = 0;
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    text = `no answer: ${String(err)}${cause ? ` (${String(cause.code)}: ${String(cause.message)})` : ''}`;
  }
  inputsTried++;
  const tally = statuses.get(block) ?? new Map<number, number>();
  tally.set(status, (tally.get(status) ?? 0) + 1);
  statuses.set(block, tally);
  if (VERBOSE && status === 400) {
    const reasons = refusals.get(block) ?? new Map<string, number>();
    const reason =
      /"message":"((?:[^"\\]|\\.){0,90})/.exec(text)?.[1] ??
      /"detail":"((?:[^"\\]|\\.){0,90})/.exec(text)?.[1] ??
      text.slice(0, 90);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    refusals.set(block, reasons);
  }

  const problems: string[] = [];
  if (status < 200 || status >= 500 || (status >= 300 && status < 400)) problems.push(`status ${status}`);
  const sent = `${safeDecode(out.path)}\n${bodyText(out.body)}`;
  for (const leak of LEAKS) if (leak.test(text) && !leak.test(sent)) problems.push(`answer matches ${leak}`);
  if (problems.length > 0) {
    const body = bodyText(out.body);
    faults.push({
      block,
      request: `${out.method} ${out.path.length > 300 ? `${out.path.slice(0, 300)}…` : out.path}${
        body ? ` body ${body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body}` : ''
      }${out.headers?.['content-type'] ? ` [${out.headers['content-type']}]` : ''}`,
      input: input === undefined && body ? '(raw)' : describeInput(input),
      status,
      problems,
      answer: text.slice(0, 400),
      logged: logged.get(requestId) ?? [],
    });
  }
  return { status, text };
};

const faultsOf = (block: string) => faults.filter((f) => f.block === block);

const formatFaults = (list: Fault[]): string =>
  list
    .map(
      (f) =>
        `\n• ${f.block}: ${f.problems.join(', ')}\n  request: ${f.request}\n  input: ${f.input}\n  answer: ${f.answer}${
          f.logged.length > 0 ? `\n  logged: ${f.logged.join(' | ')}` : ''
        }`,
    )
    .join('');

/** Fails the block with every fault it found, each with its request, input, answer and logged cause. */
const expectNoFaults = (block: string): void => {
  const found = faultsOf(block);
  expect(found.length, `${found.length} faulty answers${formatFaults(found)}`).toBe(0);
};

/** A deterministic seed per block, so one block's runs do not shift when another's change. */
const seedFor = (label: string): number => {
  let x = SEED >>> 0;
  for (const ch of label) x = Math.imul(x ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return x;
};

const alignRecordType = (v: FuzzObject, pick: number): void => {
  const id = v.recordId;
  if (typeof id !== 'string' || pick % 4 === 0) return;
  const kind = (['outcome', 'restriction', 'concern'] as const).find((k) => pools[k].includes(id));
  if (kind) v.recordType = kind;
};

/**
 * Rules between fields that a JSON Schema cannot carry (zod refines, service checks), applied to the
 * valid-looking inputs only, so more of them reach the services and the database.
 */
const REPAIRS: Readonly<Record<string, GenContext['repair']>> = {
  'restrictions.create': (v, pick) => {
    // Exactly one target; a regulator's kind mostly comes from the regulator, with its reference.
    if ('provisionId' in v && 'providerId' in v) delete v[pick % 2 === 0 ? 'provisionId' : 'providerId'];
    if (!('provisionId' in v) && !('providerId' in v)) v.provisionId = pools.provision[pick % 3] ?? null;
    if (
      typeof v.kind === 'string' &&
      (REGULATOR_KINDS as readonly string[]).includes(v.kind) &&
      pick % 4 !== 0
    ) {
      v.source = 'regulator';
      v.regulatorReference = 'OF-2026-7';
    }
    if (v.partnershipWide === true && pick % 3 !== 0) v.partnershipWide = false;
  },
  // A record's type must match its id, or the answer is only ever 404.
  'access.share': (v, pick) => alignRecordType(v, pick),
  'access.explain': (v, pick) => alignRecordType(v, pick),
  'events.list': (v, pick) => {
    if ('since' in v && 'latest' in v) delete v[pick % 2 === 0 ? 'since' : 'latest'];
  },
};

const contextFor = (procedure: string, who: Who): GenContext => ({
  procedure,
  pools,
  today: TODAY,
  overrides: overrides[who]?.[procedure] ?? {},
  ...(REPAIRS[procedure] ? { repair: REPAIRS[procedure] } : {}),
});

const sampleInputs = (procedure: ProcedureInfo, who: Who, label: string, runs: number): FuzzInput[] =>
  fc.sample(inputArb(procedure.schema, contextFor(procedure.path, who)), {
    seed: seedFor(label),
    numRuns: runs,
  });

// ---------------------------------------------------------------------------------------------------
// tRPC: GET for queries (?input=), POST for mutations.

const trpcRequest = (procedure: ProcedureInfo, input: FuzzInput): Outgoing => {
  const text = input === undefined ? undefined : toJsonText(input);
  if (procedure.type === 'mutation')
    return {
      method: 'POST',
      path: `/trpc/${procedure.path}`,
      headers: { 'content-type': 'application/json' },
      ...(text === undefined ? {} : { body: text }),
    };
  const path = `/trpc/${procedure.path}${text === undefined ? '' : `?input=${encodeURIComponent(text)}`}`;
  if (path.length <= MAX_GET_URL) return { method: 'GET', path };
  return {
    method: 'POST',
    path: `/trpc/${procedure.path}`,
    headers: { 'content-type': 'application/json' },
    body: text,
  };
};

/** The live stream answers 200 and stays open: read its head, then hang up. */
const sendSubscription = async (block: string, input: FuzzInput): Promise<void> => {
  const requestId = `fuzz-${++requestSeq}`;
  const text = input === undefined ? '' : `?input=${encodeURIComponent(toJsonText(input))}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1500);
  let status = 0;
  let head = '';
  try {
    const res = await fetch(`${h.baseUrl}/trpc/events.subscribe${text}`, {
      headers: { authorization: `Bearer ${tokens['hub-admin']}`, 'x-request-id': requestId },
      signal: controller.signal,
    });
    status = res.status;
    const reader = res.body?.getReader();
    const first = await Promise.race([
      reader?.read(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 300)),
    ]);
    if (first?.value) head = Buffer.from(first.value).toString('utf8');
    await reader?.cancel().catch(() => undefined);
  } catch (err) {
    if (status === 0) head = `no answer: ${String(err)}`;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  inputsTried++;
  const problems: string[] = [];
  if (status < 200 || status >= 500) problems.push(`status ${status}`);
  for (const leak of LEAKS) if (leak.test(head)) problems.push(`answer matches ${leak}`);
  if (problems.length > 0)
    faults.push({
      block,
      request: `GET /trpc/events.subscribe${text.slice(0, 300)}`,
      input: describeInput(input),
      status,
      problems,
      answer: head.slice(0, 400),
      logged: logged.get(requestId) ?? [],
    });
};

/** Whether the officer may call the procedure at all; fuzzing a role refusal would test nothing. */
const officerMayCall = async (procedure: ProcedureInfo): Promise<boolean> => {
  const a = await send(`tRPC ${procedure.path} as officer`, 'officer', trpcRequest(procedure, {}));
  return !(a.status === 403 && /needs the [\w-]+ role/.test(a.text));
};

const fuzzProcedure = async (procedure: ProcedureInfo, who: Who, runs: number): Promise<string> => {
  const block = `tRPC ${procedure.path} as ${who}`;
  triedProcedures.add(procedure.path);
  if (procedure.type === 'subscription') {
    for (const input of sampleInputs(procedure, who, block, BUDGET.subscribe))
      await sendSubscription(block, input);
    return block;
  }
  for (const input of sampleInputs(procedure, who, block, runs))
    await send(block, who, trpcRequest(procedure, input), input);
  return block;
};

const ordered = (list: ProcedureInfo[]) => [...list].sort(byKind);
const settled = ordered(PROCEDURES.filter((p) => !isDestructive(p.path)));
const destructive = ordered(PROCEDURES.filter((p) => isDestructive(p.path)));

// ---------------------------------------------------------------------------------------------------
// REST: the same inputs spread over the path, the query string and the JSON body.

const pathParamsOf = (template: string): string[] =>
  [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);

/** Path segments that are not what any encoder would send: broken escapes, dot segments, an encoded slash. */
const RAW_SEGMENTS = ['%', '%E0%A4%A', '%uD800', '..', '%2e%2e', 'a%2Fb', '%00', '%FF%FE', '__proto__'];

/**
 * A path segment from any text. A lone surrogate cannot be written in a URL (it has no UTF-8 form,
 * and encodeURIComponent throws), so it goes as U+FFFD, as a browser would send it.
 */
const encodePathText = (text: string): string =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

const restRequest = (route: RestRoute, input: FuzzInput, ctx: GenContext, pick: number): Outgoing => {
  const params = pathParamsOf(route.path);
  const fields: Record<string, FuzzValue> = {};
  if (isFuzzObject(input)) for (const k of Object.keys(input)) fields[k] = input[k] ?? null;
  let path = `${REST_PREFIX}${route.path}`;
  params.forEach((name, i) => {
    let segment: string;
    if (pick % 11 === i) segment = RAW_SEGMENTS[pick % RAW_SEGMENTS.length]!;
    else if (name in fields) segment = encodePathText(asText(fields[name] ?? null));
    else {
      // A path must name something: fall back to a real id of the right kind.
      const pool = poolFor(ctx, name);
      segment = encodeURIComponent(pool[pick % Math.max(pool.length, 1)] ?? 'missing');
    }
    delete fields[name];
    path = path.replace(`{${name}}`, segment);
  });
  const headers: Record<string, string> = {};
  // The Idempotency-Key header instead of the field, where a header can carry it.
  const key = fields.idempotencyKey;
  if (typeof key === 'string' && /^[\x21-\x7e]{1,200}$/.test(key) && pick % 3 === 0) {
    headers['idempotency-key'] = key;
    delete fields.idempotencyKey;
  }
  if (route.method === 'get' || route.method === 'delete') {
    const search = new URLSearchParams();
    if (isFuzzObject(input)) {
      for (const [k, v] of Object.entries(fields)) {
        if (Array.isArray(v)) v.forEach((item) => search.append(k, asText(item)));
        else search.append(k, asText(v));
      }
    } else if (input !== undefined) search.append('input', asText(input));
    const query = search.toString();
    return { method: route.method.toUpperCase(), path: query ? `${path}?${query}` : path, headers };
  }
  let body: string | undefined;
  if (isFuzzObject(input)) body = toJsonText(fields);
  else if (input !== undefined) body = toJsonText(input);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method: route.method.toUpperCase(), path, headers, ...(body === undefined ? {} : { body }) };
};

const routeLabel = (route: RestRoute) => `${route.method.toUpperCase()} ${REST_PREFIX}${route.path}`;

const fuzzRoute = async (route: RestRoute, runs: number): Promise<string> => {
  const block = `REST ${routeLabel(route)} as hub-admin`;
  triedRoutes.add(routeLabel(route));
  const procedure = procedureAt(route.procedure);
  const ctx = contextFor(procedure.path, 'hub-admin');
  const inputs = fc.sample(fc.tuple(inputArb(procedure.schema, ctx), fc.nat()), {
    seed: seedFor(block),
    numRuns: runs,
  });
  for (const [input, pick] of inputs)
    await send(block, 'hub-admin', restRequest(route, input, ctx, pick), input);
  return block;
};

const restSettled = REST_ROUTES.filter((r) => !isDestructive(r.procedure) && r.method !== 'delete');
const restDestructive = REST_ROUTES.filter((r) => isDestructive(r.procedure) || r.method === 'delete');

// ---------------------------------------------------------------------------------------------------
// The tests.

describe('what is fuzzed', () => {
  test('covers every procedure of the router and every REST route', () => {
    expect(PROCEDURES.length).toBeGreaterThan(60);
    expect(settled.length + destructive.length).toBe(PROCEDURES.length);
    expect(restSettled.length + restDestructive.length).toBe(REST_ROUTES.length);
    for (const route of REST_ROUTES) expect(PROCEDURES.map((p) => p.path)).toContain(route.procedure);
    // Every contract turns into an arbitrary that generates (a procedure without input has none).
    for (const p of PROCEDURES)
      expect(
        fc.sample(inputArb(p.schema, contextFor(p.path, 'hub-admin')), { seed: SEED, numRuns: 2 }),
        p.path,
      ).toHaveLength(2);
  });
});

describe('tRPC, as the hub-admin (no role refusal masks input handling)', () => {
  for (const procedure of settled)
    test(procedure.path, async () =>
      expectNoFaults(await fuzzProcedure(procedure, 'hub-admin', BUDGET.trpcAdmin)),
    );
});

describe('tRPC, as an officer of an ordinary member authority', () => {
  for (const procedure of settled.filter((p) => p.type !== 'subscription'))
    test(procedure.path, async () => {
      // Procedures above the officer's role answer 403 before reading input: the refusal is checked,
      // but fuzzing it would test nothing more.
      if (await officerMayCall(procedure)) await fuzzProcedure(procedure, 'officer', BUDGET.trpcOfficer);
      expectNoFaults(`tRPC ${procedure.path} as officer`);
    });
});

describe('REST routes, inputs in the path, the query string and the body', () => {
  for (const route of restSettled)
    test(routeLabel(route), async () => expectNoFaults(await fuzzRoute(route, BUDGET.rest)));
});

describe('raw requests: malformed JSON, wrong content types, odd paths and methods', () => {
  const RAW_BODIES: readonly (string | Uint8Array)[] = [
    '',
    '{',
    '}',
    '{"name":',
    '{"name": "unterminated',
    '[',
    'nul',
    'tru',
    'NaN',
    'Infinity',
    '-',
    '01',
    '1e999',
    '"\\ud800"',
    '"\\u0000"',
    '{"a":1,}',
    "{'name':'x'}",
    '{"name":"Dup Ltd","name":{"x":1}}',
    '{"__proto__":{"role":"hub-admin"},"name":"Proto Ltd"}',
    '{"constructor":{"prototype":{"isHost":true}},"name":"Ctor Ltd"}',
    '\uFEFF{"name":"BOM Ltd"}',
    '{"name":"x"}garbage',
    '{"name":"x"}\n{"name":"y"}',
    `{"name":"${HUGE_TEXT}"}`,
    `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    `${'['.repeat(20000)}${']'.repeat(20000)}`,
    '\u0000',
    '%7B%7D',
    'name=x&version=1',
    '<?xml version="1.0"?><name>x</name>',
    '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nForm Ltd\r\n--xyz--\r\n',
    Uint8Array.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00]),
  ];
  const CONTENT_TYPES: readonly (string | null)[] = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'APPLICATION/JSON',
    'application/merge-patch+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'multipart/form-data',
    'application/octet-stream',
    'application/xml',
    'application/json, text/plain',
    '*/*',
    null,
  ];
  const ENCODINGS: readonly (string | null)[] = [
    null,
    null,
    null,
    'gzip',
    'br',
    'deflate',
    'identity',
    'x-unknown',
  ];

  test('answers malformed bodies and wrong content types with 4xx, on tRPC and REST', async () => {
    const block = 'raw bodies';
    // Path parameters get a real id of the right kind, so the body is what is wrong.
    const fill = (route: RestRoute) =>
      `${REST_PREFIX}${route.path}`.replace(/\{(\w+)\}/g, (_m, name: string) =>
        encodeURIComponent(poolFor(contextFor(route.procedure, 'hub-admin'), name)[0] ?? 'missing'),
      );
    const targets = [
      ...PROCEDURES.filter((p) => p.type === 'mutation').map((p) => ({
        method: 'POST',
        path: `/trpc/${p.path}`,
      })),
      { method: 'POST', path: '/trpc/checks.placementMany' },
      { method: 'POST', path: '/trpc/providers.search' },
      ...REST_ROUTES.filter((r) => r.method === 'post' || r.method === 'patch').map((r) => ({
        method: r.method.toUpperCase(),
        path: fill(r),
      })),
    ];
    const cases = fc.sample(
      fc.record({
        target: fc.constantFrom(...targets),
        body: fc.constantFrom(...RAW_BODIES),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        encoding: fc.constantFrom(...ENCODINGS),
        who: fc.constantFrom<Who>('hub-admin', 'hub-admin', 'officer'),
      }),
      { seed: seedFor(block), numRuns: BUDGET.raw },
    );
    for (const c of cases) {
      const headers: Record<string, string> = {};
      if (c.contentType !== null) headers['content-type'] = c.contentType;
      if (c.encoding !== null) headers['content-encoding'] = c.encoding;
      await send(block, c.who, { ...c.target, headers, body: c.body });
    }
    expectNoFaults(block);
  });

  test('answers odd URLs, batches, prototype names and unexpected methods with 4xx', async () => {
    const block = 'raw URLs';
    const provider = pools.provider[0]!;
    const input = (v: string) => `?input=${encodeURIComponent(v)}`;
    const getInput = encodeURIComponent(JSON.stringify({ id: provider }));
    const paths: string[] = [
      `/trpc/providers.search?input=`,
      `/trpc/providers.search?input={`,
      `/trpc/providers.search?input=%`,
      `/trpc/providers.search?input=%E0%A4%A`,
      `/trpc/providers.search${input('undefined')}`,
      `/trpc/providers.search${input('{"q":"a"}')}&input=${input('{}')}`,
      `/trpc/providers.search?input[q]=a`,
      `/trpc/providers.search?input=${'%5B'.repeat(3000)}`,
      `/trpc/providers.get${input(`{"id":"${provider}"}`)}&batch=1`,
      `/trpc/providers.get,providers.get?batch=1&input=${encodeURIComponent(`{"0":{"id":"${provider}"},"1":{"id":"${provider}"}}`)}`,
      `/trpc/providers.get,providers.get?batch=1&input=${encodeURIComponent(`[{"id":"${provider}"}]`)}`,
      `/trpc/providers.get,providers.get?batch=1&input=${encodeURIComponent(`{"__proto__":{"id":"${provider}"},"0":{"id":"x"}}`)}`,
      `/trpc/providers.get,providers.get?batch=1&input=${encodeURIComponent('{"0":null,"1":1e400}')}`,
      `/trpc/providers.get?batch=1&input=${getInput}`,
      `/trpc/providers.get,?batch=1&input={}`,
      `/trpc/,,,?batch=1`,
      `/trpc/providers.search?batch=true&input={}`,
      `/trpc/__proto__`,
      `/trpc/constructor`,
      `/trpc/toString`,
      `/trpc/providers.__proto__`,
      `/trpc/providers.constructor`,
      `/trpc/__proto__.toString`,
      `/trpc/providers..search`,
      `/trpc/providers.search/extra`,
      `/trpc/${'a.'.repeat(2000)}b`,
      `/trpc/providers.search%00`,
      `/trpc/events.subscribe.x`,
      `${REST_PREFIX}/__proto__`,
      `${REST_PREFIX}/providers/__proto__`,
      `${REST_PREFIX}/providers/constructor`,
      `${REST_PREFIX}/providers/%`,
      `${REST_PREFIX}/providers/%E0%A4%A`,
      `${REST_PREFIX}/providers/${'9'.repeat(5000)}`,
      `${REST_PREFIX}/providers?limit=1e999`,
      `${REST_PREFIX}/providers?limit=-0`,
      `${REST_PREFIX}/providers?limit=9007199254740993`,
      `${REST_PREFIX}/providers?limit=1&limit=2`,
      `${REST_PREFIX}/providers?q=%`,
      `${REST_PREFIX}/providers?q=${'%F0%9D%95%8F'.repeat(1000)}`,
      `${REST_PREFIX}/providers?__proto__=x&constructor=y`,
      `${REST_PREFIX}/providers?q[]=a&q[b]=c`,
      `${REST_PREFIX}/events?types=outcome.published&types=__proto__`,
      `${REST_PREFIX}/outcomes?activityFrom=2026-02-30&activityTo=0000-01-01`,
      `${REST_PREFIX}/outcomes?activityFrom=9999-12-31&activityTo=0001-01-01`,
      `${REST_PREFIX}/provisions/${pools.provision[0]!}/concerns?sinceMonths=120`,
      `/openapi.json?x=${'y'.repeat(3000)}`,
      `/problems/__proto__`,
      `/problems/constructor`,
      `/problems/%`,
      `/docs/api/${'x'.repeat(1000)}`,
      `/.well-known/jwks.json?${'a=1&'.repeat(2000)}`,
    ];
    for (const who of ['hub-admin', 'officer'] as const)
      for (const path of paths) await send(block, who, { method: 'GET', path });
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'POST'])
      for (const path of [
        '/trpc/providers.search',
        '/trpc/providers.create',
        `${REST_PREFIX}/providers`,
        `${REST_PREFIX}/providers/${provider}`,
        '/oauth/token',
        '/readyz',
      ])
        await send(block, 'hub-admin', {
          method,
          path,
          headers: { 'content-type': 'application/json' },
          ...(method === 'HEAD' || method === 'OPTIONS' ? {} : { body: '{}' }),
        });
    expectNoFaults(block);
  });
});

describe('writes that remove what others aim at, last', () => {
  for (const procedure of destructive)
    test(`tRPC ${procedure.path} as hub-admin`, async () =>
      expectNoFaults(await fuzzProcedure(procedure, 'hub-admin', BUDGET.trpcAdmin)));
  for (const procedure of destructive)
    test(`tRPC ${procedure.path} as officer`, async () => {
      if (await officerMayCall(procedure)) await fuzzProcedure(procedure, 'officer', BUDGET.trpcOfficer);
      expectNoFaults(`tRPC ${procedure.path} as officer`);
    });
  for (const route of restDestructive)
    test(`REST ${routeLabel(route)}`, async () => expectNoFaults(await fuzzRoute(route, BUDGET.rest)));
});

/**
 * Defects the fuzzer found, each as its smallest reproduction on fresh records. They fail until the
 * server is fixed (see the fuzz report): invalid input must be a 4xx (DESIGN.md §7), never a 500.
 */
describe('defects found by fuzzing: each fails until the server is fixed', () => {
  /** A version past PostgreSQL's integer (the column type) passes the contract and overflows in SQL. */
  const OVERFLOW = 2 ** 31;
  /** A lone UTF-16 surrogate: valid JSON text (\udc00), but PostgreSQL's json parser refuses it. */
  const LONE = 'a\udc00b';

  const draftOf = async (who: Who) => {
    const view = await callers[who].outcomes.create({
      provisionId: pools.provision[0]!,
      activityType: 'desk-review',
      activityDate: addDays(TODAY, -1),
      overallRating: 2,
      summary: 'Fresh outcome for a defect case',
      actionItems: [{ description: 'Check the rota', concernLevel: 'low' }],
    });
    return detail(view);
  };
  const publishedOf = async (who: Who) => {
    const d = await draftOf(who);
    return detail(await callers[who].outcomes.publish({ id: d.id, version: d.version }));
  };
  const restrictionOf = async (who: Who) =>
    detail(
      await callers[who].restrictions.create({
        provisionId: pools.provision[1]!,
        kind: 'action-plan',
        reasons: [{ category: 'quality', text: 'Fresh restriction for a defect case' }],
      }),
    );
  const providerOf = () => h.makeProvider();
  const key = () => `defect-${requestSeq}-${Math.random().toString(36).slice(2, 10)}`;

  type DefectCase = {
    name: string;
    procedure: string;
    who: Who;
    rest?: RestRoute;
    input: () => Promise<FuzzObject>;
  };
  const CASES: DefectCase[] = [
    // 1. version beyond int4: the update's WHERE version = $n overflows (SQLSTATE 22003).
    {
      name: 'providers.update with version 2^31',
      procedure: 'providers.update',
      who: 'hub-admin',
      input: async () => ({ id: (await providerOf()).id, version: OVERFLOW, name: 'Renamed Ltd' }),
    },
    {
      name: 'provisions.update with version 2^31',
      procedure: 'provisions.update',
      who: 'hub-admin',
      input: async () => ({ id: (await h.makeProvision()).id, version: OVERFLOW, name: 'Renamed House' }),
    },
    {
      name: 'authorities.update with version 2^31',
      procedure: 'authorities.update',
      who: 'hub-admin',
      input: () => Promise.resolve({ id: 'fuzz-spare', version: OVERFLOW, name: 'Renamed Council' }),
    },
    {
      name: 'outcomes.publish with version 2^53 - 1',
      procedure: 'outcomes.publish',
      who: 'hub-admin',
      input: async () => ({ id: (await draftOf('hub-admin')).id, version: Number.MAX_SAFE_INTEGER }),
    },
    {
      name: 'PATCH /api/v1/providers/{id} with version 2^31',
      procedure: 'providers.update',
      who: 'hub-admin',
      rest: REST_ROUTES.find((r) => r.procedure === 'providers.update'),
      input: async () => ({ id: (await providerOf()).id, version: OVERFLOW, name: 'Renamed Ltd' }),
    },
    // 2. a lone surrogate in text that reaches a jsonb column (a history, an audit entry's details,
    //    an idempotency key's stored answer): invalid input syntax for type json (SQLSTATE 22P02).
    {
      name: 'outcomes.create with a lone surrogate in a section comment',
      procedure: 'outcomes.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[0]!,
          activityType: 'desk-review',
          activityDate: addDays(TODAY, -1),
          overallRating: 2,
          summary: 'Surrogate in a comment',
          sectionJudgements: [{ section: 'Safety', judgement: 'good', comment: LONE }],
        }),
    },
    {
      name: 'outcomes.create with a lone surrogate in an action item',
      procedure: 'outcomes.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[0]!,
          activityType: 'desk-review',
          activityDate: addDays(TODAY, -1),
          overallRating: 2,
          summary: 'Surrogate in an action item',
          actionItems: [{ description: LONE, concernLevel: 'low' }],
        }),
    },
    {
      name: 'outcomes.amend with a lone surrogate in the reason',
      procedure: 'outcomes.amend',
      who: 'hub-admin',
      input: async () => {
        const o = await publishedOf('hub-admin');
        return { id: o.id, version: o.version, reason: `amended ${LONE}`, changes: { overallRating: 3 } };
      },
    },
    {
      name: 'outcomes.withdraw with a lone surrogate in the reason',
      procedure: 'outcomes.withdraw',
      who: 'hub-admin',
      input: async () => {
        const o = await publishedOf('hub-admin');
        return { id: o.id, version: o.version, reason: `withdrawn ${LONE}` };
      },
    },
    {
      name: 'outcomes.updateActionItem with a lone surrogate in the note',
      procedure: 'outcomes.updateActionItem',
      who: 'hub-admin',
      input: async () => {
        const o = await publishedOf('hub-admin');
        return {
          outcomeId: o.id,
          version: o.version,
          itemId: o.actionItems[0]!.id,
          status: 'met',
          note: LONE,
        };
      },
    },
    {
      name: 'restrictions.create with a lone surrogate in a reason',
      procedure: 'restrictions.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[1]!,
          kind: 'action-plan',
          reasons: [{ category: 'quality', text: LONE }],
        }),
    },
    {
      name: 'restrictions.update with a lone surrogate in the note',
      procedure: 'restrictions.update',
      who: 'hub-admin',
      input: async () => {
        const r = await restrictionOf('hub-admin');
        return { id: r.id, version: r.version, summary: 'Changed', note: LONE };
      },
    },
    {
      name: 'restrictions.lift with a lone surrogate in the reason',
      procedure: 'restrictions.lift',
      who: 'hub-admin',
      input: async () => {
        const r = await restrictionOf('hub-admin');
        return { id: r.id, version: r.version, reason: `lifted ${LONE}` };
      },
    },
    {
      name: 'allocations.assign with a lone surrogate in the rationale',
      procedure: 'allocations.assign',
      who: 'hub-admin',
      // A fresh provision each time: one the fuzzer already allocated could answer 409 first.
      input: async () => ({
        provisionId: (await h.makeProvision()).id,
        authorityId: 'fuzz-lead',
        rationale: `why ${LONE}`,
      }),
    },
    {
      name: 'access.requestProspective with a lone surrogate in the reason',
      procedure: 'access.requestProspective',
      who: 'hub-admin',
      // A fresh provision: a second open grant at one setting would answer 409 first.
      input: async () => ({
        provisionId: (await h.makeProvision()).id,
        reason: `considering ${LONE} here`,
        caseReference: 'CR-9',
      }),
    },
    {
      name: 'authorities.create with a lone surrogate in the name',
      procedure: 'authorities.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          id: `surrogate-${requestSeq}`,
          name: LONE,
          region: 'london',
          qaInbox: 'qa@example.gov.uk',
        }),
    },
    {
      name: 'clients.create with a lone surrogate in the name',
      procedure: 'clients.create',
      who: 'hub-admin',
      input: () => Promise.resolve({ name: LONE, role: 'viewer' }),
    },
    {
      name: 'providers.create with a lone high surrogate in the name and an idempotency key',
      procedure: 'providers.create',
      who: 'hub-admin',
      input: () => Promise.resolve({ name: 'Surrogate \ud83d Ltd', idempotencyKey: key() }),
    },
    {
      name: 'POST /api/v1/provisions with a lone surrogate in the name and an Idempotency-Key header',
      procedure: 'provisions.create',
      who: 'hub-admin',
      rest: REST_ROUTES.find((r) => r.procedure === 'provisions.create'),
      input: () =>
        Promise.resolve({
          providerId: pools.provider[0]!,
          name: LONE,
          type: 'childrens-home',
          hostAuthorityId: 'fuzz-lead',
          idempotencyKey: key(),
        }),
    },
    // 3. date arithmetic past the calendar's ends: a default computed from a date near 9999-12-31
    //    lands in year 10000 (PostgreSQL refuses "+010000-…", SQLSTATE 22009), and the working-day
    //    calendar throws a RangeError for year 10000 and for years 1 to 99 (Date.UTC reads them as 19xx).
    {
      name: 'restrictions.create, regulator-sourced, effective 9999-12-31 (review date defaults past 9999)',
      procedure: 'restrictions.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[1]!,
          kind: 'ofsted-restriction',
          source: 'regulator',
          regulatorReference: 'OF-2026-9',
          effectiveFrom: '9999-12-31',
          reasons: [{ category: 'regulator-judgement', text: 'Regulator restriction' }],
        }),
    },
    {
      name: 'restrictions.create, letter of concern effective 9999-12-31 (compliance date defaults past 9999)',
      procedure: 'restrictions.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[1]!,
          kind: 'letter-of-concern',
          effectiveFrom: '9999-12-31',
          reasons: [{ category: 'quality', text: 'Letter of concern' }],
        }),
    },
    {
      name: 'restrictions.create, letter of concern effective 0001-01-01 (working days misread year 1)',
      procedure: 'restrictions.create',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          provisionId: pools.provision[1]!,
          kind: 'letter-of-concern',
          effectiveFrom: '0001-01-01',
          reasons: [{ category: 'quality', text: 'Letter of concern' }],
        }),
    },
    {
      name: 'access.share until 9999-12-31 (the grant would end in year 10000)',
      procedure: 'access.share',
      who: 'hub-admin',
      input: async () => ({
        recordType: 'outcome',
        recordId: (await publishedOf('hub-admin')).id,
        authorityId: 'fuzz-placing',
        until: '9999-12-31',
      }),
    },
    // 4. a number JSON can write but not hold (1e400 parses as Infinity) in an import row, which the
    //    contract leaves open (z.unknown): hashing the request for its idempotency key throws.
    {
      name: 'placements.import with children 1e400 and an idempotency key',
      procedure: 'placements.import',
      who: 'hub-admin',
      input: () =>
        Promise.resolve({
          rows: [{ provisionId: pools.provision[0]!, children: new RawJson('1e400') }],
          idempotencyKey: key(),
        }),
    },
    {
      name: 'POST /api/v1/placements/import with children -1e400 and an Idempotency-Key header',
      procedure: 'placements.import',
      who: 'hub-admin',
      rest: REST_ROUTES.find((r) => r.procedure === 'placements.import'),
      input: () =>
        Promise.resolve({
          rows: [{ urn: pools.urn[0]!, children: new RawJson('-1e400') }],
          dryRun: true,
          idempotencyKey: key(),
        }),
    },
  ];

  test('lists defects only for procedures and routes that exist', () => {
    for (const c of CASES) {
      expect(PROCEDURES.map((p) => p.path)).toContain(c.procedure);
      if ('rest' in c) expect(c.rest, c.name).toBeDefined();
    }
  });

  for (const c of CASES)
    test(c.name, async () => {
      const block = `defect: ${c.name}`;
      const input = await c.input();
      const out = c.rest
        ? // pick 3: no raw path segment, and the idempotency key goes in the Idempotency-Key header.
          restRequest(c.rest, input, contextFor(c.procedure, c.who), 3)
        : trpcRequest(procedureAt(c.procedure), input);
      const a = await send(block, c.who, out, input);
      // The fault list first: it carries what the server logged.
      expectNoFaults(block);
      // Fixed means refused as invalid (400) or accepted as cleaned up (2xx); a role refusal, a
      // missing record or a conflict would only hide the input from the code under test.
      expect(a.status === 400 || (a.status >= 200 && a.status < 300), `${a.status} ${a.text}`).toBe(true);
    });
});

describe('afterwards', () => {
  test('fuzzed every procedure and route', () => {
    expect(PROCEDURES.map((p) => p.path).filter((p) => !triedProcedures.has(p))).toEqual([]);
    expect(REST_ROUTES.map(routeLabel).filter((r) => !triedRoutes.has(r))).toEqual([]);
  });

  test('still answers system.ping and /readyz with 200', async () => {
    const ping = await send('afterwards', 'hub-admin', trpcRequest(procedureAt('system.ping'), undefined));
    expect(ping.status, ping.text).toBe(200);
    // Fetched directly: its answer names the database kind, which is no leak here.
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status, await ready.text()).toBe(200);

    if (VERBOSE)
      for (const [block, tally] of statuses) {
        console.log(
          `${block}: ${[...tally]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
        );
        const reasons = [...(refusals.get(block) ?? [])].sort(([, a], [, b]) => b - a).slice(0, 4);
        for (const [reason, n] of reasons) console.log(`  400 ×${n}: ${reason}`);
      }
    // One line per distinct fault (where, status, logged cause), with how often it came: the list to fix.
    const distinct = new Map<string, { count: number; first: Fault }>();
    for (const f of faults) {
      // Where the server failed (its first frame in server/src) and the database's words, numbers blurred.
      const log = f.logged.join(' | ');
      const site = /at (server\/src\/\S+)/.exec(log)?.[1] ?? '';
      const said =
        /(invalid input syntax for type \w+|out of range for type \w+|[\w/ ]*out of range|violates [\w-]+ constraint)/.exec(
          log,
        )?.[1];
      const cause = [site, said].filter(Boolean).join(' ') || f.problems.join(', ');
      const key = `${f.block.replace(/ as .*$/, '')} — ${f.status} — ${cause}`;
      const seen = distinct.get(key);
      if (seen) seen.count++;
      else distinct.set(key, { count: 1, first: f });
    }
    for (const [key, { count, first }] of distinct)
      console.log(
        `fault ×${count}: ${key}\n  e.g. ${first.request}\n  answer: ${first.answer.slice(0, 200)}`,
      );
    const fmt = (n: number) => n.toLocaleString('en-GB');
    console.log(
      `fuzz: ${fmt(inputsTried)} inputs over ${PROCEDURES.length} procedures and ${REST_ROUTES.length} REST routes, ` +
        `${fmt(faults.filter((f) => f.status >= 500 || f.status === 0).length)} server errors, ` +
        `${fmt(faults.filter((f) => f.status < 500 && f.status !== 0).length)} other faulty answers (seed ${SEED}` +
        `${retried > 0 ? `; ${retried} sent again after a dropped keep-alive connection` : ''})`,
    );
  });
});
