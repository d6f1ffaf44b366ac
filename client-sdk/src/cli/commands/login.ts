// ccx login | whoami | logout: saving credentials as a profile of the config file (mode 600) after
// checking them with the hub, and showing whom the CLI acts as.
import { unlink } from 'node:fs/promises';
import { createCcxClient } from '../../index.js';
import { parseCommand, type Command } from '../command.js';
import {
  checkUrl,
  configPath,
  DEFAULT_PROFILE,
  defaultProfileOf,
  namedProfile,
  parseTimeout,
  readConfigFile,
  writeConfigFile,
  type ConfigFile,
  type Profile,
} from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { writeJson, writeLine } from '../output.js';

/** The config file as it is, for login to add to; a file that is not valid is replaced (with a warning). */
const configToUpdate = async (file: string, io: CliIo): Promise<ConfigFile | undefined> => {
  try {
    return await readConfigFile(file);
  } catch (err) {
    // An unsafe file is refused as everywhere: its secrets may have been read already.
    if (err instanceof UsageError && !/is accessible by others/.test(err.message)) {
      writeLine(io.stderr, `ccx: warning: replacing ${file}, which was not usable: ${err.message}`);
      return undefined;
    }
    throw err;
  }
};

/**
 * A secret piped to standard input: one line, the line end dropped. `flag` names the option that asked
 * for it; `hint` shows how to pipe it in when standard input is a terminal.
 */
export const secretFromStdin = async (
  io: CliIo,
  flag = '--secret-stdin',
  hint = 'pipe it in, e.g.  printf \'%s\' "$CCX_CLIENT_SECRET" | ccx login --client-id ccx_… --secret-stdin\n(or leave out --secret-stdin to be asked for it without echo)',
): Promise<string> => {
  if (!io.stdin || io.stdin.isTTY)
    throw new UsageError(`${flag} reads the secret from standard input, which is a terminal here`, hint);
  const text = (await io.stdin.readAll()).replace(/^\uFEFF/, '').trim();
  if (!text) throw new UsageError(`${flag}: standard input was empty, so no secret was given`);
  if (/[\r\n]/.test(text))
    throw new UsageError(`${flag}: standard input must hold the secret alone, on one line`);
  return text;
};

const loginCommand: Command = {
  name: 'login',
  summary: 'Check a client’s credentials with the hub and save them as a profile of the config file.',
  usage:
    '[--profile <name>] [--url <url>] [--client-id <id>] [--client-secret <secret> | --secret-stdin] [--default]',
  description: [
    'Anything not given as a flag (or in CCX_URL, CCX_CLIENT_ID, CCX_CLIENT_SECRET) is asked for;',
    'the secret is not echoed. For scripts, --secret-stdin reads the secret from standard input instead',
    '(nothing is asked then: the URL and client id come from flags, the environment or the profile).',
    'The credentials are checked by fetching a token and asking the hub who they belong to, then saved',
    'as the profile (--profile, else CCX_PROFILE, else the default profile, else "default") in',
    '$CCX_CONFIG, else ~/.config/ccx/config.json, readable by you only (mode 600). The first profile',
    'saved is the default; --default makes this one the default. A --timeout given is saved too.',
    'A secret given as a flag is visible to other users in the process list: prefer --secret-stdin or',
    'typing it when asked.',
  ].join('\n'),
  options: [
    ['--profile <name>', 'the profile to save, e.g. bolton (else CCX_PROFILE, else the default)'],
    ['--url <url>', 'the hub address, e.g. https://ccx.example.gov.uk'],
    ['--client-id <id>', 'the API client id (ccx_…)'],
    ['--client-secret <secret>', 'its secret (visible in the process list: prefer --secret-stdin)'],
    ['--secret-stdin', 'read the secret from standard input'],
    ['--default', 'make this profile the default'],
    ['--timeout <seconds>', 'wait this long for the hub, now and whenever the profile is used'],
  ],
  offline: true,
  examples: [
    'ccx login --url https://ccx.example.gov.uk --client-id ccx_0123456789abcdefghij',
    'ccx login --profile bolton --url https://ccx.bolton.example.gov.uk --client-id ccx_… --default',
    `printf '%s' "$SECRET" | ccx login --url https://ccx.example.gov.uk --client-id ccx_… --secret-stdin`,
  ],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'login',
      argv,
      { 'secret-stdin': { type: 'boolean' }, default: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { io } = ctx;
    if (values['secret-stdin'] && values['client-secret'])
      throw new UsageError('give --client-secret or --secret-stdin, not both');
    const file = configPath(io);
    const config = await configToUpdate(file, io);
    const named = namedProfile(values, io);
    const name = named?.name ?? (config && defaultProfileOf(config)) ?? DEFAULT_PROFILE;
    const saved = config?.profiles[name];
    const stdin = values['secret-stdin'] === true;

    const ask = async (given: string | undefined, question: string, flag: string, secret = false) => {
      if (given) return given;
      if (stdin)
        throw new UsageError(`give ${flag}: with --secret-stdin nothing is asked`, 'run `ccx login --help`');
      if (!io.prompt)
        throw new UsageError(`give ${flag}: there is no terminal to ask on`, 'run `ccx login --help`');
      const answer = await io.prompt(question, { secret });
      if (!answer) throw new UsageError(`no ${flag.slice(2).replace('-', ' ')} given`);
      return answer;
    };
    // With the secret piped in, a profile already saved supplies the rest (a rotated secret, say).
    const fallback = stdin ? saved : undefined;
    const url = checkUrl(
      await ask(values.url ?? io.env.CCX_URL ?? fallback?.url, 'Hub URL: ', '--url'),
      '--url',
    );
    const clientId = await ask(
      values['client-id'] ?? io.env.CCX_CLIENT_ID ?? fallback?.clientId,
      'Client id: ',
      '--client-id',
    );
    const clientSecret = stdin
      ? await secretFromStdin(io)
      : await ask(
          values['client-secret'] ?? io.env.CCX_CLIENT_SECRET,
          'Client secret: ',
          '--client-secret',
          true,
        );
    const timeoutMs =
      values.timeout !== undefined
        ? parseTimeout(values.timeout, '--timeout')
        : io.env.CCX_TIMEOUT
          ? parseTimeout(io.env.CCX_TIMEOUT, 'CCX_TIMEOUT')
          : saved?.timeout !== undefined
            ? saved.timeout * 1000
            : undefined;

    const ccx = createCcxClient({
      baseUrl: url,
      clientId,
      clientSecret,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    // Refused credentials fail here, before anything is written: a token is fetched, then used.
    const me = await ccx.authorities.me.query();
    const caller = me.client ?? { name: me.person?.name ?? 'unknown', role: me.person?.role ?? 'unknown' };
    const timeout = values.timeout !== undefined ? (timeoutMs ?? 0) / 1000 : saved?.timeout;
    const profile: Profile = { url, clientId, clientSecret, ...(timeout !== undefined ? { timeout } : {}) };
    const profiles = { ...config?.profiles, [name]: profile };
    const current = config ? defaultProfileOf(config) : undefined;
    const isDefault = values.default === true || current === undefined || current === name;
    await writeConfigFile(file, { default: isDefault ? name : current, profiles });
    const where = name === DEFAULT_PROFILE ? `saved to ${file}` : `saved as profile "${name}" in ${file}`;
    writeLine(
      io.stdout,
      `logged in to ${url} as "${caller.name}" (${caller.role}) of ${me.authority.name}; ${where} (mode 600)`,
    );
    if (!isDefault)
      writeLine(
        io.stderr,
        `the default profile is still "${current}": use this one with --profile ${name} (or CCX_PROFILE=${name}), or make it the default with \`ccx profiles default ${name}\``,
      );
    return EXIT.ok;
  },
};

const logoutCommand: Command = {
  name: 'logout',
  summary: 'Remove a profile from the config file (the last one removes the file).',
  usage: '[--profile <name> | --all]',
  description: [
    'Removes the profile named by --profile (else CCX_PROFILE, else the default one). When it was the',
    'last, the config file is deleted; --all deletes the file and every profile in it.',
  ].join('\n'),
  options: [
    ['--profile <name>', 'the profile to remove'],
    ['--all', 'delete the config file with every profile'],
  ],
  offline: true,
  examples: ['ccx logout', 'ccx logout --profile bolton', 'ccx logout --all'],
  async run(argv, ctx) {
    const { values } = parseCommand('logout', argv, { all: { type: 'boolean' } }, { min: 0, max: 0 });
    const { io } = ctx;
    const file = configPath(io);
    const remove = async () => {
      try {
        await unlink(file);
        writeLine(io.stdout, `deleted ${file}`);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
        writeLine(io.stdout, `no config file at ${file}`);
      }
    };
    if (values.all) {
      if (values.profile) throw new UsageError('give --profile or --all, not both');
      await remove();
      return EXIT.ok;
    }
    const config = await readConfigFile(file);
    if (!config) {
      writeLine(io.stdout, `no config file at ${file}`);
      return EXIT.ok;
    }
    const named = namedProfile(values, io);
    const name = named?.name ?? defaultProfileOf(config);
    if (name === undefined)
      throw new UsageError(
        `${file} has several profiles and no default: say which to remove with --profile`,
        `its profiles: ${Object.keys(config.profiles).join(', ')}`,
      );
    if (!config.profiles[name])
      throw new UsageError(`no profile "${name}" in ${file}`, 'run `ccx profiles` to list them');
    const { [name]: _removed, ...rest } = config.profiles;
    if (Object.keys(rest).length === 0) {
      await remove();
      return EXIT.ok;
    }
    const remaining = { default: config.default === name ? undefined : config.default, profiles: rest };
    const nextDefault = defaultProfileOf(remaining);
    await writeConfigFile(file, { ...remaining, default: nextDefault });
    writeLine(io.stdout, `removed profile "${name}" from ${file}`);
    if (config.default === name)
      writeLine(
        io.stderr,
        nextDefault
          ? `"${nextDefault}" is the default profile now`
          : 'there is no default profile now: choose one with `ccx profiles default <name>`',
      );
    return EXIT.ok;
  },
};

const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show the hub, authority, client and role the CLI acts as, and where each credential came from.',
  usage: '[--json]',
  options: [['--json', 'print JSON']],
  examples: ['ccx whoami', 'ccx whoami --profile bolton'],
  async run(argv, ctx) {
    const { values } = parseCommand('whoami', argv, { json: { type: 'boolean' } }, { min: 0, max: 0 });
    const { ccx, credentials } = await ctx.connect(values);
    const me = await ccx.authorities.me.query();
    if (values.json) {
      writeJson(ctx.io.stdout, {
        url: credentials.url,
        ...(credentials.profile ? { profile: credentials.profile } : {}),
        sources: credentials.sources,
        timeoutSeconds: credentials.timeoutMs / 1000,
        ...me,
      });
      return EXIT.ok;
    }
    const s = credentials.sources;
    const from = (src: string) =>
      src === 'config file' && credentials.configFile
        ? `config file ${credentials.configFile}${credentials.profile ? ` (profile ${credentials.profile})` : ''}`
        : src;
    const sources =
      s.url === s.clientId && s.url === s.clientSecret
        ? `all from ${from(s.url)}`
        : `url from ${from(s.url)}, client id from ${from(s.clientId)}, secret from ${from(s.clientSecret)}`;
    for (const line of [
      `hub:          ${credentials.url}`,
      `authority:    ${me.authority.name} (${me.authority.id})${me.authority.isHost ? ', host authority' : ''}`,
      me.client
        ? `client:       ${me.client.name} (${me.client.id})`
        : `person:       ${me.person?.name ?? 'unknown'} (${me.person?.id ?? 'unknown'})`,
      `role:         ${me.client?.role ?? me.person?.role ?? 'unknown'}`,
      `QA inbox:     ${me.authority.qaInbox}`,
      `credentials:  ${sources}`,
      `timeout:      ${credentials.timeoutMs === 0 ? 'none' : `${credentials.timeoutMs / 1000} s`} (${s.timeout === 'config file' ? 'from the profile' : s.timeout === 'default' ? 'the default' : `from the ${s.timeout}`})`,
    ])
      writeLine(ctx.io.stdout, line);
    return EXIT.ok;
  },
};

export const loginCommands: Command[] = [loginCommand, logoutCommand, whoamiCommand];
