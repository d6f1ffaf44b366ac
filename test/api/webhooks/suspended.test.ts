// A suspended authority's webhooks get nothing: a delivery already queued is held, and new events are not
// queued for it; once it is reinstated, everything held arrives, in order.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { fanOut } from '@ccx/server/testing';
import { test } from '../../support/harness.js';
import {
  allocationChange,
  bodyOf,
  closeReceivers,
  deleteHooks,
  deliveriesOf,
  ENV,
  pump,
  settle,
  startReceiver,
  subscribe,
  until,
} from './fixtures.js';

test.override({ hubEnv: ENV });
test.afterAll(closeReceivers);
test.afterEach(deleteHooks);

describe('webhooks of a suspended authority', () => {
  test('are neither filled nor sent to while it is suspended, and catch up once it is reinstated', async ({
    h,
    w,
  }) => {
    const r = await startReceiver();
    const hook = await subscribe(h, w.member, r.url, ['allocation.changed']);
    const setStatus = async (status: 'active' | 'suspended') => {
      const current = await h.caller(h.hubAdmin).authorities.get({ id: w.member.id });
      await h.caller(h.hubAdmin).authorities.update({ id: w.member.id, version: current.version, status });
    };

    // One event queued for the webhook before the suspension, one made during it.
    const first = await allocationChange(h, w);
    await settle(h); // every committed event sequenced (the sequencer waits on the whole cluster)
    await fanOut(h.db, h.hub.clock.now());
    expect(await deliveriesOf(h, hook)).toHaveLength(1);
    await setStatus('suspended');
    const second = await allocationChange(h, w);
    await settle(h);
    for (let i = 0; i < 5; i++) {
      await pump(h);
      await sleep(20);
    }
    expect(r.requests).toHaveLength(0);
    // The queued one is held, not dead; the new one was not queued.
    const held = await deliveriesOf(h, hook);
    expect(held.map((d) => d.status)).toEqual(['pending']);

    await setStatus('active');
    await until(h, 'both deliveries', () => r.accepted().length >= 2);
    const provisions = r.accepted().map((q) => (bodyOf(q).data as { provisionId?: string }).provisionId);
    expect(provisions).toEqual([first, second]);
  });
});
