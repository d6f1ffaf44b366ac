// Names beside ids (issue 16): placement declarations name their setting and their authority.
import { expect } from 'vitest';
import { test } from '../../support/harness.js';
import { councilRef, settingRef, worldSetting } from '../names-fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('placements.mine and declare name the setting and the authority', async ({ h, w }) => {
  const setting = await worldSetting(h, w);
  const expected = {
    provision: settingRef(setting),
    authority: councilRef(w.placing.id),
  };
  const mine = await h.caller(w.placing.officer).placements.mine();
  expect(mine.find((p) => p.provisionId === w.provision.id)).toMatchObject(expected);
  const other = await h.makeProvision({ name: 'Invented Dock House', urn: 'SC770003' });
  const declared = await h
    .caller(w.placing.officer)
    .placements.declare({ provisionId: other.id, children: 1, fromDate: '2026-06-01' });
  expect(declared).toMatchObject({
    provision: { id: other.id, urn: 'SC770003', name: 'Invented Dock House' },
  });
});
