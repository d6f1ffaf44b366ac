// Directory names beside ids, so that people read "SC123456 Harbour House" and "Medway Council" rather
// than bare UUIDs. One rule for every answer: a field `provisionId` gets a sibling `provision`
// ({ id, urn, name }), `providerId` a sibling `provider` ({ id, name }), `authorityId` a sibling
// `authority` and any `…AuthorityId` (publisherAuthorityId, issuerAuthorityId, byAuthorityId …) a
// sibling without the `Id` ({ id, name }); `provisionIds` gets `provisions`. A setting's URN and name
// and an authority's name are directory facts every member may know, so a signal may carry them too.
// Every name an answer needs comes from one statement, whatever the number of records.
import { sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from './index.js';
import { perDatabase } from './prepared.js';
import { authorities, clients, people, providers, provisions } from './schema/index.js';

export type ProvisionRef = { id: string; urn: string | null; name: string };
export type ProviderRef = { id: string; name: string };
export type AuthorityRef = { id: string; name: string };
/** A person or an API client named beside its id: who acted, in the audit and wherever else an answer says. */
export type ActorRef = { id: string; name: string };

/** The names of the settings, providers and authorities some answers mention. */
export type Names = {
  provisions: Map<string, ProvisionRef>;
  providers: Map<string, ProviderRef>;
  authorities: Map<string, AuthorityRef>;
  people: Map<string, ActorRef>;
  clients: Map<string, ActorRef>;
};

type Ids = {
  provisions: Set<string>;
  providers: Set<string>;
  authorities: Set<string>;
  people: Set<string>;
  clients: Set<string>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields whose content is kept as it was written (a version's snapshot, an audit entry's details, which its hash covers). */
const KEPT_AS_WRITTEN = new Set(['snapshot', 'details']);

/** The sibling field that names the id in `key`, and what it names; undefined for any other field. */
const siblingOf = (key: string): { field: string; kind: keyof Ids; many: boolean } | undefined => {
  if (key === 'provisionId') return { field: 'provision', kind: 'provisions', many: false };
  if (key === 'provisionIds') return { field: 'provisions', kind: 'provisions', many: true };
  if (key === 'providerId') return { field: 'provider', kind: 'providers', many: false };
  if (key === 'authorityId') return { field: 'authority', kind: 'authorities', many: false };
  if (key.endsWith('AuthorityId')) return { field: key.slice(0, -2), kind: 'authorities', many: false };
  if (key === 'personId') return { field: 'person', kind: 'people', many: false };
  if (key === 'clientId') return { field: 'client', kind: 'clients', many: false };
  return undefined;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every id that `values` name by the rule above. */
const collectIds = (values: unknown[]): Ids => {
  const ids: Ids = {
    provisions: new Set(),
    providers: new Set(),
    authorities: new Set(),
    people: new Set(),
    clients: new Set(),
  };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!isPlainObject(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (KEPT_AS_WRITTEN.has(k)) continue;
      const s = siblingOf(k);
      if (s) {
        for (const id of s.many && Array.isArray(x) ? x : [x])
          if (
            typeof id === 'string' &&
            ((s.kind !== 'provisions' && s.kind !== 'providers') || UUID.test(id))
          )
            ids[s.kind].add(id);
      } else visit(x);
    }
  };
  for (const v of values) visit(v);
  return ids;
};

const anyOf = (column: AnyColumn, name: keyof Ids, type: 'uuid' | 'text') =>
  sql`${column} = any(${sql.placeholder(name)}::${sql.raw(type)}[])`;

/**
 * The one statement that names ids of every kind, prepared once per database: every list names its
 * records with it, and drizzle would otherwise build (and PostgreSQL plan) a union with a parameter
 * per id each time.
 */
const namesStatement = perDatabase((db) =>
  db
    .select({
      kind: sql<string>`'provision'`.as('kind'),
      id: sql<string>`${provisions.id}::text`.as('id'),
      urn: provisions.urn,
      name: provisions.name,
    })
    .from(provisions)
    .where(anyOf(provisions.id, 'provisions', 'uuid'))
    .unionAll(
      db
        .select({
          kind: sql<string>`'provider'`.as('kind'),
          id: sql<string>`${providers.id}::text`.as('id'),
          urn: sql<string | null>`null::text`.as('urn'),
          name: providers.name,
        })
        .from(providers)
        .where(anyOf(providers.id, 'providers', 'uuid')),
    )
    .unionAll(
      db
        .select({
          kind: sql<string>`'authority'`.as('kind'),
          id: authorities.id,
          urn: sql<string | null>`null::text`.as('urn'),
          name: authorities.name,
        })
        .from(authorities)
        .where(anyOf(authorities.id, 'authorities', 'text')),
    )
    .unionAll(
      db
        .select({
          kind: sql<string>`'person'`.as('kind'),
          id: people.id,
          urn: sql<string | null>`null::text`.as('urn'),
          name: people.name,
        })
        .from(people)
        .where(anyOf(people.id, 'people', 'text')),
    )
    .unionAll(
      db
        .select({
          kind: sql<string>`'client'`.as('kind'),
          id: clients.id,
          urn: sql<string | null>`null::text`.as('urn'),
          name: clients.name,
        })
        .from(clients)
        .where(anyOf(clients.id, 'clients', 'text')),
    )
    .prepare('ccx_names'),
);

/** The names of the given ids, in one statement (none when there are no ids). */
export const loadNames = async (db: Db, ids: Ids): Promise<Names> => {
  const names: Names = {
    provisions: new Map(),
    providers: new Map(),
    authorities: new Map(),
    people: new Map(),
    clients: new Map(),
  };
  if (Object.values(ids).every((set: Set<string>) => set.size === 0)) return names;
  const rows = await namesStatement(db).execute({
    provisions: [...ids.provisions],
    providers: [...ids.providers],
    authorities: [...ids.authorities],
    people: [...ids.people],
    clients: [...ids.clients],
  });
  for (const r of rows) {
    if (r.kind === 'provision') names.provisions.set(r.id, { id: r.id, urn: r.urn, name: r.name });
    else if (r.kind === 'provider') names.providers.set(r.id, { id: r.id, name: r.name });
    else if (r.kind === 'person') names.people.set(r.id, { id: r.id, name: r.name });
    else if (r.kind === 'client') names.clients.set(r.id, { id: r.id, name: r.name });
    else names.authorities.set(r.id, { id: r.id, name: r.name });
  }
  return names;
};

/** The reference that names one id; an id the directory does not know (never, with its keys) names itself. */
const refOf = (names: Names, kind: keyof Ids, id: string): ProvisionRef | ProviderRef | AuthorityRef => {
  if (kind === 'provisions') return names.provisions.get(id) ?? { id, urn: null, name: id };
  return names[kind].get(id) ?? { id, name: id };
};

/** A copy of `value` with a named sibling beside every id field (a sibling already there is kept). */
export const withNames = <T>(value: T, names: Names): T => {
  const name = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(name);
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = KEPT_AS_WRITTEN.has(k) || siblingOf(k) ? x : name(x);
      const s = siblingOf(k);
      if (!s || s.field in v) continue;
      if (s.many)
        out[s.field] = Array.isArray(x)
          ? x.filter((id): id is string => typeof id === 'string').map((id) => refOf(names, s.kind, id))
          : [];
      else out[s.field] = typeof x === 'string' ? refOf(names, s.kind, x) : null;
    }
    return out;
  };
  return name(value) as T;
};

/** Answers with the directory's names beside their ids: one statement for all of them. */
export const nameAll = async <T>(db: Db, values: T[]): Promise<T[]> => {
  if (values.length === 0) return values;
  const names = await loadNames(db, collectIds(values));
  return values.map((v) => withNames(v, names));
};

/** One answer with the directory's names beside its ids. */
export const nameOne = async <T>(db: Db, value: T): Promise<T> => (await nameAll(db, [value]))[0]!;
