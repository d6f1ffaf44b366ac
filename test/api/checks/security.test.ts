// The placement check, who sees what: any client may check; restricted records give a neutral signal
// (except to their issuer, or once shared); and every check is audited with the records it saw.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { makeMember } from '../../support/harness.js';
import { NOW, test, type Kit } from './fixtures.js';

test.override({ clockAt: NOW });

describe('a clear setting', () => {
  test('is clear for a viewer client too', async ({ h, checker, clearSetting, check }) => {
    const s = await clearSetting();
    const viewer = (await h.makeClient(checker.id, 'viewer')).principal;
    expect((await check(viewer, s.provisionId)).verdict).toBe('clear');
  });
});

describe('restrictions on a whole provider', () => {
  test('a restricted provider-level restriction gives every provision the signal', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const provider = await h.makeProvider();
    const a = await clearSetting({ providerId: provider.id });
    const b = await clearSetting({ providerId: provider.id });
    const embargo = await restrict(other.officer, { providerId: provider.id }, 'informal-embargo');
    const signalIds: string[][] = [];
    for (const s of [a, b]) {
      const c = await check(checker, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        expect.objectContaining({
          code: 'restricted-information',
          recordId: null,
          contact: other.qaInbox,
          signalIds: [expect.stringMatching(/^sig_/) as string],
        }),
      ]);
      signalIds.push(c.reasons[0]!.signalIds ?? []);
      // The signal is the reason alone: listed among the check's restrictions it would say its kind.
      expect(c.restrictions).toEqual([]);
      expect(JSON.stringify(c)).not.toContain(embargo.id);
    }
    // One hidden record: the same signal id at every setting of the provider.
    expect(signalIds[1]).toEqual(signalIds[0]);

    // The restrictions list still gives the member the provider's signal, with the same id.
    const list = await h.caller(checker.officer).restrictions.list({ provisionId: a.provisionId });
    expect(list.items).toEqual([
      {
        layer: 'signal',
        provisionId: null,
        provision: null,
        providerId: provider.id,
        provider: { id: provider.id, name: provider.name },
        contact: other.qaInbox,
        message: expect.stringContaining(other.qaInbox) as string,
        signalIds: signalIds[0],
      },
    ]);
  });
});

describe('restricted restrictions', () => {
  test('give the checker only a restricted-information signal: no record id, no kind, no text', async ({
    h,
    lead,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const placing = await makeMember(h, 'placing');
    await h
      .caller(placing.officer)
      .placements.declare({ provisionId: s.provisionId, children: 1, fromDate: '2026-01-01' });
    const embargo = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    expect(embargo.restricted).toBe(true);

    // Need-to-know bases (lead, placing, host) do not open a restricted record; only its issuer sees it.
    const hostOfficer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
    for (const who of [checker.officer, placing.officer, lead.officer, hostOfficer]) {
      const c = await check(who, s.provisionId);
      expect(c.verdict).toBe('caution');
      expect(c.reasons).toEqual([
        {
          code: 'restricted-information',
          verdict: 'caution',
          message: expect.stringContaining(other.qaInbox) as string,
          recordId: null,
          contact: other.qaInbox,
          signalIds: [expect.stringMatching(/^sig_[A-Za-z0-9_-]{22}$/) as string],
        },
      ]);
      // Nothing among the check's restrictions: a signal listed there would say its kind.
      expect(c.restrictions).toEqual([]);
      const raw = JSON.stringify(c);
      for (const secret of [
        'informal-embargo',
        'informal embargo',
        embargo.id,
        embargo.summary,
        embargo.details,
        embargo.reasons[0]!.text,
      ])
        expect(raw).not.toContain(secret);
    }

    // The issuer itself: its own (informal) embargo is a do-not-place, with the record behind it.
    const own = await check(other, s.provisionId);
    expect(own.verdict).toBe('do-not-place');
    expect(own.reasons).toEqual([
      expect.objectContaining({ code: 'own-embargo', recordId: embargo.id, contact: other.qaInbox }),
    ]);
    expect(own.restrictions).toEqual([
      expect.objectContaining({ layer: 'detail', id: embargo.id, kind: 'informal-embargo' }),
    ]);
  });

  test('several restricted records of one issuer give one signal; a share opens the record', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const plan = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan', {
      restricted: true,
    });
    await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const c = await check(checker, s.provisionId);
    expect(c.reasons.map((r) => [r.code, r.contact])).toEqual([['restricted-information', other.qaInbox]]);
    // One reason, with the opaque id of each record it stands for.
    expect(c.reasons[0]!.signalIds).toHaveLength(2);
    expect(c.restrictions).toEqual([]);

    // Once the issuer shares the action plan with the caller, it is a visible restriction by another member.
    await h
      .caller(other.officer)
      .access.share({ recordType: 'restriction', recordId: plan.id, authorityId: checker.id });
    const shared = await check(checker, s.provisionId);
    expect(shared.verdict).toBe('caution');
    expect(shared.reasons.map((r) => [r.code, r.recordId]).sort()).toEqual([
      ['restricted-information', null],
      ['restriction-by-member', plan.id],
    ]);
    expect(shared.restrictions).toEqual([expect.objectContaining({ layer: 'detail', id: plan.id })]);
    // The embargo still signals, under the id it had; the shared plan's id is gone.
    const still = shared.reasons.find((r) => r.code === 'restricted-information')!.signalIds!;
    expect(still).toHaveLength(1);
    expect(c.reasons[0]!.signalIds).toContain(still[0]);
  });
});

describe('every check is audited', () => {
  /** The caller's own audit entries of an action. */
  const myChecks = async ({ h, checker }: Pick<Kit, 'h' | 'checker'>, action: string) =>
    (await h.caller(checker.officer).audit.list({ scope: 'mine', action, limit: 200 })).items;

  test('checks.placement writes one entry with the provision, the verdict and the records seen', async ({
    h,
    checker,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const s = await clearSetting();
    const visible = await restrict(other.officer, { provisionId: s.provisionId }, 'action-plan');
    const hidden = await restrict(other.officer, { provisionId: s.provisionId }, 'informal-embargo');
    const before = (await myChecks({ h, checker }, 'check.placement')).length;

    await check(checker, s.provisionId);
    const after = await myChecks({ h, checker }, 'check.placement');
    expect(after).toHaveLength(before + 1);
    const entry = after[0]!;
    expect(entry).toMatchObject({
      authorityId: checker.id,
      clientId: checker.officer.clientId,
      action: 'check.placement',
      recordType: 'provision',
      provisionIds: [s.provisionId],
      basis: 'member',
      details: { verdicts: { [s.provisionId]: 'caution' }, notFound: 0 },
    });
    expect(entry.recordIds).toContain(visible.id);
    expect(entry.recordIds).toContain(s.outcome!.id);
    expect(entry.recordIds).not.toContain(hidden.id);

    await h.caller(checker.officer).checks.placement({ urn: s.urn });
    expect(await myChecks({ h, checker }, 'check.placement')).toHaveLength(before + 2);
  });

  test('checks.placementMany writes one entry naming every provision checked', async ({
    h,
    checker,
    clearSetting,
    updateProvision,
  }) => {
    const a = await clearSetting();
    const b = await clearSetting();
    await updateProvision(b, { registrationStatus: 'suspended' });
    const before = (await myChecks({ h, checker }, 'check.placementMany')).length;
    await h.caller(checker.officer).checks.placementMany({
      items: [{ provisionId: a.provisionId }, { urn: b.urn }, { provisionId: randomUUID() }],
    });
    const after = await myChecks({ h, checker }, 'check.placementMany');
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      action: 'check.placementMany',
      authorityId: checker.id,
      details: { verdicts: { [a.provisionId]: 'clear', [b.provisionId]: 'do-not-place' }, notFound: 1 },
    });
    expect([...after[0]!.provisionIds].sort()).toEqual([a.provisionId, b.provisionId].sort());
  });
});
