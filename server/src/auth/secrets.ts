// Client ids and secrets. Secrets carry 256 random bits, so SHA-256 (not a slow KDF) is enough to
// make a leaked hash useless, and keeps the token endpoint cheap.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const newClientId = (): string => {
  const bytes = randomBytes(20);
  let id = 'ccx_';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
};

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
