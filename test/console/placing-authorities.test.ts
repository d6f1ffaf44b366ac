// A setting's page, "Authorities placing here": its lead authority sees which authorities place children
// there, how many and their QA contacts (axe clean); a member with no basis there, and a placing
// authority that neither leads nor hosts it, see no such section.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

describe.skipIf(chromiumMissing)('authorities placing at a setting', () => {
  let hub: ConsoleHub;
  let browser: Browser;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startConsoleHub(), launchBrowser()]);
  }, JOURNEY_MS);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it(
    "the demo's lead sees the section with every placing authority; others see none of it",
    async () => {
      const officer = hub.person('officer'); // Medway: the showcase's lead
      const setting = `/settings/${hub.showcase.provisionId}`;
      const api = await apiAs(hub, officer.authorityId);
      const placing = await api.placements.atProvision.query({ provisionId: hub.showcase.provisionId });
      expect(placing.basis).toBe('lead');
      expect(placing.authorities.length).toBeGreaterThan(0);

      const context = await newContext(browser, hub);
      const page = await context.newPage();
      await signIn(page, officer, setting);
      const section = page.getByRole('region', { name: 'Authorities placing here' });
      await expect.poll(() => section.isVisible(), { timeout: 30_000 }).toBe(true);
      await expect.poll(() => section.getByRole('table').isVisible(), { timeout: 30_000 }).toBe(true);
      for (const a of placing.authorities) {
        const row = section.getByRole('row', { name: new RegExp(a.name) });
        await expect.poll(() => row.textContent()).toContain(String(a.children));
        expect(await row.getByRole('link', { name: a.qaInbox }).getAttribute('href')).toBe(
          `mailto:${a.qaInbox}`,
        );
      }
      await checkPage(page, 'setting: authorities placing here (lead)');
      await context.close();

      // North Tyneside (no basis at the showcase) and Bolton (places there, neither leads nor hosts).
      for (const role of ['viewer', 'admin'] as const) {
        const person = hub.person(role);
        const ctx = await newContext(browser, hub);
        const p = await ctx.newPage();
        await signIn(p, person, setting);
        await expect
          .poll(() => p.getByRole('heading', { name: 'Monitoring outcomes' }).isVisible(), {
            timeout: 30_000,
          })
          .toBe(true);
        await expect.poll(() => p.getByTestId('setting-layer').isVisible(), { timeout: 30_000 }).toBe(true);
        expect(await p.getByText('Authorities placing here').count(), person.authorityId).toBe(0);
        expect(await p.getByTestId('placing-authorities').count(), person.authorityId).toBe(0);
        await ctx.close();
      }
    },
    JOURNEY_MS,
  );
});
