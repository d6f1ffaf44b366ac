// Monitoring, refusals: a frequency is set by the hub-admin only (others are FORBIDDEN), within 1 to 60
// whole months and for a known provision type (else BAD_REQUEST), and a refusal changes nothing.
import { describe, expect } from 'vitest';
import { type ProvisionType } from '@ccx/schema';
import { expectTRPCError, makeMember } from '../../support/harness.js';
import { admin, NOW, setFrequency, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('monitoring frequencies', () => {
  test('are set by the hub-admin only, within 1 to 60 months', async ({ h }) => {
    const member = await makeMember(h, 'member');
    const memberAdmin = (await h.makeClient(member.id, 'admin')).principal;
    const hostOfficer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
    for (const who of [member.officer, memberAdmin, hostOfficer])
      await expectTRPCError(
        h.caller(who).monitoring.setFrequency({ type: 'childrens-home', months: 6 }),
        'FORBIDDEN',
      );
    for (const months of [0, 61, 1.5])
      await expectTRPCError(setFrequency(h, 'childrens-home', months), 'BAD_REQUEST');
    await expectTRPCError(
      admin(h).monitoring.setFrequency({ type: 'castle' as ProvisionType, months: 6 }),
      'BAD_REQUEST',
    );
    expect((await admin(h).monitoring.frequencies()).find((f) => f.type === 'childrens-home')?.months).toBe(
      12,
    );
  });
});
