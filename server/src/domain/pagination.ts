// Keyset pagination: a list is ordered by (sort key, id) and a cursor carries the last row's pair,
// so pages stay stable while rows are added and every page costs one index range scan.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.js';

export const encodeCursor = (key: string, id: string): string =>
  Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): { key: string; id: string } => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !value[0].includes('\u0000')
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'cursor is not valid: pass the nextCursor of the previous page unchanged');
};

/** The condition "after the cursor" for an ordering by (keyColumn, idColumn). */
export const afterCursor = (
  cursor: string | undefined,
  keyColumn: AnyColumn,
  idColumn: AnyColumn,
  idType: 'text' | 'uuid' = 'text',
): SQL | undefined => {
  if (!cursor) return undefined;
  const { key, id } = decodeCursor(cursor);
  if (idType === 'uuid' && !UUID.test(id)) throw new AppError('VALIDATION', 'cursor is not valid');
  const idParam = idType === 'uuid' ? sql`${id}::uuid` : sql`${id}`;
  return sql`(${keyColumn}, ${idColumn}) > (${key}, ${idParam})`;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits a fetched page (limit + 1 rows) into items and the next cursor. */
export const toPage = <T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string,
): { items: T[]; nextCursor: string | null } => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
};

/** Escapes LIKE wildcards so a user's `%` or `_` is matched literally. */
export const likeContains = (fragment: string): string => `%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
