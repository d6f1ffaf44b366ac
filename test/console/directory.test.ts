// The directory keeps its integrity, in the console: Priya, an officer at Medway, opens the details of a
// setting Kent hosts; its regulator facts are read-only to her, and she proposes a correction with her
// evidence. Sam, the hub admin, finds it awaiting a decision and accepts it: the setting's grade is the
// corrected one, and Priya's own list shows it accepted. Every page is checked with axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  apiAs,
  checkPage,
  chromiumMissing,
  JOURNEY_MS,
  launchBrowser,
  newContext,
  signIn,
  startConsoleHub,
  type ConsoleHub,
} from './support.js';

const heading = (page: Page) => page.locator('h1').textContent();
const banner = (page: Page) => page.locator('.govuk-notification-banner--success');

describe.skipIf(chromiumMissing)(
  'a member proposes a correction of the directory; the hub admin accepts it',
  () => {
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
      'propose → accept',
      async () => {
        const showcase = hub.showcase;
        const medway = await apiAs(hub, 'medway');
        const before = await medway.provisions.get.query({ id: showcase.provisionId });
        expect(before.hostAuthorityId).not.toBe('medway');
        const target = before.ofstedGrade === 'inadequate' ? 'requires-improvement' : 'inadequate';

        // Priya sees the facts read-only, with a form to propose a correction.
        const priyaContext = await newContext(browser, hub);
        const priya = await priyaContext.newPage();
        await signIn(priya, hub.person('officer'), `/partnership/directory/settings/${showcase.provisionId}`);
        await expect.poll(() => heading(priya)).toContain(before.name);
        await expect.poll(() => priya.getByRole('heading', { name: 'Propose a correction' }).count()).toBe(1);
        expect(await priya.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
        await checkPage(priya, 'directory: propose a correction');

        // Nothing changed: the hub says so, on the form.
        await priya.getByRole('button', { name: 'Propose correction' }).click();
        await expect.poll(() => priya.locator('.govuk-error-summary').isVisible()).toBe(true);
        await checkPage(priya, 'directory: a correction that changes nothing');

        await priya.getByLabel('Ofsted grade').selectOption(target);
        await priya
          .getByLabel('Why, and on what evidence')
          .fill('Ofsted monitoring visit letter of 2 December 2026');
        await priya.getByRole('button', { name: 'Propose correction' }).click();
        await expect.poll(() => banner(priya).textContent()).toContain('Your correction is proposed');
        expect((await medway.provisions.get.query({ id: showcase.provisionId })).ofstedGrade).toBe(
          before.ofstedGrade,
        );

        // Sam finds it awaiting a decision, and accepts it.
        const samContext = await newContext(browser, hub);
        const sam = await samContext.newPage();
        await signIn(sam, hub.person('hub-admin'), '/partnership/corrections');
        await expect.poll(() => heading(sam)).toContain('Corrections awaiting your decision');
        const section = sam.getByRole('region', { name: `Correction of ${before.name}` });
        await expect.poll(() => section.count()).toBe(1);
        await checkPage(sam, 'directory: corrections awaiting a decision');
        await section.getByLabel(/^Note/).fill('the letter confirms it');
        await section.getByRole('button', { name: 'Accept' }).click();
        await expect.poll(() => banner(sam).textContent()).toContain('Accepted the correction');
        await expect.poll(() => section.count()).toBe(0);
        await checkPage(sam, 'directory: a correction accepted');

        const after = await medway.provisions.get.query({ id: showcase.provisionId });
        expect(after.ofstedGrade).toBe(target);

        // Priya's own list shows what became of it.
        await priya.goto('/partnership/corrections?view=mine');
        await expect.poll(() => heading(priya)).toContain('Corrections you proposed');
        await expect.poll(() => priya.getByRole('cell', { name: 'accepted' }).count()).toBeGreaterThan(0);
        await checkPage(priya, 'directory: my corrections');

        // The merge page, for the hub admin: a preview first.
        await sam.goto('/partnership/merge');
        await expect.poll(() => heading(sam)).toContain('Merge two settings');
        await checkPage(sam, 'directory: merge');
        await priyaContext.close();
        await samContext.close();
      },
      JOURNEY_MS,
    );
  },
);
