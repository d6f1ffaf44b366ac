// Resource limits (OWASP API4:2023, ASVS V13.1.3 / V5.1.4), generated from the router: every string,
// array and number in every procedure's input must be bounded, and every bound is tried at its edge
// over real HTTP — the largest value the contract allows is not refused for its size, one more is a
// 400 naming the field. Then what a council's tool meets at those edges: the longest free text is kept
// whole, pages stop at their size, a shortlist or an import one past its limit changes and audits
// nothing. Body size and tRPC batch size: test/http/errors.test.ts; request rate: rate-limit.test.ts.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { PAGE_SIZE, PLACEMENT_IMPORT_MAX_ROWS, PLACEMENT_MANY_MAX, TEXT_LIMITS } from '@ccx/schema';
import { appRouter } from '@ccx/server';
import { REST_PREFIX } from '@ccx/server/testing';
import { readAnswer, httpTest as test, type HttpAnswer, type HttpHarness } from '../support/http.js';
import { insertProvisions, makeMember, queryRows, uniq, type Member } from '../support/harness.js';
import {
  asSchema,
  listProcedures,
  MAX_GET_URL,
  type JsonSchema,
  type ProcedureInfo as Procedure,
} from './fuzz-arbitraries.js';

// ---------------------------------------------------------------------------------------------------
// The bounds, from the router's own contracts.

const PROCEDURES = listProcedures(appRouter._def.procedures);

type BoundKind = 'length' | 'items' | 'maximum';
type Bound = {
  procedure: Procedure;
  /** Dotted, as the hub names a field in its issues (`actionItems.0.description`). */
  field: string;
  kind: BoundKind;
  max: number;
  schema: JsonSchema;
  /** The whole input around a value at this field (discriminators of unions filled in). */
  wrap: (value: unknown) => unknown;
};

/** A pattern bounds a string's length when it is anchored and repeats nothing without an upper bound. */
const patternBoundsLength = (pattern: unknown): boolean =>
  typeof pattern === 'string' &&
  pattern.startsWith('^') &&
  pattern.endsWith('$') &&
  !/(?<!\\)[*+]|\{\d+,\}/.test(pattern.replace(/\\\\/g, ''));

/** The properties of an object schema fixed to one value: the discriminators of a union's branches. */
const fixedPropertiesOf = (s: JsonSchema): Record<string, unknown> => {
  const fixed: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(asSchema(s.properties))) {
    const p = asSchema(sub);
    if ('const' in p) fixed[name] = p.const;
    else if (Array.isArray(p.enum) && p.enum.length === 1) fixed[name] = p.enum[0];
  }
  return fixed;
};

/** Walks one input schema; collects its bounds, and every place that has none. */
const walk = (
  procedure: Procedure,
  schema: unknown,
  field: string[],
  wrap: (value: unknown) => unknown,
  bounds: Map<string, Bound>,
  unbounded: string[],
): void => {
  const s = asSchema(schema);
  const at = field.join('.');
  const where = `${procedure.path} ${at || '(input)'}`;
  const add = (kind: BoundKind, max: number) => {
    const key = `${procedure.path} ${at} ${kind}`;
    if (!bounds.has(key)) bounds.set(key, { procedure, field: at, kind, max, schema: s, wrap });
  };
  for (const branch of [...((s.anyOf ?? s.oneOf ?? []) as unknown[]), ...((s.allOf ?? []) as unknown[])])
    walk(procedure, branch, field, wrap, bounds, unbounded);
  switch (s.type) {
    case 'string':
      if (typeof s.maxLength === 'number') add('length', s.maxLength);
      else if (!('const' in s) && !Array.isArray(s.enum) && !patternBoundsLength(s.pattern))
        unbounded.push(`${where}: a string with no maximum length`);
      break;
    case 'array':
      if (typeof s.maxItems === 'number') add('items', s.maxItems);
      else unbounded.push(`${where}: an array with no maximum number of items`);
      walk(procedure, s.items, [...field, '0'], (v) => wrap([v]), bounds, unbounded);
      break;
    case 'integer':
    case 'number':
      if (typeof s.maximum === 'number') add('maximum', s.maximum);
      // A number fixed to one or a few values (a literal such as a concern level of 1 or 2) has its bound.
      else if (!('const' in s) && !Array.isArray(s.enum))
        unbounded.push(`${where}: a number with no maximum`);
      break;
    case 'object': {
      const fixed = fixedPropertiesOf(s);
      for (const [name, sub] of Object.entries(asSchema(s.properties)))
        walk(procedure, sub, [...field, name], (v) => wrap({ ...fixed, [name]: v }), bounds, unbounded);
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        unbounded.push(`${where}: an object with open-ended keys`);
      break;
    }
  }
};

const bounds = new Map<string, Bound>();
const unbounded: string[] = [];
for (const p of PROCEDURES) if (p.schema) walk(p, p.schema, [], (v) => v, bounds, unbounded);
const BOUNDS = [...bounds.values()];
const HTTP_BOUNDS = BOUNDS.filter((b) => b.procedure.type !== 'subscription');
const LIVE_BOUNDS = BOUNDS.filter((b) => b.procedure.type === 'subscription');

/** The longest string the bound allows (and one more), of a kind the field's format or pattern accepts. */
const stringsAt = (b: Bound): { edge: string; over: string } => {
  const n = b.max;
  if (b.schema.format === 'email') {
    const domain = '@example.gov.uk';
    const local = (k: number) => 'a'.repeat(k - domain.length);
    return { edge: `${local(n)}${domain}`, over: `${local(n + 1)}${domain}` };
  }
  if (b.schema.format === 'uri') {
    const base = 'https://receiver.example.org/';
    return { edge: base.padEnd(n, 'a'), over: base.padEnd(n + 1, 'a') };
  }
  // Plain text in a two-byte letter, so that a limit counted in bytes rather than characters shows.
  const letter = typeof b.schema.pattern === 'string' ? 'a' : 'é';
  return { edge: letter.repeat(n), over: letter.repeat(n + 1) };
};

const valuesAt = (b: Bound): { edge: unknown; over: unknown } => {
  switch (b.kind) {
    case 'length':
      return stringsAt(b);
    case 'items':
      // The items need not be valid: the number of them is refused on its own.
      return {
        edge: Array.from({ length: b.max }, () => null),
        over: Array.from({ length: b.max + 1 }, () => null),
      };
    case 'maximum':
      return { edge: b.max, over: b.max + 1 };
  }
};

// ---------------------------------------------------------------------------------------------------
// The world and the wire.

let hubAdminToken: string;
let council: Member;
let councilToken: string;
let requests = 0;
const statuses = new Map<number, number>();

type Issue = { path: string; message: string; code?: string };
type TrpcError = { error: { message: string; data: { code: string; httpStatus: number; issues?: Issue[] } } };

let personCookie: string;

const send = async (
  h: HttpHarness,
  url: string,
  init: RequestInit & { token: string },
): Promise<HttpAnswer> => {
  const { token, ...rest } = init;
  // A person's own calls (auth.*) are made with a session, as the hub's own pages make them; every
  // other call with the token.
  const asPerson = url.startsWith('/trpc/auth.') || url.startsWith('/trpc/passkeys.');
  const res = await fetch(`${h.baseUrl}${url}`, {
    ...rest,
    headers: {
      ...(asPerson
        ? { cookie: personCookie, origin: new URL(h.baseUrl).origin, 'x-ccx-csrf': '1' }
        : { authorization: `Bearer ${token}` }),
      ...(rest.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  const answer = await readAnswer(res);
  requests++;
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  return answer;
};

/** A tRPC call over HTTP: a query by GET (POST when it would not fit a URL), a mutation by POST. */
const call = (
  h: HttpHarness,
  procedure: Procedure | string,
  input: unknown,
  token = hubAdminToken,
): Promise<HttpAnswer> => {
  const p = typeof procedure === 'string' ? PROCEDURES.find((x) => x.path === procedure)! : procedure;
  const body = JSON.stringify(input);
  const url = `/trpc/${p.path}?input=${encodeURIComponent(body)}`;
  if (p.type === 'mutation' || url.length > MAX_GET_URL)
    return send(h, `/trpc/${p.path}`, { method: 'POST', body, token });
  return send(h, url, { token });
};

const issuesOf = (a: HttpAnswer): Issue[] => (a.body as TrpcError | undefined)?.error?.data?.issues ?? [];
const dataOf = <T>(a: HttpAnswer): T => {
  expect(a.status, a.text.slice(0, 500)).toBe(200);
  return (a.body as { result: { data: T } }).result.data;
};
const countRows = async (h: HttpHarness, query: ReturnType<typeof sql>): Promise<number> => {
  const [row] = await queryRows<{ n: number }>(h.db, query);
  return Number(row?.n ?? 0);
};

test.beforeAll(async ({ h }) => {
  hubAdminToken = (await h.hub.tokens.issue(h.hubAdmin)).token;
  personCookie = (await h.makePerson(h.hostAuthorityId, 'hub-admin')).cookie;
  council = await makeMember(h, 'limits');
  councilToken = (await h.hub.tokens.issue(council.officer)).token;
});

// ---------------------------------------------------------------------------------------------------

describe('every input of every procedure is bounded', () => {
  test('found the procedures and their bounds in the router', () => {
    expect(PROCEDURES.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(BOUNDS.map((b) => b.kind));
    expect([...kinds].sort()).toEqual(['items', 'length', 'maximum']);
    expect(BOUNDS.length).toBeGreaterThan(100);
  });

  test('has no string, array or number without a maximum, and no open-ended object', () => {
    // A new field without a limit fails here: give it .max(), or a pattern of bounded length.
    expect(unbounded).toEqual([]);
  });

  test('tells a pattern of bounded length from one that is not', () => {
    expect(patternBoundsLength('^(?:SC\\d{6}|\\d{6,7})$')).toBe(true);
    expect(patternBoundsLength('^\\d{1,18}$')).toBe(true);
    expect(patternBoundsLength('^[A-Za-z0-9._:-]+$')).toBe(false);
    expect(patternBoundsLength('^a*$')).toBe(false);
    expect(patternBoundsLength('^\\d{3,}$')).toBe(false);
    expect(patternBoundsLength('\\d{3}')).toBe(false);
  });

  test('tells a number fixed to its values from one with no maximum', () => {
    const unboundedIn = (schema: JsonSchema): string[] => {
      const found: string[] = [];
      const probe: Procedure = { path: 'probe', type: 'query', schema, parser: null };
      walk(probe, schema, [], (v) => v, new Map(), found);
      return found;
    };
    const literals = {
      anyOf: [
        { type: 'number', const: 1 },
        { type: 'number', const: 2 },
      ],
    };
    expect(unboundedIn({ type: 'object', properties: { level: literals } })).toEqual([]);
    expect(unboundedIn({ type: 'object', properties: { level: { type: 'integer', enum: [1, 2] } } })).toEqual(
      [],
    );
    expect(unboundedIn({ type: 'object', properties: { level: { type: 'integer', minimum: 1 } } })).toEqual([
      'probe level: a number with no maximum',
    ]);
  });
});

describe('every bound, at its edge and one past it, over HTTP', () => {
  test.for(HTTP_BOUNDS.map((b) => [`${b.procedure.path} ${b.field} (${b.kind} ${b.max})`, b] as const))(
    '%s',
    async ([, b], { h }) => {
      const { edge, over } = valuesAt(b);

      const refused = await call(h, b.procedure, b.wrap(over));
      expect(refused.status, refused.text.slice(0, 400)).toBe(400);
      const issue = issuesOf(refused).find((i) => i.path === b.field && i.code === 'too_big');
      expect(
        issue,
        `no too_big issue at ${b.field}: ${JSON.stringify(issuesOf(refused)).slice(0, 400)}`,
      ).toBeDefined();
      expect(issue!.message).toContain(String(b.max));

      const allowed = await call(h, b.procedure, b.wrap(edge));
      expect(allowed.status, allowed.text.slice(0, 400)).toBeLessThan(500);
      const atField = issuesOf(allowed).filter((i) => i.path === b.field);
      expect(atField, `the edge value of ${b.field} was refused`).toEqual([]);
    },
  );

  // The live subscription validates its input before it opens the stream; its contract is checked
  // directly, as the stream has no status code to look at once it has opened.
  test.for(LIVE_BOUNDS.map((b) => [`${b.procedure.path} ${b.field} (${b.kind} ${b.max})`, b] as const))(
    '%s (contract)',
    ([, b]) => {
      const parser = b.procedure.parser!;
      const { edge, over } = valuesAt(b);
      const tooBig = parser.safeParse(b.wrap(over)).error?.issues ?? [];
      expect(tooBig.some((i) => i.path.join('.') === b.field && i.code === 'too_big')).toBe(true);
      const fine = parser.safeParse(b.wrap(edge)).error?.issues ?? [];
      expect(fine.filter((i) => i.path.join('.') === b.field)).toEqual([]);
    },
  );
});

describe('at the edges a council meets', () => {
  test(`keeps free text of exactly ${TEXT_LIMITS.long.toLocaleString('en-GB')} characters whole, and stores nothing one character longer`, async ({
    h,
  }) => {
    const provision = await h.makeProvision({ hostAuthorityId: council.id });
    const input = (findings: string) => ({
      provisionId: provision.id,
      activityType: 'desk-review',
      activityDate: '2026-06-01',
      overallRating: 2,
      summary: 'ü'.repeat(TEXT_LIMITS.long / 4),
      findings,
    });
    const drafts = () =>
      countRows(h, sql`select count(*)::int as n from outcomes where provision_id = ${provision.id}`);

    // Every character two bytes in UTF-8, one with a combining accent: characters are counted, not bytes.
    const longest = `${'é'.repeat(TEXT_LIMITS.long - 2)}e\u0301`;
    expect(longest).toHaveLength(TEXT_LIMITS.long);
    const created = dataOf<{ id: string; layer: string }>(
      await call(h, 'outcomes.create', input(longest), councilToken),
    );
    const read = dataOf<{ layer: string; findings: string; summary: string }>(
      await call(h, 'outcomes.get', { id: created.id }, councilToken),
    );
    expect(read.layer).toBe('detail');
    expect(read.findings).toBe(longest);
    expect(read.summary).toHaveLength(TEXT_LIMITS.long / 4);
    expect(await drafts()).toBe(1);

    const refused = await call(h, 'outcomes.create', input(`${longest}x`), councilToken);
    expect(refused.status).toBe(400);
    expect(issuesOf(refused).map((i) => i.path)).toEqual(['findings']);
    expect(await drafts()).toBe(1);
  });

  test(`pages a list at ${PAGE_SIZE.default} by default and at most ${PAGE_SIZE.max}, and the pages hold every record once`, async ({
    h,
  }) => {
    const tag = `Paged ${uniq()}`;
    const provider = await h.makeProvider({ name: `${tag} provider` });
    const total = PAGE_SIZE.max + 31;
    await insertProvisions(h.hub.database.db, {
      count: total,
      providerId: provider.id,
      hostAuthorityId: council.id,
      urnPrefix: '91',
      namePrefix: tag,
    });
    type Page = { items: { id: string }[]; nextCursor: string | null };
    const first = dataOf<Page>(await call(h, 'provisions.search', { q: tag }, councilToken));
    expect(first.items).toHaveLength(PAGE_SIZE.default);
    expect(first.nextCursor).not.toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = dataOf<Page>(
        await call(
          h,
          'provisions.search',
          { q: tag, limit: PAGE_SIZE.max, ...(cursor ? { cursor } : {}) },
          councilToken,
        ),
      );
      expect(page.items.length).toBeLessThanOrEqual(PAGE_SIZE.max);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toHaveLength(total);

    const refused = await call(h, 'provisions.search', { q: tag, limit: PAGE_SIZE.max + 1 }, councilToken);
    expect(refused.status).toBe(400);
    expect(issuesOf(refused).map((i) => i.path)).toEqual(['limit']);

    // REST reads the page size from the query string, with the same bound and a problem document.
    const rest = await send(
      h,
      `${REST_PREFIX}/provisions?q=${encodeURIComponent(tag)}&limit=${PAGE_SIZE.max + 1}`,
      {
        token: councilToken,
      },
    );
    expect(rest.status).toBe(400);
    expect(rest.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((rest.body as { issues: Issue[] }).issues.map((i) => i.path)).toEqual(['limit']);
    const restPage = await send(
      h,
      `${REST_PREFIX}/provisions?q=${encodeURIComponent(tag)}&limit=${PAGE_SIZE.max}`,
      {
        token: councilToken,
      },
    );
    expect(restPage.status).toBe(200);
    expect((restPage.body as Page).items).toHaveLength(PAGE_SIZE.max);
  });

  test(`checks a shortlist of ${PLACEMENT_MANY_MAX}, and refuses ${PLACEMENT_MANY_MAX + 1} without checking or auditing any`, async ({
    h,
  }) => {
    const provider = await h.makeProvider();
    const settings = await insertProvisions(h.hub.database.db, {
      count: PLACEMENT_MANY_MAX + 1,
      providerId: provider.id,
      hostAuthorityId: h.hostAuthorityId,
      urnPrefix: '81',
      namePrefix: `Shortlisted ${uniq()}`,
    });
    const items = settings.map((s) => ({ provisionId: s.id }));
    const audited = () =>
      countRows(
        h,
        sql`select count(*)::int as n from audit_log where authority_id = ${council.id} and action like 'check%'`,
      );

    const before = await audited();
    const checked = dataOf<{ results: { ok: boolean }[] }>(
      await call(h, 'checks.placementMany', { items: items.slice(0, PLACEMENT_MANY_MAX) }, councilToken),
    );
    expect(checked.results).toHaveLength(PLACEMENT_MANY_MAX);
    expect(checked.results.every((c) => c.ok)).toBe(true);
    const afterOne = await audited();
    expect(afterOne).toBeGreaterThan(before);

    const refused = await call(h, 'checks.placementMany', { items }, councilToken);
    expect(refused.status).toBe(400);
    expect(issuesOf(refused)).toEqual([
      expect.objectContaining({
        path: 'items',
        message: `at most ${PLACEMENT_MANY_MAX} provisions per call`,
      }),
    ]);
    const rest = await send(h, `${REST_PREFIX}/checks/placement/batch`, {
      method: 'POST',
      body: JSON.stringify({ items }),
      token: councilToken,
    });
    expect(rest.status).toBe(400);
    expect(rest.text).toContain(`at most ${PLACEMENT_MANY_MAX} provisions per call`);
    expect(await audited()).toBe(afterOne);
  });

  test(`refuses an import of ${PLACEMENT_IMPORT_MAX_ROWS + 1} rows whole: no declaration made or ended`, async ({
    h,
  }) => {
    const provision = await h.makeProvision();
    dataOf(
      await call(
        h,
        'placements.declare',
        { provisionId: provision.id, children: 1, fromDate: '2026-01-01' },
        councilToken,
      ),
    );
    const open = () =>
      countRows(
        h,
        sql`select count(*)::int as n from placements where authority_id = ${council.id} and ended_on is null`,
      );
    expect(await open()).toBe(1);
    const rows = Array.from({ length: PLACEMENT_IMPORT_MAX_ROWS + 1 }, () => ({
      provisionId: randomUUID(),
      children: 1,
      fromDate: '2026-04-01',
    }));
    const refused = await call(h, 'placements.import', { rows, endMissing: true }, councilToken);
    expect(refused.status).toBe(400);
    expect(issuesOf(refused)).toEqual([
      expect.objectContaining({
        path: 'rows',
        message: `at most ${PLACEMENT_IMPORT_MAX_ROWS} rows per import`,
      }),
    ]);
    // endMissing would have ended the open declaration had any of the import run.
    expect(await open()).toBe(1);
  });

  test('answered every request of this file with a success or a client error', () => {
    expect(requests).toBeGreaterThanOrEqual(2 * HTTP_BOUNDS.length);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    console.info(
      `resource limits: ${PROCEDURES.length} procedures, ${BOUNDS.length} bounds (${BOUNDS.filter((b) => b.kind === 'length').length} lengths, ${BOUNDS.filter((b) => b.kind === 'items').length} item counts, ${BOUNDS.filter((b) => b.kind === 'maximum').length} maxima) tried at the edge and one past it; ${requests} requests: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`,
    );
  });
});
