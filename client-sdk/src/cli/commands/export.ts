// ccx export: every restriction, outcome or allocation the caller may see, all pages, as CSV (a fixed
// set of columns per kind, the same whatever the data: lists joined into one cell, settings and
// authorities named beside their ids; docs/cli.md lists them) or JSON (the records whole).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { items, type CcxClient } from '../../index.js';
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { oneOf, parseCommand, type Command } from '../command.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { columnsToCsv, type CsvColumn, OVERALL_RATING_WORDS, writeLine } from '../output.js';
import { Progress } from '../progress.js';

// List inputs with defaults may be omitted, so their types include void.
type ListInput<T> = Exclude<T, void | undefined>;
type RestrictionListInput = ListInput<RouterInputs['restrictions']['list']>;
type OutcomeListInput = ListInput<RouterInputs['outcomes']['list']>;
type AllocationListInput = ListInput<RouterInputs['allocations']['list']>;

type Restriction = RouterOutputs['restrictions']['get'];
type Outcome = RouterOutputs['outcomes']['get'];
type Allocation = RouterOutputs['allocations']['list']['items'][number];

/** A field of the record, or '' when the record (at its layer) has none. */
const field = (r: object, key: string): unknown => (r as Record<string, unknown>)[key];
const text = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'boolean'
      ? v
        ? 'yes'
        : 'no'
      : typeof v === 'string' || typeof v === 'number'
        ? String(v)
        : JSON.stringify(v);
const col = <T extends object>(header: string, key: string): CsvColumn<T> => ({
  header,
  cell: (r) => text(field(r, key)),
});
/** The `name` (or another key) of a named reference the hub gives beside an id. */
const refCol = <T extends object>(header: string, key: string, part = 'name'): CsvColumn<T> => ({
  header,
  cell: (r) => {
    const ref = field(r, key);
    return ref !== null && typeof ref === 'object' ? text((ref as Record<string, unknown>)[part]) : '';
  },
});
/** A list of the record joined into one cell: `a; b; c`. */
const listCol = <T extends object, E>(header: string, key: string, one: (e: E) => string): CsvColumn<T> => ({
  header,
  cell: (r) => {
    const list = field(r, key);
    return Array.isArray(list) ? (list as E[]).map(one).join('; ') : '';
  },
});
type HistoryEntry = {
  version: number;
  at: string;
  change: string;
  note: string | null;
  byAuthorityId: string;
};
/** Versions as `v2 2026-06-15 updated by medway (note)`. */
const historyCol = <T extends object>(): CsvColumn<T> =>
  listCol<T, HistoryEntry>(
    'history',
    'history',
    (h) =>
      `v${h.version} ${h.at.slice(0, 10)} ${h.change} by ${h.byAuthorityId}${h.note ? ` (${h.note})` : ''}`,
  );
const settingCols = <T extends object>(): CsvColumn<T>[] => [
  refCol('setting URN', 'provision', 'urn'),
  refCol('setting name', 'provision'),
  col('setting id', 'provisionId'),
];
/** A signal's columns: whom to contact, and its words. */
const signalCols = <T extends object>(): CsvColumn<T>[] => [
  col('contact', 'contact'),
  col('message', 'message'),
];

/**
 * The columns of each kind, fixed: a record seen at a lower layer leaves the columns of the layers
 * above it empty. Documented in docs/cli.md ("Columns of a CSV export").
 */
export const EXPORT_COLUMNS = {
  restrictions: [
    col('id', 'id'),
    col('layer', 'layer'),
    col('status', 'status'),
    col('kind', 'kind'),
    { header: 'applies to', cell: (r) => (r.provisionId ? 'setting' : r.providerId ? 'provider' : '') },
    ...settingCols<Restriction>(),
    refCol('provider name', 'provider'),
    col('provider id', 'providerId'),
    refCol('issuer', 'issuerAuthority'),
    col('issuer id', 'issuerAuthorityId'),
    col('source', 'source'),
    col('partnership-wide', 'partnershipWide'),
    col('effective from', 'effectiveFrom'),
    col('review on', 'reviewOn'),
    col('expires on', 'expiresOn'),
    col('lifted on', 'liftedOn'),
    col('version', 'version'),
    col('restricted', 'restricted'),
    col('regulator reference', 'regulatorReference'),
    col('compliance due on', 'complianceDueOn'),
    listCol<Restriction, { category: string; text: string }>(
      'reasons',
      'reasons',
      (x) => `${x.category}: ${x.text}`,
    ),
    col('contract scope', 'contractScope'),
    col('contract reference', 'contractReference'),
    col('summary', 'summary'),
    col('details', 'details'),
    col('lifted reason', 'liftedReason'),
    col('created at', 'createdAt'),
    col('updated at', 'updatedAt'),
    historyCol<Restriction>(),
    ...signalCols<Restriction>(),
  ] satisfies CsvColumn<Restriction>[],
  outcomes: [
    col('id', 'id'),
    col('layer', 'layer'),
    col('status', 'status'),
    ...settingCols<Outcome>(),
    refCol('publisher', 'publisherAuthority'),
    col('publisher id', 'publisherAuthorityId'),
    col('by lead', 'byLead'),
    col('activity type', 'activityType'),
    col('activity date', 'activityDate'),
    col('overall rating (1 no concerns – 5 catastrophic)', 'overallRating'),
    {
      header: 'overall rating in words',
      cell: (r) => {
        const rating = field(r, 'overallRating');
        return typeof rating === 'number' ? (OVERALL_RATING_WORDS[rating - 1] ?? '') : '';
      },
    },
    col('published at', 'publishedAt'),
    col('version', 'version'),
    col('restricted', 'restricted'),
    col('announced', 'announced'),
    listCol<Outcome, { section: string; judgement: string; comment?: string }>(
      'section judgements',
      'sectionJudgements',
      (s) => `${s.section}: ${s.judgement}${s.comment ? ` (${s.comment})` : ''}`,
    ),
    col('summary', 'summary'),
    col('findings', 'findings'),
    listCol<Outcome, { description: string; concernLevel: string; dueOn: string; status: string }>(
      'action items',
      'actionItems',
      (a) => `${a.description} (${a.concernLevel}, due ${a.dueOn}, ${a.status})`,
    ),
    col('next due on', 'nextDueOn'),
    col('withdrawn reason', 'withdrawnReason'),
    col('created at', 'createdAt'),
    col('updated at', 'updatedAt'),
    historyCol<Outcome>(),
    ...signalCols<Outcome>(),
  ] satisfies CsvColumn<Outcome>[],
  allocations: [
    col('id', 'id'),
    { header: 'status', cell: (a) => (a.current ? 'current' : 'not current') },
    ...settingCols<Allocation>(),
    refCol('lead authority', 'authority'),
    col('lead authority id', 'authorityId'),
    col('role', 'role'),
    col('starts on', 'startsOn'),
    col('ends on', 'endsOn'),
    col('rationale', 'rationale'),
    col('ended reason', 'endedReason'),
    col('created at', 'createdAt'),
  ] satisfies CsvColumn<Allocation>[],
};

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
    'Every page is fetched. CSV has a fixed set of columns for each kind, the same whatever the data',
    '(docs/cli.md lists them): one row per record, settings and authorities named beside their ids,',
    'lists such as reasons or action items joined into one cell ("quality: …; safeguarding: …"). Each',
    'record keeps the layer you may see it at (detail, summary or a restricted-information signal);',
    'the columns a lower layer does not carry are left empty; an empty export is the header alone.',
    'JSON keeps the records whole. For spreadsheet safety, text starting with = + - or @ is written',
    "with a leading ' so it is not run as a formula (--raw keeps it as is). A CSV file written with",
    '--out starts with a UTF-8 byte-order mark so Excel reads accents correctly (--no-bom leaves it',
    'out); CSV on standard output has none.',
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
        : columnsToCsv(EXPORT_COLUMNS[what as What] as CsvColumn<object>[], records, {
            bom: values.out !== undefined && values['no-bom'] !== true,
            raw: values.raw === true,
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
