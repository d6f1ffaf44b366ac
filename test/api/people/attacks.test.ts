// The attacks on signing in, each tried: learning whether an address has an account, guessing
// passwords, replaying a TOTP code or a recovery code, guessing codes, reusing or outliving a link,
// and a deactivated or demoted person carrying on.
import { describe, expect } from 'vitest';
import { browserFor, errorMessage } from '../../support/browser.js';
import { httpTest as test } from '../../support/http.js';
import { codeAt, PASSWORD, setUpPerson, signIn, tokenOf } from './fixtures.js';

// Small numbers, so the lock is reached quickly; the delay is long enough to measure.
test.override({
  clockAt: '2026-12-01T09:00:00Z',
  hubEnv: { CCX_TOKEN_MAX_FAILURES: '5', CCX_TOKEN_FAILURE_DELAY_MS: '400', CCX_TOKEN_LOCK: '15m' },
});

const MINUTE = 60_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const timed = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await f();
  return { ms: performance.now() - started, value };
};

describe('whether an address has an account cannot be learned', () => {
  test('a wrong password and an unknown address get the same answer after the same work', async ({ h }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const known: number[] = [];
    const unknown: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < 3; i++) {
      // Fresh tries each time (the first few failures are not slowed), so only the work is compared.
      const wrong = await timed(() =>
        browserFor(h.baseUrl).mutate('auth.signIn', { email: p.email, password: `wrong password ${i}!` }),
      );
      const nobody = await timed(() =>
        browserFor(h.baseUrl).mutate('auth.signIn', {
          email: `nobody.${i}@${member.id}.example.gov.uk`,
          password: PASSWORD,
        }),
      );
      known.push(wrong.ms);
      unknown.push(nobody.ms);
      for (const a of [wrong.value, nobody.value]) {
        expect(a.status).toBe(401);
        const { requestId: _r, ...data } = (a.body as { error: { data: Record<string, unknown> } }).error
          .data;
        answers.add(JSON.stringify({ message: errorMessage(a), data }));
      }
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toContain('the e-mail address or the password is not right');
    // Both pay for an argon2id verification: neither is a quick "no such account".
    const ratio = median(unknown) / median(known);
    // Wide bounds, for a busy machine: an answer that skipped the hash would be some 30 times quicker.
    expect(ratio, `unknown ${median(unknown)} ms against known ${median(known)} ms`).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  test('an invited (not yet set-up) account and a deactivated one answer as a wrong password does', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const invitee = await h.caller(h.hubAdmin).people.invite({
      authorityId: member.id,
      email: `invited.only@${member.id}.example.gov.uk`,
      name: 'Invited Only',
      role: 'viewer',
    });
    const gone = await setUpPerson(h, member.id, 'viewer');
    await h.caller(h.hubAdmin).people.deactivate({ id: gone.person.id });
    for (const email of [invitee.person.email, gone.email]) {
      const a = await browserFor(h.baseUrl).mutate('auth.signIn', { email, password: PASSWORD });
      expect(a.status, email).toBe(401);
      expect(errorMessage(a)).toBe('the e-mail address or the password is not right');
    }
  });
});

describe('guessing passwords', () => {
  test('failures past the first few are slowed, then the address is locked — right password included — with Retry-After', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await timed(() =>
        browserFor(h.baseUrl).mutate('auth.signIn', { email: p.email, password: `guess number ${i}` }),
      );
      expect(t.value.status).toBe(401);
      times.push(t.ms);
    }
    // The 4th and 5th failures are held 400 ms and 800 ms before the answer: no busier machine makes
    // them quicker than that (lower bounds only, so a slow run cannot fail them).
    expect(times[3]!).toBeGreaterThanOrEqual(400);
    expect(times[4]!).toBeGreaterThanOrEqual(800);
    const locked = await browserFor(h.baseUrl).mutate('auth.signIn', { email: p.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(errorMessage(locked)).toMatch(/too many failed sign-ins/);
    // An address with no account locks the same way: the lock says nothing about existence.
    for (let i = 0; i < 5; i++)
      await browserFor(h.baseUrl).mutate('auth.signIn', {
        email: `ghost@${member.id}.example.gov.uk`,
        password: `g ${i}`,
      });
    expect(
      (
        await browserFor(h.baseUrl).mutate('auth.signIn', {
          email: `ghost@${member.id}.example.gov.uk`,
          password: 'x',
        })
      ).status,
    ).toBe(429);
  });

  test('the lock lifts after its time, and the right password then signs in', async ({ h, clock }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    for (let i = 0; i < 6; i++)
      await browserFor(h.baseUrl).mutate('auth.signIn', { email: p.email, password: `nope ${i} nope` });
    expect(
      (await browserFor(h.baseUrl).mutate('auth.signIn', { email: p.email, password: PASSWORD })).status,
    ).toBe(429);
    // The lock is kept by the database's clock (as the token endpoint's), not the hub's test clock.
    await h.hub.database.db.execute(
      (await import('drizzle-orm'))
        .sql`update token_attempts set locked_until = now() - interval '1 second' where client_key = ${`person:${p.email}`}`,
    );
    clock.move(MINUTE);
    const b = await signIn(h, p);
    expect((await b.query('system.ping')).status).toBe(200);
  });
});

describe('second factors', () => {
  test('a TOTP code is accepted once: the same code again, within its window, is refused', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const code = codeAt(h, p.totpSecret);
    await signIn(h, p, code);
    const b = browserFor(h.baseUrl);
    b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    const replay = await b.mutate('auth.secondFactor', { code });
    expect(replay.status).toBe(401);
    expect(errorMessage(replay)).toMatch(/already been used/);
    // An older code (the step before) is refused as well once a newer one was used.
    expect((await b.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret, -1) })).status).toBe(401);
  });

  test('a code from two steps away is wrong; guessing codes locks the address like guessing passwords', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const b = browserFor(h.baseUrl);
    b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    const far = await b.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret, 3) });
    expect(errorMessage(far)).toMatch(/code is not right/);
    // The password's attempt counts until the second factor succeeds: 1 + 4 wrong codes reach the limit of 5.
    for (let i = 0; i < 3; i++)
      expect((await b.mutate('auth.secondFactor', { code: '000000' })).status).toBe(401);
    const locked = await b.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret) });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).not.toBeNull();
  });

  test('a recovery code signs in once in place of a TOTP code, and not twice', async ({ h, clock }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const [first] = p.recoveryCodes;
    const b = browserFor(h.baseUrl);
    b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    const signedIn = b.data<{ person: { recoveryCodesLeft: number }; session: { method: string } }>(
      await b.mutate('auth.secondFactor', { recoveryCode: first!.toUpperCase().replace('-', ' ') }),
    );
    expect(signedIn.session.method).toBe('password+recovery-code');
    expect(signedIn.person.recoveryCodesLeft).toBe(9);
    const again = browserFor(h.baseUrl);
    again.data(await again.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    expect((await again.mutate('auth.secondFactor', { recoveryCode: first })).status).toBe(401);
  });

  test('the second factor cannot be skipped: a pending session opens nothing and needs its own browser’s cookie', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const b = browserFor(h.baseUrl);
    b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    expect((await b.query('audit.list', { scope: 'mine' })).status).toBe(401);
    // Another browser with a code but without the pending cookie gets nowhere.
    const other = browserFor(h.baseUrl);
    expect((await other.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret) })).status).toBe(401);
  });
});

describe('links', () => {
  test('an invitation works once, and not after 72 hours; a new one replaces the old', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const admin = h.caller(h.hubAdmin);
    const late = await admin.people.invite({
      authorityId: member.id,
      email: `late@${member.id}.example.gov.uk`,
      name: 'Late Opener',
      role: 'viewer',
    });
    // Nothing secret in the address's query or path: the token rides in the fragment.
    expect(new URL(late.invitationUrl).search).toBe('');
    expect(new URL(late.invitationUrl).pathname).toBe('/welcome');
    clock.move(72 * 60 * MINUTE + MINUTE);
    const expired = await browserFor(h.baseUrl).mutate('auth.acceptLink', {
      token: tokenOf(late.invitationUrl),
      password: PASSWORD,
    });
    expect(expired.status).toBe(401);
    expect(errorMessage(expired)).toMatch(/expired, has already been used or was replaced/);

    const fresh = await admin.people.reinvite({ id: late.person.id });
    const old = await admin.people.reinvite({ id: late.person.id });
    expect(
      (
        await browserFor(h.baseUrl).mutate('auth.acceptLink', {
          token: tokenOf(fresh.invitationUrl),
          password: PASSWORD,
        })
      ).status,
    ).toBe(401);
    const b = browserFor(h.baseUrl);
    const enrol = b.data<{ totpSecret: string }>(
      await b.mutate('auth.acceptLink', { token: tokenOf(old.invitationUrl), password: PASSWORD }),
    );
    b.data(await b.mutate('auth.confirmTotp', { code: codeAt(h, enrol.totpSecret) }));
    // Used: the same link again is refused.
    expect(
      (
        await browserFor(h.baseUrl).mutate('auth.acceptLink', {
          token: tokenOf(old.invitationUrl),
          password: PASSWORD,
        })
      ).status,
    ).toBe(401);
  });

  test('a password shorter than 12 characters is refused on its field, with nothing used up', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const invited = await h.caller(h.hubAdmin).people.invite({
      authorityId: member.id,
      email: `short@${member.id}.example.gov.uk`,
      name: 'Short Password',
      role: 'viewer',
    });
    const b = browserFor(h.baseUrl);
    const short = await b.mutate('auth.acceptLink', {
      token: tokenOf(invited.invitationUrl),
      password: 'tooshort',
    });
    expect(short.status).toBe(400);
    expect(errorMessage(short)).toMatch(/password: must be at least 12 characters/);
    // No composition rules: twelve lower-case letters will do.
    expect(
      (await b.mutate('auth.acceptLink', { token: tokenOf(invited.invitationUrl), password: 'abcdefghijkl' }))
        .status,
    ).toBe(200);
  });
});

describe('a person whose access changes', () => {
  test('a deactivated person’s next call is refused, in every open session', async ({ h }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    expect((await p.browser.query('system.ping')).status).toBe(200);
    const deactivated = await h.caller(h.hubAdmin).people.deactivate({ id: p.person.id });
    expect(deactivated.status).toBe('deactivated');
    expect((await p.browser.query('system.ping')).status).toBe(401);
  });

  test('a role change applies to the next call: a demoted officer can no longer publish', async ({ h }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id, 'officer');
    const provision = await h.makeProvision();
    const log = () =>
      p.browser.mutate('concerns.log', {
        provisionId: provision.id,
        summary: 'Staffing below the registered ratio at night',
        category: 'quality',
        level: 'level-1',
        occurredOn: '2026-11-30',
      });
    expect((await log()).status).toBe(200);
    await h.caller(h.hubAdmin).people.setRole({ id: p.person.id, role: 'viewer' });
    const refused = await log();
    expect(refused.status).toBe(403);
    expect(errorMessage(refused)).toMatch(/needs the officer role; you have viewer/);
  });

  test('an admin manages only its own authority’s people, never above its own role, and not itself', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const other = await h.makeAuthority();
    const admin = await setUpPerson(h, member.id, 'admin');
    const stranger = await setUpPerson(h, other.id, 'officer');
    const deactivateStranger = await admin.browser.mutate('people.deactivate', { id: stranger.person.id });
    expect(deactivateStranger.status).toBe(404);
    const hubAdminInvite = await admin.browser.mutate('people.invite', {
      email: `climber@${member.id}.example.gov.uk`,
      name: 'Climber',
      role: 'hub-admin',
    });
    expect(hubAdminInvite.status).toBe(403);
    const self = await admin.browser.mutate('people.setRole', { id: admin.person.id, role: 'viewer' });
    expect(self.status).toBe(403);
    expect(errorMessage(self)).toMatch(/your own role/);
  });
});
