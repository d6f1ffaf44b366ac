// First start: the host authority and a hub-admin client, whose credentials land in
// <data dir>/bootstrap.json (mode 600) and work at the token endpoint; later starts create nothing.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { bootstrap, createHub, loadConfig } from '@ccx/server';
import { openTestDatabase } from '@ccx/server/testing';
import { httpTest as test } from '../support/http.js';

type BootstrapFile = {
  issuer: string;
  tokenEndpoint: string;
  authorityId: string;
  clientId: string;
  clientSecret: string;
  role: string;
};

let credentialsFile: string;

test.beforeAll(({ h }) => {
  credentialsFile = path.resolve(h.config.dataDir, 'bootstrap.json');
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const readCredentials = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as BootstrapFile;

describe('bootstrap on a new database', () => {
  test('reports that it created the host authority and where the credentials are', ({ h }) => {
    expect(h.bootstrap).toEqual({
      created: true,
      hostAuthorityId: h.config.hostAuthority.id,
      credentialsFile,
    });
  });

  test('writes bootstrap.json in the data folder, readable by its owner only', async ({ h }) => {
    expect(await modeOf(credentialsFile)).toBe(0o600);
    const content = await readCredentials(credentialsFile);
    expect(content).toMatchObject({
      issuer: h.config.issuer,
      tokenEndpoint: `${h.config.issuer}/oauth/token`,
      authorityId: h.hostAuthorityId,
      role: 'hub-admin',
    });
    expect(content.clientId).toMatch(/^ccx_[a-z0-9]{20}$/);
    expect(content.clientSecret).toMatch(/^ccxs_[\w-]{43}$/);
  });

  test('whose credentials get a hub-admin token at /oauth/token that acts as the host', async ({ h }) => {
    const { clientId, clientSecret } = await readCredentials(credentialsFile);
    const answer = await h.requestToken({
      form: { grant_type: 'client_credentials' },
      basic: { id: clientId, secret: clientSecret },
    });
    expect(answer.status, answer.text).toBe(200);
    const { access_token: token } = answer.body as { access_token: string };

    const api = h.trpc(token);
    const me = await api.authorities.me.query();
    expect(me.authority).toMatchObject({ id: h.hostAuthorityId, isHost: true, status: 'active' });
    expect(me.client).toMatchObject({ id: clientId, role: 'hub-admin', name: 'Bootstrap hub-admin' });
    // A hub-admin-only action succeeds.
    const created = await api.authorities.create.mutate({
      id: 'bootstrap-made',
      name: 'Made by the bootstrap client',
      region: 'london',
      qaInbox: 'qa@bootstrap-made.example.gov.uk',
    });
    expect(created.id).toBe('bootstrap-made');
  });
});

describe('bootstrap again', () => {
  test('creates nothing and leaves the credentials file alone', async ({ h }) => {
    const admin = h.caller(h.hubAdmin);
    const clientsBefore = await admin.clients.list({});
    const authoritiesBefore = await admin.authorities.list({});
    const fileBefore = await readFile(credentialsFile, 'utf8');
    const mtimeBefore = (await stat(credentialsFile)).mtimeMs;

    const again = await bootstrap(h.hub);

    expect(again).toEqual({ created: false, hostAuthorityId: h.hostAuthorityId });
    expect(await admin.clients.list({})).toEqual(clientsBefore);
    expect(await admin.authorities.list({})).toEqual(authoritiesBefore);
    expect(await readFile(credentialsFile, 'utf8')).toBe(fileBefore);
    expect((await stat(credentialsFile)).mtimeMs).toBe(mtimeBefore);
  });
});

describe('bootstrap in a data folder that already has a bootstrap.json', () => {
  test('replaces it with a file readable by its owner only, whatever the old file’s mode', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-bootstrap-'));
    const database = await openTestDatabase();
    try {
      const file = path.join(dataDir, 'bootstrap.json');
      await writeFile(file, '{"note":"left over from an earlier installation"}\n');
      await chmod(file, 0o644);

      const config = loadConfig({ CCX_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
      const hub = await createHub({ config, database });
      const result = await bootstrap(hub);

      expect(result).toMatchObject({ created: true, credentialsFile: file });
      expect((await readCredentials(file)).clientSecret).toMatch(/^ccxs_/);
      expect(await modeOf(file)).toBe(0o600);
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('bootstrap by two hubs at once on a new database', () => {
  test('creates one host authority and one hub-admin client between them', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-bootstrap-'));
    const database = await openTestDatabase();
    try {
      const config = loadConfig({ CCX_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
      const [a, b] = await Promise.all([createHub({ config, database }), createHub({ config, database })]);
      const results = await Promise.all([bootstrap(a), bootstrap(b)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.map((r) => r.hostAuthorityId)).toEqual([
        config.hostAuthority.id,
        config.hostAuthority.id,
      ]);
    } finally {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
