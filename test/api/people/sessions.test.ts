// Sessions as a browser holds them: the cookie's attributes, rotation at sign-in, the idle and
// absolute limits, signing out (here and everywhere), the list of my sessions, and the Origin check
// with its custom header on every state-changing call made with a session.
import { describe, expect } from 'vitest';
import type { SessionInfo } from '@ccx/schema';
import { browserFor, errorMessage } from '../../support/browser.js';
import { httpTest as test, startHttpHarness } from '../../support/http.js';
import { codeAt, PASSWORD, setUpPerson, signIn } from './fixtures.js';

test.override({ clockAt: '2026-12-01T09:00:00Z' });

const MINUTE = 60_000;

describe('signing in', () => {
  test('the password opens a pending session only; the second factor replaces it with a new one', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const b = browserFor(h.baseUrl);
    const step = b.data<{ next: string }>(
      await b.mutate('auth.signIn', { email: p.email.toUpperCase(), password: PASSWORD }),
    );
    expect(step.next).toBe('second-factor');
    const pending = b.jar.get('ccx_session');
    expect(pending).toMatch(/^[\w-]{43}$/);
    // A pending session is not signed in.
    expect((await b.query('auth.me')).status).toBe(401);
    expect((await b.query('system.ping')).status).toBe(401);

    b.data(await b.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret) }));
    const active = b.jar.get('ccx_session');
    expect(active).toMatch(/^[\w-]{43}$/);
    expect(active).not.toBe(pending);
    expect(b.data<{ person: { id: string } }>(await b.query('auth.me')).person.id).toBe(p.person.id);

    // The pending id is dead: a browser still holding it cannot finish a sign-in or call anything.
    const stale = browserFor(h.baseUrl);
    stale.jar.set('ccx_session', pending!);
    expect((await stale.query('auth.me')).status).toBe(401);
    expect((await stale.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret, 1) })).status).toBe(401);
  });

  test('five wrong codes end the pending sign-in: the right code is then too late', async ({ h, clock }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const b = browserFor(h.baseUrl);
    b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
    for (let i = 0; i < 5; i++) {
      const wrong = await b.mutate('auth.secondFactor', { code: '000000' });
      expect(errorMessage(wrong)).toMatch(/code is not right/);
    }
    const late = await b.mutate('auth.secondFactor', { code: codeAt(h, p.totpSecret) });
    expect(late.status).toBe(401);
    expect(errorMessage(late)).toMatch(/sign in again/);
  });

  test('on plain http the cookie is ccx_session: HttpOnly, SameSite=Lax, Path=/, not Secure', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const set = p.browser.seen.filter((c) => c.name === 'ccx_session').at(-1)!;
    expect(set.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(set.attributes).not.toContain('secure');
    expect(set.attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect(set.attributes.find((a) => a.startsWith('max-age='))).toBe(`max-age=${12 * 3600}`);
  });

  test('over https the cookie is __Host-ccx_session and Secure', async () => {
    const issuer = 'https://ccx.partnership.example.gov.uk';
    const hs = await startHttpHarness({ CCX_ISSUER: issuer }, { clockAt: '2026-12-01T09:00:00Z' });
    try {
      const member = await hs.makeAuthority();
      const invited = await hs.caller(hs.hubAdmin).people.invite({
        authorityId: member.id,
        email: `secure.${member.id}@example.gov.uk`,
        name: 'Secure Person',
        role: 'viewer',
      });
      expect(invited.invitationUrl.startsWith(`${issuer}/welcome#invitation=`)).toBe(true);
      const b = browserFor(hs.baseUrl, { origin: issuer });
      const token = new URL(invited.invitationUrl).hash.slice('#invitation='.length);
      b.data(await b.mutate('auth.acceptLink', { token, password: PASSWORD }));
      const set = b.seen.find((c) => c.name === '__Host-ccx_session')!;
      expect(set.attributes).toEqual(
        expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'secure']),
      );
      expect(b.seen.some((c) => c.name === 'ccx_session')).toBe(false);
    } finally {
      await hs.close();
    }
  });
});

describe('how long a session lives', () => {
  test('it ends after 30 minutes without a call, and each call moves that on', async ({ h, clock }) => {
    const member = await h.makeAuthority();
    const { browser: b } = await setUpPerson(h, member.id);
    clock.move(29 * MINUTE);
    expect((await b.query('system.ping')).status).toBe(200);
    clock.move(29 * MINUTE);
    expect((await b.query('system.ping')).status).toBe(200);
    clock.move(31 * MINUTE);
    const refused = await b.query('system.ping');
    expect(refused.status).toBe(401);
    expect(errorMessage(refused)).toMatch(/session has ended/);
  });

  test('it ends 12 hours after sign-in however busy', async ({ h, clock }) => {
    const member = await h.makeAuthority();
    const { browser: b } = await setUpPerson(h, member.id);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.move(20 * MINUTE);
      expect((await b.query('system.ping')).status, `after ${elapsed + 20} minutes`).toBe(200);
    }
    clock.move(25 * MINUTE);
    expect((await b.query('system.ping')).status).toBe(401);
  });
});

describe('signing out', () => {
  test('signing out ends this session: the cookie is cleared and its old value opens nothing', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const { browser: b } = await setUpPerson(h, member.id);
    const secret = b.jar.get('ccx_session')!;
    expect(b.data<{ ended: number }>(await b.mutate('auth.signOut'))).toEqual({ ended: 1 });
    expect(b.jar.has('ccx_session')).toBe(false);
    const replay = browserFor(h.baseUrl);
    replay.jar.set('ccx_session', secret);
    expect((await replay.query('system.ping')).status).toBe(401);
  });

  test('my sessions lists each browser, marks this one, ends another, or all of them', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    clock.move(MINUTE);
    const laptop = await signIn(h, p);
    clock.move(MINUTE);
    const phone = await signIn(h, p);
    const listed = laptop.data<SessionInfo[]>(await laptop.query('auth.sessions'));
    expect(listed).toHaveLength(3);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.every((s) => s.method === 'password+totp')).toBe(true);
    // No secret in the list: handles only.
    expect(JSON.stringify(listed)).not.toContain(phone.jar.get('ccx_session')!);

    const phoneHandle = phone
      .data<SessionInfo[]>(await phone.query('auth.sessions'))
      .find((s) => s.current)!.handle;
    expect(
      laptop.data<{ ended: number }>(await laptop.mutate('auth.endSession', { handle: phoneHandle })),
    ).toEqual({ ended: 1 });
    expect((await phone.query('system.ping')).status).toBe(401);
    expect((await laptop.query('system.ping')).status).toBe(200);

    expect(laptop.data<{ ended: number }>(await laptop.mutate('auth.signOutEverywhere'))).toEqual({
      ended: 2,
    });
    expect((await laptop.query('system.ping')).status).toBe(401);
    expect((await p.browser.query('system.ping')).status).toBe(401);
  });
});

describe('calls that change state must come from the hub’s own pages', () => {
  test('a session’s mutation without the Origin, from another origin, or without the header is refused 403; reads are not', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id, 'admin');
    const cookie = `ccx_session=${p.browser.jar.get('ccx_session')!}`;
    const invite = (headers: Record<string, string>) =>
      fetch(`${h.baseUrl}/trpc/people.invite`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ email: `x.${Date.now()}@example.gov.uk`, name: 'Forged', role: 'viewer' }),
      });
    const origin = new URL(h.baseUrl).origin;
    for (const [label, headers] of [
      ['no Origin', { 'x-ccx-csrf': '1' }],
      ['another origin', { origin: 'https://evil.example', 'x-ccx-csrf': '1' }],
      ['no custom header', { origin }],
    ] as const) {
      const res = await invite(headers);
      expect(res.status, label).toBe(403);
      expect(await res.text(), label).toMatch(/hub's own pages/);
    }
    expect(
      (await h.caller(h.hubAdmin).people.list({ authorityId: member.id })).map((x) => x.name),
    ).not.toContain('Forged');
    const ok = await invite({ origin, 'x-ccx-csrf': '1' });
    expect(ok.status).toBe(200);
    // A read needs neither.
    const read = await fetch(`${h.baseUrl}/trpc/people.list`, { headers: { cookie } });
    expect(read.status).toBe(200);
  });

  test('signing in from another site is refused too (no login CSRF)', async ({ h }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const elsewhere = browserFor(h.baseUrl, { origin: 'https://evil.example' });
    expect((await elsewhere.mutate('auth.signIn', { email: p.email, password: PASSWORD })).status).toBe(403);
    const noHeader = browserFor(h.baseUrl, { csrf: false });
    expect((await noHeader.mutate('auth.signIn', { email: p.email, password: PASSWORD })).status).toBe(403);
    expect(elsewhere.jar.size + noHeader.jar.size).toBe(0);
  });

  test('an API client’s bearer token needs neither (it is not sent by a browser on its own)', async ({
    h,
  }) => {
    const member = await h.makeAuthority();
    const admin = await h.makeClientWithToken(member.id, 'admin');
    const res = await fetch(`${h.baseUrl}/trpc/people.invite`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ email: `bearer.${member.id}@example.gov.uk`, name: 'By token', role: 'viewer' }),
    });
    expect(res.status).toBe(200);
  });
});
