// The event feed, refusals: a bad since, limit or type is refused with 400 (and latest with since, or out
// of range, in happy.test.ts beside the rest of latest); no token is UNAUTHORIZED.
import { describe } from 'vitest';
import { type EventType } from '@ccx/schema';
import { expectTRPCError, test } from '../../support/harness.js';
import { NOW } from './fixtures.js';

test.override({ clockAt: NOW });

describe('events.list', () => {
  test('a bad since or limit is refused with 400', async ({ h, w }) => {
    const c = h.caller(w.member.officer);
    for (const since of ['abc', '-1', '1.5', '', '12345678901234567890'])
      await expectTRPCError(c.events.list({ since }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ limit: 501 }), 'BAD_REQUEST');
    await expectTRPCError(c.events.list({ types: ['outcome.deleted' as EventType] }), 'BAD_REQUEST');
    await expectTRPCError(h.caller(null).events.list({}), 'UNAUTHORIZED');
  });
});
