// ccx directory correct | corrections | accept | decline | merge: keeping the directory right. A
// setting's regulator facts are its host authority's (or the hub-admin's) to change; any other member
// proposes a correction, which the host or the hub-admin accepts or declines. Merging duplicates is the
// hub-admin's.
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { authorityName, providerName, settingName, writeJson, writeLine, writeTable } from '../output.js';
import { resolveProvisionId } from '../targets.js';

type Correction = RouterOutputs['corrections']['get'];
type ProvisionChanges = RouterInputs['provisions']['proposeCorrection']['changes'];
type ProviderChanges = RouterInputs['providers']['proposeCorrection']['changes'];

const NULLABLE = new Set(['urn', 'ofstedGradeDate', 'postcode', 'companyNumber']);
/** `--grade-date none` clears a field that may be empty. */
const valueOf = (field: string, v: string): string | null =>
  NULLABLE.has(field) && v.toLowerCase() === 'none' ? null : v;

const subjectOf = (c: Correction): string =>
  c.provisionId
    ? `setting ${settingName(c.provision, c.provisionId)}`
    : `provider ${providerName(c.provider, c.providerId)}`;

const changesText = (c: Correction): string =>
  Object.entries(c.changes)
    .map(([k, v]) => `${k}: ${JSON.stringify(c.was[k] ?? null)} → ${JSON.stringify(v)}`)
    .join('; ');

const HEADERS = ['id', 'status', 'about', 'changes', 'proposed by', 'reason', 'decision'];
const cells = (c: Correction): string[] => [
  c.id,
  c.status,
  subjectOf(c),
  changesText(c),
  authorityName(c.proposerAuthority, c.proposerAuthorityId),
  c.reason,
  c.decisionNote ?? '',
];

const show = (ctx: Parameters<Command['run']>[1], json: boolean | undefined, list: Correction[]) => {
  if (json) writeJson(ctx.io.stdout, list.length === 1 ? list[0] : list);
  else if (list.length === 0) writeLine(ctx.io.stdout, 'no corrections');
  else writeTable(ctx.io.stdout, HEADERS, list.map(cells));
};

const correctCommand: Command = {
  name: 'directory correct',
  summary: "Propose a correction of a setting's (or a provider's) facts, with your evidence.",
  usage:
    '<setting id|urn> [--grade <g>] [--grade-date <date|none>] [--registration <s>] [--urn <urn|none>] [--type <t>] [--name <n>] [--postcode <p|none>] --reason <text> [--json]\n       ccx directory correct --provider <id> [--name <n>] [--company-number <n|none>] --reason <text>',
  description: [
    "Only a setting's host authority and the hub-admin change its Ofsted grade, registration status,",
    'URN, type, name or postcode. Anyone else proposes a correction; the host or the hub-admin accepts',
    'it (the change is made) or declines it with a note. You hear of the decision as an event.',
  ].join('\n'),
  options: [
    ['--grade <grade>', 'outstanding, good, requires-improvement, inadequate or not-yet-inspected'],
    ['--grade-date <date>', 'the date of the judgement (YYYY-MM-DD), or none'],
    ['--registration <status>', 'registered, applied, suspended, cancelled, …'],
    ['--urn <urn>', 'the Ofsted URN, or none'],
    ['--type <type>', 'the kind of setting, e.g. childrens-home'],
    ['--name <name>', 'the name'],
    ['--postcode <postcode>', 'the postcode, or none'],
    ['--provider <id>', 'correct a provider instead of a setting'],
    ['--company-number <n>', "a provider's Companies House number, or none"],
    ['--reason <text>', 'why, and on what evidence (required)'],
    ['--json', 'print the correction as the hub returned it'],
  ],
  examples: [
    'ccx directory correct SC123456 --grade good --grade-date 2026-06-10 --registration registered --reason "Ofsted report of 10 June"',
    'ccx directory correct --provider 3f1c…-… --name "Harbour Care Ltd" --reason "Companies House record"',
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'directory correct',
      argv,
      {
        grade: { type: 'string' },
        'grade-date': { type: 'string' },
        registration: { type: 'string' },
        urn: { type: 'string' },
        type: { type: 'string' },
        name: { type: 'string' },
        postcode: { type: 'string' },
        provider: { type: 'string' },
        'company-number': { type: 'string' },
        reason: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 1 },
    );
    if (!values.reason) throw new UsageError('give --reason: say why, and on what evidence');
    const { ccx } = await ctx.connect(values);
    let made: Correction;
    if (values.provider) {
      if (positionals.length > 0) throw new UsageError('give a setting or --provider, not both');
      const changes = {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values['company-number'] !== undefined
          ? { companyNumber: valueOf('companyNumber', values['company-number']) }
          : {}),
      } satisfies ProviderChanges;
      made = await ccx.providers.proposeCorrection.mutate({
        providerId: values.provider,
        changes,
        reason: values.reason,
      });
    } else {
      const target = positionals[0];
      if (!target) throw new UsageError('name the setting (its id or Ofsted URN), or give --provider');
      const provisionId = await resolveProvisionId(ccx, target, 'the setting');
      const changes = {
        ...(values.grade !== undefined ? { ofstedGrade: values.grade } : {}),
        ...(values['grade-date'] !== undefined
          ? { ofstedGradeDate: valueOf('ofstedGradeDate', values['grade-date']) }
          : {}),
        ...(values.registration !== undefined ? { registrationStatus: values.registration } : {}),
        ...(values.urn !== undefined ? { urn: valueOf('urn', values.urn) } : {}),
        ...(values.type !== undefined ? { type: values.type } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.postcode !== undefined ? { postcode: valueOf('postcode', values.postcode) } : {}),
      } as ProvisionChanges;
      made = await ccx.provisions.proposeCorrection.mutate({ provisionId, changes, reason: values.reason });
    }
    if (values.json) writeJson(ctx.io.stdout, made);
    else
      writeLine(ctx.io.stdout, `proposed correction ${made.id} of ${subjectOf(made)}: ${changesText(made)}`);
    return EXIT.ok;
  },
};

const listCommand: Command = {
  name: 'directory corrections',
  summary: 'Corrections awaiting your decision (host or hub-admin), or those you proposed (--mine).',
  usage: '[--mine] [--status proposed|accepted|declined] [--json]',
  options: [
    ['--mine', "your authority's proposals, whatever their status"],
    ['--status <status>', 'only corrections with this status'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx directory corrections', 'ccx directory corrections --mine --status declined'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'directory corrections',
      argv,
      { mine: { type: 'boolean' }, status: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const list: Correction[] = [];
    let cursor: string | undefined;
    do {
      const page = await ccx.corrections.list.query({
        view: values.mine ? 'proposed-by-me' : 'awaiting-my-decision',
        ...(values.status ? { status: values.status as Correction['status'] } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 200,
      });
      list.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    show(ctx, values.json, list);
    return EXIT.ok;
  },
};

const decideCommand = (verb: 'accept' | 'decline'): Command => ({
  name: `directory ${verb}`,
  summary:
    verb === 'accept'
      ? 'Accept a proposed correction: the change is made as your own edit (host or hub-admin).'
      : 'Decline a proposed correction, saying why (host or hub-admin).',
  usage: `<correction-id> ${verb === 'decline' ? '--note <text>' : '[--note <text>]'} [--json]`,
  options: [
    ['--note <text>', verb === 'decline' ? 'why it is declined (required; the proposer reads it)' : 'a note'],
    ['--json', 'print the correction as the hub returned it'],
  ],
  examples: [
    `ccx directory ${verb} 7d0c…-…${verb === 'decline' ? ' --note "the report says otherwise"' : ''}`,
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      `directory ${verb}`,
      argv,
      { note: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    if (verb === 'decline' && !values.note) throw new UsageError('give --note: say why it is declined');
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const current = await ccx.corrections.get.query({ id });
    const decided =
      verb === 'accept'
        ? await ccx.corrections.accept.mutate({
            id,
            version: current.version,
            ...(values.note ? { note: values.note } : {}),
          })
        : await ccx.corrections.decline.mutate({ id, version: current.version, note: values.note! });
    if (values.json) writeJson(ctx.io.stdout, decided);
    else writeLine(ctx.io.stdout, `${decided.status} correction ${id} of ${subjectOf(decided)}`);
    return EXIT.ok;
  },
});

const mergeCommand: Command = {
  name: 'directory merge',
  summary: 'Merge a duplicate setting (or provider) into another (hub-admin).',
  usage: '<merged id|urn> --into <survivor id|urn> [--providers] [--dry-run] [--json]',
  description: [
    'Everything of the merged one (records, allocations, placements, grants, corrections, event history)',
    'moves to the survivor in one transaction; the merged id then answers with status merged and the',
    "survivor's id. --dry-run shows what would move and changes nothing.",
  ].join('\n'),
  options: [
    ['--into <id|urn>', 'the survivor (required)'],
    ['--providers', 'merge two providers (by id) instead of two settings'],
    ['--dry-run', 'show what would move; change nothing'],
    ['--json', 'print the report as JSON'],
  ],
  examples: [
    'ccx directory merge SC700002 --into SC700001 --dry-run',
    'ccx directory merge SC700002 --into SC700001',
  ],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'directory merge',
      argv,
      {
        into: { type: 'string' },
        providers: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (!values.into) throw new UsageError('give --into: the setting (or provider) that survives');
    const { ccx } = await ctx.connect(values);
    const dryRun = values['dry-run'] === true;
    const report = values.providers
      ? await ccx.providers.merge.mutate({ survivorId: values.into, mergedId: positionals[0]!, dryRun })
      : await ccx.provisions.merge.mutate({
          survivorId: await resolveProvisionId(ccx, values.into, '--into'),
          mergedId: await resolveProvisionId(ccx, positionals[0]!, 'the merged setting'),
          dryRun,
        });
    if (values.json) writeJson(ctx.io.stdout, report);
    else {
      writeLine(
        ctx.io.stdout,
        `${dryRun ? 'would merge' : 'merged'} ${report.mergedId} into ${report.survivorId}`,
      );
      writeTable(
        ctx.io.stdout,
        ['rows', 'moved'],
        Object.entries(report.moved).map(([k, n]) => [k, String(n)]),
      );
      for (const note of report.notes) writeLine(ctx.io.stdout, note);
    }
    return EXIT.ok;
  },
};

export const directoryCommands: Command[] = [
  correctCommand,
  listCommand,
  decideCommand('accept'),
  decideCommand('decline'),
  mergeCommand,
];
