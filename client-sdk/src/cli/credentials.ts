// Which hub and client the CLI acts as: each of url, client id, secret and timeout from its flag, else the
// environment (CCX_URL, CCX_CLIENT_ID, CCX_CLIENT_SECRET, CCX_TIMEOUT), else the chosen profile of the
// config file `ccx login` wrote — which must be readable by its owner only, as ssh insists for private keys.
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TIMEOUT_MS } from '../timeout.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

export type CredentialSource = 'flag' | 'environment' | 'config file';

export type Credentials = {
  url: string;
  clientId: string;
  clientSecret: string;
  /** How long to wait for each answer of the hub, in ms (0: for ever). */
  timeoutMs: number;
  sources: {
    url: CredentialSource;
    clientId: CredentialSource;
    clientSecret: CredentialSource;
    timeout: CredentialSource | 'default';
  };
  /** The config file, when any value came from it. */
  configFile?: string;
  /** The profile of the config file the values came from, when any did. */
  profile?: string;
};

/** One hub and client, as saved by `ccx login`. `timeout` is in seconds. */
export type Profile = { url: string; clientId: string; clientSecret: string; timeout?: number };

/** The config file: named profiles and which of them is used when none is named. */
export type ConfigFile = { default?: string | undefined; profiles: Record<string, Profile> };

/** The profile a file of the original, single-profile form holds. */
export const DEFAULT_PROFILE = 'default';

/** The flags every command accepts. */
export type CredentialFlags = {
  url?: string | undefined;
  'client-id'?: string | undefined;
  'client-secret'?: string | undefined;
  profile?: string | undefined;
  timeout?: string | undefined;
};

/** $CCX_CONFIG, else $XDG_CONFIG_HOME/ccx/config.json, else ~/.config/ccx/config.json. */
export const configPath = (io: CliIo): string => {
  if (io.env.CCX_CONFIG) return path.resolve(io.cwd, io.env.CCX_CONFIG);
  const base = io.env.XDG_CONFIG_HOME || path.join(io.env.HOME || homedir(), '.config');
  return path.join(base, 'ccx', 'config.json');
};

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a profile name given on the command line or in CCX_PROFILE. */
export const checkProfileName = (name: string, from: string): string => {
  if (!PROFILE_NAME.test(name))
    throw new UsageError(
      `${from}: "${name}" is not a profile name`,
      'use letters, digits, ".", "_" and "-" (at most 64), e.g. bolton or bolton-test',
    );
  return name;
};

/** Seconds as given to --timeout or CCX_TIMEOUT (0: wait for ever), in ms. */
export const parseTimeout = (value: string, from: string): number => {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 86_400)
    throw new UsageError(`${from} must be a number of seconds from 0 to 86400, e.g. 60 (0: wait for ever)`);
  return Math.round(seconds * 1000);
};

const invalid = (file: string, what: string): UsageError =>
  new UsageError(
    `the config file ${file} ${what}`,
    `fix it, or delete it and run \`ccx login\` to write it again`,
  );

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const readProfile = (file: string, name: string, raw: unknown): Profile => {
  const where = name === DEFAULT_PROFILE ? '' : ` (profile "${name}")`;
  if (
    !isRecord(raw) ||
    typeof raw.url !== 'string' ||
    typeof raw.clientId !== 'string' ||
    typeof raw.clientSecret !== 'string'
  )
    throw invalid(file, `must hold "url", "clientId" and "clientSecret"${where}`);
  if (raw.timeout !== undefined && (typeof raw.timeout !== 'number' || !(raw.timeout >= 0)))
    throw invalid(file, `has a "timeout" that is not a number of seconds${where}`);
  return {
    url: raw.url,
    clientId: raw.clientId,
    clientSecret: raw.clientSecret,
    ...(typeof raw.timeout === 'number' ? { timeout: raw.timeout } : {}),
  };
};

/**
 * The config file's profiles. A file of the original form (`{ url, clientId, clientSecret }`) is read as
 * the one profile "default"; it is written back in that form while it has no other profile.
 */
export const parseConfig = (file: string, parsed: unknown): ConfigFile => {
  if (!isRecord(parsed)) throw invalid(file, 'must hold a JSON object');
  if (parsed.profiles === undefined)
    return {
      default: DEFAULT_PROFILE,
      profiles: { [DEFAULT_PROFILE]: readProfile(file, DEFAULT_PROFILE, parsed) },
    };
  if (!isRecord(parsed.profiles)) throw invalid(file, 'has "profiles" that is not an object');
  const profiles: Record<string, Profile> = {};
  for (const [name, raw] of Object.entries(parsed.profiles)) profiles[name] = readProfile(file, name, raw);
  if (parsed.default !== undefined && typeof parsed.default !== 'string')
    throw invalid(file, 'has a "default" that is not a profile name');
  return { default: parsed.default, profiles };
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
    throw invalid(file, 'is not valid JSON');
  }
  return parseConfig(file, parsed);
};

/** The file's text: the original flat form for a lone "default" profile (earlier versions read it too). */
const formatConfig = (config: ConfigFile): string => {
  const names = Object.keys(config.profiles);
  const only = config.profiles[DEFAULT_PROFILE];
  const value =
    names.length === 1 && only && (config.default ?? DEFAULT_PROFILE) === DEFAULT_PROFILE
      ? only
      : { ...(config.default ? { default: config.default } : {}), profiles: config.profiles };
  return `${JSON.stringify(value, null, 2)}\n`;
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
    await handle.writeFile(formatConfig(config), 'utf8');
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

/** The profile used when none is named: the file's default, else its only profile. */
export const defaultProfileOf = (config: ConfigFile): string | undefined => {
  if (config.default && config.profiles[config.default]) return config.default;
  const names = Object.keys(config.profiles);
  return names.length === 1 ? names[0] : undefined;
};

/** The profile named by --profile, else CCX_PROFILE; undefined when neither names one. */
export const namedProfile = (
  flags: CredentialFlags,
  io: CliIo,
): { name: string; from: string } | undefined => {
  if (flags.profile) return { name: checkProfileName(flags.profile, '--profile'), from: '--profile' };
  if (io.env.CCX_PROFILE)
    return { name: checkProfileName(io.env.CCX_PROFILE, 'CCX_PROFILE'), from: 'CCX_PROFILE' };
  return undefined;
};

const noSuchProfile = (name: string, from: string, file: string, config: ConfigFile | undefined) =>
  new UsageError(
    config
      ? `${from}: no profile "${name}" in ${file} (it has: ${Object.keys(config.profiles).join(', ') || 'none'})`
      : `${from}: no profile "${name}": there is no config file at ${file}`,
    `run \`ccx login --profile ${name}\` to save one, or \`ccx profiles\` to list them`,
  );

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

type Field = (typeof FIELDS)[number]['key'];

/**
 * Resolves each credential from its flag, the environment or the chosen profile; names whatever is
 * missing. The config file is read only when a credential is missing or a profile is named, so an
 * unsafe one does not stop a fully given command line.
 */
export const resolveCredentials = async (flags: CredentialFlags, io: CliIo): Promise<Credentials> => {
  const fromFlags = { url: flags.url, clientId: flags['client-id'], clientSecret: flags['client-secret'] };
  const found: Partial<Record<Field, { value: string; source: CredentialSource }>> = {};
  for (const f of FIELDS) {
    const flag = fromFlags[f.key];
    const env = io.env[f.env];
    if (flag) found[f.key] = { value: flag, source: 'flag' };
    else if (env) found[f.key] = { value: env, source: 'environment' };
  }
  const named = namedProfile(flags, io);
  const file = configPath(io);
  let profileName: string | undefined;
  let profile: Profile | undefined;
  let config: ConfigFile | undefined;
  if (named || FIELDS.some((f) => !found[f.key])) {
    config = await readConfigFile(file);
    if (named) {
      profile = config?.profiles[named.name];
      if (!profile) throw noSuchProfile(named.name, named.from, file, config);
      profileName = named.name;
    } else if (config) {
      profileName = defaultProfileOf(config);
      profile = profileName === undefined ? undefined : config.profiles[profileName];
    }
  }
  let usedFile = false;
  if (profile)
    for (const f of FIELDS)
      if (!found[f.key] && profile[f.key]) {
        found[f.key] = { value: profile[f.key], source: 'config file' };
        usedFile = true;
      }
  const missing = FIELDS.filter((f) => !found[f.key]);
  if (missing.length > 0) {
    const names = config && !profile ? Object.keys(config.profiles) : [];
    throw new UsageError(
      `missing ${missing.map((m) => m.what).join(', ')}`,
      [
        ...missing.map((m) => `  give ${m.flag} or set ${m.env}`),
        names.length > 1
          ? `  or choose a profile of ${file} with --profile or CCX_PROFILE (${names.join(', ')}), or set the default with \`ccx profiles default <name>\``
          : `  or run \`ccx login\` to save them in ${file}`,
      ].join('\n'),
    );
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let timeoutSource: Credentials['sources']['timeout'] = 'default';
  if (flags.timeout !== undefined) {
    timeoutMs = parseTimeout(flags.timeout, '--timeout');
    timeoutSource = 'flag';
  } else if (io.env.CCX_TIMEOUT) {
    timeoutMs = parseTimeout(io.env.CCX_TIMEOUT, 'CCX_TIMEOUT');
    timeoutSource = 'environment';
  } else if (profile?.timeout !== undefined) {
    timeoutMs = Math.round(profile.timeout * 1000);
    timeoutSource = 'config file';
    usedFile = true;
  }
  const { url, clientId, clientSecret } = found as Required<typeof found>;
  return {
    url: checkUrl(
      url.value,
      url.source === 'flag' ? '--url' : url.source === 'environment' ? 'CCX_URL' : file,
    ),
    clientId: clientId.value,
    clientSecret: clientSecret.value,
    timeoutMs,
    sources: {
      url: url.source,
      clientId: clientId.source,
      clientSecret: clientSecret.source,
      timeout: timeoutSource,
    },
    ...(usedFile ? { configFile: file, ...(profileName ? { profile: profileName } : {}) } : {}),
  };
};
