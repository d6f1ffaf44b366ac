// Concerns, refusals: a viewer may not log, nor may anyone log a future date, for an unknown provision or
// with bad fields; the list answers 404 for an unknown provision and 400 for a window out of range.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError } from '../../support/harness.js';
import { list, log, NOW, test, type LogInput } from './fixtures.js';

test.override({ clockAt: NOW });

describe('concerns.log', () => {
  test('refuses a viewer, a future date, an unknown provision and bad fields', async ({ h, w, clock }) => {
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    await expectTRPCError(log(h, viewer, w.provision.id), 'FORBIDDEN');
    const future = await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-06-16' }),
      'BAD_REQUEST',
    );
    expect(future.message).toMatch(/future/);
    await expectTRPCError(log(h, w.lead.officer, randomUUID()), 'NOT_FOUND');
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-02-30' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { category: 'gossip' as LogInput['category'] }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { level: 'extreme' as LogInput['level'] }),
      'BAD_REQUEST',
    );
    // A client that still sends the old severity is told to send level instead.
    const old = await expectTRPCError(
      h.caller(w.lead.officer).concerns.log({
        provisionId: w.provision.id,
        category: 'quality',
        occurredOn: '2026-06-01',
        summary: 'old client',
        severity: 'high',
      } as unknown as LogInput),
      'BAD_REQUEST',
    );
    expect(old.message).toMatch(/level/);
    expect(old.message).toMatch(/severity/);
    await expectTRPCError(log(h, w.lead.officer, w.provision.id, { summary: '   ' }), 'BAD_REQUEST');
    await expectTRPCError(
      log(h, w.lead.officer, w.provision.id, { summary: 'x'.repeat(2001) }),
      'BAD_REQUEST',
    );

    // 23:30 UTC on 15 June is already 16 June in England: that date is today, not the future.
    clock.set('2026-06-15T23:30:00Z');
    expect((await log(h, w.lead.officer, w.provision.id, { occurredOn: '2026-06-16' })).occurredOn).toBe(
      '2026-06-16',
    );
  });

  test('concerns.list answers 404 for an unknown provision and 400 for a window out of range', async ({
    h,
    w,
  }) => {
    await expectTRPCError(list(h, w.lead.officer, randomUUID()), 'NOT_FOUND');
    for (const sinceMonths of [0, 121, 1.5])
      await expectTRPCError(
        h.caller(w.lead.officer).concerns.list({ provisionId: w.provision.id, sinceMonths }),
        'BAD_REQUEST',
      );
  });
});
