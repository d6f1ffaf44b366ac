// Restrictions, the list filters: by provision (with its provider's), provider, issuer, kind and
// active or not, each item at the caller's layer.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { expectTRPCError, makeMember, test, type Harness, type Member } from '../../support/harness.js';
import { create, idsOf, input, NOW } from './fixtures.js';

test.override({ clockAt: NOW });

describe('restrictions.list filters', () => {
  let x: Member;
  let y: Member;
  let a: string; // provider P, provision A
  let b: string; // provider P, provision B
  let c: string; // provider Q, provision C
  let providerP: string;
  let providerQ: string;
  const r: Record<string, string> = {};

  test.beforeAll(async ({ h }) => {
    x = await makeMember(h, 'issuerx');
    y = await makeMember(h, 'issuery');
    providerP = (await h.makeProvider()).id;
    providerQ = (await h.makeProvider()).id;
    a = (await h.makeProvision({ providerId: providerP })).id;
    b = (await h.makeProvision({ providerId: providerP })).id;
    c = (await h.makeProvision({ providerId: providerQ })).id;
    r.r1 = (await create(h, x.officer, input({ provisionId: a }, 'embargo'))).id;
    r.r2 = (await create(h, y.officer, input({ providerId: providerP }, 'framework-suspension'))).id;
    r.r3 = (await create(h, x.officer, input({ provisionId: b }, 'letter-of-concern'))).id;
    r.r4 = (await create(h, y.officer, input({ provisionId: c }, 'action-plan'))).id;
    const r5 = await create(
      h,
      x.officer,
      input({ provisionId: a }, 'causing-concern-level', { concernLevel: 1 }),
    );
    await h.caller(x.officer).restrictions.lift({ id: r5.id, version: 1, reason: 'improved' });
    r.r5 = r5.id;
    r.r6 = (await create(h, x.officer, input({ providerId: providerQ }, 'ceased-operating'))).id;
    r.r7 = (
      await create(h, x.officer, input({ provisionId: a }, 'action-plan', { effectiveFrom: '2026-07-01' }))
    ).id;
    r.r8 = (
      await create(
        h,
        y.officer,
        input({ provisionId: a }, 'embargo', { effectiveFrom: '2026-05-01', expiresOn: '2026-06-01' }),
      )
    ).id;
  });

  const list = async (
    h: Harness,
    filter: Parameters<ReturnType<Harness['caller']>['restrictions']['list']>[0],
  ) =>
    idsOf(
      await h
        .caller(x.officer)
        .restrictions.list(filter)
        .then((p) => p.items),
    );
  const ids = (...names: string[]) => names.map((n) => r[n]!).sort();

  test('by provision: its own restrictions and those on its provider', async ({ h }) => {
    expect(await list(h, { provisionId: a })).toEqual(ids('r1', 'r2', 'r5', 'r7', 'r8'));
    expect(await list(h, { provisionId: b })).toEqual(ids('r2', 'r3'));
    expect(await list(h, { provisionId: c })).toEqual(ids('r4', 'r6'));
    await expectTRPCError(
      h
        .caller(x.officer)
        .restrictions.list({ provisionId: randomUUID() })
        .then((p) => p.items),
      'NOT_FOUND',
    );
  });

  test('by provider: its provider-level restrictions, none of another provider', async ({ h }) => {
    const onP = await list(h, { providerId: providerP });
    expect(onP).toContain(r.r2);
    for (const other of ids('r4', 'r6')) expect(onP).not.toContain(other);
    expect(await list(h, { providerId: providerQ })).toContain(r.r6);
    expect(await list(h, { providerId: providerQ })).not.toContain(r.r2);
  });

  test('by issuer and by kind', async ({ h }) => {
    expect(await list(h, { issuerAuthorityId: x.id })).toEqual(ids('r1', 'r3', 'r5', 'r6', 'r7'));
    expect(await list(h, { issuerAuthorityId: y.id })).toEqual(ids('r2', 'r4', 'r8'));
    expect(await list(h, { provisionId: a, kind: 'embargo' })).toEqual(ids('r1', 'r8'));
    expect(await list(h, { issuerAuthorityId: x.id, kind: 'action-plan' })).toEqual(ids('r7'));
    expect(await list(h, { issuerAuthorityId: y.id, kind: 'letter-of-concern' })).toEqual([]);
  });

  test('active or not: active ones; lifted or expired ones (pending is neither)', async ({ h }) => {
    expect(await list(h, { provisionId: a, active: true })).toEqual(ids('r1', 'r2'));
    expect(await list(h, { provisionId: a, active: false })).toEqual(ids('r5', 'r8'));
    expect(await list(h, { issuerAuthorityId: x.id, active: true })).toEqual(ids('r1', 'r3', 'r6'));
    const statuses = Object.fromEntries(
      (
        await h
          .caller(x.officer)
          .restrictions.list({ provisionId: a })
          .then((p) => p.items)
      ).map((v) => ['id' in v ? v.id : 'signal', 'status' in v ? v.status : null]),
    );
    expect(statuses).toEqual({
      [r.r1!]: 'active',
      [r.r2!]: 'active',
      [r.r5!]: 'lifted',
      [r.r7!]: 'pending',
      [r.r8!]: 'expired',
    });
  });

  test('each at the caller’s layer: the issuer’s own in detail, the others’ in summary', async ({ h }) => {
    const views = await h
      .caller(x.officer)
      .restrictions.list({ provisionId: a })
      .then((p) => p.items);
    const layers = Object.fromEntries(views.map((v) => ['id' in v ? v.id : 'signal', v.layer]));
    expect(layers).toEqual({
      [r.r1!]: 'detail',
      [r.r2!]: 'summary',
      [r.r5!]: 'detail',
      [r.r7!]: 'detail',
      [r.r8!]: 'summary',
    });
  });
});
