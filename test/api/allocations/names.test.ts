// Names beside ids (issue 16): allocations name their setting and their lead authority.
import { expect } from 'vitest';
import { test } from '../../support/harness.js';
import { councilRef, settingRef, worldSetting } from '../names-fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('allocations.list and mine name the setting and the lead authority', async ({ h, w }) => {
  const setting = await worldSetting(h, w);
  const expected = {
    provisionId: setting.id,
    provision: settingRef(setting),
    authorityId: w.lead.id,
    authority: councilRef(w.lead.id),
  };
  const listed = await h.caller(w.member.officer).allocations.list({ provisionId: w.provision.id });
  expect(listed.items).toEqual([expect.objectContaining(expected)]);
  const mine = await h.caller(w.lead.officer).allocations.mine();
  expect(mine.find((a) => a.provisionId === w.provision.id)).toMatchObject(expected);
});
