// A small RFC 4180 CSV reader and writer: quoted fields with escaped quotes, commas and line breaks
// inside quotes, CRLF or LF line ends, and a UTF-8 byte-order mark (spreadsheets write and expect one).
// The reader is incremental, so a large file is parsed as it is read and a progress bar can follow it.

export const BOM = '\uFEFF';

/** One record of a CSV file and the line (1-based) it starts on, for error messages. */
export type CsvRecord = { fields: string[]; line: number };

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Feed text in chunks with `push`, then call `end`. Tolerant where spreadsheets are: a quote inside an
 * unquoted field is kept as text, and text after a closing quote is appended. An unterminated quoted
 * field is an error, since otherwise the rest of the file would silently become one cell.
 */
export class CsvReader {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** A quote seen inside a quoted field: either the closing quote or the first of an escaped pair. */
  private quotePending = false;
  /** A CR ended the last record; an LF right after it belongs to the same line end. */
  private afterCr = false;
  private started = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private fieldTouched = false;
  /** The last character inside quotes was a CR: an LF after it ends the same line (chunks may split the pair). */
  private quotedCr = false;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith(BOM)) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.afterCr) {
        this.afterCr = false;
        if (c === '\n') continue;
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
          // Fall through: this character follows the closing quote.
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\r' || (c === '\n' && !this.quotedCr)) this.line++;
          this.quotedCr = c === '\r';
          this.field += c;
          continue;
        }
      }
      if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
        this.fieldTouched = true;
      } else if (c === '\r' || c === '\n') {
        out.push(this.endRecord());
        this.line++;
        this.recordLine = this.line;
        if (c === '\r') this.afterCr = true;
      } else if (c === '"' && this.field === '' && !this.inQuotes) {
        this.inQuotes = true;
        this.quotedCr = false;
        this.quoteLine = this.line;
        this.fieldTouched = true;
      } else {
        this.field += c;
        this.fieldTouched = true;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    if (this.inQuotes && !this.quotePending)
      throw new CsvError('a quoted field is never closed (a " is missing)', this.quoteLine);
    this.inQuotes = false;
    this.quotePending = false;
    // A final line without a line end is still a record; a file ending in a line end adds none.
    return this.fieldTouched || this.fields.length > 0 || this.field !== '' ? [this.endRecord()] : [];
  }

  private endRecord(): CsvRecord {
    this.fields.push(this.field);
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    this.field = '';
    this.fieldTouched = false;
    return record;
  }
}

/** Every record of a whole CSV text, with the line each starts on. */
export const readCsvRecords = (text: string): CsvRecord[] => {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
};

/** Every record of a whole CSV text, as arrays of fields. */
export const parseCsv = (text: string): string[][] => readCsvRecords(text).map((r) => r.fields);

/** True for a record with no content (an empty line, or only commas). */
export const isBlankRecord = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

const NEEDS_QUOTES = /[",\r\n]/;

export const formatCsvField = (value: string): string =>
  NEEDS_QUOTES.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;

/** One record with its CRLF line end, as RFC 4180 has it. */
export const formatCsvRecord = (fields: readonly string[]): string =>
  `${fields.map(formatCsvField).join(',')}\r\n`;

/** A whole file; with `bom`, spreadsheet programs read it as UTF-8 rather than a local code page. */
export const formatCsv = (records: readonly (readonly string[])[], opts: { bom?: boolean } = {}): string =>
  (opts.bom ? BOM : '') + records.map(formatCsvRecord).join('');
