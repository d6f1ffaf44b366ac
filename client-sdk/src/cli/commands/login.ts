// ccx login | whoami | logout: saving credentials in the config file (mode 600) after checking them
// with the hub, and showing whom the CLI acts as.
import { unlink } from 'node:fs/promises';
import { createCcxClient } from '../../index.js';
import { parseCommand, type Command } from '../command.js';
import { checkUrl, configPath, writeConfigFile } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { writeJson, writeLine } from '../output.js';

const loginCommand: Command = {
  name: 'login',
  summary: 'Check a client’s credentials with the hub and save them in the config file.',
  usage: '[--url <url>] [--client-id <id>] [--client-secret <secret>]',
  description: [
    'Anything not given as a flag (or in CCX_URL, CCX_CLIENT_ID, CCX_CLIENT_SECRET) is asked for;',
    'the secret is not echoed. The credentials are checked by fetching a token and asking the hub',
    'who they belong to, then written to $CCX_CONFIG, else ~/.config/ccx/config.json, readable by',
    'you only (mode 600). A flag on the command line is visible to other users in the process list:',
    'prefer typing the secret when asked.',
  ].join('\n'),
  options: [
    ['--url <url>', 'the hub address, e.g. https://ccx.example.gov.uk'],
    ['--client-id <id>', 'the API client id (ccx_…)'],
    ['--client-secret <secret>', 'its secret'],
  ],
  offline: true,
  examples: ['ccx login --url https://ccx.example.gov.uk --client-id ccx_0123456789abcdefghij'],
  async run(argv, ctx) {
    const { values } = parseCommand('login', argv, {}, { min: 0, max: 0 });
    const { io } = ctx;
    const ask = async (given: string | undefined, question: string, flag: string, secret = false) => {
      if (given) return given;
      if (!io.prompt)
        throw new UsageError(`give ${flag}: there is no terminal to ask on`, 'run `ccx login --help`');
      const answer = await io.prompt(question, { secret });
      if (!answer) throw new UsageError(`no ${flag.slice(2).replace('-', ' ')} given`);
      return answer;
    };
    const url = checkUrl(await ask(values.url ?? io.env.CCX_URL, 'Hub URL: ', '--url'), '--url');
    const clientId = await ask(values['client-id'] ?? io.env.CCX_CLIENT_ID, 'Client id: ', '--client-id');
    const clientSecret = await ask(
      values['client-secret'] ?? io.env.CCX_CLIENT_SECRET,
      'Client secret: ',
      '--client-secret',
      true,
    );
    const ccx = createCcxClient({ baseUrl: url, clientId, clientSecret });
    // Refused credentials fail here, before anything is written.
    const me = await ccx.authorities.me.query();
    const file = configPath(io);
    await writeConfigFile(file, { url, clientId, clientSecret });
    writeLine(
      io.stdout,
      `logged in to ${url} as "${me.client.name}" (${me.client.role}) of ${me.authority.name}; saved to ${file} (mode 600)`,
    );
    return EXIT.ok;
  },
};

const logoutCommand: Command = {
  name: 'logout',
  summary: 'Delete the config file that `ccx login` wrote.',
  usage: '',
  offline: true,
  examples: ['ccx logout'],
  async run(argv, ctx) {
    parseCommand('logout', argv, {}, { min: 0, max: 0 });
    const file = configPath(ctx.io);
    try {
      await unlink(file);
      writeLine(ctx.io.stdout, `deleted ${file}`);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
      writeLine(ctx.io.stdout, `no config file at ${file}`);
    }
    return EXIT.ok;
  },
};

const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show the hub, authority, client and role the CLI acts as, and where each credential came from.',
  usage: '[--json]',
  options: [['--json', 'print JSON']],
  examples: ['ccx whoami'],
  async run(argv, ctx) {
    const { values } = parseCommand('whoami', argv, { json: { type: 'boolean' } }, { min: 0, max: 0 });
    const { ccx, credentials } = await ctx.connect(values);
    const me = await ccx.authorities.me.query();
    if (values.json) {
      writeJson(ctx.io.stdout, { url: credentials.url, sources: credentials.sources, ...me });
      return EXIT.ok;
    }
    const s = credentials.sources;
    const from = (src: string) =>
      src === 'config file' && credentials.configFile ? `config file ${credentials.configFile}` : src;
    const sources =
      s.url === s.clientId && s.url === s.clientSecret
        ? `all from ${from(s.url)}`
        : `url from ${from(s.url)}, client id from ${from(s.clientId)}, secret from ${from(s.clientSecret)}`;
    for (const line of [
      `hub:          ${credentials.url}`,
      `authority:    ${me.authority.name} (${me.authority.id})${me.authority.isHost ? ', host authority' : ''}`,
      `client:       ${me.client.name} (${me.client.id})`,
      `role:         ${me.client.role}`,
      `QA inbox:     ${me.authority.qaInbox}`,
      `credentials:  ${sources}`,
    ])
      writeLine(ctx.io.stdout, line);
    return EXIT.ok;
  },
};

export const loginCommands: Command[] = [loginCommand, logoutCommand, whoamiCommand];
