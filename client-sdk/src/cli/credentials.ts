// Which hub and client the CLI acts as: each of url, client id and secret from its flag, else the
// environment (CCX_URL, CCX_CLIENT_ID, CCX_CLIENT_SECRET), else the config file `ccx login` wrote —
// which must be readable by its owner only, as ssh insists for private keys.
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

export type CredentialSource = 'flag' | 'environment' | 'config file';

export type Credentials = {
  url: string;
  clientId: string;
  clientSecret: string;
  sources: { url: CredentialSource; clientId: CredentialSource; clientSecret: CredentialSource };
  /** The config file, when any value came from it. */
  configFile?: string;
};

export type ConfigFile = { url: string; clientId: string; clientSecret: string };

/** The flags every command accepts. */
export type CredentialFlags = {
  url?: string | undefined;
  'client-id'?: string | undefined;
  'client-secret'?: string | undefined;
};

/** $CCX_CONFIG, else $XDG_CONFIG_HOME/ccx/config.json, else ~/.config/ccx/config.json. */
export const configPath = (io: CliIo): string => {
  if (io.env.CCX_CONFIG) return path.resolve(io.cwd, io.env.CCX_CONFIG);
  const base = io.env.XDG_CONFIG_HOME || path.join(io.env.HOME || homedir(), '.config');
  return path.join(base, 'ccx', 'config.json');
};

/** Reads the config file; undefined when there is none. Refuses one that others may read. */
export const readConfigFile = async (file: string): Promise<ConfigFile | undefined> => {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
  // Windows has no such permission bits; its ACLs keep a profile's files private by default.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8);
    throw new UsageError(
      `the config file ${file} holds a client secret but is accessible by others (mode ${octal}); refusing to use it`,
      `make it private with:  chmod 600 ${file}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UsageError(`the config file ${file} is not valid JSON`, 'run `ccx login` to write it again');
  }
  const c = parsed as Partial<Record<keyof ConfigFile, unknown>> | null;
  if (!c || typeof c.url !== 'string' || typeof c.clientId !== 'string' || typeof c.clientSecret !== 'string')
    throw new UsageError(
      `the config file ${file} must hold "url", "clientId" and "clientSecret"`,
      'run `ccx login` to write it again',
    );
  return { url: c.url, clientId: c.clientId, clientSecret: c.clientSecret };
};

/** Writes the config file with mode 600 (its folder 700), replacing any earlier one in one step. */
export const writeConfigFile = async (file: string, config: ConfigFile): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  // Created with mode 600 from the start, so the secret is never readable by others, even briefly.
  // 'wx' refuses a file already there (whose mode the open would keep); chmod before writing either way.
  await rm(tmp, { force: true });
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`, 'utf8');
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
};

export const checkUrl = (url: string, from: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${from}: "${url}" is not a URL`,
      'give the hub address, e.g. https://ccx.example.gov.uk',
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new UsageError(`${from}: "${url}" must be an http:// or https:// address`);
  return url.replace(/\/+$/, '');
};

const FIELDS = [
  { key: 'url', flag: '--url', env: 'CCX_URL', what: 'the hub URL' },
  { key: 'clientId', flag: '--client-id', env: 'CCX_CLIENT_ID', what: 'the client id' },
  { key: 'clientSecret', flag: '--client-secret', env: 'CCX_CLIENT_SECRET', what: 'the client secret' },
] as const;

/** Resolves each credential from its flag, the environment or the config file; names whatever is missing. */
export const resolveCredentials = async (flags: CredentialFlags, io: CliIo): Promise<Credentials> => {
  const fromFlags = { url: flags.url, clientId: flags['client-id'], clientSecret: flags['client-secret'] };
  const found: Partial<Record<keyof ConfigFile, { value: string; source: CredentialSource }>> = {};
  for (const f of FIELDS) {
    const flag = fromFlags[f.key];
    const env = io.env[f.env];
    if (flag) found[f.key] = { value: flag, source: 'flag' };
    else if (env) found[f.key] = { value: env, source: 'environment' };
  }
  const file = configPath(io);
  let usedFile = false;
  // The config file is read only when needed, so an unsafe one does not stop a fully given command line.
  if (FIELDS.some((f) => !found[f.key])) {
    const config = await readConfigFile(file);
    if (config)
      for (const f of FIELDS)
        if (!found[f.key] && config[f.key]) {
          found[f.key] = { value: config[f.key], source: 'config file' };
          usedFile = true;
        }
  }
  const missing = FIELDS.filter((f) => !found[f.key]);
  if (missing.length > 0)
    throw new UsageError(
      `missing ${missing.map((m) => m.what).join(', ')}`,
      [
        ...missing.map((m) => `  give ${m.flag} or set ${m.env}`),
        `  or run \`ccx login\` to save them in ${file}`,
      ].join('\n'),
    );
  const { url, clientId, clientSecret } = found as Required<typeof found>;
  return {
    url: checkUrl(
      url.value,
      url.source === 'flag' ? '--url' : url.source === 'environment' ? 'CCX_URL' : file,
    ),
    clientId: clientId.value,
    clientSecret: clientSecret.value,
    sources: { url: url.source, clientId: clientId.source, clientSecret: clientSecret.source },
    ...(usedFile ? { configFile: file } : {}),
  };
};
