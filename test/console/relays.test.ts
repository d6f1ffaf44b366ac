// One record per regulator notice, in the console, as Priya Shah of Medway: Bolton relays an Ofsted
// restriction of accommodation at the showcase setting; Medway relays the same notice and joins Bolton's
// record; its page says so and lists both relayers, and Medway — a relayer, not the issuer — lifts it
// when Ofsted does, the page then naming who lifted it.
import { describe, expect, it } from 'vitest';
import { checkPage, chromiumMissing, JOURNEY_MS, signIn, useJourney } from './support.js';

const POLL = { timeout: 15_000 };

describe.skipIf(chromiumMissing)('a regulator notice relayed by two members, in the console', () => {
  const j = useJourney();

  it(
    'says the notice joined the existing record, lists its relayers, and lets a relayer lift it',
    async () => {
      const { hub, page, api } = j;
      const notice = {
        provisionId: hub.showcase.provisionId,
        kind: 'ofsted-restriction',
        source: 'regulator',
        regulatorReference: 'OFS-INVENTED-0042',
        reasons: [{ category: 'regulator-judgement', text: 'Invented: restriction of accommodation' }],
      };
      const made = await api<{ id: string; joined: boolean }>('bolton', 'restrictions.create', notice);
      const joined = await api<{ id: string; joined: boolean }>('medway', 'restrictions.create', notice);
      expect(made.joined).toBe(false);
      expect(joined).toMatchObject({ id: made.id, joined: true });

      await signIn(page, hub.person('officer'), `/restrictions/${made.id}?done=joined`);
      await expect
        .poll(() => page.locator('.govuk-notification-banner').textContent(), POLL)
        .toContain('your authority joined the existing record as a relayer');
      const list = page.locator('.govuk-summary-list').first();
      await expect.poll(() => list.textContent(), POLL).toContain('Relayed by');
      expect(await list.textContent()).toMatch(/Bolton.*\(bolton\).*Medway.*\(medway\)/s);
      await checkPage(page, 'restriction: a regulator notice joined');

      await page.getByLabel('Why is it lifted?').fill('Invented: Ofsted lifted the restriction');
      await page.getByRole('button', { name: 'Lift restriction' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner').textContent(), POLL)
        .toContain('Restriction lifted.');
      await expect.poll(() => list.textContent(), POLL).toMatch(/by Medway[^:]*: Invented: Ofsted lifted/);
      await checkPage(page, 'restriction: lifted by a relayer');
    },
    JOURNEY_MS,
  );
});
