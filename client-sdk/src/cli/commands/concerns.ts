// ccx concerns log | list | get | correct | substantiate | unsubstantiate | close: concerns about a
// setting, their levels and lifecycle, and the setting's and provider's risk ratings; ccx concerns
// bands | set-bands: the counts at which a rating turns medium and high (the hub-admin sets them).
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { intOption, parseCommand, type Command } from '../command.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { authorityName, settingName, writeJson, writeLine, writeTable } from '../output.js';
import { resolveProvisionId } from '../targets.js';

type ConcernView = RouterOutputs['concerns']['get'];
type ConcernLog = RouterInputs['concerns']['log'];
type ConcernCorrect = RouterInputs['concerns']['correct'];
type RiskBands = RouterOutputs['concerns']['riskBands'];

const HEADERS = ['id', 'level', 'category', 'status', 'occurred', 'logged by', 'summary'];
const cells = (c: ConcernView): string[] =>
  c.layer === 'signal'
    ? ['(restricted)', '-', '-', '-', '-', '-', c.message]
    : [
        c.id,
        c.level,
        c.category,
        c.status,
        c.occurredOn,
        authorityName(c.loggedByAuthority, c.loggedByAuthorityId),
        c.summary,
      ];

const show = (
  ctx: Parameters<Command['run']>[1],
  c: ConcernView,
  json: boolean | undefined,
  verb: string,
) => {
  if (json) writeJson(ctx.io.stdout, c);
  else if (c.layer === 'detail')
    writeLine(
      ctx.io.stdout,
      `${verb} concern ${c.id}: ${c.level} ${c.category}, ${c.status} (version ${c.version})${c.significant && c.counts ? ' — significant: a reason in every check of the setting' : ''}`,
    );
  else writeLine(ctx.io.stdout, c.message);
};

const logCommand: Command = {
  name: 'concerns log',
  summary: 'Log a concern about a setting, at a level (minor, level-1, level-2).',
  usage:
    '<setting id|urn> --level <minor|level-1|level-2> --category <category> --summary <text> [--on YYYY-MM-DD] [--restricted] [--json]',
  options: [
    ['--level <level>', 'minor, level-1 or level-2 (Knowsley protocol levels)'],
    ['--category <c>', 'safeguarding, quality, criminal-investigation, financial or regulator'],
    ['--summary <text>', 'what happened (required)'],
    ['--on <date>', 'when it occurred (default today)'],
    ['--restricted', 'only your authority and those you share it with read it'],
    ['--json', 'print the concern as the hub returned it'],
  ],
  examples: ['ccx concerns log SC123456 --level level-2 --category safeguarding --summary "LADO referral"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'concerns log',
      argv,
      {
        level: { type: 'string' },
        category: { type: 'string' },
        summary: { type: 'string' },
        on: { type: 'string' },
        restricted: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (!values.level) throw new UsageError('give --level: minor, level-1 or level-2');
    if (!values.category) throw new UsageError('give --category');
    if (!values.summary) throw new UsageError('give --summary: say what happened');
    const { ccx } = await ctx.connect(values);
    const provisionId = await resolveProvisionId(ccx, positionals[0]!, 'the setting');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const logged = await ccx.concerns.log.mutate({
      provisionId,
      // The hub checks them and names the allowed values.
      level: values.level as ConcernLog['level'],
      category: values.category as ConcernLog['category'],
      summary: values.summary,
      occurredOn: values.on ?? today,
      restricted: values.restricted ?? false,
    });
    show(ctx, logged, values.json, 'logged');
    return EXIT.ok;
  },
};

const listCommand: Command = {
  name: 'concerns list',
  summary: "A setting's concerns you may read, and its and its provider's risk ratings.",
  usage: '<setting id|urn> [--months <n>] [--json]',
  options: [
    ['--months <n>', 'list concerns of the last n months (default 12; the rating always counts 12)'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx concerns list SC123456'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'concerns list',
      argv,
      { months: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const provisionId = await resolveProvisionId(ccx, positionals[0]!, 'the setting');
    const result = await ccx.concerns.list.query({
      provisionId,
      ...(values.months ? { sinceMonths: Number(values.months) } : {}),
    });
    if (values.json) {
      writeJson(ctx.io.stdout, result);
      return EXIT.ok;
    }
    const first = result.items.find((c) => c.layer === 'detail');
    writeLine(
      ctx.io.stdout,
      `${settingName(first?.provision, provisionId)}: risk ${result.riskRag} (${result.concernsLast12Months} counting concerns in 12 months); provider risk ${result.providerRiskRag} (${result.providerConcernsLast12Months})`,
    );
    writeTable(ctx.io.stdout, HEADERS, result.items.map(cells));
    if (result.notVisible > 0)
      writeLine(ctx.io.stdout, `${result.notVisible} more you may not read (no need-to-know basis)`);
    return EXIT.ok;
  },
};

const getCommand: Command = {
  name: 'concerns get',
  summary: 'One concern, with every version.',
  usage: '<concern-id> [--json]',
  options: [['--json', 'print the concern as the hub returned it']],
  examples: ['ccx concerns get 7d0c…-…'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'concerns get',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const c = await ccx.concerns.get.query({ id: positionals[0]! });
    if (values.json || c.layer !== 'detail') {
      show(ctx, c, values.json, 'concern');
      return EXIT.ok;
    }
    writeTable(ctx.io.stdout, HEADERS, [cells(c)]);
    writeTable(
      ctx.io.stdout,
      ['version', 'at', 'change', 'by', 'note'],
      c.history.map((v) => [
        String(v.version),
        v.at,
        v.change,
        authorityName(v.byAuthority, v.byAuthorityId),
        v.note ?? '',
      ]),
    );
    return EXIT.ok;
  },
};

type Ccx = Awaited<ReturnType<Parameters<Command['run']>[1]['connect']>>['ccx'];

/** Reads the current version: only the logging authority may change a concern. */
const current = async (ccx: Ccx, id: string) => {
  const c = await ccx.concerns.get.query({ id });
  if (c.layer !== 'detail')
    throw new CliError(`concern ${id} was not logged by your authority, so it cannot change it`);
  return c;
};

const correctCommand: Command = {
  name: 'concerns correct',
  summary: 'Correct a concern your authority logged; the note says why, and the version before is kept.',
  usage:
    '<concern-id> --note <text> [--level <l>] [--category <c>] [--summary <text>] [--on YYYY-MM-DD] [--json]',
  options: [
    ['--note <text>', 'why it changed (required)'],
    ['--level <level>', 'minor, level-1 or level-2'],
    ['--category <c>', 'safeguarding, quality, criminal-investigation, financial or regulator'],
    ['--summary <text>', 'what happened'],
    ['--on <date>', 'when it occurred'],
    ['--json', 'print the concern as the hub returned it'],
  ],
  examples: ['ccx concerns correct 7d0c…-… --level level-2 --note "second incident found"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'concerns correct',
      argv,
      {
        note: { type: 'string' },
        level: { type: 'string' },
        category: { type: 'string' },
        summary: { type: 'string' },
        on: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (!values.note) throw new UsageError('give --note: say why the concern is corrected');
    const { ccx } = await ctx.connect(values);
    const c = await current(ccx, positionals[0]!);
    const corrected = await ccx.concerns.correct.mutate({
      id: c.id,
      version: c.version,
      note: values.note,
      ...(values.level ? { level: values.level as NonNullable<ConcernCorrect['level']> } : {}),
      ...(values.category ? { category: values.category as NonNullable<ConcernCorrect['category']> } : {}),
      ...(values.summary ? { summary: values.summary } : {}),
      ...(values.on ? { occurredOn: values.on } : {}),
    });
    show(ctx, corrected, values.json, 'corrected');
    return EXIT.ok;
  },
};

const transition = (verb: 'substantiate' | 'unsubstantiate' | 'close'): Command => ({
  name: `concerns ${verb}`,
  summary:
    verb === 'close'
      ? 'Close a concern your authority logged, with a reason: it stops counting.'
      : verb === 'substantiate'
        ? 'Mark a concern your authority logged as substantiated (it keeps counting).'
        : 'Mark a concern your authority logged as unsubstantiated: it stops counting.',
  usage: verb === 'close' ? '<concern-id> --reason <text> [--json]' : '<concern-id> [--note <text>] [--json]',
  options: [
    verb === 'close'
      ? ['--reason <text>', 'why it is closed (required)']
      : ['--note <text>', 'what was found'],
    ['--json', 'print the concern as the hub returned it'],
  ],
  examples: [
    verb === 'close'
      ? `ccx concerns close 7d0c…-… --reason "resolved at visit"`
      : `ccx concerns ${verb} 7d0c…-…`,
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      `concerns ${verb}`,
      argv,
      { reason: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    if (verb === 'close' && !values.reason)
      throw new UsageError('give --reason: say why the concern is closed');
    const { ccx } = await ctx.connect(values);
    const c = await current(ccx, positionals[0]!);
    const done =
      verb === 'close'
        ? await ccx.concerns.close.mutate({ id: c.id, version: c.version, reason: values.reason! })
        : await ccx.concerns[verb].mutate({
            id: c.id,
            version: c.version,
            ...(values.note ? { note: values.note } : {}),
          });
    show(ctx, done, values.json, verb === 'close' ? 'closed' : `${verb}d`);
    return EXIT.ok;
  },
});

/** "1 to 4", or "1" when the band holds one count. */
const counts = (from: number, to: number) => (from === to ? String(from) : `${from} to ${to}`);

const writeBands = (ctx: Parameters<Command['run']>[1], b: RiskBands) => {
  writeLine(
    ctx.io.stdout,
    b.isDefault
      ? 'Risk bands: the defaults (Medway, figure 6)'
      : `Risk bands: set by the hub-admin${b.updatedAt ? ` on ${b.updatedAt.slice(0, 10)}` : ''}`,
  );
  writeTable(
    ctx.io.stdout,
    ['rating', 'counting concerns in 12 months'],
    [
      ['none', '0'],
      ['low', counts(1, b.mediumFrom - 1)],
      ['medium', counts(b.mediumFrom, b.highFrom - 1)],
      ['high', `${b.highFrom} or more`],
    ],
  );
  writeLine(ctx.io.stdout, 'A counting level-2 concern raises the rating to at least medium.');
};

const bandsCommand: Command = {
  name: 'concerns bands',
  summary: 'Print the risk bands: how many counting concerns make a rating low, medium or high.',
  usage: '[--json]',
  description: [
    "A setting's (and its provider's) risk rating comes from its counting concerns — open or",
    'substantiated — of the last 12 months: low below mediumFrom, medium from mediumFrom, high from',
    'highFrom. A counting level-2 concern raises the rating to at least medium.',
  ].join('\n'),
  options: [['--json', 'print the bands as the hub returned them']],
  examples: ['ccx concerns bands'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'concerns bands',
      argv,
      { json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const bands = await ccx.concerns.riskBands.query();
    if (values.json) writeJson(ctx.io.stdout, bands);
    else writeBands(ctx, bands);
    return EXIT.ok;
  },
};

const setBandsCommand: Command = {
  name: 'concerns set-bands',
  summary: 'Set the risk bands (hub-admin): the counts from which a rating is medium and high.',
  usage: '--medium-from <n> --high-from <n> [--json]',
  description: 'Both are needed; the hub refuses --high-from not more than --medium-from.',
  options: [
    ['--medium-from <n>', 'the least number of counting concerns rated medium'],
    ['--high-from <n>', 'the least number of counting concerns rated high'],
    ['--json', 'print the bands as the hub returned them'],
  ],
  examples: ['ccx concerns set-bands --medium-from 4 --high-from 9'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'concerns set-bands',
      argv,
      { 'medium-from': { type: 'string' }, 'high-from': { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    // The hub judges the figures themselves (their range, high above medium); here only their form.
    const mediumFrom = intOption('medium-from', values['medium-from'], 0, Number.MAX_SAFE_INTEGER);
    const highFrom = intOption('high-from', values['high-from'], 0, Number.MAX_SAFE_INTEGER);
    if (mediumFrom === undefined || highFrom === undefined)
      throw new UsageError('give both --medium-from and --high-from', 'e.g. --medium-from 5 --high-from 11');
    const { ccx } = await ctx.connect(values);
    const bands = await ccx.concerns.setRiskBands.mutate({ mediumFrom, highFrom });
    if (values.json) writeJson(ctx.io.stdout, bands);
    else writeBands(ctx, bands);
    return EXIT.ok;
  },
};

export const concernsCommands: Command[] = [
  logCommand,
  listCommand,
  getCommand,
  correctCommand,
  transition('substantiate'),
  transition('unsubstantiate'),
  transition('close'),
  bandsCommand,
  setBandsCommand,
];
