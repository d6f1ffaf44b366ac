// Reading a CSV file from disk as a header and numbered rows, streamed so the progress bar can follow.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { CsvError, CsvReader, isBlankRecord, type CsvRecord } from './csv.js';
import { CliError } from './errors.js';
import type { Progress } from './progress.js';

export type CsvRow = {
  /** The row number a spreadsheet shows: the header is row 1, the first data row is row 2. */
  row: number;
  /** The line of the file the row starts on (differs from `row` after a cell with line breaks). */
  line: number;
  fields: string[];
};

export type CsvTable = { header: string[]; rows: CsvRow[] };

/** Opens a file named on the command line, relative to the working directory, with a clear message if it cannot. */
export const resolveInputFile = async (
  cwd: string,
  file: string,
): Promise<{ path: string; size: number }> => {
  const full = path.resolve(cwd, file);
  try {
    const s = await stat(full);
    if (!s.isFile()) throw new CliError(`${file} is not a file`);
    return { path: full, size: s.size };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `cannot read ${file}: ${(err as { code?: string }).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
};

const SAVE_AS_CSV = 'in Excel use File › Save As › "CSV UTF-8 (Comma delimited)"';

/** What the first bytes of a file say it is, when that is not text CSV can be read from. */
type Sniffed =
  { kind: 'refuse'; message: string } | { kind: 'text'; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' };

/**
 * Tells a spreadsheet saved in another format from CSV by its first bytes: a workbook (xlsx and ods are
 * ZIP files, xls an OLE2 compound file) is refused with how to save it as CSV; UTF-16 text (Excel's
 * "Unicode Text", PowerShell's `>`) is decoded as such, with or without its byte-order mark.
 */
export const sniffFile = (file: string, head: Buffer): Sniffed => {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    const text = head.toString('latin1');
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'))
      return {
        kind: 'refuse',
        message: `${file} is an OpenDocument spreadsheet, not CSV: in LibreOffice use File › Save As… › "Text CSV (.csv)" with UTF-8 and commas`,
      };
    return {
      kind: 'refuse',
      message: /\[Content_Types\]\.xml|xl\//.test(text)
        ? `${file} is an Excel workbook, not CSV: ${SAVE_AS_CSV}`
        : `${file} is a ZIP archive (an Excel workbook?), not CSV: ${SAVE_AS_CSV}`,
    };
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    return {
      kind: 'refuse',
      message: `${file} is an Excel 97–2003 workbook (.xls), not CSV: ${SAVE_AS_CSV}`,
    };
  if (starts(0xff, 0xfe)) return { kind: 'text', encoding: 'utf-16le' };
  if (starts(0xfe, 0xff)) return { kind: 'text', encoding: 'utf-16be' };
  // No mark: ASCII text in UTF-16 has a NUL in every other byte (odd ones little-endian, even big-endian).
  const pairs = Math.floor(Math.min(head.length, 512) / 2);
  if (pairs >= 2) {
    let oddNul = 0;
    let evenNul = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) evenNul++;
      if (head[2 * i + 1] === 0) oddNul++;
    }
    if (oddNul >= pairs * 0.9 && evenNul === 0) return { kind: 'text', encoding: 'utf-16le' };
    if (evenNul >= pairs * 0.9 && oddNul === 0) return { kind: 'text', encoding: 'utf-16be' };
  }
  return { kind: 'text', encoding: 'utf-8' };
};

/** A header of one field holding `;` or a tab: the file is separated by something other than commas. */
const otherSeparator = (file: string, header: readonly string[]): string | undefined => {
  if (header.length !== 1) return undefined;
  const only = header[0]!;
  if (only.includes(';'))
    return `${file} is separated by semicolons; save it as CSV UTF-8 (comma delimited) — if Excel still writes semicolons, set the list separator to "," in Windows' region settings`;
  if (only.includes('\t'))
    return `${file} is separated by tabs (Excel's "Unicode Text" or "Text"), not commas: ${SAVE_AS_CSV}`;
  return undefined;
};

/**
 * Reads a CSV file: the first record is the header; blank rows are skipped but keep their numbers.
 * UTF-8 (with or without a byte-order mark) or UTF-16; workbooks and files separated by semicolons or
 * tabs are refused, saying how to save them as CSV.
 */
export const readCsvFile = async (cwd: string, file: string, progress?: Progress): Promise<CsvTable> => {
  const { path: full, size } = await resolveInputFile(cwd, file);
  progress?.phase('reading', size, 'bytes');
  const reader = new CsvReader();
  let decoder: TextDecoder | undefined;
  const records: CsvRecord[] = [];
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(full)) {
      const buf = chunk as Buffer;
      if (!decoder) {
        const sniffed = sniffFile(file, buf);
        if (sniffed.kind === 'refuse') throw new CliError(sniffed.message);
        // TextDecoder drops a byte-order mark of its own encoding; CsvReader drops a UTF-8 one too.
        decoder = new TextDecoder(sniffed.encoding, { fatal: true });
      }
      bytes += buf.length;
      records.push(...reader.push(decoder.decode(buf, { stream: true })));
      progress?.update(bytes);
    }
    if (decoder) records.push(...reader.push(decoder.decode()));
    records.push(...reader.end());
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${file}: ${err.message}`);
    if ((err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
      throw new CliError(
        `${file} is not UTF-8 text (perhaps "CSV (Comma delimited)" in a local code page): ${SAVE_AS_CSV}`,
      );
    throw err;
  }
  progress?.update(size);
  const [head, ...rest] = records;
  if (!head || isBlankRecord(head.fields)) throw new CliError(`${file} is empty or has no header row`);
  const separated = otherSeparator(file, head.fields);
  if (separated) throw new CliError(separated);
  return {
    header: head.fields.map((h) => h.trim()),
    rows: rest.flatMap((r, i) =>
      isBlankRecord(r.fields) ? [] : [{ row: i + 2, line: r.line, fields: r.fields }],
    ),
  };
};

/** A header name reduced to letters and digits: `Provision ID`, `provision_id` and `provisionId` all match. */
export const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');
