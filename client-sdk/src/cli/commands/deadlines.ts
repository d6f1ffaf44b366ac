// ccx deadlines overdue | restrictions comply | restrictions review | outcomes action-met: the deadlines
// that act when they pass, and what the publisher records to end them.
import type { RouterOutputs } from '../../router.js';
import { intOption, parseCommand, type Command, type Connection } from '../command.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { authorityName, providerName, settingName, writeJson, writeLine, writeTable } from '../output.js';

type Deadline = RouterOutputs['deadlines']['overdue']['items'][number];

const where = (d: Deadline): string =>
  d.provisionId
    ? settingName(d.provision, d.provisionId)
    : `provider ${providerName(d.provider, d.providerId)}`;

const overdueCommand: Command = {
  name: 'deadlines overdue',
  summary: 'Deadlines passed on your records and at the settings you lead (and, asked, those due soon).',
  usage: '[--within <days>] [--authority <id>] [--json]',
  description: [
    'Action items past their due date and not met, letters of concern whose compliance period ended',
    'with no compliance recorded, and restrictions whose review date passed. The hub-admin sees every',
    "authority's, or one authority's with --authority.",
  ].join('\n'),
  options: [
    ['--within <days>', 'also the deadlines falling due within this many days (0–90)'],
    ['--authority <id>', "hub-admin: one authority's deadlines"],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx deadlines overdue', 'ccx deadlines overdue --within 14 --json'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'deadlines overdue',
      argv,
      { within: { type: 'string' }, authority: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const within = intOption('within', values.within, 0, 90);
    const { ccx } = await ctx.connect(values);
    const { items } = await ccx.deadlines.overdue.query({
      dueWithinDays: within ?? 0,
      ...(values.authority ? { authorityId: values.authority } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, items);
    else if (items.length === 0)
      writeLine(ctx.io.stdout, within ? `nothing overdue or due within ${within} days` : 'nothing overdue');
    else
      writeTable(
        ctx.io.stdout,
        ['due', 'state', 'kind', 'record', 'where', 'publisher', 'what'],
        items.map((d) => [
          d.dueOn,
          d.state === 'overdue' ? `overdue ${d.daysOverdue}d` : `due in ${-d.daysOverdue}d`,
          d.kind,
          `${d.recordType} ${d.recordId}${d.itemId ? ` item ${d.itemId}` : ''}`,
          where(d),
          authorityName(d.publisherAuthority, d.publisherAuthorityId),
          d.message,
        ]),
      );
    return EXIT.ok;
  },
};

/** The restriction at its current version, which the caller's authority must have issued. */
const ownRestriction = async (ccx: Connection['ccx'], id: string, verb: string) => {
  const current = await ccx.restrictions.get.query({ id });
  if (current.layer !== 'detail')
    throw new CliError(`restriction ${id} was not issued by your authority, so it cannot ${verb}`);
  return current;
};

const complyCommand: Command = {
  name: 'restrictions comply',
  summary: "Record the provider's compliance (or not) with a letter of concern your authority issued.",
  usage: '<restriction-id> (--complied | --not-complied) [--on YYYY-MM-DD] [--note <text>] [--json]',
  description: [
    'Compliance ends the deadline. Non-compliance is recorded too, and stays a caution reason in',
    'placement checks ("did not comply by …").',
  ].join('\n'),
  options: [
    ['--complied', 'the provider complied'],
    ['--not-complied', 'the provider did not comply'],
    ['--on <date>', 'the date it was recorded (default today)'],
    ['--note <text>', 'what was found, kept with the version'],
    ['--json', 'print the restriction as the hub returned it'],
  ],
  examples: ['ccx restrictions comply 7d0c…-… --complied --note "staffing plan received"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'restrictions comply',
      argv,
      {
        complied: { type: 'boolean' },
        'not-complied': { type: 'boolean' },
        on: { type: 'string' },
        note: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (Boolean(values.complied) === Boolean(values['not-complied']))
      throw new UsageError('give --complied or --not-complied');
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const current = await ownRestriction(ccx, id, 'record compliance');
    const done = await ccx.restrictions.comply.mutate({
      id,
      version: current.version,
      complied: Boolean(values.complied),
      ...(values.on ? { recordedOn: values.on } : {}),
      ...(values.note ? { note: values.note } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, done);
    else
      writeLine(
        ctx.io.stdout,
        `recorded that the provider ${values.complied ? 'complied' : 'did not comply'} (restriction ${id})`,
      );
    return EXIT.ok;
  },
};

const reviewCommand: Command = {
  name: 'restrictions review',
  summary: 'Record a review of a restriction your authority issued, and set the next review date.',
  usage: '<restriction-id> (--next <YYYY-MM-DD> | --no-next) [--on YYYY-MM-DD] [--note <text>] [--json]',
  options: [
    ['--next <date>', 'the next review date'],
    ['--no-next', 'no further review'],
    ['--on <date>', 'the date of the review (default today)'],
    ['--note <text>', 'what the review found, kept with the version'],
    ['--json', 'print the restriction as the hub returned it'],
  ],
  examples: ['ccx restrictions review 7d0c…-… --next 2027-03-01 --note "improving; keep for now"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'restrictions review',
      argv,
      {
        next: { type: 'string' },
        'no-next': { type: 'boolean' },
        on: { type: 'string' },
        note: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (Boolean(values.next) === Boolean(values['no-next']))
      throw new UsageError('give --next <date> or --no-next');
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const current = await ownRestriction(ccx, id, 'review it');
    const done = await ccx.restrictions.review.mutate({
      id,
      version: current.version,
      nextReviewOn: values.next ?? null,
      ...(values.on ? { reviewedOn: values.on } : {}),
      ...(values.note ? { note: values.note } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, done);
    else
      writeLine(
        ctx.io.stdout,
        `recorded a review of restriction ${id}${values.next ? `; next review ${values.next}` : '; no further review'}`,
      );
    return EXIT.ok;
  },
};

const actionMetCommand: Command = {
  name: 'outcomes action-met',
  summary: 'Mark an action item of an outcome your authority published as met (ends its deadline).',
  usage: '<outcome-id> <item-id> [--note <text>] [--json]',
  options: [
    ['--note <text>', 'how it was met, kept in the item history'],
    ['--json', 'print the outcome as the hub returned it'],
  ],
  examples: ['ccx outcomes action-met 5b1e…-… 3fa2c1d0 --note "new rota seen on the visit"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'outcomes action-met',
      argv,
      { note: { type: 'string' }, json: { type: 'boolean' } },
      { min: 2, max: 2 },
    );
    const { ccx } = await ctx.connect(values);
    const [outcomeId, itemId] = positionals as [string, string];
    const current = await ccx.outcomes.get.query({ id: outcomeId });
    if (current.layer !== 'detail')
      throw new CliError(
        `outcome ${outcomeId} was not published by your authority, so it cannot mark its items`,
      );
    const done = await ccx.outcomes.updateActionItem.mutate({
      outcomeId,
      version: current.version,
      itemId,
      status: 'met',
      ...(values.note ? { note: values.note } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, done);
    else writeLine(ctx.io.stdout, `action item ${itemId} of outcome ${outcomeId} marked met`);
    return EXIT.ok;
  },
};

export const deadlinesCommands: Command[] = [overdueCommand, complyCommand, reviewCommand, actionMetCommand];
