// The REST routes and their OpenAPI 3.1 document, driven with plain fetch as a tool in another
// language would: a token from /oauth/token; a lead authority publishes an outcome and restrictions; a
// placing authority checks the setting; a bare member sees what the need-to-know policy gives it (404
// for what it may not know of, exactly like a missing id); the event feed; imports with row errors;
// every refusal as an RFC 9457 problem; webhooks to a loopback receiver, the audit trail, API clients,
// shares and pre-placement grants, the hub-admin's authorities, people and single sign-on, and a
// person's own sessions with a session cookie. The document passes a real OpenAPI 3.1 validator, and
// every answer this file receives is checked with Ajv against that operation's schema in the document.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { sql } from 'drizzle-orm';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { default as addFormatsPlugin } from 'ajv-formats';
import { describe, expect } from 'vitest';
import type { Role } from '@ccx/schema';
import { appRouter } from '@ccx/server';
import { ownerDbOf } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { REST_PREFIX, REST_ROUTES } from '@ccx/server/testing';
import { readAnswer, httpTest as test, type HttpAnswer, type HttpHarness } from '../support/http.js';
import { londonToday, plusDays, uniq } from '../support/harness.js';

const MAX_BODY_BYTES = 64 * 1024;

type Json = Record<string, unknown>;
type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  issues?: { path: string; message: string }[];
  requestId: string;
};
type Operation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  externalDocs: { url: string };
  security: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content: Record<string, unknown>; headers?: Record<string, unknown> }>;
    securitySchemes: Record<string, Json>;
  };
};

// ajv-formats is CommonJS with `module.exports = plugin` and a `default` property; either may arrive.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => Ajv2020;

let doc: Document;
let ajv: Ajv2020;
const validators = new Map<string, ValidateFunction>();
/** Operations (`GET /api/v1/…`) whose 2xx answer was checked against the document, and how many answers were. */
const checkedOperations = new Set<string>();
let answersChecked = 0;

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The document's operation for a concrete request path, by its path templates. */
const operationFor = (method: string, url: string): { key: string; path: string; op: Operation } | null => {
  const path = new URL(url, 'http://x').pathname;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    const op = ops[method.toLowerCase()];
    if (op && pattern.test(path)) return { key: `${method.toUpperCase()} ${template}`, path: template, op };
  }
  return null;
};

const validatorAt = (ptr: string): ValidateFunction => {
  let v = validators.get(ptr);
  if (!v) {
    v = ajv.compile({ $ref: `openapi.json#${ptr}` });
    validators.set(ptr, v);
  }
  return v;
};

/** Checks an answer against the document: a problem against Problem, a success against its operation's schema. */
const checkAnswer = (method: string, url: string, answer: HttpAnswer): boolean => {
  const contentType = answer.headers.get('content-type') ?? '';
  if (contentType.startsWith('application/problem+json')) {
    const v = validatorAt('/components/schemas/Problem');
    expect(v(answer.body), `${method} ${url} problem: ${ajv.errorsText(v.errors)}`).toBe(true);
    expect((answer.body as Problem).status).toBe(answer.status);
    expect((answer.body as Problem).requestId).toBe(answer.headers.get('x-request-id'));
    answersChecked++;
    return true;
  }
  const found = operationFor(method, url);
  if (!found || answer.status >= 300) return false;
  const response = found.op.responses[String(answer.status)];
  expect(response, `${found.key} documents no ${answer.status}`).toBeDefined();
  expect(contentType).toMatch(/^application\/json/);
  const v = validatorAt(
    `/${pointer('paths', found.path, method.toLowerCase(), 'responses', String(answer.status), 'content', 'application/json', 'schema')}`,
  );
  expect(v(answer.body), `${found.key} ${answer.status}: ${ajv.errorsText(v.errors)}`).toBe(true);
  checkedOperations.add(found.key);
  answersChecked++;
  return true;
};

type CallOptions = {
  token?: string;
  body?: unknown;
  /** A body sent exactly as given, with whatever content type `headers` sets. */
  rawBody?: string;
  headers?: Record<string, string>;
};

/** One REST request with plain fetch; the answer is checked against the document. */
const call = async (
  h: HttpHarness,
  method: string,
  url: string,
  opts: CallOptions = {},
): Promise<HttpAnswer> => {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${h.baseUrl}${url}`, { method, headers, body });
  const answer = await readAnswer(res);
  const checked = checkAnswer(method, url, answer);
  // Every answer of the REST routes is a documented success or a problem; only non-API pages may be neither.
  if (url.startsWith('/api/'))
    expect(checked, `${method} ${url} was not checked against the document`).toBe(true);
  return answer;
};

const api = (path: string) => `${REST_PREFIX}${path}`;

/** Awaits a success of the given status and answers its JSON body. */
const ok = async <T = Json>(answer: Promise<HttpAnswer>, status = 200): Promise<T> => {
  const a = await answer;
  expect(a.status, a.text).toBe(status);
  return a.body as T;
};

/** Awaits a problem of the given status and answers it. */
const problem = async (
  answer: Promise<HttpAnswer>,
  status: number,
): Promise<Problem & { answer: HttpAnswer }> => {
  const a = await answer;
  expect(a.status, a.text).toBe(status);
  expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return { ...(a.body as Problem), answer: a };
};

/** A token for a new client of the authority, from POST /oauth/token with client_secret_post. */
const tokenFor = async (h: HttpHarness, authorityId: string, role: Role): Promise<string> => {
  const created = await h.makeClient(authorityId, role);
  const answer = await h.requestToken({
    form: {
      grant_type: 'client_credentials',
      client_id: created.client.id,
      client_secret: created.clientSecret,
    },
  });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body).toMatchObject({ token_type: 'Bearer' });
  return (answer.body as { access_token: string }).access_token;
};

// The world: a host, a lead (allocated), a placing authority (declares via REST) and a bare member.
const today = londonToday(new Date());
let hostId: string;
let lead: { id: string; qaInbox: string; officer: string; viewer: string };
let placing: { id: string; officer: string };
let member: { id: string; officer: string };
let provision: { id: string; urn: string; version: number };

test.override({
  hubEnv: {
    CCX_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    // The webhook receiver of this file listens on 127.0.0.1 over plain http.
    CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  },
});
test.beforeAll(async ({ h }) => {
  const res = await fetch(`${h.baseUrl}/openapi.json`);
  doc = (await res.json()) as Document;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');

  const u = uniq();
  const host = await h.makeAuthority({ id: `host-${u}` });
  const leadAuthority = await h.makeAuthority({ id: `lead-${u}` });
  const placingAuthority = await h.makeAuthority({ id: `placing-${u}` });
  const memberAuthority = await h.makeAuthority({ id: `member-${u}` });
  hostId = host.id;
  const urn = `SC${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const made = await h.makeProvision({ hostAuthorityId: host.id, urn });
  provision = { id: made.id, urn, version: made.version };
  await h.caller(h.hubAdmin).allocations.assign({
    provisionId: made.id,
    authorityId: leadAuthority.id,
    rationale: 'lead by partnership agreement',
    startsOn: plusDays(today, -60),
  });
  lead = {
    id: leadAuthority.id,
    qaInbox: leadAuthority.qaInbox,
    officer: await tokenFor(h, leadAuthority.id, 'officer'),
    viewer: await tokenFor(h, leadAuthority.id, 'viewer'),
  };
  placing = { id: placingAuthority.id, officer: await tokenFor(h, placingAuthority.id, 'officer') };
  member = { id: memberAuthority.id, officer: await tokenFor(h, memberAuthority.id, 'officer') };
});

describe('the OpenAPI document', () => {
  test('is served without a token and is valid OpenAPI 3.1', async ({ h }) => {
    const res = await fetch(`${h.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    const serverPackage = JSON.parse(
      readFileSync(new URL('../../server/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(doc.info.version).toBe(serverPackage.version);
    expect(doc.servers).toEqual([{ url: '/', description: 'This hub' }]);
    expect(doc.externalDocs.url).toBe('/docs/api');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.components.securitySchemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/oauth/token' } },
    });
    expect(doc.components.responses.Unauthorized?.headers).toHaveProperty('WWW-Authenticate');
    // The schemas this file checks answers against do refuse what does not fit.
    expect(validatorAt('/components/schemas/Problem')({ status: 400 })).toBe(false);
    expect(validatorAt('/components/schemas/PlacementCheck')({ verdict: 'maybe' })).toBe(false);
    expect(validatorAt('/components/schemas/Provision')({ ...provision, extra: true })).toBe(false);

    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(op.summary, where).toBeTruthy();
        expect(op.description, where).toBeTruthy();
        expect(op.tags, where).toHaveLength(1);
        const success = op.responses['200'] ?? op.responses['201'];
        expect(success?.content, where).toHaveProperty(['application/json']);
        for (const status of ['400', '401', '404', '500'])
          expect(op.responses[status]?.$ref, `${where} ${status}`).toMatch(/^#\/components\/responses\//);
        // POST and PATCH take a JSON body; GET and DELETE take none.
        if (method === 'post' || method === 'patch') expect(op.requestBody, where).toBeDefined();
        else expect(op.requestBody, where).toBeUndefined();
        for (const name of path.match(/\{[^}]+\}/g) ?? [])
          expect(
            op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
            `${where} ${name}`,
          ).toBe(true);
      }
    }
    // Every error response is one Problem schema.
    for (const response of Object.values(doc.components.responses))
      expect(response.content['application/problem+json']).toEqual({
        schema: { $ref: '#/components/schemas/Problem' },
      });
  });

  test('has exactly the routes of the table, each named after an existing tRPC procedure', () => {
    const fromTable = REST_ROUTES.map((r) => `${r.method.toUpperCase()} ${REST_PREFIX}${r.path}`).sort();
    const fromDocument = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(fromDocument).toEqual(fromTable);

    const procedures = (
      appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }
    ).procedures;
    const operationIds = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
    for (const route of REST_ROUTES) {
      const op = doc.paths[`${REST_PREFIX}${route.path}`]?.[route.method];
      expect(op?.operationId).toBe(route.procedure);
      const procedure = procedures[route.procedure];
      expect(procedure, route.procedure).toBeDefined();
      expect(procedure?._def.type).toMatch(route.method === 'get' ? /^query$/ : /^(query|mutation)$/);
    }
  });

  test('is the table docs/rest.md shows, route by route', () => {
    const guide = readFileSync(new URL('../../docs/rest.md', import.meta.url), 'utf8');
    const rows = guide
      .split('\n')
      .map((line) => /^\| (GET|POST|PATCH|DELETE)\s+\| `([^`?]+)[^|]*\|\s+`([^`]+)`/.exec(line))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]} ${m[3]}`)
      .sort();
    expect(rows).toEqual(
      REST_ROUTES.map((r) => `${r.method.toUpperCase()} ${REST_PREFIX}${r.path} ${r.procedure}`).sort(),
    );
  });

  test('is browsable at /docs/api with swagger-ui served locally and no inline script', async ({ h }) => {
    const page = await fetch(`${h.baseUrl}/docs/api`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/docs\/api\/[^"]+"/);
      expect(content?.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//); // nothing fetched from the internet
    for (const [, attributes] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes ?? '')?.[1] ?? '';
      const asset = await fetch(`${h.baseUrl}${src}`);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      const text = await asset.text();
      if (src.includes('initialiser')) expect(text).toContain('"/openapi.json"');
    }
    expect((await fetch(`${h.baseUrl}/docs/api/swagger-ui.css`)).status).toBe(200);
    // Only the files the page needs are served from the package.
    expect((await fetch(`${h.baseUrl}/docs/api/package.json`)).status).toBe(404);
  });
});

describe('REST routes', () => {
  let outcome: { id: string; version: number; findings: string };
  let restriction: { id: string; version: number };
  let informal: { id: string };
  let draftId: string;

  test('answers who the token speaks for', async ({ h }) => {
    const me = await ok<{ authority: Json; client: Json }>(
      call(h, 'GET', api('/authorities/me'), { token: lead.officer }),
    );
    expect(me.authority).toMatchObject({ id: lead.id });
    expect(me.client).toMatchObject({ authorityId: lead.id, role: 'officer' });
    expect(await ok(call(h, 'GET', api(`/authorities/${lead.id}`), { token: lead.viewer }))).toMatchObject({
      id: lead.id,
    });
    const all = await ok<Json[]>(call(h, 'GET', api('/authorities?status=active'), { token: lead.viewer }));
    expect(all.map((a) => a.id)).toContain(placing.id);
    const pong = await ok<Json>(call(h, 'GET', api('/ping'), { token: lead.viewer }));
    expect(pong).toMatchObject({ ok: true, authorityId: lead.id });
    expect(Math.abs(Date.parse(String(pong.at)) - Date.now())).toBeLessThan(60_000);
  });

  test('lets a placing authority declare, and a lead publish an outcome and restrictions', async ({ h }) => {
    const placement = await ok<{ id: string; children: number }>(
      call(h, 'POST', api('/placements'), {
        token: placing.officer,
        body: { provisionId: provision.id, children: 2, fromDate: plusDays(today, -30) },
      }),
      201,
    );
    expect(placement.children).toBe(2);
    const mine = await ok<Json[]>(
      call(h, 'GET', api('/placements?includeEnded=false'), { token: placing.officer }),
    );
    expect(mine.map((p) => p.id)).toContain(placement.id);

    const findings = `Night staffing below the agreed ratio (${uniq()})`;
    const created = await call(h, 'POST', api('/outcomes'), {
      token: lead.officer,
      body: {
        provisionId: provision.id,
        activityType: 'monitoring-visit',
        activityDate: plusDays(today, -5),
        overallRating: 3,
        summary: 'Monitoring visit',
        findings,
        actionItems: [{ description: 'Recruit two night staff', concernLevel: 'high' }],
      },
    });
    expect(created.status, created.text).toBe(201);
    const draft = created.body as { id: string; version: number; layer: string; status: string };
    expect(draft).toMatchObject({ layer: 'detail', status: 'draft' });
    expect(created.headers.get('location')).toBe(api(`/outcomes/${draft.id}`));

    const published = await ok<{ id: string; version: number; status: string; byLead: boolean }>(
      call(h, 'POST', api(`/outcomes/${draft.id}/publish`), {
        token: lead.officer,
        body: { version: draft.version },
      }),
    );
    expect(published).toMatchObject({ status: 'published', byLead: true });
    outcome = { id: published.id, version: published.version, findings };

    const key = `rest-${randomUUID()}`;
    const body = {
      provisionId: provision.id,
      kind: 'action-plan',
      reasons: [{ category: 'quality', text: 'Staffing action plan agreed with the provider' }],
      summary: 'Action plan on night staffing',
    };
    const first = await call(h, 'POST', api('/restrictions'), {
      token: lead.officer,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status, first.text).toBe(201);
    restriction = first.body as { id: string; version: number };
    expect(first.headers.get('location')).toBe(api(`/restrictions/${restriction.id}`));

    // A retry with the same key answers the first record again and makes no second one.
    const replay = await call(h, 'POST', api('/restrictions'), {
      token: lead.officer,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    // The key may come in the body instead.
    const inBody = await call(h, 'POST', api('/restrictions'), {
      token: lead.officer,
      body: { ...body, idempotencyKey: key },
    });
    expect((inBody.body as Json).id).toBe(restriction.id);
    const { items: listed } = await ok<{ items: Json[] }>(
      call(h, 'GET', api(`/restrictions?provisionId=${provision.id}&kind=action-plan`), {
        token: lead.officer,
      }),
    );
    expect(listed.filter((r) => r.id === restriction.id)).toHaveLength(1);
    expect(listed).toHaveLength(1);
    // The same key for a different request is a conflict.
    const reused = await problem(
      call(h, 'POST', api('/restrictions'), {
        token: lead.officer,
        body: { ...body, summary: 'something else' },
        headers: { 'Idempotency-Key': key },
      }),
      409,
    );
    expect(reused.code).toBe('CONFLICT');

    const informalAnswer = await ok<{ id: string; restricted: boolean }>(
      call(h, 'POST', api('/restrictions'), {
        token: lead.officer,
        body: {
          provisionId: provision.id,
          kind: 'informal-embargo',
          reasons: [{ category: 'safeguarding', text: 'Matter under investigation' }],
        },
      }),
      201,
    );
    expect(informalAnswer.restricted).toBe(true);
    informal = informalAnswer;

    // A second draft, which no one else may know of.
    const secondDraft = await ok<{ id: string }>(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        body: {
          provisionId: provision.id,
          activityType: 'desk-review',
          activityDate: plusDays(today, -1),
          overallRating: 2,
          summary: 'Desk review in progress',
        },
      }),
      201,
    );
    draftId = secondDraft.id;
  });

  test('gives the placing authority a verdict with its reasons, by provision id, by URN and in a batch', async ({
    h,
  }) => {
    const check = await ok<{
      provisionId: string;
      verdict: string;
      reasons: { code: string; recordId: string | null; contact: string | null }[];
      latestOutcome: { layer: string } | null;
      lead: { authorityId: string } | null;
    }>(call(h, 'GET', api(`/checks/placement?provisionId=${provision.id}`), { token: placing.officer }));
    expect(check.verdict).toBe('caution');
    const codes = check.reasons.map((r) => r.code);
    expect(codes).toEqual(
      expect.arrayContaining(['restriction-by-member', 'latest-rating-of-concern', 'restricted-information']),
    );
    expect(check.reasons.find((r) => r.code === 'restriction-by-member')?.recordId).toBe(restriction.id);
    expect(check.reasons.find((r) => r.code === 'restricted-information')?.contact).toContain(lead.qaInbox);
    expect(check.latestOutcome).toMatchObject({ layer: 'detail', id: outcome.id });
    expect(check.lead?.authorityId).toBe(lead.id);

    const byUrn = await ok<{ provisionId: string; verdict: string }>(
      call(h, 'GET', api(`/checks/placement?urn=${provision.urn.toLowerCase()}`), { token: placing.officer }),
    );
    expect(byUrn).toMatchObject({ provisionId: provision.id, verdict: 'caution' });

    const batch = await ok<{ results: { ok: boolean }[]; summary: Json }>(
      call(h, 'POST', api('/checks/placement/batch'), {
        token: placing.officer,
        body: { items: [{ provisionId: provision.id }, { urn: 'SC000000' }, { provisionId: randomUUID() }] },
      }),
    );
    expect(batch.results.map((r) => r.ok)).toEqual([true, false, false]);
    expect(batch.summary).toEqual({ clear: 0, caution: 1, doNotPlace: 0, notFound: 2 });

    await problem(
      call(h, 'GET', api(`/checks/placement?provisionId=${randomUUID()}`), { token: placing.officer }),
      404,
    );
  });

  test('gives a bare member the layer the policy says, and 404 for what it may not know of, as for a missing id', async ({
    h,
  }) => {
    const seen = await ok<Json>(call(h, 'GET', api(`/outcomes/${outcome.id}`), { token: member.officer }));
    expect(seen).toMatchObject({ layer: 'summary', id: outcome.id, overallRating: 3 });
    expect(JSON.stringify(seen)).not.toContain(outcome.findings);
    // The placing authority has a basis: detail, audited as a tRPC read would be, with the request id.
    const detailRead = await call(h, 'GET', api(`/outcomes/${outcome.id}`), { token: placing.officer });
    expect(detailRead.body).toMatchObject({ layer: 'detail', findings: outcome.findings });
    const auditor = (await h.makeClient(placing.id, 'officer')).principal;
    const audit = await h.caller(auditor).audit.list({ scope: 'mine', recordId: outcome.id });
    expect(audit.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recordIds: [outcome.id],
          basis: 'placing',
          requestId: detailRead.headers.get('x-request-id'),
        }),
      ]),
    );

    const hidden = await problem(call(h, 'GET', api(`/outcomes/${draftId}`), { token: member.officer }), 404);
    const missingId = randomUUID();
    const missing = await problem(
      call(h, 'GET', api(`/outcomes/${missingId}`), { token: member.officer }),
      404,
    );
    const neutral = (p: Problem, id: string) => ({
      ...p,
      answer: undefined,
      requestId: '',
      detail: p.detail.replace(id, '<id>'),
    });
    expect(neutral(hidden, draftId)).toEqual(neutral(missing, missingId));

    const signal = await ok<Json>(
      call(h, 'GET', api(`/restrictions/${informal.id}`), { token: member.officer }),
    );
    expect(signal).toMatchObject({ layer: 'signal', contact: lead.qaInbox });
    expect(signal).not.toHaveProperty('kind');
    expect(
      await ok(call(h, 'GET', api(`/restrictions/${restriction.id}`), { token: member.officer })),
    ).toMatchObject({
      layer: 'summary',
      kind: 'action-plan',
    });

    const listed = await ok<Json[]>(
      call(h, 'GET', api(`/provisions/${provision.id}/outcomes`), { token: member.officer }),
    );
    expect(listed.map((o) => o.layer)).toEqual(['summary']);
    const mine = await ok<Json[]>(
      call(h, 'GET', api(`/provisions/${provision.id}/outcomes?includeDrafts=true`), { token: lead.officer }),
    );
    expect(mine.map((o) => o.id)).toEqual(expect.arrayContaining([outcome.id, draftId]));
    const everywhere = await ok<{ items: Json[]; nextCursor: string | null }>(
      call(h, 'GET', api(`/outcomes?provisionId=${provision.id}&limit=1`), { token: member.officer }),
    );
    expect(everywhere).toEqual({
      items: [expect.objectContaining({ id: outcome.id, layer: 'summary' })],
      nextCursor: null,
    });

    const leads = await ok<{ items: Json[]; nextCursor: string | null }>(
      call(h, 'GET', api(`/allocations?provisionId=${provision.id}&currentOnly=true`), {
        token: member.officer,
      }),
    );
    expect(leads.items.map((a) => [a.provisionId, a.authorityId, a.current])).toEqual([
      [provision.id, lead.id, true],
    ]);
    const led = await ok<Json[]>(call(h, 'GET', api('/allocations/mine'), { token: lead.officer }));
    expect(led.map((a) => a.provisionId)).toContain(provision.id);
    const concerns = await ok<Json>(
      call(h, 'GET', api(`/provisions/${provision.id}/concerns?sinceMonths=12`), { token: member.officer }),
    );
    expect(concerns).toMatchObject({ provisionId: provision.id, concernsLast12Months: 0 });

    const why = await ok<Json>(
      call(h, 'GET', api(`/access/explain?recordType=outcome&recordId=${outcome.id}`), {
        token: member.officer,
      }),
    );
    expect(why).toMatchObject({ layer: 'summary', rule: 'member-summary' });
  });

  test('lists the events since a cursor', async ({ h }) => {
    await sequenceEvents(h.hub.database.db);
    const page = await ok<{
      items: { id: string; type: string; recordId: string | null }[];
      nextSince: string | null;
    }>(
      call(h, 'GET', api('/events?types=outcome.published&types=restriction.created&limit=100'), {
        token: placing.officer,
      }),
    );
    expect(page.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'outcome.published', recordId: outcome.id }),
        expect.objectContaining({ type: 'restriction.created', recordId: restriction.id }),
      ]),
    );
    expect(page.items.every((e) => e.type === 'outcome.published' || e.type === 'restriction.created')).toBe(
      true,
    );
    expect(page.nextSince).toBe(page.items[page.items.length - 1]?.id);
    const after = await ok<{ items: unknown[]; nextSince: string | null }>(
      call(h, 'GET', api(`/events?since=${page.nextSince}&types=outcome.published`), {
        token: placing.officer,
      }),
    );
    expect(after).toEqual({ items: [], nextSince: page.nextSince });
    const bad = await problem(
      call(h, 'GET', api('/events?types=not-a-type'), { token: placing.officer }),
      400,
    );
    expect(bad.issues?.[0]?.path).toMatch(/^types/);
  });

  test('amends, withdraws, updates, lifts and ends through their routes, refusing stale versions', async ({
    h,
  }) => {
    const amended = await ok<{ version: number; status: string; overallRating: number }>(
      call(h, 'POST', api(`/outcomes/${outcome.id}/amend`), {
        token: lead.officer,
        body: {
          version: outcome.version,
          reason: 'rating corrected after review',
          changes: { overallRating: 4 },
        },
      }),
    );
    expect(amended).toMatchObject({ status: 'amended', overallRating: 4 });
    const stale = await problem(
      call(h, 'POST', api(`/outcomes/${outcome.id}/amend`), {
        token: lead.officer,
        body: { version: outcome.version, reason: 'again', changes: { overallRating: 5 } },
      }),
      409,
    );
    expect(stale.code).toBe('CONFLICT');

    const current = await ok<{ version: number; actionItems: { id: string }[] }>(
      call(h, 'GET', api(`/outcomes/${outcome.id}`), { token: lead.officer }),
    );
    const itemId = current.actionItems[0]?.id ?? '';
    const itemUpdated = await ok<{ version: number; actionItems: { id: string; status: string }[] }>(
      call(h, 'PATCH', api(`/outcomes/${outcome.id}/action-items/${itemId}`), {
        token: lead.officer,
        body: { version: current.version, status: 'met', note: 'two night staff recruited' },
      }),
    );
    expect(itemUpdated.actionItems.find((i) => i.id === itemId)?.status).toBe('met');
    const withdrawn = await ok<{ status: string }>(
      call(h, 'POST', api(`/outcomes/${outcome.id}/withdraw`), {
        token: lead.officer,
        body: { version: itemUpdated.version, reason: 'published against the wrong setting' },
      }),
    );
    expect(withdrawn.status).toBe('withdrawn');

    const updated = await ok<{ version: number; summary: string }>(
      call(h, 'PATCH', api(`/restrictions/${restriction.id}`), {
        token: lead.officer,
        body: { version: restriction.version, summary: 'Action plan extended', note: 'review meeting' },
      }),
    );
    expect(updated).toMatchObject({ version: restriction.version + 1, summary: 'Action plan extended' });
    await problem(
      call(h, 'PATCH', api(`/restrictions/${restriction.id}`), {
        token: lead.officer,
        body: { version: restriction.version, summary: 'stale' },
      }),
      409,
    );
    // Another authority may see the restriction but not change it.
    const notIssuer = await problem(
      call(h, 'POST', api(`/restrictions/${restriction.id}/lift`), {
        token: member.officer,
        body: { version: updated.version, reason: 'not mine to lift' },
      }),
      403,
    );
    expect(notIssuer.code).toBe('FORBIDDEN');
    const lifted = await ok<{ status: string }>(
      call(h, 'POST', api(`/restrictions/${restriction.id}/lift`), {
        token: lead.officer,
        body: { version: updated.version, reason: 'plan completed' },
      }),
    );
    expect(lifted.status).toBe('lifted');

    const placement = await ok<{ id: string; version: number }>(
      call(h, 'POST', api('/placements'), {
        token: member.officer,
        body: { provisionId: provision.id, children: 1 },
      }),
      201,
    );
    const ended = await ok<{ open: boolean }>(
      call(h, 'POST', api(`/placements/${placement.id}/end`), {
        token: member.officer,
        body: { version: placement.version },
      }),
    );
    expect(ended.open).toBe(false);
  });

  test('searches, creates and updates the directory, a page at a time', async ({ h }) => {
    const provider = await ok<{ id: string; version: number }>(
      call(h, 'POST', api('/providers'), { token: lead.officer, body: { name: `REST provider ${uniq()}` } }),
      201,
    );
    expect(
      await ok(call(h, 'GET', api(`/providers/${provider.id}`), { token: member.officer })),
    ).toMatchObject({
      id: provider.id,
    });
    // A provider's facts are the hub-admin's, or the host's of one of its settings (it has none yet).
    const notHost = await problem(
      call(h, 'PATCH', api(`/providers/${provider.id}`), {
        token: lead.officer,
        body: { version: provider.version, name: 'REST provider renamed' },
      }),
      403,
    );
    expect(notHost.detail).toContain('providers.proposeCorrection');
    const hubAdmin = await tokenFor(h, hostId, 'hub-admin');
    const renamed = await ok<{ name: string; version: number }>(
      call(h, 'PATCH', api(`/providers/${provider.id}`), {
        token: hubAdmin,
        body: { version: provider.version, name: 'REST provider renamed' },
      }),
    );
    expect(renamed.name).toBe('REST provider renamed');
    const found = await ok<{ items: Json[] }>(
      call(h, 'GET', api('/providers?q=REST%20provider%20renamed'), { token: member.officer }),
    );
    expect(found.items.map((p) => p.id)).toContain(provider.id);

    const prefix = `REST home ${uniq()}`;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await ok<{ id: string }>(
        call(h, 'POST', api('/provisions'), {
          token: hubAdmin,
          body: {
            providerId: provider.id,
            name: `${prefix} ${n}`,
            type: 'childrens-home',
            hostAuthorityId: hostId,
          },
        }),
        201,
      );
      ids.push(created.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `q=${encodeURIComponent(prefix)}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { items: { id: string }[]; nextCursor: string | null } = await ok(
        call(h, 'GET', api(`/provisions?${query}`), { token: member.officer }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());

    const got = await ok<{ id: string; version: number }>(
      call(h, 'GET', api(`/provisions/${ids[0]}`), { token: member.officer }),
    );
    // A setting's regulator facts are its host authority's (or the hub-admin's): another member is refused.
    const gradeChange = { version: got.version, ofstedGrade: 'good', ofstedGradeDate: plusDays(today, -100) };
    await problem(
      call(h, 'PATCH', api(`/provisions/${got.id}`), { token: lead.officer, body: gradeChange }),
      403,
    );
    const hostOfficer = await tokenFor(h, hostId, 'officer');
    const patched = await ok<{ ofstedGrade: string; version: number }>(
      call(h, 'PATCH', api(`/provisions/${got.id}`), {
        token: hostOfficer,
        body: gradeChange,
        headers: { 'content-type': 'application/merge-patch+json' },
      }),
    );
    expect(patched).toMatchObject({ ofstedGrade: 'good', version: got.version + 1 });

    // Any other member proposes a correction instead; the host accepts or declines it.
    type Correction = { id: string; version: number; status: string; proposerAuthorityId: string };
    const proposed = await ok<Correction>(
      call(h, 'POST', api(`/provisions/${ids[1]}/corrections`), {
        token: lead.officer,
        body: { changes: { postcode: 'ME4 4AA' }, reason: 'the address on the registration certificate' },
      }),
      201,
    );
    expect(proposed).toMatchObject({ status: 'proposed', proposerAuthorityId: lead.id });
    const awaiting = await ok<{ items: Correction[] }>(
      call(h, 'GET', api('/corrections?view=awaiting-my-decision'), { token: hostOfficer }),
    );
    expect(awaiting.items.map((c) => c.id)).toContain(proposed.id);
    expect(
      await ok(call(h, 'GET', api(`/corrections/${proposed.id}`), { token: lead.officer })),
    ).toMatchObject({ id: proposed.id, status: 'proposed' });
    // Neither the proposer nor anyone else but the host and the hub-admin decides it; a bystander finds none.
    await problem(
      call(h, 'POST', api(`/corrections/${proposed.id}/accept`), {
        token: lead.officer,
        body: { version: proposed.version },
      }),
      403,
    );
    await problem(call(h, 'GET', api(`/corrections/${proposed.id}`), { token: member.officer }), 404);
    const accepted = await ok<Correction>(
      call(h, 'POST', api(`/corrections/${proposed.id}/accept`), {
        token: hostOfficer,
        body: { version: proposed.version },
      }),
    );
    expect(accepted.status).toBe('accepted');
    expect(await ok(call(h, 'GET', api(`/provisions/${ids[1]}`), { token: member.officer }))).toMatchObject({
      postcode: 'ME4 4AA',
    });

    const ofProvider = await ok<Correction>(
      call(h, 'POST', api(`/providers/${provider.id}/corrections`), {
        token: member.officer,
        body: { changes: { companyNumber: '07654321' }, reason: 'the number at Companies House' },
      }),
      201,
    );
    const declined = await ok<Correction>(
      call(h, 'POST', api(`/corrections/${ofProvider.id}/decline`), {
        token: hostOfficer,
        body: { version: ofProvider.version, note: 'that number is of another company' },
      }),
    );
    expect(declined.status).toBe('declined');

    // The hub-admin merges duplicates: a dry run changes nothing; the merge moves everything.
    const dryRun = await ok<{ dryRun: boolean; moved: Record<string, number> }>(
      call(h, 'POST', api(`/provisions/${ids[2]}/merge`), {
        token: hubAdmin,
        body: { survivorId: ids[1], dryRun: true },
      }),
    );
    expect(dryRun.dryRun).toBe(true);
    await problem(
      call(h, 'POST', api(`/provisions/${ids[2]}/merge`), {
        token: lead.officer,
        body: { survivorId: ids[1] },
      }),
      403,
    );
    expect(
      await ok(
        call(h, 'POST', api(`/provisions/${ids[2]}/merge`), {
          token: hubAdmin,
          body: { survivorId: ids[1] },
        }),
      ),
    ).toMatchObject({ survivorId: ids[1], mergedId: ids[2], dryRun: false });
    expect(await ok(call(h, 'GET', api(`/provisions/${ids[2]}`), { token: member.officer }))).toMatchObject({
      status: 'merged',
      mergedIntoId: ids[1],
    });
    const duplicate = await ok<{ id: string }>(
      call(h, 'POST', api('/providers'), { token: lead.officer, body: { name: `REST duplicate ${uniq()}` } }),
      201,
    );
    expect(
      await ok(
        call(h, 'POST', api(`/providers/${duplicate.id}/merge`), {
          token: hubAdmin,
          body: { survivorId: provider.id },
        }),
      ),
    ).toMatchObject({ survivorId: provider.id, mergedId: duplicate.id, dryRun: false });
  });

  test("runs a concern's life, records compliance and reviews, lists deadlines and deletes a draft", async ({
    h,
  }) => {
    const hubAdmin = await tokenFor(h, hostId, 'hub-admin');
    // A setting of its own, so that nothing here changes the verdicts the tests above saw.
    const site = await h.makeProvision({ hostAuthorityId: hostId });
    await h.caller(h.hubAdmin).allocations.assign({
      provisionId: site.id,
      authorityId: lead.id,
      rationale: 'lead by partnership agreement',
      startsOn: plusDays(today, -30),
    });

    type Concern = { id: string; version: number; status: string; level: string; counts: boolean };
    const logged = await call(h, 'POST', api('/concerns'), {
      token: lead.officer,
      body: {
        provisionId: site.id,
        category: 'quality',
        level: 'minor',
        occurredOn: plusDays(today, -3),
        summary: 'Medication records incomplete',
      },
    });
    expect(logged.status, logged.text).toBe(201);
    const concern = logged.body as Concern;
    expect(logged.headers.get('location')).toBe(api(`/concerns/${concern.id}`));
    expect(await ok(call(h, 'GET', api(`/concerns/${concern.id}`), { token: lead.viewer }))).toMatchObject({
      id: concern.id,
      layer: 'detail',
      status: 'open',
    });
    // A bare member has no need to know: the concern answers as a missing one, to a read and to a change.
    await problem(call(h, 'GET', api(`/concerns/${concern.id}`), { token: member.officer }), 404);
    await problem(
      call(h, 'POST', api(`/concerns/${concern.id}/close`), {
        token: member.officer,
        body: { version: concern.version, reason: 'not mine to close' },
      }),
      404,
    );
    const corrected = await ok<Concern>(
      call(h, 'PATCH', api(`/concerns/${concern.id}`), {
        token: lead.officer,
        body: { version: concern.version, level: 'level-1', note: 'a second incident found' },
      }),
    );
    expect(corrected).toMatchObject({ level: 'level-1', version: concern.version + 1 });
    const substantiated = await ok<Concern>(
      call(h, 'POST', api(`/concerns/${concern.id}/substantiate`), {
        token: lead.officer,
        body: { version: corrected.version, note: 'confirmed at the visit' },
      }),
    );
    expect(substantiated).toMatchObject({ status: 'substantiated', counts: true });
    const unsubstantiated = await ok<Concern>(
      call(h, 'POST', api(`/concerns/${concern.id}/unsubstantiate`), {
        token: lead.officer,
        body: { version: substantiated.version },
      }),
    );
    expect(unsubstantiated).toMatchObject({ status: 'unsubstantiated', counts: false });
    const closed = await ok<Concern>(
      call(h, 'POST', api(`/concerns/${concern.id}/close`), {
        token: lead.officer,
        body: { version: unsubstantiated.version, reason: 'the provider retrained its staff' },
      }),
    );
    expect(closed.status).toBe('closed');

    const bands = await ok<{ mediumFrom: number; highFrom: number }>(
      call(h, 'GET', api('/risk-bands'), { token: member.officer }),
    );
    await problem(
      call(h, 'PATCH', api('/risk-bands'), {
        token: lead.officer,
        body: { mediumFrom: bands.mediumFrom, highFrom: bands.highFrom },
      }),
      403,
    );
    expect(
      await ok(
        call(h, 'PATCH', api('/risk-bands'), {
          token: hubAdmin,
          body: { mediumFrom: bands.mediumFrom, highFrom: bands.highFrom },
        }),
      ),
    ).toMatchObject({ mediumFrom: bands.mediumFrom, highFrom: bands.highFrom, isDefault: false });

    // The lead and the host see who places at a setting; a bare member may not.
    const placing_ = await ok<{ basis: string; authorities: { authorityId: string; children: number }[] }>(
      call(h, 'GET', api(`/provisions/${provision.id}/placing-authorities`), { token: lead.viewer }),
    );
    expect(placing_.basis).toBe('lead');
    expect(placing_.authorities.map((a) => a.authorityId)).toContain(placing.id);
    await problem(
      call(h, 'GET', api(`/provisions/${provision.id}/placing-authorities`), { token: member.officer }),
      403,
    );

    // A letter of concern: the issuer records compliance, then a review with the next review date.
    const letter = await ok<{ id: string; version: number }>(
      call(h, 'POST', api('/restrictions'), {
        token: lead.officer,
        body: {
          provisionId: site.id,
          kind: 'letter-of-concern',
          reasons: [{ category: 'quality', text: 'Medication records incomplete' }],
          complianceDueOn: plusDays(today, 20),
          reviewOn: plusDays(today, 30),
        },
      }),
      201,
    );
    const due = await ok<{ items: { recordId: string; kind: string; state: string }[] }>(
      call(h, 'GET', api('/deadlines/overdue?dueWithinDays=40'), { token: lead.officer }),
    );
    expect(due.items.filter((d) => d.recordId === letter.id).map((d) => [d.kind, d.state])).toEqual([
      ['compliance', 'due-soon'],
      ['review', 'due-soon'],
    ]);
    await problem(
      call(h, 'POST', api(`/restrictions/${letter.id}/compliance`), {
        token: member.officer,
        body: { version: letter.version, complied: true },
      }),
      403,
    );
    const complied = await ok<{ version: number; complied: boolean | null }>(
      call(h, 'POST', api(`/restrictions/${letter.id}/compliance`), {
        token: lead.officer,
        body: { version: letter.version, complied: true, note: 'records brought up to date' },
      }),
    );
    expect(complied.complied).toBe(true);
    const reviewed = await ok<{ reviewOn: string | null; reviewedOn: string | null }>(
      call(h, 'POST', api(`/restrictions/${letter.id}/review`), {
        token: lead.officer,
        body: { version: complied.version, nextReviewOn: plusDays(today, 90) },
      }),
    );
    expect(reviewed).toMatchObject({ reviewedOn: today, reviewOn: plusDays(today, 90) });
    const after = await ok<{ items: { recordId: string }[] }>(
      call(h, 'GET', api('/deadlines/overdue?dueWithinDays=40'), { token: lead.officer }),
    );
    expect(after.items.map((d) => d.recordId)).not.toContain(letter.id);

    // A draft is deleted by its author, with its version as a query parameter; no one else finds it.
    const draft = await ok<{ id: string; version: number }>(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        body: {
          provisionId: site.id,
          activityType: 'desk-review',
          activityDate: plusDays(today, -1),
          overallRating: 2,
          summary: 'Started in error',
        },
      }),
      201,
    );
    await problem(
      call(h, 'DELETE', api(`/outcomes/${draft.id}?version=${draft.version}`), { token: member.officer }),
      404,
    );
    expect(
      await ok(
        call(h, 'DELETE', api(`/outcomes/${draft.id}?version=${draft.version}`), { token: lead.officer }),
      ),
    ).toEqual({ id: draft.id, deleted: true });
    await problem(call(h, 'GET', api(`/outcomes/${draft.id}`), { token: lead.officer }), 404);
  });

  test('imports placements all or nothing: row errors are a 400 with one issue per bad field', async ({
    h,
  }) => {
    const rows = [
      { provisionId: provision.id, children: 0 },
      { urn: 'not-a-urn', children: 1 },
      { provisionId: provision.id, children: 3 },
    ];
    const refused = await problem(
      call(h, 'POST', api('/placements/import'), { token: placing.officer, body: { rows } }),
      400,
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.detail).toContain('nothing was imported');
    expect(refused.issues?.map((i) => i.path)).toEqual(
      expect.arrayContaining(['rows.0.children', 'rows.1.urn']),
    );
    expect(refused.issues?.find((i) => i.path === 'rows.0.children')?.message).toMatch(/^row 1: /);
    // Nothing changed: the placing authority still has its 2 children.
    const mine = await ok<{ provisionId: string; children: number }[]>(
      call(h, 'GET', api('/placements'), { token: placing.officer }),
    );
    expect(mine.find((p) => p.provisionId === provision.id)?.children).toBe(2);

    const dryRun = await ok<{ applied: boolean; errors: unknown[] }>(
      call(h, 'POST', api('/placements/import'), { token: placing.officer, body: { rows, dryRun: true } }),
    );
    expect(dryRun).toMatchObject({ applied: false });
    expect(dryRun.errors.length).toBeGreaterThanOrEqual(2);

    const applied = await ok<{ applied: boolean; changed: number }>(
      call(h, 'POST', api('/placements/import'), {
        token: placing.officer,
        body: { rows: [{ provisionId: provision.id, children: 3 }] },
      }),
    );
    expect(applied).toMatchObject({ applied: true, changed: 1 });
  });
});

describe('REST routes for webhooks, the audit trail, API clients, grants and authorities', () => {
  /** A webhook receiver on 127.0.0.1 that accepts everything; each request's body, in arrival order. */
  const received: string[] = [];
  let receiverUrl: string;
  let receiver: Server | undefined;

  test.beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204);
        res.end();
      });
    });
    const server = receiver;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ccx/hook`;
  });

  test.afterAll(async () => {
    const server = receiver;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('lets an admin manage webhooks: the secret once, a signed ping, deliveries, resend, rotation and delete', async ({
    h,
  }) => {
    const admin = await tokenFor(h, member.id, 'admin');
    const body = { url: receiverUrl, eventTypes: ['allocation.changed'] };
    const key = `hook-${randomUUID()}`;
    const created = await call(h, 'POST', api('/webhooks'), {
      token: admin,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBeNull();
    const { webhook, secret } = created.body as { webhook: { id: string }; secret: string };
    expect(webhook).toMatchObject({ authorityId: member.id, status: 'active', url: receiverUrl });
    expect(secret).toMatch(/^whsec_/);
    // A retry with the same key answers the first result, secret and all, and makes no second webhook.
    const replay = await call(h, 'POST', api('/webhooks'), {
      token: admin,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(replay.body).toEqual(created.body);
    const listed = await ok<{ id: string }[]>(call(h, 'GET', api('/webhooks'), { token: admin }));
    expect(listed.map((w) => w.id)).toEqual([webhook.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const ping = await ok<{ id: string; ok: boolean }>(
      call(h, 'POST', api(`/webhooks/${webhook.id}/test`), { token: admin }),
    );
    expect(ping).toMatchObject({
      ok: true,
      status: 'delivered',
      eventType: 'webhook.test',
      lastStatusCode: 204,
    });
    expect(received.map((b) => (JSON.parse(b) as { type: string }).type)).toContain('webhook.test');
    const deliveries = await ok<{ id: string }[]>(
      call(h, 'GET', api(`/webhooks/${webhook.id}/deliveries?limit=10`), { token: admin }),
    );
    expect(deliveries.map((d) => d.id)).toContain(ping.id);
    const resent = await ok(
      call(h, 'POST', api(`/webhooks/${webhook.id}/deliveries/${ping.id}/resend`), { token: admin }),
    );
    // A test ping is sent again at once (the event queue would never pick it up).
    expect(resent).toMatchObject({ id: ping.id, status: 'delivered', attempts: 1 });
    expect(received.filter((b) => (JSON.parse(b) as { type: string }).type === 'webhook.test')).toHaveLength(
      2,
    );

    const rotated = await ok<{ webhook: { secretRotatedAt: string | null }; secret: string }>(
      call(h, 'POST', api(`/webhooks/${webhook.id}/rotate-secret`), { token: admin }),
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.webhook.secretRotatedAt).not.toBeNull();

    // Only an admin manages webhooks; another authority's webhook is not found, like a missing one.
    const officer = await problem(call(h, 'POST', api('/webhooks'), { token: member.officer, body }), 403);
    expect(officer.code).toBe('FORBIDDEN');
    await problem(call(h, 'GET', api('/webhooks'), { token: member.officer }), 403);
    const otherAdmin = await tokenFor(h, placing.id, 'admin');
    await problem(call(h, 'POST', api(`/webhooks/${webhook.id}/test`), { token: otherAdmin }), 404);
    await problem(call(h, 'DELETE', api(`/webhooks/${webhook.id}`), { token: otherAdmin }), 404);
    const unknown = await problem(
      call(h, 'GET', api(`/webhooks/${randomUUID()}/deliveries`), { token: admin }),
      404,
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const external = await problem(
      call(h, 'POST', api('/webhooks'), { token: admin, body: { ...body, url: 'http://example.com/hook' } }),
      400,
    );
    expect(external.code).toBe('BAD_REQUEST');
    // A DELETE takes its input from the path: no body, and no query parameter the input lacks.
    const stray = await problem(
      call(h, 'DELETE', api(`/webhooks/${webhook.id}?force=true`), { token: admin }),
      400,
    );
    expect(stray.issues?.[0]).toMatchObject({ path: 'force', message: 'unknown query parameter "force"' });

    const deleted = await ok(call(h, 'DELETE', api(`/webhooks/${webhook.id}`), { token: admin }));
    expect(deleted).toMatchObject({ id: webhook.id, status: 'disabled' });
    expect(await ok(call(h, 'GET', api('/webhooks'), { token: admin }))).toEqual([]);
    await problem(call(h, 'DELETE', api(`/webhooks/${webhook.id}`), { token: admin }), 404);
    const options = await fetch(`${h.baseUrl}${api(`/webhooks/${webhook.id}`)}`, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('DELETE, OPTIONS');
  });

  test("reads and verifies an authority's audit trail and exports its signed head", async ({ h }) => {
    const page = await ok<{ items: { authorityId: string; action: string }[]; nextCursor: string | null }>(
      call(h, 'GET', api('/audit?scope=mine&limit=2'), { token: member.officer }),
    );
    expect(page.items).toHaveLength(2);
    expect(page.items.every((e) => e.authorityId === member.id)).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const next = await ok<{ items: { seq: number }[] }>(
      call(h, 'GET', api(`/audit?limit=2&cursor=${encodeURIComponent(page.nextCursor ?? '')}`), {
        token: member.officer,
      }),
    );
    expect(next.items.length).toBeGreaterThan(0);
    const deletes = await ok<{ items: { action: string; recordType: string | null }[] }>(
      call(h, 'GET', api('/audit?action=webhook.delete'), { token: member.officer }),
    );
    expect(deletes.items).toEqual([
      expect.objectContaining({ action: 'webhook.delete', recordType: 'webhook' }),
    ]);
    const readsOfMine = await ok<{ items: { authorityId: string }[] }>(
      call(h, 'GET', api('/audit?scope=reads-of-my-records'), { token: lead.officer }),
    );
    expect(readsOfMine.items.map((e) => e.authorityId)).not.toContain(lead.id);

    const verified = await ok<{ authorityId: string; ok: boolean; head: { seq: number } | null }>(
      call(h, 'GET', api('/audit/verify'), { token: member.officer }),
    );
    expect(verified).toMatchObject({ authorityId: member.id, ok: true, firstBroken: null });
    const head = await ok<{ authorityId: string; seq: number; jws: string }>(
      call(h, 'GET', api('/audit/head'), { token: member.officer }),
    );
    expect(head.authorityId).toBe(member.id);
    expect(head.seq).toBeGreaterThanOrEqual(verified.head?.seq ?? 0);
    expect(head.jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    // A viewer may not read the trail; only the hub-admin may name another authority's chain.
    const viewer = await problem(call(h, 'GET', api('/audit'), { token: lead.viewer }), 403);
    expect(viewer.code).toBe('FORBIDDEN');
    await problem(
      call(h, 'GET', api(`/audit/verify?authorityId=${lead.id}`), { token: member.officer }),
      403,
    );
    await problem(call(h, 'GET', api(`/audit/head?authorityId=${lead.id}`), { token: member.officer }), 403);
    const hubAdmin = await tokenFor(h, hostId, 'hub-admin');
    expect(
      await ok(call(h, 'GET', api(`/audit/verify?authorityId=${lead.id}`), { token: hubAdmin })),
    ).toMatchObject({ authorityId: lead.id, ok: true });
  });

  test('lets an admin create, list and revoke API clients, the secret shown once', async ({ h }) => {
    const admin = await tokenFor(h, placing.id, 'admin');
    const created = await ok<{ client: { id: string }; clientSecret: string }>(
      call(h, 'POST', api('/clients'), { token: admin, body: { name: 'Python sync tool', role: 'viewer' } }),
      201,
    );
    expect(created.client).toMatchObject({ authorityId: placing.id, role: 'viewer', status: 'active' });
    const token = await h.getToken(created.client.id, created.clientSecret);
    const me = await ok<{ client: Json }>(call(h, 'GET', api('/authorities/me'), { token }));
    expect(me.client).toMatchObject({ id: created.client.id, role: 'viewer' });
    const listed = await ok<{ id: string }[]>(call(h, 'GET', api('/clients'), { token: admin }));
    expect(listed.map((c) => c.id)).toContain(created.client.id);
    expect(JSON.stringify(listed)).not.toContain(created.clientSecret);

    // Not above your own role, not for another authority, not for an officer; another's client is not found.
    await problem(
      call(h, 'POST', api('/clients'), { token: admin, body: { name: 'Too high', role: 'hub-admin' } }),
      403,
    );
    await problem(call(h, 'GET', api(`/clients?authorityId=${member.id}`), { token: admin }), 403);
    const officer = await problem(call(h, 'GET', api('/clients'), { token: placing.officer }), 403);
    expect(officer.code).toBe('FORBIDDEN');
    const otherAdmin = await tokenFor(h, member.id, 'admin');
    await problem(call(h, 'POST', api(`/clients/${created.client.id}/revoke`), { token: otherAdmin }), 404);
    const badId = await problem(call(h, 'POST', api('/clients/not-a-client/revoke'), { token: admin }), 400);
    expect(badId.issues?.[0]?.path).toBe('id');

    const revoked = await ok(call(h, 'POST', api(`/clients/${created.client.id}/revoke`), { token: admin }));
    expect(revoked).toMatchObject({ id: created.client.id, status: 'revoked' });
    // Its tokens stop at once.
    await problem(call(h, 'GET', api('/authorities/me'), { token }), 401);
  });

  test('shares a record, grants pre-placement access, and revokes both', async ({ h }) => {
    const draft = await ok<{ id: string; version: number }>(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        body: {
          provisionId: provision.id,
          activityType: 'desk-review',
          activityDate: plusDays(today, -2),
          overallRating: 4,
          summary: 'Desk review of records',
          findings: `Records complete and up to date (${uniq()})`,
        },
      }),
      201,
    );
    const published = await ok<{ id: string }>(
      call(h, 'POST', api(`/outcomes/${draft.id}/publish`), {
        token: lead.officer,
        body: { version: draft.version },
      }),
    );
    expect(
      await ok(call(h, 'GET', api(`/outcomes/${published.id}`), { token: member.officer })),
    ).toMatchObject({
      layer: 'summary',
    });

    const shareBody = {
      recordType: 'outcome',
      recordId: published.id,
      authorityId: member.id,
      until: plusDays(today, 30),
    };
    await problem(call(h, 'POST', api('/access/shares'), { token: lead.viewer, body: shareBody }), 403);
    const shared = await call(h, 'POST', api('/access/shares'), {
      token: lead.officer,
      body: shareBody,
      headers: { 'Idempotency-Key': `share-${randomUUID()}` },
    });
    expect(shared.status, shared.text).toBe(201);
    const share = shared.body as { id: string };
    expect(share).toMatchObject({
      kind: 'share',
      authorityId: member.id,
      grantedByAuthorityId: lead.id,
      recordId: published.id,
      active: true,
    });
    expect(
      await ok(call(h, 'GET', api(`/outcomes/${published.id}`), { token: member.officer })),
    ).toMatchObject({
      layer: 'detail',
    });
    // Only the authority that shared may revoke a share.
    const notSharer = await problem(
      call(h, 'POST', api(`/access/grants/${share.id}/revoke`), { token: member.officer }),
      403,
    );
    expect(notSharer.code).toBe('FORBIDDEN');
    expect(
      await ok(call(h, 'POST', api(`/access/grants/${share.id}/revoke`), { token: lead.officer })),
    ).toMatchObject({ id: share.id, active: false });
    await problem(
      call(h, 'POST', api(`/access/grants/${randomUUID()}/revoke`), { token: lead.officer }),
      404,
    );

    const request = {
      provisionId: provision.id,
      reason: 'Considering this home for a sibling group',
      caseReference: 'CR-2026-0412',
      days: 3,
    };
    const prospective = await ok<{ id: string }>(
      call(h, 'POST', api('/access/prospective-grants'), { token: member.officer, body: request }),
      201,
    );
    expect(prospective).toMatchObject({
      kind: 'prospective',
      authorityId: member.id,
      provisionId: provision.id,
      caseReference: 'CR-2026-0412',
      active: true,
    });
    const again = await problem(
      call(h, 'POST', api('/access/prospective-grants'), { token: member.officer, body: request }),
      409,
    );
    expect(again.code).toBe('CONFLICT');
    const named = await problem(
      call(h, 'POST', api('/access/prospective-grants'), {
        token: member.officer,
        body: { ...request, caseReference: 'Jane Doe' },
      }),
      400,
    );
    expect(named.issues?.map((i) => i.path)).toEqual(['caseReference']);
    // The lead sees who is looking at the setting it leads.
    const seenByLead = await ok<{ id: string }[]>(
      call(h, 'GET', api(`/access/grants?provisionId=${provision.id}&kind=prospective`), {
        token: lead.viewer,
      }),
    );
    expect(seenByLead.map((g) => g.id)).toContain(prospective.id);

    expect(
      await ok(call(h, 'POST', api(`/access/grants/${prospective.id}/revoke`), { token: member.officer })),
    ).toMatchObject({ id: prospective.id, active: false });
    const active = await ok<{ id: string }[]>(
      call(h, 'GET', api('/access/grants'), { token: member.officer }),
    );
    expect(active.map((g) => g.id)).not.toContain(share.id);
    expect(active.map((g) => g.id)).not.toContain(prospective.id);
    const all = await ok<{ id: string }[]>(
      call(h, 'GET', api('/access/grants?activeOnly=false'), { token: member.officer }),
    );
    expect(all.map((g) => g.id)).toEqual(expect.arrayContaining([share.id, prospective.id]));
  });

  test('gives the hub-admin the monitoring report, and no one else', async ({ h }) => {
    const hubAdmin = await tokenFor(h, hostId, 'hub-admin');
    const report = await ok<{ asOf: string; rows: Json[] }>(
      call(h, 'GET', api('/monitoring/report'), { token: hubAdmin }),
    );
    const row = report.rows.find((r) => r.authorityId === lead.id);
    expect(typeof row?.settingsAllocated).toBe('number');
    await problem(call(h, 'GET', api('/monitoring/report'), { token: lead.officer }), 403);
    expect(await ok(call(h, 'GET', api('/monitoring/overdue'), { token: hubAdmin }))).toBeDefined();
    await problem(call(h, 'GET', api('/monitoring/overdue'), { token: lead.officer }), 403);

    // Every member reads how often each type is monitored; only the hub-admin sets it.
    type Frequency = { type: string; months: number; risk: Record<string, number> };
    const frequencies = await ok<Frequency[]>(
      call(h, 'GET', api('/monitoring/frequencies'), { token: lead.viewer }),
    );
    const home = frequencies.find((f) => f.type === 'childrens-home');
    expect(home?.months).toBeGreaterThan(0);
    const body = { type: 'childrens-home', months: home?.months, risk: { 'manager-changed': 6 } };
    await problem(call(h, 'POST', api('/monitoring/frequencies'), { token: lead.officer, body }), 403);
    const set = await ok<Frequency[]>(
      call(h, 'POST', api('/monitoring/frequencies'), { token: hubAdmin, body }),
    );
    expect(set.find((f) => f.type === 'childrens-home')?.risk['manager-changed']).toBe(6);
  });

  test('lets the hub-admin add and update member authorities', async ({ h }) => {
    const hubAdmin = await tokenFor(h, hostId, 'hub-admin');
    const id = `rest-council-${uniq()}`;
    const body = {
      id,
      name: 'Invented Borough Council',
      region: 'south-east',
      qaInbox: `qa@${id}.example.gov.uk`,
    };
    await problem(call(h, 'POST', api('/authorities'), { token: lead.officer, body }), 403);
    const created = await call(h, 'POST', api('/authorities'), {
      token: hubAdmin,
      body,
      headers: { 'Idempotency-Key': `authority-${randomUUID()}` },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(api(`/authorities/${id}`));
    const authority = created.body as { id: string; version: number };
    expect(authority).toMatchObject({ id, status: 'active', isHost: false });

    const updated = await ok<{ version: number }>(
      call(h, 'PATCH', api(`/authorities/${id}`), {
        token: hubAdmin,
        body: {
          version: authority.version,
          name: 'Invented Borough Council (renamed)',
          gssCode: 'E06000099',
        },
      }),
    );
    expect(updated).toMatchObject({
      name: 'Invented Borough Council (renamed)',
      version: authority.version + 1,
    });
    const stale = await problem(
      call(h, 'PATCH', api(`/authorities/${id}`), {
        token: hubAdmin,
        body: { version: authority.version, status: 'suspended' },
      }),
      409,
    );
    expect(stale.code).toBe('CONFLICT');
    const admin = await tokenFor(h, lead.id, 'admin');
    await problem(
      call(h, 'PATCH', api(`/authorities/${lead.id}`), {
        token: admin,
        body: { version: 1, name: 'Not mine' },
      }),
      403,
    );
  });
});

describe('people and single sign-on over REST', () => {
  test("lets an admin invite, list, re-invite, change the role of and deactivate the authority's people", async ({
    h,
  }) => {
    const admin = await tokenFor(h, placing.id, 'admin');
    const email = `sam.patel.${uniq()}@${placing.id}.example.gov.uk`;
    const invited = await call(h, 'POST', api('/people'), {
      token: admin,
      body: { email: email.toUpperCase(), name: 'Sam Patel', role: 'viewer' },
    });
    expect(invited.status, invited.text).toBe(201);
    const first = invited.body as {
      person: { id: string; email: string; status: string; role: string; authorityId: string };
      invitationUrl: string;
      emailed: boolean;
    };
    expect(first.person).toMatchObject({ email, status: 'invited', role: 'viewer', authorityId: placing.id });
    expect(first.invitationUrl).toMatch(new RegExp(`^${h.baseUrl}/welcome#invitation=[A-Za-z0-9_-]{20,}$`));
    // No mail server in this world; and there is no GET for one person, so no Location.
    expect(first.emailed).toBe(false);
    expect(invited.headers.get('location')).toBeNull();
    const id = first.person.id;

    const listed = await ok<{ id: string; status: string }[]>(
      call(h, 'GET', api('/people?status=invited'), { token: admin }),
    );
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id, status: 'invited' })]));
    expect(JSON.stringify(listed)).not.toContain(first.invitationUrl.split('#')[1]);

    // A new link replaces the first; no body is needed.
    const again = await ok<{ invitationUrl: string; person: { id: string } }>(
      call(h, 'POST', api(`/people/${id}/reinvite`), { token: admin }),
    );
    expect(again.person.id).toBe(id);
    expect(again.invitationUrl).not.toBe(first.invitationUrl);

    const promoted = await ok(
      call(h, 'POST', api(`/people/${id}/role`), { token: admin, body: { role: 'officer' } }),
    );
    expect(promoted).toMatchObject({ id, role: 'officer' });

    // Not above your own role, not for an officer, not another authority's person (404, as if missing).
    const tooHigh = await problem(
      call(h, 'POST', api(`/people/${id}/role`), { token: admin, body: { role: 'hub-admin' } }),
      403,
    );
    expect(tooHigh.code).toBe('FORBIDDEN');
    const officer = await problem(call(h, 'GET', api('/people'), { token: placing.officer }), 403);
    expect(officer.detail).toContain('admin role');
    const otherAdmin = await tokenFor(h, member.id, 'admin');
    await problem(call(h, 'POST', api(`/people/${id}/deactivate`), { token: otherAdmin }), 404);
    const badRole = await problem(
      call(h, 'POST', api(`/people/${id}/role`), { token: admin, body: { role: 'boss' } }),
      400,
    );
    expect(badRole.issues?.[0]?.path).toBe('role');
    const badEmail = await problem(
      call(h, 'POST', api('/people'), {
        token: admin,
        body: { email: 'not an address', name: 'X', role: 'viewer' },
      }),
      400,
    );
    expect(badEmail.issues?.map((i) => i.path)).toContain('email');
    await problem(
      call(h, 'POST', api('/people'), { token: admin, body: { email, name: 'Sam Again', role: 'viewer' } }),
      409,
    );

    const deactivated = await ok(call(h, 'POST', api(`/people/${id}/deactivate`), { token: admin }));
    expect(deactivated).toMatchObject({ id, status: 'deactivated' });
    const gone = await ok<{ id: string }[]>(
      call(h, 'GET', api('/people?status=deactivated'), { token: admin }),
    );
    expect(gone.map((p) => p.id)).toContain(id);
    await problem(call(h, 'POST', api(`/people/${id}/reinvite`), { token: admin }), 409);
  });

  test("lets an admin set, read and remove the authority's single sign-on, the secret never answered", async ({
    h,
  }) => {
    const admin = await tokenFor(h, member.id, 'admin');
    expect(await ok(call(h, 'GET', api('/identity-provider'), { token: admin }))).toBeNull();

    const secret = `oidc-secret-${uniq()}`;
    const issuer = 'https://login.example.test/tenant/v2.0';
    const body = {
      issuer,
      clientId: 'ccx-hub',
      clientSecret: secret,
      allowedDomains: [`${member.id}.example.gov.uk`],
      createUnknown: true,
      defaultRole: 'officer',
    };
    const set = await call(h, 'POST', api('/identity-provider'), { token: admin, body });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({
      authorityId: member.id,
      issuer,
      clientId: 'ccx-hub',
      clientSecretSet: true,
      createUnknown: true,
      defaultRole: 'officer',
      redirectUri: `${h.baseUrl}/auth/sso/callback`,
    });
    expect(set.text).not.toContain(secret);
    const read = await call(h, 'GET', api('/identity-provider'), { token: admin });
    expect(read.body).toMatchObject({ issuer, clientSecretSet: true });
    expect(read.text).not.toContain(secret);

    // Without clientSecret the stored one is kept.
    const { clientSecret: _kept, ...withoutSecret } = body;
    const changed = await ok(
      call(h, 'POST', api('/identity-provider'), {
        token: admin,
        body: { ...withoutSecret, createUnknown: false, defaultRole: 'viewer' },
      }),
    );
    expect(changed).toMatchObject({ clientSecretSet: true, createUnknown: false, defaultRole: 'viewer' });

    // An officer may not; nor may an admin configure another authority's; an admin role is no default.
    await problem(call(h, 'GET', api('/identity-provider'), { token: member.officer }), 403);
    await problem(call(h, 'GET', api(`/identity-provider?authorityId=${lead.id}`), { token: admin }), 403);
    const badRole = await problem(
      call(h, 'POST', api('/identity-provider'), { token: admin, body: { ...body, defaultRole: 'admin' } }),
      400,
    );
    expect(badRole.issues?.[0]?.path).toBe('defaultRole');
    const badDomain = await problem(
      call(h, 'POST', api('/identity-provider'), {
        token: admin,
        body: { ...body, allowedDomains: ['not a domain'] },
      }),
      400,
    );
    expect(badDomain.issues?.[0]?.path).toMatch(/^allowedDomains/);

    // No body is needed to remove it; a second remove removes nothing.
    expect(await ok(call(h, 'POST', api('/identity-provider/remove'), { token: admin }))).toEqual({
      removed: true,
    });
    expect(await ok(call(h, 'POST', api('/identity-provider/remove'), { token: admin, body: {} }))).toEqual({
      removed: false,
    });
    expect(await ok(call(h, 'GET', api('/identity-provider'), { token: admin }))).toBeNull();
  });

  test("lists and ends a person's own sessions with the session cookie, only from the hub's own pages", async ({
    h,
  }) => {
    const { cookie } = await h.makePerson(lead.id, 'officer');
    const fromHub = { cookie, origin: new URL(h.baseUrl).origin, 'x-ccx-csrf': '1' };
    const sessions = await ok<{ handle: string; current: boolean }[]>(
      call(h, 'GET', api('/me/sessions'), { headers: { cookie } }),
    );
    expect(sessions).toEqual([expect.objectContaining({ current: true })]);
    const handle = sessions[0]!.handle;

    // A state-changing call with a session but without the hub's Origin and header: refused, and nothing ends.
    const bare = await problem(
      call(h, 'POST', api(`/me/sessions/${handle}/end`), { headers: { cookie } }),
      403,
    );
    expect(bare).toMatchObject({ code: 'FORBIDDEN' });
    expect(bare.detail).toContain('Origin');
    const otherSite = await problem(
      call(h, 'POST', api(`/me/sessions/${handle}/end`), {
        headers: { ...fromHub, origin: 'https://evil.example' },
      }),
      403,
    );
    expect(otherSite.detail).toContain('https://evil.example');
    const noHeader = await problem(
      call(h, 'POST', api(`/me/sessions/${handle}/end`), {
        headers: { cookie, origin: new URL(h.baseUrl).origin },
      }),
      403,
    );
    expect(noHeader.detail).toContain('x-ccx-csrf');
    expect(await ok<unknown[]>(call(h, 'GET', api('/me/sessions'), { headers: { cookie } }))).toHaveLength(1);

    // An API client has no sessions of its own.
    await problem(call(h, 'GET', api('/me/sessions'), { token: lead.officer }), 403);

    expect(await ok(call(h, 'POST', api(`/me/sessions/${handle}/end`), { headers: fromHub }))).toEqual({
      ended: 1,
    });
    // That was this session: the cookie no longer signs in.
    const ended = await problem(call(h, 'GET', api('/me/sessions'), { headers: { cookie } }), 401);
    expect(ended.detail).toContain('session has ended');
  });
});

describe('REST refusals as problems', () => {
  test('takes a `__proto__` key in a body as a plain unknown field, never as the input prototype', async ({
    h,
  }) => {
    const refused = await problem(
      call(h, 'POST', api('/providers'), {
        token: lead.officer,
        headers: { 'content-type': 'application/json' },
        rawBody: '{"__proto__":{"companyNumber":"12345678"},"name":"Proto Care Ltd"}',
      }),
      400,
    );
    expect(refused.issues).toEqual([
      { path: '__proto__', message: 'unknown field "__proto__"', code: 'unrecognized_keys' },
    ]);
    const found = await ok<{ items: Json[] }>(
      call(h, 'GET', api('/providers?q=Proto%20Care'), { token: lead.officer }),
    );
    expect(found.items).toEqual([]);
  });

  test('refuses bad input field by field with 400, never a 500', async ({ h }) => {
    const bad = await problem(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        body: {
          provisionId: provision.id,
          activityType: 'site-visit',
          activityDate: 'yesterday',
          overallRating: 9,
        },
      }),
      400,
    );
    expect(bad).toMatchObject({ type: '/problems/bad-request', title: 'Bad Request', code: 'BAD_REQUEST' });
    expect(bad.issues?.map((i) => i.path)).toEqual(
      expect.arrayContaining(['activityType', 'activityDate', 'overallRating', 'summary']),
    );
    const described = await ok<{ status: number; title: string }>(call(h, 'GET', bad.type));
    expect(described).toMatchObject({ status: 400, title: 'Bad Request' });

    const notInteger = await problem(
      call(h, 'GET', api('/provisions?limit=lots'), { token: member.officer }),
      400,
    );
    expect(notInteger.issues?.map((i) => i.path)).toEqual(['limit']);
    const tooMany = await problem(
      call(h, 'GET', api('/provisions?limit=100000'), { token: member.officer }),
      400,
    );
    expect(tooMany.issues?.[0]?.path).toBe('limit');
    const unknown = await problem(
      call(h, 'GET', api('/provisions?colour=blue'), { token: member.officer }),
      400,
    );
    expect(unknown.issues).toEqual([
      { path: 'colour', message: 'unknown query parameter "colour"', code: 'custom' },
    ]);
    const notBoolean = await problem(
      call(h, 'GET', api('/placements?includeEnded=perhaps'), { token: member.officer }),
      400,
    );
    expect(notBoolean.issues?.[0]?.path).toBe('includeEnded');
    const badId = await problem(call(h, 'GET', api('/outcomes/not-an-id'), { token: member.officer }), 400);
    expect(badId.issues?.[0]?.path).toBe('id');
    const neither = await problem(call(h, 'GET', api('/checks/placement'), { token: member.officer }), 400);
    expect(neither.code).toBe('BAD_REQUEST');

    const notJson = await problem(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        rawBody: '{"provisionId": ',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );
    expect(notJson.detail).toContain('not valid JSON');
    const notObject = await problem(
      call(h, 'POST', api('/outcomes'), { token: lead.officer, body: [1, 2] }),
      400,
    );
    expect(notObject.issues?.[0]).toMatchObject({
      path: '(input)',
      message: 'the body must be a JSON object',
    });
    const wrongType = await problem(
      call(h, 'POST', api('/outcomes'), {
        token: lead.officer,
        rawBody: 'provisionId=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expect(wrongType.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const idMismatch = await problem(
      call(h, 'POST', api(`/outcomes/${randomUUID()}/publish`), {
        token: lead.officer,
        body: { id: randomUUID(), version: 1 },
      }),
      400,
    );
    expect(idMismatch.issues?.[0]?.path).toBe('id');
    const keyMismatch = await problem(
      call(h, 'POST', api('/placements'), {
        token: placing.officer,
        body: { provisionId: provision.id, children: 1, idempotencyKey: 'body-key-123' },
        headers: { 'Idempotency-Key': 'header-key-456' },
      }),
      400,
    );
    expect(keyMismatch.issues?.[0]?.path).toBe('idempotencyKey');
    const badKey = await problem(
      call(h, 'POST', api('/placements'), {
        token: placing.officer,
        body: { provisionId: provision.id, children: 1 },
        headers: { 'Idempotency-Key': 'short' },
      }),
      400,
    );
    expect(badKey.issues?.[0]?.path).toBe('idempotencyKey');

    const tooLarge = await problem(
      call(h, 'POST', api('/checks/placement/batch'), {
        token: placing.officer,
        body: { items: Array.from({ length: 3000 }, () => ({ provisionId: randomUUID() })) },
      }),
      413,
    );
    expect(tooLarge.code).toBe('PAYLOAD_TOO_LARGE');
    const tooManyItems = await problem(
      call(h, 'POST', api('/checks/placement/batch'), {
        token: placing.officer,
        body: { items: Array.from({ length: 501 }, () => ({ urn: 'SC000001' })) },
      }),
      400,
    );
    expect(tooManyItems.issues?.[0]?.path).toBe('items');
  });

  test('answers 401 with WWW-Authenticate without a valid token, and 403 for a role that may not write', async ({
    h,
  }) => {
    const none = await problem(call(h, 'GET', api(`/checks/placement?provisionId=${provision.id}`)), 401);
    expect(none.code).toBe('UNAUTHORIZED');
    expect(none.answer.headers.get('www-authenticate')).toBe('Bearer realm="ccx"');
    const forged = await problem(
      call(h, 'GET', api('/authorities/me'), { token: 'eyJhbGciOiJub25lIn0.e30.' }),
      401,
    );
    expect(forged.answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="ccx", error="invalid_token", error_description="the access token is not valid"',
    );
    expect(forged.detail).toBe('the access token is not valid');
    const noTokenWrite = await problem(
      call(h, 'POST', api('/placements'), { body: { provisionId: provision.id, children: 1 } }),
      401,
    );
    expect(noTokenWrite.code).toBe('UNAUTHORIZED');
    // Readable input is checked only after the token: no field-by-field answer for a caller without one.
    const noTokenBadFields = await problem(
      call(h, 'POST', api('/outcomes'), { body: { overallRating: 9 } }),
      401,
    );
    expect(noTokenBadFields.issues).toBeUndefined();

    const viewer = await problem(
      call(h, 'POST', api('/restrictions'), {
        token: lead.viewer,
        body: {
          provisionId: provision.id,
          kind: 'action-plan',
          reasons: [{ category: 'quality', text: 'x' }],
        },
      }),
      403,
    );
    expect(viewer.detail).toContain('officer role');
  });

  test('answers unknown routes with a 404 problem and other methods with 405 and Allow', async ({ h }) => {
    const nowhere = await problem(call(h, 'GET', api('/nowhere'), { token: member.officer }), 404);
    expect(nowhere).toMatchObject({ code: 'NOT_FOUND', type: '/problems/not-found' });
    await problem(call(h, 'GET', '/api/v2/provisions'), 404);

    const wrongMethod = await problem(
      call(h, 'DELETE', api(`/provisions/${provision.id}`), { token: member.officer }),
      405,
    );
    expect(wrongMethod.code).toBe('METHOD_NOT_SUPPORTED');
    expect(wrongMethod.answer.headers.get('allow')).toBe('GET, PATCH, HEAD, OPTIONS');
    const getOnPost = await problem(
      call(h, 'GET', api('/placements/import'), { token: member.officer }),
      405,
    );
    expect(getOnPost.answer.headers.get('allow')).toBe('POST, OPTIONS');
    const options = await fetch(`${h.baseUrl}${api('/restrictions')}`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    await problem(call(h, 'GET', '/problems/no-such-problem'), 404);
  });

  test('answers a real fault with 500 and only "internal error" and the request id', async ({ h }) => {
    // Renaming a table is the owner's right, not the hub's (on PostgreSQL the hub has a role of its own).
    const db = ownerDbOf(h.hub.database.db);
    await db.execute(sql`alter table provisions rename to provisions_gone`);
    let fault: Awaited<ReturnType<typeof problem>>;
    try {
      fault = await problem(
        call(h, 'GET', api('/provisions?q=anything'), {
          token: member.officer,
          headers: { 'x-request-id': 'boom-rest-500.test' },
        }),
        500,
      );
    } finally {
      await db.execute(sql`alter table provisions_gone rename to provisions`);
    }
    expect(fault).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      detail: 'internal error (request id boom-rest-500.test)',
      requestId: 'boom-rest-500.test',
    });
    expect(fault.answer.text).not.toMatch(/provisions_gone|select|stack|at .*:\d+:\d+/i);
  });

  test('checked every answer of this file against the document, and every operation at least once', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.filter((op) => !checkedOperations.has(op))).toEqual([]);
    expect(answersChecked).toBeGreaterThan(operations.length);
  });
});
