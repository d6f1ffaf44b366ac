// Names beside ids (issue 16): allocations name their setting and their lead authority.
import { expect } from 'vitest';
import { test } from '../../support/harness.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('allocations.list and mine name the setting and the lead authority', async ({ h, w }) => {
  const setting = await h.caller(h.hubAdmin).provisions.get({ id: w.provision.id });
  const expected = {
    provisionId: setting.id,
    provision: { id: setting.id, urn: setting.urn, name: setting.name },
    authorityId: w.lead.id,
    authority: { id: w.lead.id, name: `Council ${w.lead.id}` },
  };
  const listed = await h.caller(w.member.officer).allocations.list({ provisionId: w.provision.id });
  expect(listed.items).toEqual([expect.objectContaining(expected)]);
  const mine = await h.caller(w.lead.officer).allocations.mine();
  expect(mine.find((a) => a.provisionId === w.provision.id)).toMatchObject(expected);
});
