// Idempotent writes: the first answer to (authority, key) is kept in the write's own transaction, so a
// retry with the same key and input gets it again and never makes a second record.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { canonicalJson } from '../audit/canonical-json.js';
import type { Db } from '../db/index.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { AppError } from '../shared/errors.js';
import type { Actor } from './actor.js';

export const idempotent = async <T>(
  tx: Db,
  actor: Actor,
  procedure: string,
  input: { idempotencyKey?: string | undefined },
  run: () => Promise<T>,
): Promise<T> => {
  const { idempotencyKey: key, ...request } = input;
  if (!key) return run();
  const requestHash = createHash('sha256').update(canonicalJson({ procedure, request })).digest('hex');
  // Claim the key. A concurrent request with the same key waits on the unique index until this
  // transaction ends, then finds the stored answer (or, if this one rolled back, claims it itself).
  const [claimed] = await tx
    .insert(idempotencyKeys)
    .values({ authorityId: actor.authorityId, key, procedure, requestHash, response: {} })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (!claimed) {
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.authorityId, actor.authorityId), eq(idempotencyKeys.key, key)));
    if (!existing || existing.procedure !== procedure || existing.requestHash !== requestHash) {
      throw new AppError(
        'CONFLICT',
        `idempotency key ${key} was already used for a different request; use a new key for a new request`,
      );
    }
    return existing.response as T;
  }
  const result = await run();
  await tx
    .update(idempotencyKeys)
    .set({ response: result })
    .where(and(eq(idempotencyKeys.authorityId, actor.authorityId), eq(idempotencyKeys.key, key)));
  return result;
};

/** The input without its idempotency key, for services that spread their input into a row. */
export const withoutKey = <T extends { idempotencyKey?: string | undefined }>(
  input: T,
): Omit<T, 'idempotencyKey'> => {
  const { idempotencyKey: _key, ...rest } = input;
  return rest;
};
