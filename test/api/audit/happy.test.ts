// The audit log (need-to-know, issue 3), what works: every write on the actor's hash chain with its basis,
// audit.list's pages, and the signed export of a chain head.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect } from 'vitest';
import type { AuditEntry } from '@ccx/schema';
import {
  expectTRPCError,
  makeMember,
  publishOutcome,
  test,
  type Harness,
  type Member,
} from '../../support/harness.js';

const NOW = '2026-06-15T10:00:00Z';
test.override({ clockAt: NOW });

/** Every entry of an authority's own chain, oldest first. */
const chain = async (h: Harness, m: Member): Promise<AuditEntry[]> => {
  const items: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await h
      .caller(m.officer)
      .audit.list({ scope: 'mine', limit: 200, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items.reverse();
};

describe('writes are audited', () => {
  test("every write appends to the actor's own chain, with its basis, client and time", async ({ h, w }) => {
    const a = await makeMember(h, 'writer');
    const p = await h.makeProvision({ urn: `SC${String(Date.now()).slice(-6)}` });
    const placement = await h.caller(a.officer).placements.declare({ provisionId: p.id, children: 2 });
    await h.caller(a.officer).placements.end({ id: placement.id, version: placement.version });
    await h.caller(a.officer).placements.import({ rows: [{ urn: p.urn, children: 1 }] });
    const outcome = await publishOutcome(h, a.officer, p.id);
    const grant = await h
      .caller(a.officer)
      .access.share({ recordType: 'outcome', recordId: outcome.id, authorityId: w.member.id });
    await h.caller(a.officer).access.revoke({ grantId: grant.id });
    const pros = await h.caller(a.officer).access.requestProspective({
      provisionId: w.provision.id,
      reason: 'looking for a home for a sibling group',
      caseReference: 'CASE/2026/77',
    });

    const entries = await chain(h, a);
    expect(entries.map((e) => [e.seq, e.action, e.basis])).toEqual([
      [1, 'placement.declare', 'placing'],
      [2, 'placement.end', 'placing'],
      [3, 'placement.import', 'placing'],
      [4, 'outcome.create', 'publisher'],
      [5, 'outcome.publish', 'publisher'],
      [6, 'access.share', 'publisher'],
      [7, 'access.revoke', 'granter'],
      [8, 'access.prospective', 'prospective'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({
        authorityId: a.id,
        clientId: a.officer.clientId,
        at: new Date(NOW).toISOString(),
      });
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    expect(entries[0]!.recordIds).toEqual([placement.id]);
    expect(entries[4]!.recordIds).toEqual([outcome.id]);
    expect(entries[5]!.recordIds).toEqual([outcome.id, grant.id]);
    expect(entries[5]!.details).toMatchObject({ to: w.member.id });
    expect(entries[7]).toMatchObject({
      recordIds: [pros.id],
      provisionIds: [w.provision.id],
      details: { reason: 'looking for a home for a sibling group', caseReference: 'CASE/2026/77', days: 7 },
    });
    // Placement counts are audited; nobody's identity is.
    expect(entries[0]!.details).toMatchObject({ children: 2 });

    const verified = await h.caller(a.officer).audit.verify();
    expect(verified).toEqual({
      authorityId: a.id,
      entries: 8,
      ok: true,
      firstBroken: null,
      head: { seq: 8, hash: entries[7]!.hash },
    });
  });
});

describe('audit.list scopes', () => {
  test('pages with a cursor, newest first, and refuses a bad cursor', async ({ h }) => {
    const a = await makeMember(h, 'pager');
    for (let i = 0; i < 5; i++) {
      await h
        .caller(a.officer)
        .placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    }
    const first = await h.caller(a.officer).audit.list({ limit: 2 });
    expect(first.items.map((e) => e.seq)).toEqual([5, 4]);
    const second = await h.caller(a.officer).audit.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.seq)).toEqual([3, 2]);
    const third = await h.caller(a.officer).audit.list({ limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((e) => e.seq)).toEqual([1]);
    expect(third.nextCursor).toBeNull();
    await expectTRPCError(h.caller(a.officer).audit.list({ cursor: 'not a cursor' }), 'BAD_REQUEST');
  });
});

describe('audit.exportHead', () => {
  test("is a JWS signed with the hub's key over the head that verify reports", async ({ h }) => {
    const a = await makeMember(h, 'exporter');
    await h.caller(a.officer).placements.declare({ provisionId: (await h.makeProvision()).id, children: 1 });
    await h.caller(a.officer).placements.declare({ provisionId: (await h.makeProvision()).id, children: 2 });
    const verified = await h.caller(a.officer).audit.verify();
    const head = await h.caller(a.officer).audit.exportHead();
    expect(head).toMatchObject({ authorityId: a.id, seq: 2, hash: verified.head?.hash });

    const jwks = createLocalJWKSet(await h.hub.keys.jwks());
    const { payload, protectedHeader } = await jwtVerify(head.jws, jwks, {
      issuer: h.config.issuer,
      subject: `audit:${a.id}`,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'ccx-audit-head+jwt' });
    expect(payload).toMatchObject({ authority: a.id, seq: 2, hash: verified.head?.hash });

    // A changed payload (a longer chain claimed) does not verify.
    const [header, body, signature] = head.jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...(JSON.parse(Buffer.from(body!, 'base64url').toString()) as object), seq: 99 }),
    ).toString('base64url');
    await expect(jwtVerify(`${header}.${forged}.${signature}`, jwks)).rejects.toThrow();
    expect(decodeProtectedHeader(head.jws).kid).toBeTruthy();

    // The hub-admin may export any chain; an empty chain exports its genesis.
    const quiet = await makeMember(h, 'quietexport');
    const empty = await h.caller(h.hubAdmin).audit.exportHead({ authorityId: quiet.id });
    expect(empty).toMatchObject({ authorityId: quiet.id, seq: 0, hash: '0'.repeat(64) });
    await expectTRPCError(h.caller(a.officer).audit.exportHead({ authorityId: quiet.id }), 'FORBIDDEN');
  });
});
