// ccx authorities list | get | create | update: the member authorities (create and update are for the
// host authority's hub-admin clients).
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { intOption, parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { writeJson, writeLine, writeTable } from '../output.js';

type Authority = RouterOutputs['authorities']['get'];
type AuthorityCreate = RouterInputs['authorities']['create'];
type AuthorityUpdate = RouterInputs['authorities']['update'];
type AuthorityListInput = Exclude<RouterInputs['authorities']['list'], void | undefined>;

const showAuthority = (a: Authority): string[] => [
  `id:          ${a.id}`,
  `name:        ${a.name}`,
  `GSS code:    ${a.gssCode ?? '-'}`,
  `region:      ${a.region}`,
  `status:      ${a.status}${a.isHost ? ' (host authority)' : ''}`,
  `QA inbox:    ${a.qaInbox}`,
  `version:     ${a.version} (updated ${a.updatedAt})`,
];

const print = (json: boolean | undefined, a: Authority, out: Parameters<typeof writeLine>[0]) => {
  if (json) writeJson(out, a);
  else for (const line of showAuthority(a)) writeLine(out, line);
};

const listCommand: Command = {
  name: 'authorities list',
  summary: 'List the member authorities.',
  usage: '[--status active|suspended|left] [--json]',
  options: [
    ['--status <status>', 'only authorities with this membership status'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx authorities list', 'ccx authorities list --status active --json'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'authorities list',
      argv,
      { status: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const input: AuthorityListInput = values.status
      ? { status: values.status as NonNullable<AuthorityListInput['status']> }
      : {};
    const list = await ccx.authorities.list.query(input);
    if (values.json) writeJson(ctx.io.stdout, list);
    else
      writeTable(
        ctx.io.stdout,
        ['id', 'name', 'region', 'status', 'qa inbox'],
        list.map((a) => [a.id, `${a.name}${a.isHost ? ' (host)' : ''}`, a.region, a.status, a.qaInbox]),
      );
    return EXIT.ok;
  },
};

const getCommand: Command = {
  name: 'authorities get',
  summary: 'Show one member authority.',
  usage: '<authority-id> [--json]',
  options: [['--json', 'print JSON']],
  examples: ['ccx authorities get medway'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'authorities get',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    print(values.json, await ccx.authorities.get.query({ id: positionals[0]! }), ctx.io.stdout);
    return EXIT.ok;
  },
};

const createCommand: Command = {
  name: 'authorities create',
  summary: 'Admit a member authority (hub-admin).',
  usage: '--id <slug> --name <name> --region <region> --qa-inbox <email> [--gss-code <code>] [--json]',
  options: [
    ['--id <slug>', 'a lower-case slug, e.g. north-tyneside'],
    ['--name <name>', 'the council’s name'],
    ['--region <region>', 'one of the nine English regions, e.g. south-east, north-west, london'],
    ['--qa-inbox <email>', 'the quality-assurance inbox other members contact'],
    ['--gss-code <code>', 'the ONS GSS code, e.g. E06000035'],
    ['--json', 'print JSON'],
  ],
  examples: [
    'ccx authorities create --id example-shire --name "Example Shire Council" --region south-east --qa-inbox qa@example-shire.example.gov.uk',
  ],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'authorities create',
      argv,
      {
        id: { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        'qa-inbox': { type: 'string' },
        'gss-code': { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    const missing = (['id', 'name', 'region', 'qa-inbox'] as const).filter((k) => !values[k]);
    if (missing.length > 0)
      throw new UsageError(
        `give ${missing.map((m) => `--${m}`).join(', ')}`,
        'run `ccx authorities create --help`',
      );
    const { ccx } = await ctx.connect(values);
    const input: AuthorityCreate = {
      id: values.id!,
      name: values.name!,
      // The hub checks the region and names the allowed ones.
      region: values.region as AuthorityCreate['region'],
      qaInbox: values['qa-inbox']!,
      ...(values['gss-code'] ? { gssCode: values['gss-code'] } : {}),
    };
    const made = await ccx.authorities.create.mutate(input);
    print(values.json, made, ctx.io.stdout);
    return EXIT.ok;
  },
};

const updateCommand: Command = {
  name: 'authorities update',
  summary: 'Change a member authority (hub-admin): name, GSS code, region, membership status, QA inbox.',
  usage:
    '<authority-id> [--name <name>] [--gss-code <code|none>] [--region <region>] [--status <status>] [--qa-inbox <email>] [--expect-version <n>] [--json]',
  description: [
    'The update names the version it changes: the current one, fetched first, or the one given with',
    '--expect-version, so a change made meanwhile by someone else is refused rather than overwritten.',
  ].join('\n'),
  options: [
    ['--name <name>', 'the council’s name'],
    ['--gss-code <code|none>', 'the ONS GSS code; none removes it'],
    ['--region <region>', 'one of the nine English regions'],
    ['--status <status>', 'active, suspended or left'],
    ['--qa-inbox <email>', 'the quality-assurance inbox'],
    ['--expect-version <n>', 'refuse the update unless the authority is still at this version'],
    ['--json', 'print JSON'],
  ],
  examples: ['ccx authorities update example-shire --status suspended'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'authorities update',
      argv,
      {
        name: { type: 'string' },
        'gss-code': { type: 'string' },
        region: { type: 'string' },
        status: { type: 'string' },
        'qa-inbox': { type: 'string' },
        'expect-version': { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    const changes: Omit<AuthorityUpdate, 'id' | 'version'> = {
      ...(values.name ? { name: values.name } : {}),
      ...(values['gss-code'] ? { gssCode: values['gss-code'] === 'none' ? null : values['gss-code'] } : {}),
      ...(values.region ? { region: values.region as AuthorityUpdate['region'] } : {}),
      ...(values.status ? { status: values.status as AuthorityUpdate['status'] } : {}),
      ...(values['qa-inbox'] ? { qaInbox: values['qa-inbox'] } : {}),
    };
    if (Object.keys(changes).length === 0)
      throw new UsageError('nothing to change', 'run `ccx authorities update --help` for the fields');
    const expected = intOption('expect-version', values['expect-version'], 1, Number.MAX_SAFE_INTEGER);
    const { ccx } = await ctx.connect(values);
    const id = positionals[0]!;
    const version = expected ?? (await ccx.authorities.get.query({ id })).version;
    const updated = await ccx.authorities.update.mutate({ id, version, ...changes });
    print(values.json, updated, ctx.io.stdout);
    return EXIT.ok;
  },
};

export const authoritiesCommands: Command[] = [listCommand, getCommand, createCommand, updateCommand];
