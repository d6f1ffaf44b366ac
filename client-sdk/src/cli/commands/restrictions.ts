// ccx restrictions list | create | lift: restrictions and embargoes, at the layer the caller may see.
import { CcxError, items } from '../../index.js';
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { intOption, parseCommand, type Command } from '../command.js';
import { CliError, describeCcxError, EXIT, UsageError } from '../errors.js';
import { idempotencyKeyFor, readJsonRecords } from '../json-input.js';
import { authorityName, providerName, settingName, writeJson, writeLine, writeTable } from '../output.js';
import { resolveProvisionId } from '../targets.js';

type RestrictionView = RouterOutputs['restrictions']['get'];
// A list input with defaults may be omitted, so its type includes void.
type RestrictionListInput = Exclude<RouterInputs['restrictions']['list'], void | undefined>;
type RestrictionCreate = RouterInputs['restrictions']['create'];

const until = (r: Extract<RestrictionView, { layer: 'summary' | 'detail' }>): string =>
  r.liftedOn
    ? `lifted ${r.liftedOn}`
    : r.expiresOn
      ? `expires ${r.expiresOn}`
      : r.reviewOn
        ? `review ${r.reviewOn}`
        : '';

/** What a restriction applies to, as people name it: `setting SC123456 Harbour House` or `provider Acme Care`. */
export const appliesTo = (
  r: Pick<RestrictionView, 'provisionId' | 'providerId' | 'provision' | 'provider'>,
): string =>
  r.provisionId
    ? `setting ${settingName(r.provision, r.provisionId)}`
    : `provider ${providerName(r.provider, r.providerId)}`;

export const restrictionCells = (r: RestrictionView): string[] =>
  r.layer === 'signal'
    ? [
        '(restricted)',
        '-',
        '-',
        '-',
        appliesTo(r),
        '',
        '',
        r.message.includes(r.contact) ? r.message : `${r.message} (contact ${r.contact})`,
      ]
    : [
        r.id,
        r.kind,
        r.status,
        authorityName(r.issuerAuthority, r.issuerAuthorityId),
        appliesTo(r),
        r.effectiveFrom,
        until(r),
        r.layer === 'detail' ? r.reasons.map((x) => `${x.category}: ${x.text}`).join('; ') : '(summary)',
      ];

export const RESTRICTION_HEADERS = [
  'id',
  'kind',
  'status',
  'issuer',
  'applies to',
  'from',
  'until',
  'reasons',
];

const listCommand: Command = {
  name: 'restrictions list',
  summary: 'List restrictions and embargoes, at the layer your authority may see.',
  usage:
    '[--provision <id|urn>] [--provider <id>] [--issuer <authority>] [--kind <kind>] [--active|--ended] [--limit <n>] [--json]',
  description: [
    'Restrictions on a provision include those on its provider. Records under restriction show only',
    'a neutral signal naming whom to contact.',
  ].join('\n'),
  options: [
    ['--provision <id|urn>', 'restrictions that apply to one setting (by id or Ofsted URN)'],
    ['--provider <id>', 'restrictions on one provider'],
    ['--issuer <authority>', 'restrictions issued by one authority (its id, e.g. medway)'],
    ['--kind <kind>', 'one kind: embargo, informal-embargo, action-plan, ofsted-restriction, …'],
    ['--active', 'only restrictions in force today'],
    ['--ended', 'only lifted or expired restrictions'],
    ['--limit <n>', 'at most this many (default: all)'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx restrictions list --active', 'ccx restrictions list --provision SC123456 --json'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'restrictions list',
      argv,
      {
        provision: { type: 'string' },
        provider: { type: 'string' },
        issuer: { type: 'string' },
        kind: { type: 'string' },
        active: { type: 'boolean' },
        ended: { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    if (values.active && values.ended) throw new UsageError('give --active or --ended, not both');
    const limit = intOption('limit', values.limit, 1, 1_000_000);
    const { ccx } = await ctx.connect(values);
    const input: RestrictionListInput = {
      ...(values.provision
        ? { provisionId: await resolveProvisionId(ccx, values.provision, '--provision') }
        : {}),
      ...(values.provider ? { providerId: values.provider } : {}),
      ...(values.issuer ? { issuerAuthorityId: values.issuer } : {}),
      // The hub checks the kind and names the allowed ones.
      ...(values.kind ? { kind: values.kind as NonNullable<RestrictionListInput['kind']> } : {}),
      ...(values.active ? { active: true } : values.ended ? { active: false } : {}),
      ...(limit !== undefined ? { limit: Math.min(limit, 500) } : {}),
    };
    const list: RestrictionView[] = [];
    for await (const r of items((i: RestrictionListInput) => ccx.restrictions.list.query(i), input)) {
      list.push(r);
      if (limit !== undefined && list.length >= limit) break;
    }
    if (values.json) writeJson(ctx.io.stdout, list);
    else if (list.length === 0) writeLine(ctx.io.stdout, 'no restrictions');
    else writeTable(ctx.io.stdout, RESTRICTION_HEADERS, list.map(restrictionCells));
    return EXIT.ok;
  },
};

const createCommand: Command = {
  name: 'restrictions create',
  summary: 'Publish restrictions or embargoes from a JSON file (one or an array).',
  usage: '<file.json> [--json]',
  description: [
    'Each restriction has the fields of restrictions.create: provisionId or providerId, kind,',
    'reasons ([{ "category": "quality", "text": "…" }]), and optionally source, regulatorReference,',
    'effectiveFrom, reviewOn, expiresOn, complianceDueOn, partnershipWide, restricted, contractScope,',
    'contractReference, summary and details (see docs/records.md). They are published one by one;',
    'each carries an idempotency key derived from its content, so running the file again after a',
    'failure publishes only what is missing. A regulator notice (source "regulator") already',
    'recorded with the same regulatorReference on the same setting or provider is not published',
    'twice: your authority joins the existing record as a relayer, and the command says so.',
  ].join('\n'),
  options: [['--json', 'print the restrictions as the hub returned them']],
  examples: ['ccx restrictions create embargo.json'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'restrictions create',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const file = positionals[0]!;
    const records = await readJsonRecords(ctx.io.cwd, file);
    const { ccx } = await ctx.connect(values);
    const made: RestrictionView[] = [];
    for (const [index, record] of records.entries()) {
      try {
        made.push(
          await ccx.restrictions.create.mutate({
            ...record,
            idempotencyKey: idempotencyKeyFor('restriction', record),
          } as RestrictionCreate),
        );
      } catch (err) {
        if (!(err instanceof CcxError) || records.length === 1) throw err;
        const [first, ...rest] = describeCcxError(err);
        writeLine(ctx.io.stderr, `restriction ${index + 1} of ${file}: ${first ?? 'refused'}`);
        for (const line of rest) writeLine(ctx.io.stderr, line);
        if (made.length > 0)
          writeLine(
            ctx.io.stderr,
            `published before it: ${made.map((r) => ('id' in r ? r.id : '?')).join(', ')}`,
          );
        throw new CliError(`stopped at restriction ${index + 1}; fix it and run the file again`);
      }
    }
    if (values.json) writeJson(ctx.io.stdout, made);
    else {
      const joined = made.filter((r) => 'joined' in r && r.joined === true);
      const published = made.length - joined.length;
      writeTable(ctx.io.stdout, RESTRICTION_HEADERS, made.map(restrictionCells));
      for (const r of joined) if ('id' in r) writeLine(ctx.io.stdout, `joined the existing record ${r.id}`);
      if (published > 0 || joined.length === 0)
        writeLine(ctx.io.stdout, `${published} restriction${published === 1 ? '' : 's'} published`);
    }
    return EXIT.ok;
  },
};

const liftCommand: Command = {
  name: 'restrictions lift',
  summary: 'Lift a restriction your authority issued, or a regulator notice it relayed.',
  usage: '<restriction-id> --reason <text> [--on YYYY-MM-DD] [--json]',
  options: [
    ['--reason <text>', 'why it is lifted (required)'],
    ['--on <date>', 'the date it is lifted (default today)'],
    ['--json', 'print the restriction as the hub returned it'],
  ],
  examples: ['ccx restrictions lift 7d0c…-… --reason "action plan completed"'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'restrictions lift',
      argv,
      { reason: { type: 'string' }, on: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    if (!values.reason) throw new UsageError('give --reason: say why the restriction is lifted');
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const current = await ccx.restrictions.get.query({ id });
    if (current.layer !== 'detail')
      throw new CliError(
        `restriction ${id} was not issued or relayed by your authority, so it cannot lift it`,
      );
    const lifted = await ccx.restrictions.lift.mutate({
      id,
      version: current.version,
      reason: values.reason,
      ...(values.on ? { liftedOn: values.on } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, lifted);
    else
      writeLine(
        ctx.io.stdout,
        `lifted restriction ${id}${'liftedOn' in lifted && lifted.liftedOn ? ` on ${lifted.liftedOn}` : ''}`,
      );
    return EXIT.ok;
  },
};

export const restrictionsCommands: Command[] = [listCommand, createCommand, liftCommand];
