// REST HEAD on a GET route answers from the credential and the input alone: 401 without a token, 400
// for bad input, else 200 with GET's headers and no body — the procedure does not run, so nothing is
// audited and whether the record exists is not told (GET answers that, and audits its read). And the
// DELETE of a draft outcome over REST.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { outcomeInput, queryRows } from '../support/harness.js';
import { detail } from '../api/outcomes/fixtures.js';
import { httpTest as test, type HttpHarness } from '../support/http.js';

const auditCount = async (h: HttpHarness, authorityId: string): Promise<number> =>
  (
    await queryRows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from audit_log where authority_id = ${authorityId}`,
    )
  )[0]!.n;

const request = (h: HttpHarness, method: string, path: string, token?: string) =>
  fetch(`${h.baseUrl}/api/v1${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

describe('HEAD on a GET route', () => {
  test('answers 200 with no body and no audit entry, where GET audits its read', async ({ h }) => {
    const authority = await h.makeAuthority();
    const officer = await h.makeClientWithToken(authority.id, 'officer');
    const provision = await h.makeProvision();
    const draft = detail(await h.caller(officer.principal).outcomes.create(outcomeInput(provision.id)));
    const path = `/outcomes/${draft.id}`;

    const before = await auditCount(h, authority.id);
    const head = await request(h, 'HEAD', path, officer.token);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(await head.text()).toBe('');
    expect(await auditCount(h, authority.id)).toBe(before);

    const get = await request(h, 'GET', path, officer.token);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await get.json()) as { id: string }).id).toBe(draft.id);
    expect(await auditCount(h, authority.id)).toBe(before + 1);

    // A placement check audits on GET too; HEAD does not.
    const check = `/checks/placement?provisionId=${provision.id}`;
    const headCheck = await request(h, 'HEAD', check, officer.token);
    expect(headCheck.status).toBe(200);
    expect(await auditCount(h, authority.id)).toBe(before + 1);
    expect((await request(h, 'GET', check, officer.token)).status).toBe(200);
    expect(await auditCount(h, authority.id)).toBe(before + 2);
  });

  test('tells nothing of whether a record exists; 401 without a token; 400 for bad input', async ({ h }) => {
    const authority = await h.makeAuthority();
    const officer = await h.makeClientWithToken(authority.id, 'officer');
    const stranger = await h.makeAuthority();
    const theirs = await h.makeClientWithToken(stranger.id, 'officer');
    const provision = await h.makeProvision();
    const draft = detail(await h.caller(officer.principal).outcomes.create(outcomeInput(provision.id)));

    // Another authority's draft and no outcome at all answer HEAD alike (GET answers 404 to both).
    const hidden = await request(h, 'HEAD', `/outcomes/${draft.id}`, theirs.token);
    const missing = await request(h, 'HEAD', '/outcomes/00000000-0000-4000-8000-000000000000', theirs.token);
    expect([hidden.status, missing.status]).toEqual([200, 200]);
    expect((await request(h, 'GET', `/outcomes/${draft.id}`, theirs.token)).status).toBe(404);

    const anonymous = await request(h, 'HEAD', `/outcomes/${draft.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm="ccx"/);
    expect(await anonymous.text()).toBe('');
    const badToken = await request(h, 'HEAD', `/outcomes/${draft.id}`, 'not-a-token');
    expect(badToken.status).toBe(401);

    const badId = await request(h, 'HEAD', '/outcomes/not-a-uuid', officer.token);
    expect(badId.status).toBe(400);
    const badQuery = await request(h, 'HEAD', '/outcomes?limt=5', officer.token);
    expect(badQuery.status).toBe(400);
  });
});

describe('DELETE /api/v1/outcomes/{id}', () => {
  test('deletes a draft at the version given; a published outcome answers 409', async ({ h }) => {
    const authority = await h.makeAuthority();
    const officer = await h.makeClientWithToken(authority.id, 'officer');
    const provision = await h.makeProvision();
    const draft = detail(await h.caller(officer.principal).outcomes.create(outcomeInput(provision.id)));

    const stale = await request(
      h,
      'DELETE',
      `/outcomes/${draft.id}?version=${draft.version + 1}`,
      officer.token,
    );
    expect(stale.status).toBe(409);
    const noVersion = await request(h, 'DELETE', `/outcomes/${draft.id}`, officer.token);
    expect(noVersion.status).toBe(400);
    const deleted = await request(
      h,
      'DELETE',
      `/outcomes/${draft.id}?version=${draft.version}`,
      officer.token,
    );
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    expect(await deleted.json()).toEqual({ id: draft.id, deleted: true });
    expect((await request(h, 'GET', `/outcomes/${draft.id}`, officer.token)).status).toBe(404);

    const other = detail(await h.caller(officer.principal).outcomes.create(outcomeInput(provision.id)));
    const published = detail(
      await h.caller(officer.principal).outcomes.publish({ id: other.id, version: other.version }),
    );
    const refused = await request(
      h,
      'DELETE',
      `/outcomes/${published.id}?version=${published.version}`,
      officer.token,
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/withdrawn instead/);
  });
});
