// ccx profiles | profiles default: the hubs and clients saved by `ccx login`, which one is used when
// none is named, and changing that. Secrets are never shown.
import { parseCommand, type Command } from '../command.js';
import {
  checkProfileName,
  configPath,
  defaultProfileOf,
  readConfigFile,
  writeConfigFile,
} from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { writeJson, writeLine, writeTable } from '../output.js';

const profilesCommand: Command = {
  name: 'profiles',
  summary:
    'List the profiles of the config file (hub, client id, timeout), showing the default; never secrets.',
  usage: '[--json]',
  description: [
    'Each profile is one hub and client saved by `ccx login --profile <name>`. A command uses the profile',
    'named by --profile, else CCX_PROFILE, else the default one; a flag or variable for a single value',
    '(--url, CCX_CLIENT_ID …) still wins over the profile.',
  ].join('\n'),
  options: [['--json', 'print JSON']],
  offline: true,
  examples: ['ccx profiles', 'ccx profiles default bolton'],
  async run(argv, ctx) {
    const { values } = parseCommand('profiles', argv, { json: { type: 'boolean' } }, { min: 0, max: 0 });
    const { io } = ctx;
    const file = configPath(io);
    const config = await readConfigFile(file);
    const chosen = io.env.CCX_PROFILE ? checkProfileName(io.env.CCX_PROFILE, 'CCX_PROFILE') : undefined;
    const fallback = config ? defaultProfileOf(config) : undefined;
    const list = Object.entries(config?.profiles ?? {}).map(([name, p]) => ({
      name,
      default: name === fallback,
      url: p.url,
      clientId: p.clientId,
      ...(p.timeout !== undefined ? { timeout: p.timeout } : {}),
    }));
    if (values.json) {
      writeJson(io.stdout, { configFile: file, default: fallback ?? null, profiles: list });
      return EXIT.ok;
    }
    if (list.length === 0) {
      writeLine(io.stderr, `no profiles: there is no config file at ${file}; save one with \`ccx login\``);
      return EXIT.ok;
    }
    writeTable(
      io.stdout,
      ['profile', 'default', 'hub', 'client id', 'timeout'],
      list.map((p) => [
        p.name,
        p.default ? 'yes' : '',
        p.url,
        p.clientId,
        p.timeout === undefined ? '' : p.timeout === 0 ? 'none' : `${p.timeout} s`,
      ]),
    );
    writeLine(io.stderr, `from ${file}`);
    if (chosen) writeLine(io.stderr, `CCX_PROFILE=${chosen} is set: commands here use "${chosen}"`);
    else if (!fallback && list.length > 1)
      writeLine(
        io.stderr,
        'no default profile: name one with --profile, or set it with `ccx profiles default <name>`',
      );
    return EXIT.ok;
  },
};

const profilesDefaultCommand: Command = {
  name: 'profiles default',
  summary: 'Make a profile the one used when none is named.',
  usage: '<name>',
  offline: true,
  examples: ['ccx profiles default bolton'],
  async run(argv, ctx) {
    const { positionals } = parseCommand('profiles default', argv, {}, { min: 1, max: 1 });
    const name = checkProfileName(positionals[0]!, 'the profile');
    const file = configPath(ctx.io);
    const config = await readConfigFile(file);
    if (!config)
      throw new UsageError(
        `there is no config file at ${file}`,
        `save a profile with \`ccx login --profile ${name}\``,
      );
    if (!config.profiles[name])
      throw new UsageError(
        `no profile "${name}" in ${file} (it has: ${Object.keys(config.profiles).join(', ')})`,
        `save it with \`ccx login --profile ${name}\``,
      );
    await writeConfigFile(file, { ...config, default: name });
    writeLine(ctx.io.stdout, `"${name}" is the default profile now (${file})`);
    return EXIT.ok;
  },
};

export const profilesCommands: Command[] = [profilesCommand, profilesDefaultCommand];
