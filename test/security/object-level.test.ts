// OWASP API1:2023, broken object-level authorisation. Every procedure whose input names a record or
// another authority's thing (found by reading the input contracts, so a new one fails until it is
// classified here) is called as every role of every authority in a need-to-know world, on records
// the caller sees in detail, in summary, as a signal or not at all, and on other authorities'
// drafts, grants, webhooks, clients and declarations. Each answer must be the one the access policy
// decides; a record the caller may not know of must answer exactly as a missing one (in process and,
// byte for byte, over HTTP); and a refused write must leave the database as it was.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { roleRank, type Role } from '@ccx/schema';
import { appRouter, createCallerFactory, createContextInner } from '@ccx/server';
import { REST_PREFIX, REST_ROUTES } from '@ccx/server/testing';
import { accessGrants } from '@ccx/server/testing';
import { queryRows, uniq } from '../support/harness.js';
import { browserFor } from '../support/browser.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';
import { softwareAuthenticator, type SoftwareAuthenticator } from '../support/software-authenticator.js';
import {
  CALLING_KEYS,
  NOW,
  PROCEDURES,
  callPath,
  describeSettled,
  designLayer,
  expectedBases,
  inputFields,
  isIdField,
  missingLike,
  procedure,
  replaceDeep,
  seedWorld,
  settle,
  snapshotDb,
  snapshotDifferences,
  type Actor,
  type AuthorityKey,
  type SecurityWorld,
  type SeededGrant,
  type SeededRecord,
  type Settled,
} from './world.js';

// ---------------------------------------------------------------------------------------------
// What a case expects

/** Why a call is refused: the role, a record it may not know of, a missing one, a visible record it may not change, a stale version. */
type Why = 'role' | 'hidden' | 'missing' | 'forbidden' | 'conflict';

type Expectation =
  { code: 'OK'; check?: (value: unknown) => string[] } | { code: TRPC_ERROR_CODE_KEY; why: Why };

type Target = {
  name: string;
  input: (a: Actor) => unknown;
  /** The id whose existence is in question: a refusal is compared with the same call on a missing id. */
  subject: string | null;
  expect: (a: Actor) => Expectation;
  /** A permitted call that would change the world runs on a fresh equivalent record instead. */
  fresh?: (a: Actor) => Promise<unknown>;
};

type Spec = {
  /** The least role the procedure accepts (roles.test.ts holds the table; a lower one is refused first). */
  min: Role;
  /** What the ids name, and the rule that decides who may use them. */
  rule: string;
  targets: () => Target[];
};

const ok = (check?: (value: unknown) => string[]): Expectation => ({
  code: 'OK',
  ...(check ? { check } : {}),
});
const refused = (code: TRPC_ERROR_CODE_KEY, why: Why): Expectation => ({ code, why });
const HIDDEN = refused('NOT_FOUND', 'hidden');
const MISSING = refused('NOT_FOUND', 'missing');
const FORBIDDEN = refused('FORBIDDEN', 'forbidden');
const CONFLICT = refused('CONFLICT', 'conflict');

// ---------------------------------------------------------------------------------------------
// Reading answers without trusting their shape

const get = (value: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>(
    (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined),
    value,
  );
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const objectsIn = (value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] => {
  if (Array.isArray(value)) for (const v of value) objectsIn(v, into);
  else if (value !== null && typeof value === 'object') {
    into.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objectsIn(v, into);
  }
  return into;
};

// ---------------------------------------------------------------------------------------------
// The world

let h: HttpHarness;
let w: SecurityWorld;
const createCaller = createCallerFactory(appRouter);

test.override({ clockAt: NOW });
// The need-to-know world every case is decided in, seeded once on the file's hub.
test.beforeAll(async ({ h: hub }) => {
  h = hub;
  w = await seedWorld(h);
  staff = await seedPeople();
  directory = await seedCorrections();
}, 120_000);

test.afterAll(() => {
  console.log(
    `object-level: ${cases.toLocaleString('en-GB')} cases over ${covered.size} procedures ` +
      `(${twins.toLocaleString('en-GB')} hidden-or-refused answers compared with a missing id in process, ` +
      `${httpPairs.toLocaleString('en-GB')} byte for byte over HTTP)`,
  );
});

let cases = 0;
let twins = 0;
let httpPairs = 0;
const covered = new Set<string>();

/** Hidden refusals met in the matrix, replayed over HTTP at the end. */
const hiddenSeen: { path: string; actor: Actor; target: string; input: unknown; subject: string }[] = [];

const layer = (a: Actor, r: SeededRecord) => w.decision(a.key, r).layer;

// ---------------------------------------------------------------------------------------------
// Checks every successful answer passes

/**
 * Nothing of a record the caller may not see: no id of a record it sees as a signal or not at all
 * (unless the caller itself named it), and no detail text of a record it sees below detail.
 */
const leakIssues = (a: Actor, input: unknown, value: unknown): string[] => {
  const text = JSON.stringify(value) ?? '';
  const given = JSON.stringify(input) ?? '';
  const issues: string[] = [];
  for (const r of w.records) {
    const l = layer(a, r);
    if ((l === 'none' || l === 'signal') && text.includes(r.id) && !given.includes(r.id))
      issues.push(`leaks the id of ${r.key}, which it sees at layer ${l}`);
    if (l !== 'detail' && text.includes(r.secret))
      issues.push(`leaks detail text of ${r.key}, which it sees at layer ${l}`);
  }
  return issues;
};

/** Every view of a seeded record in the answer is at the caller's layer. */
const viewIssues = (a: Actor, value: unknown): string[] => {
  const issues: string[] = [];
  for (const o of objectsIn(value)) {
    if (typeof o.id !== 'string' || typeof o.layer !== 'string') continue;
    const r = w.records.find((x) => x.id === o.id);
    if (r && o.layer !== layer(a, r)) issues.push(`shows ${r.key} at layer ${o.layer}, not ${layer(a, r)}`);
  }
  return issues;
};

/**
 * A list holds exactly the seeded records of its scope that the caller sees in detail or summary,
 * and one signal per publisher (and target) of those it sees as a signal.
 */
const listIssues = (
  a: Actor,
  items: unknown[],
  scope: (r: SeededRecord) => boolean,
  signalKey: (r: SeededRecord) => string,
): string[] => {
  const issues: string[] = [];
  const ids = new Set(items.map((i) => get(i, 'id')).filter((id): id is string => typeof id === 'string'));
  for (const r of w.records) {
    const l = layer(a, r);
    const listed = ids.has(r.id);
    if (scope(r) && (l === 'detail' || l === 'summary') && !listed)
      issues.push(`does not list ${r.key}, which it sees at layer ${l}`);
    if (listed && (!scope(r) || l === 'none' || l === 'signal'))
      issues.push(`lists ${r.key} (layer ${l}${scope(r) ? '' : ', outside the query'})`);
  }
  const signalled = new Set(w.records.filter((r) => scope(r) && layer(a, r) === 'signal').map(signalKey));
  const signals = items.filter((i) => get(i, 'layer') === 'signal').length;
  if (signals !== signalled.size)
    issues.push(`shows ${signals} restricted-information signals, expected ${signalled.size}`);
  return issues;
};

/** Who may see a grant (access.grants): its grantee, its granter, and the lead and host of a pre-placement grant's setting. */
const seesGrant = (a: Actor, g: SeededGrant): boolean =>
  a.key === g.grantee ||
  a.key === g.granter ||
  (g.kind === 'prospective' && (a.key === 'lead' || a.key === 'host'));

// ---------------------------------------------------------------------------------------------
// Running cases

const runCase = async (
  path: string,
  a: Actor,
  t: Target,
  e: Expectation,
  input: unknown,
): Promise<string[]> => {
  cases++;
  const got = await settle(callPath(h.caller(a.principal), path, input));
  const where = `${a.label} → ${t.name}`;
  const issues: string[] = [];
  if (e.code === 'OK') {
    if (!got.ok) return [`${where}: expected OK, got ${describeSettled(got)}`];
    return [
      ...leakIssues(a, input, got.value),
      ...viewIssues(a, got.value),
      ...(e.check?.(got.value) ?? []),
    ].map((i) => `${where}: ${i}`);
  }
  if (got.ok || got.code !== e.code)
    issues.push(`${where}: expected ${e.code} (${e.why}), got ${describeSettled(got)}`);
  if ((e.why === 'hidden' || e.why === 'role') && t.subject) {
    // The same call on an id that does not exist must answer the same, once the ids are set aside.
    twins++;
    const missingId = missingLike(t.subject);
    const twin = await settle(
      callPath(h.caller(a.principal), path, replaceDeep(input, t.subject, missingId)),
    );
    const norm = (s: Settled) =>
      s.ok
        ? 'OK'
        : `${s.code}: ${s.message
            .split(t.subject ?? '')
            .join('<id>')
            .split(missingId)
            .join('<id>')}`;
    if (norm(got) !== norm(twin))
      issues.push(`${where}: a record it may not know of answers ${norm(got)}, a missing one ${norm(twin)}`);
    if (e.why === 'hidden') hiddenSeen.push({ path, actor: a, target: t.name, input, subject: t.subject });
  }
  return issues;
};

/** The expectation for one actor: the role gate first, then the target's own rule. */
const expectationFor = (spec: Spec, t: Target, a: Actor): Expectation =>
  roleRank(a.role) < roleRank(spec.min) ? refused('FORBIDDEN', 'role') : t.expect(a);

/** The audit log cannot be updated or deleted (the database refuses): its count and last id tell. */
const APPEND_ONLY = { appendOnly: ['audit_log'] };

const runSpec = async (path: string, spec: Spec): Promise<string[]> => {
  covered.add(path);
  const mutation = procedure(path).type === 'mutation';
  const plan = spec.targets().flatMap((t) => w.actors.map((a) => ({ a, t, e: expectationFor(spec, t, a) })));
  const issues: string[] = [];
  // A write's refusals (and its stale-version conflicts) run first, between two snapshots of the
  // whole database: together they must change nothing at all, not even the audit log.
  const now = mutation ? plan.filter((c) => c.e.code !== 'OK') : plan;
  const later = mutation ? plan.filter((c) => c.e.code === 'OK') : [];
  const before = mutation ? await snapshotDb(h.hub.database.db, APPEND_ONLY) : undefined;
  for (const c of now) issues.push(...(await runCase(path, c.a, c.t, c.e, c.t.input(c.a))));
  if (before) {
    const changes = snapshotDifferences(before, await snapshotDb(h.hub.database.db, APPEND_ONLY));
    if (changes.length > 0) issues.push(`refused calls changed the database: ${changes.join('; ')}`);
  }
  for (const c of later) {
    const input = c.t.fresh ? await c.t.fresh(c.a) : c.t.input(c.a);
    issues.push(...(await runCase(path, c.a, c.t, c.e, input)));
  }
  return issues;
};

// ---------------------------------------------------------------------------------------------
// Target builders shared by several procedures

const outcomes = () => w.records.filter((r) => r.type === 'outcome');
const concerns = () => w.records.filter((r) => r.type === 'concern');
const restrictions = () => w.records.filter((r) => r.type === 'restriction');
const describeRecord = (r: SeededRecord) =>
  `${r.publisher}'s ${r.status === 'published' ? '' : `${r.status} `}${r.restricted ? 'restricted ' : ''}${r.type} (${r.key})`;

/** A read by id: a record the caller may not know of is missing; otherwise its layer. */
const readTarget = (r: SeededRecord, input: unknown): Target => ({
  name: describeRecord(r),
  input: () => input,
  subject: r.id,
  expect: (a) => {
    const l = layer(a, r);
    if (l === 'none') return HIDDEN;
    return ok((v) => {
      const issues = get(v, 'layer') === l ? [] : [`answers layer ${String(get(v, 'layer'))}, not ${l}`];
      if (l !== 'signal' && get(v, 'id') !== r.id) issues.push('answers another record');
      return issues;
    });
  },
});

/**
 * A write on a record: its publisher passes the authorisation and meets the version check (it sends
 * a stale version, so nothing changes); a record the caller may not know of is missing; one it can
 * see is forbidden.
 */
const writeTarget = (
  r: SeededRecord,
  input: (version: number) => unknown,
  owner: Expectation = CONFLICT,
): Target => ({
  name: describeRecord(r),
  input: (a) => input(a.key === r.publisher ? r.version + 7 : r.version),
  subject: r.id,
  expect: (a) => (a.key === r.publisher ? owner : layer(a, r) === 'none' ? HIDDEN : FORBIDDEN),
});

/** A call on an id that exists nowhere. */
const missingTarget = (
  name: string,
  input: (id: string) => unknown,
  expect: Expectation = MISSING,
): Target => {
  const id = randomUUID();
  return { name, input: () => input(id), subject: id, expect: () => expect };
};

/** A call naming something every member may know of (the directory, authorities): it answers the same to all. */
const publicTarget = (
  name: string,
  input: unknown,
  expect: (a: Actor) => Expectation = () => ok(),
): Target => ({
  name,
  input: () => input,
  subject: null,
  expect,
});

/** Another authority's own thing (webhook, client, declaration): only its owner knows of it. */
const ownedTarget = (
  name: string,
  owner: AuthorityKey,
  subject: string,
  input: unknown,
  opts: { hubAdmin?: boolean; fresh?: (a: Actor) => Promise<unknown> } = {},
): Target => ({
  name,
  input: () => input,
  subject,
  expect: (a) => (a.key === owner || (opts.hubAdmin && a.role === 'hub-admin') ? ok() : HIDDEN),
  ...(opts.fresh ? { fresh: opts.fresh } : {}),
});

const callerOf = (key: AuthorityKey, role: Role) => h.caller(w.actor(key, role).principal);

/** A new webhook of the actor's authority, made by its admin: what a permitted delete, rotation or test acts on. */
const freshWebhook = async (a: Actor): Promise<string> =>
  (await callerOf(a.key, 'admin').webhooks.create(w.webhooks.input)).webhook.id;

/** A copy of a grant under a new id, so that revoking it leaves the world's grant in force. */
const cloneGrant = async (g: SeededGrant): Promise<string> => {
  const id = randomUUID();
  const db = h.hub.database.db;
  await db.execute(sql`
    insert into ${accessGrants} (id, kind, authority_id, provision_id, record_type, record_id,
      granted_by_authority_id, granted_by_client_id, reason, case_reference, created_at, expires_at)
    select ${id}::uuid, kind, authority_id, provision_id, record_type, record_id,
      granted_by_authority_id, granted_by_client_id, reason, case_reference, created_at, expires_at
    from ${accessGrants} where id = ${g.id}::uuid`);
  return id;
};

// ---------------------------------------------------------------------------------------------
// People and sign-in settings: each authority's own, managed by its admins and the hub-admin

/** The authorities whose people the table manages: two members, and the operator (the host). */
type Staffed = 'pub' | 'member' | 'operator';
type Staff = {
  /** An active viewer of each authority, and an invited one (only those can be sent a new link). */
  active: Record<Staffed, string>;
  invited: Record<Staffed, string>;
  /** An active and an invited hub-admin person of the operator: above an authority admin. */
  hubAdmin: { active: string; invited: string };
};

let staff: Staff;

const MISSING_PERSON = 'ccxp_00000000000000000000';
const PROVIDER_SECRET = `idp-secret-${randomBytes(8).toString('hex')}`;

const activePerson = async (authorityId: string, role: Role = 'viewer'): Promise<string> =>
  (await h.makePerson(authorityId, role)).person.id;

const invitedPerson = async (authorityId: string, role: Role = 'viewer'): Promise<string> =>
  (
    await h.caller(h.hubAdmin).people.invite({
      authorityId,
      email: `invitee-${uniq()}@${authorityId}.example.gov.uk`,
      name: 'An invitee',
      role,
    })
  ).person.id;

/** Sign-in settings for an authority (the caller's own when none is named). */
const providerOf = (authorityId: string | undefined, domainOf = authorityId ?? 'own') => ({
  ...(authorityId ? { authorityId } : {}),
  issuer: 'https://login.example.com/tenant/v2.0',
  clientId: 'ccx-hub',
  clientSecret: PROVIDER_SECRET,
  allowedDomains: [`${domainOf}.example.gov.uk`],
});

/** Pub's identity provider, set by pub's admin (again before each permitted removal). */
const seedProvider = async (): Promise<void> => {
  await callerOf('pub', 'admin').identityProviders.set(providerOf(w.authorities.pub.id));
};

const seedPeople = async (): Promise<Staff> => {
  const ids = (key: Staffed) => w.authorities[key].id;
  const staffed = ['pub', 'member', 'operator'] as const;
  const active = {} as Record<Staffed, string>;
  const invited = {} as Record<Staffed, string>;
  for (const key of staffed) {
    active[key] = await activePerson(ids(key));
    invited[key] = await invitedPerson(ids(key));
  }
  await seedProvider();
  return {
    active,
    invited,
    hubAdmin: {
      active: await activePerson(ids('operator'), 'hub-admin'),
      invited: await invitedPerson(ids('operator'), 'hub-admin'),
    },
  };
};

/**
 * A call on one person: their authority's admins and the hub-admin manage them (a person of a
 * higher role than the caller's is forbidden, one of another authority is missing); a permitted
 * call that changes them runs on a fresh person of the same authority, role and status.
 */
const personTargets = (
  status: 'active' | 'invited',
  input: (id: string) => unknown,
  check: (v: unknown, authorityId: string) => string[],
): Target[] => {
  const fresh = status === 'active' ? activePerson : invitedPerson;
  const viewers = (['pub', 'member', 'operator'] as const).map((owner): Target => ({
    name: `${owner}'s ${status} viewer`,
    input: () => input(staff[status][owner]),
    subject: staff[status][owner],
    expect: (a) =>
      a.key === owner || a.role === 'hub-admin' ? ok((v) => check(v, w.authorities[owner].id)) : HIDDEN,
    fresh: async () => input(await fresh(w.authorities[owner].id)),
  }));
  const operator = w.authorities.operator.id;
  return [
    ...viewers,
    {
      name: `the operator's ${status} hub-admin person`,
      input: () => input(staff.hubAdmin[status]),
      subject: staff.hubAdmin[status],
      expect: (a) =>
        a.role === 'hub-admin'
          ? ok((v) => check(v, operator))
          : // The operator's own admin knows of the person, but may not manage one above itself.
            a.key === 'operator'
            ? FORBIDDEN
            : HIDDEN,
      fresh: async () => input(await fresh(operator, 'hub-admin')),
    },
    {
      name: 'a missing person',
      input: () => input(MISSING_PERSON),
      subject: MISSING_PERSON,
      expect: () => MISSING,
    },
  ];
};

const personIs = (v: unknown, authorityId: string, want: Record<string, unknown>): string[] => [
  ...(get(v, 'authorityId') === authorityId
    ? []
    : [`answers a person of ${String(get(v, 'authorityId'))}, not ${authorityId}`]),
  ...Object.entries(want).flatMap(([k, value]) =>
    get(v, k) === value ? [] : [`the person's ${k} is ${String(get(v, k))}, not ${String(value)}`],
  ),
];

const onlyPeopleOf = (v: unknown, authorityId: string): string[] =>
  arr(v).every((p) => get(p, 'authorityId') === authorityId)
    ? []
    : [`lists people of authorities other than ${authorityId}`];

/** An identity provider's answer: the named authority's, and never its client secret. */
const providerIssues = (v: unknown, authorityId: string): string[] => [
  ...(v === null || get(v, 'authorityId') === authorityId
    ? []
    : [`answers the provider of ${String(get(v, 'authorityId'))}, not ${authorityId}`]),
  ...(JSON.stringify(v).includes(PROVIDER_SECRET) ? ['shows the client secret'] : []),
];

/**
 * The calls that name an authority by `authorityId` (people, sign-in settings): as clients.list and
 * clients.create — the caller's own, or any for the hub-admin; another's is forbidden, for every
 * member knows the authorities; a missing one answers `missingAnswer` to the hub-admin.
 */
const authorityTargets = (
  input: (a: Actor, authorityId: string | undefined) => unknown,
  check: (v: unknown, authorityId: string) => string[],
  missingAnswer: Expectation,
  opts: {
    /** Naming no authority, the hub-admin is answered for every authority (a list of all). */
    unnamedIsEvery?: boolean;
    /** A permitted call on pub's runs on a fresh equivalent (pub's provider set again, to be removed). */
    fresh?: (a: Actor) => Promise<unknown>;
  } = {},
): Target[] => {
  const pub = w.authorities.pub.id;
  const missing = missingLike(pub);
  return [
    {
      name: 'its own authority',
      input: (a) => input(a, a.authorityId),
      subject: null,
      expect: (a) => ok((v) => check(v, a.authorityId)),
    },
    {
      name: 'no authority named',
      input: (a) => input(a, undefined),
      subject: null,
      expect: (a) =>
        opts.unnamedIsEvery && a.role === 'hub-admin' ? ok() : ok((v) => check(v, a.authorityId)),
    },
    {
      name: 'authority pub',
      input: (a) => input(a, pub),
      subject: null,
      expect: (a) => (a.key === 'pub' || a.role === 'hub-admin' ? ok((v) => check(v, pub)) : FORBIDDEN),
      ...(opts.fresh ? { fresh: opts.fresh } : {}),
    },
    {
      name: 'a missing authority',
      input: (a) => input(a, missing),
      subject: null,
      expect: (a) => (a.role === 'hub-admin' ? missingAnswer : FORBIDDEN),
    },
  ];
};

// ---------------------------------------------------------------------------------------------
// Proposed corrections of the directory: member proposes; host (P and P2 are in its area) or the hub-admin decides

type Directory = {
  /** member's proposed correction of P's name, and of provider Acme's name: left proposed throughout. */
  ofP: { id: string; version: number };
  ofAcme: { id: string; version: number };
};

let directory: Directory;

const proposeAt = async (provisionId: string) =>
  callerOf('member', 'officer').provisions.proposeCorrection({
    provisionId,
    changes: { name: `Corrected name ${uniq()}` },
    reason: 'the registered name on the regulator’s certificate',
  });

const seedCorrections = async (): Promise<Directory> => {
  const ofP = await proposeAt(w.p.id);
  const ofAcme = await callerOf('member', 'officer').providers.proposeCorrection({
    providerId: w.acme.id,
    changes: { name: `Acme Care Ltd ${uniq()}` },
    reason: 'the name at Companies House',
  });
  return {
    ofP: { id: ofP.id, version: ofP.version },
    ofAcme: { id: ofAcme.id, version: ofAcme.version },
  };
};

/** Who decides a correction of an entry in host's area: its officers and admins, and the hub-admin. */
const decides = (a: Actor) =>
  a.role === 'hub-admin' || (a.key === 'host' && roleRank(a.role) >= roleRank('officer'));

/** A decision on a correction: a decider meets the version check; the proposer may not; anyone else learns nothing. */
const decisionTargets = (decision: Record<string, unknown>): Target[] => [
  ...(['ofP', 'ofAcme'] as const).map((which): Target => ({
    name: `member's proposed correction of ${which === 'ofP' ? 'setting P' : 'provider Acme'} (stale version for a decider)`,
    input: (a) => ({
      id: directory[which].id,
      version: decides(a) ? directory[which].version + 7 : directory[which].version,
      ...decision,
    }),
    subject: directory[which].id,
    expect: (a) => (decides(a) ? CONFLICT : a.key === 'member' ? FORBIDDEN : HIDDEN),
  })),
  {
    // A decider's permitted call decides a correction of its own, at a new setting in host's area.
    name: "member's proposed correction of a new setting in host's area",
    input: () => ({ id: directory.ofP.id, version: directory.ofP.version, ...decision }),
    subject: directory.ofP.id,
    expect: (a) =>
      decides(a)
        ? ok((v) => [
            ...(get(v, 'status') === (decision.note === undefined ? 'accepted' : 'declined')
              ? []
              : [`answers status ${String(get(v, 'status'))}`]),
            ...(get(v, 'decidedByAuthorityId') === a.authorityId ? [] : ['is not decided by the caller']),
          ])
        : a.key === 'member'
          ? FORBIDDEN
          : HIDDEN,
    fresh: async () => {
      const c = await proposeAt((await h.makeProvision({ hostAuthorityId: w.authorities.host.id })).id);
      return { id: c.id, version: c.version, ...decision };
    },
  },
  missingTarget('a missing correction', (id) => ({ id, version: 1, ...decision })),
];

const inviteOf = (authorityId: string | undefined) => ({
  ...(authorityId ? { authorityId } : {}),
  email: `invitee-${uniq()}@example.gov.uk`,
  name: 'An invitee',
  role: 'viewer',
});

// ---------------------------------------------------------------------------------------------
// Every procedure that takes an id, with the rule that governs it

const SPECS: Record<string, Spec> = {
  // Reads of one record: the record's layer, or missing when the caller may not know of it.
  'outcomes.get': {
    min: 'viewer',
    rule: 'the record layer (DESIGN.md §3); none answers as missing (§7)',
    targets: () => [
      ...outcomes().map((r) => readTarget(r, { id: r.id })),
      {
        ...readTarget(w.record('restriction-on-setting'), { id: w.record('restriction-on-setting').id }),
        name: 'a restriction id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing outcome', (id) => ({ id })),
    ],
  },
  'restrictions.get': {
    min: 'viewer',
    rule: 'the record layer (DESIGN.md §3); none answers as missing (§7)',
    targets: () => [
      ...restrictions().map((r) => readTarget(r, { id: r.id })),
      {
        ...readTarget(w.record('concern'), { id: w.record('concern').id }),
        name: 'a concern id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing restriction', (id) => ({ id })),
    ],
  },
  'access.explain': {
    min: 'viewer',
    rule: 'explains the caller’s own layer and rule; a record it may not know of answers as missing',
    targets: () => [
      ...w.records.map((r): Target => ({
        ...readTarget(r, { recordType: r.type, recordId: r.id }),
        expect: (a) => {
          const d = w.decision(a.key, r);
          if (d.layer === 'none') return HIDDEN;
          return ok((v) =>
            get(v, 'layer') === d.layer && get(v, 'rule') === d.rule
              ? []
              : [
                  `explains ${String(get(v, 'layer'))}/${String(get(v, 'rule'))}, the policy says ${d.layer}/${d.rule}`,
                ],
          );
        },
      })),
      {
        name: 'an outcome id asked as a restriction',
        input: () => ({ recordType: 'restriction', recordId: w.record('outcome-published').id }),
        subject: w.record('outcome-published').id,
        expect: () => HIDDEN,
      },
      {
        name: 'a restriction id asked as a concern',
        input: () => ({ recordType: 'concern', recordId: w.record('restriction-on-setting').id }),
        subject: w.record('restriction-on-setting').id,
        expect: () => HIDDEN,
      },
      ...(['p', 'p2'] as const).map((at) =>
        publicTarget(`setting ${at.toUpperCase()}`, { provisionId: w[at].id }, (a) =>
          ok((v) => {
            const bases = arr(get(v, 'bases')).map((b) => String(get(b, 'basis')));
            const want = expectedBases(a.key, at);
            return JSON.stringify(bases.sort()) === JSON.stringify([...want].sort())
              ? []
              : [`explains bases ${bases.join(',')}, expected ${want.join(',')}`];
          }),
        ),
      ),
      missingTarget('a missing record', (id) => ({ recordType: 'outcome', recordId: id })),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
    ],
  },

  // Writes on one record: only its publisher; a record it may not know of answers as missing.
  'outcomes.publish': {
    min: 'officer',
    rule: 'only the authority that wrote an outcome publishes it; another’s draft answers as missing',
    targets: () => [
      ...outcomes().map((r) => writeTarget(r, (version) => ({ id: r.id, version }))),
      missingTarget('a missing outcome', (id) => ({ id, version: 1 })),
    ],
  },
  'outcomes.amend': {
    min: 'officer',
    rule: 'only the publisher amends; another’s draft answers as missing',
    targets: () => [
      ...outcomes().map((r) =>
        writeTarget(r, (version) => ({
          id: r.id,
          version,
          reason: 'amended by another authority',
          changes: { summary: 'overwritten by another authority', overallRating: 1 },
        })),
      ),
      missingTarget('a missing outcome', (id) => ({
        id,
        version: 1,
        reason: 'amend',
        changes: { summary: 'x' },
      })),
    ],
  },
  'outcomes.withdraw': {
    min: 'officer',
    rule: 'only the publisher withdraws; another’s draft answers as missing',
    targets: () => [
      ...outcomes().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, reason: 'withdrawn by another authority' })),
      ),
      missingTarget('a missing outcome', (id) => ({ id, version: 1, reason: 'withdraw' })),
    ],
  },
  'outcomes.updateActionItem': {
    min: 'officer',
    rule: 'only the publisher updates action items; another’s draft answers as missing',
    targets: () => [
      ...outcomes().map((r) =>
        writeTarget(r, (version) => ({
          outcomeId: r.id,
          version,
          itemId: r.itemId ?? 'none',
          status: 'met',
        })),
      ),
      missingTarget('a missing outcome', (id) => ({
        outcomeId: id,
        version: 1,
        itemId: 'abcd1234',
        status: 'met',
      })),
    ],
  },
  'restrictions.update': {
    min: 'officer',
    rule: 'only the issuer changes a restriction (every member sees one, so others are forbidden)',
    targets: () => [
      ...restrictions().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, summary: 'overwritten by another authority' })),
      ),
      {
        ...writeTarget(w.record('outcome-published'), (version) => ({
          id: w.record('outcome-published').id,
          version,
          summary: 'x',
        })),
        name: 'an outcome id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing restriction', (id) => ({ id, version: 1, summary: 'x' })),
    ],
  },
  'restrictions.lift': {
    min: 'officer',
    rule: 'only the issuer lifts a restriction',
    targets: () => [
      ...restrictions().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, reason: 'lifted by another authority' })),
      ),
      missingTarget('a missing restriction', (id) => ({ id, version: 1, reason: 'lift it' })),
    ],
  },
  'restrictions.comply': {
    min: 'officer',
    rule: 'only the issuer records compliance (every member sees a restriction, so others are forbidden)',
    targets: () => [
      ...restrictions().map((r) => writeTarget(r, (version) => ({ id: r.id, version, complied: true }))),
      {
        ...writeTarget(w.record('outcome-published'), (version) => ({
          id: w.record('outcome-published').id,
          version,
          complied: true,
        })),
        name: 'an outcome id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing restriction', (id) => ({ id, version: 1, complied: false })),
    ],
  },
  'restrictions.review': {
    min: 'officer',
    rule: 'only the issuer records a review (every member sees a restriction, so others are forbidden)',
    targets: () => [
      ...restrictions().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, nextReviewOn: '2026-09-01' })),
      ),
      missingTarget('a missing restriction', (id) => ({ id, version: 1, nextReviewOn: null })),
    ],
  },
  'concerns.get': {
    min: 'viewer',
    rule: 'the record layer (no summary for a concern); none answers as missing',
    targets: () => [
      ...concerns().map((r) => readTarget(r, { id: r.id })),
      {
        ...readTarget(w.record('outcome-published'), { id: w.record('outcome-published').id }),
        name: 'an outcome id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing concern', (id) => ({ id })),
    ],
  },
  'concerns.correct': {
    min: 'officer',
    rule: 'only the logger corrects a concern; one the caller may not know of answers as missing',
    targets: () => [
      ...concerns().map((r) =>
        writeTarget(r, (version) => ({
          id: r.id,
          version,
          level: 'minor',
          summary: 'overwritten by another authority',
          note: 'corrected by another authority',
        })),
      ),
      {
        ...writeTarget(w.record('restriction-on-setting'), (version) => ({
          id: w.record('restriction-on-setting').id,
          version,
          note: 'a correction',
          level: 'minor',
        })),
        name: 'a restriction id',
        expect: () => HIDDEN,
      },
      missingTarget('a missing concern', (id) => ({ id, version: 1, note: 'a correction', level: 'minor' })),
    ],
  },
  'concerns.substantiate': {
    min: 'officer',
    rule: 'only the logger marks a concern substantiated; one the caller may not know of answers as missing',
    targets: () => [
      ...concerns().map((r) => writeTarget(r, (version) => ({ id: r.id, version, note: 'confirmed' }))),
      missingTarget('a missing concern', (id) => ({ id, version: 1 })),
    ],
  },
  'concerns.unsubstantiate': {
    min: 'officer',
    rule: 'only the logger marks a concern unsubstantiated (it stops counting); one the caller may not know of answers as missing',
    targets: () => [
      ...concerns().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, note: 'evidence withdrawn' })),
      ),
      missingTarget('a missing concern', (id) => ({ id, version: 1 })),
    ],
  },
  'concerns.close': {
    min: 'officer',
    rule: 'only the logger closes a concern; one the caller may not know of answers as missing',
    targets: () => [
      ...concerns().map((r) =>
        writeTarget(r, (version) => ({ id: r.id, version, reason: 'closed by another authority' })),
      ),
      missingTarget('a missing concern', (id) => ({ id, version: 1, reason: 'close it' })),
    ],
  },
  'outcomes.deleteDraft': {
    min: 'officer',
    rule: 'only the author deletes its draft (a published one is a conflict); another’s draft answers as missing',
    targets: () => [
      ...outcomes().map((r) => writeTarget(r, (version) => ({ id: r.id, version }))),
      {
        ...writeTarget(w.record('restriction-on-setting'), (version) => ({
          id: w.record('restriction-on-setting').id,
          version,
        })),
        name: 'a restriction id',
        expect: () => HIDDEN,
      },
      {
        // The permitted call deletes a draft of the caller's own, written for it at the spare setting.
        name: 'a draft of its own',
        input: () => ({ id: w.record('draft-by-lead').id, version: w.record('draft-by-lead').version }),
        subject: null,
        expect: () => ok((v) => (get(v, 'deleted') === true ? [] : ['deletes nothing'])),
        fresh: async (a) => {
          const draft = await callPath(callerOf(a.key, 'officer'), 'outcomes.create', outcomeAt(w.spare.id));
          return { id: get(draft, 'id'), version: get(draft, 'version') };
        },
      },
      missingTarget('a missing outcome', (id) => ({ id, version: 1 })),
    ],
  },
  'placements.atProvision': {
    min: 'viewer',
    rule: 'who places at a setting is for its lead and host alone; the setting is public, so others are forbidden',
    targets: () => [
      publicTarget('setting P', { provisionId: w.p.id }, (a) =>
        a.key === 'lead' || a.key === 'host'
          ? ok((v) => placingIssues(v, a.key === 'lead' ? 'lead' : 'host', { placing: 2 }))
          : FORBIDDEN,
      ),
      publicTarget('setting P2', { provisionId: w.p2.id }, (a) =>
        a.key === 'host' ? ok((v) => placingIssues(v, 'host', { sibling: 1 })) : FORBIDDEN,
      ),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
    ],
  },
  'deadlines.overdue': {
    min: 'viewer',
    rule: 'an authority lists the deadlines of its own records and of records it reads in detail at settings it leads; another’s only the hub-admin',
    targets: () => deadlineTargets(),
  },
  'access.share': {
    min: 'officer',
    rule: 'the publisher, or the lead of the setting for an unrestricted record, shares it; a record the caller may not know of answers as missing',
    targets: () => [
      ...w.records.map((r): Target => ({
        name: describeRecord(r),
        input: () => ({ recordType: r.type, recordId: r.id, authorityId: w.authorities.sink.id }),
        subject: r.id,
        expect: (a) => {
          const d = w.decision(a.key, r);
          if (d.layer === 'none') return HIDDEN;
          if (a.key === r.publisher) return r.status === 'draft' ? CONFLICT : ok();
          const lead = d.bases.some((b) => b.basis === 'lead');
          return lead && !r.restricted ? ok() : FORBIDDEN;
        },
      })),
      missingTarget('a missing record', (id) => ({
        recordType: 'outcome',
        recordId: id,
        authorityId: w.authorities.sink.id,
      })),
    ],
  },
  'access.revoke': {
    min: 'officer',
    rule: 'the granter revokes a grant, the grantee its own pre-placement grant; the lead and host see pre-placement grants (403); anyone else: missing',
    targets: () => [
      ...w.grants.map((g): Target => ({
        name: `${g.granter}'s ${g.kind} grant to ${g.grantee} (${g.key})`,
        input: () => ({ grantId: g.id }),
        subject: g.id,
        expect: (a) => {
          if (a.key === g.granter || (a.key === g.grantee && g.kind === 'prospective')) return ok();
          // DESIGN.md §7: a forbidden action on a record the caller can see is a 403, not a 404.
          return seesGrant(a, g) ? FORBIDDEN : HIDDEN;
        },
        fresh: async () => ({ grantId: await cloneGrant(g) }),
      })),
      missingTarget('a missing grant', (id) => ({ grantId: id })),
    ],
  },

  // Other authorities' own things: answered as missing to everyone but their owner.
  'webhooks.delete': {
    min: 'admin',
    rule: 'an authority’s webhooks are its own; another’s answers as missing',
    targets: () => webhookTargets(true),
  },
  'webhooks.rotateSecret': {
    min: 'admin',
    rule: 'an authority’s webhooks are its own; another’s answers as missing',
    targets: () => webhookTargets(true),
  },
  'webhooks.test': {
    min: 'admin',
    rule: 'an authority’s webhooks are its own; another’s answers as missing',
    targets: () => webhookTargets(true),
  },
  'webhooks.deliveries': {
    min: 'admin',
    rule: 'an authority’s webhooks and their deliveries are its own',
    targets: () => webhookTargets(false),
  },
  'webhooks.resend': {
    min: 'admin',
    rule: 'a delivery is resent only through its own webhook, by the webhook’s authority',
    targets: () => [
      ownedTarget(
        "pub's webhook and its delivery",
        'pub',
        w.webhooks.pub.id,
        { id: w.webhooks.pub.id, deliveryId: w.webhooks.pub.deliveryId },
        {
          fresh: async (a) => {
            const id = await freshWebhook(a);
            const delivery = await callerOf(a.key, 'admin').webhooks.test({ id });
            return { id, deliveryId: delivery.id };
          },
        },
      ),
      {
        name: "member's own webhook with pub's delivery",
        input: () => ({ id: w.webhooks.member.id, deliveryId: w.webhooks.pub.deliveryId }),
        subject: w.webhooks.pub.deliveryId,
        expect: () => HIDDEN,
      },
      missingTarget('a missing webhook', (id) => ({ id, deliveryId: w.webhooks.pub.deliveryId })),
    ],
  },
  'clients.revoke': {
    min: 'admin',
    rule: 'an authority admin revokes its own clients, the hub-admin any; another’s answers as missing',
    targets: () => [
      ...(['pub', 'member'] as const).map((owner) =>
        ownedTarget(
          `${owner}'s API client`,
          owner,
          w.clients[owner],
          { id: w.clients[owner] },
          {
            hubAdmin: true,
            fresh: async () => ({
              id: (await h.makeClient(w.authorities[owner].id, 'viewer', 'to revoke')).client.id,
            }),
          },
        ),
      ),
      {
        name: 'a missing client',
        input: () => ({ id: 'ccx_00000000000000000000' }),
        subject: 'ccx_00000000000000000000',
        expect: () => MISSING,
      },
    ],
  },
  'placements.end': {
    min: 'officer',
    rule: 'a declaration is its authority’s own; another’s answers as missing',
    targets: () => [
      {
        name: "placing's declaration",
        input: (a) => ({
          id: w.placement.id,
          version: a.key === 'placing' ? w.placement.version + 7 : w.placement.version,
        }),
        subject: w.placement.id,
        expect: (a) => (a.key === 'placing' ? CONFLICT : HIDDEN),
      },
      missingTarget('a missing declaration', (id) => ({ id, version: 1 })),
    ],
  },

  // Lists and checks at a setting, a provider or a publisher: the setting is public, what is listed is filtered.
  'outcomes.listForProvision': {
    min: 'viewer',
    rule: 'lists what the caller may know of at a setting, each at its layer, one signal per publisher',
    targets: () => [
      listTarget(
        'setting P',
        { provisionId: w.p.id },
        (r) => r.type === 'outcome' && r.status !== 'draft',
        (v) => arr(v),
      ),
      listTarget(
        'setting P with drafts',
        { provisionId: w.p.id, includeDrafts: true },
        (r) => r.type === 'outcome',
        (v) => arr(v),
      ),
      listTarget(
        'setting P2',
        { provisionId: w.p2.id },
        () => false,
        (v) => arr(v),
      ),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
    ],
  },
  'outcomes.list': {
    min: 'viewer',
    rule: 'lists what the caller may know of, by setting or publisher, each at its layer',
    targets: () => [
      listTarget(
        'setting P',
        { provisionId: w.p.id },
        (r) => r.type === 'outcome' && r.status !== 'draft',
        items,
      ),
      listTarget(
        'publisher pub',
        { publisherAuthorityId: w.authorities.pub.id },
        (r) => r.type === 'outcome' && r.publisher === 'pub' && r.status !== 'draft',
        items,
      ),
      listTarget(
        'publisher lead, with drafts',
        { publisherAuthorityId: w.authorities.lead.id, includeDrafts: true },
        (r) => r.type === 'outcome' && r.publisher === 'lead',
        items,
      ),
      listTarget('a missing setting', { provisionId: randomUUID() }, () => false, items),
    ],
  },
  'restrictions.list': {
    min: 'viewer',
    rule: 'lists what the caller may know of, by setting, provider or issuer; one signal per issuer and target',
    targets: () => [
      listTarget(
        'setting P (and its provider)',
        { provisionId: w.p.id },
        (r) => r.type === 'restriction',
        items,
        restrictionSignalKey,
      ),
      listTarget(
        'provider Acme',
        { providerId: w.acme.id },
        (r) => r.type === 'restriction' && r.scope === 'provider',
        items,
        restrictionSignalKey,
      ),
      listTarget(
        'issuer pub',
        { issuerAuthorityId: w.authorities.pub.id },
        (r) => r.type === 'restriction',
        items,
        restrictionSignalKey,
      ),
      listTarget(
        'a missing provider',
        { providerId: randomUUID() },
        () => false,
        items,
        restrictionSignalKey,
      ),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
    ],
  },
  'concerns.list': {
    min: 'viewer',
    rule: 'concerns have no summary: detail with need to know, a signal for restricted ones, a count of the rest',
    targets: () => [
      {
        ...listTarget(
          'setting P',
          { provisionId: w.p.id },
          (r) => r.type === 'concern',
          (v) => arr(get(v, 'items')),
        ),
        expect: (a) =>
          ok((v) => {
            const atP = w.records.filter((r) => r.type === 'concern');
            const issues = listIssues(
              a,
              arr(get(v, 'items')),
              (r) => r.type === 'concern',
              (r) => r.publisher,
            );
            const hidden = atP.filter((r) => layer(a, r) !== 'detail').length;
            if (get(v, 'notVisible') !== hidden)
              issues.push(`notVisible ${String(get(v, 'notVisible'))}, expected ${hidden}`);
            if (get(v, 'concernsLast12Months') !== atP.length)
              issues.push('the risk count is not the whole count');
            return issues;
          }),
      },
      listTarget(
        'setting P2',
        { provisionId: w.p2.id },
        () => false,
        (v) => arr(get(v, 'items')),
      ),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
    ],
  },
  'checks.placement': {
    min: 'viewer',
    rule: 'the check shows every record at the caller’s layer, and names only records it may see',
    targets: () => [
      publicTarget('setting P by id', { provisionId: w.p.id }, (a) => ok((v) => latestOutcomeIssues(a, v))),
      publicTarget('setting P by URN', { urn: w.p.urn }, (a) => ok((v) => latestOutcomeIssues(a, v))),
      publicTarget('setting P2', { provisionId: w.p2.id }),
      missingTarget('a missing setting', (id) => ({ provisionId: id })),
      {
        name: 'a missing URN',
        input: () => ({ urn: 'SC000001' }),
        subject: 'SC000001',
        expect: () => MISSING,
      },
    ],
  },
  'checks.placementMany': {
    min: 'viewer',
    rule: 'each result as checks.placement; a missing setting is reported, not fatal',
    targets: () => [
      publicTarget(
        'P, P by URN, P2 and a missing setting',
        {
          items: [
            { provisionId: w.p.id },
            { urn: w.p.urn },
            { provisionId: w.p2.id },
            { provisionId: randomUUID() },
          ],
        },
        (a) =>
          ok((v) => {
            const results = arr(get(v, 'results'));
            const issues = [...latestOutcomeIssues(a, results[0]), ...latestOutcomeIssues(a, results[1])];
            if (get(results[3], 'ok') !== false)
              issues.push('a missing setting is not reported as not found');
            return issues;
          }),
      ),
    ],
  },
  'access.grants': {
    min: 'viewer',
    rule: 'grants to or from the caller, and pre-placement grants at settings it leads or hosts',
    targets: () => [
      grantsTarget('setting P', { provisionId: w.p.id }, w.p.id),
      grantsTarget('setting P2', { provisionId: w.p2.id }, w.p2.id),
      grantsTarget('a missing setting', { provisionId: randomUUID() }, null),
    ],
  },
  'allocations.list': {
    min: 'viewer',
    rule: 'allocations (who leads what) are known to every member',
    targets: () => [
      publicTarget('setting P', { provisionId: w.p.id }, () =>
        ok((v) =>
          arr(get(v, 'items')).some((x) => get(x, 'authorityId') === w.authorities.lead.id)
            ? []
            : ['the lead is not listed'],
        ),
      ),
      publicTarget('authority lead', { authorityId: w.authorities.lead.id }),
      publicTarget('a missing setting', { provisionId: randomUUID() }),
    ],
  },
  'audit.list': {
    min: 'officer',
    rule: 'the caller’s own trail, or others’ reads of its records and at its settings — never a record it may not know of',
    targets: () =>
      (['mine', 'reads-of-my-records', 'reads-at-my-provisions'] as const).flatMap((scope) => [
        auditTarget(scope, null),
        ...['outcome-draft', 'draft-by-lead', 'outcome-restricted', 'concern'].map((k) =>
          auditTarget(scope, w.record(k)),
        ),
        auditTarget(scope, 'missing'),
      ]),
  },

  // Another authority's chain, clients and membership: its own, or the hub-admin's.
  'audit.verify': {
    min: 'officer',
    rule: 'an authority verifies its own chain; the hub-admin any',
    targets: () => chainTargets(),
  },
  'audit.exportHead': {
    min: 'officer',
    rule: 'an authority exports its own chain head; the hub-admin any',
    targets: () => chainTargets(),
  },
  'clients.list': {
    min: 'admin',
    rule: 'an authority admin lists its own clients; the hub-admin any authority’s',
    targets: () => [
      {
        name: 'its own authority',
        input: (a) => ({ authorityId: a.authorityId }),
        subject: null,
        expect: (a) => ok((v) => onlyClientsOf(v, a.authorityId)),
      },
      {
        name: 'no authority named',
        input: () => ({}),
        subject: null,
        expect: (a) => ok((v) => (a.role === 'hub-admin' ? [] : onlyClientsOf(v, a.authorityId))),
      },
      publicTarget('authority pub', { authorityId: w.authorities.pub.id }, (a) =>
        a.key === 'pub' || a.role === 'hub-admin'
          ? ok((v) => onlyClientsOf(v, w.authorities.pub.id))
          : FORBIDDEN,
      ),
      publicTarget('a missing authority', { authorityId: missingLike(w.authorities.pub.id) }, (a) =>
        a.role === 'hub-admin'
          ? ok((v) => (arr(v).length === 0 ? [] : ['lists clients of no authority']))
          : FORBIDDEN,
      ),
    ],
  },
  'clients.create': {
    min: 'admin',
    rule: 'an authority admin creates clients for its own authority; the hub-admin for any',
    targets: () => [
      {
        name: 'its own authority',
        input: (a) => ({ authorityId: a.authorityId, name: 'new tool', role: 'viewer' }),
        subject: null,
        expect: (a) =>
          ok((v) =>
            get(v, 'client', 'authorityId') === a.authorityId ? [] : ['made for another authority'],
          ),
      },
      publicTarget(
        'authority pub',
        { authorityId: w.authorities.pub.id, name: 'planted tool', role: 'viewer' },
        (a) => (a.key === 'pub' || a.role === 'hub-admin' ? ok() : FORBIDDEN),
      ),
      publicTarget(
        'a missing authority',
        { authorityId: missingLike(w.authorities.pub.id), name: 'x', role: 'viewer' },
        (a) => (a.role === 'hub-admin' ? MISSING : FORBIDDEN),
      ),
    ],
  },
  'authorities.get': {
    min: 'viewer',
    rule: 'member authorities are known to every member',
    targets: () => [
      publicTarget('authority pub', { id: w.authorities.pub.id }),
      publicTarget('the operator', { id: w.authorities.operator.id }),
      publicTarget('a missing authority', { id: missingLike(w.authorities.pub.id) }, () => MISSING),
    ],
  },
  'authorities.update': {
    min: 'hub-admin',
    rule: 'the hub-admin keeps the membership',
    targets: () => [
      publicTarget(
        'authority member (stale version)',
        { id: w.authorities.member.id, version: 1000, name: 'Renamed' },
        () => CONFLICT,
      ),
      publicTarget(
        'a missing authority',
        { id: missingLike(w.authorities.member.id), version: 1, name: 'x' },
        () => MISSING,
      ),
    ],
  },
  'authorities.create': {
    min: 'hub-admin',
    rule: 'the hub-admin admits members; an id in use is a conflict',
    targets: () => [
      publicTarget(
        'the id of authority pub',
        {
          id: w.authorities.pub.id,
          name: 'Impostor',
          region: 'london',
          qaInbox: 'qa@impostor.example.gov.uk',
        },
        () => CONFLICT,
      ),
    ],
  },

  // The directory: public; members' officers keep it (the version check still applies).
  'providers.get': {
    min: 'viewer',
    rule: 'the directory is public to members',
    targets: () => [
      publicTarget('provider Acme', { id: w.acme.id }),
      missingTarget('a missing provider', (id) => ({ id })),
    ],
  },
  'provisions.get': {
    min: 'viewer',
    rule: 'the directory is public to members',
    targets: () => [
      publicTarget('setting P', { id: w.p.id }),
      missingTarget('a missing setting', (id) => ({ id })),
    ],
  },
  'providers.update': {
    min: 'officer',
    rule: 'the hub-admin or the host of one of its settings keeps a provider’s facts; others may see it, so they are forbidden (a stale version changes nothing)',
    targets: () => [
      publicTarget('provider Acme (stale version)', { id: w.acme.id, version: 1000, name: 'Renamed' }, (a) =>
        a.key === 'host' || a.role === 'hub-admin' ? CONFLICT : FORBIDDEN,
      ),
      missingTarget('a missing provider', (id) => ({ id, version: 1, name: 'x' })),
    ],
  },
  'provisions.update': {
    min: 'officer',
    rule: 'the host authority or the hub-admin keeps a setting’s facts; others may see it, so they are forbidden (a stale version changes nothing)',
    targets: () => [
      publicTarget('setting P (stale version)', { id: w.p.id, version: 1000, name: 'Renamed' }, (a) =>
        a.key === 'host' || a.role === 'hub-admin' ? CONFLICT : FORBIDDEN,
      ),
      missingTarget('a missing setting', (id) => ({ id, version: 1, name: 'x' })),
    ],
  },
  'provisions.proposeCorrection': {
    min: 'officer',
    rule: 'the setting is a directory fact every member may know: any officer proposes a correction of any setting, as its own; proposing changes nothing in the directory',
    targets: () => [
      publicTarget(
        'setting P',
        { provisionId: w.p.id, changes: { postcode: 'ZZ1 1ZZ' }, reason: 'the inspection report' },
        (a) =>
          ok((v) => [
            ...publishedBy(v, 'proposerAuthorityId', a),
            ...(get(v, 'status') === 'proposed' ? [] : ['is not left proposed']),
          ]),
      ),
      missingTarget('a missing setting', (id) => ({
        provisionId: id,
        changes: { postcode: 'ZZ1 1ZZ' },
        reason: 'x',
      })),
    ],
  },
  'providers.proposeCorrection': {
    min: 'officer',
    rule: 'the provider is a directory fact every member may know: any officer proposes a correction of any provider, as its own',
    targets: () => [
      publicTarget(
        'provider Acme',
        { providerId: w.acme.id, changes: { companyNumber: '01234567' }, reason: 'Companies House' },
        (a) =>
          ok((v) => [
            ...publishedBy(v, 'proposerAuthorityId', a),
            ...(get(v, 'status') === 'proposed' ? [] : ['is not left proposed']),
          ]),
      ),
      missingTarget('a missing provider', (id) => ({
        providerId: id,
        changes: { companyNumber: '01234567' },
        reason: 'x',
      })),
    ],
  },
  'corrections.get': {
    min: 'viewer',
    rule: 'a correction is read by its proposer, the host authority of its entry and the hub-admin; to anyone else it answers as a missing one',
    targets: () => [
      ...(['ofP', 'ofAcme'] as const).map((which): Target => ({
        name: `member's proposed correction of ${which === 'ofP' ? 'setting P' : 'provider Acme'}`,
        input: () => ({ id: directory[which].id }),
        subject: directory[which].id,
        expect: (a) =>
          a.key === 'member' || a.key === 'host' || a.role === 'hub-admin'
            ? ok((v) => (get(v, 'id') === directory[which].id ? [] : ['answers another correction']))
            : HIDDEN,
      })),
      missingTarget('a missing correction', (id) => ({ id })),
    ],
  },
  'corrections.accept': {
    min: 'officer',
    rule: 'decided by the host authority or the hub-admin; the proposer is forbidden; anyone else finds it missing; nothing changes',
    targets: () => decisionTargets({}),
  },
  'corrections.decline': {
    min: 'officer',
    rule: 'as corrections.accept: decided by the host authority or the hub-admin; the proposer forbidden, anyone else missing',
    targets: () => decisionTargets({ note: 'the certificate says otherwise' }),
  },
  'provisions.merge': {
    min: 'hub-admin',
    rule: 'the hub-admin merges two settings; both must exist',
    targets: () => [
      publicTarget('P2 into P (a dry run)', { survivorId: w.p.id, mergedId: w.p2.id, dryRun: true }, () =>
        ok((v) =>
          get(v, 'dryRun') === true && get(v, 'mergedId') === w.p2.id ? [] : ['answers another merge'],
        ),
      ),
      {
        ...publicTarget('two new settings', { survivorId: w.p.id, mergedId: w.p2.id, dryRun: true }, () =>
          ok((v) => (get(v, 'dryRun') === false ? [] : ['did not merge'])),
        ),
        fresh: async () => ({
          survivorId: (await h.makeProvision({ providerId: w.spareProvider.id })).id,
          mergedId: (await h.makeProvision({ providerId: w.spareProvider.id })).id,
        }),
      },
      missingTarget('a missing merged setting', (id) => ({ survivorId: w.p.id, mergedId: id, dryRun: true })),
      missingTarget('a missing survivor', (id) => ({ survivorId: id, mergedId: w.p2.id, dryRun: true })),
    ],
  },
  'providers.merge': {
    min: 'hub-admin',
    rule: 'the hub-admin merges two providers; both must exist',
    targets: () => [
      publicTarget(
        'the spare provider into Acme (a dry run)',
        { survivorId: w.acme.id, mergedId: w.spareProvider.id, dryRun: true },
        () =>
          ok((v) =>
            get(v, 'dryRun') === true && get(v, 'mergedId') === w.spareProvider.id
              ? []
              : ['answers another merge'],
          ),
      ),
      {
        ...publicTarget(
          'two new providers',
          { survivorId: w.acme.id, mergedId: w.spareProvider.id, dryRun: true },
          () => ok((v) => (get(v, 'dryRun') === false ? [] : ['did not merge'])),
        ),
        fresh: async () => ({
          survivorId: (await h.makeProvider()).id,
          mergedId: (await h.makeProvision()).providerId,
        }),
      },
      missingTarget('a missing merged provider', (id) => ({
        survivorId: w.acme.id,
        mergedId: id,
        dryRun: true,
      })),
      missingTarget('a missing survivor', (id) => ({
        survivorId: id,
        mergedId: w.spareProvider.id,
        dryRun: true,
      })),
    ],
  },
  'provisions.search': {
    min: 'viewer',
    rule: 'the directory is public to members',
    targets: () => [
      publicTarget('host authority host', { hostAuthorityId: w.authorities.host.id }, () =>
        ok((v) => hasItem(v, w.p.id)),
      ),
      publicTarget('provider Acme', { providerId: w.acme.id }, () => ok((v) => hasItem(v, w.p.id))),
      publicTarget('URN of P', { urn: w.p.urn }, () => ok((v) => hasItem(v, w.p.id))),
      publicTarget('a missing provider', { providerId: randomUUID() }),
    ],
  },
  'provisions.create': {
    min: 'hub-admin',
    rule: 'the hub operator adds settings (their host and provider decide who sees what); the provider and host must exist',
    targets: () => [
      publicTarget('the spare provider', {
        providerId: w.spareProvider.id,
        name: `Added ${uniq()}`,
        type: 'childrens-home',
        hostAuthorityId: w.authorities.operator.id,
      }),
      missingTarget('a missing provider', (id) => ({
        providerId: id,
        name: 'x',
        type: 'childrens-home',
        hostAuthorityId: w.authorities.operator.id,
      })),
      publicTarget(
        'a missing host authority',
        {
          providerId: w.spareProvider.id,
          name: 'x',
          type: 'childrens-home',
          hostAuthorityId: missingLike(w.authorities.operator.id),
        },
        () => MISSING,
      ),
    ],
  },

  // Writes that name a setting: settings are public; the new record is the caller's own.
  'outcomes.create': {
    min: 'officer',
    rule: 'any officer may write about any setting in the directory',
    targets: () => [
      publicTarget('the spare setting', outcomeAt(w.spare.id), (a) =>
        ok((v) => publishedBy(v, 'publisherAuthorityId', a)),
      ),
      missingTarget('a missing setting', (id) => outcomeAt(id)),
    ],
  },
  'concerns.log': {
    min: 'officer',
    rule: 'any officer may log a concern about any setting',
    targets: () => [
      publicTarget('the spare setting', concernAt(w.spare.id), (a) =>
        ok((v) => publishedBy(v, 'loggedByAuthorityId', a)),
      ),
      missingTarget('a missing setting', (id) => concernAt(id)),
    ],
  },
  'restrictions.create': {
    min: 'officer',
    rule: 'any officer may restrict any setting or provider; the issuer is the caller',
    targets: () => [
      publicTarget('the spare setting', restrictionOn({ provisionId: w.spare.id }), (a) =>
        ok((v) => publishedBy(v, 'issuerAuthorityId', a)),
      ),
      publicTarget('the spare provider', restrictionOn({ providerId: w.spareProvider.id }), (a) =>
        ok((v) => publishedBy(v, 'issuerAuthorityId', a)),
      ),
      missingTarget('a missing setting', (id) => restrictionOn({ provisionId: id })),
      missingTarget('a missing provider', (id) => restrictionOn({ providerId: id })),
    ],
  },
  'placements.declare': {
    min: 'officer',
    rule: 'an authority declares its own placements at any setting',
    targets: () => [
      publicTarget(
        'the spare setting',
        { provisionId: w.spare.id, children: 1, fromDate: '2026-06-01' },
        (a) => ok((v) => publishedBy(v, 'authorityId', a)),
      ),
      missingTarget('a missing setting', (id) => ({ provisionId: id, children: 1 })),
    ],
  },
  'placements.import': {
    min: 'officer',
    rule: 'an authority imports its own placements; a missing setting is a row error (dry runs change nothing)',
    targets: () => [
      publicTarget(
        'the spare setting and P by URN',
        {
          rows: [
            { provisionId: w.spare.id, children: 1 },
            { urn: w.p.urn, children: 1 },
          ],
          dryRun: true,
        },
        () =>
          ok((v) => (arr(get(v, 'errors')).length === 0 ? [] : ['reports errors for settings that exist'])),
      ),
      publicTarget(
        'a missing setting',
        { rows: [{ provisionId: randomUUID(), children: 1 }], dryRun: true },
        () => ok((v) => (arr(get(v, 'errors')).length === 1 ? [] : ['does not report the missing setting'])),
      ),
    ],
  },
  'access.requestProspective': {
    min: 'officer',
    rule: 'any officer may ask for pre-placement access to any setting (the lead and host are told)',
    targets: () => [
      {
        ...publicTarget('a spare setting', prospectiveAt(w.spare.id), (a) =>
          ok((v) => publishedBy(v, 'authorityId', a)),
        ),
        // One open grant per authority and setting: each permitted call gets a setting of its own.
        fresh: async () => prospectiveAt((await h.makeProvision({ providerId: w.spareProvider.id })).id),
      },
      missingTarget('a missing setting', (id) => prospectiveAt(id)),
    ],
  },
  'allocations.assign': {
    min: 'hub-admin',
    rule: 'the hub-admin allocates; the setting and the authority must exist',
    targets: () => [
      publicTarget('the spare setting to member', {
        provisionId: w.spare.id,
        authorityId: w.authorities.member.id,
        rationale: 'by agreement',
      }),
      missingTarget('a missing setting', (id) => ({
        provisionId: id,
        authorityId: w.authorities.member.id,
        rationale: 'by agreement',
      })),
      publicTarget(
        'a missing authority',
        {
          provisionId: w.spare.id,
          authorityId: missingLike(w.authorities.member.id),
          rationale: 'by agreement',
        },
        () => MISSING,
      ),
    ],
  },
  'webhooks.create': {
    min: 'admin',
    rule: 'a webhook is the caller’s own; a setting filter narrows what the feed (itself filtered by need to know) sends',
    targets: () => [
      publicTarget('filtered to P', { ...w.webhooks.input, provisionIds: [w.p.id] }, (a) =>
        ok((v) => publishedBy(v, 'authorityId', a, 'webhook')),
      ),
      publicTarget('filtered to a missing setting', { ...w.webhooks.input, provisionIds: [randomUUID()] }),
    ],
  },

  // People and sign-in settings: an authority's own, managed by its admins; the hub-admin any.
  'people.reinvite': {
    min: 'admin',
    rule: 'an authority admin re-invites its own people, the hub-admin any (not one above the caller); another’s answers as missing',
    targets: () => [
      ...personTargets(
        'invited',
        (id) => ({ id }),
        (v, authorityId) => personIs(get(v, 'person'), authorityId, { status: 'invited' }),
      ),
      {
        // Only an invited person is sent a new link: one who has set up is a conflict to those who know of them.
        name: "pub's active viewer",
        input: () => ({ id: staff.active.pub }),
        subject: staff.active.pub,
        expect: (a) => (a.key === 'pub' || a.role === 'hub-admin' ? CONFLICT : HIDDEN),
      },
    ],
  },
  'people.setRole': {
    min: 'admin',
    rule: 'an authority admin sets its own people’s roles, the hub-admin any (not one above the caller); another’s answers as missing',
    targets: () =>
      personTargets(
        'active',
        (id) => ({ id, role: 'officer' }),
        (v, authorityId) => personIs(v, authorityId, { role: 'officer', status: 'active' }),
      ),
  },
  'people.deactivate': {
    min: 'admin',
    rule: 'an authority admin deactivates its own people, the hub-admin any (not one above the caller); another’s answers as missing',
    targets: () =>
      personTargets(
        'active',
        (id) => ({ id }),
        (v, authorityId) => personIs(v, authorityId, { status: 'deactivated' }),
      ),
  },
  'people.invite': {
    min: 'admin',
    rule: 'an authority admin invites people to its own authority; the hub-admin to any',
    targets: () =>
      authorityTargets(
        (_a, authorityId) => inviteOf(authorityId),
        (v, authorityId) => personIs(get(v, 'person'), authorityId, { status: 'invited', role: 'viewer' }),
        MISSING,
      ),
  },
  'people.list': {
    min: 'admin',
    rule: 'an authority admin lists its own people; the hub-admin any authority’s, or everyone',
    targets: () =>
      authorityTargets(
        (_a, authorityId) => (authorityId ? { authorityId } : {}),
        (v, authorityId) => onlyPeopleOf(v, authorityId),
        ok((v) => (arr(v).length === 0 ? [] : ['lists people of no authority'])),
        { unnamedIsEvery: true },
      ),
  },
  'identityProviders.get': {
    min: 'admin',
    rule: 'an authority admin reads its own sign-in settings; the hub-admin any authority’s; the client secret never',
    targets: () =>
      authorityTargets(
        (_a, authorityId) => (authorityId ? { authorityId } : {}),
        (v, authorityId) => [
          ...providerIssues(v, authorityId),
          ...(authorityId === w.authorities.pub.id && v === null ? ['does not answer pub’s provider'] : []),
        ],
        ok((v) => (v === null ? [] : ['answers a provider of no authority'])),
      ),
  },
  'identityProviders.set': {
    min: 'admin',
    rule: 'an authority admin sets its own sign-in settings; the hub-admin any authority’s',
    targets: () =>
      authorityTargets(
        (a, authorityId) => providerOf(authorityId, authorityId ?? a.authorityId),
        (v, authorityId) => [
          ...providerIssues(v, authorityId),
          ...(v === null ? ['answers no provider'] : []),
        ],
        MISSING,
      ),
  },
  'identityProviders.remove': {
    min: 'admin',
    rule: 'an authority admin removes its own sign-in settings; the hub-admin any authority’s',
    targets: () =>
      authorityTargets(
        (_a, authorityId) => (authorityId ? { authorityId } : {}),
        (v) => (typeof get(v, 'removed') === 'boolean' ? [] : ['answers no verdict']),
        ok((v) => (get(v, 'removed') === false ? [] : ['removes a provider of no authority'])),
        {
          fresh: async () => {
            await seedProvider();
            return { authorityId: w.authorities.pub.id };
          },
        },
      ),
  },
};

/** Procedures whose id is not a record's, each tested on its own below. */
const SEPARATELY: Record<string, string> = {
  'events.subscribe':
    'lastEventId is a position in the feed, not a record: the stream from any position carries only what the subscriber may see',
  // A person's own passkeys: the table's callers are API clients, which have none (a person's call,
  // refused to any client with FORBIDDEN), so each rule is proved person by person below.
  'passkeys.remove':
    'a passkey id is looked for only among the signed-in caller’s own passkeys: another person’s answers exactly as a missing one (in process and byte for byte over HTTP), changes nothing, and still signs its owner in',
  'passkeys.register':
    'id and rawId are the credential id the authenticator chose, inside the WebAuthn answer, naming nothing of another’s to reach: the passkey is always the caller’s own, and a credential id another person holds (not secret: passkeys.signInOptions offers it for their address) is a CONFLICT that leaves theirs as it was',
  'passkeys.signIn':
    'challengeId is the hub’s one-use challenge (kept hashed), and the credential id is believed only with a signature by its stored key: another person’s id signed with the caller’s own registered key is refused exactly as an unknown credential is (an unknown credential and a user handle naming another person: test/api/people/passkeys.test.ts)',
};

// ---------------------------------------------------------------------------------------------
// Builders the table uses

const items = (v: unknown): unknown[] => arr(get(v, 'items'));
const restrictionSignalKey = (r: SeededRecord) => `${r.publisher}:${r.scope}`;

const listTarget = (
  name: string,
  input: unknown,
  scope: (r: SeededRecord) => boolean,
  itemsOf: (v: unknown) => unknown[],
  signalKey: (r: SeededRecord) => string = (r) => r.publisher,
): Target => publicTarget(name, input, (a) => ok((v) => listIssues(a, itemsOf(v), scope, signalKey)));

/**
 * The latest published outcome at P is the restricted one. The check's latest outcome is the newest the
 * caller may read, at its layer, as though a restricted one it sees only as a signal were not there; each
 * record at P it sees only as a signal stands behind a restricted-information reason by its opaque id
 * alone, and a caller with none is given no such reason.
 */
const latestOutcomeIssues = (a: Actor, v: unknown): string[] => {
  const issues: string[] = [];
  const readable = outcomes()
    .filter((r) => r.status === 'published' && ['detail', 'summary'].includes(layer(a, r)))
    .sort((x, y) => String(y.activityDate).localeCompare(String(x.activityDate)));
  const want = readable[0];
  const got = get(v, 'latestOutcome');
  if (!want) return got === null ? [] : ['shows a latest outcome it may not read'];
  if (get(got, 'id') !== want.id || get(got, 'layer') !== layer(a, want))
    issues.push(
      `shows the latest outcome ${String(get(got, 'id'))} at layer ${String(get(got, 'layer'))}, not ${want.key} at ${layer(a, want)}`,
    );
  const signalled = w.records.filter((r) => layer(a, r) === 'signal');
  const reasons = arr(get(v, 'reasons')).filter((r) => get(r, 'code') === 'restricted-information');
  const signalIds = reasons.flatMap((r) => arr(get(r, 'signalIds')));
  if (signalled.length === 0 && reasons.length > 0) issues.push('gives a restricted-information reason');
  if (signalled.length > 0 && signalIds.length === 0)
    issues.push(`gives no signal id for the ${signalled.length} records it sees only as signals`);
  if (signalIds.some((id) => typeof id !== 'string' || !id.startsWith('sig_')))
    issues.push(`gives signal ids that are not opaque: ${JSON.stringify(signalIds)}`);
  if (reasons.some((r) => get(r, 'recordId') !== null)) issues.push('names a record behind a signal');
  return issues;
};

/** Who places at a setting, as its lead or host sees it: each authority with its number of children. */
const placingIssues = (v: unknown, basis: 'lead' | 'host', want: Partial<Record<AuthorityKey, number>>) => {
  const issues = get(v, 'basis') === basis ? [] : [`answers basis ${String(get(v, 'basis'))}, not ${basis}`];
  const got = Object.fromEntries(
    arr(get(v, 'authorities')).map((x) => [
      String(w.keyOf(String(get(x, 'authorityId')))),
      Number(get(x, 'children')),
    ]),
  );
  if (JSON.stringify(got) !== JSON.stringify(want))
    issues.push(`lists ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  return issues;
};

/**
 * The deadlines list, naming no authority, the caller's own, pub's, or a missing one: each line is of a
 * record the caller published, or reads in detail at a setting it leads — or, for the hub-admin, of any
 * authority. Ahead by 30 days, so the world's action items and its letter of concern are listed.
 */
const deadlineTargets = (): Target[] => {
  const lines = (a: Actor, subject: AuthorityKey | 'every') =>
    ok((v) => {
      const issues: string[] = [];
      for (const item of items(v)) {
        const r = w.records.find((x) => x.id === get(item, 'recordId'));
        const label = r?.key ?? String(get(item, 'recordId'));
        const mine = (key: AuthorityKey) =>
          r !== undefined &&
          (r.publisher === key || (key === 'lead' && r.scope === 'provision' && layer(a, r) === 'detail'));
        if (subject !== 'every' && !mine(subject)) issues.push(`lists a deadline of ${label}`);
        if (r && layer(a, r) !== 'detail' && JSON.stringify(item).includes(r.secret))
          issues.push(`says what the deadline of ${label} is about`);
      }
      return issues;
    });
  return [
    publicTarget('its own authority', {}, (a) => lines(a, a.role === 'hub-admin' ? 'every' : a.key)),
    {
      name: 'its own authority, named, 30 days ahead',
      input: (a) => ({ authorityId: a.authorityId, dueWithinDays: 30 }),
      subject: null,
      expect: (a) => lines(a, a.key),
    },
    publicTarget("pub's, 30 days ahead", { authorityId: w.authorities.pub.id, dueWithinDays: 30 }, (a) =>
      a.key === 'pub' || a.role === 'hub-admin' ? lines(a, 'pub') : FORBIDDEN,
    ),
    publicTarget('a missing authority', { authorityId: missingLike(w.authorities.pub.id) }, (a) =>
      a.role === 'hub-admin'
        ? ok((v) => (items(v).length === 0 ? [] : ['lists deadlines of no authority']))
        : FORBIDDEN,
    ),
  ];
};

const grantsTarget = (name: string, input: unknown, provisionId: string | null): Target =>
  publicTarget(name, input, (a) =>
    ok((v) => {
      const issues: string[] = [];
      const listed = arr(v);
      for (const g of listed) {
        const key = w.keyOf(String(get(g, 'authorityId')));
        const by = w.keyOf(String(get(g, 'grantedByAuthorityId')));
        const mine = key === a.key || by === a.key;
        const watched =
          get(g, 'kind') === 'prospective' &&
          get(g, 'provisionId') === w.p.id &&
          (a.key === 'lead' || a.key === 'host');
        if (!mine && !watched)
          issues.push(`lists grant ${String(get(g, 'id'))} of ${String(key)} from ${String(by)}`);
      }
      const ids = new Set(listed.map((g) => get(g, 'id')));
      // Every seeded grant is about a record at P, or is the pre-placement grant at P.
      for (const g of w.grants)
        if (provisionId === w.p.id && seesGrant(a, g) && !ids.has(g.id))
          issues.push(`does not list ${g.key}`);
      return issues;
    }),
  );

const auditTarget = (
  scope: 'mine' | 'reads-of-my-records' | 'reads-at-my-provisions',
  r: SeededRecord | null | 'missing',
): Target => {
  const recordId = r === null ? undefined : r === 'missing' ? randomUUID() : r.id;
  return {
    name: `scope ${scope}${r === null ? '' : `, record ${r === 'missing' ? 'missing' : r.key}`}`,
    input: () => ({ scope, ...(recordId ? { recordId } : {}) }),
    subject: null,
    expect: (a) =>
      ok((v) => {
        const entries = items(v);
        const issues: string[] = [];
        for (const e of entries) {
          const own = get(e, 'authorityId') === a.authorityId;
          if ((scope === 'mine') !== own)
            issues.push(`scope ${scope} holds an entry of ${String(get(e, 'authorityId'))}`);
        }
        // Of a record it may not know of, the trail says nothing, exactly as of a missing one.
        if ((r === 'missing' || (r !== null && layer(a, r) === 'none')) && entries.length > 0)
          issues.push(`holds ${entries.length} entries about a record it may not know of`);
        return issues;
      }),
  };
};

const chainTargets = (): Target[] => [
  {
    name: 'its own chain',
    input: (a) => ({ authorityId: a.authorityId }),
    subject: null,
    expect: (a) => ok((v) => (get(v, 'authorityId') === a.authorityId ? [] : ['answers another chain'])),
  },
  publicTarget('no authority named', {}, (a) =>
    ok((v) => (get(v, 'authorityId') === a.authorityId ? [] : ['answers another chain'])),
  ),
  publicTarget("pub's chain", { authorityId: w.authorities.pub.id }, (a) =>
    a.key === 'pub' || a.role === 'hub-admin' ? ok() : FORBIDDEN,
  ),
  publicTarget('a missing authority', { authorityId: missingLike(w.authorities.pub.id) }, (a) =>
    a.role === 'hub-admin' ? ok() : FORBIDDEN,
  ),
];

const webhookTargets = (mutates: boolean): Target[] => [
  ...(['pub', 'member'] as const).map((owner) =>
    ownedTarget(
      `${owner}'s webhook`,
      owner,
      w.webhooks[owner].id,
      { id: w.webhooks[owner].id },
      mutates ? { fresh: async (a) => ({ id: await freshWebhook(a) }) } : {},
    ),
  ),
  missingTarget('a missing webhook', (id) => ({ id })),
];

const onlyClientsOf = (v: unknown, authorityId: string): string[] =>
  arr(v).every((c) => get(c, 'authorityId') === authorityId)
    ? []
    : [`lists clients of authorities other than ${authorityId}`];

const hasItem = (v: unknown, id: string): string[] =>
  items(v).some((x) => get(x, 'id') === id) ? [] : [`does not find ${id}`];

/** The new record is the caller's, whatever the input said. */
const publishedBy = (v: unknown, field: string, a: Actor, under?: string): string[] => {
  const got = under ? get(v, under, field) : get(v, field);
  return got === a.authorityId ? [] : [`the new record's ${field} is ${String(got)}, not the caller's`];
};

const outcomeAt = (provisionId: string) => ({
  provisionId,
  activityType: 'desk-review',
  activityDate: '2026-06-01',
  overallRating: 2,
  summary: 'a desk review',
});
const concernAt = (provisionId: string) => ({
  provisionId,
  category: 'quality',
  level: 'minor',
  occurredOn: '2026-06-01',
  summary: 'a concern',
});
const restrictionOn = (target: { provisionId: string } | { providerId: string }) => ({
  ...target,
  kind: 'action-plan',
  reasons: [{ category: 'quality', text: 'an action plan' }],
});
const prospectiveAt = (provisionId: string) => ({
  provisionId,
  reason: 'matching a child to a setting',
  caseReference: 'SEC-2026-0002',
});

// ---------------------------------------------------------------------------------------------
// The tests

const ID_TAKING = PROCEDURES.filter((p) => inputFields(p.schema).some(isIdField)).map((p) => p.path);

describe('the id-taking procedures', () => {
  test('are found by reading the input contracts', () => {
    expect(ID_TAKING.length).toBeGreaterThanOrEqual(40);
    for (const p of [
      'outcomes.get',
      'access.revoke',
      'webhooks.resend',
      'clients.revoke',
      'checks.placementMany',
    ])
      expect(ID_TAKING).toContain(p);
  });

  test('are each classified here, and nothing classified is stale', () => {
    const classified = [...Object.keys(SPECS), ...Object.keys(SEPARATELY)];
    const unclassified = ID_TAKING.filter((p) => !classified.includes(p));
    const stale = classified.filter((p) => !ID_TAKING.includes(p));
    expect(unclassified, 'procedures that take an id with no object-level rule in SPECS').toEqual([]);
    expect(stale, 'SPECS entries for procedures that take no id (or no longer exist)').toEqual([]);
  });
});

describe('the world and its oracle', () => {
  test('the policy module decides every record as the need-to-know rules of DESIGN.md §3 state', () => {
    const disagreements: string[] = [];
    for (const key of CALLING_KEYS)
      for (const r of w.records) {
        const decided = w.decision(key, r).layer;
        const stated = designLayer(key, r);
        if (decided !== stated) disagreements.push(`${key} on ${r.key}: policy ${decided}, rules ${stated}`);
      }
    expect(disagreements).toEqual([]);
  });

  test('holds records at every layer, and for each type a record someone sees and someone does not', () => {
    const layers = new Set(CALLING_KEYS.flatMap((k) => w.records.map((r) => w.decision(k, r).layer)));
    expect([...layers].sort()).toEqual(['detail', 'none', 'signal', 'summary']);
    for (const type of ['outcome', 'restriction', 'concern'] as const) {
      const seen = CALLING_KEYS.flatMap((k) =>
        w.records.filter((r) => r.type === type).map((r) => w.decision(k, r).layer),
      );
      expect(seen, type).toContain('detail');
      expect(
        seen.some((l) => l !== 'detail'),
        type,
      ).toBe(true);
    }
  });
});

describe('object-level authorisation, procedure by procedure', () => {
  for (const [path, spec] of Object.entries(SPECS)) {
    test(`${path}: ${spec.rule}`, async () => {
      const issues = await runSpec(path, spec);
      expect(issues).toEqual([]);
    });
  }

  test('events.subscribe: a stream resumed from any position carries only what the subscriber may see', async () => {
    covered.add('events.subscribe');
    const issues: string[] = [];
    // The positions either side of the restricted outcome's own event: resuming there shows no more.
    const [hidden] = await queryRows<{ seq: number }>(
      h.hub.database.db,
      sql`select seq::int as seq from events where record_id = ${w.record('outcome-restricted').id}::uuid order by seq limit 1`,
    );
    const member = w.actor('member', 'viewer');
    const runs = [
      // One client per authority from the start: the feed is filtered by authority, not by role.
      ...w.actors.filter((x) => x.role === 'viewer' || x.role === 'hub-admin').map((a) => ({ a, from: '0' })),
      { a: member, from: String((hidden?.seq ?? 1) - 1) },
      { a: member, from: String(hidden?.seq ?? 1) },
    ];
    for (const { a, from } of runs) {
      cases++;
      const controller = new AbortController();
      const caller = createCaller(createContextInner({ hub: h.hub, principal: a.principal }), {
        signal: controller.signal,
      });
      const seen: unknown[] = [];
      // The stream polls for ever; what is already in the feed arrives at once.
      const timer = setTimeout(() => controller.abort(), 100);
      try {
        for await (const e of await caller.events.subscribe({ lastEventId: from })) seen.push(e);
      } catch (err) {
        // Ending the stream by aborting it is how a subscriber leaves; anything else is a failure.
        if (!controller.signal.aborted) throw err;
      } finally {
        clearTimeout(timer);
      }
      if (from === '0' && seen.length === 0) issues.push(`${a.label}: the stream from 0 is empty`);
      issues.push(...leakIssues(a, {}, seen).map((i) => `${a.label} from ${from}: ${i}`));
      issues.push(...viewIssues(a, seen).map((i) => `${a.label} from ${from}: ${i}`));
    }
    expect(issues).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A person's own things, which no table of clients can reach: their sessions, and themselves

describe('a person’s sessions and standing are their own', () => {
  // auth.endSession names a session by its handle, not an id: the handle is looked for only among
  // the caller's own sessions, so another person's ends nothing — shown here rather than classified.
  test('auth.endSession: another person’s session handle ends nothing, and that session still works', async () => {
    const a = await h.makePerson(w.authorities.pub.id, 'admin');
    const b = await h.makePerson(w.authorities.member.id, 'viewer');
    const colleague = await h.makePerson(w.authorities.pub.id, 'viewer');
    const handle = b.principal.sessionHandle!;
    for (const who of [a, colleague])
      expect(await h.caller(who.principal).auth.endSession({ handle })).toEqual({ ended: 0 });
    expect((await h.caller(b.principal).auth.me()).session).toMatchObject({ handle, current: true });
    expect((await h.caller(b.principal).auth.sessions()).map((s) => s.handle)).toContain(handle);
    // The same call on the person's own handle does end it: the refusal above is the rule, not a no-op.
    expect(await h.caller(b.principal).auth.endSession({ handle })).toEqual({ ended: 1 });
    const after = await settle(h.caller(b.principal).auth.me());
    expect(after.ok ? 'OK' : after.code).toBe('UNAUTHORIZED');
  });

  test('people.setRole and people.deactivate: an admin cannot change itself, and another authority’s admin cannot reach it', async () => {
    const admin = await h.makePerson(w.authorities.pub.id, 'admin');
    const id = admin.person.id;
    const self = h.caller(admin.principal);
    for (const [name, call] of [
      ['setRole', () => self.people.setRole({ id, role: 'viewer' })],
      ['deactivate', () => self.people.deactivate({ id })],
    ] as const) {
      const got = await settle(call());
      expect(got.ok ? 'OK' : got.code, `${name} on itself`).toBe('FORBIDDEN');
    }
    const other = h.caller((await h.makePerson(w.authorities.member.id, 'admin')).principal);
    const missingId = missingLike(id);
    const answer = (s: Settled, subject: string) =>
      s.ok ? 'OK' : `${s.code}: ${s.message.split(subject).join('<id>')}`;
    const hidden = answer(await settle(other.people.deactivate({ id })), id);
    expect(hidden).toMatch(/^NOT_FOUND/);
    expect(hidden).toBe(answer(await settle(other.people.deactivate({ id: missingId })), missingId));
    expect(await h.caller(admin.principal).auth.me()).toMatchObject({
      person: { id, role: 'admin', status: 'active' },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP: the same refusals, compared byte for byte (status, headers and body)

type HttpAnswer = { status: number; headers: [string, string][]; text: string };

const REQUEST_ID = `sec-${uniq()}`;

const fetchAnswer = async (url: string, init: RequestInit): Promise<HttpAnswer> => {
  const res = await fetch(url, init);
  return { status: res.status, headers: [...res.headers.entries()], text: await res.text() };
};

/** The request tRPC's own client would make: GET with the input in the URL for a query, POST with a JSON body for a mutation. */
const trpcRequest = (path: string, input: unknown, token: string): Promise<HttpAnswer> => {
  const headers = { authorization: `Bearer ${token}`, 'x-request-id': REQUEST_ID };
  if (procedure(path).type === 'query')
    return fetchAnswer(`${h.baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers,
    });
  return fetchAnswer(`${h.baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
};

/** The same call through the REST route that adapts the procedure, if there is one. */
const restRequest = (path: string, input: unknown, token: string): Promise<HttpAnswer> | null => {
  const route = REST_ROUTES.find((r) => r.procedure === path);
  if (!route) return null;
  const fields = { ...(input as Record<string, unknown>) };
  const url = route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const value = String(fields[name]);
    delete fields[name];
    return encodeURIComponent(value);
  });
  const headers = { authorization: `Bearer ${token}`, 'x-request-id': REQUEST_ID };
  if (route.method === 'get' || route.method === 'delete') {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      if (v !== undefined) query.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    const qs = query.toString();
    return fetchAnswer(`${h.baseUrl}${REST_PREFIX}${url}${qs ? `?${qs}` : ''}`, {
      method: route.method.toUpperCase(),
      headers,
    });
  }
  return fetchAnswer(`${h.baseUrl}${REST_PREFIX}${url}`, {
    method: route.method.toUpperCase(),
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
};

/** Differences between two answers once both ids read `<id>`: status, every header but Date (and ETag, a hash of the body), the body. */
const answerDifferences = (hidden: HttpAnswer, missing: HttpAnswer, ids: string[]): string[] => {
  const norm = (s: string) => ids.reduce((t, id) => t.split(id).join('<id>'), s);
  const out: string[] = [];
  if (hidden.status !== missing.status) out.push(`status ${hidden.status} vs ${missing.status}`);
  const headers = (a: HttpAnswer) =>
    new Map(a.headers.filter(([k]) => k !== 'date' && k !== 'etag').map(([k, v]) => [k, norm(v)]));
  const hh = headers(hidden);
  const mh = headers(missing);
  for (const k of new Set([...hh.keys(), ...mh.keys()]))
    if (hh.get(k) !== mh.get(k)) out.push(`header ${k}: ${String(hh.get(k))} vs ${String(mh.get(k))}`);
  const etag = (a: HttpAnswer) => a.headers.some(([k]) => k === 'etag');
  if (etag(hidden) !== etag(missing)) out.push('an ETag on one answer only');
  if (norm(hidden.text) !== norm(missing.text))
    out.push(`body ${norm(hidden.text)} vs ${norm(missing.text)}`);
  return out;
};

describe('over HTTP, a record the caller may not know of answers byte for byte as a missing one', () => {
  test('through tRPC and through the REST routes, for every procedure and kind of hidden record met above', async () => {
    expect(hiddenSeen.length, 'the matrix met hidden records').toBeGreaterThan(0);
    const tokens = new Map<string, string>();
    const tokenOf = async (a: Actor) => {
      const cached = tokens.get(a.label);
      if (cached) return cached;
      const token = await h.getToken(a.principal.clientId!, a.clientSecret);
      tokens.set(a.label, token);
      return token;
    };
    // In process every client was compared already; over HTTP, for each procedure and target, one
    // client of an authority with need to know at P and one of an authority without, so the bytes are
    // compared whatever the authority is to the record.
    const seen = new Set<string>();
    const issues: string[] = [];
    const classOf = (key: AuthorityKey) =>
      ['lead', 'host', 'placing', 'prospective', 'sibling'].includes(key) ? 'need-to-know' : 'bare';
    for (const c of hiddenSeen) {
      const key = `${c.path}|${c.target}|${classOf(c.actor.key)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const token = await tokenOf(c.actor);
      const missingId = missingLike(c.subject);
      const twin = replaceDeep(c.input, c.subject, missingId);
      const faces: [string, (input: unknown) => Promise<HttpAnswer> | null][] = [
        ['tRPC', (input) => trpcRequest(c.path, input, token)],
        ['REST', (input) => restRequest(c.path, input, token)],
      ];
      for (const [face, request] of faces) {
        const first = request(c.input);
        if (!first) continue;
        const hidden = await first;
        const missing = await request(twin);
        if (!missing) continue;
        httpPairs++;
        const where = `${face} ${c.path} as ${c.actor.label} on ${c.target}`;
        if (hidden.status !== 404) issues.push(`${where}: answers ${hidden.status}, not 404`);
        issues.push(
          ...answerDifferences(hidden, missing, [c.subject, missingId]).map((d) => `${where}: ${d}`),
        );
      }
    }
    expect(issues).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A person's passkeys: the ids are credential ids, their owner's alone to remove or sign in with

describe('a person’s passkeys are their own', () => {
  const origin = () => new URL(h.hub.config.issuer).origin;
  const nobody = () => h.caller(null);
  /** The one answer to every refused passkey sign-in. */
  const PASSKEY_REFUSED = 'the passkey sign-in did not succeed; start again, or sign in with your password';

  /** A new key pair under the given credential id (random when none), as an authenticator holds one. */
  const keyState = (credentialId = randomBytes(32)) => ({
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    credentialId,
    counter: 0,
    userHandle: null,
  });

  /** A signed-in person of `authorityId` with one passkey, registered in process from its session. */
  const personWithPasskey = async (
    authorityId: string,
    role: Role = 'viewer',
    key = softwareAuthenticator(origin()),
  ) => {
    const p = await h.makePerson(authorityId, role);
    const me = h.caller(p.principal);
    const passkey = await me.passkeys.register({
      response: key.create(await me.passkeys.registrationOptions()),
    });
    return { ...p, me, key, passkey };
  };

  /** Signs in with the authenticator's passkey, discoverable (no address given). */
  const signInWith = async (key: SoftwareAuthenticator): Promise<Settled> => {
    const options = await nobody().passkeys.signInOptions({});
    return settle(
      nobody().passkeys.signIn({ challengeId: options.challengeId, response: key.get(options.options) }),
    );
  };
  const signsIn = (s: Settled, personId: string): string =>
    s.ok
      ? String(get(s.value, 'person', 'id')) === personId
        ? 'OK'
        : 'another person'
      : `${s.code}: ${s.message}`;

  const passkeyRow = async (id: string) =>
    (
      await queryRows<{ person_id: string; public_key: string; counter: number }>(
        h.hub.database.db,
        sql`select person_id, public_key, counter::int as counter from passkeys where id = ${id}`,
      )
    )[0];

  test('passkeys.remove: another person’s passkey answers as a missing one, byte for byte, and stays its owner’s', async () => {
    covered.add('passkeys.remove');
    const owner = await personWithPasskey(w.authorities.pub.id, 'admin');
    const id = owner.passkey.id;
    // A credential id nobody holds, of the same length.
    const missingId = softwareAuthenticator(origin()).credentialId;
    expect(missingId).toHaveLength(id.length);
    const others = [
      await h.makePerson(w.authorities.pub.id, 'admin'),
      await h.makePerson(w.authorities.member.id, 'admin'),
      await h.makePerson(w.authorities.operator.id, 'hub-admin'),
    ];
    const answer = (s: Settled) =>
      s.ok ? 'OK' : `${s.code}: ${s.message.split(id).join('<id>').split(missingId).join('<id>')}`;
    const before = await snapshotDb(h.hub.database.db, APPEND_ONLY);
    for (const other of others) {
      cases++;
      twins++;
      const caller = h.caller(other.principal);
      const hidden = answer(await settle(caller.passkeys.remove({ id })));
      expect(hidden, `${other.person.role} of ${other.person.authorityId}`).toMatch(/^NOT_FOUND/);
      expect(hidden).toBe(answer(await settle(caller.passkeys.remove({ id: missingId }))));

      // Over HTTP, from the person's own browser: status, headers and body as for a missing id.
      const b = browserFor(h.baseUrl);
      b.jar.set('ccx_session', other.sessionSecret);
      const headers = { 'x-request-id': REQUEST_ID };
      const raw = async (input: unknown): Promise<HttpAnswer> => {
        const a = await b.mutate('passkeys.remove', input, headers);
        return { status: a.status, headers: [...a.headers.entries()], text: a.text };
      };
      const overHttp = await raw({ id });
      httpPairs++;
      expect(overHttp.status).toBe(404);
      expect(answerDifferences(overHttp, await raw({ id: missingId }), [id, missingId])).toEqual([]);
    }
    // An API client, even the hub-admin's, has no passkeys to name.
    for (const a of w.actors.filter((x) => x.role === 'hub-admin' || x.key === 'pub')) {
      cases++;
      const got = await settle(h.caller(a.principal).passkeys.remove({ id }));
      expect(got.ok ? 'OK' : got.code, a.label).toBe('FORBIDDEN');
    }
    const changes = snapshotDifferences(before, await snapshotDb(h.hub.database.db, APPEND_ONLY));
    expect(changes, 'refused removals changed the database').toEqual([]);
    expect((await owner.me.passkeys.list()).map((k) => k.id)).toEqual([id]);
    expect(signsIn(await signInWith(owner.key), owner.person.id)).toBe('OK');
    // The owner's own call does remove it: the refusals above are the rule, not a no-op.
    expect((await owner.me.passkeys.remove({ id })).id).toBe(id);
    expect(await owner.me.passkeys.list()).toEqual([]);
  });

  test('passkeys.register: a credential id another person holds is a conflict, and theirs is left as it was', async () => {
    covered.add('passkeys.register');
    const owner = await personWithPasskey(w.authorities.pub.id);
    const id = owner.passkey.id;
    const stored = await passkeyRow(id);
    const thief = await h.makePerson(w.authorities.member.id, 'admin');
    const me = h.caller(thief.principal);
    // The thief's own key pair under the owner's credential id: a `none` attestation vouches for neither.
    const forged = softwareAuthenticator(origin(), keyState(Buffer.from(id, 'base64url')));
    cases++;
    const got = await settle(
      me.passkeys.register({ response: forged.create(await me.passkeys.registrationOptions()) }),
    );
    expect(got.ok ? 'OK' : `${got.code}: ${got.message}`).toBe(
      'CONFLICT: this passkey is already registered',
    );
    expect(await passkeyRow(id)).toEqual(stored);
    expect(await me.passkeys.list()).toEqual([]);
    expect((await owner.me.passkeys.list()).map((k) => k.id)).toEqual([id]);
    expect(signsIn(await signInWith(owner.key), owner.person.id)).toBe('OK');
    // The same key under a credential id of its own registers: the refusal is the id's, not the key's.
    const own = softwareAuthenticator(origin());
    const added = await me.passkeys.register({
      response: own.create(await me.passkeys.registrationOptions()),
    });
    expect(added.id).toBe(own.credentialId);
    expect((await passkeyRow(own.credentialId))?.person_id).toBe(thief.person.id);
  });

  test('passkeys.signIn: another person’s credential id signed with the caller’s own key is refused as an unknown one is', async () => {
    covered.add('passkeys.signIn');
    const owner = await personWithPasskey(w.authorities.pub.id);
    const stored = await passkeyRow(owner.passkey.id);
    // The intruder holds a passkey of their own, registered and working.
    const keys = keyState();
    const intruder = await personWithPasskey(
      w.authorities.member.id,
      'admin',
      softwareAuthenticator(origin(), keys),
    );
    expect(signsIn(await signInWith(intruder.key), intruder.person.id)).toBe('OK');
    // The same key, its counter moved well on, naming the owner's credential id or one nobody holds.
    const under = (credentialId: string, userHandle: string | null) =>
      softwareAuthenticator(origin(), {
        ...keys,
        credentialId: Buffer.from(credentialId, 'base64url'),
        counter: 50,
        userHandle,
      });
    const intruderHandle = Buffer.from(intruder.person.id).toString('base64url');
    const missingId = softwareAuthenticator(origin()).credentialId;
    for (const userHandle of [null, intruderHandle]) {
      cases++;
      twins++;
      const hidden = await signInWith(under(owner.passkey.id, userHandle));
      const missing = await signInWith(under(missingId, userHandle));
      expect(signsIn(hidden, owner.person.id), `user handle ${String(userHandle)}`).toBe(
        `UNAUTHORIZED: ${PASSKEY_REFUSED}`,
      );
      expect(signsIn(hidden, owner.person.id)).toBe(signsIn(missing, owner.person.id));
    }
    // The owner's passkey is as it was (its counter unmoved), and still signs its owner in.
    expect(await passkeyRow(owner.passkey.id)).toEqual(stored);
    expect(signsIn(await signInWith(owner.key), owner.person.id)).toBe('OK');
  });
});

// A last word on the count, so a run that skipped the matrix cannot pass unnoticed.
describe('coverage', () => {
  test('ran the matrix over every classified procedure', async () => {
    expect([...covered].sort()).toEqual([...Object.keys(SPECS), ...Object.keys(SEPARATELY)].sort());
    expect(cases).toBeGreaterThan(1000);
    // The world is still the one the oracle judged: no case moved a basis at P.
    const rows = await queryRows<{ n: number }>(
      h.hub.database.db,
      sql`select count(*)::int as n from placements where provision_id = ${w.p.id}::uuid and ended_on is null`,
    );
    expect(rows[0]?.n).toBe(1);
  });
});
