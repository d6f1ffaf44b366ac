// `ccx` with several hubs or clients: named profiles in the one config file (mode 600), chosen by
// --profile or CCX_PROFILE, else the default; `ccx profiles` lists them without secrets; the original
// single-profile file is still read; and `ccx login --secret-stdin` takes the secret from a pipe.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type CliCreds, type CliEnv, type CliRun, isolatedEnv, runInDir, spawnCli } from '../support/cli.js';
import { httpTest as test } from '../support/http.js';

let dir: string;
let bolton: CliCreds;
let medway: CliCreds;

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-profiles-'));
  const make = async (id: string, name: string) => {
    const authority = await h.makeAuthority({ id, name });
    const made = await h.makeClient(authority.id, 'officer', `${id} officer`);
    return { id: made.client.id, secret: made.clientSecret };
  };
  bolton = await make('bolton', 'Bolton Council');
  medway = await make('medway', 'Medway Council');
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const envWith = (config: string, extra: Record<string, string> = {}): CliEnv =>
  isolatedEnv(dir, config, extra);

const runIn = (args: string[], env: CliEnv, stdin?: string): Promise<CliRun> =>
  runInDir(dir, args, env, stdin);

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const json = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

describe('named profiles', () => {
  test('login saves each profile; the first is the default; --profile, CCX_PROFILE and flags choose', async ({
    h,
  }) => {
    const config = path.join(dir, 'two', 'config.json');
    const env = envWith(config);
    const first = await runIn(
      ['login', '--profile', 'bolton', '--url', h.baseUrl, '--client-id', bolton.id, '--secret-stdin'],
      env,
      `${bolton.secret}\n`,
    );
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain(
      `as "bolton officer" (officer) of Bolton Council; saved as profile "bolton" in ${config} (mode 600)`,
    );
    const second = await runIn(
      [
        'login',
        '--profile',
        'medway',
        '--url',
        h.baseUrl,
        '--client-id',
        medway.id,
        '--client-secret',
        medway.secret,
        '--timeout',
        '45',
      ],
      env,
    );
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('the default profile is still "bolton"');
    expect(await modeOf(config)).toBe(0o600);
    expect(await json(config)).toEqual({
      default: 'bolton',
      profiles: {
        bolton: { url: h.baseUrl, clientId: bolton.id, clientSecret: bolton.secret },
        medway: { url: h.baseUrl, clientId: medway.id, clientSecret: medway.secret, timeout: 45 },
      },
    });

    // The list: which is the default, hub, client id, timeout; never a secret.
    const list = await runIn(['profiles'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^PROFILE\s+DEFAULT\s+HUB\s+CLIENT ID\s+TIMEOUT$/);
    expect(list.stdout).toMatch(new RegExp(`bolton\\s+yes\\s+${h.baseUrl}\\s+${bolton.id}`));
    expect(list.stdout).toMatch(new RegExp(`medway\\s+${h.baseUrl}\\s+${medway.id}\\s+45 s`));
    const listed = JSON.parse((await runIn(['profiles', '--json'], env)).stdout) as {
      default: string;
      profiles: unknown[];
    };
    expect(listed.default).toBe('bolton');
    expect(listed.profiles).toHaveLength(2);
    for (const out of [list.stdout, list.stderr, JSON.stringify(listed)]) {
      expect(out).not.toContain(bolton.secret);
      expect(out).not.toContain(medway.secret);
    }

    const whoami = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runIn(['whoami', '--json', ...args], { ...env, ...extra });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as {
        authority: { id: string };
        profile?: string;
        timeoutSeconds: number;
        sources: Record<string, string>;
      };
    };
    expect(await whoami([])).toMatchObject({
      authority: { id: 'bolton' },
      profile: 'bolton',
      timeoutSeconds: 30,
    });
    expect(await whoami(['--profile', 'medway'])).toMatchObject({
      authority: { id: 'medway' },
      profile: 'medway',
      timeoutSeconds: 45,
      sources: {
        url: 'config file',
        clientId: 'config file',
        clientSecret: 'config file',
        timeout: 'config file',
      },
    });
    expect(await whoami([], { CCX_PROFILE: 'medway' })).toMatchObject({ authority: { id: 'medway' } });
    // The flag beats the environment, and a single value given beats the profile's.
    expect(await whoami(['--profile', 'bolton'], { CCX_PROFILE: 'medway' })).toMatchObject({
      authority: { id: 'bolton' },
    });
    expect(
      await whoami(['--client-id', medway.id, '--client-secret', medway.secret], { CCX_PROFILE: 'bolton' }),
    ).toMatchObject({ authority: { id: 'medway' }, sources: { url: 'config file', clientId: 'flag' } });
    const text = await runIn(['whoami', '--profile', 'medway'], env);
    expect(text.stdout).toContain(`credentials:  all from config file ${config} (profile medway)`);
    expect(text.stdout).toContain('timeout:      45 s (from the profile)');

    const unknown = await runIn(['whoami', '--profile', 'wigan'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`--profile: no profile "wigan" in ${config} (it has: bolton, medway)`);
    const badName = await runIn(['whoami'], { ...env, CCX_PROFILE: '../etc' });
    expect([badName.code, badName.stderr]).toEqual([2, expect.stringContaining('is not a profile name')]);

    // Changing the default.
    const setDefault = await runIn(['profiles', 'default', 'medway'], env);
    expect([setDefault.code, setDefault.stdout]).toEqual([
      0,
      expect.stringContaining('"medway" is the default profile now'),
    ]);
    expect(await whoami([])).toMatchObject({ authority: { id: 'medway' } });
    expect((await runIn(['profiles', 'default', 'wigan'], env)).code).toBe(2);
    expect(await modeOf(config)).toBe(0o600);

    // Logging out of one profile keeps the other (now the default); the last removes the file.
    const out = await runIn(['logout', '--profile', 'medway'], env);
    expect(out.stdout).toContain(`removed profile "medway" from ${config}`);
    expect(out.stderr).toContain('"bolton" is the default profile now');
    expect(await whoami([])).toMatchObject({ authority: { id: 'bolton' } });
    expect((await runIn(['logout'], env)).stdout).toContain(`deleted ${config}`);
    await expect(stat(config)).rejects.toThrow();
  });

  test('a config file of the original single-profile form is read as the profile "default", and kept in that form until another is added', async ({
    h,
  }) => {
    const config = path.join(dir, 'old.json');
    const flat = { url: h.baseUrl, clientId: bolton.id, clientSecret: bolton.secret };
    await writeFile(config, JSON.stringify(flat), { mode: 0o600 });
    const env = envWith(config);
    const who = await runIn(['whoami'], env);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(`credentials:  all from config file ${config} (profile default)`);
    expect((await runIn(['profiles'], env)).stdout).toMatch(/default\s+yes/);

    // Logging in again to the same profile keeps the flat form, which older versions of ccx read.
    expect((await runIn(['login', '--secret-stdin'], env, bolton.secret)).code).toBe(0);
    expect(await json(config)).toEqual(flat);
    // A second profile turns it into the profiles form; "default" stays the default.
    const added = await runIn(
      ['login', '--profile', 'medway', '--url', h.baseUrl, '--client-id', medway.id, '--secret-stdin'],
      env,
      medway.secret,
    );
    expect(added.code).toBe(0);
    expect(await json(config)).toMatchObject({
      default: 'default',
      profiles: { default: flat, medway: { clientId: medway.id } },
    });
    expect(await modeOf(config)).toBe(0o600);
    expect(JSON.parse((await runIn(['whoami', '--json'], env)).stdout)).toMatchObject({
      authority: { id: 'bolton' },
    });
  });
});

describe('ccx login --secret-stdin', () => {
  test('checks the piped secret with the hub before saving; refuses a terminal, an empty input and two secrets', async ({
    h,
  }) => {
    const config = path.join(dir, 'stdin', 'config.json');
    const env = envWith(config);
    const base = ['login', '--url', h.baseUrl, '--client-id', bolton.id, '--secret-stdin'];

    const wrong = await runIn(base, env, 'ccxs_wrong\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('client authentication failed');
    await expect(stat(config)).rejects.toThrow();

    const tty = await runIn(base, env);
    expect([tty.code, tty.stderr]).toEqual([
      2,
      expect.stringContaining('reads the secret from standard input, which is a terminal'),
    ]);
    const empty = await runIn(base, env, '\n');
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('standard input was empty')]);
    const lines = await runIn(base, env, `${bolton.secret}\nsomething else\n`);
    expect([lines.code, lines.stderr]).toEqual([2, expect.stringContaining('on one line')]);
    const both = await runIn([...base, '--client-secret', bolton.secret], env, bolton.secret);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('not both')]);
    // Nothing is asked: what is missing is named.
    const noId = await runIn(['login', '--url', h.baseUrl, '--secret-stdin'], env, bolton.secret);
    expect([noId.code, noId.stderr]).toEqual([
      2,
      expect.stringContaining('give --client-id: with --secret-stdin nothing is asked'),
    ]);
    await expect(stat(config)).rejects.toThrow();

    // A real pipe into the command, as a script would do it.
    const piped = await spawnCli(base, { cwd: dir, env, stdin: bolton.secret });
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    expect(piped.stdout).toContain(`saved to ${config} (mode 600)`);
    expect(piped.stdout).not.toContain(bolton.secret);
    expect(await modeOf(config)).toBe(0o600);
    expect(await json(config)).toEqual({ url: h.baseUrl, clientId: bolton.id, clientSecret: bolton.secret });

    // A rotated secret: the profile already holds the URL and client id.
    const again = await runIn(['login', '--secret-stdin'], env, bolton.secret);
    expect(again.code).toBe(0);
    const who = await runIn(['whoami'], env);
    expect(who.stdout).toContain('authority:    Bolton Council (bolton)');
  });
});
