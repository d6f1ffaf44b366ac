// People for the sign-in suites: invited by the hub-admin, set up through their link as a person
// would (password, then the first TOTP code), each with a browser holding their session.
import type { Person, PersonInvited, Role } from '@ccx/schema';
import { totp } from '@ccx/server/testing';
import { browserFor, type Browser } from '../../support/browser.js';
import type { HttpHarness } from '../../support/http.js';
import { uniq } from '../../support/harness.js';

export const PASSWORD = 'correct horse battery staple';

/** The token a link carries in its fragment. */
export const tokenOf = (url: string): string => new URL(url).hash.replace(/^#(invitation|setup)=/, '');

/** The code an authenticator app shows for this secret at the hub's clock (steps of 30 s later). */
export const codeAt = (h: HttpHarness, secret: string, steps = 0): string =>
  totp.totpAt(secret, totp.totpStep(h.hub.clock.now()) + steps);

export type LocalPerson = {
  person: Person;
  email: string;
  totpSecret: string;
  recoveryCodes: string[];
  /** The browser the person set up in, signed in. */
  browser: Browser;
};

/** Invites a person (as the hub-admin) and sets them up through the link in a new browser. */
export const setUpPerson = async (
  h: HttpHarness,
  authorityId: string,
  role: Role = 'officer',
  name = `Person ${uniq()}`,
): Promise<LocalPerson> => {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${authorityId}.example.gov.uk`;
  const invited: PersonInvited = await h.caller(h.hubAdmin).people.invite({ authorityId, email, name, role });
  const browser = browserFor(h.baseUrl);
  const enrol = browser.data<{ totpSecret: string }>(
    await browser.mutate('auth.acceptLink', { token: tokenOf(invited.invitationUrl), password: PASSWORD }),
  );
  const done = browser.data<{ person: Person; recoveryCodes: string[] }>(
    await browser.mutate('auth.confirmTotp', { code: codeAt(h, enrol.totpSecret) }),
  );
  return {
    person: done.person,
    email,
    totpSecret: enrol.totpSecret,
    recoveryCodes: done.recoveryCodes,
    browser,
  };
};

/** Signs a set-up person in from a new browser: password, then a code (by default the next step's, unused so far). */
export const signIn = async (h: HttpHarness, p: LocalPerson, code?: string): Promise<Browser> => {
  const b = browserFor(h.baseUrl);
  b.data(await b.mutate('auth.signIn', { email: p.email, password: PASSWORD }));
  b.data(await b.mutate('auth.secondFactor', { code: code ?? codeAt(h, p.totpSecret, 1) }));
  return b;
};
