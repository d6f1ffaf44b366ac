// Reading a placements CSV file in the browser: RFC 4180 (quoted fields, doubled quotes, CRLF), a
// header row naming the columns, each later row one placement as the hub's import takes it.

/** Rows of cells; a quoted cell may hold commas, quotes ("") and line breaks. */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
};

export type ImportRow = { provisionId?: string; urn?: string; children: string; fromDate?: string };

/** The names a column may go by in a spreadsheet, lower-cased without spaces, dashes or underscores. */
const COLUMNS: Record<string, keyof ImportRow> = {
  urn: 'urn',
  ofstedurn: 'urn',
  provisionid: 'provisionId',
  settingid: 'provisionId',
  children: 'children',
  numberofchildren: 'children',
  fromdate: 'fromDate',
  from: 'fromDate',
};

export type ParsedImport = { ok: true; rows: ImportRow[]; lines: number[] } | { ok: false; message: string };

/**
 * The file as the hub's import rows, with the file line each came from (blank lines are skipped). A
 * file the page cannot read at all is refused here, before anything is sent.
 */
export const placementRows = (text: string): ParsedImport => {
  const all = parseCsv(text);
  const header = all[0];
  if (!header || header.every((h) => h.trim() === ''))
    return { ok: false, message: 'The selected file is empty' };
  const fields = header.map(
    (h) =>
      COLUMNS[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s_-]+/g, '')
      ],
  );
  if (!fields.includes('children') || !(fields.includes('urn') || fields.includes('provisionId')))
    return {
      ok: false,
      message: 'The selected file must have a header row with the columns urn (or provisionId) and children',
    };
  const rows: ImportRow[] = [];
  const lines: number[] = [];
  all.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const row: ImportRow = { children: '' };
    fields.forEach((f, col) => {
      const v = (cells[col] ?? '').trim();
      if (!f) return;
      if (f === 'children') row.children = v;
      else if (v !== '') row[f] = v;
    });
    rows.push(row);
    lines.push(i + 2);
  });
  if (rows.length === 0)
    return { ok: false, message: 'The selected file has a header row but no placements' };
  return { ok: true, rows, lines };
};
