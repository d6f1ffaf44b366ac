// OWASP API3:2023 (object property level authorisation: mass assignment) and injection. Every write
// procedure of the router is called with a valid input plus fields naming what the caller does not
// own — another authority as issuer, publisher or host, ids, versions, timestamps, statuses, roles,
// audit sequence and hash — at every level of the input; none may take effect (the stored rows hold
// the server's values, read back from the database and through the API). Then every free-text field
// is sent SQL-looking text, which must be stored and returned verbatim and run nothing.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { appRouter, createCallerFactory, createContextInner, type Principal } from '@ccx/server';
import { queryRows, test, uniq, type Caller, type Harness } from '../support/harness.js';
import { softwareAuthenticator, type SoftwareAuthenticator } from '../support/software-authenticator.js';
import {
  NOW,
  PROCEDURES,
  callPath,
  changedRows,
  describeSettled,
  inputFields,
  isIdField,
  leavesOf,
  procedure,
  propertyNames,
  settle,
  snapshotDb,
  type JsonSchema,
} from './world.js';

const TODAY = NOW.slice(0, 10);

// ---------------------------------------------------------------------------------------------
// What the attacker adds

/** Values no honest write could store, so finding one in a written row proves it took effect. */
const SENTINEL = {
  time: '2001-02-03T04:05:06.000Z',
  date: '2001-02-03',
  uuid: randomUUID(),
  client: 'ccx_5e1717e15e1717e15e17',
  version: 4242,
  number: 424242,
  hash: 'deadbeef'.repeat(8),
  secret: 'whsec_planted-by-an-attacker',
  totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  subject: 'oidc-subject-planted-by-an-attacker',
} as const;

let h: Harness;
let acting: { id: string; officer: Principal; admin: Principal };
let victim: {
  id: string;
  officer: Principal;
  provisionId: string;
  providerId: string;
  /** A signed-in person of the victim's: a `personId` or `sessionHandle` field names them. */
  person: { id: string; principal: Principal };
};
let third: { id: string };
let grantee: { id: string };
let provisionP: string;
let providerP: string;

/**
 * The foreign fields, by name: another authority wherever an authority is named, a record of the
 * victim's wherever a record is, and server-kept values (versions, times, statuses, audit chain).
 */
const extras = (): Record<string, unknown> => ({
  issuer: victim.id,
  issuerAuthorityId: victim.id,
  authorityId: victim.id,
  hostAuthorityId: victim.id,
  leadAuthorityId: victim.id,
  publisherAuthorityId: victim.id,
  grantedByAuthorityId: victim.id,
  loggedByAuthorityId: victim.id,
  byAuthorityId: victim.id,
  provisionId: victim.provisionId,
  providerId: victim.providerId,
  recordId: SENTINEL.uuid,
  id: SENTINEL.uuid,
  version: SENTINEL.version,
  createdAt: SENTINEL.time,
  updatedAt: SENTINEL.time,
  publishedAt: SENTINEL.time,
  amendedAt: SENTINEL.time,
  withdrawnAt: SENTINEL.time,
  revokedAt: SENTINEL.time,
  deletedAt: SENTINEL.time,
  expiresAt: SENTINEL.time,
  deliveredAt: SENTINEL.time,
  liftedOn: SENTINEL.date,
  endedOn: SENTINEL.date,
  effectiveFrom: SENTINEL.date,
  startsOn: SENTINEL.date,
  // What an attacker would want these to say, checked against the stored row where they matter.
  status: 'published',
  role: 'hub-admin',
  restricted: true,
  byLead: true,
  isHost: true,
  partnershipWide: true,
  kind: 'ofsted-suspension',
  source: 'regulator',
  createdBy: SENTINEL.client,
  byClientId: SENTINEL.client,
  grantedByClientId: SENTINEL.client,
  seq: SENTINEL.number,
  attempts: SENTINEL.number,
  cursor: SENTINEL.number,
  hash: SENTINEL.hash,
  prevHash: SENTINEL.hash,
  secret: SENTINEL.secret,
  secretHash: SENTINEL.hash,
  // A person's standing and credentials: another's to act as, or one's own to set without a check.
  personId: victim.person.id,
  sessionHandle: victim.person.principal.sessionHandle,
  email: `planted-${victim.id}@example.gov.uk`,
  passwordHash: SENTINEL.hash,
  totpSecret: SENTINEL.totp,
  totpConfirmedAt: SENTINEL.time,
  recoveryCodes: [SENTINEL.hash],
  oidcSubject: SENTINEL.subject,
  activatedAt: SENTINEL.time,
  lastSignInAt: SENTINEL.time,
});

/** The properties of an object node, merged over the branches of a union. */
const propertiesOf = (node: JsonSchema | undefined): Record<string, JsonSchema> => {
  if (!node) return {};
  const own = (
    typeof node.properties === 'object' && node.properties !== null ? node.properties : {}
  ) as Record<string, JsonSchema>;
  const branches = ['anyOf', 'oneOf', 'allOf'].flatMap((k) =>
    Array.isArray(node[k]) ? (node[k] as JsonSchema[]) : [],
  );
  const merged: Record<string, JsonSchema> = {};
  for (const b of branches) Object.assign(merged, propertiesOf(b));
  return Object.assign(merged, own);
};

const itemsOf = (node: JsonSchema | undefined): JsonSchema | undefined => {
  if (!node) return undefined;
  if (typeof node.items === 'object' && node.items !== null) return node.items as JsonSchema;
  for (const k of ['anyOf', 'oneOf']) {
    const found = (Array.isArray(node[k]) ? (node[k] as JsonSchema[]) : []).map(itemsOf).find(Boolean);
    if (found) return found;
  }
  return undefined;
};

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The input with every foreign field the contract does not name added to every object in it, at any depth. */
const inject = (value: unknown, node: JsonSchema | undefined): unknown => {
  if (Array.isArray(value)) return value.map((v) => inject(v, itemsOf(node)));
  if (!isPlain(value)) return value;
  const props = propertiesOf(node);
  const allowed = node ? propertyNames(node) : new Set<string>();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = inject(v, props[k]);
  for (const [k, v] of Object.entries(extras())) if (!allowed.has(k) && !(k in out)) out[k] = v;
  return out;
};

/** Every foreign field `inject` added, by path. */
const injectedPaths = (sent: unknown, original: unknown, at = ''): string[] => {
  if (Array.isArray(sent))
    return sent.flatMap((v, i) => injectedPaths(v, (original as unknown[])[i], `${at}[${i}]`));
  if (!isPlain(sent)) return [];
  const o = isPlain(original) ? original : {};
  return Object.keys(sent).flatMap((k) =>
    k in o ? injectedPaths(sent[k], o[k], at ? `${at}.${k}` : k) : [at ? `${at}.${k}` : k],
  );
};

// ---------------------------------------------------------------------------------------------
// Reading back

const db = () => h.hub.database.db;

/** One stored row, by table and id, as PostgreSQL has it (snake_case columns). */
const rowOf = async (table: string, id: string): Promise<Record<string, unknown>> => {
  const [row] = await queryRows<{ row: Record<string, unknown> }>(
    db(),
    sql`select row_to_json(t) as row from ${sql.identifier(table)} as t where t.id::text = ${id}`,
  );
  if (!row) throw new Error(`no ${table} row ${id}`);
  return typeof row.row === 'string' ? (JSON.parse(row.row) as Record<string, unknown>) : row.row;
};

/** The stored values that must be the server's, compared with what they are. */
const expectRow = (row: Record<string, unknown>, want: Record<string, unknown>, what: string): string[] =>
  Object.entries(want).flatMap(([k, v]) =>
    row[k] === v ? [] : [`${what}.${k} is ${JSON.stringify(row[k])}, expected ${JSON.stringify(v)}`],
  );

/** A view its writer must see in detail. */
const detail = <V extends { layer: string }>(v: V): Extract<V, { layer: 'detail' }> => {
  if (v.layer !== 'detail') throw new Error(`expected the detail layer, got ${v.layer}`);
  return v as Extract<V, { layer: 'detail' }>;
};

const get = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (isPlain(o) ? o[k] : undefined), value);
const idOf = (value: unknown, ...keys: string[]): string => String(get(value, ...keys));

// ---------------------------------------------------------------------------------------------
// One scenario per write procedure: a valid input on a fresh target, and what must be stored

/** The acting authority's clients; a person signed in with a session (`signedIn`); nobody (the sign-in calls). */
type Who = 'officer' | 'admin' | 'hub-admin' | 'person' | 'nobody';

type Scenario = {
  who: Who;
  /** A fresh valid input (making whatever it acts on first). */
  prepare: () => Promise<Record<string, unknown>>;
  /** The server's values in what was stored. */
  verify: (input: Record<string, unknown>, answer: unknown) => Promise<string[]>;
  /** A read through the API of what was written, for the text to be returned verbatim. */
  readBack?: (input: Record<string, unknown>, answer: unknown) => Promise<unknown>;
  /**
   * Plain-string fields that are not text the hub keeps and shows, with why: an address (checked as
   * one), a credential, code or handle (compared with what the hub holds, never stored), a secret
   * (stored, never shown). They are not sent SQL-looking text as free text is.
   */
  notText?: Record<string, string>;
};

/** The person the person-only scenarios act as: made fresh by each one's prepare, signed in with a session. */
let signedIn: { id: string; email: string; principal: Principal; sessionSecret: string } | undefined;

const signInFresh = async (): Promise<NonNullable<typeof signedIn>> => {
  const p = await h.makePerson(acting.id, 'officer');
  signedIn = {
    id: p.person.id,
    email: p.person.email,
    principal: p.principal,
    sessionSecret: p.sessionSecret,
  };
  return signedIn;
};

const createCaller = createCallerFactory(appRouter);

const call = (who: Who = 'officer'): Caller => {
  if (who === 'nobody') return h.caller(null);
  if (who === 'person') {
    if (!signedIn) throw new Error('a person scenario signs its person in first');
    // The session's secret rides along as its cookie would: signing out ends that very session.
    return createCaller(
      createContextInner({
        hub: h.hub,
        principal: signedIn.principal,
        sessionSecret: signedIn.sessionSecret,
      }),
    );
  }
  return h.caller(who === 'officer' ? acting.officer : who === 'admin' ? acting.admin : h.hubAdmin);
};

const freshProvision = async () =>
  (await h.makeProvision({ providerId: providerP, hostAuthorityId: third.id })).id;

const outcomeInput = (provisionId: string) => ({
  provisionId,
  activityType: 'monitoring-visit' as const,
  activityDate: '2026-06-01',
  overallRating: 2,
  summary: 'a monitoring visit',
  findings: 'staffing was adequate',
  sectionJudgements: [{ section: 'leadership', judgement: 'good' as const, comment: 'steady' }],
  actionItems: [{ description: 'review the rota', concernLevel: 'low' as const }],
});

const publishedOutcome = async () => {
  const draft = await call().outcomes.create(outcomeInput(provisionP));
  if (draft.layer !== 'detail') throw new Error('the writer sees its draft');
  const published = await call().outcomes.publish({ id: draft.id, version: draft.version });
  if (published.layer !== 'detail') throw new Error('the publisher sees its outcome');
  return published;
};

const restrictionInput = () => ({
  provisionId: provisionP,
  kind: 'action-plan' as const,
  reasons: [{ category: 'quality' as const, text: 'an action plan is in place' }],
  summary: 'action plan agreed',
  details: 'details of the plan',
  contractReference: 'framework lot 2',
  regulatorReference: 'REF-123',
});

const ownRestriction = async () => {
  const r = await call().restrictions.create(restrictionInput());
  if (r.layer !== 'detail') throw new Error('the issuer sees its restriction');
  return r;
};

const concernInput = () => ({
  provisionId: provisionP,
  category: 'quality' as const,
  level: 'level-1' as const,
  occurredOn: '2026-06-01',
  summary: 'a missed medication round',
});

const ownConcern = async () => detail(await call().concerns.log(concernInput()));

/** What every concern the caller logged must still say of itself after a change. */
const ownConcernRow = async (id: string, want: Record<string, unknown>) =>
  expectRow(
    await rowOf('concerns', id),
    {
      authority_id: acting.id,
      provision_id: provisionP,
      restricted: false,
      created_by: acting.officer.clientId,
      version: 2,
      ...want,
    },
    'concern',
  );

const readConcern = (id: string) => call().concerns.get({ id });

/** The caller's own letter of concern, with a compliance period to record compliance against. */
const ownLetter = async () => {
  const r = await call().restrictions.create({
    ...restrictionInput(),
    kind: 'letter-of-concern',
    complianceDueOn: '2026-07-06',
    reviewOn: '2026-07-13',
  });
  if (r.layer !== 'detail') throw new Error('the issuer sees its restriction');
  return r;
};

/** What a restriction the caller issued must still say of itself after a change. */
const ownRestrictionRow = async (id: string, want: Record<string, unknown>) =>
  expectRow(
    await rowOf('restrictions', id),
    {
      issuer_authority_id: acting.id,
      provision_id: provisionP,
      provider_id: null,
      source: 'member',
      partnership_wide: false,
      restricted: false,
      effective_from: TODAY,
      lifted_on: null,
      version: 2,
      ...want,
    },
    'restriction',
  );

const outcomeRow = (id: string) => rowOf('outcomes', id);
const readOutcome = (id: string) => call().outcomes.get({ id });
const readRestriction = (id: string) => call().restrictions.get({ id });
const webhookInput = {
  url: 'https://localhost/mass-assignment-hook',
  eventTypes: ['outcome.published' as const],
};

/** What every outcome the caller writes must say of itself. */
const ownOutcome = (row: Record<string, unknown>, status: string) =>
  expectRow(
    row,
    {
      authority_id: acting.id,
      provision_id: provisionP,
      status,
      restricted: false,
      by_lead: false,
      created_by: acting.officer.clientId,
    },
    'outcome',
  );

const PASSWORD = 'correct horse battery staple';

const arr = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/** A new person's row: the caller's authority, invited, with no credential or sign-in of any kind. */
const newPerson = () => ({
  authority_id: acting.id,
  status: 'invited',
  password_hash: null,
  totp_secret: null,
  totp_confirmed_at: null,
  oidc_subject: null,
  activated_at: null,
  last_sign_in_at: null,
});

/** A managed person's row: the caller's authority, and still no credential set by the call. */
const unchangedPerson = { password_hash: null, totp_secret: null, oidc_subject: null };

/** An invited person of the acting authority. */
const invitee = async (): Promise<string> =>
  (
    await call('admin').people.invite({
      email: `invitee-${uniq()}@${acting.id}.example.gov.uk`,
      name: 'An Invitee',
      role: 'viewer',
    })
  ).person.id;

const providerInput = () => ({
  issuer: 'https://login.example.com/tenant/v2.0',
  clientId: 'ccx-hub',
  clientSecret: 'a client secret',
  allowedDomains: [`${acting.id}.example.gov.uk`],
});

const providerRow = async (authorityId: string): Promise<Record<string, unknown> | undefined> => {
  const [row] = await queryRows<{ row: Record<string, unknown> | string }>(
    db(),
    sql`select row_to_json(t) as row from identity_providers as t where t.authority_id = ${authorityId}`,
  );
  if (!row) return undefined;
  return typeof row.row === 'string' ? (JSON.parse(row.row) as Record<string, unknown>) : row.row;
};

/** A signed-in person's credentials as h.makePerson leaves them (a hash no password matches, a TOTP secret, no OIDC subject). */
const madePerson = {
  password_hash: '$argon2id$v=19$m=65536,t=3,p=4$no-password$no-password',
  totp_secret: 'JBSWY3DPEHPK3PXP',
  oidc_subject: null,
};

/**
 * The signed-in person (or the one with this address) is still the acting authority's officer, with
 * no credential planted; the victim's person is still signed in, with their standing. A call that
 * signs the person in (`signsIn`) moves on their last sign-in and nothing else.
 */
const personUnchanged = async (by: { email?: string; signsIn?: boolean } = {}): Promise<string[]> => {
  const [found] = by.email
    ? await queryRows<{ id: string }>(db(), sql`select id from people where email = ${by.email}`)
    : [{ id: signedIn?.id ?? '' }];
  const issues = expectRow(
    await rowOf('people', found?.id ?? ''),
    {
      ...madePerson,
      authority_id: acting.id,
      role: 'officer',
      status: 'active',
      ...(by.signsIn ? {} : { last_sign_in_at: null }),
    },
    'person',
  );
  const me = await settle(h.caller(victim.person.principal).auth.me());
  if (!me.ok) issues.push(`the victim's person is signed out: ${describeSettled(me)}`);
  else
    issues.push(
      ...expectRow(
        await rowOf('people', victim.person.id),
        { ...madePerson, authority_id: victim.id, role: 'officer', status: 'active' },
        'victim person',
      ),
    );
  return issues;
};

/** Authenticators in software, answering at the hub's own origin as its pages would. */
const authenticator = () => softwareAuthenticator(new URL(h.hub.config.issuer).origin);

/**
 * A registration answer for the signed-in person's new challenge. Its transports are left out: a
 * browser may omit them, and the hub keeps only the ones it knows, so they are not text it stores.
 */
const registrationFor = async (key: SoftwareAuthenticator) => {
  const made = key.create(await call('person').passkeys.registrationOptions());
  const { clientDataJSON, attestationObject, authenticatorData, publicKeyAlgorithm, publicKey } =
    made.response;
  return {
    ...made,
    response: { clientDataJSON, attestationObject, authenticatorData, publicKeyAlgorithm, publicKey },
  };
};

/** A fresh signed-in person with one passkey registered, and its authenticator. */
const personWithPasskey = async (): Promise<SoftwareAuthenticator> => {
  await signInFresh();
  const key = authenticator();
  await call('person').passkeys.register({ response: await registrationFor(key) });
  return key;
};

const passkeyRow = (id: string) => rowOf('passkeys', id);

/** The passkey challenges kept for a person. */
const challengesOf = (personId: string) =>
  queryRows<{ purpose: string; session_handle: string | null }>(
    db(),
    sql`select purpose, session_handle from passkey_challenges where person_id = ${personId}`,
  );

const SCENARIOS: Record<string, Scenario> = {
  'authorities.create': {
    who: 'hub-admin',
    prepare: () => {
      const id = `new-${uniq()}`;
      return Promise.resolve({
        id,
        name: 'New Council',
        region: 'london',
        qaInbox: `qa@${id}.example.gov.uk`,
      });
    },
    verify: async (input) =>
      expectRow(
        await rowOf('authorities', String(input.id)),
        { status: 'active', is_host: false, version: 1 },
        'authority',
      ),
    readBack: (input) => call('hub-admin').authorities.get({ id: String(input.id) }),
  },
  'authorities.update': {
    who: 'hub-admin',
    prepare: async () => {
      const a = await h.makeAuthority({ id: `upd-${uniq()}` });
      return { id: a.id, version: a.version, name: 'Renamed Council' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('authorities', String(input.id)),
        { status: 'active', is_host: false, version: 2 },
        'authority',
      ),
    readBack: (input) => call('hub-admin').authorities.get({ id: String(input.id) }),
  },
  'clients.create': {
    who: 'admin',
    prepare: () => Promise.resolve({ name: 'a local tool', role: 'viewer' }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('clients', idOf(answer, 'client', 'id')),
        {
          authority_id: acting.id,
          role: 'viewer',
          status: 'active',
          created_by: acting.admin.clientId,
          revoked_at: null,
        },
        'client',
      ),
    readBack: () => call('admin').clients.list({}),
  },
  'clients.revoke': {
    who: 'admin',
    prepare: async () => ({ id: (await h.makeClient(acting.id, 'viewer', 'to revoke')).client.id }),
    verify: async (input) =>
      expectRow(
        await rowOf('clients', String(input.id)),
        { authority_id: acting.id, role: 'viewer', status: 'revoked' },
        'client',
      ),
  },
  'providers.create': {
    who: 'officer',
    prepare: () => Promise.resolve({ name: `Provider ${uniq()}` }),
    verify: async (_input, answer) =>
      expectRow(await rowOf('providers', idOf(answer, 'id')), { version: 1 }, 'provider'),
    readBack: (_input, answer) => call().providers.get({ id: idOf(answer, 'id') }),
  },
  'providers.update': {
    // A provider's name is the hub-admin's or a host's of one of its settings: the acting officer hosts one.
    who: 'officer',
    prepare: async () => {
      const p = await call().providers.create({ name: `Provider ${uniq()}` });
      await h.makeProvision({ providerId: p.id, hostAuthorityId: acting.id });
      return { id: p.id, version: p.version, name: 'Renamed Provider' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('providers', String(input.id)),
        { version: 2, status: 'active', merged_into_id: null },
        'provider',
      ),
    readBack: (input) => call().providers.get({ id: String(input.id) }),
  },
  'provisions.create': {
    who: 'hub-admin',
    prepare: () =>
      Promise.resolve({
        providerId: providerP,
        name: `Setting ${uniq()}`,
        type: 'childrens-home',
        hostAuthorityId: third.id,
      }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('provisions', idOf(answer, 'id')),
        {
          provider_id: providerP,
          host_authority_id: third.id,
          version: 1,
          registration_status: 'registered',
        },
        'provision',
      ),
    readBack: (_input, answer) => call().provisions.get({ id: idOf(answer, 'id') }),
  },
  'provisions.update': {
    // A setting's facts are its host authority's (or the hub-admin's): the acting officer's own setting.
    who: 'officer',
    prepare: async () => {
      const id = (await h.makeProvision({ providerId: providerP, hostAuthorityId: acting.id })).id;
      return { id, version: 1, name: 'Renamed Setting' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('provisions', String(input.id)),
        { provider_id: providerP, host_authority_id: acting.id, version: 2 },
        'provision',
      ),
    readBack: (input) => call().provisions.get({ id: String(input.id) }),
  },
  'provisions.proposeCorrection': {
    who: 'officer',
    prepare: async () => ({
      provisionId: await freshProvision(),
      changes: { ofstedGrade: 'good', name: 'Corrected Setting' },
      reason: 'the Ofsted report of 1 June',
    }),
    verify: async (input, answer) => [
      ...expectRow(
        await rowOf('directory_corrections', idOf(answer, 'id')),
        { proposer_authority_id: acting.id, status: 'proposed', version: 1, decided_at: null },
        'correction',
      ),
      // Proposing changes nothing in the directory.
      ...expectRow(await rowOf('provisions', String(input.provisionId)), { version: 1 }, 'provision'),
    ],
    readBack: (_input, answer) => call().corrections.get({ id: idOf(answer, 'id') }),
  },
  'providers.proposeCorrection': {
    who: 'officer',
    prepare: () =>
      Promise.resolve({
        providerId: providerP,
        changes: { name: 'Corrected Provider' },
        reason: 'Companies House',
      }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('directory_corrections', idOf(answer, 'id')),
        { proposer_authority_id: acting.id, status: 'proposed', provision_id: null },
        'correction',
      ),
    readBack: (_input, answer) => call().corrections.get({ id: idOf(answer, 'id') }),
  },
  'corrections.accept': {
    who: 'hub-admin',
    prepare: async () => {
      const c = await h.caller(acting.officer).provisions.proposeCorrection({
        provisionId: await freshProvision(),
        changes: { name: 'Accepted Name' },
        reason: 'the council tax record',
      });
      return { id: c.id, version: c.version, note: 'checked' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('directory_corrections', String(input.id)),
        {
          status: 'accepted',
          proposer_authority_id: acting.id,
          decided_by_authority_id: h.hostAuthorityId,
          version: 2,
        },
        'correction',
      ),
    readBack: (input) => call('hub-admin').corrections.get({ id: String(input.id) }),
  },
  'corrections.decline': {
    who: 'hub-admin',
    prepare: async () => {
      const c = await h.caller(acting.officer).provisions.proposeCorrection({
        provisionId: await freshProvision(),
        changes: { name: 'Declined Name' },
        reason: 'the council tax record',
      });
      return { id: c.id, version: c.version, note: 'no evidence of it' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('directory_corrections', String(input.id)),
        {
          status: 'declined',
          proposer_authority_id: acting.id,
          decided_by_authority_id: h.hostAuthorityId,
          version: 2,
        },
        'correction',
      ),
    readBack: (input) => call('hub-admin').corrections.get({ id: String(input.id) }),
  },
  'provisions.merge': {
    who: 'hub-admin',
    prepare: async () => ({ survivorId: await freshProvision(), mergedId: await freshProvision() }),
    verify: async (input) =>
      expectRow(
        await rowOf('provisions', String(input.mergedId)),
        { status: 'merged', merged_into_id: String(input.survivorId), host_authority_id: third.id },
        'merged provision',
      ),
  },
  'providers.merge': {
    who: 'hub-admin',
    prepare: async () => ({
      survivorId: (await call('hub-admin').providers.create({ name: `Provider ${uniq()}` })).id,
      mergedId: (await call('hub-admin').providers.create({ name: `Provider ${uniq()}` })).id,
    }),
    verify: async (input) =>
      expectRow(
        await rowOf('providers', String(input.mergedId)),
        { status: 'merged', merged_into_id: String(input.survivorId) },
        'merged provider',
      ),
  },
  'placements.declare': {
    who: 'officer',
    prepare: async () => ({ provisionId: await freshProvision(), children: 2, fromDate: '2026-06-01' }),
    verify: async (input, answer) =>
      expectRow(
        await rowOf('placements', idOf(answer, 'id')),
        {
          authority_id: acting.id,
          provision_id: input.provisionId,
          from_date: '2026-06-01',
          ended_on: null,
          version: 1,
          created_by: acting.officer.clientId,
        },
        'placement',
      ),
  },
  'placements.end': {
    who: 'officer',
    prepare: async () => {
      const p = await call().placements.declare({
        provisionId: await freshProvision(),
        children: 1,
        fromDate: '2026-06-01',
      });
      return { id: p.id, version: p.version };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('placements', String(input.id)),
        { authority_id: acting.id, ended_on: TODAY, version: 2 },
        'placement',
      ),
  },
  'placements.import': {
    who: 'officer',
    prepare: async () => ({
      rows: [{ provisionId: await freshProvision(), children: 3 }],
      endMissing: false,
    }),
    verify: async (input) => {
      const provisionId = String(get((input.rows as unknown[])[0], 'provisionId'));
      const rows = await queryRows<{ authority_id: string; from_date: string }>(
        db(),
        sql`select authority_id, from_date::text as from_date from placements where provision_id = ${provisionId}::uuid`,
      );
      return rows.length === 1 && rows[0]?.authority_id === acting.id && rows[0].from_date === TODAY
        ? []
        : [`the import stored ${JSON.stringify(rows)}`];
    },
  },
  'allocations.assign': {
    who: 'hub-admin',
    prepare: async () => ({
      provisionId: await freshProvision(),
      authorityId: acting.id,
      rationale: 'nearest member',
    }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('allocations', idOf(answer, 'id')),
        {
          authority_id: acting.id,
          role: 'quality',
          starts_on: TODAY,
          ended_at: null,
          created_by: h.hubAdmin.clientId,
        },
        'allocation',
      ),
    readBack: (input) => call().allocations.list({ provisionId: String(input.provisionId) }),
  },
  'allocations.autoAllocate': {
    who: 'hub-admin',
    prepare: () => Promise.resolve({ dryRun: true }),
    verify: (_input, answer) =>
      Promise.resolve(get(answer, 'assigned') === 0 ? [] : ['a dry run assigned something']),
  },
  'outcomes.create': {
    who: 'officer',
    prepare: () => Promise.resolve(outcomeInput(provisionP)),
    verify: async (_input, answer) => {
      const row = await outcomeRow(idOf(answer, 'id'));
      const items = get(answer, 'actionItems');
      const item = Array.isArray(items) ? (items[0] as unknown) : undefined;
      return [
        ...ownOutcome(row, 'draft'),
        ...expectRow(row, { version: 1, published_at: null }, 'outcome'),
        ...(get(item, 'status') === 'open' ? [] : [`a new action item is ${String(get(item, 'status'))}`]),
      ];
    },
    readBack: (_input, answer) => readOutcome(idOf(answer, 'id')),
  },
  'outcomes.publish': {
    who: 'officer',
    prepare: async () => {
      const d = detail(await call().outcomes.create(outcomeInput(provisionP)));
      return { id: d.id, version: d.version };
    },
    verify: async (input) => {
      const row = await outcomeRow(String(input.id));
      return [
        ...ownOutcome(row, 'published'),
        ...(String(row.published_at).startsWith(TODAY)
          ? []
          : [`published_at is ${String(row.published_at)}`]),
      ];
    },
  },
  'outcomes.amend': {
    who: 'officer',
    prepare: async () => {
      const o = await publishedOutcome();
      return {
        id: o.id,
        version: o.version,
        reason: 'corrected the findings',
        changes: {
          summary: 'a monitoring visit, corrected',
          findings: 'staffing was short at night',
          addActionItems: [{ description: 'recruit night staff', concernLevel: 'high' }],
        },
      };
    },
    verify: async (input, answer) => {
      const row = await outcomeRow(String(input.id));
      const items = get(answer, 'actionItems');
      const added = Array.isArray(items) ? (items as unknown[]).slice(1) : [];
      return [
        ...ownOutcome(row, 'amended'),
        ...expectRow(row, { version: Number(input.version) + 1 }, 'outcome'),
        ...added.flatMap((i) =>
          get(i, 'status') === 'open' && get(i, 'id') !== SENTINEL.uuid
            ? []
            : [`an added action item is ${JSON.stringify(i)}`],
        ),
      ];
    },
    readBack: (input) => readOutcome(String(input.id)),
  },
  'outcomes.withdraw': {
    who: 'officer',
    prepare: async () => {
      const o = await publishedOutcome();
      return { id: o.id, version: o.version, reason: 'recorded against the wrong setting' };
    },
    verify: async (input) => ownOutcome(await outcomeRow(String(input.id)), 'withdrawn'),
    readBack: (input) => readOutcome(String(input.id)),
  },
  'outcomes.updateActionItem': {
    who: 'officer',
    prepare: async () => {
      const o = await publishedOutcome();
      return {
        outcomeId: o.id,
        version: o.version,
        itemId: o.actionItems[0]?.id ?? 'none',
        status: 'met',
        note: 'rota reviewed',
      };
    },
    verify: async (input) => ownOutcome(await outcomeRow(String(input.outcomeId)), 'published'),
    readBack: (input) => readOutcome(String(input.outcomeId)),
  },
  'access.share': {
    who: 'officer',
    prepare: async () => ({
      recordType: 'outcome',
      recordId: (await publishedOutcome()).id,
      authorityId: grantee.id,
    }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('access_grants', idOf(answer, 'id')),
        {
          kind: 'share',
          authority_id: grantee.id,
          granted_by_authority_id: acting.id,
          granted_by_client_id: acting.officer.clientId,
          expires_at: null,
          revoked_at: null,
        },
        'grant',
      ),
  },
  'access.revoke': {
    who: 'officer',
    prepare: async () => {
      const g = await call().access.share({
        recordType: 'outcome',
        recordId: (await publishedOutcome()).id,
        authorityId: grantee.id,
      });
      return { grantId: g.id };
    },
    verify: async (input) => {
      const row = await rowOf('access_grants', String(input.grantId));
      return [
        ...expectRow(
          row,
          { kind: 'share', authority_id: grantee.id, granted_by_authority_id: acting.id },
          'grant',
        ),
        ...(String(row.revoked_at).startsWith(TODAY) ? [] : [`revoked_at is ${String(row.revoked_at)}`]),
      ];
    },
  },
  'access.requestProspective': {
    who: 'officer',
    prepare: async () => ({
      provisionId: await freshProvision(),
      reason: 'matching a child to this setting',
      caseReference: 'MA-2026-0001',
      days: 3,
    }),
    verify: async (_input, answer) => {
      const row = await rowOf('access_grants', idOf(answer, 'id'));
      return [
        ...expectRow(
          row,
          {
            kind: 'prospective',
            authority_id: acting.id,
            granted_by_authority_id: acting.id,
            revoked_at: null,
            record_id: null,
          },
          'grant',
        ),
        ...(String(row.expires_at).startsWith('2026-06-18')
          ? []
          : [`expires_at is ${String(row.expires_at)}, not 3 days on`]),
      ];
    },
    readBack: (input) => call().access.grants({ provisionId: String(input.provisionId) }),
  },
  'restrictions.create': {
    who: 'officer',
    prepare: () => Promise.resolve(restrictionInput()),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('restrictions', idOf(answer, 'id')),
        {
          issuer_authority_id: acting.id,
          provision_id: provisionP,
          provider_id: null,
          kind: 'action-plan',
          source: 'member',
          partnership_wide: false,
          restricted: false,
          effective_from: TODAY,
          lifted_on: null,
          version: 1,
          created_by: acting.officer.clientId,
        },
        'restriction',
      ),
    readBack: (_input, answer) => readRestriction(idOf(answer, 'id')),
  },
  'restrictions.update': {
    who: 'officer',
    prepare: async () => {
      const r = await ownRestriction();
      return {
        id: r.id,
        version: r.version,
        summary: 'plan revised',
        details: 'revised details',
        note: 'after the review meeting',
      };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('restrictions', String(input.id)),
        {
          issuer_authority_id: acting.id,
          provision_id: provisionP,
          provider_id: null,
          kind: 'action-plan',
          source: 'member',
          partnership_wide: false,
          restricted: false,
          effective_from: TODAY,
          lifted_on: null,
          version: 2,
        },
        'restriction',
      ),
    readBack: (input) => readRestriction(String(input.id)),
  },
  'restrictions.lift': {
    who: 'officer',
    prepare: async () => {
      const r = await ownRestriction();
      return { id: r.id, version: r.version, reason: 'the plan was completed' };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('restrictions', String(input.id)),
        {
          issuer_authority_id: acting.id,
          provision_id: provisionP,
          kind: 'action-plan',
          lifted_on: TODAY,
          restricted: false,
          version: 2,
        },
        'restriction',
      ),
    readBack: (input) => readRestriction(String(input.id)),
  },
  'restrictions.comply': {
    who: 'officer',
    prepare: async () => {
      const r = await ownLetter();
      return { id: r.id, version: r.version, complied: true, note: 'the provider sent its plan' };
    },
    verify: async (input) =>
      ownRestrictionRow(String(input.id), {
        kind: 'letter-of-concern',
        compliance_due_on: '2026-07-06',
        compliance_recorded_on: TODAY,
        complied: true,
      }),
    readBack: (input) => readRestriction(String(input.id)),
  },
  'restrictions.review': {
    who: 'officer',
    prepare: async () => {
      const r = await ownLetter();
      return { id: r.id, version: r.version, nextReviewOn: '2026-09-15', note: 'reviewed with the provider' };
    },
    verify: async (input) =>
      ownRestrictionRow(String(input.id), {
        kind: 'letter-of-concern',
        reviewed_on: TODAY,
        review_on: '2026-09-15',
        compliance_recorded_on: null,
      }),
    readBack: (input) => readRestriction(String(input.id)),
  },
  'outcomes.deleteDraft': {
    who: 'officer',
    prepare: async () => {
      const d = detail(await call().outcomes.create(outcomeInput(provisionP)));
      return { id: d.id, version: d.version };
    },
    verify: async (input) =>
      (await queryRows(db(), sql`select 1 from outcomes where id = ${String(input.id)}::uuid`)).length === 0
        ? []
        : ['the draft was not deleted'],
  },
  'concerns.log': {
    who: 'officer',
    prepare: () =>
      Promise.resolve({
        provisionId: provisionP,
        category: 'quality',
        level: 'level-1',
        occurredOn: '2026-06-01',
        summary: 'a missed medication round',
      }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('concerns', idOf(answer, 'id')),
        {
          authority_id: acting.id,
          provision_id: provisionP,
          restricted: false,
          created_by: acting.officer.clientId,
        },
        'concern',
      ),
    readBack: () => call().concerns.list({ provisionId: provisionP }),
  },
  'concerns.correct': {
    who: 'officer',
    prepare: async () => {
      const c = await ownConcern();
      return {
        id: c.id,
        version: c.version,
        level: 'minor',
        summary: 'a missed medication round, twice',
        note: 'the second round was found later',
      };
    },
    verify: (input) => ownConcernRow(String(input.id), { level: 'minor', status: 'open' }),
    readBack: (input) => readConcern(String(input.id)),
  },
  'concerns.substantiate': {
    who: 'officer',
    prepare: async () => {
      const c = await ownConcern();
      return { id: c.id, version: c.version, note: 'the records confirm it' };
    },
    verify: (input) => ownConcernRow(String(input.id), { status: 'substantiated', closed_reason: null }),
    readBack: (input) => readConcern(String(input.id)),
  },
  'concerns.unsubstantiate': {
    who: 'officer',
    prepare: async () => {
      const c = await ownConcern();
      return { id: c.id, version: c.version, note: 'the round was given late, not missed' };
    },
    verify: (input) => ownConcernRow(String(input.id), { status: 'unsubstantiated', closed_reason: null }),
    readBack: (input) => readConcern(String(input.id)),
  },
  'concerns.close': {
    who: 'officer',
    prepare: async () => {
      const c = await ownConcern();
      return { id: c.id, version: c.version, reason: 'resolved with the provider' };
    },
    verify: (input) =>
      ownConcernRow(String(input.id), { status: 'closed', closed_reason: 'resolved with the provider' }),
    readBack: (input) => readConcern(String(input.id)),
  },
  'concerns.setRiskBands': {
    who: 'hub-admin',
    // The defaults (Medway, figure 6), so no other scenario's rating moves.
    prepare: () => Promise.resolve({ mediumFrom: 5, highFrom: 11 }),
    verify: async () =>
      expectRow(
        await rowOf('risk_bands', 'partnership'),
        { medium_from: 5, high_from: 11, updated_by: h.hubAdmin.clientId },
        'risk bands',
      ),
  },
  'monitoring.setFrequency': {
    who: 'hub-admin',
    prepare: () => Promise.resolve({ type: 'unregulated', months: 3 }),
    verify: async () => {
      const rows = await queryRows<{ months: number }>(
        db(),
        sql`select months from monitoring_frequencies where provision_type = 'unregulated'`,
      );
      return rows[0]?.months === 3 ? [] : [`the frequency is ${JSON.stringify(rows)}`];
    },
  },
  'webhooks.create': {
    who: 'admin',
    prepare: () => Promise.resolve({ ...webhookInput }),
    verify: async (_input, answer) => {
      const row = await rowOf('webhooks', idOf(answer, 'webhook', 'id'));
      return [
        ...expectRow(
          row,
          {
            authority_id: acting.id,
            status: 'active',
            deleted_at: null,
            created_by: acting.admin.clientId,
            previous_secret: null,
          },
          'webhook',
        ),
        ...(row.secret === get(answer, 'secret')
          ? []
          : ['the stored secret is not the one the hub made and answered']),
      ];
    },
  },
  'webhooks.delete': {
    who: 'admin',
    prepare: async () => ({ id: (await call('admin').webhooks.create(webhookInput)).webhook.id }),
    verify: async (input) => {
      const row = await rowOf('webhooks', String(input.id));
      return [
        ...expectRow(row, { authority_id: acting.id, status: 'disabled' }, 'webhook'),
        ...(String(row.deleted_at).startsWith(TODAY) ? [] : [`deleted_at is ${String(row.deleted_at)}`]),
      ];
    },
  },
  'webhooks.rotateSecret': {
    who: 'admin',
    prepare: async () => ({ id: (await call('admin').webhooks.create(webhookInput)).webhook.id }),
    verify: async (input, answer) => {
      const row = await rowOf('webhooks', String(input.id));
      return [
        ...expectRow(row, { authority_id: acting.id, status: 'active', deleted_at: null }, 'webhook'),
        ...(row.secret === get(answer, 'secret')
          ? []
          : ['the stored secret is not the one the hub made and answered']),
      ];
    },
  },
  'webhooks.test': {
    who: 'admin',
    prepare: async () => ({ id: (await call('admin').webhooks.create(webhookInput)).webhook.id }),
    verify: async (input, answer) =>
      expectRow(
        await rowOf('webhook_deliveries', idOf(answer, 'id')),
        { webhook_id: input.id, event_type: 'webhook.test', status: 'failed', attempts: 1, event_seq: null },
        'delivery',
      ),
  },
  'webhooks.resend': {
    who: 'admin',
    prepare: async () => {
      const id = (await call('admin').webhooks.create(webhookInput)).webhook.id;
      const delivery = await call('admin').webhooks.test({ id });
      return { id, deliveryId: delivery.id };
    },
    verify: async (input) =>
      expectRow(
        await rowOf('webhook_deliveries', String(input.deliveryId)),
        { webhook_id: input.id, status: 'pending', attempts: 0, last_error: null },
        'delivery',
      ),
  },

  // People: invited, re-invited, given a role and deactivated by their authority's admin.
  'people.invite': {
    who: 'admin',
    prepare: () =>
      Promise.resolve({
        email: `invitee-${uniq()}@${acting.id}.example.gov.uk`,
        name: 'An Invitee',
        role: 'viewer',
      }),
    verify: async (_input, answer) =>
      expectRow(
        await rowOf('people', idOf(answer, 'person', 'id')),
        { ...newPerson(), role: 'viewer', created_by: acting.admin.clientId },
        'person',
      ),
    readBack: (_input, answer) =>
      call('admin').people.list({ authorityId: String(get(answer, 'person', 'authorityId')) }),
    notText: { email: 'an e-mail address, checked as one' },
  },
  'people.reinvite': {
    who: 'admin',
    prepare: async () => ({ id: await invitee() }),
    verify: async (input) =>
      expectRow(await rowOf('people', String(input.id)), { ...newPerson(), role: 'viewer' }, 'person'),
  },
  'people.setRole': {
    who: 'admin',
    prepare: async () => ({ id: (await h.makePerson(acting.id, 'viewer')).person.id, role: 'officer' }),
    verify: async (input) =>
      expectRow(
        await rowOf('people', String(input.id)),
        { ...unchangedPerson, role: 'officer', status: 'active' },
        'person',
      ),
  },
  'people.deactivate': {
    who: 'admin',
    prepare: async () => ({ id: (await h.makePerson(acting.id, 'viewer')).person.id }),
    verify: async (input) =>
      expectRow(
        await rowOf('people', String(input.id)),
        { ...unchangedPerson, role: 'viewer', status: 'deactivated' },
        'person',
      ),
  },

  // The authority's own identity provider.
  'identityProviders.set': {
    who: 'admin',
    prepare: () => Promise.resolve(providerInput()),
    verify: async () => [
      ...expectRow(
        (await providerRow(acting.id)) ?? {},
        { authority_id: acting.id, client_id: 'ccx-hub', updated_by: acting.admin.clientId },
        'identity provider',
      ),
      ...((await providerRow(victim.id)) ? ['the victim has an identity provider'] : []),
    ],
    readBack: () => call('admin').identityProviders.get({}),
    notText: { clientSecret: 'a credential for the provider: stored, never shown again' },
  },
  'identityProviders.remove': {
    who: 'admin',
    prepare: async () => {
      await call('admin').identityProviders.set(providerInput());
      return {};
    },
    verify: async () => ((await providerRow(acting.id)) ? ['the provider was not removed'] : []),
  },

  // Signing in: open to anyone (no principal); every field is compared with what the hub holds.
  'auth.signIn': {
    who: 'nobody',
    prepare: async () => {
      const p = await h.makePerson(acting.id, 'officer');
      return { email: p.person.email, password: 'correct horse battery staple' };
    },
    verify: (input) => personUnchanged({ email: String(input.email) }),
    notText: {
      email: 'compared with the addresses the hub knows',
      password: 'compared with a hash, never stored',
    },
  },
  'auth.secondFactor': {
    who: 'nobody',
    prepare: () => Promise.resolve({ code: '123456' }),
    verify: () => Promise.resolve([]),
    notText: { code: 'compared with the TOTP code', recoveryCode: 'compared with a hash, never stored' },
  },
  'auth.acceptLink': {
    who: 'nobody',
    prepare: async () => {
      const invited = await call('admin').people.invite({
        email: `invitee-${uniq()}@${acting.id}.example.gov.uk`,
        name: 'An Invitee',
        role: 'viewer',
      });
      return { token: new URL(invited.invitationUrl).hash.replace(/^#invitation=/, ''), password: PASSWORD };
    },
    verify: (_input, answer) =>
      Promise.resolve(get(answer, 'totpSecret') === SENTINEL.totp ? ['the TOTP secret is the one sent'] : []),
    notText: {
      password: 'a credential: hashed, never stored or shown',
      name: 'optional, and not sent here',
      email: 'an e-mail address, checked as one',
    },
  },
  'auth.confirmTotp': {
    who: 'nobody',
    prepare: () => Promise.resolve({ code: '123456' }),
    verify: () => Promise.resolve([]),
    notText: { code: 'compared with the TOTP code' },
  },

  // A signed-in person's own sessions and recovery codes.
  'auth.endSession': {
    who: 'person',
    prepare: async () => ({ handle: (await signInFresh()).principal.sessionHandle }),
    verify: async (_input, answer) => [
      ...(get(answer, 'ended') === 1 ? [] : [`ended ${String(get(answer, 'ended'))} sessions, not its own`]),
      ...(await personUnchanged()),
    ],
    notText: { handle: 'compared with the handles of the person’s own sessions' },
  },
  'auth.signOut': {
    who: 'person',
    prepare: async () => {
      await signInFresh();
      return {};
    },
    verify: async (_input, answer) => [
      ...(get(answer, 'ended') === 1 ? [] : [`ended ${String(get(answer, 'ended'))} sessions, not this one`]),
      ...(await personUnchanged()),
    ],
  },
  'auth.signOutEverywhere': {
    who: 'person',
    prepare: async () => {
      await signInFresh();
      return {};
    },
    verify: async (_input, answer) => [
      ...(get(answer, 'ended') === 1 ? [] : [`ended ${String(get(answer, 'ended'))} sessions, not its one`]),
      ...(await personUnchanged()),
    ],
  },
  'auth.newRecoveryCodes': {
    who: 'person',
    prepare: async () => {
      await signInFresh();
      return {};
    },
    verify: async (_input, answer) => [
      ...(arr(get(answer, 'recoveryCodes')).length === 10 ? [] : ['did not answer ten new codes']),
      ...(await personUnchanged()),
      ...(arr((await rowOf('people', victim.person.id)).recovery_codes).length === 0
        ? []
        : ['the victim person’s recovery codes changed']),
    ],
  },

  // A signed-in person's own passkeys; signing in with one is open to anyone (no principal).
  'passkeys.registrationOptions': {
    who: 'person',
    prepare: async () => {
      await signInFresh();
      return {};
    },
    verify: async () => {
      const mine = await challengesOf(signedIn?.id ?? '');
      return [
        ...(mine.length === 1 &&
        mine[0]?.purpose === 'registration' &&
        mine[0].session_handle === signedIn?.principal.sessionHandle
          ? []
          : [`the person’s challenges are ${JSON.stringify(mine)}, not one for this session`]),
        ...((await challengesOf(victim.person.id)).length === 0 ? [] : ['the victim person has a challenge']),
        ...(await personUnchanged()),
      ];
    },
  },
  'passkeys.register': {
    who: 'person',
    prepare: async () => {
      await signInFresh();
      return { response: await registrationFor(authenticator()), name: 'Work laptop' };
    },
    verify: async (input, answer) => [
      ...expectRow(
        await passkeyRow(idOf(input, 'response', 'id')),
        { person_id: signedIn?.id, name: input.name, counter: 0, last_used_at: null },
        'passkey',
      ),
      ...(get(answer, 'id') === get(input, 'response', 'id') ? [] : ['answers another passkey']),
      ...(await personUnchanged()),
    ],
    readBack: () => call('person').passkeys.list(),
  },
  'passkeys.remove': {
    who: 'person',
    prepare: async () => ({ id: (await personWithPasskey()).credentialId }),
    verify: async (input) => [
      ...((await queryRows(db(), sql`select 1 from passkeys where id = ${String(input.id)}`)).length === 0
        ? []
        : ['the passkey was not removed']),
      ...(await personUnchanged()),
    ],
  },
  'passkeys.signInOptions': {
    who: 'nobody',
    prepare: async () => {
      await personWithPasskey();
      return { email: signedIn?.email ?? '' };
    },
    verify: (input) => personUnchanged({ email: String(input.email) }),
    notText: { email: 'compared with the addresses the hub knows, never stored' },
  },
  'passkeys.signIn': {
    who: 'nobody',
    prepare: async () => {
      const key = await personWithPasskey();
      const options = await call('nobody').passkeys.signInOptions({});
      return { challengeId: options.challengeId, response: key.get(options.options) };
    },
    verify: async (input, answer) => [
      ...(get(answer, 'person', 'id') === signedIn?.id ? [] : ['signed in another person']),
      ...expectRow(
        await passkeyRow(idOf(input, 'response', 'id')),
        { person_id: signedIn?.id, counter: 1 },
        'passkey',
      ),
      ...(await personUnchanged({ signsIn: true })),
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Running a scenario

/** Strings and numbers that are ours alone: any of them in a written row means a foreign field took effect. */
const sentinelHits = (leaves: (string | number)[]): string[] => {
  const strings = [
    victim.id,
    victim.person.id,
    SENTINEL.totp,
    SENTINEL.subject,
    victim.provisionId,
    victim.providerId,
    SENTINEL.uuid,
    SENTINEL.date,
    SENTINEL.client,
    SENTINEL.hash,
    SENTINEL.secret,
  ];
  const numbers = [SENTINEL.version, SENTINEL.number];
  return [
    ...strings.filter((s) => leaves.some((l) => typeof l === 'string' && l.includes(s))),
    ...numbers.filter((n) => leaves.includes(n)).map(String),
  ];
};

/** The caller's own client, which a `role` field must not promote. */
const rolesUnchanged = async (): Promise<string[]> => {
  const issues: string[] = [];
  for (const [p, role] of [
    [acting.officer, 'officer'],
    [acting.admin, 'admin'],
  ] as const) {
    const row = await rowOf('clients', p.clientId!);
    if (row.role !== role || row.status !== 'active')
      issues.push(`client ${p.clientId} is now ${String(row.role)} ${String(row.status)}`);
  }
  return issues;
};

let foreignCalls = 0;
let foreignFields = 0;
let textCalls = 0;
let textFields = 0;

const MUTATIONS = PROCEDURES.filter((p) => p.type === 'mutation').map((p) => p.path);

/** Text fields: strings with no format, pattern or fixed values, that name nothing. */
const isFreeText = (schema: JsonSchema): boolean =>
  schema.type === 'string' && !schema.format && !schema.pattern && !schema.enum && schema.const === undefined;

const PAYLOADS = [
  "'; drop table outcomes; --",
  "Robert'); DROP TABLE restrictions;--",
  '$1 $2::text) or 1=1 --',
  "' OR '1'='1' /* */ --",
  "\\x00 \\0 \\' %_ E'\\\\' $$tag$$",
] as const;

/** The input with every free-text string replaced by SQL-looking text; answers the texts it used. */
const withPayloads = (
  value: unknown,
  node: JsonSchema | undefined,
  used: string[],
  notText: Record<string, string> = {},
  key = '',
): unknown => {
  if (Array.isArray(value)) return value.map((v) => withPayloads(v, itemsOf(node), used, notText));
  if (isPlain(value)) {
    const props = propertiesOf(node);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withPayloads(v, props[k], used, notText, k)]),
    );
  }
  if (
    typeof value === 'string' &&
    node &&
    isFreeText(node) &&
    !isIdField({ path: key, key, schema: node }) &&
    !(key in notText)
  ) {
    const payload = `${PAYLOADS[used.length % PAYLOADS.length]}`;
    used.push(payload);
    return payload;
  }
  return value;
};

// ---------------------------------------------------------------------------------------------
// The tests

test.override({ clockAt: NOW });
// The acting authority, its victim and the others the scenarios name, made once on the file's hub.
test.beforeAll(async ({ h: hub }) => {
  h = hub;
  const member = async (prefix: string) => {
    const a = await h.makeAuthority({ id: `${prefix}-${uniq()}` });
    return a.id;
  };
  const actingId = await member('acting');
  acting = {
    id: actingId,
    officer: (await h.makeClient(actingId, 'officer', 'acting officer')).principal,
    admin: (await h.makeClient(actingId, 'admin', 'acting admin')).principal,
  };
  third = { id: await member('third') };
  grantee = { id: await member('grantee') };
  const victimId = await member('victim');
  const victimProvider = await h.makeProvider({ name: `Victim Homes ${uniq()}` });
  const victimProvision = await h.makeProvision({ providerId: victimProvider.id, hostAuthorityId: victimId });
  const victimPerson = await h.makePerson(victimId, 'officer');
  victim = {
    id: victimId,
    officer: (await h.makeClient(victimId, 'officer', 'victim officer')).principal,
    provisionId: victimProvision.id,
    providerId: victimProvider.id,
    person: { id: victimPerson.person.id, principal: victimPerson.principal },
  };
  const provider = await h.makeProvider({ name: `Acting Homes ${uniq()}` });
  providerP = provider.id;
  provisionP = (await h.makeProvision({ providerId: providerP, hostAuthorityId: third.id })).id;
}, 60_000);

test.afterAll(() => {
  console.log(
    `mass-assignment: ${foreignCalls} writes carrying ${foreignFields.toLocaleString('en-GB')} foreign fields, ` +
      `${textCalls} writes carrying ${textFields} SQL-looking texts, over ${MUTATIONS.length} write procedures`,
  );
});

describe('the write procedures', () => {
  test('are each given a scenario here, and no scenario is stale', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(25);
    expect(
      MUTATIONS.filter((p) => !(p in SCENARIOS)),
      'mutations without a scenario',
    ).toEqual([]);
    expect(
      Object.keys(SCENARIOS).filter((p) => !MUTATIONS.includes(p)),
      'scenarios of no mutation',
    ).toEqual([]);
  });
});

describe('fields naming what the caller does not own take no effect', () => {
  for (const [path, s] of Object.entries(SCENARIOS)) {
    test(`${path}: every foreign field, at every level of the input, is ignored`, async () => {
      const input = await s.prepare();
      // The prepared input is valid on its own, so a refusal below is the foreign fields' doing.
      const contract = procedure(path).input;
      if (contract) {
        const alone = await contract.safeParseAsync(input);
        expect(alone.success, `${path}'s prepared input: ${alone.error?.message ?? ''}`).toBe(true);
      }
      const sent = inject(input, procedure(path).schema);
      const added = injectedPaths(sent, input);
      expect(added.length, 'foreign fields were added').toBeGreaterThan(0);
      foreignCalls++;
      foreignFields += added.length;

      const before = await snapshotDb(db());
      const result = await settle(callPath(call(s.who), path, sent));
      const written = changedRows(before, await snapshotDb(db()));
      if (!result.ok) {
        // A contract may refuse unknown fields outright (400); then it must have written nothing.
        expect(
          result.code,
          `${path} refused a valid input with foreign fields: ${describeSettled(result)}`,
        ).toBe('BAD_REQUEST');
        expect(result.message, 'refused for naming fields the contract does not').toMatch(
          /unknown fields? \\?"/,
        );
        expect([...written.keys()]).toEqual([]);
        return;
      }
      const hits = [...written].flatMap(([table, rows]) =>
        sentinelHits(leavesOf(rows)).map((v) => `${table} holds ${v}`),
      );
      hits.push(...sentinelHits(leavesOf(result.value)).map((v) => `the answer holds ${v}`));
      expect(hits, `a foreign field took effect (sent ${added.join(', ')})`).toEqual([]);
      expect(await s.verify(input, result.value)).toEqual([]);
      expect(await rolesUnchanged()).toEqual([]);
    });
  }
});

describe('SQL-looking text is data', () => {
  const textual = Object.entries(SCENARIOS).filter(([path, s]) =>
    inputFields(procedure(path).schema).some(
      (f) => isFreeText(f.schema) && !isIdField(f) && !(f.key in (s.notText ?? {})),
    ),
  );

  test('every write with free text is exercised', () => {
    expect(textual.length).toBeGreaterThanOrEqual(15);
  });

  for (const [path, s] of textual) {
    test(`${path}: stored and returned verbatim, never run`, async () => {
      const used: string[] = [];
      const input = withPayloads(await s.prepare(), procedure(path).schema, used, s.notText) as Record<
        string,
        unknown
      >;
      if (used.length === 0) return; // this valid input carries none of its optional text
      textCalls++;
      textFields += used.length;
      const before = await snapshotDb(db());
      const result = await settle(callPath(call(s.who), path, input));
      expect(result.ok, `${path} refused SQL-looking text: ${describeSettled(result)}`).toBe(true);
      if (!result.ok) return;
      const stored = leavesOf([...changedRows(before, await snapshotDb(db())).values()]);
      const notStored = used.filter((t) => !stored.includes(t));
      expect(notStored, 'texts not stored verbatim').toEqual([]);
      const read = s.readBack ? await s.readBack(input, result.value) : result.value;
      const returned = leavesOf(read);
      expect(
        used.filter((t) => !returned.includes(t)),
        'texts not returned verbatim',
      ).toEqual([]);
    });
  }

  test('a search for that text finds it literally, wildcards included', async () => {
    const name = `${PAYLOADS[4]} ${uniq()}`;
    const p = await call().providers.create({ name });
    const found = await call().providers.search({ q: name });
    expect(found.items.map((x) => x.id)).toEqual([p.id]);
    // `%` and `_` are matched as themselves: every hit really contains them.
    const wild = await call().providers.search({ q: '%_', limit: 200 });
    expect(wild.items.every((x) => x.name.includes('%_'))).toBe(true);
    expect(wild.items.map((x) => x.id)).toContain(p.id);
    // A cursor is opaque and checked: text smuggled into one is refused, not run.
    const cursor = Buffer.from(JSON.stringify(["'; drop table providers; --", 'x'])).toString('base64url');
    const refused = await settle(call().providers.search({ cursor }));
    expect(refused.ok ? 'OK' : refused.code).toBe('BAD_REQUEST');
  });

  test('ran nothing: every table is there, none lost a row, and every audit chain verifies', async () => {
    const counts = await queryRows<{ outcomes: number; restrictions: number; audit: number }>(
      db(),
      sql`select (select count(*) from outcomes)::int as outcomes, (select count(*) from restrictions)::int as restrictions,
                 (select count(*) from audit_log)::int as audit`,
    );
    expect(counts[0]?.outcomes).toBeGreaterThan(0);
    expect(counts[0]?.restrictions).toBeGreaterThan(0);
    for (const id of [acting.id, h.hostAuthorityId]) {
      const chain = await call('hub-admin').audit.verify({ authorityId: id });
      expect(chain.ok, `audit chain of ${id}`).toBe(true);
      expect(chain.entries).toBeGreaterThan(0);
    }
  });
});

describe('directory writes by a member officer grant no need to know and lift no embargo', () => {
  // The host basis comes from provisions.hostAuthorityId, and a provider-wide record reaches a setting
  // through provisions.providerId (docs/access-model.md): whoever can write them can grant itself
  // detail, or take a setting out from under a provider-wide embargo.
  test('an officer cannot make its own authority the host of a setting, and so read detail there', async () => {
    const provisionId = await freshProvision();
    const draft = detail(await h.caller(victim.officer).outcomes.create(outcomeInput(provisionId)));
    await h.caller(victim.officer).outcomes.publish({ id: draft.id, version: draft.version });
    expect((await call().outcomes.get({ id: draft.id })).layer).toBe('summary');

    const moved = await settle(
      call().provisions.update({ id: provisionId, version: 1, hostAuthorityId: acting.id }),
    );
    expect(moved.ok ? 'OK' : moved.code, 'taking the host basis by editing the directory').toBe('FORBIDDEN');
    expect((await rowOf('provisions', provisionId)).host_authority_id).toBe(third.id);
    expect((await call().outcomes.get({ id: draft.id })).layer).toBe('summary');
  });

  test('an officer cannot read a provider’s records in detail by adding a setting of that provider in its own area', async () => {
    const provider = await h.makeProvider({ name: `Victim Group ${uniq()}` });
    await h.makeProvision({ providerId: provider.id, hostAuthorityId: victim.id });
    const record = detail(
      await h.caller(victim.officer).restrictions.create({
        providerId: provider.id,
        kind: 'action-plan',
        reasons: [{ category: 'quality', text: 'provider-wide action plan' }],
        details: 'what only those with need to know may read',
      }),
    );
    expect((await call().restrictions.get({ id: record.id })).layer).toBe('summary');
    // Whether the hub refuses the new setting or gives its "host" no say over the provider's
    // existing records is the hub's choice; either way the caller must not gain detail by it.
    await settle(
      call().provisions.create({
        providerId: provider.id,
        name: `Planted Setting ${uniq()}`,
        type: 'childrens-home',
        hostAuthorityId: acting.id,
      }),
    );
    expect((await call().restrictions.get({ id: record.id })).layer).toBe('summary');
  });

  test('an officer cannot move a setting to another provider, out from under a provider-wide embargo', async () => {
    const provisionId = await freshProvision();
    const embargo = detail(
      await h.caller(victim.officer).restrictions.create({
        providerId: providerP,
        kind: 'embargo',
        reasons: [{ category: 'safeguarding', text: 'provider-wide embargo' }],
      }),
    );
    const elsewhere = await call().providers.create({ name: `Elsewhere ${uniq()}` });
    const moved = await settle(
      call().provisions.update({ id: provisionId, version: 1, providerId: elsewhere.id }),
    );
    expect(moved.ok ? 'OK' : moved.code, 'moving a setting between providers').toBe('FORBIDDEN');
    expect((await rowOf('provisions', provisionId)).provider_id).toBe(providerP);
    const check = await call().checks.placement({ provisionId });
    expect(check.restrictions.map((r) => ('id' in r ? r.id : null))).toContain(embargo.id);
  });
});
