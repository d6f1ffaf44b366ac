// Signing in through the console: the address, the password, a code from the authenticator app; a
// wrong password and an empty field answered on the page; a page opened without a session comes back
// after sign-in; signing out ends the session.
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
});
