// The ccx command line: finds the command in argv, prints help and the version, runs the command and
// turns any failure into a message and an exit code. `main(argv, io)` runs in-process for tests.
import { readFileSync } from 'node:fs';
import { commandHelp, connectWith, GLOBAL_HELP, type Command, type CommandContext } from './command.js';
import { authoritiesCommands } from './commands/authorities.js';
import { checkCommand } from './commands/check.js';
import { clientsCommands } from './commands/clients.js';
import { eventsTailCommand } from './commands/events.js';
import { exportCommand } from './commands/export.js';
import { loginCommands } from './commands/login.js';
import { monitoringCommands } from './commands/monitoring.js';
import { outcomesCommands } from './commands/outcomes.js';
import { peopleCommands } from './commands/people.js';
import { placementsCommands } from './commands/placements.js';
import { profilesCommands } from './commands/profiles.js';
import { restrictionsCommands } from './commands/restrictions.js';
import { concernsCommands } from './commands/concerns.js';
import { deadlinesCommands } from './commands/deadlines.js';
import { directoryCommands } from './commands/directory.js';
import { ssoCommands } from './commands/sso.js';
import { completionCommand } from './completion.js';
import { EXIT, reportError, UsageError } from './errors.js';
import type { CliIo } from './io.js';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  ...placementsCommands,
  ...outcomesCommands,
  ...restrictionsCommands,
  ...concernsCommands,
  ...deadlinesCommands,
  ...directoryCommands,
  exportCommand,
  eventsTailCommand,
  ...authoritiesCommands,
  ...monitoringCommands,
  ...clientsCommands,
  ...peopleCommands,
  ...ssoCommands,
  ...loginCommands,
  ...profilesCommands,
  completionCommand(
    () => COMMANDS,
    () => version(),
  ),
];

const GROUP_SUMMARIES: Record<string, string> = {
  placements: 'your authority’s placement declarations',
  outcomes: 'monitoring outcomes',
  restrictions: 'restrictions and embargoes',
  concerns: 'concerns about a setting, their levels and lifecycle, and risk ratings',
  deadlines: 'deadlines passed or due soon on your records and the settings you lead',
  directory: 'corrections of settings and providers, and merging duplicates (hub-admin)',
  events: 'the event feed',
  authorities: 'member authorities (create and update: hub-admin)',
  monitoring: 'the partnership’s monitoring report (hub-admin)',
  clients: 'API clients of an authority (admin)',
  people: 'the people who sign in for an authority (admin)',
  sso: 'an authority’s single sign-on (admin)',
  profiles: 'the profiles of the config file',
};

const groupOf = (name: string): string | undefined => (name.includes(' ') ? name.split(' ')[0] : undefined);
const GROUPS = new Set(COMMANDS.flatMap((c) => groupOf(c.name) ?? []));

/** The version of the @ccx/client package the CLI ships in (the same path from src/cli and dist/cli). */
export const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

const topHelp = (): string => {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    'ccx — the command line of the Children’s Commissioning Exchange hub',
    '',
    'Usage: ccx <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Credentials (each from its flag, else the environment, else the profile `ccx login` saved):',
    ...GLOBAL_HELP.map(([flag, text]) => `  ${flag.padEnd(24)}  ${text}`),
    '  --version                 print the version',
    '',
    'Completion: source <(ccx completion bash)   (or zsh, fish: see `ccx completion --help`)',
    '',
    'Exit codes: 0 ok, 1 the command failed, 2 usage error; ccx check: 3 caution, 4 not found, 5 do-not-place.',
    'Run `ccx <command> --help` for a command’s options and examples. Documentation: docs/cli.md',
  ];
  return `${lines.join('\n')}\n`;
};

const groupHelp = (group: string): string => {
  const subs = COMMANDS.filter((c) => groupOf(c.name) === group);
  // A group that is also a command of its own (`ccx profiles`): its help, then its subcommands.
  const bare = findCommand([group]);
  if (bare)
    return [
      commandHelp(bare).trimEnd(),
      '',
      'Commands:',
      ...subs.map((c) => `  ${c.name}  ${c.summary}`),
      '',
    ].join('\n');
  const width = Math.max(...subs.map((c) => c.name.length));
  return [
    `Usage: ccx ${group} <${subs.map((c) => c.name.split(' ')[1]).join('|')}> [options]`,
    '',
    `Commands for ${GROUP_SUMMARIES[group] ?? group}:`,
    ...subs.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`ccx ${group} <command> --help\` for its options.`,
    '',
  ].join('\n');
};

/** Edit distance, to suggest the command that was probably meant. */
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
};

const suggest = (word: string, candidates: readonly string[]): string | undefined => {
  const best = candidates
    .map((c) => ({ c, d: c.startsWith(word) ? 0 : distance(word, c) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? best.c : undefined;
};

const unknown = (what: string, word: string, candidates: readonly string[], helpCmd: string): UsageError => {
  const guess = suggest(word, candidates);
  return new UsageError(
    `unknown ${what} "${word}"${guess ? ` — did you mean "${guess}"?` : ''}`,
    `run \`${helpCmd}\` for the list`,
  );
};

/** Global options that take a value, so their value is not taken for the command's name. */
const VALUED_GLOBALS = new Set(['--url', '--client-id', '--client-secret', '--profile', '--timeout']);

/** The positions of the first `count` words of argv that are not options or their values. */
const commandWords = (argv: readonly string[], count: number): number[] => {
  const found: number[] = [];
  for (let i = 0; i < argv.length && found.length < count; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      if (VALUED_GLOBALS.has(a)) i++;
      continue;
    }
    found.push(i);
  }
  return found;
};

const wantsHelp = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

const findCommand = (words: readonly string[]): Command | undefined =>
  COMMANDS.find((c) => c.name === words.join(' '));

const run = async (argv: string[], io: CliIo): Promise<number> => {
  const [firstAt] = commandWords(argv, 1);
  const first = firstAt === undefined ? undefined : argv[firstAt];
  if (first === undefined || firstAt === undefined) {
    if (argv.includes('--version') || argv.includes('-V')) {
      io.stdout.write(`ccx ${version()}\n`);
      return EXIT.ok;
    }
    if (wantsHelp(argv)) {
      io.stdout.write(topHelp());
      return EXIT.ok;
    }
    io.stderr.write(topHelp());
    if (argv.length === 0) return EXIT.usage;
    throw new UsageError(`no command given (${argv.join(' ')})`);
  }
  const topWords = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!)), 'help'];

  if (first === 'help') {
    const rest = argv.slice(firstAt + 1).filter((a) => !a.startsWith('-'));
    const cmd = findCommand(rest);
    if (cmd) io.stdout.write(commandHelp(cmd));
    else if (rest.length === 1 && GROUPS.has(rest[0]!)) io.stdout.write(groupHelp(rest[0]!));
    else if (rest.length === 0) io.stdout.write(topHelp());
    else
      throw unknown(
        'command',
        rest.join(' '),
        COMMANDS.map((c) => c.name),
        'ccx --help',
      );
    return EXIT.ok;
  }

  if (!topWords.includes(first)) throw unknown('command', first, topWords, 'ccx --help');
  const rest = [...argv.slice(0, firstAt), ...argv.slice(firstAt + 1)];
  let command: Command | undefined;
  let args = rest;
  if (GROUPS.has(first)) {
    const [subAt] = commandWords(rest, 1);
    const sub = subAt === undefined ? undefined : rest[subAt];
    const bare = findCommand([first]);
    if (sub === undefined || subAt === undefined) {
      // `ccx profiles`: a group that is a command of its own runs it; --help shows it with its subcommands.
      if (wantsHelp(rest)) {
        io.stdout.write(groupHelp(first));
        return EXIT.ok;
      }
      if (!bare) {
        io.stderr.write(groupHelp(first));
        throw new UsageError(`\`ccx ${first}\` needs a command`);
      }
      command = bare;
    } else {
      command = findCommand([first, sub]);
      if (!command)
        throw unknown(
          `${first} command`,
          sub,
          COMMANDS.filter((c) => groupOf(c.name) === first).map((c) => c.name.split(' ')[1]!),
          `ccx ${first} --help`,
        );
      args = [...rest.slice(0, subAt), ...rest.slice(subAt + 1)];
    }
  } else command = findCommand([first]);
  if (!command) throw unknown('command', first, topWords, 'ccx --help');

  if (wantsHelp(args)) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  const ctx: CommandContext = { io, connect: (flags) => connectWith(flags, io) };
  return command.run(args, ctx);
};

/** Runs the command line; answers the exit code. Every failure is printed as a message, never a stack. */
export const main = async (argv: string[], io: CliIo): Promise<number> => {
  try {
    return await run(argv, io);
  } catch (err) {
    return reportError(err, io);
  }
};
