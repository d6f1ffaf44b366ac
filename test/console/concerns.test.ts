// A concern's page in the console: the Medway officer opens a concern her authority logged (from the
// setting's page), corrects it to level 2 — first refused because someone changed it meanwhile, then
// accepted with the other person's change kept — and it is significant; she marks it substantiated, then
// closes it (a missing reason refused first); once closed it shows no actions and every version. The
// hub admin then moves the risk bands: refused a high band below the medium one, then saved.
import { describe, expect, it } from 'vitest';
import {
  checkPage,
  chromiumMissing,
  JOURNEY_MS,
  newContext,
  signIn,
  tokenOf,
  trpcCall,
  useJourney,
} from './support.js';

const POLL = { timeout: 15_000 };

type Concern = {
  id: string;
  version: number;
  level: string;
  status: string;
  summary: string;
  counts: boolean;
  significant: boolean;
  closedReason: string | null;
  history: { version: number; change: string; note: string | null }[];
};
type Bands = { mediumFrom: number; highFrom: number; isDefault: boolean };

describe.skipIf(chromiumMissing)('a concern’s page and the risk bands', () => {
  const j = useJourney();

  it(
    'the logging officer corrects, substantiates and closes a concern, each kept as a version',
    async () => {
      const { hub, browser } = j;
      const officer = hub.person('officer');
      const token = await tokenOf(hub, officer.authorityId);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
      const logged = await trpcCall<Concern>(hub, token, 'concerns.log', {
        provisionId: hub.showcase.provisionId,
        level: 'level-1',
        category: 'quality',
        occurredOn: today,
        summary: 'Staffing below the rota on two nights',
      });
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const heading = () => page.locator('h1').textContent();
      const errorSummary = page.locator('.govuk-error-summary');
      const banner = page.locator('.govuk-notification-banner--success');

      // The setting's page: the provider's rating, and the concern's title linking to its page.
      await signIn(page, officer);
      await page.goto(`/settings/${hub.showcase.provisionId}`);
      const concerns = page.locator('section[aria-labelledby="concerns-heading"]');
      await expect.poll(() => concerns.textContent(), POLL).toContain('The provider’s risk');
      expect(await concerns.textContent()).toContain('Level 1 (moderate)');
      await checkPage(page, 'setting: concerns with the provider’s risk');
      await concerns.locator(`a[href="/concerns/${logged.id}"]`).click();
      await expect.poll(heading, POLL).toContain('Quality of care concern on');
      const text = () => page.locator('main').textContent();
      expect(await text()).toContain('Open');
      expect(await text()).not.toContain('This concern is significant');
      await checkPage(page, 'concern: open');

      // Correct it to level 2, while someone else corrects its summary: the hub refuses the stale version.
      await page.getByRole('button', { name: 'Correct it' }).click();
      await expect.poll(heading, POLL).toContain('Correct this concern');
      await checkPage(page, 'concern: the correction form');
      await trpcCall(hub, token, 'concerns.correct', {
        id: logged.id,
        version: logged.version,
        summary: 'Staffing below the rota on three nights',
        note: 'a third night found in the rota',
      });
      await page.getByLabel('Level 2 (significant or catastrophic)').check();
      await page.getByLabel('Why are you correcting it?').fill('A second incident was reported');
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await expect.poll(() => errorSummary.count(), POLL).toBe(1);
      expect(await errorSummary.textContent()).toMatch(
        /has changed: you sent version 1, the current version is 2/,
      );
      // The page read it again: the other person's summary is shown, and kept by the next attempt.
      await expect.poll(text, POLL).toContain('Staffing below the rota on three nights');
      await checkPage(page, 'concern: correction refused, changed meanwhile');
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await expect.poll(() => banner.textContent(), POLL).toContain('Concern corrected');
      await expect.poll(text, POLL).toContain('This concern is significant');
      expect(await text()).toContain('Level 2 (significant or catastrophic)');
      await checkPage(page, 'concern: corrected to level 2, significant');

      // Substantiate it, with a note.
      await page.getByRole('button', { name: 'Mark substantiated' }).click();
      await expect.poll(heading, POLL).toContain('Mark this concern substantiated');
      await page.getByLabel('What was found? (optional)').fill('Confirmed at an unannounced visit');
      await checkPage(page, 'concern: marking it substantiated');
      await page.getByRole('button', { name: 'Mark substantiated' }).click();
      await expect.poll(() => banner.textContent(), POLL).toContain('Concern marked substantiated');
      expect(await page.locator('.govuk-summary-list').first().textContent()).toContain('Substantiated');
      await checkPage(page, 'concern: substantiated');

      // Close it: no reason is refused, then a reason closes it.
      await page.getByRole('button', { name: 'Close it' }).click();
      await expect.poll(heading, POLL).toContain('Close this concern');
      await page.getByRole('button', { name: 'Close concern' }).click();
      await expect.poll(() => errorSummary.count(), POLL).toBe(1);
      expect(await errorSummary.textContent()).toContain('Say why the concern is closed');
      expect(await page.locator('#reason-error').textContent()).toContain('Say why the concern is closed');
      await checkPage(page, 'concern: closing refused, no reason');
      const reason = 'Staffing restored and checked at a visit';
      await page.getByLabel('Why is it closed?').fill(reason);
      await page.getByRole('button', { name: 'Close concern' }).click();
      await expect.poll(() => banner.textContent(), POLL).toContain('Concern closed');

      // Closed: no actions, and every version in the history, newest first.
      expect(await page.getByRole('heading', { name: 'Change this concern' }).count()).toBe(0);
      for (const name of ['Correct it', 'Mark substantiated', 'Mark unsubstantiated', 'Close it'])
        expect(await page.getByRole('button', { name }).count(), name).toBe(0);
      expect(await text()).toContain('This concern is closed and no longer changes');
      const history = () =>
        page.evaluate<string[][]>(
          `[...document.querySelectorAll('table tbody tr')].map((tr) => [...tr.children].slice(0, 3).map((c) => c.textContent.trim()))`,
        );
      const rows = await history();
      expect(rows.map((r) => [r[0], r[2]])).toEqual([
        ['5', 'Closed'],
        ['4', 'Marked substantiated'],
        ['3', 'Corrected'],
        ['2', 'Corrected'],
        ['1', 'Logged'],
      ]);
      await checkPage(page, 'concern: closed, its history');

      // The hub has it so.
      const got = await trpcCall<Concern>(hub, token, 'concerns.get', { id: logged.id });
      expect(got).toMatchObject({
        status: 'closed',
        version: 5,
        level: 'level-2',
        summary: 'Staffing below the rota on three nights',
        counts: false,
        closedReason: reason,
      });
      expect(got.history.map((h) => [h.version, h.change, h.note])).toEqual([
        [1, 'logged', null],
        [2, 'corrected', 'a third night found in the rota'],
        [3, 'corrected', 'A second incident was reported'],
        [4, 'substantiated', 'Confirmed at an unannounced visit'],
        [5, 'closed', reason],
      ]);
      await context.close();
    },
    JOURNEY_MS,
  );

  it(
    'the hub admin reads the risk bands, is refused a high band below the medium one, then moves them',
    async () => {
      const { hub, browser } = j;
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      await signIn(page, hub.person('hub-admin'), '/partnership');
      await page.getByRole('link', { name: 'Risk bands for concerns' }).click();
      await expect.poll(() => page.locator('h1').textContent(), POLL).toContain('Risk bands for concerns');
      const shown = () =>
        page.evaluate<string[][]>(
          `[...document.querySelectorAll('table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))`,
        );
      await expect.poll(shown, POLL).toEqual([
        ['None', '0'],
        ['Low', '1 to 4'],
        ['Medium', '5 to 10'],
        ['High', '11 or more'],
      ]);
      expect(await page.getByTestId('bands-source').textContent()).toContain('the defaults');
      await checkPage(page, 'hub: risk bands');

      await page.getByLabel('Medium from (concerns)').fill('6');
      await page.getByLabel('High from (concerns)').fill('4');
      await page.getByRole('button', { name: 'Save the bands' }).click();
      await expect.poll(() => page.locator('.govuk-error-summary').count(), POLL).toBe(1);
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'highFrom must be more than mediumFrom',
      );
      expect(await page.locator('#highFrom-error').textContent()).toContain('must be more than mediumFrom');
      await checkPage(page, 'hub: risk bands, refused');

      await page.getByLabel('Medium from (concerns)').fill('4');
      await page.getByLabel('High from (concerns)').fill('9');
      await page.getByRole('button', { name: 'Save the bands' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('medium from 4 concerns, high from 9');
      await expect.poll(shown, POLL).toEqual([
        ['None', '0'],
        ['Low', '1 to 3'],
        ['Medium', '4 to 8'],
        ['High', '9 or more'],
      ]);
      expect(await page.locator('.govuk-error-summary').count()).toBe(0);
      await checkPage(page, 'hub: risk bands, saved');

      const bands = await trpcCall<Bands>(
        hub,
        await tokenOf(hub, 'hub-admin'),
        'concerns.riskBands',
        undefined,
      );
      expect(bands).toMatchObject({ mediumFrom: 4, highFrom: 9, isDefault: false });
      await context.close();
    },
    JOURNEY_MS,
  );
});
