// loadConfig: the documented defaults (docs/configuration.md), and a ConfigError naming every bad variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@ccx/server';

/** The ConfigError that loadConfig throws for an environment; fails the test when it does not throw one. */
const configError = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

/** The variables a ConfigError message names, one per line (`  NAME="value": reason`). */
const namedIn = (err: ConfigError): string[] =>
  err.message
    .split('\n')
    .slice(1)
    .map((line) => /^ {2}([A-Z_]+)[=:]/.exec(line)?.[1] ?? `unparsed line: ${line}`);

describe('loadConfig defaults', () => {
  it('are the documented ones when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      // ./.data, resolved against the folder the command ran in.
      dataDir: path.resolve(process.cwd(), '.data'),
      databaseUrl: undefined,
      issuer: 'http://127.0.0.1:3000',
      audience: 'ccx-api',
      tokenTtlSeconds: 900,
      logLevel: 'info',
      maxBodyBytes: 4 * 1024 * 1024,
      maxBatchSize: 50,
      trustProxy: false,
      shutdownGraceSeconds: 10,
      hostAuthority: {
        id: 'hub-host',
        name: 'Hub host authority',
        region: 'london',
        qaInbox: 'qa@hub-host.example.gov.uk',
      },
    });
  });

  it('resolve ./.data against the folder npm was run from (INIT_CWD), not the workspace folder', () => {
    expect(loadConfig({ INIT_CWD: '/srv/ccx' }).dataDir).toBe(path.resolve('/srv/ccx', '.data'));
    expect(loadConfig({ INIT_CWD: '/srv/ccx', CCX_DATA_DIR: 'state' }).dataDir).toBe(
      path.resolve('/srv/ccx', 'state'),
    );
    expect(loadConfig({ INIT_CWD: '/srv/ccx', CCX_DATA_DIR: '/var/lib/ccx' }).dataDir).toBe('/var/lib/ccx');
  });

  it('apply to variables set to the empty string', () => {
    const config = loadConfig({
      PORT: '',
      HOST: '',
      CCX_DATA_DIR: '',
      DATABASE_URL: '',
      CCX_TOKEN_TTL: '',
      LOG_LEVEL: '',
    });
    expect(config).toEqual(loadConfig({}));
  });

  it('do not read process.env when an environment is given', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4444';
    try {
      expect(loadConfig({}).port).toBe(3000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('loadConfig reads', () => {
  it('the issuer from HOST and PORT, or from CCX_ISSUER without a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).issuer).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).issuer).toBe('http://[::1]:8080');
    expect(loadConfig({ CCX_ISSUER: 'https://ccx.example.gov.uk/' }).issuer).toBe(
      'https://ccx.example.gov.uk',
    );
  });

  it.each([
    ['900', 900],
    ['60', 60],
    ['120s', 120],
    ['15m', 900],
    ['1h', 3600],
    ['24h', 86_400],
    ['600000ms', 600],
  ])('CCX_TOKEN_TTL=%s as %i seconds', (value, seconds) => {
    expect(loadConfig({ CCX_TOKEN_TTL: value }).tokenTtlSeconds).toBe(seconds);
  });

  it('a PostgreSQL DATABASE_URL in either scheme', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/ccx' }).databaseUrl).toBe(
      'postgres://u@db:5432/ccx',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/ccx' }).databaseUrl).toBe('postgresql://u@db/ccx');
  });
});

describe('loadConfig refuses', () => {
  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['CCX_TOKEN_TTL', '15 minutes'],
    ['CCX_TOKEN_TTL', '5'],
    ['CCX_TOKEN_TTL', '25h'],
    ['CCX_TOKEN_TTL', '1d'],
    ['CCX_TOKEN_TTL', '-60'],
    ['LOG_LEVEL', 'verbose'],
    ['LOG_LEVEL', 'INFO'],
  ])('%s=%s with a ConfigError naming it and its value', (name, value) => {
    const err = configError({ [name]: value });
    expect(err.name).toBe('ConfigError');
    expect(err.message).toMatch(/^invalid configuration:\n/);
    expect(namedIn(err)).toEqual([name]);
    expect(err.message).toContain(`${name}=${JSON.stringify(value)}: `);
  });

  it('more than one process (CCX_PROCESSES) on the embedded database, which belongs to one process', () => {
    const err = configError({ CCX_PROCESSES: '2' });
    expect(namedIn(err)).toEqual(['CCX_PROCESSES']);
    expect(err.message).toContain('more than one process needs PostgreSQL (DATABASE_URL)');
    expect(loadConfig({ CCX_PROCESSES: '2', DATABASE_URL: 'postgres://h/db' }).processes).toBe(2);
    expect(loadConfig({}).processes).toBe(1);
    expect(namedIn(configError({ CCX_PROCESSES: '0', DATABASE_URL: 'postgres://h/db' }))).toEqual([
      'CCX_PROCESSES',
    ]);
  });

  it.each([['mysql://admin:hunter2@db/ccx'], ['db.example:5432']])(
    'DATABASE_URL=%s by name, without echoing a value that may hold a password',
    (value) => {
      const err = configError({ DATABASE_URL: value });
      expect(namedIn(err)).toEqual(['DATABASE_URL']);
      expect(err.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
      expect(err.message).not.toContain(value);
    },
  );

  it('several bad variables at once, naming each of them with its reason', () => {
    const err = configError({
      PORT: 'http',
      DATABASE_URL: 'mysql://u@db/ccx',
      CCX_TOKEN_TTL: '5',
      LOG_LEVEL: 'verbose',
      HOST: '127.0.0.1',
    });
    expect(namedIn(err).sort()).toEqual(['CCX_TOKEN_TTL', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(err.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(err.message).toContain('CCX_TOKEN_TTL="5": must be at least 60 seconds');
    expect(err.message).toMatch(/LOG_LEVEL="verbose": .*silent/);
  });
});
