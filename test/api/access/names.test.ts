// Names beside ids (issue 16): grants name the grantee, the granting authority and the setting.
import { expect } from 'vitest';
import { test } from '../../support/harness.js';
import { councilRef, settingRef, worldSetting } from '../names-fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('a pre-placement grant and the list of grants name the setting and both authorities', async ({
  h,
  w,
}) => {
  const setting = await worldSetting(h, w);
  const grant = await h.caller(w.member.officer).access.requestProspective({
    provisionId: w.provision.id,
    reason: 'considering a placement for a child',
    caseReference: 'CR-2026-0001',
  });
  const expected = {
    authority: councilRef(w.member.id),
    grantedByAuthority: councilRef(w.member.id),
    provision: settingRef(setting),
  };
  expect(grant).toMatchObject(expected);
  // The lead sees who is looking at a setting it leads, named.
  const seen = await h.caller(w.lead.officer).access.grants({ provisionId: w.provision.id });
  expect(seen.find((g) => g.id === grant.id)).toMatchObject(expected);
});
