// Local accounts end to end over HTTP: an admin invites, the person opens the link, sets a password
// and a TOTP second factor, gets recovery codes once and is signed in; later sign-ins take the
// password then a code; the audit names the person.
import { describe, expect } from 'vitest';
import { totp } from '@ccx/server/testing';
import type { Person, PersonInvited } from '@ccx/schema';
import { browserFor } from '../../support/browser.js';
import { httpTest as test } from '../../support/http.js';

const PASSWORD = 'correct horse battery staple';

/** The token a link carries in its fragment. */
const tokenOf = (url: string): string => new URL(url).hash.replace(/^#(invitation|setup)=/, '');

/** The code an authenticator app would show for this secret at this instant (+steps of 30 s). */
const codeAt = (secret: string, at: Date, steps = 0): string =>
  totp.totpAt(secret, totp.totpStep(at) + steps);

describe('an invited officer sets up a local account', () => {
  test('invitation → link → password → TOTP → signed in, and the audit names the person', async ({ h }) => {
    const member = await h.makeAuthority();
    const admin = await h.makeClientWithToken(member.id, 'admin');
    const invited: PersonInvited = await h.trpc(admin.token).people.invite.mutate({
      email: 'Olivia.Officer@Example.gov.uk',
      name: 'Olivia Officer',
      role: 'officer',
    });
    expect(invited.person).toMatchObject({
      email: 'olivia.officer@example.gov.uk',
      status: 'invited',
      role: 'officer',
    });
    expect(invited.invitationUrl).toMatch(new RegExp(`^${h.config.issuer}/welcome#invitation=[\\w-]{43}$`));
    expect(invited.emailed).toBe(false);
    const expiresIn = new Date(invited.expiresAt).getTime() - h.hub.clock.now().getTime();
    expect(Math.round(expiresIn / 3_600_000)).toBe(72);

    const b = browserFor(h.baseUrl);
    const enrol = b.data<{ totpSecret: string; otpauthUri: string }>(
      await b.mutate('auth.acceptLink', { token: tokenOf(invited.invitationUrl), password: PASSWORD }),
    );
    expect(enrol.otpauthUri).toContain(`secret=${enrol.totpSecret}`);
    // Pending: not yet signed in.
    expect((await b.query('auth.me')).status).toBe(401);

    const done = b.data<{ person: Person; recoveryCodes: string[] }>(
      await b.mutate('auth.confirmTotp', { code: codeAt(enrol.totpSecret, h.hub.clock.now()) }),
    );
    expect(done.person).toMatchObject({ status: 'active', localAccount: true, recoveryCodesLeft: 10 });
    expect(done.recoveryCodes).toHaveLength(10);

    const me = b.data<{ person: Person }>(await b.query('auth.me'));
    expect(me.person.id).toBe(invited.person.id);
    const api = b.data<{ authorityId: string; personId: string; clientId: null }>(
      await b.query('system.ping'),
    );
    expect(api).toMatchObject({ authorityId: member.id, personId: invited.person.id, clientId: null });

    // The link was used up.
    const again = await browserFor(h.baseUrl).mutate('auth.acceptLink', {
      token: tokenOf(invited.invitationUrl),
      password: PASSWORD,
    });
    expect(again.status).toBe(401);

    // An officer's write made in the session is audited as the person.
    const outcomeProvision = await h.makeProvision();
    const created = await b.mutate('concerns.log', {
      provisionId: outcomeProvision.id,
      summary: 'A concern logged from a browser session',
      category: 'quality',
      level: 'level-1',
      occurredOn: '2026-11-30',
    });
    expect(created.status, created.text).toBe(200);
    const audit = h.caller(h.hubAdmin);
    const officerAudit = b.data<{
      items: {
        action: string;
        personId: string | null;
        person?: { name: string } | null;
        clientId: string | null;
      }[];
    }>(await b.query('audit.list', { scope: 'mine' }));
    const actions = officerAudit.items.map((e) => e.action);
    expect(actions).toContain('person.activate');
    expect(actions).toContain('person.sign-in');
    expect(actions.some((a) => a.startsWith('concern'))).toBe(true);
    for (const e of officerAudit.items.filter((i) => i.personId)) {
      expect(e.personId).toBe(invited.person.id);
      expect(e.person?.name).toBe('Olivia Officer');
      expect(e.clientId).toBeNull();
    }
    expect(await audit.audit.verify({ authorityId: member.id })).toMatchObject({ ok: true });
  });
});
