// The opaque id of each signal: what lets a member match a restricted record's signal in a check, a
// list and the event feed (its start and its end) without learning anything of the record. An HMAC of
// the viewing authority, the record type and the record id under a key the hub keeps in its database
// (hub_secrets, made by the migration), so every process and restart gives the same id; never logged.
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { hubSecrets } from '../db/schema/index.js';

const NAME = 'signal';
const keys = new WeakMap<Db, Promise<string>>();

const readKey = async (db: Db): Promise<string> => {
  const found = await db
    .select({ secret: hubSecrets.secret })
    .from(hubSecrets)
    .where(eq(hubSecrets.name, NAME));
  if (found[0]) return found[0].secret;
  // The migration makes it; should the row ever be missing, the first process to need one makes it.
  await db
    .insert(hubSecrets)
    .values({ name: NAME, secret: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [made] = await db
    .select({ secret: hubSecrets.secret })
    .from(hubSecrets)
    .where(eq(hubSecrets.name, NAME));
  return made!.secret;
};

/** The hub's signal key (read once per database handle). */
export const signalKey = (db: Db): Promise<string> => {
  let key = keys.get(db);
  if (!key) {
    key = readKey(db);
    keys.set(db, key);
    // A failed read is not kept: the next caller tries again.
    key.catch(() => keys.delete(db));
  }
  return key;
};

/** Makes signal ids with one key: `sig_` and 22 base64url characters (132 bits of an HMAC-SHA256). */
export type SignalIds = (viewerAuthorityId: string, recordType: string, recordId: string) => string;

export const signalIdsWith =
  (key: string): SignalIds =>
  (viewer, type, id) =>
    `sig_${createHmac('sha256', key).update(`${viewer}|${type}|${id}`).digest('base64url').slice(0, 22)}`;

/** The signal-id maker of a database's key. */
export const signalIdsOf = async (db: Db): Promise<SignalIds> => signalIdsWith(await signalKey(db));
