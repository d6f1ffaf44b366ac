// What a command is, how its arguments are parsed (node:util parseArgs, strict), and its --help text.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createCcxClient, type CcxClient } from '../index.js';
import { resolveCredentials, type CredentialFlags, type Credentials } from './credentials.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

/** The option definitions parseArgs takes. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export type Connection = { ccx: CcxClient; credentials: Credentials };

export type CommandContext = {
  io: CliIo;
  /** A client of the hub, with the credentials resolved from these flags, the environment or the config file. */
  connect(flags: CredentialFlags): Promise<Connection>;
};

export type Command = {
  /** The words that name it: `check`, `placements import`. */
  name: string;
  summary: string;
  /** What follows the name in the usage line. */
  usage: string;
  description?: string;
  /** Its own options, as shown by --help. */
  options?: readonly (readonly [flag: string, text: string])[];
  examples?: readonly string[];
  /** The values an option allows, by its long flag (`--role`): shell completion offers them. */
  choices?: Readonly<Record<string, readonly string[]>>;
  /** Without credentials (login, help). */
  offline?: boolean;
  run(argv: string[], ctx: CommandContext): Promise<number>;
};

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  profile: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** The global options' help: how to reach the hub (the first CONNECTION_HELP lines), then --help. */
export const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ['--url <url>', 'the hub address (else CCX_URL, else the profile)'],
  ['--client-id <id>', 'the API client id (else CCX_CLIENT_ID, else the profile)'],
  ['--client-secret <secret>', 'its secret (else CCX_CLIENT_SECRET, else the profile)'],
  ['--profile <name>', 'the saved profile to use (else CCX_PROFILE, else the default one)'],
  ['--timeout <seconds>', 'how long to wait for the hub (else CCX_TIMEOUT, else the profile, else 30)'],
  ['-h, --help', 'show help for the command'],
];
const CONNECTION_HELP = 5;

const hintFor = (name: string) => `run \`ccx ${name} --help\` for its usage`;

/**
 * Parses a command's arguments strictly with its own options and the global ones; an unknown option,
 * a missing value or a wrong number of arguments is a usage error (exit 2).
 */
export const parseCommand = <const O extends OptionsConfig>(
  name: string,
  argv: string[],
  options: O,
  positionals: { min: number; max: number },
) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const e = err as { code?: string; message: string };
    const unknown = /^Unknown option '([^']+)'/.exec(e.message);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown)
      throw new UsageError(`unknown option ${unknown[1]} for \`ccx ${name}\``, hintFor(name));
    throw new UsageError(e.message.split('. ')[0]!.replace(/\.$/, ''), hintFor(name));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min)
    throw new UsageError(
      `\`ccx ${name}\` needs ${positionals.min === positionals.max ? '' : 'at least '}${positionals.min} argument${positionals.min === 1 ? '' : 's'}`,
      hintFor(name),
    );
  if (count > positionals.max)
    throw new UsageError(
      `unexpected argument${count - positionals.max === 1 ? '' : 's'} for \`ccx ${name}\`: ${parsed.positionals.slice(positionals.max).join(' ')}`,
      hintFor(name),
    );
  return parsed;
};

/** Parses an integer option, or undefined when absent. */
export const intOption = (
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** Checks an option against its allowed values. */
export const oneOf = <T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
};

const optionLines = (options: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...options.map(([flag]) => flag.length));
  return options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
};

/** The --help text of a command. */
export const commandHelp = (cmd: Command): string => {
  const lines = [`Usage: ccx ${cmd.name}${cmd.usage ? ` ${cmd.usage}` : ''}`, '', cmd.summary];
  if (cmd.description) lines.push('', cmd.description);
  if (cmd.options?.length) lines.push('', 'Options:', ...optionLines(cmd.options));
  if (!cmd.offline) {
    // A command's own option of the same flag (`ccx sso set --client-id`) takes the place of the global
    // one; the client secret goes with the client id it belongs to.
    const own = new Set((cmd.options ?? []).map(([flag]) => flag.split(' ')[0]));
    if (own.has('--client-id')) own.add('--client-secret');
    const credentials = GLOBAL_HELP.slice(0, CONNECTION_HELP).filter(
      ([flag]) => !own.has(flag.split(' ')[0]),
    );
    lines.push('', 'Credentials:', ...optionLines(credentials));
  }
  if (cmd.examples?.length) lines.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
};

/** The client for resolved credentials. */
export const connectWith = async (flags: CredentialFlags, io: CliIo): Promise<Connection> => {
  const credentials = await resolveCredentials(flags, io);
  const ccx = createCcxClient({
    baseUrl: credentials.url,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    timeoutMs: credentials.timeoutMs,
  });
  return { ccx, credentials };
};
