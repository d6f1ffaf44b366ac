// Single sign-on through the console with a real OpenID provider (oidc-provider, in this process):
// Tom Hughes, Bolton's admin, sets Bolton's identity provider up on the console's sign-in settings
// page; then, in a browser of her own, a Bolton officer types her address at /sign-in, is sent to the
// provider, signs in there and comes back signed in to the console as herself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestIdp, type TestIdp, type TestIdpAccount } from '../support/oidc-idp.js';
import {
  checkPage,
  chromiumMissing,
  JOURNEY_MS,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startConsoleHub,
  type ConsoleHub,
} from './support.js';

const CLIENT_ID = 'ccx-hub-bolton';
const CLIENT_SECRET = 'bolton-idp-client-secret-0123456789abcdef';
// Tom's own address is at bolton.example.gov.uk, so he keeps his password: the provider is for this one.
const DOMAIN = 'staff.bolton.example.gov.uk';
const accounts: Record<string, TestIdpAccount> = {
  'nadia.rahman': { email: `nadia.rahman@${DOMAIN}`, name: 'Nadia Rahman', emailVerified: true },
};

describe.skipIf(chromiumMissing)('signing in to the console through the council’s identity provider', () => {
  let hub: ConsoleHub;
  let browser: Browser;
  let idp: TestIdp;
  beforeAll(async () => {
    // The in-process provider speaks plain http, so the hub is told to trust such an issuer.
    [hub, browser] = await Promise.all([startConsoleHub({ CCX_OIDC_ALLOW_HTTP: 'true' }), launchBrowser()]);
    idp = await startTestIdp({
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: [`${hub.url}/auth/sso/callback`],
        },
      ],
      accounts,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await hub?.stop();
  });

  it(
    'is set up by the admin on the console, then signs a person in through the provider and back',
    async () => {
      // Tom sets the provider up on the sign-in settings page.
      const admin = await newContext(browser, hub);
      const page = await admin.newPage();
      await signIn(page, hub.person('admin'), '/admin/sign-in');
      await page.getByLabel('Issuer URL').fill(idp.issuer);
      await page.getByLabel('Client id').fill(CLIENT_ID);
      await page.getByLabel('Client secret').fill(CLIENT_SECRET);
      await page.getByLabel('Email domains').fill(DOMAIN);
      await page.getByLabel('Let them in').check();
      await page.getByLabel('Officer').check();
      await page.getByRole('button', { name: 'Save sign-in settings' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').first().textContent())
        .toContain(`People at ${DOMAIN} now sign in`);
      expect(await page.locator('.govuk-summary-list').textContent()).toContain(
        `${hub.url}/auth/sso/callback`,
      );
      await checkPage(page, 'sso: provider saved by the admin');

      // Nadia, in a browser of her own: her address sends her to the provider.
      const context = await newContext(browser, hub);
      const nadia = await context.newPage();
      idp.signInAs('nadia.rahman');
      await nadia.goto('/account');
      await expect.poll(() => new URL(nadia.url()).pathname).toBe('/sign-in');
      await expect.poll(() => nadia.locator('h1').textContent()).toBe('Sign in to ccx');
      await nadia.getByLabel('Email address').fill(`nadia.rahman@${DOMAIN}`);
      const seen: string[] = [];
      nadia.on('request', (r) => {
        if (r.isNavigationRequest()) seen.push(r.url());
      });
      await nadia.getByRole('button', { name: 'Continue' }).click();

      // To the hub's start, the provider (its sign-in: this provider asks nothing) and back to the page first asked for.
      await expect.poll(() => new URL(nadia.url()).pathname, { timeout: 20_000 }).toBe('/account');
      expect(seen.some((u) => new URL(u).pathname === '/auth/sso/start')).toBe(true);
      expect(seen.some((u) => u.startsWith(idp.issuer))).toBe(true);
      expect(seen.some((u) => new URL(u).pathname === '/auth/sso/callback')).toBe(true);
      expect(idp.requests).toContain('/token');
      await expect.poll(() => nadia.locator('h1').textContent()).toBe('Your account');
      const bar = await nadia.getByTestId('account-bar').textContent();
      expect(bar).toContain('Nadia Rahman');
      expect(bar).toContain('officer');
      expect(bar).toContain('Bolton');
      expect(await nadia.locator('.govuk-summary-list').textContent()).toContain(
        'your council’s identity provider',
      );
      await checkPage(nadia, 'sso: signed in, account');
      await screenshot(nadia, 'sso-signed-in');

      await nadia.getByRole('link', { name: 'Home', exact: true }).click();
      await expect.poll(() => nadia.locator('h1').textContent()).toContain('Hello, Nadia Rahman');
      await checkPage(nadia, 'sso: signed in, home');
      await context.close();

      // Tom sees her among Bolton's people, signed in with single sign-on.
      await page.goto('/admin/people');
      const row = page.locator('tr', { hasText: 'Nadia Rahman' });
      await expect.poll(() => row.textContent()).toContain('Active');
      expect(await row.textContent()).toContain('Officer');
      await admin.close();
    },
    JOURNEY_MS,
  );
});
