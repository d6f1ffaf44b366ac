// The directory, who may: where a setting stands and whose it is are the hub-admin's to decide; an
// officer may neither add a setting nor move one; its other details are its host authority's to keep.
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, test } from '../../support/harness.js';

/** An officer of an ordinary member authority: the least role that may write the directory. */
let officer: Principal;
let memberId: string;
test.beforeAll(async ({ h }) => {
  memberId = (await h.makeAuthority()).id;
  officer = (await h.makeClient(memberId, 'officer')).principal;
});

describe('provisions', () => {
  test('leaves where a setting stands and whose it is to the hub-admin: an officer may neither add a setting nor move one', async ({
    h,
  }) => {
    const provider = await h.makeProvider();
    const other = await h.makeProvider();
    const refused = await expectTRPCError(
      h.caller(officer).provisions.create({
        providerId: provider.id,
        name: 'Claimed House',
        type: 'childrens-home',
        hostAuthorityId: memberId,
      }),
      'FORBIDDEN',
    );
    expect(refused.message).toContain('hub-admin');
    const p = await h.makeProvision({ providerId: provider.id });
    for (const change of [{ hostAuthorityId: memberId }, { providerId: other.id }]) {
      const err = await expectTRPCError(
        h.caller(officer).provisions.update({ id: p.id, version: p.version, ...change }),
        'FORBIDDEN',
      );
      expect(err.message).toMatch(/only the hub-admin can change a provision's host authority or provider/);
    }
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(p);
    // Its other details are its host authority's officers' to keep (another member proposes a
    // correction), and naming the same host and provider again is no change.
    await expectTRPCError(
      h.caller(officer).provisions.update({ id: p.id, version: p.version, name: 'Renamed House' }),
      'FORBIDDEN',
    );
    const hostOfficer = (await h.makeClient(p.hostAuthorityId, 'officer')).principal;
    const renamed = await h.caller(hostOfficer).provisions.update({
      id: p.id,
      version: p.version,
      name: 'Renamed House',
      hostAuthorityId: p.hostAuthorityId,
      providerId: p.providerId,
    });
    expect(renamed).toMatchObject({ name: 'Renamed House', hostAuthorityId: p.hostAuthorityId });
    const moved = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p.id, version: renamed.version, hostAuthorityId: memberId });
    expect(moved.hostAuthorityId).toBe(memberId);
  });
});
