// Webhooks, refusals: where the hub will not send (http:// to a non-loopback host, private, link-local and
// metadata addresses, other schemes, loopback unless CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK), and bad event types.
import { describe, expect } from 'vitest';
import { type EventType } from '@ccx/schema';
import { createHarness, expectTRPCError, makeMember, test } from '../../support/harness.js';
import { adminOf, ENV, hooks, startReceiver, subscribe, closeReceivers, deleteHooks } from './fixtures.js';

test.override({ hubEnv: ENV });
test.afterAll(closeReceivers);
// Every test's webhooks are deleted after it, so no test's queue reaches into the next.
test.afterEach(deleteHooks);

describe('where the hub will send', () => {
  test('refuses http:// to a non-loopback host, private, link-local and metadata addresses, and other schemes', async ({
    h,
    w,
  }) => {
    const admin = await adminOf(h, w.member);
    const c = h.caller(admin);
    for (const url of [
      'http://example.com/hook',
      'http://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://172.16.5.4/hook',
      'https://192.168.1.10/hook',
      'https://100.64.0.1/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://0.0.0.0/hook',
      'ftp://example.com/hook',
      'https://user:pass@example.com/hook',
      'not a url',
    ]) {
      await expectTRPCError(c.webhooks.create({ url, eventTypes: ['allocation.changed'] }), 'BAD_REQUEST');
    }
    await expectTRPCError(
      c.webhooks.create({ url: 'https://example.com/hook', eventTypes: [] }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      c.webhooks.create({ url: 'https://example.com/hook', eventTypes: ['outcome.deleted' as EventType] }),
      'BAD_REQUEST',
    );
    // A public https URL is accepted (its name is checked each time it is resolved, at delivery).
    const ok = await c.webhooks.create({
      url: 'https://example.com/hook',
      eventTypes: ['allocation.changed'],
    });
    hooks.push({ id: ok.webhook.id, admin });
    expect(ok.webhook.url).toBe('https://example.com/hook');
    expect((await c.webhooks.list()).map((x) => x.id)).toContain(ok.webhook.id);
  });

  test('http to loopback only when CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK is on', async ({ h, w }) => {
    const strict = await createHarness();
    try {
      expect(strict.config.webhooks.allowHttpLoopback).toBe(false);
      const member = await makeMember(strict, 'strict');
      const admin = (await strict.makeClient(member.id, 'admin')).principal;
      const c = strict.caller(admin);
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost:8080/hook',
        'https://127.0.0.1/hook',
        'https://[::1]/hook',
      ])
        await expectTRPCError(c.webhooks.create({ url, eventTypes: ['allocation.changed'] }), 'BAD_REQUEST');
    } finally {
      await strict.close();
    }
    // With it on, loopback over http is fine.
    const r = await startReceiver();
    await subscribe(h, w.member, r.url, ['allocation.changed']);
  });
});
