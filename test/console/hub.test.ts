// The hub admin's journey (Sam Okafor at the host authority): add a member authority (a mistake
// first: the error summary and the fields' errors), suspend it; add a provider and a setting, change
// the setting; preview automatic allocation as a dry run, then apply it; read the monitoring report,
// whose table gives the hub's own numbers and whose chart has an accessible name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
  tokenFor,
  tokenOf,
  type ConsoleHub,
} from './support.js';

type ReportRow = {
  authorityId: string;
  authority?: { id: string; name: string };
  settingsAllocated: number;
  visitsInTime: number;
  visitsOutOfTime: number;
  overdueNow: number;
  neverMonitored: number;
};

const api = async <T>(hub: ConsoleHub, token: string, method: string, route: string, body?: unknown) => {
  const res = await fetch(`${hub.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${route}: ${res.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
};

const heading = (page: Page) => page.locator('h1').textContent();
const summary = (page: Page) => page.locator('.govuk-error-summary');
const banner = (page: Page) => page.locator('.govuk-notification-banner--success');

describe.skipIf(chromiumMissing)('the hub admin runs the partnership', () => {
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
    'adds and suspends a member, keeps the directory, allocates leads and reads the monitoring report',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const sam = hub.person('hub-admin');
      await signIn(page, sam, '/partnership');
      await expect.poll(() => heading(page)).toContain('Running the partnership');
      await checkPage(page, 'hub: partnership');

      // Member authorities: a mistake first, then the authority added, then suspended.
      await page.getByRole('link', { name: 'Member authorities' }).click();
      await expect.poll(() => heading(page)).toContain('Member authorities');
      await expect.poll(() => page.getByRole('cell', { name: 'Medway Council' }).count()).toBeGreaterThan(0);
      await checkPage(page, 'hub: authorities');

      await page.getByLabel('Authority id').fill('Invented Shire');
      await page.getByLabel('Quality assurance inbox').fill('not an address');
      await page.getByRole('button', { name: 'Add member authority' }).click();
      await expect.poll(() => summary(page).isVisible()).toBe(true);
      expect(await focusedHasClass(page, 'govuk-error-summary')).toBe(true);
      const problems = await summary(page).locator('a').allTextContents();
      expect(problems.join('\n')).toContain('lower-case slug');
      expect(problems.join('\n')).toContain('must be an e-mail address');
      for (const field of ['id', 'name', 'region', 'qaInbox'])
        expect(await page.locator(`#${field}-error`).count(), `${field} has its error`).toBe(1);
      expect(await page.locator('#gssCode-error').count()).toBe(0);
      // The summary's links go to the fields.
      expect(await summary(page).locator('a[href="#qaInbox"]').count()).toBe(1);
      await checkPage(page, 'hub: add authority with errors');

      await page.getByLabel('Authority id').fill('invented-shire');
      await page.getByLabel('Name', { exact: true }).fill('Invented Shire Council');
      await page.getByLabel('GSS code (optional)').fill('E10000099');
      await page.getByLabel('Region').selectOption('south-west');
      await page.getByLabel('Quality assurance inbox').fill('qa@invented-shire.example.gov.uk');
      await page.getByRole('button', { name: 'Add member authority' }).click();
      await expect.poll(() => banner(page).textContent()).toContain('Invented Shire Council is now a member');
      expect(await summary(page).count()).toBe(0);
      const row = page.getByRole('row').filter({ hasText: 'Invented Shire Council' });
      expect(await row.locator('.govuk-tag').textContent()).toBe('Active');
      await checkPage(page, 'hub: authority added');

      await banner(page).getByRole('link', { name: 'Change Invented Shire Council' }).click();
      await expect.poll(() => heading(page)).toContain('Change Invented Shire Council');
      await checkPage(page, 'hub: change authority');
      await page.getByLabel('Suspended').check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => banner(page).textContent()).toContain('membership suspended');
      expect(await page.locator('.govuk-summary-list .govuk-tag').textContent()).toBe('Suspended');
      await checkPage(page, 'hub: authority suspended');
      await page.getByRole('link', { name: 'Member authorities', exact: true }).click();
      await expect
        .poll(() =>
          page
            .getByRole('row')
            .filter({ hasText: 'Invented Shire Council' })
            .locator('.govuk-tag')
            .textContent(),
        )
        .toBe('Suspended');

      // The directory: a provider, a setting of its own, then a change to the setting.
      await page.goto('/partnership');
      await page.getByRole('link', { name: 'Providers and settings' }).click();
      await expect.poll(() => heading(page)).toContain('Providers and settings');
      await expect.poll(() => page.locator('table').count()).toBe(2);
      await checkPage(page, 'hub: directory');
      await page.getByLabel('Search by name').fill(hub.showcase.name);
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(hub.showcase.name);
      await expect
        .poll(() => page.getByRole('row').filter({ hasText: hub.showcase.name }).count())
        .toBeGreaterThan(0);
      expect(await page.locator('caption').first().textContent()).toBe(
        `Settings matching “${hub.showcase.name}”`,
      );
      await checkPage(page, 'hub: directory search');

      await page.getByLabel('Provider’s name').fill('Invented Care Partners Ltd');
      await page.getByLabel('Companies House number (optional)').fill('12');
      await page.getByRole('button', { name: 'Add provider' }).click();
      await expect
        .poll(() => page.locator('#companyNumber-error').textContent())
        .toContain('Companies House number');
      await checkPage(page, 'hub: add provider with errors');
      await page.getByLabel('Companies House number (optional)').fill('IC123456');
      await page.getByRole('button', { name: 'Add provider' }).click();
      await expect
        .poll(() => banner(page).textContent())
        .toContain('Invented Care Partners Ltd is in the directory');
      await checkPage(page, 'hub: provider added');

      await banner(page).getByRole('link', { name: 'Add a setting for Invented Care Partners Ltd' }).click();
      await expect.poll(() => heading(page)).toContain('Add a setting');
      await expect.poll(() => page.getByLabel('Provider').inputValue()).not.toBe('');
      await checkPage(page, 'hub: new setting');
      await page.getByRole('button', { name: 'Add setting' }).click();
      await expect.poll(() => summary(page).textContent()).toContain('Choose the type of setting');
      await checkPage(page, 'hub: new setting with errors');
      const urn = `SC9${String(Date.now()).slice(-5)}`;
      await page.getByLabel('Setting’s name').fill('Invented Lodge');
      await page.getByLabel('Ofsted URN (optional)').fill(urn);
      await page.getByLabel('Type of setting').selectOption('childrens-home');
      await page.getByLabel('Host authority').selectOption('medway');
      await page.getByRole('button', { name: 'Add setting' }).click();
      await expect.poll(() => heading(page)).toContain('Change Invented Lodge');
      await expect.poll(() => banner(page).textContent()).toContain('Invented Lodge is in the directory');
      const settingId = new URL(page.url()).pathname.split('/').pop()!;
      await checkPage(page, 'hub: setting added');

      await page.getByLabel('Ofsted grade').selectOption('good');
      await page.locator('#ofstedGradeDate').fill('12');
      await page.locator('#ofstedGradeDate-m').fill('3');
      await page.locator('#ofstedGradeDate-y').fill('2026');
      await page.getByLabel('Postcode (optional)').fill('me4 4tr');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect
        .poll(() => banner(page).textContent())
        .toContain('Your changes to Invented Lodge are saved');
      expect(await page.getByLabel('Postcode (optional)').inputValue()).toBe('ME4 4TR');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('version 2');
      await checkPage(page, 'hub: setting changed');

      // Two members place children at the new setting, so automatic allocation has one to propose.
      const tokens: Record<string, string> = {};
      for (const authorityId of ['medway', 'bolton']) {
        const client = hub.clients.find((c) => c.authorityId === authorityId && c.role === 'officer')!;
        const token = await tokenFor(hub, client.clientId, client.clientSecret);
        tokens[authorityId] = token;
        await api(hub, token, 'POST', '/placements', {
          provisionId: settingId,
          children: authorityId === 'medway' ? 2 : 1,
        });
      }

      await page.goto('/partnership/allocations');
      await expect.poll(() => heading(page)).toContain('Lead authorities');
      await expect.poll(() => page.locator('caption').first().textContent()).toContain('current allocations');
      await checkPage(page, 'hub: allocations');
      await page.getByRole('button', { name: 'Preview automatic allocation' }).click();
      const previewRow = page.getByRole('row').filter({ hasText: 'Invented Lodge' });
      await expect.poll(() => previewRow.count()).toBe(1);
      expect(await page.locator('caption').first().textContent()).toMatch(
        /^Preview: \d+ settings? would get a lead$/,
      );
      expect(await previewRow.textContent()).toContain('Medway Council');
      expect(await previewRow.textContent()).toContain(
        'medway is the host authority and places 2 of the 3 children here',
      );
      expect(await previewRow.textContent()).toContain('Bolton Council: 1');
      await checkPage(page, 'hub: auto-allocation preview');
      // Nothing has changed yet: the dry run assigned nothing.
      expect(await page.getByRole('row').filter({ hasText: 'Invented Lodge' }).count()).toBe(1);

      await page.getByRole('button', { name: 'Apply these allocations' }).click();
      await expect
        .poll(() => banner(page).textContent())
        .toMatch(/\d+ lead authorit(y|ies) assigned automatically/);
      expect(await banner(page).textContent()).toContain('Invented Lodge');
      await expect
        .poll(() => page.getByRole('row').filter({ hasText: 'Invented Lodge' }).textContent())
        .toContain('Medway Council');
      await checkPage(page, 'hub: auto-allocation applied');

      // Medway, its lead now, records two visits to it: the second came after the date the first set
      // (out of time), and the date the second set has passed too (overdue now).
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      for (const [activityDate, nextDueOn] of [
        [day(-200), day(-150)],
        [day(-100), day(-10)],
      ]) {
        const draft = await api<{ id: string; version: number }>(hub, tokens.medway!, 'POST', '/outcomes', {
          provisionId: settingId,
          activityType: 'monitoring-visit',
          activityDate,
          nextDueOn,
          overallRating: 3,
          summary: 'An invented monitoring visit',
        });
        await api(hub, tokens.medway!, 'POST', `/outcomes/${draft.id}/publish`, { version: draft.version });
      }

      // The monitoring report: the table gives the hub's numbers; the chart is named.
      await page.goto('/partnership');
      await page.getByRole('link', { name: 'Monitoring report' }).click();
      await expect.poll(() => heading(page)).toContain('Monitoring report');
      await expect.poll(() => page.locator('table').count()).toBe(1);
      const adminToken = await tokenOf(hub, 'hub-admin');
      const report = await api<{ asOf: string; rows: ReportRow[] }>(
        hub,
        adminToken,
        'GET',
        '/monitoring/report',
      );
      expect(report.rows.length).toBeGreaterThan(1);
      const shown = await page.evaluate<string[][]>(
        `[...document.querySelectorAll('table tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))`,
      );
      expect(shown).toEqual(
        report.rows.map((r) => [
          r.authority?.name ?? r.authorityId,
          String(r.settingsAllocated),
          String(r.visitsInTime),
          String(r.visitsOutOfTime),
          String(r.overdueNow),
          String(r.neverMonitored),
        ]),
      );
      // Medway's late visit and the overdue setting are counted.
      const medway = report.rows.find((r) => r.authorityId === 'medway')!;
      expect(medway.visitsOutOfTime).toBeGreaterThanOrEqual(1);
      expect(medway.overdueNow).toBeGreaterThanOrEqual(1);
      const chart = page.getByRole('img', { name: 'Visits in time and out of time, by lead authority' });
      expect(await chart.count()).toBe(1);
      const inTime = report.rows.reduce((n, r) => n + r.visitsInTime, 0);
      expect(await chart.locator('desc').textContent()).toContain(`${inTime} in time`);
      await checkPage(page, 'hub: monitoring report');
      await screenshot(page, 'monitoring-report');
      await context.close();
    },
    JOURNEY_MS,
  );
});
