// Shared pieces of the security suite: the router's procedures with their input contracts read as
// JSON Schema (so a new procedure or field is picked up without editing a list), calls by dotted
// path, whole-database snapshots to prove a refused write changed nothing, and the need-to-know world
// the object-level suite attacks — records at every layer, and other authorities' own things.
import { randomBytes, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Role } from '@ccx/schema';
import { appRouter, type Db, type Principal } from '@ccx/server';
import { decideRecord, policyRecordFor, type Decision } from '@ccx/server/testing';
import { sequenceEvents } from '@ccx/server/testing';
import { queryRows, uniq, type Caller, type Harness } from '../support/harness.js';

/** The fixed instant both suites judge at: dates below are before it, grants expire after it. */
export const NOW = '2026-06-15T10:00:00Z';

// ---------------------------------------------------------------------------------------------
// The router, read as data

export type JsonSchema = { [key: string]: unknown };
export type ProcedureType = 'query' | 'mutation' | 'subscription';
export type ProcedureInfo = {
  path: string;
  type: ProcedureType;
  input: z.ZodType | undefined;
  /** The input contract as the caller writes it (defaults make fields optional). */
  schema: JsonSchema | undefined;
};

type RawProcedure = { _def: { type?: unknown; inputs?: unknown } };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every procedure of the app router, by dotted path, with its zod input and that input as JSON Schema. */
export const PROCEDURES: ProcedureInfo[] = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, RawProcedure> }).procedures,
)
  .map(([path, p]): ProcedureInfo => {
    const inputs = Array.isArray(p._def.inputs) ? (p._def.inputs as unknown[]) : [];
    // A chain of inputs would merge several contracts; none of ours does, and the walk below reads one.
    if (inputs.length > 1) throw new Error(`${path} chains ${inputs.length} inputs`);
    const input = inputs[0] instanceof z.ZodType ? inputs[0] : undefined;
    const type = p._def.type;
    if (type !== 'query' && type !== 'mutation' && type !== 'subscription')
      throw new Error(`${path} has an unknown procedure type ${String(type)}`);
    return {
      path,
      type,
      input,
      schema: input ? z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) : undefined,
    };
  })
  .sort((a, b) => a.path.localeCompare(b.path));

export const procedure = (path: string): ProcedureInfo => {
  const found = PROCEDURES.find((p) => p.path === path);
  if (!found) throw new Error(`no procedure ${path}`);
  return found;
};

/** One field of an input contract, at any depth: `changes.summary`, `rows[].provisionId`. */
export type InputField = { path: string; key: string; schema: JsonSchema };

/** The property sets an object node of a JSON Schema allows, looking through unions and intersections. */
const branchesOf = (node: JsonSchema): JsonSchema[] =>
  ['anyOf', 'oneOf', 'allOf'].flatMap((k) =>
    Array.isArray(node[k]) ? (node[k] as unknown[]).filter(isObject) : [],
  );

/** Every field an input contract names, at any depth (through objects, arrays and unions). */
export const inputFields = (schema: JsonSchema | undefined): InputField[] => {
  const found = new Map<string, InputField>();
  const visit = (node: unknown, at: string) => {
    if (!isObject(node)) return;
    if (isObject(node.properties)) {
      for (const [key, s] of Object.entries(node.properties)) {
        if (!isObject(s)) continue;
        const path = at ? `${at}.${key}` : key;
        if (!found.has(path)) found.set(path, { path, key, schema: s });
        visit(s, path);
      }
    }
    if (isObject(node.items)) visit(node.items, `${at}[]`);
    for (const branch of branchesOf(node)) visit(branch, at);
  };
  visit(schema, '');
  return [...found.values()];
};

/** The property names an object node allows (every branch of a union counted). */
export const propertyNames = (node: JsonSchema): Set<string> => {
  const names = new Set<string>(isObject(node.properties) ? Object.keys(node.properties) : []);
  for (const branch of branchesOf(node)) for (const n of propertyNames(branch)) names.add(n);
  return names;
};

/**
 * A field that names a record or another authority's thing: a UUID, or a name that says it is an id
 * (`id`, `provisionId`, `grantId`, `provisionIds`, `lastEventId`, `authorityId`, `urn`…).
 */
export const isIdField = (f: InputField): boolean => {
  const items = isObject(f.schema.items) ? f.schema.items : undefined;
  return (
    f.key === 'id' ||
    f.key === 'urn' ||
    /Ids?$/.test(f.key) ||
    f.schema.format === 'uuid' ||
    items?.format === 'uuid'
  );
};

/** Calls a procedure by its dotted path through a caller's proxy. */
export const callPath = (caller: Caller, path: string, input: unknown): Promise<unknown> => {
  let target: unknown = caller;
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  return (target as (input: unknown) => Promise<unknown>)(input);
};

/** How a call ended: its result, or the tRPC code and message it failed with. */
export type Settled = { ok: true; value: unknown } | { ok: false; code: string; message: string };

export const settle = async (call: Promise<unknown>): Promise<Settled> => {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (err instanceof TRPCError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'THROWN', message: String(err) };
  }
};

export const describeSettled = (s: Settled): string =>
  s.ok ? 'OK' : `${s.code} "${s.message.length > 160 ? `${s.message.slice(0, 160)}…` : s.message}"`;

// ---------------------------------------------------------------------------------------------
// The database, whole

/** Every row of every table, as JSON text per row, keyed by table. */
export type Snapshot = Map<string, string[]>;

export const snapshotDb = async (
  db: Db,
  opts: {
    /**
     * Tables the database itself keeps append-only (audit_log refuses UPDATE and DELETE): their row
     * count and highest id say whether anything was added, without reading every row.
     */
    appendOnly?: string[];
  } = {},
): Promise<Snapshot> => {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const snapshot: Snapshot = new Map();
  for (const { name } of tables) {
    // Table names come from the catalogue, not from input.
    const rows = await queryRows<{ row: unknown }>(
      db,
      opts.appendOnly?.includes(name)
        ? sql`select json_build_object('rows', count(*), 'last', max(t.id))::text as row from ${sql.identifier(name)} as t`
        : sql`select row_to_json(t)::text as row from ${sql.identifier(name)} as t`,
    );
    snapshot.set(name, rows.map((r) => String(r.row)).sort());
  }
  return snapshot;
};

/** Rows that are in `after` but not (byte for byte) in `before`: new or changed, by table. */
export const changedRows = (before: Snapshot, after: Snapshot): Map<string, unknown[]> => {
  const changed = new Map<string, unknown[]>();
  for (const [table, rows] of after) {
    const old = new Set(before.get(table) ?? []);
    const fresh = rows.filter((r) => !old.has(r)).map((r) => JSON.parse(r) as unknown);
    if (fresh.length > 0) changed.set(table, fresh);
  }
  return changed;
};

/** What differs between two snapshots, as short lines (tables whose rows were added, removed or changed). */
export const snapshotDifferences = (before: Snapshot, after: Snapshot): string[] => {
  const out: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? [];
    const b = after.get(table) ?? [];
    const setA = new Set(a);
    const setB = new Set(b);
    const added = b.filter((r) => !setA.has(r));
    const removed = a.filter((r) => !setB.has(r));
    if (added.length || removed.length)
      out.push(
        `${table}: ${added.length} rows new or changed, ${removed.length} gone: ${added[0] ?? removed[0]}`,
      );
  }
  return out;
};

/** Every string and number anywhere in a value (JSON columns included, parsed). */
export const leavesOf = (value: unknown, into: (string | number)[] = []): (string | number)[] => {
  if (typeof value === 'string') {
    into.push(value);
    // jsonb and text[] columns arrive as JSON inside the row's JSON.
    if (/^[[{]/.test(value)) {
      try {
        leavesOf(JSON.parse(value) as unknown, into);
      } catch {
        // plain text that starts with a bracket
      }
    }
  } else if (typeof value === 'number') into.push(value);
  else if (Array.isArray(value)) for (const v of value) leavesOf(v, into);
  else if (isObject(value)) for (const v of Object.values(value)) leavesOf(v, into);
  return into;
};

// ---------------------------------------------------------------------------------------------
// Ids of the right shape for records that do not exist

/** A fresh id of the same form as `id`: a UUID, a client id, an authority slug or an Ofsted URN. */
export const missingLike = (id: string): string => {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id)) return randomUUID();
  if (/^ccx_[a-z0-9]{20}$/.test(id)) return `ccx_${randomBytes(10).toString('hex')}`;
  if (/^ccxp_[a-z0-9]{20}$/.test(id)) return `ccxp_${randomBytes(10).toString('hex')}`;
  if (/^SC\d{6}$/.test(id)) return `SC${String(100000 + Math.floor(Math.random() * 899999))}`;
  // Same length, so an HTTP answer's Content-Length cannot tell the two apart either.
  const slug = `missing-${randomBytes(30).toString('hex')}`.slice(0, id.length);
  return slug.endsWith('-') ? `${slug.slice(0, -1)}x` : slug;
};

/** The value with every occurrence of one string (as a whole value or inside text) replaced. */
export const replaceDeep = (value: unknown, from: string, to: string): unknown => {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
};

// ---------------------------------------------------------------------------------------------
// The need-to-know world

/**
 * The authorities of the world, by what they are to the setting P (of provider Acme) where the
 * records are: `pub` publishes them and has no basis of its own at P; `lead`, `host`, `placing` and
 * `prospective` hold those bases at P; `sibling` places at P2, Acme's other setting (so it has need to
 * know only of records about the whole provider); `grantee` was shared the restricted records;
 * `member` is a bare member; `operator` is the hub operator (hub-admin), a bare member at P; `sink`
 * receives shares made during the run and never calls.
 */
export const AUTHORITY_KEYS = [
  'pub',
  'lead',
  'host',
  'placing',
  'prospective',
  'grantee',
  'sibling',
  'member',
  'operator',
  'sink',
] as const;
export type AuthorityKey = (typeof AUTHORITY_KEYS)[number];
export const CALLING_KEYS = AUTHORITY_KEYS.filter((k) => k !== 'sink');

/** One client of one authority in the world. */
export type Actor = {
  key: AuthorityKey;
  authorityId: string;
  role: Role;
  principal: Principal;
  clientSecret: string;
  label: string;
};

export type RecordType = 'outcome' | 'restriction' | 'concern';

export type SeededRecord = {
  key: string;
  type: RecordType;
  id: string;
  publisher: AuthorityKey;
  status: 'draft' | 'published' | 'withdrawn';
  restricted: boolean;
  /** About the setting P, or about the whole provider Acme. */
  scope: 'provision' | 'provider';
  sharedWith: AuthorityKey[];
  /** Text only the detail layer carries. */
  secret: string;
  version: number;
  /** An outcome's first action item. */
  itemId: string | null;
  activityDate: string | null;
};

export type SeededGrant = {
  key: string;
  id: string;
  kind: 'share' | 'prospective';
  grantee: AuthorityKey;
  granter: AuthorityKey;
  recordKey: string | null;
};

const MEMBER_ROLES: Role[] = ['viewer', 'officer', 'admin'];

const secretText = (key: string) => `secret-of-${key}-${uniq()}`;

export const seedWorld = async (h: Harness) => {
  const db = h.hub.database.db;
  const admin = h.caller(h.hubAdmin);

  // Authorities: the hub operator is the harness's host authority; the rest are new members.
  const authorities = {} as Record<AuthorityKey, { id: string; qaInbox: string }>;
  for (const key of AUTHORITY_KEYS) {
    if (key === 'operator') {
      const a = await admin.authorities.get({ id: h.hostAuthorityId });
      authorities[key] = { id: a.id, qaInbox: a.qaInbox };
    } else {
      const a = await h.makeAuthority({ id: `${key}-${uniq()}` });
      authorities[key] = { id: a.id, qaInbox: a.qaInbox };
    }
  }

  // Every role of every calling authority, and a hub-admin of the operator (with a secret, for HTTP).
  const actors: Actor[] = [];
  for (const key of CALLING_KEYS) {
    for (const role of MEMBER_ROLES) {
      const c = await h.makeClient(authorities[key].id, role, `${key} ${role}`);
      actors.push({
        key,
        authorityId: authorities[key].id,
        role,
        principal: c.principal,
        clientSecret: c.clientSecret,
        label: `${key} ${role}`,
      });
    }
  }
  const hubAdmin = await h.makeClient(authorities.operator.id, 'hub-admin', 'operator hub-admin');
  actors.push({
    key: 'operator',
    authorityId: authorities.operator.id,
    role: 'hub-admin',
    principal: hubAdmin.principal,
    clientSecret: hubAdmin.clientSecret,
    label: 'operator hub-admin',
  });
  const actor = (key: AuthorityKey, role: Role): Actor => {
    const a = actors.find((x) => x.key === key && x.role === role);
    if (!a) throw new Error(`no ${role} of ${key}`);
    return a;
  };
  const by = (key: AuthorityKey, role: Role = 'officer') => h.caller(actor(key, role).principal);

  // The directory: P and P2 of Acme (both in host's area), and a spare setting S of another provider
  // where the run's own writes land without touching anyone's bases for the records.
  const acme = await h.makeProvider({ name: `Acme Care ${uniq()}` });
  const spareProvider = await h.makeProvider({ name: `Spare Homes ${uniq()}` });
  const urn = `SC${String(100000 + Math.floor(Math.random() * 899999))}`;
  const p = await h.makeProvision({ providerId: acme.id, hostAuthorityId: authorities.host.id, urn });
  const p2 = await h.makeProvision({ providerId: acme.id, hostAuthorityId: authorities.host.id });
  const spare = await h.makeProvision({
    providerId: spareProvider.id,
    hostAuthorityId: authorities.operator.id,
  });

  // The bases at P: lead (allocation), placing (declaration), prospective (pre-placement grant);
  // sibling places at P2 only.
  await admin.allocations.assign({
    provisionId: p.id,
    authorityId: authorities.lead.id,
    rationale: 'lead by agreement',
    startsOn: '2026-01-01',
  });
  const placement = await by('placing').placements.declare({
    provisionId: p.id,
    children: 2,
    fromDate: '2026-01-01',
  });
  await by('sibling').placements.declare({ provisionId: p2.id, children: 1, fromDate: '2026-01-01' });
  const prospectiveGrant = await by('prospective').access.requestProspective({
    provisionId: p.id,
    reason: 'matching a child to this setting',
    caseReference: 'SEC-2026-0001',
    days: 14,
  });

  const records: SeededRecord[] = [];
  const outcome = async (
    key: string,
    author: AuthorityKey,
    opts: { restricted?: boolean; activityDate: string; status: SeededRecord['status'] },
  ) => {
    const secret = secretText(key);
    const c = by(author);
    const draft = await c.outcomes.create({
      provisionId: p.id,
      activityType: 'monitoring-visit',
      activityDate: opts.activityDate,
      overallRating: 3,
      summary: `summary ${secret}`,
      findings: `findings ${secret}`,
      actionItems: [{ description: `action ${secret}`, concernLevel: 'medium' }],
      sectionJudgements: [{ section: 'safeguarding', judgement: 'good', comment: `comment ${secret}` }],
      restricted: opts.restricted ?? false,
    });
    if (draft.layer !== 'detail') throw new Error('a writer sees its draft in detail');
    let view = draft;
    if (opts.status !== 'draft') {
      const published = await c.outcomes.publish({ id: draft.id, version: draft.version });
      if (published.layer !== 'detail') throw new Error('a publisher sees its outcome in detail');
      view = published;
    }
    if (opts.status === 'withdrawn') {
      const withdrawn = await c.outcomes.withdraw({
        id: view.id,
        version: view.version,
        reason: 'visit recorded against the wrong setting',
      });
      if (withdrawn.layer !== 'detail') throw new Error('a publisher sees its outcome in detail');
      view = withdrawn;
    }
    records.push({
      key,
      type: 'outcome',
      id: view.id,
      publisher: author,
      status: opts.status,
      restricted: opts.restricted ?? false,
      scope: 'provision',
      sharedWith: [],
      secret,
      version: view.version,
      itemId: view.actionItems[0]?.id ?? null,
      activityDate: opts.activityDate,
    });
  };
  await outcome('outcome-published', 'pub', { activityDate: '2026-05-01', status: 'published' });
  // The latest published outcome at P is restricted: the placement check shows most callers its signal.
  await outcome('outcome-restricted', 'pub', {
    activityDate: '2026-06-01',
    status: 'published',
    restricted: true,
  });
  await outcome('outcome-draft', 'pub', { activityDate: '2026-05-20', status: 'draft' });
  await outcome('outcome-withdrawn', 'pub', { activityDate: '2026-03-01', status: 'withdrawn' });
  await outcome('outcome-by-lead', 'lead', { activityDate: '2026-05-10', status: 'published' });
  await outcome('draft-by-lead', 'lead', { activityDate: '2026-05-11', status: 'draft' });

  const restriction = async (
    key: string,
    target: { provisionId: string } | { providerId: string },
    kind: 'action-plan' | 'informal-embargo' | 'framework-suspension' | 'letter-of-concern',
    restricted: boolean,
  ) => {
    const secret = secretText(key);
    const r = await by('pub').restrictions.create({
      ...target,
      kind,
      restricted,
      effectiveFrom: '2026-06-01',
      reasons: [{ category: 'safeguarding', text: `reason ${secret}` }],
      summary: `summary ${secret}`,
      details: `details ${secret}`,
    });
    if (r.layer !== 'detail') throw new Error('an issuer sees its restriction in detail');
    records.push({
      key,
      type: 'restriction',
      id: r.id,
      publisher: 'pub',
      status: 'published',
      restricted: r.restricted,
      scope: 'provisionId' in target ? 'provision' : 'provider',
      sharedWith: [],
      secret,
      version: r.version,
      itemId: null,
      activityDate: null,
    });
  };
  await restriction('restriction-on-setting', { provisionId: p.id }, 'action-plan', false);
  await restriction('restriction-restricted', { provisionId: p.id }, 'informal-embargo', true);
  await restriction('restriction-on-provider', { providerId: acme.id }, 'framework-suspension', false);
  await restriction('provider-restricted', { providerId: acme.id }, 'letter-of-concern', true);

  const concern = async (key: string, restricted: boolean) => {
    const secret = secretText(key);
    const c = await by('pub').concerns.log({
      provisionId: p.id,
      category: 'safeguarding',
      level: 'level-2',
      occurredOn: '2026-06-01',
      summary: `concern ${secret}`,
      restricted,
    });
    if (c.layer !== 'detail') throw new Error('a logger sees its concern in detail');
    records.push({
      key,
      type: 'concern',
      id: c.id,
      publisher: 'pub',
      status: 'published',
      restricted,
      scope: 'provision',
      sharedWith: [],
      secret,
      version: 1,
      itemId: null,
      activityDate: null,
    });
  };
  await concern('concern', false);
  await concern('concern-restricted', true);

  const record = (key: string): SeededRecord => {
    const r = records.find((x) => x.key === key);
    if (!r) throw new Error(`no record ${key}`);
    return r;
  };

  // Explicit shares: the restricted records to grantee (by pub), an ordinary outcome to sink (by the lead).
  const grants: SeededGrant[] = [];
  const share = async (key: string, granter: AuthorityKey, recordKey: string, to: AuthorityKey) => {
    const r = record(recordKey);
    const g = await by(granter).access.share({
      recordType: r.type,
      recordId: r.id,
      authorityId: authorities[to].id,
    });
    if (to !== 'sink') r.sharedWith.push(to);
    grants.push({ key, id: g.id, kind: 'share', grantee: to, granter, recordKey });
  };
  await share('share-outcome', 'pub', 'outcome-restricted', 'grantee');
  await share('share-restriction', 'pub', 'restriction-restricted', 'grantee');
  await share('share-concern', 'pub', 'concern-restricted', 'grantee');
  await share('share-by-lead', 'lead', 'outcome-published', 'sink');
  grants.push({
    key: 'prospective-grant',
    id: prospectiveGrant.id,
    kind: 'prospective',
    grantee: 'prospective',
    granter: 'prospective',
    recordKey: null,
  });

  // Other authorities' own things: webhooks (with a delivery), API clients, a placement declaration.
  // localhost resolves to a loopback address the hub refuses at once, so a test delivery fails fast.
  const webhookInput = { url: 'https://localhost/ccx-hook', eventTypes: ['outcome.published' as const] };
  const pubHook = await by('pub', 'admin').webhooks.create(webhookInput);
  const pubDelivery = await by('pub', 'admin').webhooks.test({ id: pubHook.webhook.id });
  const memberHook = await by('member', 'admin').webhooks.create(webhookInput);
  const pubClient = await h.makeClient(authorities.pub.id, 'viewer', 'pub target client');
  const memberClient = await h.makeClient(authorities.member.id, 'viewer', 'member target client');

  // Reads the audit trails should hold: the publisher reads its draft and restricted outcome, the
  // grantee the restricted one, the placing and prospective authorities the ordinary one.
  await by('pub').outcomes.get({ id: record('outcome-draft').id });
  await by('pub').outcomes.get({ id: record('outcome-restricted').id });
  await by('pub').outcomes.listForProvision({ provisionId: p.id, includeDrafts: true });
  await by('grantee').outcomes.get({ id: record('outcome-restricted').id });
  await by('placing').outcomes.get({ id: record('outcome-published').id });
  await by('prospective').outcomes.get({ id: record('outcome-published').id });

  // The feed's positions, as the background sequencer would give them.
  await sequenceEvents(db);

  // The oracle: the hub's own policy module, on the facts now in the database.
  const decisions = new Map<string, Decision>();
  for (const key of CALLING_KEYS) {
    for (const r of records) {
      const ref = await policyRecordFor(db, r.type, r.id);
      if (!ref) throw new Error(`the policy cannot find ${r.key}`);
      decisions.set(`${key}/${r.key}`, await decideRecord(db, authorities[key].id, ref, new Date(NOW)));
    }
  }
  const decision = (key: AuthorityKey, r: SeededRecord): Decision => {
    const d = decisions.get(`${key}/${r.key}`);
    if (!d) throw new Error(`no decision for ${key} on ${r.key}`);
    return d;
  };

  return {
    authorities,
    actors,
    actor,
    acme: { id: acme.id, version: acme.version },
    spareProvider: { id: spareProvider.id },
    p: { id: p.id, urn, version: p.version },
    p2: { id: p2.id },
    spare: { id: spare.id },
    records,
    record,
    grants,
    grant: (key: string): SeededGrant => {
      const g = grants.find((x) => x.key === key);
      if (!g) throw new Error(`no grant ${key}`);
      return g;
    },
    webhooks: {
      pub: { id: pubHook.webhook.id, deliveryId: pubDelivery.id },
      member: { id: memberHook.webhook.id },
      input: webhookInput,
    },
    clients: { pub: pubClient.client.id, member: memberClient.client.id },
    placement: { id: placement.id, version: placement.version, owner: 'placing' as AuthorityKey },
    decision,
    keyOf: (authorityId: string): AuthorityKey | undefined =>
      AUTHORITY_KEYS.find((k) => authorities[k].id === authorityId),
  };
};

export type SecurityWorld = Awaited<ReturnType<typeof seedWorld>>;

/** The provision-level bases an authority holds at P or P2, as the need-to-know rules state them. */
export const expectedBases = (key: AuthorityKey, at: 'p' | 'p2'): string[] => {
  const atP: Partial<Record<AuthorityKey, string>> = {
    lead: 'lead',
    host: 'host',
    placing: 'placing',
    prospective: 'prospective',
  };
  const atP2: Partial<Record<AuthorityKey, string>> = { host: 'host', sibling: 'placing' };
  const basis = (at === 'p' ? atP : atP2)[key];
  return [...(basis ? [basis] : []), 'member'];
};

/**
 * The layer DESIGN.md §3 gives an authority for a record, from what the world was built to be —
 * worked out without the hub's code, to check the oracle the matrix uses.
 */
export const designLayer = (key: AuthorityKey, r: SeededRecord): 'detail' | 'summary' | 'signal' | 'none' => {
  if (key === r.publisher) return 'detail';
  if (r.status === 'draft') return 'none';
  if (r.sharedWith.includes(key)) return 'detail';
  if (r.restricted) return 'signal';
  const atP = ['lead', 'host', 'placing', 'prospective'].includes(key);
  // A record about the whole provider counts bases at any of its settings: sibling places at P2.
  const needToKnow = atP || (r.scope === 'provider' && key === 'sibling');
  if (needToKnow) return 'detail';
  // Concerns have no summary layer: without need to know, a member sees nothing of one.
  return r.type === 'concern' ? 'none' : 'summary';
};
