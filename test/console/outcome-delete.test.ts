// Deleting a draft outcome in the console: the officer opens her authority's draft, chooses "Delete
// draft", confirms on a GOV.UK confirmation page, and is told it is gone; the hub no longer has it.
import { describe, expect, it } from 'vitest';
import { checkPage, chromiumMissing, JOURNEY_MS, londonDay, signIn, useJourney } from './support.js';

const POLL = { timeout: 15_000 };

describe.skipIf(chromiumMissing)('deleting a draft outcome', () => {
  const j = useJourney();

  it(
    'asks for confirmation, deletes the draft and says so',
    async () => {
      const { hub, page, api } = j;
      const draft = await api<{ id: string }>('medway', 'outcomes.create', {
        provisionId: hub.showcase.provisionId,
        activityType: 'desk-review',
        activityDate: londonDay(),
        overallRating: 2,
        summary: 'A desk review drafted in error',
      });

      await signIn(page, hub.person('officer'));
      await page.goto(`/outcomes/${draft.id}`);
      await page.getByRole('button', { name: 'Delete draft' }).click();
      await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Delete this draft?');
      await checkPage(page, 'outcome: confirm deleting a draft');

      // Cancel keeps it; confirming deletes it.
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Delete draft' }).click();
      await page.getByRole('button', { name: 'Yes, delete the draft' }).click();
      await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Draft deleted');
      await checkPage(page, 'outcome: draft deleted');

      const gone = await api('medway', 'outcomes.get', { id: draft.id }).then(
        () => 'found',
        (err: unknown) => String(err),
      );
      expect(gone).toMatch(/NOT_FOUND|404|not found/i);
    },
    JOURNEY_MS,
  );
});
