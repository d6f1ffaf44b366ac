// Passkeys over HTTP, as a browser uses them: a signed-in person registers one, signs in with it alone
// from another browser (a new session id, method "passkey"), lists and removes it; and every way a
// passkey sign-in can be bent is refused with the same words, the reason going to the log.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { Passkey, PasskeyRegistrationOptions, PasskeySignInOptions, SignedIn } from '@ccx/schema';
import { createLogger } from '@ccx/server/testing';
import { browserFor, errorMessage, type Browser } from '../../support/browser.js';
import { queryRows } from '../../support/harness.js';
import { httpTest as test, type HttpAnswer, type HttpHarness } from '../../support/http.js';
import {
  softwareAuthenticator,
  type Bend,
  type SoftwareAuthenticator,
} from '../../support/software-authenticator.js';
import { setUpPerson, signIn as signInWithPassword, type LocalPerson } from './fixtures.js';

test.override({ clockAt: '2026-12-01T09:00:00Z' });

const MINUTE = 60_000;
const REFUSED = 'the passkey sign-in did not succeed; start again, or sign in with your password';

/** Registers a new passkey for a signed-in person from their browser. */
const addPasskey = async (
  h: HttpHarness,
  b: Browser,
  name?: string,
): Promise<{ key: SoftwareAuthenticator; passkey: Passkey; options: PasskeyRegistrationOptions }> => {
  const key = softwareAuthenticator(h.baseUrl);
  const options = b.data<PasskeyRegistrationOptions>(await b.mutate('passkeys.registrationOptions'));
  const passkey = b.data<Passkey>(
    await b.mutate('passkeys.register', { response: key.create(options), ...(name ? { name } : {}) }),
  );
  return { key, passkey, options };
};

/** A sign-in's options, asked for from a browser (with an address, or none for a discoverable passkey). */
const signInOptions = async (b: Browser, email?: string): Promise<PasskeySignInOptions> =>
  b.data<PasskeySignInOptions>(await b.mutate('passkeys.signInOptions', email ? { email } : {}));

/** Signs in with a passkey from a new browser; answers the browser and the raw answer. */
const signInWith = async (
  h: HttpHarness,
  key: SoftwareAuthenticator,
  opts: { email?: string; bend?: Bend; browser?: Browser } = {},
): Promise<{ b: Browser; answer: HttpAnswer }> => {
  const b = opts.browser ?? browserFor(h.baseUrl);
  const options = await signInOptions(b, opts.email);
  const answer = await b.mutate('passkeys.signIn', {
    challengeId: options.challengeId,
    response: key.get(options.options, opts.bend),
  });
  return { b, answer };
};

/** A person set up with a password and TOTP, with one passkey registered in their signed-in browser. */
const personWithPasskey = async (h: HttpHarness): Promise<LocalPerson & { key: SoftwareAuthenticator }> => {
  const member = await h.makeAuthority();
  const p = await setUpPerson(h, member.id);
  const { key } = await addPasskey(h, p.browser);
  return { ...p, key };
};

/** What the hub logs while `f` runs, as JSON lines. */
const logsDuring = async (h: HttpHarness, f: () => Promise<void>): Promise<Record<string, unknown>[]> => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const quiet = h.hub.log;
  h.hub.log = createLogger('info', sink);
  try {
    await f();
  } finally {
    h.hub.log = quiet;
  }
  return lines;
};

describe('registering a passkey and signing in with it', () => {
  test('a signed-in person registers a passkey, signs out, and signs in with it alone from a new browser', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const issuer = new URL(h.baseUrl);

    const key = softwareAuthenticator(h.baseUrl);
    const options = p.browser.data<PasskeyRegistrationOptions>(
      await p.browser.mutate('passkeys.registrationOptions'),
    );
    expect(options).toMatchObject({
      rp: { name: 'ccx', id: issuer.hostname },
      user: {
        id: Buffer.from(p.person.id).toString('base64url'),
        name: p.email,
        displayName: p.person.name,
      },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      excludeCredentials: [],
    });
    expect(options.challenge).toMatch(/^[\w-]{40,}$/);
    const passkey = p.browser.data<Passkey>(
      await p.browser.mutate('passkeys.register', { response: key.create(options), name: 'Work laptop' }),
    );
    expect(passkey).toMatchObject({
      id: key.credentialId,
      name: 'Work laptop',
      transports: ['hybrid', 'internal'],
      lastUsedAt: null,
    });

    // The next registration's options exclude it, so the same authenticator is not registered twice.
    const again = p.browser.data<PasskeyRegistrationOptions>(
      await p.browser.mutate('passkeys.registrationOptions'),
    );
    expect(again.excludeCredentials).toEqual([
      { id: key.credentialId, type: 'public-key', transports: ['hybrid', 'internal'] },
    ]);

    p.browser.data(await p.browser.mutate('auth.signOut'));
    clock.move(MINUTE);

    const b = browserFor(h.baseUrl);
    const signIn = await signInOptions(b, p.email.toUpperCase());
    expect(signIn.options).toMatchObject({
      rpId: issuer.hostname,
      userVerification: 'required',
      allowCredentials: [{ id: key.credentialId, type: 'public-key' }],
    });
    const signedIn = b.data<SignedIn>(
      await b.mutate('passkeys.signIn', {
        challengeId: signIn.challengeId,
        response: key.get(signIn.options),
      }),
    );
    expect(signedIn.person.id).toBe(p.person.id);
    expect(signedIn.session.method).toBe('passkey');
    expect(b.jar.get('ccx_session')).toMatch(/^[\w-]{43}$/);
    const me = b.data<SignedIn>(await b.query('auth.me'));
    expect(me.session).toMatchObject({ method: 'passkey', current: true });

    const listed = b.data<Passkey[]>(await b.query('passkeys.list'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: key.credentialId, lastUsedAt: clock.now().toISOString() });

    const audit = b.data<{ items: { action: string; details: Record<string, unknown> }[] }>(
      await b.query('audit.list', { scope: 'mine' }),
    );
    expect(audit.items.find((e) => e.action === 'person.passkey-add')?.details).toMatchObject({
      passkey: key.credentialId,
      name: 'Work laptop',
    });
    expect(audit.items.some((e) => e.action === 'person.sign-in' && e.details.method === 'passkey')).toBe(
      true,
    );
  });

  test('a discoverable passkey signs in with no address given', async ({ h }) => {
    const p = await personWithPasskey(h);
    const b = browserFor(h.baseUrl);
    const options = await signInOptions(b);
    expect(options.options.allowCredentials).toEqual([]);
    const signedIn = b.data<SignedIn>(
      await b.mutate('passkeys.signIn', {
        challengeId: options.challengeId,
        response: p.key.get(options.options),
      }),
    );
    expect(signedIn.person.id).toBe(p.person.id);
  });

  test('signing in rotates the session: a browser already holding a session gets a new id, and the old one opens nothing', async ({
    h,
  }) => {
    const p = await personWithPasskey(h);
    const before = p.browser.jar.get('ccx_session')!;
    const { answer } = await signInWith(h, p.key, { browser: p.browser });
    expect(answer.status, answer.text).toBe(200);
    const after = p.browser.jar.get('ccx_session');
    expect(after).toMatch(/^[\w-]{43}$/);
    expect(after).not.toBe(before);
    const stale = browserFor(h.baseUrl);
    stale.jar.set('ccx_session', before);
    expect((await stale.query('auth.me')).status).toBe(401);
    expect((await p.browser.query('auth.me')).status).toBe(200);
  });

  test('a person lists and removes their passkeys; a removed one no longer signs in; another’s is not theirs to remove', async ({
    h,
    clock,
  }) => {
    const p = await personWithPasskey(h);
    clock.move(MINUTE);
    const second = await addPasskey(h, p.browser, 'Security key');
    const listed = p.browser.data<Passkey[]>(await p.browser.query('passkeys.list'));
    expect(listed.map((k) => k.name)).toEqual(['Passkey', 'Security key']);

    const stranger = await setUpPerson(h, p.person.authorityId);
    const theirs = await stranger.browser.mutate('passkeys.remove', { id: p.key.credentialId });
    expect(theirs.status).toBe(404);
    expect(stranger.browser.data<Passkey[]>(await stranger.browser.query('passkeys.list'))).toEqual([]);

    const removed = p.browser.data<Passkey>(
      await p.browser.mutate('passkeys.remove', { id: p.key.credentialId }),
    );
    expect(removed.id).toBe(p.key.credentialId);
    expect(p.browser.data<Passkey[]>(await p.browser.query('passkeys.list')).map((k) => k.id)).toEqual([
      second.key.credentialId,
    ]);
    const { answer } = await signInWith(h, p.key);
    expect(answer.status).toBe(401);
    expect((await signInWith(h, second.key)).answer.status).toBe(200);
    expect((await p.browser.mutate('passkeys.remove', { id: p.key.credentialId })).status).toBe(404);

    const audit = p.browser.data<{ items: { action: string; details: Record<string, unknown> }[] }>(
      await p.browser.query('audit.list', { scope: 'mine' }),
    );
    expect(audit.items.find((e) => e.action === 'person.passkey-remove')?.details).toMatchObject({
      passkey: p.key.credentialId,
    });
  });
});

describe('a passkey sign-in is refused, with one answer, whatever is wrong; the log says why', () => {
  /**
   * Runs the sign-ins in `f`, each of which must be refused: a 401 with the one message for the
   * caller, and in the log the reason matching `reasons` (one per refusal, in order).
   */
  const expectRefusals = async (
    h: HttpHarness,
    reasons: RegExp[],
    f: (refused: (answer: HttpAnswer) => void) => Promise<void>,
  ): Promise<void> => {
    let count = 0;
    const logs = await logsDuring(h, () =>
      f((answer) => {
        expect(answer.status, answer.text).toBe(401);
        expect(errorMessage(answer)).toBe(REFUSED);
        count++;
      }),
    );
    expect(count).toBe(reasons.length);
    const logged = logs.filter((l) => l.msg === 'passkey refused').map((l) => String(l.reason));
    expect(logged).toHaveLength(reasons.length);
    reasons.forEach((reason, i) => expect(logged[i]).toMatch(reason));
  };

  test('an answer made on another origin', async ({ h }) => {
    const p = await personWithPasskey(h);
    await expectRefusals(h, [/origin "https:\/\/ccx\.evil\.example"/], async (refused) => {
      refused((await signInWith(h, p.key, { bend: { origin: 'https://ccx.evil.example' } })).answer);
    });
  });

  test('an answer signed for another RP ID', async ({ h }) => {
    const p = await personWithPasskey(h);
    await expectRefusals(h, [/RP ID/i], async (refused) => {
      refused((await signInWith(h, p.key, { bend: { rpId: 'evil.example' } })).answer);
    });
  });

  test('an answer without user verification', async ({ h }) => {
    const p = await personWithPasskey(h);
    await expectRefusals(h, [/user verification required/i], async (refused) => {
      refused((await signInWith(h, p.key, { bend: { userVerified: false } })).answer);
    });
  });

  test('an answer to a challenge the hub did not give', async ({ h }) => {
    const p = await personWithPasskey(h);
    await expectRefusals(h, [/challenge/], async (refused) => {
      refused((await signInWith(h, p.key, { bend: { challenge: 'bm90LXRoZS1odWJzLWNoYWxsZW5nZQ' } })).answer);
    });
  });

  test('a challenge answered twice (the same sign-in replayed)', async ({ h }) => {
    const p = await personWithPasskey(h);
    const b = browserFor(h.baseUrl);
    const options = await signInOptions(b, p.email);
    const body = { challengeId: options.challengeId, response: p.key.get(options.options) };
    expect((await b.mutate('passkeys.signIn', body)).status).toBe(200);
    await expectRefusals(h, [/^challenge unknown or already used$/], async (refused) => {
      refused(await browserFor(h.baseUrl).mutate('passkeys.signIn', body));
    });
  });

  test('a challenge answered after its five minutes (one answered within them signs in)', async ({
    h,
    clock,
  }) => {
    const p = await personWithPasskey(h);
    const b = browserFor(h.baseUrl);
    const late = await signInOptions(b, p.email);
    const inTime = await signInOptions(b, p.email);
    clock.move(4 * MINUTE);
    const answered = await b.mutate('passkeys.signIn', {
      challengeId: inTime.challengeId,
      response: p.key.get(inTime.options),
    });
    expect(answered.status).toBe(200);
    clock.move(2 * MINUTE);
    await expectRefusals(h, [/^challenge expired$/], async (refused) => {
      refused(
        await browserFor(h.baseUrl).mutate('passkeys.signIn', {
          challengeId: late.challengeId,
          response: p.key.get(late.options),
        }),
      );
    });
  });

  test('a signature counter that does not move on (a cloned authenticator)', async ({ h }) => {
    const p = await personWithPasskey(h);
    const clone = p.key.clone();
    expect((await signInWith(h, p.key)).answer.status).toBe(200);
    await expectRefusals(h, [/counter value 1 was lower than expected 1/, /counter/], async (refused) => {
      // The clone sends the counter the original has already used.
      refused((await signInWith(h, clone)).answer);
      // A counter lower than the last one is refused the same way.
      refused((await signInWith(h, p.key, { bend: { counter: 0 } })).answer);
    });
    // The original, moving on, still signs in.
    expect((await signInWith(h, p.key)).answer.status).toBe(200);
  });

  test('a credential the hub does not know', async ({ h }) => {
    await personWithPasskey(h);
    await expectRefusals(h, [/^unknown credential$/], async (refused) => {
      refused((await signInWith(h, softwareAuthenticator(h.baseUrl))).answer);
    });
  });

  test('a user handle naming another person than the credential’s', async ({ h }) => {
    const p = await personWithPasskey(h);
    const bend = { userHandle: Buffer.from('ccxp_aaaaaaaaaaaaaaaaaaaa').toString('base64url') };
    await expectRefusals(h, [/user handle/], async (refused) => {
      refused((await signInWith(h, p.key, { bend })).answer);
    });
  });

  test('a deactivated person’s passkey', async ({ h }) => {
    const p = await personWithPasskey(h);
    await h.caller(h.hubAdmin).people.deactivate({ id: p.person.id });
    await expectRefusals(h, [/is deactivated/, /is deactivated/], async (refused) => {
      refused((await signInWith(h, p.key, { email: p.email })).answer);
      refused((await signInWith(h, p.key)).answer);
    });
  });

  test('a challenge id never given, and an answer that is not WebAuthn at all', async ({ h }) => {
    const p = await personWithPasskey(h);
    const b = browserFor(h.baseUrl);
    const options = await signInOptions(b);
    const response = p.key.get(options.options);
    const other = await signInOptions(b);
    const garbled = {
      ...response,
      response: { ...response.response, authenticatorData: 'AAAA', signature: 'AAAA' },
    };
    await expectRefusals(h, [/challenge unknown/, /./], async (refused) => {
      refused(await b.mutate('passkeys.signIn', { challengeId: 'x'.repeat(43), response }));
      refused(await b.mutate('passkeys.signIn', { challengeId: other.challengeId, response: garbled }));
    });
  });
});

describe('answers that fit the contract but are not WebAuthn', () => {
  /** base64url text of random bytes. */
  const junk = (bytes: number): string => randomBytes(bytes).toString('base64url');

  test('are refused as a client’s error, never a server fault', async ({ h }) => {
    const p = await personWithPasskey(h);
    const b = browserFor(h.baseUrl);
    for (let i = 0; i < 12; i++) {
      const options = await signInOptions(b, p.email);
      const real = p.key.get(options.options);
      const fields = ['clientDataJSON', 'authenticatorData', 'signature', 'userHandle'] as const;
      const field = fields[i % fields.length]!;
      const answer = await b.mutate('passkeys.signIn', {
        challengeId: options.challengeId,
        response: { ...real, response: { ...real.response, [field]: junk(1 + i * 7) } },
      });
      expect(answer.status, `${field}: ${answer.text}`).toBe(401);

      const registration = p.browser.data<PasskeyRegistrationOptions>(
        await p.browser.mutate('passkeys.registrationOptions'),
      );
      const made = softwareAuthenticator(h.baseUrl).create(registration);
      // (authenticatorData beside the attestation object is a convenience copy the hub does not read.)
      const part = (['clientDataJSON', 'attestationObject'] as const)[i % 2]!;
      const refused = await p.browser.mutate('passkeys.register', {
        response: { ...made, response: { ...made.response, [part]: junk(1 + i * 11) } },
      });
      expect(refused.status, `${part}: ${refused.text}`).toBe(400);
    }
    expect(p.browser.data<Passkey[]>(await p.browser.query('passkeys.list'))).toHaveLength(1);
  });
});

describe('registering is a signed-in person’s, from the hub’s own pages', () => {
  test('without a session: 401', async ({ h }) => {
    const b = browserFor(h.baseUrl);
    expect((await b.mutate('passkeys.registrationOptions')).status).toBe(401);
    expect((await b.query('passkeys.list')).status).toBe(401);
  });

  test('from another site, or without the custom header: 403, and nothing is registered', async ({ h }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const options = p.browser.data<PasskeyRegistrationOptions>(
      await p.browser.mutate('passkeys.registrationOptions'),
    );
    const response = softwareAuthenticator(h.baseUrl).create(options);
    for (const forged of [
      browserFor(h.baseUrl, { origin: 'https://evil.example' }),
      browserFor(h.baseUrl, { csrf: false }),
    ]) {
      forged.jar.set('ccx_session', p.browser.jar.get('ccx_session')!);
      expect((await forged.mutate('passkeys.registrationOptions')).status).toBe(403);
      expect((await forged.mutate('passkeys.register', { response })).status).toBe(403);
    }
    // The sign-in calls, open to anyone, must come from the hub's pages as well.
    const evil = browserFor(h.baseUrl, { origin: 'https://evil.example' });
    expect((await evil.mutate('passkeys.signInOptions', {})).status).toBe(403);
    expect(p.browser.data<Passkey[]>(await p.browser.query('passkeys.list'))).toEqual([]);
  });

  test('an answer for another origin, a second use of the challenge, or a challenge of another session: 400, nothing kept', async ({
    h,
    clock,
  }) => {
    const member = await h.makeAuthority();
    const p = await setUpPerson(h, member.id);
    const register = (response: unknown) => p.browser.mutate('passkeys.register', { response });
    const ask = async () =>
      p.browser.data<PasskeyRegistrationOptions>(await p.browser.mutate('passkeys.registrationOptions'));

    const wrongOrigin = await register(
      softwareAuthenticator(h.baseUrl).create(await ask(), { origin: 'https://evil.example' }),
    );
    expect(wrongOrigin.status).toBe(400);
    expect(errorMessage(wrongOrigin)).toMatch(/could not be registered/);

    const wrongRp = await register(
      softwareAuthenticator(h.baseUrl).create(await ask(), { rpId: 'evil.example' }),
    );
    expect(wrongRp.status).toBe(400);

    const noUv = await register(
      softwareAuthenticator(h.baseUrl).create(await ask(), { userVerified: false }),
    );
    expect(noUv.status).toBe(400);

    // Answered once: the same answer again finds no challenge.
    const options = await ask();
    const response = softwareAuthenticator(h.baseUrl).create(options);
    expect((await register(response)).status).toBe(200);
    expect((await register(response)).status).toBe(400);

    // A challenge asked for in one session is not answered from another of the same person's.
    const laptop = await ask();
    const elsewhere = await signInWithPassword(h, p);
    expect(
      (
        await elsewhere.mutate('passkeys.register', {
          response: softwareAuthenticator(h.baseUrl).create(laptop),
        })
      ).status,
    ).toBe(400);

    // After five minutes the challenge is gone.
    const expiring = await ask();
    clock.move(6 * MINUTE);
    expect((await register(softwareAuthenticator(h.baseUrl).create(expiring))).status).toBe(400);

    expect(p.browser.data<Passkey[]>(await p.browser.query('passkeys.list'))).toHaveLength(1);
  });

  test('an API client, even the hub-admin’s, has no passkeys: 403', async ({ h }) => {
    const { token } = await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin');
    const answer = await h.trpcGet('passkeys.list', `Bearer ${token}`);
    expect(answer.status).toBe(403);
  });
});

describe('asking for sign-in options says nothing about an address', () => {
  /** The answer's shape: its fields, and each offered credential's fields and length of id. */
  const shapeOf = (o: PasskeySignInOptions) => ({
    fields: Object.keys(o).sort(),
    options: Object.keys(o.options).sort(),
    allow: (o.options.allowCredentials ?? []).map((c) => ({
      fields: Object.keys(c).sort(),
      idLength: c.id.length,
      transports: c.transports,
    })),
  });

  test('a known address with a passkey, a known address without one, and an unknown address get the same shape', async ({
    h,
  }) => {
    const p = await personWithPasskey(h);
    const passwordOnly = await setUpPerson(h, p.person.authorityId);
    const b = browserFor(h.baseUrl);
    const known = await signInOptions(b, p.email);
    const without = await signInOptions(b, passwordOnly.email);
    const unknown = await signInOptions(b, `nobody.here@${p.person.authorityId}.example.gov.uk`);
    expect(known.options.allowCredentials).toHaveLength(1);
    expect(shapeOf(without)).toEqual(shapeOf(known));
    expect(shapeOf(unknown)).toEqual(shapeOf(known));
    // Asked again, an unknown address is offered the same made-up passkey, as a real one would be.
    const unknownAgain = await signInOptions(b, `nobody.here@${p.person.authorityId}.example.gov.uk`);
    expect(unknownAgain.options.allowCredentials).toEqual(unknown.options.allowCredentials);
    expect(unknown.options.allowCredentials).not.toEqual(without.options.allowCredentials);
  });

  test('no stored challenge outlives its five minutes once a new one is asked for', async ({ h, clock }) => {
    const b = browserFor(h.baseUrl);
    await signInOptions(b);
    clock.move(6 * MINUTE);
    await signInOptions(b);
    const [row] = await queryRows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from passkey_challenges where expires_at <= ${clock.now().toISOString()}::timestamptz`,
    );
    expect(Number(row?.n)).toBe(0);
  });
});
