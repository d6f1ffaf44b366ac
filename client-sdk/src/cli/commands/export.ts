// ccx export: every restriction, outcome or allocation the caller may see, all pages, as CSV (nested
// fields flattened to dotted columns, for spreadsheets) or JSON.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { items, type CcxClient } from '../../index.js';
import type { RouterInputs } from '../../router.js';
import { oneOf, parseCommand, type Command } from '../command.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { recordsToCsv, writeLine } from '../output.js';
import { Progress } from '../progress.js';

// List inputs with defaults may be omitted, so their types include void.
type ListInput<T> = Exclude<T, void | undefined>;
type RestrictionListInput = ListInput<RouterInputs['restrictions']['list']>;
type OutcomeListInput = ListInput<RouterInputs['outcomes']['list']>;
type AllocationListInput = ListInput<RouterInputs['allocations']['list']>;

const WHAT = ['restrictions', 'outcomes', 'allocations'] as const;
type What = (typeof WHAT)[number];
const FORMATS = ['csv', 'json'] as const;

type ExportFlags = { active?: boolean | undefined; 'include-ended'?: boolean | undefined };

/** Every record of one kind, page after page, as the hub returns them (the largest page it allows). */
async function* recordsOf(ccx: CcxClient, what: What, flags: ExportFlags): AsyncGenerator<object> {
  if (what === 'restrictions') {
    const input: RestrictionListInput = { limit: 500, ...(flags.active ? { active: true } : {}) };
    yield* items((i: RestrictionListInput) => ccx.restrictions.list.query(i), input);
  } else if (what === 'outcomes') {
    const input: OutcomeListInput = { limit: 500, includeDrafts: false };
    yield* items((i: OutcomeListInput) => ccx.outcomes.list.query(i), input);
  } else {
    const input: AllocationListInput = { limit: 500, currentOnly: flags['include-ended'] !== true };
    yield* items((i: AllocationListInput) => ccx.allocations.list.query(i), input);
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export every restriction, outcome or allocation you may see, as CSV or JSON.',
  usage: '<restrictions|outcomes|allocations> [--format csv|json] [--out <file>] [--raw] [--no-bom]',
  description: [
    'Every page is fetched. In CSV, nested fields become dotted column names (provision.name,',
    'reasons.0.category, reasons.0.text …), one row per record; each record keeps the layer you may',
    'see it at (detail, summary or a restricted-information signal). For spreadsheet safety, text',
    "starting with = + - or @ is written with a leading ' so it is not run as a formula (--raw keeps it",
    'as is). A CSV file written with --out starts with a UTF-8 byte-order mark so Excel reads accents',
    'correctly (--no-bom leaves it out); CSV on standard output has none.',
  ].join('\n'),
  options: [
    ['--format <csv|json>', 'default: from the --out file name, else csv'],
    ['--out <file>', 'write to this file instead of standard output'],
    ['--active', 'restrictions: only those in force today'],
    ['--include-ended', 'allocations: ended allocations too (default: current only)'],
    ['--raw', 'CSV: write cells exactly as the hub returned them'],
    ['--no-bom', 'CSV: no byte-order mark at the start of the file'],
    ['--progress', 'show progress on stderr even when it is not a terminal'],
  ],
  examples: [
    'ccx export restrictions --format csv --out restrictions.csv',
    'ccx export outcomes --format json > outcomes.json',
    'ccx export allocations --out allocations.csv --include-ended',
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'export',
      argv,
      {
        format: { type: 'string' },
        out: { type: 'string', short: 'o' },
        active: { type: 'boolean' },
        'include-ended': { type: 'boolean' },
        raw: { type: 'boolean' },
        'no-bom': { type: 'boolean' },
        progress: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    const what = positionals[0]!;
    if (!(WHAT as readonly string[]).includes(what))
      throw new UsageError(`cannot export "${what}": choose ${WHAT.join(', ')}`, 'run `ccx export --help`');
    const fromName = values.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    const format = oneOf('format', values.format, FORMATS) ?? fromName;
    const { ccx } = await ctx.connect(values);

    const progress = Progress.for(ctx.io.stderr, values.progress);
    progress.phase(`${what}`);
    const records: object[] = [];
    for await (const r of recordsOf(ccx, what as What, values)) {
      records.push(r);
      progress.update(records.length);
    }
    progress.finish();

    const text =
      format === 'json'
        ? `${JSON.stringify(records, null, 2)}\n`
        : recordsToCsv(records, {
            bom: values.out !== undefined && values['no-bom'] !== true,
            raw: values.raw === true,
            leading: ['id', 'layer'],
          });
    if (values.out) {
      const file = path.resolve(ctx.io.cwd, values.out);
      try {
        await writeFile(file, text, 'utf8');
      } catch (err) {
        throw new CliError(`cannot write ${values.out}: ${(err as Error).message}`);
      }
      writeLine(ctx.io.stderr, `wrote ${records.length} ${what} to ${values.out}`);
    } else ctx.io.stdout.write(text);
    return EXIT.ok;
  },
};
