// The placement officer's journey in the browser, against the demo hub: a new officer at an authority
// with no basis for the showcase setting sets up their account from the invitation link, finds the
// setting by name, URN and provider, reads the verdict and every reason, asks why they may see what they
// see, requests pre-placement access (a refused request first) and sees the detail at once; checks a
// shortlist pasted and uploaded as CSV and downloads the table; and does the search with the keyboard
// alone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  checkPage,
  chromiumMissing,
  focusedHasClass,
  freshCode,
  JOURNEY_MS,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startConsoleHub,
  tokenFor,
  tokenOf,
  trpcCall,
  type ConsoleHub,
  type DemoPerson,
} from './support.js';

type Check = { verdict: string; reasons: { message: string; contact: string | null }[] };

/** The element with focus, described (evaluated in the page: the test code has no DOM types). */
type Focused = {
  tag: string;
  text: string;
  id: string;
  href: string;
  visible: boolean;
  inVerdict: boolean;
} | null;
const focused = (page: Page): Promise<Focused> =>
  page.evaluate<Focused>(`(() => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) return null;
    return {
      tag: a.tagName.toLowerCase(),
      text: (a.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 100),
      id: a.id,
      href: a.getAttribute('href') || '',
      visible: a.matches(':focus-visible'),
      inVerdict: !!a.closest('[data-testid="verdict"]'),
    };
  })()`);

/** Presses Tab until the focused element is the one wanted; every stop must show focus on something. */
const tabTo = async (page: Page, want: (f: NonNullable<Focused>) => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f, `focus is lost (on the body) while tabbing to ${what}`).not.toBeNull();
    expect(f!.visible, `focus on ${f!.tag} "${f!.text}" is not visible`).toBe(true);
    if (want(f!)) return;
  }
  throw new Error(`Tab never reached ${what}`);
};

describe.skipIf(chromiumMissing)('the placement officer', () => {
  let hub: ConsoleHub;
  let browser: Browser;
  let officer: DemoPerson;
  let invitationUrl: string;
  let provider: string;
  /** A word of the showcase's provider's name that other providers' names share too. */
  let providerWord: string;
  let otherUrn: string;
  let expected: Check;
  /** The check as North Tyneside's own API client sees it now (a grant can change what it sees). */
  let checkNow: () => Promise<Check>;
  let workDir: string;
  const password = 'correct horse battery staple tyneside';

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startConsoleHub(), launchBrowser()]);
    workDir = await mkdtemp(path.join(tmpdir(), 'ccx-placement-'));
    const admin = await tokenOf(hub, 'hub-admin');
    // A new officer at North Tyneside: no placement, allocation or grant at the showcase setting.
    const invited = await trpcCall<{ invitationUrl: string }>(hub, admin, 'people.invite', {
      authorityId: 'north-tyneside',
      email: 'dana.fenwick@north-tyneside.example.gov.uk',
      name: 'Dana Fenwick',
      role: 'officer',
    });
    invitationUrl = invited.invitationUrl;
    expect(invitationUrl).toContain('#invitation=');
    officer = {
      authorityId: 'north-tyneside',
      name: 'Dana Fenwick',
      email: 'dana.fenwick@north-tyneside.example.gov.uk',
      role: 'officer',
      password,
      totpSecret: '',
      recoveryCodes: [],
    };
    const setting = await trpcCall<{ provider?: { name: string } }>(hub, admin, 'provisions.get', {
      id: hub.showcase.provisionId,
    });
    provider = setting.provider!.name;
    const everyProvider = await trpcCall<{ items: { name: string }[] }>(hub, admin, 'providers.search', {
      limit: 200,
    });
    providerWord = provider
      .split(' ')
      .find((w) => w.length > 3 && everyProvider.items.filter((p) => p.name.includes(w)).length > 1)!;
    expect(providerWord).toBeTruthy();
    // Enough children's homes for more than one page of results (20 a page).
    const homes = await trpcCall<{ items: unknown[] }>(hub, admin, 'provisions.search', {
      type: 'childrens-home',
      limit: 200,
    });
    expect(homes.items.length).toBeGreaterThan(20);
    // The check as North Tyneside's own API client sees it: what the page must show, reason by reason.
    const tyneside = hub.clients.find((c) => c.authorityId === 'north-tyneside')!;
    const tynesideToken = await tokenFor(hub, tyneside.clientId, tyneside.clientSecret);
    checkNow = () =>
      trpcCall<Check>(hub, tynesideToken, 'checks.placement', { provisionId: hub.showcase.provisionId });
    expected = await checkNow();
    // Another setting of the demo's own shortlist (its second row).
    const shortlist = await readFile(path.join(hub.dataDir, 'shortlist.csv'), 'utf8');
    otherUrn = shortlist.trim().split(/\r?\n/)[2]!.split(',').at(-1)!.trim();
    expect(otherUrn).not.toBe(hub.showcase.urn);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(
    'sets up the account, finds the setting, reads its verdict and gets pre-placement access',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const h1 = page.locator('h1');

      // The invitation link: a password, the authenticator app, the recovery codes.
      await page.goto(invitationUrl);
      await expect.poll(() => h1.textContent()).toBe('Set up your account');
      await checkPage(page, 'welcome: choose a password');
      await page.getByLabel('Choose a password').fill(password);
      await page.getByLabel('Type the password again').fill(password);
      await page.getByRole('button', { name: 'Continue' }).click();
      const secretBox = page.getByTestId('totp-secret');
      await secretBox.waitFor();
      officer.totpSecret = (await secretBox.getAttribute('data-secret'))!;
      expect(officer.totpSecret).toMatch(/^[A-Z2-7]+$/);
      await checkPage(page, 'welcome: authenticator app');
      await page.getByLabel('Code from your authenticator app').fill(freshCode(officer.totpSecret));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      expect(await page.getByTestId('recovery-codes').locator('li').count()).toBeGreaterThan(0);
      await checkPage(page, 'welcome: recovery codes');
      await page.getByRole('button', { name: /I have saved my codes/ }).click();
      await expect.poll(() => page.getByTestId('account-bar').textContent()).toContain('Dana Fenwick');
      expect(await page.getByTestId('account-bar').textContent()).toContain('North Tyneside Council');

      // Find a setting: by name (kept in the address), by URN, by provider.
      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Find a setting' })
        .click();
      await expect.poll(() => h1.textContent()).toBe('Find a setting');
      await checkPage(page, 'find: no search yet');
      const showcaseLink = page.getByRole('table').locator(`a[href="/settings/${hub.showcase.provisionId}"]`);

      await page.getByLabel('Name or URN').fill(hub.showcase.name.split(' ')[0]!);
      await page.getByRole('button', { name: 'Search' }).click();
      await showcaseLink.waitFor();
      expect(new URL(page.url()).searchParams.get('q')).toBe(hub.showcase.name.split(' ')[0]);
      await checkPage(page, 'find: results by name');
      await page.reload();
      await showcaseLink.waitFor();
      expect(await page.getByLabel('Name or URN').inputValue()).toBe(hub.showcase.name.split(' ')[0]);

      await page.getByLabel('Name or URN').fill(hub.showcase.urn!.toLowerCase());
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.getByRole('table').locator('tbody tr').count()).toBe(1);
      await showcaseLink.waitFor();
      expect(await page.getByRole('table').textContent()).toContain(hub.showcase.urn!);
      await checkPage(page, 'find: results by URN');

      // By provider: a word several providers share, then the one chosen from the list.
      await page.getByLabel('Name or URN').fill('');
      await page.getByLabel('Provider (optional)').fill(providerWord);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: 'Choose a provider' }).waitFor();
      await checkPage(page, 'find: choose a provider');
      await page.getByRole('link', { name: new RegExp(`^${provider}`) }).click();
      await showcaseLink.waitFor();
      expect(new URL(page.url()).searchParams.get('providerId')).toBeTruthy();
      expect(await page.getByRole('table').textContent()).toContain(provider);
      await checkPage(page, 'find: results by provider');

      // By area and type, a page at a time.
      await page.getByLabel('Provider (optional)').fill('');
      await page.getByLabel('Area (optional)').selectOption(hub.showcase.hostAuthorityId);
      await page.getByLabel('Type of setting (optional)').selectOption('childrens-home');
      await page.getByRole('button', { name: 'Search' }).click();
      await showcaseLink.waitFor();
      expect(new URL(page.url()).searchParams.get('area')).toBe(hub.showcase.hostAuthorityId);
      await page.getByLabel('Area (optional)').selectOption('');
      await page.getByRole('button', { name: 'Search' }).click();
      const next = page.getByRole('link', { name: 'Next page of results' });
      await next.waitFor();
      expect(await page.getByRole('table').locator('tbody tr').count()).toBe(20);
      const firstPage = await page.getByRole('table').textContent();
      await next.click();
      await page.getByRole('link', { name: 'First page of results' }).waitFor();
      expect(new URL(page.url()).searchParams.get('after')).toBeTruthy();
      expect(await page.getByRole('table').textContent()).not.toBe(firstPage);
      await checkPage(page, 'find: second page of results');
      await page.goBack();
      await expect.poll(() => page.getByRole('table').textContent()).toBe(firstPage);
      await page.getByLabel('Type of setting (optional)').selectOption('');
      await page.getByLabel('Name or URN').fill(hub.showcase.urn!);
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.getByRole('table').locator('tbody tr').count()).toBe(1);

      // The setting: the verdict with every reason, whom to contact, the layer and why.
      await showcaseLink.click();
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor();
      await expect.poll(() => h1.textContent()).toContain(hub.showcase.name);
      expect(await verdict.getAttribute('data-verdict')).toBe(expected.verdict);
      const words = {
        clear: 'Clear to place',
        caution: 'Place with caution',
        'do-not-place': 'Do not place',
      };
      expect(await verdict.textContent()).toContain(
        `Verdict: ${words[expected.verdict as keyof typeof words]}`,
      );
      expect(expected.reasons.length).toBeGreaterThan(0);
      expect(await verdict.getByTestId('verdict-reason').count()).toBe(expected.reasons.length);
      const verdictText = (await verdict.textContent())!.toLowerCase();
      for (const r of expected.reasons) {
        expect(verdictText).toContain(r.message.toLowerCase().slice(0, 40));
        if (r.contact) expect(verdictText).toContain(r.contact);
      }
      // A reason backed by a record the officer may see links to it on the page.
      const recordLink = verdict.getByRole('link', { name: /below/ }).first();
      if ((await recordLink.count()) > 0) {
        const target = (await recordLink.getAttribute('href'))!;
        expect(await page.locator(target).count()).toBe(1);
      }
      await expect.poll(() => page.getByTestId('setting-layer').textContent()).toContain('Summary only');
      await expect
        .poll(() => page.locator('[data-testid="record"][data-layer="signal"]').count())
        .toBeGreaterThan(0);
      expect(await page.getByText('Restricted information').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="record"][data-layer="detail"]').count()).toBe(0);
      await checkPage(page, 'setting: verdict at the summary layer');
      await screenshot(page, 'setting-verdict');
      // The same page on a phone (320 px) and at 200% zoom (a 1280 × 900 window shows 640 × 450).
      await screenshot(page, 'setting-verdict-320px', { width: 320, height: 800 });
      await screenshot(page, 'setting-verdict-zoom-200', { width: 640, height: 450 });

      // Every record carries "Why can I see this?"; the setting's own answer names the member basis.
      const records = page.getByTestId('record');
      expect(await records.locator('summary', { hasText: 'Why can I see this?' }).count()).toBe(
        await records.count(),
      );
      await page.locator('summary', { hasText: 'Why can I see this?' }).first().click();
      const explanation = page.getByTestId('explanation').first();
      await expect.poll(() => explanation.textContent()).toContain('every member sees the summary');
      expect(await explanation.textContent()).toContain('pre-placement grant');
      await checkPage(page, 'setting: why can I see this');

      // Pre-placement access: refused while empty (the hub's words on the fields), then granted.
      const request = page.getByRole('form', { name: 'Request pre-placement access' });
      await request.getByRole('button', { name: 'Request access' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect.poll(() => summary.textContent()).toContain('give a reason of at least 10 characters');
      expect(await summary.textContent()).toContain('must not be empty');
      expect(await focusedHasClass(page, 'govuk-error-summary')).toBe(true);
      expect(await page.locator('#reason-error').textContent()).toContain(
        'give a reason of at least 10 characters',
      );
      expect(await page.locator('#caseReference-error').textContent()).toContain('must not be empty');
      await checkPage(page, 'setting: access request with errors');
      await summary.getByRole('link', { name: /give a reason/ }).click();
      await expect.poll(() => page.evaluate<string>('document.activeElement.id')).toBe('reason');

      await page
        .getByLabel('Why do you need to see the detail?')
        .fill('Considering this home for a 14-year-old');
      await page.getByLabel('Case reference').fill('CR-2026-0412');
      await request.getByRole('button', { name: 'Request access' }).click();
      const success = page.locator('.govuk-notification-banner--success');
      await expect
        .poll(() => success.textContent())
        .toContain(`You have pre-placement access to ${hub.showcase.name}`);
      await expect.poll(() => page.getByTestId('setting-layer').textContent()).toContain('Full detail');
      await expect
        .poll(() => page.locator('[data-testid="record"][data-layer="detail"]').count())
        .toBeGreaterThan(0);
      expect(await page.getByRole('form', { name: 'Request pre-placement access' }).count()).toBe(0);
      // A record now shown in full says why: the pre-placement (prospective) grant.
      const detailed = page.locator('[data-testid="record"][data-layer="detail"]').first();
      await detailed.locator('summary', { hasText: 'Why can I see this?' }).click();
      await expect.poll(() => detailed.getByTestId('explanation').textContent()).toContain('Prospective');
      await checkPage(page, 'setting: detail after pre-placement access');
      await context.close();
    },
    JOURNEY_MS,
  );

  it(
    'checks a shortlist pasted and uploaded, and downloads it as CSV',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      const h1 = page.locator('h1');
      expected = await checkNow();
      await signIn(page, officer);
      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Check a shortlist' })
        .click();
      await expect.poll(() => h1.textContent()).toBe('Check a shortlist');
      await checkPage(page, 'shortlist: empty');

      await page.getByRole('button', { name: 'Check shortlist' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent())
        .toContain('Enter at least one URN, or choose a CSV file');
      expect(await page.locator('#urns-error').count()).toBe(1);
      await checkPage(page, 'shortlist: nothing given');

      // Pasted: the showcase, another demo setting and a mistyped URN.
      await page.getByLabel('URNs').fill(`${hub.showcase.urn}\n${otherUrn.toLowerCase()}, SC000000`);
      await page.getByRole('button', { name: 'Check shortlist' }).click();
      const table = page.getByRole('table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      const rows = table.locator('tbody tr');
      expect(await rows.nth(0).textContent()).toContain(hub.showcase.name);
      const words = {
        clear: 'Clear to place',
        caution: 'Place with caution',
        'do-not-place': 'Do not place',
      };
      expect(await rows.nth(0).locator('.govuk-tag').textContent()).toBe(
        words[expected.verdict as keyof typeof words],
      );
      expect(await rows.nth(1).textContent()).toContain(otherUrn);
      expect(await rows.nth(2).textContent()).toContain('Not found');
      expect(await rows.nth(2).textContent()).toContain('SC000000');
      expect(await page.getByTestId('shortlist-summary').textContent()).toContain('3 URNs checked');
      expect(await page.getByTestId('shortlist-summary').textContent()).toContain('1 not found');
      await checkPage(page, 'shortlist: results of pasted URNs');
      await screenshot(page, 'shortlist-check');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('shortlist-check.csv');
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('urn,setting,provision_id,verdict,reasons,contacts,checked_at');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(
        new RegExp(
          `^${hub.showcase.urn},${hub.showcase.name},${hub.showcase.provisionId},${expected.verdict},`,
        ),
      );
      expect(lines[2]!.startsWith(`${otherUrn},`)).toBe(true);
      expect(lines[3]).toMatch(/^SC000000,,,not-found,/);

      // Uploaded: a CSV whose URN column is found by its header, the pasted box emptied.
      await page.getByLabel('URNs').fill('');
      const file = path.join(workDir, 'my-shortlist.csv');
      await writeFile(
        file,
        `Setting name,URN,Notes\r\n"${hub.showcase.name}",${hub.showcase.urn},first choice\r\n"Somewhere, else",${otherUrn},\r\nTypo,SC000000,"check, again"\r\n`,
      );
      await page.getByLabel('Or upload a CSV file').setInputFiles(file);
      await expect
        .poll(() => page.getByTestId('file-read').textContent())
        .toContain('3 URNs read from my-shortlist.csv');
      await checkPage(page, 'shortlist: CSV file chosen');
      await page.getByRole('button', { name: 'Check shortlist' }).click();
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      expect(await rows.nth(0).textContent()).toContain(hub.showcase.name);
      expect(await rows.nth(2).textContent()).toContain('Not found');

      // A file without a "urn" header: the column that looks like URNs.
      const bare = path.join(workDir, 'bare.csv');
      await writeFile(bare, `Home,Reference\nA,${hub.showcase.urn}\nB,${otherUrn}\n`);
      await page.getByLabel('Or upload a CSV file').setInputFiles(bare);
      await expect
        .poll(() => page.getByTestId('file-read').textContent())
        .toContain('2 URNs read from bare.csv (Reference)');
      await page.getByRole('button', { name: 'Check shortlist' }).click();
      await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
      await checkPage(page, 'shortlist: results of an uploaded CSV');

      // The setting's link from the table opens its page.
      await rows.nth(0).getByRole('link').click();
      await page.getByTestId('verdict').waitFor();
      await context.close();
    },
    JOURNEY_MS,
  );

  it(
    'finds the setting and reads its verdict with the keyboard alone',
    async () => {
      const context = await newContext(browser, hub);
      const page = await context.newPage();
      expected = await checkNow();
      // A viewer of the same authority (the officer's codes of this half-minute are spent).
      const aisha = hub.person('viewer');
      expect(aisha.authorityId).toBe('north-tyneside');
      await signIn(page, aisha);
      await page.goto('/');
      await expect.poll(() => page.locator('h1').textContent()).toContain(aisha.name);

      await tabTo(page, (f) => f.tag === 'a' && f.text === 'Find a setting', 'the "Find a setting" link');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Find a setting');
      await tabTo(page, (f) => f.id === 'q', 'the "Name or URN" field');
      await page.keyboard.type(hub.showcase.name);
      await page.keyboard.press('Enter');
      await page.getByRole('table').locator(`a[href="/settings/${hub.showcase.provisionId}"]`).waitFor();
      await tabTo(
        page,
        (f) => f.href === `/settings/${hub.showcase.provisionId}`,
        'the showcase in the results',
      );
      await page.keyboard.press('Enter');
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-verdict')).toBe(expected.verdict);
      // The verdict's own links (a record, a contact) are reached by Tab, each visibly focused.
      await tabTo(page, (f) => f.inVerdict, 'a link in the verdict');
      expect(await verdict.textContent()).toContain('Verdict:');
      // Shift+Tab goes back the way it came, still showing focus.
      await page.keyboard.press('Shift+Tab');
      const back = await focused(page);
      expect(back).not.toBeNull();
      expect(back!.visible).toBe(true);
      await checkPage(page, 'keyboard: the verdict reached');
      await context.close();
    },
    JOURNEY_MS,
  );
});
