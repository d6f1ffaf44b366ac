// Names beside ids (issue 16): a concern names its setting and the authority that logged it; a signal
// names its setting (a directory fact) and nothing more of the concern than it did before.
import { expect } from 'vitest';
import { test } from '../../support/harness.js';
import { CONCERN_SIGNAL_KEYS, councilRef, settingRef, worldSetting } from '../names-fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

test('a concern names its setting and its logger; a signal only its setting', async ({ h, w }) => {
  const ref = settingRef(await worldSetting(h, w));
  const logged = await h.caller(w.lead.officer).concerns.log({
    provisionId: w.provision.id,
    category: 'quality',
    level: 'level-1',
    occurredOn: '2026-06-01',
    summary: 'Invented: a missed medication round',
  });
  expect(logged).toMatchObject({
    provision: ref,
    loggedByAuthority: councilRef(w.lead.id),
  });
  await h.caller(w.lead.officer).concerns.log({
    provisionId: w.provision.id,
    category: 'safeguarding',
    level: 'level-2',
    occurredOn: '2026-06-02',
    summary: 'Invented: restricted matter',
    restricted: true,
  });
  const asPlacing = await h.caller(w.placing.officer).concerns.list({ provisionId: w.provision.id });
  const detail = asPlacing.items.find((v) => v.layer === 'detail');
  expect(detail).toMatchObject({ provision: ref, loggedByAuthority: { id: w.lead.id } });
  const signal = asPlacing.items.find((v) => v.layer === 'signal');
  // Its names, and the opaque id of the one concern it stands for: nothing more of the concern.
  expect(signal && Object.keys(signal).sort()).toEqual(CONCERN_SIGNAL_KEYS);
  expect(signal).toMatchObject({ provision: ref, signalIds: [expect.stringMatching(/^sig_/)] });
  expect(JSON.stringify(signal)).not.toContain('restricted matter');
});
