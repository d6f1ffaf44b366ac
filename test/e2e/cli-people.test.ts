// `ccx people` and `ccx sso` against a real hub over HTTP, with an authority admin's API client: invite
// (the link shown once), list, role, reinvite, deactivate; single sign-on set with the provider's
// secret piped in, shown without it, removed; a viewer refused; usage errors before any call.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type CliCreds, type CliEnv, type CliRun, clientEnv, runInDir, spawnCli } from '../support/cli.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';

let dir: string;
let authorityId: string;
let admin: CliCreds;
let viewer: CliCreds;

/** The provider's client secret: it must never be printed back. */
const PROVIDER_SECRET = 'oidc-provider-secret-do-not-print-7f3a9c';

test.beforeAll(async ({ h }) => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-people-'));
  const authority = await h.makeAuthority({ id: 'people-shire', name: 'People Shire Council' });
  authorityId = authority.id;
  const a = await h.makeClient(authority.id, 'admin', 'people admin tool');
  admin = { id: a.client.id, secret: a.clientSecret };
  const v = await h.makeClient(authority.id, 'viewer', 'people viewer tool');
  viewer = { id: v.client.id, secret: v.clientSecret };
});
test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Environment without the developer's own ccx settings: only these credentials. */
const envFor = (h: HttpHarness, c: CliCreds): CliEnv => clientEnv(dir, h.baseUrl, c);

const runIn = (args: string[], env: CliEnv, stdin?: string): Promise<CliRun> =>
  runInDir(dir, args, env, stdin);

const noStack = (r: CliRun) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('ccx people', () => {
  test('invite shows the link once; list, role, reinvite and deactivate follow the person', async ({ h }) => {
    const env = envFor(h, admin);
    const invited = await runIn(
      [
        'people',
        'invite',
        'Sam.Patel@people-shire.example.gov.uk',
        '--name',
        'Sam Patel',
        '--role',
        'viewer',
      ],
      env,
    );
    expect([invited.code, invited.stderr]).toEqual([0, expect.stringContaining('shown only this once')]);
    const id = /person id:\s+(ccxp_[a-z0-9]{20})/.exec(invited.stdout)![1]!;
    const link = /invitation link:\s+(\S+)/.exec(invited.stdout)![1]!;
    expect(link).toMatch(new RegExp(`^${h.baseUrl}/welcome#invitation=[A-Za-z0-9_-]{20,}$`));
    // No mail server is configured: the admin is told to pass the link on.
    expect(invited.stdout).toMatch(/e-mailed:\s+no \(the hub sends no mail\)/);
    expect(invited.stdout).toContain('sam.patel@people-shire.example.gov.uk');

    const list = await runIn(['people', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+AUTHORITY\s+NAME\s+E-MAIL\s+ROLE\s+STATUS/);
    expect(list.stdout).toMatch(
      new RegExp(
        `${id}\\s+People Shire Council \\(people-shire\\)\\s+Sam Patel\\s+\\S+\\s+viewer\\s+invited\\s+not yet\\s+never`,
      ),
    );
    // The link is a secret of its own: the list never carries it.
    expect(list.stdout).not.toContain(link.split('#')[1]!);

    const role = await runIn(['people', 'role', id, 'officer'], env);
    expect([role.code, role.stdout]).toEqual([0, expect.stringContaining(`${id} (Sam Patel`)]);
    expect(role.stdout).toContain('now has the role officer');

    const again = await runIn(['people', 'reinvite', id, '--json'], env);
    expect(again.code).toBe(0);
    const renewed = JSON.parse(again.stdout) as {
      invitationUrl: string;
      emailed: boolean;
      person: { id: string };
    };
    expect(renewed).toMatchObject({ emailed: false, person: { id } });
    expect(renewed.invitationUrl).not.toBe(link);

    const deactivated = await runIn(['people', 'deactivate', id], env);
    expect([deactivated.code, deactivated.stdout]).toEqual([0, expect.stringContaining(`deactivated ${id}`)]);

    const after = await runIn(['people', 'list', '--status', 'deactivated', '--json'], env);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([
      expect.objectContaining({ id, status: 'deactivated', role: 'officer', authorityId }),
    ]);
    expect((await runIn(['people', 'list'], env)).stdout).toMatch(new RegExp(`${id}\\s.*\\sdeactivated\\s`));
    expect(
      JSON.parse((await runIn(['people', 'list', '--status', 'invited', '--json'], env)).stdout),
    ).toEqual([]);
    // A deactivated person is sent no new link.
    const refused = await runIn(['people', 'reinvite', id], env);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('CONFLICT 409')]);
  });

  test('a viewer client is refused (exit 1) with the reason and a hint, never a stack', async ({ h }) => {
    for (const args of [
      ['people', 'list'],
      ['people', 'invite', 'someone@people-shire.example.gov.uk', '--name', 'Some One', '--role', 'viewer'],
      ['sso', 'show'],
    ]) {
      const r = await runIn(args, envFor(h, viewer));
      expect([args.join(' '), r.code, r.stdout]).toEqual([args.join(' '), 1, '']);
      expect(r.stderr).toContain('FORBIDDEN 403');
      expect(r.stderr).toMatch(/admin role/);
      expect(r.stderr).toContain("this client's role does not allow it");
      noStack(r);
    }
  });

  test('a bad role or status, or a missing option, is a usage error (exit 2) before any call', async ({
    h,
  }) => {
    const env = envFor(h, admin);
    const cases: [string[], RegExp][] = [
      [
        ['people', 'invite', 'x@people-shire.example.gov.uk', '--name', 'X', '--role', 'boss'],
        /--role must be one of: viewer, officer, admin, hub-admin/,
      ],
      [['people', 'invite', 'x@people-shire.example.gov.uk', '--role', 'viewer'], /give --name and --role/],
      [['people', 'invite', '--name', 'X', '--role', 'viewer'], /`ccx people invite` needs 1 argument/],
      [
        ['people', 'role', 'ccxp_0123456789abcdefghij', 'superuser'],
        /"superuser" is not a role: give one of viewer, officer, admin, hub-admin/,
      ],
      [['people', 'list', '--status', 'gone'], /--status must be one of: invited, active, deactivated/],
      [
        ['people', 'dectivate', 'ccxp_0123456789abcdefghij'],
        /unknown people command "dectivate" — did you mean "deactivate"\?/,
      ],
      [
        ['sso', 'set', '--issuer', 'https://idp.example.test', '--client-id', 'hub'],
        /give --issuer, --client-id and at least one --domain/,
      ],
      [
        [
          'sso',
          'set',
          '--issuer',
          'https://idp.example.test',
          '--client-id',
          'hub',
          '--domain',
          'example.test',
          '--default-role',
          'admin',
        ],
        /--default-role must be one of: viewer, officer/,
      ],
      [
        [
          'sso',
          'set',
          '--issuer',
          'https://idp.example.test',
          '--client-id',
          'hub',
          '--domain',
          'example.test',
          '--client-secret',
          's',
        ],
        /takes no --client-secret/,
      ],
      [
        [
          'sso',
          'set',
          '--issuer',
          'https://idp.example.test',
          '--client-id',
          'hub',
          '--domain',
          'example.test',
          '--client-secret-stdin',
        ],
        /--client-secret-stdin reads the secret from standard input, which is a terminal here/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runIn(args, env);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
      noStack(r);
    }
    // Nothing reached the hub.
    expect(JSON.parse((await runIn(['people', 'list', '--json'], env)).stdout)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ name: 'X' })]),
    );
  });
});

describe('ccx sso', () => {
  test('set takes the secret from a pipe; show never prints it; set without it keeps it; remove', async ({
    h,
  }) => {
    const env = envFor(h, admin);
    const none = await runIn(['sso', 'show'], env);
    expect([none.code, none.stdout]).toEqual([0, expect.stringContaining('no single sign-on is set up')]);

    // As an admin would run it: a child process with the secret on its standard input.
    const issuer = 'https://login.people-shire.example.test/tenant/v2.0';
    const set = await spawnCli(
      [
        'sso',
        'set',
        '--issuer',
        issuer,
        '--client-id',
        'ccx-hub-people-shire',
        '--client-secret-stdin',
        '--domain',
        'people-shire.example.gov.uk',
        '--domain',
        'Partners.Example.gov.uk',
        '--create-unknown',
        '--default-role',
        'officer',
      ],
      { cwd: dir, env, stdin: `${PROVIDER_SECRET}\n` },
    );
    expect([set.code, set.stderr]).toEqual([0, 'the client secret was saved; it is never shown again\n']);
    expect(set.stdout).not.toContain(PROVIDER_SECRET);

    const show = await runIn(['sso', 'show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`issuer:\\s+${issuer.replace(/\./g, '\\.')}\n`));
    expect(show.stdout).toMatch(/client id:\s+ccx-hub-people-shire\n/);
    expect(show.stdout).toMatch(/client secret:\s+set \(never shown\)/);
    expect(show.stdout).toMatch(
      /allowed domains:\s+people-shire\.example\.gov\.uk, partners\.example\.gov\.uk\n/,
    );
    expect(show.stdout).toMatch(/create unknown:\s+yes, at their first sign-in, as officer/);
    expect(show.stdout).toMatch(/default role:\s+officer\n/);
    expect(show.stdout).toContain(`redirect URI:     ${h.baseUrl}/auth/sso/callback`);
    expect(show.stdout).toMatch(
      new RegExp(`sign-in URL:\\s+${h.baseUrl}/auth/sso/start\\?authority=${authorityId}`),
    );
    const json = await runIn(['sso', 'show', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ authorityId, issuer, clientSecretSet: true });
    for (const r of [set, show, json]) expect(`${r.stdout}${r.stderr}`).not.toContain(PROVIDER_SECRET);

    // Without --client-secret-stdin the stored secret is kept.
    const changed = await runIn(
      [
        'sso',
        'set',
        '--issuer',
        issuer,
        '--client-id',
        'ccx-hub-2',
        '--domain',
        'people-shire.example.gov.uk',
      ],
      env,
    );
    expect([changed.code, changed.stderr]).toEqual([0, 'the client secret already stored was kept\n']);
    expect(changed.stdout).toMatch(/create unknown:\s+no: people must be invited first/);
    expect(changed.stdout).toMatch(/default role:\s+viewer/);
    expect(changed.stdout).not.toContain(PROVIDER_SECRET);

    const removed = await runIn(['sso', 'remove'], env);
    expect([removed.code, removed.stdout]).toEqual([0, expect.stringContaining('single sign-on removed')]);
    expect((await runIn(['sso', 'remove', '--json'], env)).stdout).toBe('{\n  "removed": false\n}\n');
    expect(JSON.parse((await runIn(['sso', 'show', '--json'], env)).stdout)).toBeNull();

    // The first time, a secret is required: the hub names the field (exit 1).
    const first = await runIn(
      ['sso', 'set', '--issuer', issuer, '--client-id', 'ccx-hub', '--domain', 'people-shire.example.gov.uk'],
      env,
    );
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/clientSecret is required the first time.*\(BAD_REQUEST 400\)/);
  });
});
