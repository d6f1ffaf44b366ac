// Output shared by every command: aligned tables for people, JSON for scripts, CSV for spreadsheet
// users (a fixed set of columns per kind of record, see `ccx export`), and how people name things:
// settings as `SC123456 Harbour House`, authorities by name, ratings with their direction.
import { BOM, formatCsv } from './csv.js';
import type { OutStream } from './io.js';

/**
 * Text for a terminal without control characters: free text written by other authorities could
 * otherwise carry escape sequences that move the cursor, rewrite lines or change the window title.
 */
export const plainText = (s: string): string => {
  let out = '';
  for (const ch of s.replace(/\t/g, ' ')) {
    const code = ch.charCodeAt(0);
    // C0 controls other than the line feed, DEL and the C1 controls.
    if ((code < 0x20 && ch !== '\n') || (code >= 0x7f && code <= 0x9f)) continue;
    out += ch;
  }
  return out;
};

export const writeLine = (out: OutStream, line = ''): void => {
  out.write(`${plainText(line)}\n`);
};

export const writeJson = (out: OutStream, value: unknown): void => {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** One JSON document per line (for events and other streams a script reads as they come). */
export const writeJsonLine = (out: OutStream, value: unknown): void => {
  out.write(`${JSON.stringify(value)}\n`);
};

/** A cell on one line: line breaks and tabs in free text would break the columns. */
const oneLine = (s: string): string => plainText(s.replace(/\s*[\r\n\t]+\s*/g, ' '));

/**
 * Columns padded to their widest cell, separated by two spaces; the last column is not padded so long
 * text wraps naturally in the terminal.
 */
export const renderTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(oneLine))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells
    .map((r) =>
      headers
        .map((_, i) => {
          const cell = r[i] ?? '';
          return i === headers.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length);
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
};

export const writeTable = (
  out: OutStream,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): void => {
  out.write(renderTable(headers, rows));
};

/** A value as a spreadsheet cell: empty for null, true/false, numbers as written. */
const cellOf = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
};

/**
 * Nested objects and arrays as dotted keys: `{ reasons: [{ category: 'quality' }] }` becomes
 * `{ 'reasons.0.category': 'quality' }`. An empty object or array is one empty cell, so the column
 * still says the field exists.
 */
export const flattenRecord = (
  value: unknown,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> => {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  if (entries.length === 0) {
    if (prefix) out[prefix] = value !== null && typeof value === 'object' ? '' : cellOf(value);
    return out;
  }
  for (const [k, v] of entries) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') flattenRecord(v, key, out);
    else out[key] = cellOf(v);
  }
  return out;
};

/** Cells a spreadsheet would run as a formula (CSV injection); a leading ' makes them text. */
const FORMULA_START = /^[=+\-@\t\r]/;

export const guardFormula = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);

export type CsvOptions = {
  /** Write a UTF-8 byte-order mark, so Excel reads accents correctly (default true). */
  bom?: boolean;
  /** Leave cells exactly as the hub returned them, even those a spreadsheet would run as formulas. */
  raw?: boolean;
  /** Columns to put first, in this order, when present. */
  leading?: readonly string[];
};

/**
 * Where a new column goes: after the last column sharing its longest dotted prefix, so that
 * `reasons.1.text`, first seen in a later record, sits beside `reasons.0.text` rather than at the end.
 */
const insertionPoint = (header: readonly string[], key: string): number => {
  const parts = key.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = `${parts.slice(0, n).join('.')}.`;
    for (let i = header.length - 1; i >= 0; i--) if (header[i]!.startsWith(prefix)) return i + 1;
  }
  return header.length;
};

/** Records as a CSV file: one column per dotted key found in any record. */
export const recordsToCsv = (records: readonly unknown[], opts: CsvOptions = {}): string => {
  const flat = records.map((r) => flattenRecord(r));
  const header: string[] = [];
  const known = new Set<string>();
  for (const key of opts.leading ?? [])
    if (flat.some((f) => key in f)) {
      header.push(key);
      known.add(key);
    }
  for (const f of flat)
    for (const key of Object.keys(f))
      if (!known.has(key)) {
        known.add(key);
        header.splice(insertionPoint(header, key), 0, key);
      }
  // Nothing to export: an empty file, rather than a header-less blank line.
  if (header.length === 0) return (opts.bom ?? true) ? BOM : '';
  const rows = flat.map((f) =>
    header.map((key) => {
      const cell = f[key] ?? '';
      return opts.raw ? cell : guardFormula(cell);
    }),
  );
  return formatCsv([header, ...rows], { bom: opts.bom ?? true });
};

/** A fixed column of a CSV export: its header, and its cell for one record ('' when the record has none). */
export type CsvColumn<T> = { header: string; cell: (record: T) => string };

/**
 * Records as a CSV file with a fixed header, the same whatever the records hold (and for none at all):
 * one row per record, one cell per column.
 */
export const columnsToCsv = <T>(
  columns: readonly CsvColumn<T>[],
  records: readonly T[],
  opts: Pick<CsvOptions, 'bom' | 'raw'> = {},
): string =>
  formatCsv(
    [
      columns.map((c) => c.header),
      ...records.map((r) =>
        columns.map((c) => {
          const cell = c.cell(r);
          return opts.raw ? cell : guardFormula(cell);
        }),
      ),
    ],
    { bom: opts.bom ?? true },
  );

/** How the hub names a setting beside its id (a hub before names were added leaves it out). */
export type ProvisionRef = { id: string; urn: string | null; name: string };
/** How the hub names a provider or an authority beside its id. */
export type NamedRef = { id: string; name: string };

/** A setting as people name it, `SC123456 Harbour House`; its id only when the hub gave no name. */
export const settingName = (ref: ProvisionRef | null | undefined, id?: string | null): string =>
  ref ? [ref.urn, ref.name].filter(Boolean).join(' ') : (id ?? '');

/** A provider by name; its id only when the hub gave no name. */
export const providerName = (ref: NamedRef | null | undefined, id?: string | null): string =>
  ref ? ref.name : (id ?? '');

/** An authority by name with its id (a short slug): `Medway Council (medway)`. */
export const authorityName = (ref: NamedRef | null | undefined, id?: string | null): string =>
  ref ? (ref.name === ref.id ? ref.id : `${ref.name} (${ref.id})`) : (id ?? '');

/** The overall concern rating's words (Bolton PQR), 1 the best and 5 the most serious; as in @ccx/schema. */
export const OVERALL_RATING_WORDS = ['no concerns', 'minor', 'moderate', 'significant', 'catastrophic'];
/** The direction of the overall rating, for a column header: `rating (5 = most serious)`. */
export const RATING_HEADER = 'rating (5 = most serious)';
/** A rating in a table cell, under RATING_HEADER: `4 of 5 significant`. */
export const ratingCell = (rating: number): string =>
  `${rating} of 5${OVERALL_RATING_WORDS[rating - 1] ? ` ${OVERALL_RATING_WORDS[rating - 1]}` : ''}`;
/** A rating in a sentence: `4 of 5 (significant), where 5 is the most serious`. */
export const ratingInWords = (rating: number): string =>
  `${rating} of 5${OVERALL_RATING_WORDS[rating - 1] ? ` (${OVERALL_RATING_WORDS[rating - 1]})` : ''}, where 5 is the most serious`;

/** A short date-time for tables: `2026-11-23 10:04`. */
export const shortTime = (iso: string | null | undefined): string =>
  iso ? iso.replace('T', ' ').slice(0, 16) : '';
