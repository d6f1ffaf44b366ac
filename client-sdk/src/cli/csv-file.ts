// Reading a CSV file from disk as a header and numbered rows, streamed so the progress bar can follow.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
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

/** Reads a CSV file: the first record is the header; blank rows are skipped but keep their numbers. */
export const readCsvFile = async (cwd: string, file: string, progress?: Progress): Promise<CsvTable> => {
  const { path: full, size } = await resolveInputFile(cwd, file);
  progress?.phase('reading', size);
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const records: CsvRecord[] = [];
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(full)) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      records.push(...reader.push(decoder.decode(buf, { stream: true })));
      progress?.update(bytes);
    }
    records.push(...reader.push(decoder.decode()), ...reader.end());
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${file}: ${err.message}`);
    if ((err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
      throw new CliError(`${file} is not UTF-8 text; save it as "CSV UTF-8" from your spreadsheet program`);
    throw err;
  }
  progress?.update(size);
  const [head, ...rest] = records;
  if (!head || isBlankRecord(head.fields)) throw new CliError(`${file} is empty or has no header row`);
  return {
    header: head.fields.map((h) => h.trim()),
    rows: rest.flatMap((r, i) =>
      isBlankRecord(r.fields) ? [] : [{ row: i + 2, line: r.line, fields: r.fields }],
    ),
  };
};

/** A header name reduced to letters and digits: `Provision ID`, `provision_id` and `provisionId` all match. */
export const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');
