// A merge over REST: the hub-admin previews it (dry run, nothing moves) and makes it; afterwards the
// merged setting's id still answers — GET gives it with `status: merged` and the pointer to the
// survivor, and the placement check by that id answers as the survivor and says so.
import { describe, expect } from 'vitest';
import { readAnswer, httpTest as test, type HttpHarness } from '../support/http.js';

const call = async (h: HttpHarness, token: string, method: string, path: string, body?: unknown) =>
  readAnswer(
    await fetch(`${h.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

describe('merging two settings over REST', () => {
  test('previews, merges, and the merged id answers with the pointer', async ({ h }) => {
    const admin = (await h.makeClientWithToken(h.hostAuthorityId, 'hub-admin')).token;
    const member = await h.makeAuthority();
    const officer = (await h.makeClientWithToken(member.id, 'officer')).token;
    const survivor = await h.makeProvision({ name: 'Rowan Lodge' });
    const merged = await h.makeProvision({ name: 'Rowan Lodge (duplicate)' });

    // Only the hub-admin merges.
    const refused = await call(h, officer, 'POST', `/provisions/${merged.id}/merge`, {
      survivorId: survivor.id,
    });
    expect(refused.status).toBe(403);

    const preview = await call(h, admin, 'POST', `/provisions/${merged.id}/merge`, {
      survivorId: survivor.id,
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, survivorId: survivor.id, mergedId: merged.id });
    expect((await call(h, officer, 'GET', `/provisions/${merged.id}`)).body).toMatchObject({
      status: 'active',
    });

    const done = await call(h, admin, 'POST', `/provisions/${merged.id}/merge`, { survivorId: survivor.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false });

    const pointer = await call(h, officer, 'GET', `/provisions/${merged.id}`);
    expect(pointer.status).toBe(200);
    expect(pointer.body).toMatchObject({ id: merged.id, status: 'merged', mergedIntoId: survivor.id });

    const check = await call(h, officer, 'GET', `/checks/placement?provisionId=${merged.id}`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ provisionId: survivor.id, mergedFrom: merged.id });

    // A merged setting takes no change: 409 naming the survivor.
    const change = await call(h, admin, 'PATCH', `/provisions/${merged.id}`, {
      version: (pointer.body as { version: number }).version,
      name: 'Renamed',
    });
    expect(change.status).toBe(409);
    expect(change.text).toContain(survivor.id);
  });
});
