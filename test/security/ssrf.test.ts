// Server-side request forgery through webhooks (OWASP API7): the hub refuses to send to private,
// loopback, link-local and metadata addresses — literally given, or reached through a name that
// resolves to one at delivery time — unless the operator allows private targets.
import { test as vitestTest, describe, expect } from 'vitest';
import { createHarness, expectTRPCError, test } from '../support/harness.js';

const FORBIDDEN_TARGETS = [
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.1/hook',
  'https://192.168.1.10/hook',
  'https://[fd00::1]/hook',
  'https://[::ffff:169.254.169.254]/hook',
];

describe('by default', () => {
  test('refuses a webhook to a private, link-local or metadata address', async ({ h }) => {
    const admin = (await h.makeClient((await h.makeAuthority()).id, 'admin')).principal;
    for (const url of FORBIDDEN_TARGETS) {
      const err = await expectTRPCError(
        h.caller(admin).webhooks.create({ url, eventTypes: ['outcome.published'] }),
        'BAD_REQUEST',
      );
      expect(err.message, url).toMatch(/private|reserved|address/i);
    }
  });

  test('sends nothing to a name that resolves to loopback when the delivery is made', async ({ h }) => {
    const admin = (await h.makeClient((await h.makeAuthority()).id, 'admin')).principal;
    // A name passes at creation (names are checked each time they are resolved, so a later
    // re-pointing of the name cannot slip through), and is refused when it resolves to 127.0.0.1.
    const { webhook } = await h
      .caller(admin)
      .webhooks.create({ url: 'https://localhost:9/hook', eventTypes: ['outcome.published'] });
    const tried = await h.caller(admin).webhooks.test({ id: webhook.id });
    expect(tried.ok).toBe(false);
    expect(tried.lastStatusCode).toBeNull();
    expect(tried.lastError).toMatch(/refused: localhost resolves to a private or reserved address/);
  });
});

describe('when the operator allows private targets (CCX_WEBHOOK_ALLOW_PRIVATE)', () => {
  // A hub of its own, configured so.
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from its pattern
  const test = vitestTest.extend('h', async ({}, { onCleanup }) => {
    const h = await createHarness({ CCX_WEBHOOK_ALLOW_PRIVATE: 'true' });
    onCleanup(() => h.close());
    return h;
  });

  test('accepts them, still over https only', async ({ h }) => {
    const admin = (await h.makeClient((await h.makeAuthority()).id, 'admin')).principal;
    for (const url of FORBIDDEN_TARGETS) {
      const made = await h.caller(admin).webhooks.create({ url, eventTypes: ['outcome.published'] });
      expect(made.webhook.url).toBe(new URL(url).href);
    }
    await expectTRPCError(
      h.caller(admin).webhooks.create({ url: 'http://10.0.0.1/hook', eventTypes: ['outcome.published'] }),
      'BAD_REQUEST',
    );
  });
});
