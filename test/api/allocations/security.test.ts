// Allocations, who may do what: assigning and auto-allocating are for the hub-admin only, and every
// assignment is audited in the hub-admin authority chain.
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test, type Member } from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
const TODAY = '2026-06-15';
test.override({ clockAt: NOW });

describe('allocations.assign, list and mine', () => {
  let a: Member;

  test.beforeAll(async ({ h }) => {
    a = await makeMember(h, 'alloca');
  });

  test('is for the hub-admin only', async ({ h }) => {
    const p = await h.makeProvision();
    const input = { provisionId: p.id, authorityId: a.id, rationale: 'by agreement' };
    await expectTRPCError(h.caller(a.officer).allocations.assign(input), 'FORBIDDEN');
    const admin = (await h.makeClient(a.id, 'admin')).principal;
    await expectTRPCError(h.caller(admin).allocations.assign(input), 'FORBIDDEN');
    await expectTRPCError(h.caller(a.officer).allocations.autoAllocate({ dryRun: true }), 'FORBIDDEN');
    await expectTRPCError(h.caller(null).allocations.assign(input), 'UNAUTHORIZED');

    const allocation = await h.caller(h.hubAdmin).allocations.assign(input);
    expect(allocation).toMatchObject({
      provisionId: p.id,
      authorityId: a.id,
      role: 'quality',
      startsOn: TODAY,
      endsOn: null,
      current: true,
      rationale: 'by agreement',
      endedReason: null,
    });
  });

  test('every assignment is audited in the hub-admin authority chain', async ({ h }) => {
    const p = await h.makeProvision();
    const allocation = await h
      .caller(h.hubAdmin)
      .allocations.assign({ provisionId: p.id, authorityId: a.id, rationale: 'audited' });
    const page = await h.caller(h.hubAdmin).audit.list({ scope: 'mine', recordId: allocation.id });
    expect(page.items).toEqual([
      expect.objectContaining({
        authorityId: h.hostAuthorityId,
        action: 'allocation.assign',
        basis: 'hub-admin',
        provisionIds: [p.id],
      }),
    ]);
  });
});
