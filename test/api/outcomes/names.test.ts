// Names beside ids (issue 16): every outcome view names its setting ({ id, urn, name }) and its
// publisher ({ id, name }) at every layer, in get, list and listForProvision; a signal carries its
// setting's URN and name (directory facts) and nothing more of the outcome than it did before.
import { expect } from 'vitest';
import { publishOutcome, test } from '../../support/harness.js';
import { councilRef } from '../names-fixtures.js';
import { NOW, secretsOf } from './fixtures.js';

test.override({ clockAt: NOW });

test('detail, summary and signal name the setting; detail and summary name the publisher', async ({
  h,
  w,
}) => {
  const current = await h.caller(h.hubAdmin).provisions.get({ id: w.provision.id });
  await h.caller(h.hubAdmin).provisions.update({
    id: current.id,
    version: current.version,
    urn: 'SC770002',
    name: 'Invented Quay House',
  });
  const setting = { id: w.provision.id, urn: 'SC770002', name: 'Invented Quay House' };
  const publisher = councilRef(w.lead.id);
  const open = await publishOutcome(h, w.lead.officer, w.provision.id, { overallRating: 4 });
  const hidden = await publishOutcome(h, w.lead.officer, w.provision.id, { restricted: true });
  expect(open).toMatchObject({
    provision: setting,
    publisherAuthority: publisher,
    history: [{ byAuthority: publisher }],
  });

  for (const [who, layer] of [
    [w.lead, 'detail'],
    [w.placing, 'detail'],
    [w.member, 'summary'],
  ] as const) {
    const c = h.caller(who.officer);
    const got = await c.outcomes.get({ id: open.id });
    expect(got).toMatchObject({ layer, provision: setting, publisherAuthority: publisher });
    const listed = (await c.outcomes.list({ provisionId: w.provision.id })).items;
    const forProvision = await c.outcomes.listForProvision({ provisionId: w.provision.id });
    for (const items of [listed, forProvision]) {
      expect(items.find((v) => v.layer !== 'signal' && v.id === open.id)).toMatchObject({
        provision: setting,
        publisherAuthority: publisher,
      });
    }
  }

  // The placing authority may not read the restricted one: a signal, named by its setting only.
  const signal = await h.caller(w.placing.officer).outcomes.get({ id: hidden.id });
  expect(signal).toEqual({
    layer: 'signal',
    provisionId: w.provision.id,
    provision: setting,
    contact: w.lead.qaInbox,
    message: expect.stringContaining(w.lead.qaInbox) as string,
    signalIds: [expect.stringMatching(/^sig_/) as string],
  });
  const json = JSON.stringify({ ...signal, contact: '', message: '' });
  for (const secret of [hidden.id, publisher.name, w.lead.id, ...secretsOf(hidden.input)])
    expect(json).not.toContain(secret);
});
