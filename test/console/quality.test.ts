// The quality-assurance officer's journey through the console, as Priya Shah of Medway (Medway leads the
// showcase setting): her settings and their monitoring; a visit outcome written with a mistake, fixed,
// saved as a draft, published and amended — meeting a version conflict made over the API meanwhile;
// an ended session that keeps what was typed; restrictions (an informal embargo, a provider-wide one,
// lifted) and a concern; and notifications arriving live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  checkPage,
  chromiumMissing,
  focusedHasClass,
  launchBrowser,
  JOURNEY_MS,
  newContext,
  screenshot,
  signIn,
  startConsoleHub,
  tokenOf,
  trpcCall,
  type ConsoleHub,
} from './support.js';

const POLL = { timeout: 15_000 };

/** A day in London, `days` before today, as YYYY-MM-DD. */
const londonDay = (daysAgo: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() - daysAgo * 86_400_000),
  );

describe.skipIf(chromiumMissing)('the quality-assurance officer', () => {
  let hub: ConsoleHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const tokens = new Map<string, string>();

  /** An API client's access token (client credentials), as a member's own system would get one. */
  const tokenFor = async (authorityId: string): Promise<string> => {
    const token = tokens.get(authorityId) ?? (await tokenOf(hub, authorityId));
    tokens.set(authorityId, token);
    return token;
  };

  /** tRPC over HTTP as an API client (the hub takes POST for a query too). */
  const api = async <T = Record<string, unknown>>(
    authorityId: string,
    _kind: 'query' | 'mutation',
    procedure: string,
    input: unknown,
  ): Promise<T> => trpcCall<T>(hub, await tokenFor(authorityId), procedure, input);

  const h1 = () => page.locator('h1').textContent();
  const path = () => new URL(page.url()).pathname;
  const menu = () => page.getByRole('navigation', { name: 'Menu' });

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startConsoleHub(), launchBrowser()]);
    context = await newContext(browser, hub);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await hub?.stop();
  });

  it(
    'shows the settings Medway leads on, with where their monitoring stands',
    async () => {
      await signIn(page, hub.person('officer'));
      const mine = await api<
        { provisionId: string; monitoring?: { status: string; interval: { reason: string } } }[]
      >('medway', 'query', 'allocations.mine', undefined);
      const showcase = mine.find((a) => a.provisionId === hub.showcase.provisionId);
      expect(showcase?.monitoring).toBeDefined();
      const words = {
        ok: 'Up to date',
        'due-soon': 'Due soon',
        overdue: 'Overdue',
        'never-monitored': 'Never monitored',
      }[showcase!.monitoring!.status]!;

      await menu().getByRole('link', { name: 'My settings' }).click();
      await expect.poll(h1, POLL).toContain('My settings');
      const row = page.locator('tr', { hasText: hub.showcase.name });
      await expect.poll(() => row.count(), POLL).toBe(1);
      expect(await row.locator('.govuk-tag').textContent()).toBe(words);
      // Beside the next due date, which interval applied and why ("every 12 months: …").
      expect(await row.textContent()).toContain(showcase!.monitoring!.interval.reason);
      expect(await row.getByRole('link', { name: /Record a visit outcome/ }).getAttribute('href')).toBe(
        `/outcomes/new?provisionId=${hub.showcase.provisionId}`,
      );
      expect(
        await row.getByRole('link', { name: hub.showcase.name, exact: false }).first().getAttribute('href'),
      ).toBe(`/settings/${hub.showcase.provisionId}`);
      await checkPage(page, 'my settings');
    },
    JOURNEY_MS,
  );

  it(
    'writes an outcome with a mistake, fixes it, saves a draft, publishes it and amends it through a conflict',
    async () => {
      const row = page.locator('tr', { hasText: hub.showcase.name });
      await row.getByRole('link', { name: /Record a visit outcome/ }).click();
      await expect.poll(h1, POLL).toContain('Record a visit outcome');
      await expect.poll(h1, POLL).toContain(hub.showcase.name);
      await checkPage(page, 'outcome form: empty');

      // A mistake: no summary, a month that does not exist, an action item left blank.
      const visit = londonDay(3);
      const [y, m, d] = visit.split('-');
      await page.locator('#activityType').selectOption('monitoring-visit');
      await page.locator('#activityDate').fill(d!);
      await page.locator('#activityDate-m').fill('13');
      await page.locator('#activityDate-y').fill(y!);
      await page.getByLabel('3 – moderate concerns').check();
      await page.getByRole('button', { name: 'Add an action item' }).click();
      await page.getByRole('button', { name: 'Save as draft' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent(), POLL)
        .toContain('Enter a summary of what the activity found');
      expect(await summary.textContent()).toContain('The date of the activity must be a real date');
      expect(await summary.textContent()).toContain('Enter what must be done for action item 1');
      expect(await focusedHasClass(page, 'govuk-error-summary')).toBe(true);
      expect(await page.locator('#summary-error').textContent()).toContain('Enter a summary');
      expect(await page.locator('#activityDate-error').textContent()).toContain('must be a real date');
      expect(await page.locator('#actionItems-0-description-error').textContent()).toContain(
        'Enter what must be done',
      );
      // The summary's link goes to the field.
      expect(await summary.getByRole('link', { name: /Enter a summary/ }).getAttribute('href')).toBe(
        '#summary',
      );
      await checkPage(page, 'outcome form: errors');
      await screenshot(page, 'outcome-form-errors');

      // Fixed: every kind of field the contract has, with rows added and one removed.
      await page.locator('#activityDate-m').fill(m!);
      await page.locator('#summary').fill('Warm, settled home; staffing rota gaps at weekends.');
      await page
        .locator('#findings')
        .fill('Two weekend shifts were covered by agency staff new to the children.');
      await page.getByLabel('No', { exact: true }).first().check(); // unannounced
      await page.locator('#actionItems-0-description').fill('Fill the weekend rota with permanent staff');
      await page.locator('#actionItems-0-concernLevel').selectOption('medium');
      await page.getByRole('button', { name: 'Add an action item' }).click();
      await page.locator('#actionItems-1-description').fill('A row to remove');
      await page.getByRole('button', { name: 'Remove action item 2' }).click();
      expect(await page.locator('#actionItems-1-description').count()).toBe(0);
      await page.getByRole('button', { name: 'Add a section judgement' }).click();
      await page.locator('#sectionJudgements-0-section').fill('Leadership and management');
      await page.locator('#sectionJudgements-0-judgement').selectOption('requires-improvement');
      await page.locator('#sectionJudgements-0-comment').fill('Rota oversight');
      const next = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10).split('-');
      await page.locator('#nextDueOn').fill(next[2]!);
      await page.locator('#nextDueOn-m').fill(next[1]!);
      await page.locator('#nextDueOn-y').fill(next[0]!);
      await page.getByRole('button', { name: 'Save as draft' }).click();

      await expect.poll(path, POLL).toMatch(/^\/outcomes\/[0-9a-f-]{36}$/);
      const outcomeId = path().split('/')[2]!;
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Draft saved');
      expect(await page.locator('main .govuk-tag').first().textContent()).toBe('Draft');
      expect(await page.locator('main').textContent()).toContain(
        'Fill the weekend rota with permanent staff',
      );
      expect(await page.locator('main').textContent()).toContain('Requires improvement');
      await checkPage(page, 'outcome: draft saved');

      // The draft changes in place before it is published.
      await page.getByRole('button', { name: 'Edit draft' }).click();
      await expect.poll(h1, POLL).toContain('Change a draft outcome');
      expect(await page.locator('#changes-summary').inputValue()).toContain('Warm, settled home');
      await checkPage(page, 'outcome: draft edit form');
      await page.locator('#changes-sectionJudgements-0-comment').fill('Rota oversight at weekends');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Draft updated');
      expect(await page.locator('main').textContent()).toContain('Rota oversight at weekends');
      await checkPage(page, 'outcome: draft updated');

      await page.getByRole('button', { name: 'Publish' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Outcome published');
      await expect.poll(() => page.locator('main .govuk-tag').first().textContent(), POLL).toBe('Published');
      await checkPage(page, 'outcome: published');

      // The officer opens the amendment and types her change…
      await page.getByRole('button', { name: 'Amend' }).click();
      await expect.poll(h1, POLL).toContain('Amend an outcome');
      await checkPage(page, 'outcome: amend form');
      await page
        .locator('#changes-summary')
        .fill('Warm, settled home; weekend rota now filled by permanent staff.');
      await page.locator('#reason').fill('Rota confirmed after the visit');

      // …while someone else at Medway amends the same outcome over the API.
      const read = await api<{ version: number }>('medway', 'query', 'outcomes.get', { id: outcomeId });
      await api('medway', 'mutation', 'outcomes.amend', {
        id: outcomeId,
        version: read.version,
        reason: 'Rating raised after a follow-up call',
        changes: {
          overallRating: 4,
          findings: 'A follow-up call found the rota gaps were longer than reported.',
        },
      });

      await page.getByRole('button', { name: 'Save amendment' }).click();
      const conflict = page.getByTestId('conflict-heading');
      await expect
        .poll(() => conflict.textContent(), POLL)
        .toContain('Someone else changed this outcome while you were editing it');
      const theirs = page.locator('table', { hasText: 'What they changed' });
      expect(await theirs.locator('tr', { hasText: 'Overall rating' }).textContent()).toMatch(
        /3 of 5 \(moderate concerns\).*4 of 5 \(significant concerns\)/,
      );
      expect(await theirs.locator('tr', { hasText: 'Findings' }).textContent()).toContain(
        'A follow-up call found the rota gaps were longer than reported.',
      );
      expect(await theirs.locator('tr', { hasText: 'Summary' }).count()).toBe(0);
      const yours = page.locator('table', { hasText: 'Your changes' });
      expect(await yours.locator('tr', { hasText: 'Summary' }).textContent()).toContain(
        'weekend rota now filled by permanent staff',
      );
      expect(await page.locator('main').textContent()).toContain('Rating raised after a follow-up call');
      await checkPage(page, 'outcome: amend conflict');
      await screenshot(page, 'outcome-amend-conflict');

      await page.getByRole('button', { name: /Re-apply my changes/ }).click();
      await expect.poll(path, POLL).toBe(`/outcomes/${outcomeId}`);
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Amendment saved');
      expect(await page.locator('main .govuk-tag').first().textContent()).toBe('Amended');
      const main = await page.locator('main').textContent();
      expect(main).toContain('weekend rota now filled by permanent staff'); // hers
      expect(main).toContain('4 of 5 (significant concerns)'); // theirs, kept
      expect(main).toContain('A follow-up call found the rota gaps');
      expect(main).toContain('Rota confirmed after the visit');
      const stored = await api<{ version: number; summary: string; overallRating: number }>(
        'medway',
        'query',
        'outcomes.get',
        { id: outcomeId },
      );
      expect(stored.version).toBe(read.version + 2);
      expect(stored.overallRating).toBe(4);
      expect(stored.summary).toContain('permanent staff');
      await checkPage(page, 'outcome: amended');
    },
    JOURNEY_MS,
  );

  it(
    'keeps what was typed when the session ends before the form is sent',
    async () => {
      const form = `/outcomes/new?provisionId=${hub.showcase.provisionId}`;
      await page.goto(form);
      await expect.poll(h1, POLL).toContain('Record a visit outcome');
      const [y, m, d] = londonDay(1).split('-');
      await page.locator('#activityType').selectOption('desk-review');
      await page.locator('#activityDate').fill(d!);
      await page.locator('#activityDate-m').fill(m!);
      await page.locator('#activityDate-y').fill(y!);
      await page.getByLabel('2 – minor concerns').check();
      await page.locator('#summary').fill('Desk review of the monthly Regulation 45 report.');
      await page.getByRole('button', { name: 'Add a section judgement' }).click();
      await page.locator('#sectionJudgements-0-section').fill('Health and wellbeing');
      await page.locator('#sectionJudgements-0-judgement').selectOption('good');

      await context.clearCookies();
      await page.getByRole('button', { name: 'Save as draft' }).click();
      await expect.poll(path, POLL).toBe('/sign-in');
      expect(new URL(page.url()).searchParams.get('returnTo')).toBe(form);
      await checkPage(page, 'sign-in after the session ended');

      await signIn(page, hub.person('officer'), form);
      await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search, POLL).toBe(form);
      await expect.poll(h1, POLL).toContain('Record a visit outcome');
      expect(await page.locator('#summary').inputValue()).toBe(
        'Desk review of the monthly Regulation 45 report.',
      );
      expect(await page.locator('#activityType').inputValue()).toBe('desk-review');
      expect(await page.locator('#activityDate').inputValue()).toBe(String(Number(d)));
      expect(await page.locator('#activityDate-y').inputValue()).toBe(y);
      expect(await page.getByLabel('2 – minor concerns').isChecked()).toBe(true);
      expect(await page.locator('#sectionJudgements-0-section').inputValue()).toBe('Health and wellbeing');
      expect(await page.locator('#sectionJudgements-0-judgement').inputValue()).toBe('good');
      await checkPage(page, 'outcome form: restored after sign-in');

      await page.getByRole('button', { name: 'Save as draft' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Draft saved');
      expect(await page.locator('main').textContent()).toContain(
        'Desk review of the monthly Regulation 45 report.',
      );
      await checkPage(page, 'outcome: draft saved after signing in again');
    },
    JOURNEY_MS,
  );

  it(
    'adds an informal embargo and a provider-wide restriction, lifts one, and logs a concern',
    async () => {
      const provisionId = hub.showcase.provisionId;
      await page.goto(`/restrictions/new?provisionId=${provisionId}`);
      await expect.poll(h1, POLL).toContain('Add a restriction');
      await checkPage(page, 'restriction form: empty');
      await page.getByRole('button', { name: 'Add restriction' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect.poll(() => summary.textContent(), POLL).toContain('Select the kind of restriction');
      expect(await summary.textContent()).toContain('Select the category of reason 1');
      await checkPage(page, 'restriction form: errors');

      await page.locator('#kind').selectOption('informal-embargo');
      await expect
        .poll(() => page.locator('main').textContent(), POLL)
        .toContain('An informal embargo is always restricted information');
      await page.locator('#reasons-0-category').selectOption('safeguarding');
      await page
        .locator('#reasons-0-text')
        .fill('Allegation under investigation; placements paused meanwhile.');
      await page.getByRole('button', { name: 'Add restriction' }).click();
      await expect.poll(path, POLL).toMatch(/^\/restrictions\/[0-9a-f-]{36}$/);
      await expect.poll(h1, POLL).toContain('Informal embargo');
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        'Restriction added',
      );
      expect(await page.locator('main .govuk-tag').first().textContent()).toBe('Active');
      expect(await page.locator('main').textContent()).toContain('Restricted information: only');
      await checkPage(page, 'restriction: informal embargo added');

      await page.goto(`/restrictions/new?provisionId=${provisionId}`);
      await expect.poll(h1, POLL).toContain('Add a restriction');
      await page.getByLabel(/Every setting of its provider/).check();
      await page.locator('#kind').selectOption('letter-of-concern');
      await page.locator('#reasons-0-category').selectOption('contract-compliance');
      await page
        .locator('#reasons-0-text')
        .fill('Invoices across the group do not match the hours delivered.');
      await page.getByRole('button', { name: 'Add another reason' }).click();
      await page.locator('#reasons-1-category').selectOption('financial');
      await page.locator('#reasons-1-text').fill('Late payment of agency staff.');
      await page.locator('#contractScope').selectOption('framework-lot');
      await page.locator('#contractReference').fill('Lot 2');
      await page.locator('#summary').fill('Letter of concern to the provider group.');
      await page.getByRole('button', { name: 'Add restriction' }).click();
      await expect.poll(path, POLL).toMatch(/^\/restrictions\/[0-9a-f-]{36}$/);
      await expect.poll(h1, POLL).toContain('Letter of concern');
      const providerWide = page.locator('.govuk-summary-list__row', { hasText: 'Provider-wide' });
      expect(await providerWide.locator('dd').textContent()).toBe('Yes');
      expect(await page.locator('main').textContent()).toContain('every setting of');
      expect(await page.locator('main').textContent()).toContain('Late payment of agency staff.');
      await checkPage(page, 'restriction: provider-wide added');

      await page.getByRole('button', { name: 'Lift restriction' }).click();
      await expect.poll(() => summary.textContent(), POLL).toContain('Say why it is lifted');
      await checkPage(page, 'restriction: lift errors');
      await page.locator('#reason').fill('The provider put its invoicing right.');
      await page.getByRole('button', { name: 'Lift restriction' }).click();
      await expect
        .poll(() => page.locator('.govuk-notification-banner--success').textContent(), POLL)
        .toContain('Restriction lifted');
      await expect.poll(() => page.locator('main .govuk-tag').first().textContent(), POLL).toBe('Lifted');
      expect(await page.locator('main').textContent()).toContain('The provider put its invoicing right.');
      await checkPage(page, 'restriction: lifted');

      await page.goto(`/concerns/new?provisionId=${provisionId}`);
      await expect.poll(h1, POLL).toContain('Log a concern');
      await checkPage(page, 'concern form: empty');
      await page.getByRole('button', { name: 'Log concern' }).click();
      await expect.poll(() => summary.textContent(), POLL).toContain('Select what the concern is about');
      await checkPage(page, 'concern form: errors');
      await page.getByLabel('Quality of care').check();
      await page.getByLabel('Level 1 (moderate)').check();
      const [y, m, d] = londonDay(2).split('-');
      await page.locator('#occurredOn').fill(d!);
      await page.locator('#occurredOn-m').fill(m!);
      await page.locator('#occurredOn-y').fill(y!);
      await page.locator('#summary').fill('A child went missing overnight; the home told us late.');
      await page.getByRole('button', { name: 'Log concern' }).click();
      await expect.poll(h1, POLL).toContain('Concern logged');
      expect(await page.locator('main').textContent()).toContain('A child went missing overnight');
      await checkPage(page, 'concern logged');
    },
    JOURNEY_MS,
  );

  it(
    'shows notifications arriving live, with the unread count, and marks them read',
    async () => {
      await menu()
        .getByRole('link', { name: /^Notifications/ })
        .click();
      await expect.poll(h1, POLL).toBe('Notifications');
      await expect.poll(() => page.getByTestId('live-status').textContent(), POLL).toContain('Live');
      const count = page.getByTestId('unread-count');
      const nav = page.locator('.govuk-service-navigation__list a', { hasText: 'Notifications' });
      // Her own changes above are events too, unread until she marks them.
      await expect.poll(() => count.textContent(), POLL).toMatch(/^\d+ unread notifications?$/);
      expect(await nav.textContent()).toMatch(/\(\d+ unread\)/);
      expect(await page.locator('table', { hasText: 'Unread, newest first' }).textContent()).toContain(
        'Restriction lifted',
      );
      await checkPage(page, 'notifications: unread');
      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await expect.poll(() => count.textContent(), POLL).toBe('You have no unread notifications');
      await expect.poll(() => nav.textContent(), POLL).toBe('Notifications');
      // Earlier events are listed below, in words, each with its setting.
      const earlier = page.locator('table', { hasText: 'The latest 50 events' });
      await expect.poll(() => earlier.count(), POLL).toBe(1);
      expect(await earlier.textContent()).toContain('Monitoring outcome amended');
      expect(await earlier.textContent()).toContain('Restriction lifted');
      await checkPage(page, 'notifications: all read');

      // Bolton publishes an outcome about the showcase: Medway, its lead, hears of it at once.
      const draft = await api<{ id: string; version: number }>('bolton', 'mutation', 'outcomes.create', {
        provisionId: hub.showcase.provisionId,
        activityType: 'contract-meeting',
        activityDate: londonDay(1),
        overallRating: 2,
        summary: 'Contract meeting about the child Bolton places there.',
      });
      await api('bolton', 'mutation', 'outcomes.publish', { id: draft.id, version: draft.version });

      await expect.poll(() => count.textContent(), POLL).toBe('1 unread notification');
      await expect.poll(() => nav.textContent(), POLL).toContain('(1 unread)');
      const unread = page.locator('table', { hasText: 'Unread, newest first' });
      const row = unread.locator('tbody tr').first();
      expect(await row.textContent()).toContain('Monitoring outcome published');
      expect(await row.textContent()).toContain(hub.showcase.name);
      expect(
        await row.getByRole('link', { name: hub.showcase.name, exact: false }).getAttribute('href'),
      ).toBe(`/settings/${hub.showcase.provisionId}`);
      expect(await row.getByRole('link', { name: 'Monitoring outcome published' }).getAttribute('href')).toBe(
        `/outcomes/${draft.id}`,
      );
      await checkPage(page, 'notifications: a new event arrived live');
      await screenshot(page, 'notifications-live');

      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await expect.poll(() => count.textContent(), POLL).toBe('You have no unread notifications');
      await expect.poll(() => nav.textContent(), POLL).toBe('Notifications');
      await expect.poll(() => earlier.textContent(), POLL).toContain('Monitoring outcome published');
      await checkPage(page, 'notifications: marked read');
    },
    JOURNEY_MS,
  );
});
