// The authority admin's journey in a real browser: Tom Hughes of Bolton invites a person (an empty
// form first), changes their role and deactivates them; makes an API client and revokes it; points a
// webhook at a receiver this test runs, sends a test, sees the delivery and resends it; imports
// placements from a CSV file whose bad row is previewed and nothing saved, then the fixed file; sees
// who read Bolton's records with the chain verified; and saves the identity-provider settings.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  checkPage,
  chromiumMissing,
  focusedHasClass,
  JOURNEY_MS,
  launchBrowser,
  newContext,
  screenshot,
  apiAs,
  requestToken,
  signIn,
  startConsoleHub,
  type ConsoleHub,
} from './support.js';

/** A webhook receiver on 127.0.0.1 that answers 204 and keeps what it was sent. */
const startReceiver = async () => {
  const received: { type: string; headers: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        received.push({ type: (JSON.parse(body) as { type: string }).type, headers: req.headers });
      } catch {
        received.push({ type: 'unreadable', headers: req.headers });
      }
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ccx-events`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const h1 = (page: Page) => page.locator('h1').textContent();
const summaryText = (page: Page) => page.locator('.govuk-error-summary').first().textContent();
const bannerText = (page: Page) => page.locator('.govuk-notification-banner').first().textContent();

describe.skipIf(chromiumMissing)('the authority admin’s console', () => {
  let hub: ConsoleHub;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  // Tom signs in once; each journey opens its own tab in his browser (a code is good once per 30 s).
  let tom: BrowserContext | undefined;
  /** A new tab in Tom's browser at `path`, signing him in the first time. */
  const tomAt = async (path: string): Promise<Page> => {
    if (!tom) {
      tom = await newContext(browser, hub);
      const page = await tom.newPage();
      await signIn(page, hub.person('admin'), path);
      return page;
    }
    const page = await tom.newPage();
    await page.goto(path);
    return page;
  };
  beforeAll(async () => {
    [hub, browser, receiver] = await Promise.all([startConsoleHub(), launchBrowser(), startReceiver()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await receiver?.close();
  });

  it(
    'manages people and API clients',
    async () => {
      const page = await tomAt('/admin');
      await expect.poll(() => h1(page)).toContain('Administration');
      for (const text of ['People', 'API clients', 'Webhooks', 'Our placements', 'Who read our records'])
        expect(await page.getByRole('link', { name: text, exact: true }).count()).toBe(1);
      await checkPage(page, 'admin: landing');

      // People: the list, then an invitation sent empty.
      await page.getByRole('link', { name: 'People', exact: true }).click();
      await expect.poll(() => h1(page)).toContain('People');
      await expect.poll(() => page.locator('table').textContent()).toContain('Tom Hughes');
      await checkPage(page, 'admin: people');
      await page.getByRole('button', { name: 'Invite a person' }).click();
      await expect.poll(() => h1(page)).toBe('Invite a person');
      await checkPage(page, 'admin: invite, empty');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await expect.poll(() => summaryText(page)).toContain('Enter the person’s full name');
      expect(await summaryText(page)).toContain('Enter the person’s email address');
      expect(await summaryText(page)).toContain('Choose what the person may do');
      expect(await focusedHasClass(page, 'govuk-error-summary')).toBe(true);
      expect(await page.locator('#name-error').textContent()).toContain('Enter the person’s full name');
      expect(await page.locator('#role-error').textContent()).toContain('Choose what the person may do');
      await checkPage(page, 'admin: invite, nothing entered');

      // A mistyped address is the hub's to refuse, shown on the field; the other values stay.
      await page.getByLabel('Full name').fill('Dana Whitfield');
      await page.getByLabel('Email address').fill('dana.whitfield-at-bolton');
      await page.getByLabel('Viewer').check();
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await expect.poll(() => summaryText(page)).toContain('Email address must be an e-mail address');
      expect(await page.locator('#email-error').textContent()).toContain('must be an e-mail address');
      expect(await page.getByLabel('Full name').inputValue()).toBe('Dana Whitfield');
      await checkPage(page, 'admin: invite, refused by the hub');

      await page.getByLabel('Email address').fill('dana.whitfield@bolton.example.gov.uk');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await expect.poll(() => h1(page)).toBe('Invitation for Dana Whitfield');
      const link = await page.getByTestId('invitation-url').inputValue();
      expect(link).toMatch(new RegExp(`^${hub.url}/.+#`));
      expect(await bannerText(page)).toContain(
        'send the link to dana.whitfield@bolton.example.gov.uk yourself',
      );
      await checkPage(page, 'admin: invitation made');
      await screenshot(page, 'admin-invitation');

      // Her page: change the role to officer.
      await page.getByRole('link', { name: 'Back to people' }).first().click();
      await page.getByRole('link', { name: 'Dana Whitfield' }).click();
      await expect.poll(() => h1(page)).toContain('Dana Whitfield');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('Invited');
      await checkPage(page, 'admin: person');
      await page.getByLabel('Officer').check();
      await page.getByRole('button', { name: 'Change role' }).click();
      await expect.poll(() => bannerText(page)).toContain('Dana Whitfield is now an officer');
      await expect.poll(() => page.locator('.govuk-summary-list').textContent()).toContain('Officer');
      await checkPage(page, 'admin: role changed');

      // A new invitation, then deactivation with a confirmation step.
      await page.getByRole('button', { name: 'Send a new invitation' }).click();
      await expect.poll(() => page.getByTestId('invitation-url').count()).toBe(1);
      expect(await page.getByTestId('invitation-url').inputValue()).not.toBe(link);
      await checkPage(page, 'admin: re-invited');
      await page.getByRole('button', { name: 'Deactivate Dana Whitfield' }).click();
      await expect.poll(() => h1(page)).toBe('Deactivate Dana Whitfield?');
      await checkPage(page, 'admin: deactivate, confirm');
      await page.getByRole('link', { name: 'Cancel' }).click();
      await expect.poll(() => h1(page)).toContain('Dana Whitfield');
      await page.getByRole('button', { name: 'Deactivate Dana Whitfield' }).click();
      await page.getByRole('button', { name: 'Yes, deactivate Dana Whitfield' }).click();
      await expect.poll(() => bannerText(page)).toContain('Dana Whitfield has been deactivated');
      await expect.poll(() => page.locator('.govuk-summary-list').textContent()).toContain('Deactivated');
      await checkPage(page, 'admin: deactivated');

      // API clients: made, the secret shown once, revoked after a confirmation.
      await page.goto('/admin/clients');
      await expect.poll(() => h1(page)).toContain('API clients');
      await checkPage(page, 'admin: API clients');
      await page.getByRole('button', { name: 'Make API client' }).click();
      await expect.poll(() => summaryText(page)).toContain('Enter a name for the client');
      await checkPage(page, 'admin: API client, nothing entered');
      await page.getByLabel('Name').fill('Case management system (test)');
      await page.getByLabel('Viewer').check();
      await page.getByRole('button', { name: 'Make API client' }).click();
      await expect.poll(() => page.getByTestId('client-secret').count()).toBe(1);
      const secret = await page.getByTestId('client-secret').inputValue();
      const clientId = await page.getByTestId('client-id').inputValue();
      expect(secret.length).toBeGreaterThan(20);
      expect(await page.locator('.govuk-warning-text').first().textContent()).toContain(
        'will not be shown again',
      );
      await checkPage(page, 'admin: API client made, secret once');
      // The secret works: the client gets a token.
      const token = await requestToken(hub, clientId, secret);
      expect(token.status).toBe(200);
      await page.getByRole('button', { name: 'Revoke Case management system (test)' }).click();
      await expect.poll(() => h1(page)).toBe('Revoke Case management system (test)?');
      await checkPage(page, 'admin: revoke client, confirm');
      await page.getByRole('button', { name: 'Yes, revoke Case management system (test)' }).click();
      await expect.poll(() => bannerText(page)).toContain('Case management system (test) is revoked');
      expect(await page.getByTestId('client-secret').count()).toBe(0);
      const row = page.locator('tr', { hasText: clientId });
      await expect.poll(() => row.textContent()).toContain('Revoked');
      await checkPage(page, 'admin: client revoked');
      const refused = await requestToken(hub, clientId, secret);
      expect(refused.status).toBe(401);
      await page.close();
    },
    JOURNEY_MS,
  );

  it(
    'points a webhook at a receiver, tests it and resends a delivery',
    async () => {
      const page = await tomAt('/admin/webhooks');
      await expect.poll(() => h1(page)).toContain('Webhooks');
      await checkPage(page, 'admin: webhooks, none');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await expect.poll(() => summaryText(page)).toContain('Enter the address the hub should post to');
      await checkPage(page, 'admin: webhook, nothing entered');
      await page.getByLabel('Address').fill(receiver.url);
      await page.getByLabel('A restriction is made').check();
      await page.getByLabel('An outcome is published').check();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(1);
      expect(await page.getByTestId('webhook-secret').inputValue()).toMatch(/^whsec_/);
      await checkPage(page, 'admin: webhook made, secret once');

      await page.getByRole('link', { name: 'Send it a test' }).click();
      await expect.poll(() => h1(page)).toContain(receiver.url);
      await checkPage(page, 'admin: webhook, no deliveries');
      await page.getByRole('button', { name: 'Send a test' }).click();
      await expect.poll(() => bannerText(page)).toContain('The test was delivered');
      expect(receiver.received.filter((r) => r.type === 'webhook.test')).toHaveLength(1);
      // Signed as Standard Webhooks are: an id, a timestamp and a signature made with the secret.
      expect(receiver.received[0]!.headers).toHaveProperty('webhook-signature');
      const delivery = page.locator('table tbody tr').first();
      await expect.poll(() => delivery.textContent()).toContain('Delivered');
      expect(await delivery.textContent()).toContain('Test');
      await checkPage(page, 'admin: webhook test delivered');

      // A real event: Bolton's system writes a letter of concern, the hub posts it to the receiver.
      const bolton = await apiAs(hub, 'bolton');
      await bolton.restrictions.create.mutate({
        provisionId: hub.showcase.provisionId,
        kind: 'letter-of-concern',
        source: 'member',
        reasons: [{ category: 'quality', text: 'Invented: reports late again' }],
        contractScope: 'spot',
        summary: 'Second letter of concern (test)',
        details: '',
      });
      const restrictionPosts = () => receiver.received.filter((r) => r.type === 'restriction.created').length;
      await expect.poll(restrictionPosts, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      const posted = restrictionPosts();
      const event = page.locator('table tbody tr', { hasText: 'A restriction is made' }).first();
      await expect
        .poll(async () => {
          await page.getByRole('button', { name: 'Check for updates' }).click();
          return event.textContent();
        })
        .toContain('Delivered');
      await checkPage(page, 'admin: webhook event delivered');
      await event.getByRole('button', { name: /Resend/ }).click();
      await expect.poll(() => bannerText(page)).toContain('will be sent again');
      await checkPage(page, 'admin: delivery resent');
      await expect.poll(restrictionPosts, { timeout: 30_000 }).toBe(posted + 1);
      await expect
        .poll(async () => {
          await page.getByRole('button', { name: 'Check for updates' }).click();
          return event.textContent();
        })
        .toContain('Delivered');

      await page.getByRole('button', { name: 'Delete webhook' }).click();
      await expect.poll(() => h1(page)).toBe('Delete this webhook?');
      await checkPage(page, 'admin: delete webhook, confirm');
      await page.getByRole('button', { name: 'Yes, delete the webhook' }).click();
      await expect.poll(() => bannerText(page)).toContain('is deleted');
      await checkPage(page, 'admin: webhook deleted');
      await page.close();
    },
    JOURNEY_MS,
  );

  it(
    'previews a placements file’s bad row, saves nothing, then imports the fixed file',
    async () => {
      const bolton = await apiAs(hub, 'bolton');
      const before = await bolton.placements.mine.query({});
      const others = (await bolton.provisions.search.query({ limit: 20 })).items.filter(
        (p) => p.urn && p.id !== hub.showcase.provisionId && !before.some((b) => b.provisionId === p.id),
      );
      const [a, b] = others;
      expect(a && b && hub.showcase.urn).toBeTruthy();
      const shown = before.find((p) => p.provisionId === hub.showcase.provisionId);
      expect(shown).toBeTruthy();

      const page = await tomAt('/admin/placements');
      await expect.poll(() => h1(page)).toContain('Our placements');
      await expect.poll(() => page.locator('table').textContent()).toContain(hub.showcase.name);
      await checkPage(page, 'admin: placements');

      await page.getByRole('button', { name: 'Import placements from a CSV file' }).click();
      await expect.poll(() => h1(page)).toBe('Import placements from a CSV file');
      await checkPage(page, 'admin: import, no file');
      const csv = (children: string) =>
        `urn,children,fromDate\r\n${hub.showcase.urn},${shown!.children},\r\n${a!.urn},2,\r\n${b!.urn},${children},\r\n`;
      await page.setInputFiles('#file', {
        name: 'placements.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv('0')),
      });
      await page.getByRole('button', { name: 'Check the file' }).click();
      await expect.poll(() => summaryText(page)).toContain('Row 3 (line 4): Children must be at least 1');
      expect(await page.locator('.govuk-error-summary__title').textContent()).toBe(
        'There is a problem with 1 row',
      );
      expect(await page.locator('#file-error').textContent()).toContain('The file has 1 problem');
      expect(await page.locator('table').textContent()).toContain('nothing has been saved');
      expect(await page.getByRole('button', { name: /^Import \d/ }).count()).toBe(0);
      await checkPage(page, 'admin: import preview with a row error');
      await screenshot(page, 'admin-import-preview');
      // Nothing saved: the list over the API is as it was.
      expect((await bolton.placements.mine.query({})).map((p) => p.id).sort()).toEqual(
        before.map((p) => p.id).sort(),
      );

      await page.setInputFiles('#file', {
        name: 'placements-fixed.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv('3')),
      });
      await page.getByRole('button', { name: 'Check the file' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Import 3 placements' }).count()).toBe(1);
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('New placements2');
      expect(await page.locator('.govuk-error-summary').count()).toBe(0);
      await checkPage(page, 'admin: import preview clean');
      expect((await bolton.placements.mine.query({})).length).toBe(before.length);
      await page.getByRole('button', { name: 'Import 3 placements' }).click();
      await expect.poll(() => bannerText(page)).toContain('Imported 3 placements');
      await checkPage(page, 'admin: imported');
      const after = await bolton.placements.mine.query({});
      expect(after.map((p) => [p.provision?.urn, p.children]).sort()).toEqual(
        [
          [hub.showcase.urn, shown!.children],
          [a!.urn, 2],
          [b!.urn, 3],
        ].sort(),
      );

      await page.getByRole('link', { name: 'See our placements' }).click();
      await expect.poll(() => page.locator('table').textContent()).toContain(b!.name);
      const row = page.locator('tr', { hasText: b!.name });
      await row.getByRole('button', { name: /^End/ }).click();
      await expect.poll(() => h1(page)).toBe('End this placement?');
      await checkPage(page, 'admin: end placement, confirm');
      await page.getByRole('button', { name: 'Yes, end the placement' }).click();
      await expect.poll(() => bannerText(page)).toContain('ended on');
      await checkPage(page, 'admin: placement ended');
      await page.close();
    },
    JOURNEY_MS,
  );

  it(
    'shows who read Bolton’s records with the chain verified, and saves the identity-provider settings',
    async () => {
      // Medway's system lists the restrictions at the showcase, Bolton's letter of concern among them.
      const medway = await apiAs(hub, 'medway');
      const listed = await medway.restrictions.list.query({ provisionId: hub.showcase.provisionId });
      expect(listed.items.length).toBeGreaterThan(0);

      const page = await tomAt('/admin/audit');
      await expect.poll(() => h1(page)).toContain('Who read our records');
      await expect.poll(() => bannerText(page)).toContain('Your audit trail checks out');
      const table = page.locator('table');
      await expect.poll(() => table.textContent()).toContain('Listed restrictions');
      const medwayClient = hub.clients.find((c) => c.authorityId === 'medway')!.name;
      expect(await table.textContent()).toContain(medwayClient);
      expect(await table.textContent()).toContain(hub.showcase.name);
      await checkPage(page, 'admin: audit, reads of our records');
      await page.getByRole('link', { name: 'Reads at our settings' }).click();
      await expect
        .poll(() => page.locator('h2.govuk-heading-m').first().textContent())
        .toBe('Reads at our settings');
      await expect.poll(() => page.locator('main').textContent()).not.toContain('Loading the audit trail');
      await checkPage(page, 'admin: audit, reads at our settings');
      await page.getByRole('link', { name: 'Our own actions' }).click();
      await expect
        .poll(() => page.locator('h2.govuk-heading-m').first().textContent())
        .toBe('Our own actions');
      await expect.poll(() => table.textContent()).toContain('Tom Hughes');
      await checkPage(page, 'admin: audit, our own actions');

      await page.goto('/admin/sign-in');
      await expect.poll(() => h1(page)).toContain('Sign-in settings');
      await checkPage(page, 'admin: sign-in settings, none');
      await page.getByRole('button', { name: 'Save sign-in settings' }).click();
      await expect.poll(() => summaryText(page)).toContain('Enter the provider’s issuer URL');
      expect(await summaryText(page)).toContain('Enter the client secret the provider gave you');
      await checkPage(page, 'admin: sign-in settings, nothing entered');
      await page.getByLabel('Issuer URL').fill('not a url');
      await page.getByLabel('Client id').fill('ccx-bolton');
      await page.getByLabel('Client secret').fill('bolton-provider-secret-0123456789');
      await page.getByLabel('Email domains').fill('bolton.gov.uk');
      await page.getByRole('button', { name: 'Save sign-in settings' }).click();
      await expect.poll(() => summaryText(page)).toContain('Issuer URL must be the provider’s issuer URL');
      expect(await page.locator('#issuer-error').textContent()).toContain(
        'must be the provider’s issuer URL',
      );
      await checkPage(page, 'admin: sign-in settings, refused');
      await page.getByLabel('Issuer URL').fill('https://login.microsoftonline.com/bolton-tenant/v2.0');
      await page.getByLabel('Let them in').check();
      await page.getByLabel('Officer').check();
      await page.getByRole('button', { name: 'Save sign-in settings' }).click();
      await expect.poll(() => bannerText(page)).toContain('People at bolton.gov.uk now sign in');
      // The secret is write-only: never shown back, kept when left empty.
      expect(await page.getByLabel('Client secret').inputValue()).toBe('');
      expect(await page.content()).not.toContain('bolton-provider-secret-0123456789');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain(
        `${hub.url}/auth/sso/callback`,
      );
      await checkPage(page, 'admin: sign-in settings saved');
      await page.getByLabel('Email domains').fill('bolton.gov.uk\nstaff.bolton.gov.uk');
      await page.getByRole('button', { name: 'Save sign-in settings' }).click();
      await expect.poll(() => bannerText(page)).toContain('bolton.gov.uk, staff.bolton.gov.uk');
      await page.reload();
      await expect
        .poll(() => page.getByLabel('Email domains').inputValue())
        .toBe('bolton.gov.uk\nstaff.bolton.gov.uk');
      expect(await page.getByLabel('Client id').inputValue()).toBe('ccx-bolton');
      expect(await page.getByLabel('Let them in').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Remove identity provider' }).click();
      await expect.poll(() => h1(page)).toBe('Remove your identity provider?');
      await checkPage(page, 'admin: remove identity provider, confirm');
      await page.getByRole('button', { name: 'Yes, remove it' }).click();
      await expect.poll(() => bannerText(page)).toContain('Removed');
      await checkPage(page, 'admin: identity provider removed');
      await page.close();
    },
    JOURNEY_MS,
  );
});
