// Keyset pagination: a list is ordered by its sort keys (the last one unique) and a cursor carries the
// last row's keys, so pages stay stable while rows are added and every page costs one index range scan.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from '../shared/errors.js';

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

/** A cursor over several sort keys (the last one unique): the key values of the last row seen. */
export const encodeKeys = (values: string[]): string =>
  Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

/**
 * The condition "after the cursor" for an ordering by `columns` (all ascending or all descending),
 * each compared as the SQL type given beside it. A cursor that does not decode is a 400.
 */
export const afterKeys = (
  cursor: string | undefined,
  columns: { column: AnyColumn; cast: 'date' | 'uuid' | 'text' }[],
  direction: 'asc' | 'desc',
): SQL | undefined => {
  if (!cursor) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  const valid =
    Array.isArray(values) &&
    values.length === columns.length &&
    values.every((v, i) => typeof v === 'string' && !v.includes('\u0000') && validKey(v, columns[i]!.cast));
  if (!valid)
    throw new AppError(
      'VALIDATION',
      'cursor is not valid: pass the nextCursor of the previous page unchanged',
    );
  const strings = values as string[];
  const left = sql.join(
    columns.map((c) => sql`${c.column}`),
    sql`, `,
  );
  const right = sql.join(
    columns.map((c, i) => sql`${strings[i]}::${sql.raw(c.cast)}`),
    sql`, `,
  );
  return direction === 'asc' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
};

const validKey = (value: string, cast: 'date' | 'uuid' | 'text'): boolean => {
  switch (cast) {
    case 'uuid':
      return UUID.test(value);
    case 'date': {
      // A real calendar day: 2026-02-30 matches the pattern but is no date.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
      const d = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && value >= '0001-01-01';
    }
    case 'text':
      return true;
  }
};
