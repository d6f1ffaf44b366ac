// The directory keeps its integrity: a setting's regulator facts (Ofsted grade and date, registration
// status, URN, type) change only by its host authority or the hub-admin; any other member proposes a
// correction, which the host or the hub-admin accepts (applied as their own edit) or declines, both
// audited and both events; every directory change event says who made it; and the hub-admin merges
// two settings or two providers, everything of the merged one moving to the survivor.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { tables } from '@ccx/server/testing';
import {
  expectTRPCError,
  leadAndPlace,
  makeMember,
  publishOutcome,
  queryRows,
  test,
  type Harness,
  type Member,
} from '../../support/harness.js';
import { eventsAbout, mark } from '../events/fixtures.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });
// The hub starts (and migrates) in a hook, outside the first test's time limit.
test.beforeAll(({ h }) => {
  expect(h.hostAuthorityId).toBeTruthy();
});

const auditOf = (h: Harness, action: string, recordId: string) =>
  queryRows<{ authority_id: string; action: string; basis: string; details: Record<string, unknown> }>(
    h.db,
    sql`select authority_id, action, basis, details from audit_log where action = ${action} and ${recordId} = any(record_ids)`,
  );

/** A suspended, inadequate home hosted by `host`: do-not-place for everyone. */
const troubledHome = async (h: Harness, host: Member) => {
  const p = await h.makeProvision({ hostAuthorityId: host.id });
  return h.caller(h.hubAdmin).provisions.update({
    id: p.id,
    version: p.version,
    ofstedGrade: 'inadequate',
    ofstedGradeDate: '2026-05-01',
    registrationStatus: 'suspended',
  });
};

describe('regulator facts', () => {
  test("a member's officer may not clear a suspended, inadequate home: the do-not-place stays", async ({
    h,
  }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const p = await troubledHome(h, host);
    const before = await h.caller(member.officer).checks.placement({ provisionId: p.id });
    expect(before.verdict).toBe('do-not-place');
    for (const change of [
      { registrationStatus: 'registered' as const, ofstedGrade: 'outstanding' as const },
      { ofstedGrade: 'good' as const },
      { ofstedGradeDate: '2026-06-01' },
      { urn: 'SC909090' },
      { type: 'supported-accommodation' as const },
      { name: 'Another Name' },
    ]) {
      const err = await expectTRPCError(
        h.caller(member.officer).provisions.update({ id: p.id, version: p.version, ...change }),
        'FORBIDDEN',
      );
      expect(err.message).toContain('propose a correction');
    }
    expect(await h.caller(member.officer).provisions.get({ id: p.id })).toEqual(p);
    const after = await h.caller(member.officer).checks.placement({ provisionId: p.id });
    expect(after.verdict).toBe('do-not-place');
    // A viewer of the host authority may not either: changing facts needs the officer role.
    const viewer = (await h.makeClient(host.id, 'viewer')).principal;
    await expectTRPCError(
      h.caller(viewer).provisions.update({ id: p.id, version: p.version, ofstedGrade: 'good' }),
      'FORBIDDEN',
    );
  });

  test('the host and the hub-admin may, and each change event says who made it', async ({ h }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const p = await h.makeProvision({ hostAuthorityId: host.id });
    const since = await mark(h);
    const byHost = await h.caller(host.officer).provisions.update({
      id: p.id,
      version: p.version,
      ofstedGrade: 'requires-improvement',
      ofstedGradeDate: '2026-06-01',
      name: 'Renamed by host',
    });
    expect(byHost).toMatchObject({ ofstedGrade: 'requires-improvement', name: 'Renamed by host' });
    const byHub = await h
      .caller(h.hubAdmin)
      .provisions.update({ id: p.id, version: byHost.version, registrationStatus: 'suspended' });
    expect(byHub.registrationStatus).toBe('suspended');
    // The host may not move the setting: where it stands and whose it is stay the hub-admin's.
    await expectTRPCError(
      h
        .caller(host.officer)
        .provisions.update({ id: p.id, version: byHub.version, hostAuthorityId: member.id }),
      'FORBIDDEN',
    );
    const seen = await eventsAbout(h, member, since, { provisionId: p.id });
    expect(seen.map((e) => e.type)).toEqual([
      'provision.ofsted-grade-changed',
      'provision.registration-changed',
    ]);
    expect(seen[0]!.data.by).toMatchObject({ authorityId: host.id, clientId: host.officer.clientId });
    expect(seen[1]!.data.by).toMatchObject({ authorityId: h.hostAuthorityId, clientId: h.hubAdmin.clientId });
    const audit = await auditOf(h, 'provision.update', p.id);
    expect(audit.map((a) => [a.authority_id, a.basis])).toEqual(
      expect.arrayContaining([
        [host.id, 'host'],
        [h.hostAuthorityId, 'hub-admin'],
      ]),
    );
  });

  test("a provider's name and number: the hub-admin or a host of one of its settings, no one else", async ({
    h,
  }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const provider = await h.makeProvider();
    await h.makeProvision({ hostAuthorityId: host.id, providerId: provider.id });
    const err = await expectTRPCError(
      h
        .caller(member.officer)
        .providers.update({ id: provider.id, version: provider.version, name: 'Taken' }),
      'FORBIDDEN',
    );
    expect(err.message).toContain('propose a correction');
    const renamed = await h
      .caller(host.officer)
      .providers.update({ id: provider.id, version: provider.version, name: 'Host Renamed Ltd' });
    expect(renamed.name).toBe('Host Renamed Ltd');
  });
});

describe('corrections', () => {
  test('a member proposes, the host accepts: applied, audited, and both hear of it', async ({ h }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const other = await makeMember(h, 'other');
    const p = await troubledHome(h, host);
    const since = await mark(h);
    const proposed = await h.caller(member.officer).provisions.proposeCorrection({
      provisionId: p.id,
      changes: { registrationStatus: 'registered', ofstedGrade: 'good', ofstedGradeDate: '2026-06-10' },
      reason: 'Ofsted report of 10 June 2026: suspension lifted, judged good',
    });
    expect(proposed).toMatchObject({
      status: 'proposed',
      provisionId: p.id,
      proposerAuthorityId: member.id,
      proposedBy: member.officer.clientId,
      was: { registrationStatus: 'suspended', ofstedGrade: 'inadequate', ofstedGradeDate: '2026-05-01' },
    });
    // Nothing changed yet.
    expect((await h.caller(member.officer).provisions.get({ id: p.id })).registrationStatus).toBe(
      'suspended',
    );

    // The lists: awaiting the host's decision; the proposer's own; neither for a stranger.
    const awaiting = await h.caller(host.officer).corrections.list({ view: 'awaiting-my-decision' });
    expect(awaiting.items.map((c) => c.id)).toContain(proposed.id);
    const hubAwaiting = await h.caller(h.hubAdmin).corrections.list({ view: 'awaiting-my-decision' });
    expect(hubAwaiting.items.map((c) => c.id)).toContain(proposed.id);
    const mine = await h.caller(member.officer).corrections.list({ view: 'proposed-by-me' });
    expect(mine.items.map((c) => c.id)).toEqual([proposed.id]);
    const strangers = await h.caller(other.officer).corrections.list({ view: 'awaiting-my-decision' });
    expect(strangers.items.map((c) => c.id)).not.toContain(proposed.id);
    await expectTRPCError(h.caller(other.officer).corrections.get({ id: proposed.id }), 'NOT_FOUND');
    await expectTRPCError(
      h.caller(other.officer).corrections.accept({ id: proposed.id, version: proposed.version }),
      'NOT_FOUND',
    );
    // The proposer may read it but not decide it.
    await expectTRPCError(
      h.caller(member.officer).corrections.accept({ id: proposed.id, version: proposed.version }),
      'FORBIDDEN',
    );

    const accepted = await h
      .caller(host.officer)
      .corrections.accept({ id: proposed.id, version: proposed.version, note: 'checked the report' });
    expect(accepted).toMatchObject({
      status: 'accepted',
      decidedByAuthorityId: host.id,
      decidedBy: host.officer.clientId,
      decisionNote: 'checked the report',
    });
    const now = await h.caller(member.officer).provisions.get({ id: p.id });
    expect(now).toMatchObject({
      registrationStatus: 'registered',
      ofstedGrade: 'good',
      version: p.version + 1,
    });
    expect((await h.caller(member.officer).checks.placement({ provisionId: p.id })).verdict).not.toBe(
      'do-not-place',
    );
    // Decided once only.
    await expectTRPCError(
      h
        .caller(h.hubAdmin)
        .corrections.decline({ id: proposed.id, version: accepted.version, note: 'too late' }),
      'CONFLICT',
    );

    expect((await auditOf(h, 'directory.correction.propose', proposed.id))[0]).toMatchObject({
      authority_id: member.id,
    });
    expect((await auditOf(h, 'directory.correction.accept', proposed.id))[0]).toMatchObject({
      authority_id: host.id,
      basis: 'host',
    });
    const applied = await auditOf(h, 'provision.update', p.id);
    expect(applied.at(-1)!.details).toMatchObject({
      correctionId: proposed.id,
      proposerAuthorityId: member.id,
    });

    for (const m of [member, host]) {
      const seen = (await eventsAbout(h, m, since, { provisionId: p.id })).map((e) => e.type);
      expect(seen).toEqual(
        expect.arrayContaining(['directory.correction-proposed', 'directory.correction-decided']),
      );
    }
    const strangerSees = (await eventsAbout(h, other, since, { provisionId: p.id })).map((e) => e.type);
    expect(strangerSees).not.toContain('directory.correction-proposed');
    // The grade change it made says who made it, and from which correction.
    const grade = (
      await eventsAbout(h, other, since, { provisionId: p.id, type: 'provision.ofsted-grade-changed' })
    )[0]!;
    expect(grade.data).toMatchObject({ by: { authorityId: host.id }, correctionId: proposed.id });
  });

  test('the hub-admin declines with a note; nothing changes; stale and empty proposals are refused', async ({
    h,
  }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const p = await troubledHome(h, host);
    await expectTRPCError(
      h.caller(member.officer).provisions.proposeCorrection({
        provisionId: p.id,
        changes: { ofstedGrade: 'inadequate' },
        reason: 'the same as now',
      }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      h
        .caller(member.officer)
        .provisions.proposeCorrection({ provisionId: p.id, changes: {}, reason: 'nothing' }),
      'BAD_REQUEST',
    );
    const viewer = (await h.makeClient(member.id, 'viewer')).principal;
    await expectTRPCError(
      h.caller(viewer).provisions.proposeCorrection({
        provisionId: p.id,
        changes: { ofstedGrade: 'good' },
        reason: 'a viewer',
      }),
      'FORBIDDEN',
    );
    const c = await h.caller(member.officer).provisions.proposeCorrection({
      provisionId: p.id,
      changes: { ofstedGrade: 'outstanding' },
      reason: 'heard it was outstanding',
    });
    await expectTRPCError(
      h.caller(h.hubAdmin).corrections.decline({ id: c.id, version: c.version + 1, note: 'stale' }),
      'CONFLICT',
    );
    const declined = await h
      .caller(h.hubAdmin)
      .corrections.decline({ id: c.id, version: c.version, note: 'no inspection report says so' });
    expect(declined).toMatchObject({ status: 'declined', decisionNote: 'no inspection report says so' });
    expect((await h.caller(member.officer).provisions.get({ id: p.id })).ofstedGrade).toBe('inadequate');
    expect((await auditOf(h, 'directory.correction.decline', c.id))[0]).toMatchObject({ basis: 'hub-admin' });
    const mine = await h
      .caller(member.officer)
      .corrections.list({ view: 'proposed-by-me', status: 'declined' });
    expect(mine.items.map((x) => x.id)).toEqual([c.id]);
  });

  test("a provider's correction is decided by a host of one of its settings", async ({ h }) => {
    const host = await makeMember(h, 'host');
    const member = await makeMember(h, 'member');
    const provider = await h.makeProvider();
    await h.makeProvision({ hostAuthorityId: host.id, providerId: provider.id });
    const c = await h.caller(member.officer).providers.proposeCorrection({
      providerId: provider.id,
      changes: { name: 'Correct Care Ltd' },
      reason: 'Companies House record',
    });
    const awaiting = await h.caller(host.officer).corrections.list({ view: 'awaiting-my-decision' });
    expect(awaiting.items.map((x) => x.id)).toContain(c.id);
    await h.caller(host.officer).corrections.accept({ id: c.id, version: c.version });
    expect((await h.caller(member.officer).providers.get({ id: provider.id })).name).toBe('Correct Care Ltd');
  });
});

describe('merge', () => {
  const rowsAt = async (h: Harness, provisionId: string) => {
    const count = async (table: string) =>
      (
        await queryRows<{ n: number }>(
          h.db,
          sql`select count(*)::int as n from ${sql.identifier(table)} where provision_id = ${provisionId}`,
        )
      )[0]!.n;
    return {
      outcomes: await count('outcomes'),
      restrictions: await count('restrictions'),
      concerns: await count('concerns'),
      allocations: await count('allocations'),
      placements: await count('placements'),
      access_grants: await count('access_grants'),
      directory_corrections: await count('directory_corrections'),
      events: await count('events'),
    };
  };

  test('everything of the merged setting moves to the survivor; the merged id points at it', async ({
    h,
  }) => {
    const host = await makeMember(h, 'host');
    const lead = await makeMember(h, 'lead');
    const placing = await makeMember(h, 'placing');
    const member = await makeMember(h, 'member');
    const survivor = await h.makeProvision({
      hostAuthorityId: host.id,
      urn: 'SC700001',
      name: 'Willow House',
    });
    const dup = await h.makeProvision({ hostAuthorityId: host.id, name: 'Willow House (duplicate)' });
    // At the duplicate: a lead, two placing authorities (one also at the survivor), an outcome,
    // a restriction, a concern, a pre-placement grant and a proposed correction.
    await leadAndPlace(h, dup.id, {
      lead: lead.id,
      rationale: 'lead by agreement',
      startsOn: '2026-01-01',
      placing: placing.officer,
      children: 2,
      fromDate: '2026-01-01',
    });
    await h
      .caller(placing.officer)
      .placements.declare({ provisionId: survivor.id, children: 1, fromDate: '2026-02-01' });
    await h
      .caller(member.officer)
      .placements.declare({ provisionId: dup.id, children: 3, fromDate: '2026-03-01' });
    await publishOutcome(h, lead.officer, dup.id);
    await h.caller(lead.officer).restrictions.create({
      provisionId: dup.id,
      kind: 'embargo',
      reasons: [{ category: 'safeguarding', text: 'embargo pending review' }],
    });
    await h.caller(lead.officer).concerns.log({
      provisionId: dup.id,
      category: 'quality',
      level: 'level-1',
      occurredOn: '2026-06-01',
      summary: 'staffing below the plan',
    });
    const outsider = await makeMember(h, 'outsider');
    await h.caller(outsider.officer).access.requestProspective({
      provisionId: dup.id,
      reason: 'considering a placement here',
      caseReference: 'CASE-1',
    });
    await h.caller(member.officer).provisions.proposeCorrection({
      provisionId: dup.id,
      changes: { postcode: 'ME4 4TR' },
      reason: 'the council tax record',
    });
    const before = await rowsAt(h, dup.id);
    expect(before).toMatchObject({
      outcomes: 1,
      restrictions: 1,
      concerns: 1,
      allocations: 1,
      placements: 2,
    });

    // Only the hub-admin; never into itself.
    await expectTRPCError(
      h.caller(host.officer).provisions.merge({ survivorId: survivor.id, mergedId: dup.id }),
      'FORBIDDEN',
    );
    await expectTRPCError(
      h.caller(h.hubAdmin).provisions.merge({ survivorId: dup.id, mergedId: dup.id }),
      'BAD_REQUEST',
    );
    const preview = await h
      .caller(h.hubAdmin)
      .provisions.merge({ survivorId: survivor.id, mergedId: dup.id, dryRun: true });
    expect(preview.moved).toMatchObject({
      outcomes: 1,
      restrictions: 1,
      concerns: 1,
      allocations: 1,
      placements: 2,
    });
    expect(preview.notes.join(' ')).toContain(placing.id);
    expect(await rowsAt(h, dup.id)).toEqual(before); // a dry run changes nothing

    const since = await mark(h);
    const report = await h.caller(h.hubAdmin).provisions.merge({ survivorId: survivor.id, mergedId: dup.id });
    expect(report.dryRun).toBe(false);
    const after = await rowsAt(h, dup.id);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    const moved = await rowsAt(h, survivor.id);
    expect(moved).toMatchObject({ outcomes: 1, restrictions: 1, concerns: 1, allocations: 1 });
    // The placing authority's two open declarations are one now, with both counts.
    const open = await h.db
      .select()
      .from(tables.placements)
      .where(and(eq(tables.placements.provisionId, survivor.id), sql`ended_on is null`));
    expect(open.map((p) => [p.authorityId, p.children]).sort()).toEqual(
      [
        [member.id, 3],
        [placing.id, 3],
      ].sort(),
    );

    // The merged id answers with the pointer; search lists only the survivor.
    const gone = await h.caller(member.officer).provisions.get({ id: dup.id });
    expect(gone).toMatchObject({ status: 'merged', mergedIntoId: survivor.id });
    const found = await h.caller(member.officer).provisions.search({ q: 'Willow House' });
    expect(found.items.map((p) => p.id)).toEqual([survivor.id]);
    // The survivor's lead is the duplicate's; its check sees the moved records.
    const check = await h.caller(lead.officer).checks.placement({ provisionId: survivor.id });
    expect(check.verdict).toBe('do-not-place');
    // Checked by the merged id, it answers as the survivor and says so.
    const byOld = await h.caller(lead.officer).checks.placement({ provisionId: dup.id });
    expect(byOld).toMatchObject({ provisionId: survivor.id, mergedFrom: dup.id, verdict: 'do-not-place' });
    const both = await h.caller(lead.officer).checks.placementMany({
      items: [{ provisionId: dup.id }, { provisionId: survivor.id }],
    });
    expect(both.results.map((r) => r.ok && [r.provisionId, r.mergedFrom ?? null])).toEqual([
      [survivor.id, dup.id],
      [survivor.id, null],
    ]);
    // A merged setting takes no change, and nothing merges into it.
    await expectTRPCError(
      h.caller(h.hubAdmin).provisions.update({ id: dup.id, version: gone.version, name: 'x' }),
      'CONFLICT',
    );
    const third = await h.makeProvision({ hostAuthorityId: host.id });
    await expectTRPCError(
      h.caller(h.hubAdmin).provisions.merge({ survivorId: dup.id, mergedId: third.id }),
      'CONFLICT',
    );
    expect((await auditOf(h, 'directory.merge', dup.id))[0]).toMatchObject({
      basis: 'hub-admin',
      details: { survivorId: survivor.id, mergedId: dup.id },
    });
    const seen = await eventsAbout(h, member, since, { type: 'directory.merged' });
    expect(seen.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ survivorId: survivor.id, mergedId: dup.id }),
    );
  });

  test('two settings that both have a lead are not merged; the survivor keeps its URN', async ({ h }) => {
    const host = await makeMember(h, 'host');
    const a = await makeMember(h, 'lead-a');
    const b = await makeMember(h, 'lead-b');
    const one = await h.makeProvision({ hostAuthorityId: host.id, urn: 'SC700011' });
    const two = await h.makeProvision({ hostAuthorityId: host.id, urn: 'SC700012' });
    for (const [p, m] of [
      [one, a],
      [two, b],
    ] as const)
      await h.caller(h.hubAdmin).allocations.assign({
        provisionId: p.id,
        authorityId: m.id,
        rationale: 'lead by agreement',
        startsOn: '2026-01-01',
      });
    const err = await expectTRPCError(
      h.caller(h.hubAdmin).provisions.merge({ survivorId: one.id, mergedId: two.id }),
      'CONFLICT',
    );
    expect(err.message).toContain('lead');
    const three = await h.makeProvision({ hostAuthorityId: host.id, urn: 'SC700013' });
    await h.caller(h.hubAdmin).provisions.merge({ survivorId: one.id, mergedId: three.id });
    expect((await h.caller(h.hubAdmin).provisions.get({ id: one.id })).urn).toBe('SC700011');
  });

  test("providers: the merged provider's settings move and its id points at the survivor", async ({ h }) => {
    const host = await makeMember(h, 'host');
    const keep = await h.makeProvider({ name: 'Harbour Care Ltd' });
    const dup = await h.makeProvider({ name: 'Harbour Care Limited', companyNumber: '07000001' });
    const s = await h.makeProvision({ hostAuthorityId: host.id, providerId: dup.id });
    await h.caller(host.officer).restrictions.create({
      providerId: dup.id,
      kind: 'embargo',
      reasons: [{ category: 'quality', text: 'provider-wide embargo' }],
    });
    await expectTRPCError(
      h.caller(host.officer).providers.merge({ survivorId: keep.id, mergedId: dup.id }),
      'FORBIDDEN',
    );
    const report = await h.caller(h.hubAdmin).providers.merge({ survivorId: keep.id, mergedId: dup.id });
    expect(report.moved).toMatchObject({ provisions: 1, restrictions: 1 });
    expect((await h.caller(host.officer).provisions.get({ id: s.id })).providerId).toBe(keep.id);
    expect(await h.caller(host.officer).providers.get({ id: dup.id })).toMatchObject({
      status: 'merged',
      mergedIntoId: keep.id,
    });
    // The survivor had no Companies House number: it takes the merged one's.
    expect((await h.caller(host.officer).providers.get({ id: keep.id })).companyNumber).toBe('07000001');
    const listed = await h.caller(host.officer).providers.search({ q: 'Harbour Care' });
    expect(listed.items.map((p) => p.id)).toEqual([keep.id]);
  });
});
