// Reading a shortlist: URNs pasted (one a line, or separated by commas, semicolons or spaces) or a CSV
// file's URN column (the column headed "urn", else the first column whose cells look like URNs).
import { looksLikeUrn } from './labels.js';

/** CSV text as rows of cells (RFC 4180: quoted cells may hold commas, quotes doubled, new lines). */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
};

export type CsvUrns = { urns: string[]; column: string; problem?: string };

/** The URNs of a CSV file: by its "urn" header, else the first column that looks like URNs. */
export const urnsFromCsv = (text: string): CsvUrns => {
  const rows = parseCsv(text);
  if (rows.length === 0) return { urns: [], column: '', problem: 'The file is empty' };
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const named = header.findIndex((h) => h === 'urn' || h === 'ofsted urn' || h === 'ofsted_urn');
  if (named >= 0)
    return {
      urns: rows
        .slice(1)
        .map((r) => (r[named] ?? '').trim())
        .filter(Boolean),
      column: rows[0]![named]!.trim(),
    };
  const width = Math.max(...rows.map((r) => r.length));
  for (let col = 0; col < width; col++) {
    const cells = rows.map((r) => (r[col] ?? '').trim()).filter(Boolean);
    const urnish = cells.filter(looksLikeUrn).length;
    // A column of URNs, perhaps under a header of another name and with a mistyped one or two.
    if (urnish > 0 && urnish >= Math.ceil((cells.length - 1) / 2)) {
      const headed = !looksLikeUrn(rows[0]![col] ?? '');
      return {
        urns: (headed ? rows.slice(1) : rows).map((r) => (r[col] ?? '').trim()).filter(Boolean),
        column: headed ? (rows[0]![col] ?? '').trim() || `column ${col + 1}` : `column ${col + 1}`,
      };
    }
  }
  return { urns: [], column: '', problem: 'The file has no column headed “urn” and no column of URNs' };
};

/** URNs pasted into a box: one a line, or separated by commas, semicolons, tabs or spaces. */
export const urnsFromText = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((u) => u.trim())
    .filter(Boolean);

/** The URNs once each, in the order first given, as the hub writes them (upper case). */
export const distinctUrns = (urns: string[]): string[] => [...new Set(urns.map((u) => u.toUpperCase()))];
