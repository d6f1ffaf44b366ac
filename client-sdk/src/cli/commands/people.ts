// ccx people list | invite | reinvite | role | deactivate: the people who sign in to the hub for an
// authority (admin). An invitation link is shown once, to the admin who invited; the hub keeps only
// its hash.
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { oneOf, parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import type { OutStream } from '../io.js';
import { authorityName, shortTime, writeJson, writeLine, writeTable } from '../output.js';

type Role = RouterInputs['people']['invite']['role'];
type Status = NonNullable<Exclude<RouterInputs['people']['list'], void | undefined>['status']>;
type Person = RouterOutputs['people']['list'][number];
type Invited = RouterOutputs['people']['invite'];

/** The roles a person may be given; hub-admin only on the host authority (the hub checks). */
export const PERSON_ROLES = ['viewer', 'officer', 'admin', 'hub-admin'] as const satisfies readonly Role[];
export const PERSON_STATUSES = ['invited', 'active', 'deactivated'] as const satisfies readonly Status[];

/** How the person signs in, in words: a local account, single sign-on, both, or not yet. */
const signInOf = (p: Person): string =>
  [p.localAccount ? 'password + code' : '', p.singleSignOn ? 'single sign-on' : '']
    .filter(Boolean)
    .join(', ') || 'not yet';

const printInvited = (out: OutStream, err: OutStream, invited: Invited, json: boolean | undefined) => {
  const { person } = invited;
  if (json) writeJson(out, invited);
  else {
    writeLine(out, `person id:        ${person.id}`);
    writeLine(out, `name:             ${person.name} <${person.email}>`);
    writeLine(
      out,
      `authority:        ${authorityName(person.authority, person.authorityId)}, role ${person.role}`,
    );
    writeLine(out, `invitation link:  ${invited.invitationUrl}`);
    writeLine(out, `valid until:      ${shortTime(invited.expiresAt)} UTC, single use`);
    writeLine(
      out,
      `e-mailed:         ${invited.emailed ? `yes, to ${person.email}` : 'no (the hub sends no mail): pass the link on yourself'}`,
    );
  }
  writeLine(
    err,
    'warning: the invitation link is shown only this once and cannot be shown again; `ccx people reinvite` makes a new one.',
  );
};

const listCommand: Command = {
  name: 'people list',
  summary: 'List the people of your authority (or, for a hub-admin, of another).',
  usage: '[--authority <id>] [--status invited|active|deactivated] [--json]',
  options: [
    ['--authority <id>', 'another authority’s people (hub-admin)'],
    ['--status <status>', 'only people who are invited, active or deactivated'],
    ['--json', 'print JSON instead of a table'],
  ],
  choices: { '--status': PERSON_STATUSES },
  examples: ['ccx people list', 'ccx people list --status invited'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'people list',
      argv,
      { authority: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const status = oneOf('status', values.status, PERSON_STATUSES);
    const { ccx } = await ctx.connect(values);
    const list = await ccx.people.list.query({
      ...(values.authority ? { authorityId: values.authority } : {}),
      ...(status ? { status } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, list);
    else
      writeTable(
        ctx.io.stdout,
        ['id', 'authority', 'name', 'e-mail', 'role', 'status', 'signs in with', 'last sign-in'],
        list.map((p) => [
          p.id,
          authorityName(p.authority, p.authorityId),
          p.name,
          p.email,
          p.role,
          p.status,
          signInOf(p),
          shortTime(p.lastSignInAt) || 'never',
        ]),
      );
    return EXIT.ok;
  },
};

const inviteCommand: Command = {
  name: 'people invite',
  summary: 'Invite a person to sign in, and print their invitation link once.',
  usage: '<email> --name <name> --role <viewer|officer|admin> [--authority <id>] [--json]',
  description: [
    'The link is single use and valid for 72 hours. It is shown only now: when the hub sends mail',
    '(CCX_SMTP_URL) it is e-mailed to the person as well; otherwise pass it on yourself, securely.',
    'The person sets a password and an authenticator app with it. Only a hub-admin may invite',
    'people to another authority, and nobody may give a role higher than their own.',
  ].join('\n'),
  options: [
    ['--name <name>', 'the person’s name, e.g. "Sam Patel"'],
    ['--role <role>', 'viewer, officer, admin (or hub-admin on the host authority)'],
    ['--authority <id>', 'the authority they belong to (default: your own)'],
    ['--json', 'print the person and the link as JSON'],
  ],
  choices: { '--role': PERSON_ROLES },
  examples: ['ccx people invite sam.patel@example-shire.gov.uk --name "Sam Patel" --role officer'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'people invite',
      argv,
      {
        name: { type: 'string' },
        role: { type: 'string' },
        authority: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (!values.name || !values.role)
      throw new UsageError('give --name and --role', 'run `ccx people invite --help`');
    const role = oneOf('role', values.role, PERSON_ROLES)!;
    const { ccx } = await ctx.connect(values);
    const invited = await ccx.people.invite.mutate({
      email: positionals[0]!,
      name: values.name,
      role,
      ...(values.authority ? { authorityId: values.authority } : {}),
    });
    printInvited(ctx.io.stdout, ctx.io.stderr, invited, values.json);
    return EXIT.ok;
  },
};

const reinviteCommand: Command = {
  name: 'people reinvite',
  summary: 'Give an invited person a new invitation link (the earlier one stops working).',
  usage: '<person-id> [--json]',
  description: 'Only for a person who has not set up yet. The new link is shown only now, like the first.',
  options: [['--json', 'print the person and the link as JSON']],
  examples: ['ccx people reinvite ccxp_0123456789abcdefghij'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'people reinvite',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const invited = await ccx.people.reinvite.mutate({ id: positionals[0]! });
    printInvited(ctx.io.stdout, ctx.io.stderr, invited, values.json);
    return EXIT.ok;
  },
};

const roleCommand: Command = {
  name: 'people role',
  summary: 'Change a person’s role; it applies from their next call.',
  usage: '<person-id> <viewer|officer|admin> [--json]',
  description: 'Not above your own role, and not your own: ask another admin for that.',
  options: [['--json', 'print the person as JSON']],
  examples: ['ccx people role ccxp_0123456789abcdefghij admin'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'people role',
      argv,
      { json: { type: 'boolean' } },
      { min: 2, max: 2 },
    );
    const [id, given] = positionals as [string, string];
    if (!(PERSON_ROLES as readonly string[]).includes(given))
      throw new UsageError(
        `"${given}" is not a role: give one of ${PERSON_ROLES.join(', ')}`,
        'run `ccx people role --help`',
      );
    const { ccx } = await ctx.connect(values);
    const person = await ccx.people.setRole.mutate({ id, role: given as Role });
    if (values.json) writeJson(ctx.io.stdout, person);
    else
      writeLine(
        ctx.io.stdout,
        `${person.id} (${person.name} <${person.email}>) now has the role ${person.role}`,
      );
    return EXIT.ok;
  },
};

const deactivateCommand: Command = {
  name: 'people deactivate',
  summary: 'Deactivate a person: they cannot sign in again and their sessions end at once.',
  usage: '<person-id> [--json]',
  description: 'Any unused invitation or set-up link of theirs stops working too.',
  options: [['--json', 'print the person as JSON']],
  examples: ['ccx people deactivate ccxp_0123456789abcdefghij'],
  async run(argv, ctx) {
    const { values, positionals } = parseCommand(
      'people deactivate',
      argv,
      { json: { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    const { ccx } = await ctx.connect(values);
    const person = await ccx.people.deactivate.mutate({ id: positionals[0]! });
    if (values.json) writeJson(ctx.io.stdout, person);
    else
      writeLine(
        ctx.io.stdout,
        `deactivated ${person.id} (${person.name} <${person.email}>) at ${shortTime(person.deactivatedAt)}; every session of theirs has ended`,
      );
    return EXIT.ok;
  },
};

export const peopleCommands: Command[] = [
  listCommand,
  inviteCommand,
  reinviteCommand,
  roleCommand,
  deactivateCommand,
];
