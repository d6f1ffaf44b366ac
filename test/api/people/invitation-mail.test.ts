// With CCX_SMTP_URL set, an invitation is e-mailed through a real SMTP server (started here): the
// person receives the single-use link, which sets up their account; when the relay refuses, the
// invitation is refused and nothing is saved.
import { expect } from 'vitest';
import { startSmtpServer } from '../../support/smtp.js';
import { browserFor } from '../../support/browser.js';
import { httpTest as test } from '../../support/http.js';
import { codeAt, PASSWORD, tokenOf } from './fixtures.js';

const smtp = await startSmtpServer({
  onRcptTo(address, _session, cb) {
    // The relay refuses one address, as a real one refuses an unknown mailbox.
    if (address.address.startsWith('bounce')) cb(new Error('550 mailbox unavailable'));
    else cb();
  },
});

test.override({
  hubEnv: { CCX_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, CCX_MAIL_FROM: 'ccx@partnership.example.gov.uk' },
});
test.afterAll(() => smtp.close());

/** The body of a received message, quoted-printable soft breaks undone. */
const bodyOf = (raw: string): string =>
  raw
    .slice(raw.indexOf('\r\n\r\n') + 4)
    .replace(/=\r\n/g, '')
    .replace(/=3D/g, '=');

test('an invitation is e-mailed with its link, which sets the person up', async ({ h }) => {
  const member = await h.makeAuthority({ name: 'Medway Council' });
  const admin = await h.makeClientWithToken(member.id, 'admin');
  const invited = await h.trpc(admin.token).people.invite.mutate({
    email: 'qa.officer@medway.example.gov.uk',
    name: 'Quinn Officer',
    role: 'officer',
  });
  expect(invited.emailed).toBe(true);
  const mail = smtp.received.find((m) => m.rcptTo.includes('qa.officer@medway.example.gov.uk'))!;
  expect(mail.mailFrom).toBe('ccx@partnership.example.gov.uk');
  const body = bodyOf(mail.raw);
  expect(body).toContain('Dear Quinn Officer');
  expect(body).toContain('Medway Council');
  expect(body).toContain(invited.invitationUrl);

  // The e-mailed link works as the one shown to the admin (they are the same link).
  const b = browserFor(h.baseUrl);
  const enrol = b.data<{ totpSecret: string }>(
    await b.mutate('auth.acceptLink', { token: tokenOf(invited.invitationUrl), password: PASSWORD }),
  );
  b.data(await b.mutate('auth.confirmTotp', { code: codeAt(h, enrol.totpSecret) }));
  expect((await b.query('system.ping')).status).toBe(200);
});

test('a relay that refuses the address refuses the invitation: 503, and no person is saved', async ({
  h,
}) => {
  const member = await h.makeAuthority();
  const admin = await h.makeClientWithToken(member.id, 'admin');
  const res = await fetch(`${h.baseUrl}/trpc/people.invite`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
    body: JSON.stringify({ email: 'bounce@medway.example.gov.uk', name: 'Bounced', role: 'viewer' }),
  });
  expect(res.status).toBe(503);
  expect(await res.text()).toMatch(/could not be e-mailed, so nothing was saved/);
  const people = await h.caller(h.hubAdmin).people.list({ authorityId: member.id });
  expect(people.map((p) => p.email)).not.toContain('bounce@medway.example.gov.uk');
});
