// Deadlines in the console, as Priya Shah of Medway (Medway leads the showcase setting): the Deadlines
// page lists the demo's letter of concern from Bolton, whose compliance period ended without compliance
// recorded; Medway's own letter of concern is recorded as complied from its restriction page, which ends
// it; an action item past its due date is marked met from the outcome page.
import { describe, expect, it } from 'vitest';
import { checkPage, chromiumMissing, JOURNEY_MS, signIn, londonDay, useJourney } from './support.js';

const POLL = { timeout: 15_000 };

describe.skipIf(chromiumMissing)('deadlines in the console', () => {
  const j = useJourney();

  it(
    'lists what has passed, records compliance from the restriction page and marks an action met',
    async () => {
      const { hub, page, api } = j;
      // Medway's own letter of concern, given 40 days ago: its compliance period has ended.
      const loc = await api<{ id: string }>('medway', 'restrictions.create', {
        provisionId: hub.showcase.provisionId,
        kind: 'letter-of-concern',
        reasons: [{ category: 'quality', text: 'Invented: night staffing below the agreed ratio' }],
        effectiveFrom: londonDay(-40),
      });
      // And an outcome whose high-concern action was due on a date already past.
      const draft = await api<{ id: string; version: number }>('medway', 'outcomes.create', {
        provisionId: hub.showcase.provisionId,
        activityType: 'monitoring-visit',
        activityDate: londonDay(-10),
        overallRating: 3,
        summary: 'Invented: monitoring visit',
        actionItems: [
          { description: 'Invented: repair the fire door', concernLevel: 'high', dueOn: londonDay(-2) },
        ],
      });
      await api('medway', 'outcomes.publish', { id: draft.id, version: draft.version });

      await signIn(page, hub.person('officer'));
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Deadlines' }).click();
      await expect.poll(() => page.locator('h1').textContent(), POLL).toContain('Deadlines');
      const overdue = page.getByRole('table', { name: 'Overdue, the oldest first' });
      await expect
        .poll(() => overdue.textContent(), POLL)
        .toMatch(/compliance period ended on .* without compliance recorded/);
      // Bolton's letter of concern at the setting Medway leads, and Medway's own.
      expect(await overdue.textContent()).toContain('Bolton');
      expect(await overdue.textContent()).toContain('Invented: repair the fire door');
      await checkPage(page, 'deadlines: overdue');

      await page.goto(`${hub.url}/restrictions/${loc.id}`);
      await expect
        .poll(() => page.getByRole('heading', { name: 'Record the provider’s compliance' }).count(), POLL)
        .toBe(1);
      await page.getByRole('button', { name: 'Record compliance' }).click();
      await expect
        .poll(() => page.locator('.govuk-error-summary').textContent(), POLL)
        .toContain('Say whether the provider complied');
      await checkPage(page, 'restriction: compliance form errors');
      await page.getByLabel('Yes, it complied').check();
      await page.getByLabel('Note (optional)').fill('Invented: rota seen, ratio met');
      await page.getByRole('button', { name: 'Record compliance' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').textContent(), POLL)
        .toContain('compliance is recorded');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('Complied (recorded');
      await checkPage(page, 'restriction: compliance recorded');

      await page.goto(`${hub.url}/outcomes/${draft.id}`);
      const mark = page.getByRole('button', { name: 'Mark as met: Invented: repair the fire door' });
      await expect.poll(() => mark.count(), POLL).toBe(1);
      await checkPage(page, 'outcome: action item to mark met');
      await mark.click();
      await expect.poll(() => mark.count(), POLL).toBe(0);

      const left = await api<{ items: { recordId: string }[] }>('medway', 'deadlines.overdue', {});
      expect(left.items.map((i) => i.recordId)).not.toContain(loc.id);
      expect(left.items.map((i) => i.recordId)).not.toContain(draft.id);
    },
    JOURNEY_MS,
  );
});
