// Signing in through the console: the address, the password, a code from the authenticator app; a
// wrong password and an empty field answered on the page; a page opened without a session comes back
// after sign-in; signing out ends the session.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  checkPage,
  chromiumMissing,
  focusedHasClass,
  freshCode,
  launchBrowser,
  JOURNEY_MS,
  newContext,
  screenshot,
  signIn,
  startConsoleHub,
  type ConsoleHub,
} from './support.js';

describe.skipIf(chromiumMissing)('signing in to the console', () => {
  let hub: ConsoleHub;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([startConsoleHub(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it(
    'asks for the address, the password and a code, then returns to the page first asked for',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const priya = hub.person('officer');
      await page.goto('/account');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
      expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/account');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in to ccx');
      await checkPage(page, 'sign-in: address');

      await page.getByRole('button', { name: 'Continue' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect.poll(() => summary.textContent()).toContain('Enter your email address');
      expect(await focusedHasClass(page, 'govuk-error-summary')).toBe(true);
      await checkPage(page, 'sign-in: address missing');

      await page.getByLabel('Email address').fill(priya.email);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Password', { exact: true }).fill('not her password at all');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect
        .poll(() => summary.textContent())
        .toContain('the e-mail address or the password is not right');
      await checkPage(page, 'sign-in: wrong password');
      await screenshot(page, 'sign-in-error');

      await page.getByLabel('Password', { exact: true }).fill(priya.password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Code from your authenticator app').fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => summary.isVisible()).toBe(true);
      await checkPage(page, 'sign-in: wrong code');
      await page.getByLabel('Code from your authenticator app').fill(freshCode(priya.totpSecret));
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect.poll(() => new URL(page.url()).pathname).toBe('/account');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Your account');
      expect(await page.getByTestId('account-bar').textContent()).toContain('Priya Shah');
      await checkPage(page, 'account');

      await page.getByRole('link', { name: 'Sign out' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
      await page.goto('/');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
      await context.close();
    },
    JOURNEY_MS,
  );

  it(
    'adds a passkey on the account page and signs in with it alone (Chromium’s virtual authenticator)',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      // A platform authenticator that says yes at once: WebAuthn's own test hook in Chromium (DevTools protocol).
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      const aisha = hub.person('viewer');
      await signIn(page, aisha, '/account');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Your account');
      await expect.poll(() => page.getByText('You have no passkeys.').count()).toBe(1);
      await page.getByLabel('Name for a new passkey (optional)').fill('Work laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').textContent())
        .toContain('Work laptop');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      await checkPage(page, 'account: passkey added');

      await page.getByRole('link', { name: 'Sign out' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await expect.poll(() => page.getByTestId('account-bar').textContent()).toContain(aisha.name);
      await page.goto('/account');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Your account');
      const row = page.getByRole('row', { name: /Work laptop/ });
      expect(await row.textContent()).not.toContain('Never');
      await context.close();
    },
    JOURNEY_MS,
  );

  it(
    'opens a set-up link for the first hub admin: password, authenticator app, recovery codes',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const { setupUrl } = JSON.parse(await readFile(path.join(hub.dataDir, 'bootstrap.json'), 'utf8')) as {
        setupUrl: string;
      };
      expect(new URL(setupUrl).hash).toMatch(/^#setup=/);
      await page.goto(setupUrl);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Set up the hub’s first account');
      // The token leaves the address bar at once: it is not kept in the history.
      expect(new URL(page.url()).hash).toBe('');
      await checkPage(page, 'welcome: set-up link');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect
        .poll(() => page.locator('.govuk-error-summary').textContent())
        .toContain('Enter your email address');
      await checkPage(page, 'welcome: fields missing');
      await page.getByLabel('Email address').fill('lee.marsh@partnership.example.gov.uk');
      await page.getByLabel('Full name').fill('Lee Marsh');
      await page.getByLabel('Choose a password').fill('correct horse battery staple');
      await page.getByLabel('Type the password again').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Continue' }).click();
      const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      await checkPage(page, 'welcome: authenticator app');
      await page.getByLabel('Code from your authenticator app').fill(freshCode(secret!));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
      await checkPage(page, 'welcome: recovery codes');
      await page.getByRole('button', { name: /I have saved my codes/ }).click();
      await expect.poll(() => page.getByTestId('account-bar').textContent()).toContain('Lee Marsh');
      expect(await page.getByTestId('account-bar').textContent()).toContain('hub admin');
      await checkPage(page, 'home: hub admin');
      await context.close();
    },
    JOURNEY_MS,
  );
});
