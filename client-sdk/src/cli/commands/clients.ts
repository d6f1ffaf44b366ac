// ccx clients create | list | revoke: an authority's API clients (admin). A new client's secret is
// shown once, at creation; the hub keeps only its hash.
import type { RouterInputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { authorityName, shortTime, writeJson, writeLine, writeTable } from '../output.js';

type ClientCreate = RouterInputs['clients']['create'];
type ClientListInput = Exclude<RouterInputs['clients']['list'], void | undefined>;

const createCommand: Command = {
  name: 'clients create',
  summary: 'Create an API client for a local tool or an officer, and print its secret once.',
  usage: '--name <name> --role <viewer|officer|admin|hub-admin> [--authority <id>] [--json]',
  description:
    'The secret is shown only now: store it in your secrets manager at once. Only a hub-admin may create clients of another authority.',
  options: [
    ['--name <name>', 'what or who the client is for, e.g. "case system"'],
    ['--role <role>', 'viewer, officer, admin (or hub-admin on the host authority)'],
    ['--authority <id>', 'the authority it belongs to (default: your own)'],
    ['--json', 'print the client and its secret as JSON'],
  ],
  examples: ['ccx clients create --name "placements team tool" --role officer'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'clients create',
      argv,
      {
        name: { type: 'string' },
        role: { type: 'string' },
        authority: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    if (!values.name || !values.role)
      throw new UsageError('give --name and --role', 'run `ccx clients create --help`');
    const { ccx } = await ctx.connect(values);
    const input: ClientCreate = {
      name: values.name,
      // The hub checks the role and names the allowed ones.
      role: values.role as ClientCreate['role'],
      ...(values.authority ? { authorityId: values.authority } : {}),
    };
    const { client, clientSecret } = await ccx.clients.create.mutate(input);
    if (values.json) writeJson(ctx.io.stdout, { client, clientSecret });
    else {
      writeLine(ctx.io.stdout, `client id:     ${client.id}`);
      writeLine(ctx.io.stdout, `client secret: ${clientSecret}`);
      writeLine(
        ctx.io.stdout,
        `authority:     ${client.authorityId}, role ${client.role}, name "${client.name}"`,
      );
    }
    writeLine(
      ctx.io.stderr,
      'warning: the client secret is shown only this once and cannot be recovered; store it securely now.',
    );
    return EXIT.ok;
  },
};

const listCommand: Command = {
  name: 'clients list',
  summary: 'List the API clients of your authority (or, for a hub-admin, of another).',
  usage: '[--authority <id>] [--json]',
  options: [
    ['--authority <id>', 'another authority’s clients (hub-admin)'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: ['ccx clients list'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'clients list',
      argv,
      { authority: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const input: ClientListInput = values.authority ? { authorityId: values.authority } : {};
    const list = await ccx.clients.list.query(input);
    if (values.json) writeJson(ctx.io.stdout, list);
    else
      writeTable(
        ctx.io.stdout,
        ['id', 'authority', 'name', 'role', 'status', 'created', 'last used'],
        list.map((c) => [
          c.id,
          authorityName(c.authority, c.authorityId),
          c.name,
          c.role,
          c.status,
          shortTime(c.createdAt),
          shortTime(c.lastUsedAt) || 'never',
        ]),
      );
    return EXIT.ok;
  },
};

const revokeCommand: Command = {
  name: 'clients revoke',
  summary: 'Revoke an API client: its tokens stop working at once.',
  usage: '<client-id> [--json]',
  options: [['--json', 'print the revoked client as JSON']],
  examples: ['ccx clients revoke ccx_0123456789abcdefghij'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'clients revoke',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const revoked = await ccx.clients.revoke.mutate({ id: positionals[0]! });
    if (values.json) writeJson(ctx.io.stdout, revoked);
    else
      writeLine(
        ctx.io.stdout,
        `revoked ${revoked.id} ("${revoked.name}", ${revoked.role}) at ${shortTime(revoked.revokedAt)}`,
      );
    return EXIT.ok;
  },
};

export const clientsCommands: Command[] = [createCommand, listCommand, revokeCommand];
