// ccx check: clear, caution or do-not-place for one setting, a few, or a shortlist file — with every
// reason and whom to contact, and an exit code a script can branch on.
import { CcxError } from '../../index.js';
import type { RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { normaliseHeader, readCsvFile } from '../csv-file.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { writeJson, writeLine, writeTable } from '../output.js';
import { Progress } from '../progress.js';
import { targetOf, type CheckTarget } from '../targets.js';

type PlacementCheck = RouterOutputs['checks']['placement'];
type Verdict = PlacementCheck['verdict'];

/** The hub's limit per placementMany call. */
const CHUNK = 500;

/** One line of the shortlist and what the hub said about it. */
type Checked =
  | { row: number | null; input: string; ok: true; check: PlacementCheck }
  | { row: number | null; input: string; ok: false; status: 'not-found' | 'invalid'; error: string };

const EXIT_BY_VERDICT: Record<Verdict, number> = {
  clear: EXIT.ok,
  caution: EXIT.caution,
  'do-not-place': EXIT.doNotPlace,
};

/** The worst result decides: do-not-place, then not found, then caution, then clear. */
const exitCodeOf = (results: readonly Checked[]): number =>
  Math.max(EXIT.ok, ...results.map((r) => (r.ok ? EXIT_BY_VERDICT[r.check.verdict] : EXIT.notFound)));

const reasonText = (r: PlacementCheck['reasons'][number]): string =>
  // A signal's message already names whom to contact: say it once.
  `${r.code}: ${r.message}${r.contact && !r.message.includes(r.contact) ? ` (contact ${r.contact})` : ''}`;

/** Table rows, one per reason; `lead` gives the first cells (row number, input) of a result. */
const tableRows = (results: readonly Checked[], lead: (r: Checked) => string[]): string[][] =>
  results.flatMap((r) => {
    const first = lead(r);
    if (!r.ok) return [[...first, r.status === 'invalid' ? 'invalid' : 'not found', '-', r.error]];
    const { check } = r;
    const name = `${check.provision.name}${check.provision.urn ? ` (${check.provision.urn})` : ''}`;
    const reasons = check.reasons.length > 0 ? check.reasons.map(reasonText) : ['-'];
    return reasons.map((reason, i) =>
      i === 0 ? [...first, check.verdict, name, reason] : [...first.map(() => ''), '', '', reason],
    );
  });

const summaryOf = (results: readonly Checked[]) => {
  const verdicts = results.flatMap((r) => (r.ok ? [r.check.verdict] : []));
  return {
    checked: results.length,
    clear: verdicts.filter((v) => v === 'clear').length,
    caution: verdicts.filter((v) => v === 'caution').length,
    doNotPlace: verdicts.filter((v) => v === 'do-not-place').length,
    notFound: results.filter((r) => !r.ok && r.status === 'not-found').length,
    invalid: results.filter((r) => !r.ok && r.status === 'invalid').length,
  };
};

/** The detail a person wants under a single check: grade, lead and contact, monitoring. */
const detailLines = (c: PlacementCheck): string[] => {
  const m = c.monitoring;
  return [
    `Provider: ${c.provider.name}${c.provider.companyNumber ? ` (company ${c.provider.companyNumber})` : ''}`,
    `Ofsted: ${c.provision.ofstedGrade}${c.provision.ofstedGradeDate ? ` (${c.provision.ofstedGradeDate})` : ''}, registration ${c.provision.registrationStatus}`,
    `Lead authority: ${c.lead ? `${c.lead.name} since ${c.lead.since}, contact ${c.lead.qaInbox}` : 'none'}`,
    `Monitoring: ${m.status}${m.lastMonitoredOn ? `, last ${m.lastMonitoredOn}` : ''}${m.nextDueOn ? `, next due ${m.nextDueOn}` : ''}${m.daysOverdue > 0 ? ` (${m.daysOverdue} days overdue)` : ''}`,
    `Risk: ${c.riskRag} (${c.concernsLast12Months} concerns in the last 12 months)`,
    `Provision id: ${c.provisionId}`,
  ];
};

/** The values of a shortlist file: the `urn` or `provisionId` column, else the first column. */
const readShortlist = async (
  cwd: string,
  file: string,
  progress: Progress,
): Promise<{ row: number; value: string }[]> => {
  const table = await readCsvFile(cwd, file, progress);
  progress.finish();
  const names = table.header.map(normaliseHeader);
  const idCol = names.findIndex((n) => n === 'provisionid');
  const urnCol = names.findIndex((n) => n === 'urn' || n === 'ofstedurn');
  const rows = table.rows;
  // A file of bare URNs with no header: its first "header" is itself a setting.
  if (idCol < 0 && urnCol < 0 && table.header[0] !== undefined && targetOf(table.header[0]))
    rows.unshift({ row: 1, line: 1, fields: table.header });
  const cols = idCol < 0 && urnCol < 0 ? [0] : [idCol, urnCol].filter((c) => c >= 0);
  return rows.map((r) => ({
    row: r.row,
    value: cols.map((c) => (r.fields[c] ?? '').trim()).find((v) => v !== '') ?? '',
  }));
};

export const checkCommand: Command = {
  name: 'check',
  summary:
    'Check settings before a placement: clear, caution or do-not-place, with the reasons and whom to contact.',
  usage: '<urn|provision-id>... | --file <shortlist.csv> [--json]',
  description: [
    'A value that is a UUID is a provision id; anything else is read as an Ofsted URN (SC123456).',
    'A shortlist file is CSV with a header: the column named urn or provisionId (provision_id) is',
    'used, else the first column. Up to 500 settings go to the hub per call.',
    '',
    'Exit code, by the worst result: 0 all clear, 3 caution, 4 some not found (or not a URN or id),',
    '5 do-not-place; 1 the check failed, 2 usage error.',
  ].join('\n'),
  options: [
    ['--file <file.csv>', 'check every setting of a shortlist file'],
    ['--json', 'print the hub’s answer as JSON instead of a table'],
    ['--progress', 'show a progress bar on stderr even when it is not a terminal'],
  ],
  examples: [
    'ccx check SC123456',
    'ccx check --file shortlist.csv',
    'ccx check SC123456 --json | jq .verdict',
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'check',
      argv,
      { file: { type: 'string', short: 'f' }, json: { type: 'boolean' }, progress: { type: 'boolean' } },
      { min: 0, max: Infinity },
    );
    if (values.file && positionals.length > 0)
      throw new UsageError('give settings on the command line or --file, not both', 'run `ccx check --help`');
    if (!values.file && positionals.length === 0)
      throw new UsageError('give an Ofsted URN or provision id, or --file', 'run `ccx check --help`');
    const progress = Progress.for(ctx.io.stderr, values.progress);
    const inputs = values.file
      ? await readShortlist(ctx.io.cwd, values.file, progress)
      : positionals.map((value) => ({ row: null, value }));
    if (inputs.length === 0) throw new CliError(`${values.file ?? 'the shortlist'} has no settings to check`);

    // Anything that is neither an id nor a URN would make the hub refuse the whole batch: keep it back.
    const wanted: { index: number; target: CheckTarget }[] = [];
    const results: (Checked | undefined)[] = inputs.map((input, index) => {
      const target = targetOf(input.value);
      if (target) {
        wanted.push({ index, target });
        return undefined;
      }
      return {
        row: input.row,
        input: input.value,
        ok: false,
        status: 'invalid',
        error: input.value === '' ? 'empty' : 'not a provision id (UUID) or an Ofsted URN',
      };
    });
    if (!values.file && wanted.length === 0)
      throw new UsageError(
        `"${positionals[0] ?? ''}" is not a provision id (UUID) or an Ofsted URN (such as SC123456)`,
      );
    const { ccx } = await ctx.connect(values);

    const single = !values.file && positionals.length === 1;
    if (single) {
      const [only] = wanted;
      let check: PlacementCheck;
      try {
        check = await ccx.checks.placement.query(only!.target);
      } catch (err) {
        if (!(err instanceof CcxError) || err.code !== 'NOT_FOUND') throw err;
        if (values.json)
          writeJson(ctx.io.stdout, {
            input: positionals[0],
            ok: false,
            status: 'not-found',
            error: err.message,
          });
        else writeLine(ctx.io.stderr, `ccx: not found: ${err.message}`);
        return EXIT.notFound;
      }
      if (values.json) writeJson(ctx.io.stdout, check);
      else {
        const checked: Checked = { row: null, input: positionals[0]!, ok: true, check };
        writeTable(
          ctx.io.stdout,
          ['verdict', 'provision', 'reasons'],
          tableRows([checked], () => []),
        );
        writeLine(ctx.io.stdout);
        for (const line of detailLines(check)) writeLine(ctx.io.stdout, line);
      }
      return EXIT_BY_VERDICT[check.verdict];
    }

    if (wanted.length > 0) progress.phase('checking', wanted.length);
    for (let start = 0; start < wanted.length; start += CHUNK) {
      const part = wanted.slice(start, start + CHUNK);
      const answer = await ccx.checks.placementMany.query({ items: part.map((w) => w.target) });
      answer.results.forEach((result, i) => {
        const { index } = part[i]!;
        const input = inputs[index]!;
        if (result.ok) {
          const { ok: _ok, ...check } = result;
          results[index] = { row: input.row, input: input.value, ok: true, check };
        } else
          results[index] = {
            row: input.row,
            input: input.value,
            ok: false,
            status: 'not-found',
            error: result.error,
          };
      });
      progress.update(start + part.length);
    }
    progress.finish();
    const all = results.map(
      (r, i) =>
        r ?? {
          row: inputs[i]!.row,
          input: inputs[i]!.value,
          ok: false as const,
          status: 'not-found' as const,
          error: 'no answer',
        },
    );
    const summary = summaryOf(all);
    if (values.json) {
      writeJson(ctx.io.stdout, {
        summary,
        results: all.map((r) =>
          r.ok
            ? { row: r.row, input: r.input, ok: true, ...r.check }
            : { row: r.row, input: r.input, ok: false, status: r.status, error: r.error },
        ),
      });
    } else {
      if (values.file)
        writeTable(
          ctx.io.stdout,
          ['row', 'input', 'verdict', 'provision', 'reasons'],
          tableRows(all, (r) => [String(r.row ?? ''), r.input]),
        );
      else
        writeTable(
          ctx.io.stdout,
          ['input', 'verdict', 'provision', 'reasons'],
          tableRows(all, (r) => [r.input]),
        );
      writeLine(ctx.io.stdout);
      writeLine(
        ctx.io.stdout,
        `${summary.checked} checked: ${summary.clear} clear, ${summary.caution} caution, ${summary.doNotPlace} do-not-place, ${summary.notFound} not found${summary.invalid ? `, ${summary.invalid} not a URN or id` : ''}`,
      );
    }
    return exitCodeOf(all);
  },
};
