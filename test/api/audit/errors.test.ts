// The audit log, refusals: a refused write leaves no entry on the actor's chain.
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test } from '../../support/harness.js';
import { headSeq } from './fixtures.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

describe('writes are audited', () => {
  test('a refused write leaves no entry', async ({ h, w }) => {
    const a = await makeMember(h, 'refused');
    await expectTRPCError(
      h.caller(a.officer).placements.declare({ provisionId: w.provision.id, children: 0 }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h.caller(a.officer).access.requestProspective({
        provisionId: w.provision.id,
        reason: 'a reason long enough',
        caseReference: 'Jane Smith',
      }),
      'BAD_REQUEST',
    );
    expect(await headSeq(h, a)).toBe(0);
  });
});
