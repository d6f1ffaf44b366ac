// Building blocks shared by every domain contract: ids, free-text limits, pagination and versions.
import { z } from 'zod';

/** Limits on free text, so an oversized field is refused with a clear message rather than stored. */
export const TEXT_LIMITS = { name: 200, short: 500, long: 20_000 } as const;

export const PAGE_SIZE = { default: 50, max: 200 } as const;

export const zName = z.string().trim().min(1, 'must not be empty').max(TEXT_LIMITS.name);
export const zShortText = z.string().trim().max(TEXT_LIMITS.short);

/** Server-generated record ids (UUIDs). */
export const zId = z.uuid({ message: 'must be an id as returned by the API (a UUID)' });

/** ISO-8601 calendar date, `2026-11-23`. */
export const zDate = z.iso
  .date({ message: 'must be a date as YYYY-MM-DD' })
  // Year 0000 matches the pattern, but PostgreSQL has no year 0.
  .refine((d) => d >= '0001-01-01', 'must be a date from year 1 on');
/** ISO-8601 timestamp with offset, as every timestamp on the wire. */
export const zTimestamp = z.iso.datetime({ offset: true });

// A check's own message, or the base type's would be given for every issue (too long included).
export const zEmail = z
  .email({ message: 'must be an e-mail address' })
  .max(254, 'must be at most 254 characters');

/** Optimistic concurrency: every update names the version it amends. */
export const zVersion = z.number().int().min(1).max(2_147_483_647);

const unknownFields = (iss: z.core.$ZodRawIssue): string | undefined => {
  if (iss.code !== 'unrecognized_keys') return undefined;
  const shape = (iss.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  // zod copies the raw issue's own fields into the issue it reports: `known` travels with it.
  if (shape) Object.assign(iss, { known: Object.keys(shape) });
  const keys = iss.keys.map((k) => `"${k}"`).join(', ');
  return iss.keys.length === 1 ? `unknown field ${keys}` : `unknown fields ${keys}`;
};

/**
 * An input object. A field the contract does not name is refused, not silently dropped: a typo such as
 * `limt` would otherwise pass unnoticed and the call succeed without it. The refusal keeps the object's
 * own field names (`known`), so the hub can say which one was probably meant.
 */
export const zInput = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, { error: unknownFields });

export const zPageInput = zInput({
  cursor: z.string().max(500).optional().describe('opaque cursor from the previous page'),
  limit: z.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
});
export type PageInput = z.input<typeof zPageInput>;

export const zPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const zRecordMeta = {
  version: zVersion,
  createdAt: zTimestamp,
  updatedAt: zTimestamp,
};

/**
 * A client-chosen key that makes a write safe to retry: the same key with the same input answers the
 * first result again; the same key with a different input is a conflict.
 */
export const zIdempotencyKey = z
  .string()
  .min(8, 'must be at least 8 characters (a UUID is ideal)')
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : -');
