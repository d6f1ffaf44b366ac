// Names beside ids (issue 16): the hub-admin's list of every authority's clients names each authority.
import { expect } from 'vitest';
import { makeMember, test } from '../../support/harness.js';
import { councilRef } from '../names-fixtures.js';

test('clients.list names the authority of each client', async ({ h }) => {
  const a = await makeMember(h, 'names-a');
  const b = await makeMember(h, 'names-b');
  const list = await h.caller(h.hubAdmin).clients.list({});
  for (const m of [a, b]) {
    const mine = list.filter((c) => c.authorityId === m.id);
    expect(mine.length).toBeGreaterThan(0);
    for (const c of mine) expect(c.authority).toEqual(councilRef(m.id));
  }
  // An authority's admin sees its own, named too.
  const admin = await h.makeClient(a.id, 'admin');
  const own = await h.caller(admin.principal).clients.list({});
  expect(own.every((c) => c.authorityId === a.id)).toBe(true);
  expect(own[0]?.authority).toEqual(councilRef(a.id));
});
