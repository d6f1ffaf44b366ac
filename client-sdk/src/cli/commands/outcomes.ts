// ccx outcomes publish: monitoring outcomes from a JSON file, created and published; ccx outcomes list;
// ccx outcomes delete-draft: a draft of your authority's, deleted.
import { CcxError, items } from '../../index.js';
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { CliError, describeCcxError, EXIT } from '../errors.js';
import { followUpKey, idempotencyKeyFor, readJsonRecords } from '../json-input.js';
import {
  authorityName,
  RATING_HEADER,
  ratingCell,
  settingName,
  writeJson,
  writeLine,
  writeTable,
} from '../output.js';

type OutcomeCreate = RouterInputs['outcomes']['create'];
type OutcomeView = RouterOutputs['outcomes']['get'];
type OutcomeDetail = Extract<OutcomeView, { layer: 'detail' }>;
// A list input with defaults may be omitted, so its type includes void.
type OutcomeListInput = Exclude<RouterInputs['outcomes']['list'], void | undefined>;

const detailOf = (view: OutcomeView): OutcomeDetail => {
  // The publisher always reads its own outcome in detail; anything else means the hub changed.
  if (view.layer !== 'detail') throw new CliError(`the hub answered the outcome at the ${view.layer} layer`);
  return view;
};

/** Why the hub refused one outcome; failures that are not about the outcome itself end the command. */
const describeFailure = (err: unknown): string[] => {
  if (!(err instanceof CcxError) || ['NETWORK', 'UNAUTHORIZED', 'FORBIDDEN'].includes(err.code)) throw err;
  return describeCcxError(err);
};

const publishCommand: Command = {
  name: 'outcomes publish',
  summary: 'Create and publish monitoring outcomes from a JSON file (one outcome or an array).',
  usage: '<file.json> [--draft] [--json]',
  description: [
    'Each outcome has the fields of outcomes.create: provisionId, activityType, activityDate,',
    'overallRating (1-5), summary, and optionally announced, sectionJudgements, findings,',
    'actionItems, nextDueOn and restricted (see docs/records.md).',
    '',
    'Every outcome is created as a draft first; they are published only if the hub accepted all of',
    'them, so a file with one bad outcome publishes nothing. Each outcome carries an idempotency key',
    'derived from its content (or its own idempotencyKey), so running a corrected file again reuses',
    'the drafts already made and never publishes an outcome twice.',
  ].join('\n'),
  options: [
    ['--draft', 'create the drafts only; publish nothing'],
    ['--json', 'print the outcomes as the hub returned them'],
  ],
  examples: ['ccx outcomes publish visit-2026-11-20.json', 'ccx outcomes publish outcomes.json --draft'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'outcomes publish',
      argv,
      { draft: { type: 'boolean' }, json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const file = positionals[0]!;
    const records = await readJsonRecords(ctx.io.cwd, file);
    const { ccx } = await ctx.connect(values);

    const drafts: { key: string; outcome: OutcomeDetail }[] = [];
    const failures: { index: number; lines: string[] }[] = [];
    for (const [index, record] of records.entries()) {
      const key = idempotencyKeyFor('outcome', record);
      try {
        // The hub validates every field; the file's content goes as it is.
        const outcome = detailOf(
          await ccx.outcomes.create.mutate({ ...record, idempotencyKey: key } as OutcomeCreate),
        );
        drafts.push({ key, outcome });
      } catch (err) {
        failures.push({ index, lines: describeFailure(err) });
      }
    }
    const label = (i: number) => (records.length > 1 ? `outcome ${i + 1}` : 'the outcome');
    if (failures.length > 0) {
      for (const f of failures) {
        const [first, ...rest] = f.lines;
        writeLine(ctx.io.stderr, `${label(f.index)} of ${file}: ${first ?? 'refused'}`);
        for (const line of rest) writeLine(ctx.io.stderr, line);
      }
      writeLine(
        ctx.io.stderr,
        `nothing was published.${drafts.length > 0 ? ` ${drafts.length} draft${drafts.length === 1 ? ' was' : 's were'} kept (${drafts.map((d) => d.outcome.id).join(', ')}); running the corrected file again publishes ${drafts.length === 1 ? 'it' : 'them'} without duplicates.` : ''}`,
      );
      return EXIT.failed;
    }

    const results: OutcomeDetail[] = [];
    for (const { key, outcome } of drafts) {
      if (values.draft || outcome.status !== 'draft') results.push(outcome);
      else
        results.push(
          detailOf(
            await ccx.outcomes.publish.mutate({
              id: outcome.id,
              version: outcome.version,
              idempotencyKey: followUpKey(key, 'publish'),
            }),
          ),
        );
    }
    if (values.json) writeJson(ctx.io.stdout, results);
    else {
      writeTable(
        ctx.io.stdout,
        ['id', 'status', 'setting', 'activity', 'date', RATING_HEADER],
        results.map((o) => [
          o.id,
          o.status,
          settingName(o.provision, o.provisionId),
          o.activityType,
          o.activityDate,
          ratingCell(o.overallRating),
        ]),
      );
      writeLine(
        ctx.io.stdout,
        `${results.length} outcome${results.length === 1 ? '' : 's'} ${values.draft ? 'saved as draft' : 'published'}`,
      );
    }
    return EXIT.ok;
  },
};

/** Outcomes at any layer, as table cells. */
const outcomeCells = (o: OutcomeView): string[] =>
  o.layer === 'signal'
    ? [
        '(restricted)',
        'signal',
        settingName(o.provision, o.provisionId),
        '',
        '',
        '',
        '',
        o.message.includes(o.contact) ? o.message : `${o.message} (contact ${o.contact})`,
      ]
    : [
        o.id,
        o.layer,
        settingName(o.provision, o.provisionId),
        authorityName(o.publisherAuthority, o.publisherAuthorityId),
        o.activityType,
        o.activityDate,
        ratingCell(o.overallRating),
        o.status,
      ];

const listCommand: Command = {
  name: 'outcomes list',
  summary: 'List the monitoring outcomes you may see, at the layer you may see them.',
  usage:
    '[--provision <id>] [--publisher <authority>] [--status <status>] [--from <date>] [--to <date>] [--drafts] [--json]',
  options: [
    ['--provision <id>', 'outcomes of one provision'],
    ['--publisher <authority>', 'outcomes published by one authority'],
    ['--status <status>', 'draft, published, amended or withdrawn'],
    ['--from <date>', 'activity on or after this date'],
    ['--to <date>', 'activity on or before this date'],
    ['--drafts', 'include your own drafts'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx outcomes list --from 2026-01-01', 'ccx outcomes list --publisher medway --json'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'outcomes list',
      argv,
      {
        provision: { type: 'string' },
        publisher: { type: 'string' },
        status: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        drafts: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const input: OutcomeListInput = {
      ...(values.provision ? { provisionId: values.provision } : {}),
      ...(values.publisher ? { publisherAuthorityId: values.publisher } : {}),
      // The hub checks the value and names the allowed ones.
      ...(values.status ? { status: values.status as NonNullable<OutcomeListInput['status']> } : {}),
      ...(values.from ? { activityFrom: values.from } : {}),
      ...(values.to ? { activityTo: values.to } : {}),
      includeDrafts: values.drafts === true,
    };
    const list: OutcomeView[] = [];
    for await (const o of items((i: OutcomeListInput) => ccx.outcomes.list.query(i), input)) list.push(o);
    if (values.json) writeJson(ctx.io.stdout, list);
    else
      writeTable(
        ctx.io.stdout,
        ['id', 'layer', 'setting', 'publisher', 'activity', 'date', RATING_HEADER, 'status'],
        list.map(outcomeCells),
      );
    return EXIT.ok;
  },
};

const deleteDraftCommand: Command = {
  name: 'outcomes delete-draft',
  summary: 'Delete a draft outcome your authority wrote (a published one is withdrawn instead).',
  usage: '<outcome-id> [--json]',
  description: [
    "Only a draft, and only one your own authority wrote: another authority's draft is not found.",
    'The draft is read first for its version; the deletion is audited.',
  ].join('\n'),
  options: [['--json', 'print the answer as the hub returned it']],
  examples: ['ccx outcomes delete-draft 7d0c…-…'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'outcomes delete-draft',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const current = await ccx.outcomes.get.query({ id });
    if (current.layer !== 'detail' || current.status !== 'draft')
      throw new CliError(
        current.layer === 'detail' && current.status !== 'draft'
          ? `outcome ${id} is ${current.status}: only a draft can be deleted; withdraw a published outcome instead`
          : `outcome ${id} was not written by your authority, so it cannot delete it`,
      );
    const deleted = await ccx.outcomes.deleteDraft.mutate({ id, version: current.version });
    if (values.json) writeJson(ctx.io.stdout, deleted);
    else writeLine(ctx.io.stdout, `deleted draft outcome ${id}`);
    return EXIT.ok;
  },
};

export const outcomesCommands: Command[] = [publishCommand, listCommand, deleteDraftCommand];
