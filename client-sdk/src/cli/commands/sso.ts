// ccx sso show | set | remove: the OpenID Connect provider an authority's people sign in with (admin).
// The provider's client secret goes in once, from standard input, and is never shown again.
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { oneOf, parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import type { OutStream } from '../io.js';
import { shortTime, writeJson, writeLine } from '../output.js';
import { secretFromStdin } from './login.js';

type DefaultRole = NonNullable<RouterInputs['identityProviders']['set']['defaultRole']>;
type Provider = NonNullable<RouterOutputs['identityProviders']['get']>;

const DEFAULT_ROLES = ['viewer', 'officer'] as const satisfies readonly DefaultRole[];

const authorityOption = ['--authority <id>', 'another authority’s (hub-admin; default: your own)'] as const;

/** The provider as an admin needs it to register the hub there: never the secret, only that it is set. */
const printProvider = (out: OutStream, p: Provider): void => {
  for (const line of [
    `authority:        ${p.authorityId}`,
    `issuer:           ${p.issuer}`,
    `client id:        ${p.clientId}`,
    'client secret:    set (never shown)',
    `allowed domains:  ${p.allowedDomains.join(', ')}`,
    `create unknown:   ${p.createUnknown ? `yes, at their first sign-in, as ${p.defaultRole}` : 'no: people must be invited first'}`,
    `default role:     ${p.defaultRole}`,
    `redirect URI:     ${p.redirectUri}   (register this at the provider)`,
    `sign-in URL:      ${p.signInUrl}`,
    `updated:          ${shortTime(p.updatedAt)} UTC`,
  ])
    writeLine(out, line);
};

const showCommand: Command = {
  name: 'sso show',
  summary: 'Show your authority’s single sign-on: the provider, and what to register there.',
  usage: '[--authority <id>] [--json]',
  description:
    'Prints the issuer, client id, allowed e-mail domains, whether unknown people are created and with which role, the redirect URI to register at the provider and the sign-in URL to give your people. The client secret is never shown.',
  options: [authorityOption, ['--json', 'print JSON (null when none is set up)']],
  examples: ['ccx sso show'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'sso show',
      argv,
      { authority: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const provider = await ccx.identityProviders.get.query(
      values.authority ? { authorityId: values.authority } : {},
    );
    if (values.json) writeJson(ctx.io.stdout, provider);
    else if (provider) printProvider(ctx.io.stdout, provider);
    else
      writeLine(
        ctx.io.stdout,
        `no single sign-on is set up${values.authority ? ` for ${values.authority}` : ''}: people sign in with a password and an authenticator app (set one up with \`ccx sso set\`)`,
      );
    return EXIT.ok;
  },
};

const setCommand: Command = {
  name: 'sso set',
  summary: 'Set up or change your authority’s single sign-on (an OpenID Connect provider).',
  usage:
    '--issuer <url> --client-id <id> [--client-secret-stdin] --domain <domain> [--domain <domain>…] [--create-unknown] [--default-role viewer|officer] [--authority <id>] [--json]',
  description: [
    'Register the hub at your provider first (its redirect URI is `<hub>/auth/sso/callback`; `ccx sso show`',
    'prints it), then give its issuer, client id and secret here. The secret is read from standard input',
    'with --client-secret-stdin, never from the command line, and is never shown again; leave the flag out',
    'to keep the secret already stored (it is required the first time).',
    'In this command --client-id is the provider’s client id: the CLI’s own credentials come from the',
    'environment (CCX_CLIENT_ID, CCX_CLIENT_SECRET) or the profile, so --client-secret is refused here.',
    'Only people whose e-mail address is in one of the --domain domains may sign in with the provider;',
    'with --create-unknown those the hub does not know yet are added at their first sign-in with',
    '--default-role (viewer unless given), otherwise they must be invited first.',
  ].join('\n'),
  options: [
    ['--issuer <url>', 'the provider’s issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0'],
    ['--client-id <id>', 'the client (application) id the provider gave the hub'],
    ['--client-secret-stdin', 'read the provider’s client secret from standard input'],
    ['--domain <domain>', 'an e-mail domain allowed to sign in, e.g. example-shire.gov.uk (repeat for more)'],
    ['--create-unknown', 'add people the hub does not know at their first sign-in'],
    ['--default-role <role>', 'the role of people added that way: viewer (default) or officer'],
    authorityOption,
    ['--json', 'print the provider as JSON'],
  ],
  choices: { '--default-role': DEFAULT_ROLES },
  examples: [
    `printf '%s' "$OIDC_SECRET" | ccx sso set --issuer https://login.microsoftonline.com/<tenant>/v2.0 --client-id 0f1e… --client-secret-stdin --domain example-shire.gov.uk`,
    'ccx sso set --issuer https://idp.example-shire.gov.uk --client-id ccx-hub --domain example-shire.gov.uk --create-unknown --default-role viewer',
  ],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'sso set',
      argv,
      {
        issuer: { type: 'string' },
        'client-secret-stdin': { type: 'boolean' },
        domain: { type: 'string', multiple: true },
        'create-unknown': { type: 'boolean' },
        'default-role': { type: 'string' },
        authority: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    const hint = 'run `ccx sso set --help`';
    // --client-id names the provider's client here; a --client-secret would be the CLI's, which is
    // too easily confused with the provider's to accept.
    if (values['client-secret'])
      throw new UsageError(
        '`ccx sso set` takes no --client-secret: pipe the provider’s secret in with --client-secret-stdin, and give the CLI’s own credentials with CCX_CLIENT_ID and CCX_CLIENT_SECRET or a profile',
        hint,
      );
    const clientId = values['client-id'];
    if (!values.issuer || !clientId || !values.domain?.length)
      throw new UsageError('give --issuer, --client-id and at least one --domain', hint);
    const defaultRole = oneOf('default-role', values['default-role'], DEFAULT_ROLES);
    const clientSecret = values['client-secret-stdin']
      ? await secretFromStdin(
          ctx.io,
          '--client-secret-stdin',
          `pipe it in, e.g.  printf '%s' "$OIDC_SECRET" | ccx sso set … --client-secret-stdin\n(or leave out --client-secret-stdin to keep the secret already stored)`,
        )
      : undefined;
    const { ccx } = await ctx.connect({ ...values, 'client-id': undefined });
    const provider = await ccx.identityProviders.set.mutate({
      issuer: values.issuer,
      clientId,
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      allowedDomains: values.domain,
      createUnknown: values['create-unknown'] === true,
      ...(defaultRole ? { defaultRole } : {}),
      ...(values.authority ? { authorityId: values.authority } : {}),
    });
    if (values.json) writeJson(ctx.io.stdout, provider);
    else printProvider(ctx.io.stdout, provider);
    writeLine(
      ctx.io.stderr,
      clientSecret !== undefined
        ? 'the client secret was saved; it is never shown again'
        : 'the client secret already stored was kept',
    );
    return EXIT.ok;
  },
};

const removeCommand: Command = {
  name: 'sso remove',
  summary: 'Remove your authority’s single sign-on.',
  usage: '[--authority <id>] [--json]',
  description:
    'Nobody can then sign in through the provider: people who did must be given a local account (a password and an authenticator app).',
  options: [authorityOption, ['--json', 'print JSON: {"removed": true|false}']],
  examples: ['ccx sso remove'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'sso remove',
      argv,
      { authority: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const result = await ccx.identityProviders.remove.mutate(
      values.authority ? { authorityId: values.authority } : {},
    );
    if (values.json) writeJson(ctx.io.stdout, result);
    else
      writeLine(
        ctx.io.stdout,
        result.removed
          ? 'single sign-on removed: people now sign in with a password and an authenticator app'
          : 'there was no single sign-on to remove',
      );
    return EXIT.ok;
  },
};

export const ssoCommands: Command[] = [showCommand, setCommand, removeCommand];
