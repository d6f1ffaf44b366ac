// The hub admin's monitoring frequencies: the table of every type's interval and its risk intervals
// (the hub's own figures), a mistake refused with the error summary (a risk interval longer than the
// type's own), then a figure changed and shown.
import { describe, expect, it } from 'vitest';
import {
  checkPage,
  chromiumMissing,
  JOURNEY_MS,
  newContext,
  signIn,
  tokenOf,
  useJourney,
} from './support.js';

type Frequency = { type: string; months: number; risk: Record<string, number> };

describe.skipIf(chromiumMissing)('the hub admin sets how often settings are monitored', () => {
  const j = useJourney();

  it(
    'reads the figures, is refused a risk interval longer than the type’s, then changes one',
    async () => {
      const { hub, browser } = j;
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      await signIn(page, hub.person('hub-admin'), '/partnership');
      await page.getByRole('link', { name: 'How often settings are monitored' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toContain('How often settings are monitored');
      const token = await tokenOf(hub, 'hub-admin');
      // Over REST: GET /api/v1/monitoring/frequencies.
      const frequencies = async () => {
        const res = await fetch(`${hub.url}/api/v1/monitoring/frequencies`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Frequency[];
      };
      const list = await frequencies();
      const shown = () =>
        page.evaluate<string[][]>(
          `[...document.querySelectorAll('table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))`,
        );
      const months = (n: number) => (n === 1 ? '1 month' : `${n} months`);
      const rowsOf = (l: Frequency[]) =>
        l.map((f) => [
          f.type,
          months(f.months),
          months(f.risk['grade-inadequate']!),
          months(f.risk['grade-requires-improvement']!),
          months(f.risk['manager-changed']!),
        ]);
      await expect.poll(shown).toEqual(rowsOf(list));
      await checkPage(page, 'hub: monitoring frequencies');

      await page.locator('select#type').selectOption('short-breaks-home');
      await page.locator('input#risk-manager-changed').fill('13');
      await page.getByRole('button', { name: 'Save the figures' }).click();
      await expect.poll(() => page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/longer than|13/);
      await checkPage(page, 'hub: monitoring frequencies, refused');

      await page.locator('input#risk-manager-changed').fill('');
      await page.locator('input#risk-grade-requires-improvement').fill('4');
      await page.getByRole('button', { name: 'Save the figures' }).click();
      await expect.poll(() => page.locator('.govuk-notification-banner--success').count()).toBe(1);
      const after = await frequencies();
      expect(after.find((f) => f.type === 'short-breaks-home')?.risk['grade-requires-improvement']).toBe(4);
      await expect.poll(shown).toEqual(rowsOf(after));
      await checkPage(page, 'hub: monitoring frequencies, saved');
      await context.close();
    },
    JOURNEY_MS,
  );
});
