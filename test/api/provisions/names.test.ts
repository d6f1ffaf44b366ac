// Names beside ids (issue 16): a setting names its provider and its host authority, in search, get and
// the answers to create and update, for every member (the directory is every member's to read).
import { expect } from 'vitest';
import { makeMember, test } from '../../support/harness.js';
import { councilRef } from '../names-fixtures.js';

test('provisions name their provider and host authority wherever they are read or written', async ({ h }) => {
  const host = await makeMember(h, 'names-host');
  const reader = await makeMember(h, 'names-reader');
  const provider = await h.makeProvider({ name: 'Invented Harbour Care Ltd' });
  const expected = {
    provider: { id: provider.id, name: 'Invented Harbour Care Ltd' },
    hostAuthority: councilRef(host.id),
  };

  const created = await h.makeProvision({
    providerId: provider.id,
    hostAuthorityId: host.id,
    name: 'Invented Harbour House',
    urn: 'SC770101',
  });
  expect(created).toMatchObject(expected);

  const member = h.caller(reader.officer);
  expect(await member.provisions.get({ id: created.id })).toMatchObject(expected);
  const found = await member.provisions.search({ urn: 'SC770101' });
  expect(found.items).toHaveLength(1);
  expect(found.items[0]).toMatchObject(expected);

  // A new host is named at once in the answer to the change.
  const other = await makeMember(h, 'names-other');
  const updated = await h
    .caller(h.hubAdmin)
    .provisions.update({ id: created.id, version: created.version, hostAuthorityId: other.id });
  expect(updated.hostAuthority).toEqual(councilRef(other.id));
});
