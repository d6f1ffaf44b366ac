// Names beside ids (issue 16): audit entries name their authority and the settings they touch; the
// entry's hashed content (its details) is left as written.
import { expect } from 'vitest';
import { publishOutcome, test } from '../../support/harness.js';
import { councilRef, settingRef, worldSetting } from '../names-fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('audit.list names the authority and the settings of each entry', async ({ h, w }) => {
  const setting = await worldSetting(h, w);
  const outcome = await publishOutcome(h, w.lead.officer, w.provision.id);
  const { items } = await h.caller(w.lead.officer).audit.list({ recordId: outcome.id });
  expect(items.length).toBeGreaterThan(0);
  for (const e of items) {
    expect(e.authority).toEqual(councilRef(w.lead.id));
    expect(e.provisions).toEqual([settingRef(setting)]);
  }
  // The chain still verifies: the names are beside the entry, not in it.
  expect(await h.caller(w.lead.officer).audit.verify({})).toMatchObject({ ok: true });
});
