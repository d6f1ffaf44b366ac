// ccx placements import: an authority's whole list of placements from a CSV file, all or nothing, with
// every bad row reported by its spreadsheet row and column; and ccx placements list.
import { CcxError } from '../../index.js';
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { normaliseHeader, readCsvFile, type CsvTable } from '../csv-file.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { settingName, writeJson, writeLine, writeTable } from '../output.js';
import { Progress } from '../progress.js';
import { resolveProvisionId } from '../targets.js';

type ImportRow = RouterInputs['placements']['import']['rows'][number];
type ImportReport = RouterOutputs['placements']['import'];

/** The hub's limit per import (placements.import refuses more). */
export const IMPORT_MAX_ROWS = 20_000;

type Field = 'provisionId' | 'urn' | 'children' | 'fromDate';

/** Header names each field is known by, reduced to letters and digits. */
const HEADER_NAMES: Record<Field, readonly string[]> = {
  provisionId: ['provisionid'],
  urn: ['urn', 'ofstedurn'],
  children: ['children', 'numberofchildren', 'count'],
  fromDate: ['fromdate', 'from', 'startdate', 'since'],
};

export type RowError = { row: number; column: string; message: string };

type Mapping = { columns: Partial<Record<Field, number>>; ignored: string[] };

const mapColumns = (header: readonly string[], file: string): Mapping => {
  const columns: Partial<Record<Field, number>> = {};
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const name = normaliseHeader(h);
    const field = (Object.keys(HEADER_NAMES) as Field[]).find((f) => HEADER_NAMES[f].includes(name));
    if (!field) ignored.push(h || `(column ${i + 1})`);
    else if (columns[field] !== undefined)
      throw new CliError(`${file}: two columns give ${field} ("${header[columns[field]]}" and "${h}")`);
    else columns[field] = i;
  });
  if (columns.children === undefined || (columns.urn === undefined && columns.provisionId === undefined))
    throw new CliError(
      `${file} needs a "children" column and a "urn" or "provisionId" column (its header has: ${header.join(', ')})`,
    );
  return { columns, ignored };
};

/**
 * The import's rows, sent as the file has them (the hub checks every value and reports every problem);
 * only a row with more cells than the header is caught here, since its cells cannot be placed.
 */
const buildRows = (
  table: CsvTable,
  { columns }: Mapping,
  progress: Progress,
): { rows: ImportRow[]; csvRows: number[]; errors: RowError[] } => {
  const rows: ImportRow[] = [];
  const csvRows: number[] = [];
  const errors: RowError[] = [];
  progress.phase('validating', table.rows.length);
  table.rows.forEach((r, i) => {
    if (r.fields.length > table.header.length)
      errors.push({
        row: r.row,
        column: '-',
        message: `has ${r.fields.length} cells but the header has ${table.header.length} (a comma inside a value needs "quotes")`,
      });
    const cell = (f: Field): string | undefined => {
      const c = columns[f];
      const v = c === undefined ? undefined : r.fields[c]?.trim();
      return v === '' ? undefined : v;
    };
    const children = cell('children');
    const row: ImportRow = {
      ...(cell('provisionId') !== undefined ? { provisionId: cell('provisionId') } : {}),
      ...(cell('urn') !== undefined ? { urn: cell('urn') } : {}),
      children: children !== undefined && /^\d+$/.test(children) ? Number(children) : (children ?? null),
      ...(cell('fromDate') !== undefined ? { fromDate: cell('fromDate') } : {}),
    };
    rows.push(row);
    csvRows.push(r.row);
    if (i % 500 === 0) progress.update(i);
  });
  progress.update(table.rows.length);
  return { rows, csvRows, errors };
};

/** The hub's errors (row = position in the import, field = its name) in the file's terms. */
const toFileErrors = (
  report: ImportReport,
  csvRows: readonly number[],
  header: readonly string[],
  { columns }: Mapping,
): RowError[] => {
  const columnName = (field: string): string => {
    if (field === 'provision')
      return [columns.provisionId, columns.urn]
        .flatMap((c) => (c === undefined ? [] : [header[c]!]))
        .join(' / ');
    const c = columns[field as Field];
    return c === undefined ? field : header[c]!;
  };
  return report.errors.map((e) => ({
    row: csvRows[e.row - 1] ?? e.row,
    column: columnName(e.field),
    // The hub counts rows from 1 in what it was sent ("duplicate of row 3"); say it in the file's rows.
    message: e.message.replace(/\brow (\d+)\b/g, (text, n: string) => {
      const mapped = csvRows[Number(n) - 1];
      return mapped === undefined ? text : `row ${mapped}`;
    }),
  }));
};

const importCommand: Command = {
  name: 'placements import',
  summary: 'Import your authority’s whole list of placements from a CSV file (all or nothing).',
  usage: '<file.csv> [--dry-run] [--keep-missing] [--as-of YYYY-MM-DD] [--json] [--progress]',
  description: [
    'Columns (header names are matched ignoring case, spaces and underscores):',
    '  urn or provisionId   the setting (one of them per row)',
    '  children             how many children your authority has placed there (1-500)',
    '  fromDate             since when (YYYY-MM-DD; default: --as-of, else today)',
    'Other columns are ignored. The file is the complete list: declarations open at the hub but absent',
    'from the file are ended (unless --keep-missing). If any row is bad nothing is imported, and every',
    `bad row is reported with its spreadsheet row number and column. At most ${IMPORT_MAX_ROWS} rows.`,
  ].join('\n'),
  options: [
    ['--dry-run', 'check the file and report what would change, without changing anything'],
    ['--keep-missing', 'do not end declarations that are not in the file'],
    ['--as-of <date>', 'the date of the list: default fromDate, and the end date of missing declarations'],
    ['--json', 'print the hub’s report as JSON'],
    ['--progress', 'show a progress bar on stderr even when it is not a terminal'],
  ],
  examples: ['ccx placements import placements.csv --dry-run', 'ccx placements import placements.csv'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'placements import',
      argv,
      {
        'dry-run': { type: 'boolean' },
        'keep-missing': { type: 'boolean' },
        'as-of': { type: 'string' },
        json: { type: 'boolean' },
        progress: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    const asOf = values['as-of'];
    if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
      throw new UsageError('--as-of must be a date as YYYY-MM-DD');
    const file = positionals[0]!;
    const { ccx } = await ctx.connect(values);
    const progress = Progress.for(ctx.io.stderr, values.progress);
    const table = await readCsvFile(ctx.io.cwd, file, progress);
    const mapping = mapColumns(table.header, file);
    if (table.rows.length === 0) throw new CliError(`${file} has a header but no rows`);
    if (table.rows.length > IMPORT_MAX_ROWS)
      throw new CliError(
        `${file} has ${table.rows.length} rows; the hub takes at most ${IMPORT_MAX_ROWS} per import`,
      );
    const { rows, csvRows, errors: localErrors } = buildRows(table, mapping, progress);

    progress.phase('sending');
    const input = {
      rows,
      // A file with rows we could not read is only checked, so the report still names every problem.
      dryRun: values['dry-run'] === true || localErrors.length > 0,
      endMissing: values['keep-missing'] !== true,
      ...(asOf ? { asOf } : {}),
    };
    let report: ImportReport;
    try {
      report = await ccx.placements.import.mutate(input);
    } catch (err) {
      progress.finish();
      // An import replaces the whole list, so it cannot be sent in parts.
      if (err instanceof CcxError && err.code === 'PAYLOAD_TOO_LARGE')
        throw new CliError(
          `${file}: ${rows.length} rows make a request of ${Math.ceil(JSON.stringify(input).length / 1024)} KB, more than the hub accepts in one request; an import is the whole list and cannot be split, so ask the hub operators to raise CCX_MAX_BODY_BYTES${err.requestId ? ` (request id ${err.requestId})` : ''}`,
        );
      throw err;
    }
    progress.finish();
    const errors = [...localErrors, ...toFileErrors(report, csvRows, table.header, mapping)].sort(
      (a, b) => a.row - b.row || a.column.localeCompare(b.column),
    );
    if (mapping.ignored.length > 0 && !values.json)
      writeLine(
        ctx.io.stderr,
        `ignored column${mapping.ignored.length === 1 ? '' : 's'}: ${mapping.ignored.join(', ')}`,
      );

    if (values.json)
      writeJson(ctx.io.stdout, { ...report, applied: report.applied && errors.length === 0, errors });
    if (errors.length > 0) {
      if (!values.json) {
        writeTable(
          ctx.io.stderr,
          ['row', 'column', 'problem'],
          errors.map((e) => [String(e.row), e.column, e.message]),
        );
        const badRows = new Set(errors.map((e) => e.row)).size;
        writeLine(
          ctx.io.stderr,
          `\n${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${badRows} of ${rows.length} rows; nothing was imported.`,
        );
      }
      return EXIT.failed;
    }
    if (!values.json) {
      const counts = `open ${report.opened}, change ${report.changed}, leave ${report.unchanged} unchanged, end ${report.ended} not in the file`;
      writeLine(
        ctx.io.stdout,
        report.applied
          ? `imported ${report.rows} rows: opened ${report.opened}, changed ${report.changed}, unchanged ${report.unchanged}, ended ${report.ended} not in the file`
          : `dry run: all ${report.rows} rows are valid; importing would ${counts}. Nothing was changed.`,
      );
    }
    return EXIT.ok;
  },
};

type Placement = RouterOutputs['placements']['mine'][number];

const listCommand: Command = {
  name: 'placements list',
  summary: 'List your authority’s placement declarations.',
  usage: '[--include-ended] [--json]',
  options: [
    ['--include-ended', 'include declarations that have ended'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx placements list'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'placements list',
      argv,
      { 'include-ended': { type: 'boolean' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const list: Placement[] = await ccx.placements.mine.query({
      includeEnded: values['include-ended'] === true,
    });
    if (values.json) writeJson(ctx.io.stdout, list);
    else
      writeTable(
        ctx.io.stdout,
        ['id', 'setting', 'children', 'from', 'ended'],
        list.map((p) => [
          p.id,
          settingName(p.provision, p.provisionId),
          String(p.children),
          p.fromDate,
          p.endedOn ?? '',
        ]),
      );
    return EXIT.ok;
  },
};

const atCommand: Command = {
  name: 'placements at',
  summary: 'The authorities placing children at a setting you lead or host, with their QA contacts.',
  usage: '<urn|provision-id> [--json]',
  description:
    "Each authority with an open placement declaration at the setting: its number of children and its QA contact. Only the setting's lead authority and its host authority may ask; any other authority is refused.",
  options: [['--json', 'print JSON instead of a table']],
  examples: ['ccx placements at SC123456'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'placements at',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const provisionId = await resolveProvisionId(ccx, positionals[0]!, 'the setting');
    const at = await ccx.placements.atProvision.query({ provisionId });
    if (values.json) writeJson(ctx.io.stdout, at);
    else {
      writeTable(
        ctx.io.stdout,
        ['authority', 'children', 'since', 'qa contact'],
        at.authorities.map((a) => [`${a.name} (${a.authorityId})`, String(a.children), a.since, a.qaInbox]),
      );
      writeLine(
        ctx.io.stdout,
        `\n${settingName(at.provision, at.provisionId)}: ${at.children} ${at.children === 1 ? 'child' : 'children'} placed by ${at.authorities.length} ${at.authorities.length === 1 ? 'authority' : 'authorities'} (you see this as its ${at.basis} authority)`,
      );
    }
    return EXIT.ok;
  },
};

export const placementsCommands: Command[] = [importCommand, listCommand, atCommand];
