// Monitoring, who may: the overdue report is for the hub-admin only, not a member's officer or admin
// nor a lead authority (the refusals of setFrequency to anyone but the hub-admin are in errors.test.ts).
import { describe } from 'vitest';
import { expectTRPCError, makeMember } from '../../support/harness.js';
import { NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('monitoring.overdue', () => {
  test('is for the hub-admin only', async ({ h, lead }) => {
    const member = await makeMember(h, 'member');
    const memberAdmin = (await h.makeClient(member.id, 'admin')).principal;
    for (const who of [member.officer, memberAdmin, lead.officer])
      await expectTRPCError(h.caller(who).monitoring.overdue(), 'FORBIDDEN');
  });
});
