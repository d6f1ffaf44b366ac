// Client ids and secrets. Secrets carry 256 random bits, so SHA-256 (not a slow KDF) is enough to
// make a leaked hash useless, and keeps the token endpoint cheap.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of 20 lower-case letters and digits after a prefix that says what it names. */
const newId = (prefix: string): string => {
  const bytes = randomBytes(20);
  let id = prefix;
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
};

export const newClientId = (): string => newId('ccx_');
/** People's ids differ from clients' (ccxp_ against ccx_), so a created-by column can hold either. */
export const newPersonId = (): string => newId('ccxp_');
/** A session's public handle (not its secret). */
export const newSessionHandle = (): string => newId('ses_');

/** A bearer secret for a cookie or a link: 256 random bits, base64url. Only its hashSecret is stored. */
export const newOpaqueSecret = (): string => randomBytes(32).toString('base64url');

export const newClientSecret = (): string => `ccxs_${randomBytes(32).toString('base64url')}`;

export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

// Compared against when the client is unknown, so the answer takes as long as for a known client.
const DUMMY_HASH = hashSecret('ccx-no-such-client');

/** Constant-time comparison of a presented secret with a stored hash (or a dummy when unknown). */
export const secretMatches = (presented: string, storedHash: string | undefined): boolean => {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) && storedHash !== undefined;
};
