// People's passwords: argon2id (RFC 9106) through the maintained `argon2` binding. NCSC guidance:
// length (at least 12), no composition rules, no forced expiry. A check against an unknown person
// verifies against a dummy hash, so the answer takes as long as for a known one.
import argon2 from 'argon2';

/** RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes. */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
} as const;

export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, PASSWORD_HASH_OPTIONS);

let dummyHash: Promise<string> | undefined;

/** Whether the password matches the stored hash; false (after the same work) when there is none. */
export const passwordMatches = async (
  password: string,
  stored: string | null | undefined,
): Promise<boolean> => {
  const hash = stored ?? (await (dummyHash ??= hashPassword('ccx: no such person, no such password')));
  let ok: boolean;
  try {
    ok = await argon2.verify(hash, password);
  } catch {
    ok = false;
  }
  return ok && typeof stored === 'string';
};
