// The first start's set-up link: bootstrap.json carries a one-time link for the first hub-admin
// person, valid 24 hours and never logged; opening it with an address, a password and a TOTP code
// makes an active hub-admin of the host authority, once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import type { Person } from '@ccx/schema';
import { totp } from '@ccx/server/testing';
import { browserFor, type Browser } from '../support/browser.js';
import { uniq } from '../support/harness.js';
import { startHubProcess } from '../support/hub-process.js';
import { freePort, httpTest as test, startHttpHarness, type HttpHarness } from '../support/http.js';

const PASSWORD = 'a long and memorable set-up passphrase';
const EMAIL = 'first.admin@hub-host.example.gov.uk';
const HOUR_MS = 3_600_000;

type SetupFile = { setupUrl: string; setupExpiresAt: string; issuer: string };

const readSetup = async (dataDir: string): Promise<SetupFile> =>
  JSON.parse(await readFile(path.join(dataDir, 'bootstrap.json'), 'utf8')) as SetupFile;

/** The token a link carries in its fragment. */
const tokenOf = (url: string): string => new URL(url).hash.replace(/^#setup=/, '');

/** The code an authenticator app shows for this secret at the hub's time. */
const codeAt = (secret: string, at: Date): string => totp.totpAt(secret, totp.totpStep(at));

/** Opens the link in the browser: the address, a password and a name; answers the TOTP secret. */
const openLink = async (b: Browser, token: string) => {
  const answer = await b.mutate('auth.acceptLink', {
    token,
    password: PASSWORD,
    email: EMAIL,
    name: 'Fay First',
  });
  return { answer, enrol: answer.status === 200 ? b.data<{ totpSecret: string }>(answer) : null };
};

describe('bootstrap.json', () => {
  test('holds a set-up link on the hub, valid 24 hours from the first start', async ({ h }) => {
    const setup = await readSetup(h.config.dataDir);

    expect(setup.setupUrl).toMatch(new RegExp(`^${h.config.issuer}/welcome#setup=[\\w-]{43}$`));
    const validFor = new Date(setup.setupExpiresAt).getTime() - h.hub.clock.now().getTime();
    // Written at the start a few moments ago.
    expect(validFor).toBeLessThanOrEqual(24 * HOUR_MS);
    expect(validFor).toBeGreaterThan(24 * HOUR_MS - 5 * 60_000);
  });
});

describe('the set-up link', () => {
  test('makes an active hub-admin person of the host authority who can create authorities, once', async ({
    h,
  }) => {
    const token = tokenOf((await readSetup(h.config.dataDir)).setupUrl);
    const b = browserFor(h.baseUrl);

    const { answer, enrol } = await openLink(b, token);
    expect(answer.status, answer.text).toBe(200);
    expect((await b.query('auth.me')).status).toBe(401);

    const done = b.data<{ person: Person; recoveryCodes: string[] }>(
      await b.mutate('auth.confirmTotp', { code: codeAt(enrol!.totpSecret, h.hub.clock.now()) }),
    );
    expect(done.person).toMatchObject({
      authorityId: h.hostAuthorityId,
      email: EMAIL,
      name: 'Fay First',
      role: 'hub-admin',
      status: 'active',
      localAccount: true,
    });
    expect(done.recoveryCodes).toHaveLength(10);

    // A hub-admin-only call, made with the session from the hub's own pages.
    const id = `setup-made-${uniq()}`;
    const created = await b.mutate('authorities.create', {
      id,
      name: 'Made by the first hub-admin person',
      region: 'london',
      qaInbox: `qa@${id}.example.gov.uk`,
    });
    expect(created.status, created.text).toBe(200);
    expect(await h.caller(h.hubAdmin).authorities.get({ id })).toMatchObject({ id });

    // Used up.
    const again = await openLink(browserFor(h.baseUrl), token);
    expect(again.answer.status).toBe(401);
  });

  test('is refused once it is older than 24 hours', async () => {
    const fresh: HttpHarness = await startHttpHarness();
    try {
      const token = tokenOf((await readSetup(fresh.config.dataDir)).setupUrl);
      const startedAt = fresh.hub.clock.now();

      // A minute before it runs out it still opens.
      fresh.clock.set(new Date(startedAt.getTime() + 24 * HOUR_MS - 60_000));
      const b = browserFor(fresh.baseUrl);
      const early = await openLink(b, token);
      expect(early.answer.status, early.answer.text).toBe(200);

      // A minute after, neither opening it nor finishing the opening started before works.
      fresh.clock.set(new Date(startedAt.getTime() + 24 * HOUR_MS + 60_000));
      const late = await openLink(browserFor(fresh.baseUrl), token);
      expect(late.answer.status).toBe(401);
      const finish = await b.mutate('auth.confirmTotp', {
        code: codeAt(early.enrol!.totpSecret, fresh.hub.clock.now()),
      });
      expect(finish.status).toBe(401);
      expect((await b.query('auth.me')).status).toBe(401);
    } finally {
      await fresh.close();
    }
  });
});

describe("the hub's log", () => {
  // The hub as a user starts it, logging everything it can, so nothing it writes is missed.
  test('never holds the set-up link, at the first start or when the link is used', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-setup-link-'));
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const hub = await startHubProcess(dataDir, {
      PORT: String(port),
      CCX_ISSUER: issuer,
      LOG_LEVEL: 'trace',
    });
    try {
      const setup = await readSetup(dataDir);
      const token = tokenOf(setup.setupUrl);
      expect(hub.output()).toContain('bootstrap.json');
      expect(hub.output()).not.toContain(token);

      const b = browserFor(hub.url, { origin: issuer });
      const { answer, enrol } = await openLink(b, token);
      expect(answer.status, answer.text).toBe(200);
      const done = await b.mutate('auth.confirmTotp', { code: codeAt(enrol!.totpSecret, new Date()) });
      expect(done.status, done.text).toBe(200);
      // The requests were logged (so the log was being written), without the token.
      await expect.poll(() => hub.output()).toContain('auth.confirmTotp');
      expect(hub.output()).not.toContain(token);
      expect(hub.output()).not.toContain(enrol!.totpSecret);
    } finally {
      hub.kill();
      await hub.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
