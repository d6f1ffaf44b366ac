// Names beside ids (issue 16): every restriction view names its setting ({ id, urn, name }), its provider
// ({ id, name }) and its issuer and history authors ({ id, name }) at every layer; a signal carries its
// setting's or provider's name (directory facts) and nothing more of the record than it did before.
import { describe, expect } from 'vitest';
import type { RestrictionView } from '@ccx/schema';
import { makeMember, test, type Harness, type World } from '../../support/harness.js';
import { councilRef, RESTRICTION_SIGNAL_KEYS } from '../names-fixtures.js';
import { create, get, input, NOW, secretsOf } from './fixtures.js';

test.override({ clockAt: NOW });

/** A setting with an Ofsted URN, so that its name reads `SC… Name`. */
const namedWorld = async (h: Harness, w: World) => {
  const urn = 'SC770001';
  const current = await h.caller(h.hubAdmin).provisions.get({ id: w.provision.id });
  if (current.urn !== urn)
    await h.caller(h.hubAdmin).provisions.update({
      id: w.provision.id,
      version: current.version,
      urn,
      name: 'Invented Harbour House',
    });
  const provision = await h.caller(h.hubAdmin).provisions.get({ id: w.provision.id });
  const provider = await h.caller(h.hubAdmin).providers.get({ id: w.provision.providerId });
  return { provision, provider, urn };
};

describe('restrictions name their setting, provider and authorities', () => {
  test('detail, summary and the list: setting, provider and issuer named beside their ids', async ({
    h,
    w,
  }) => {
    const { provision, provider, urn } = await namedWorld(h, w);
    const onSetting = await create(
      h,
      w.publisher.officer,
      input({ provisionId: provision.id }, 'action-plan'),
    );
    const onProvider = await create(h, w.publisher.officer, input({ providerId: provider.id }, 'embargo'));
    const settingRef = { id: provision.id, urn, name: 'Invented Harbour House' };
    const providerRef = { id: provider.id, name: provider.name };

    // The write's answer, in detail, with its history's author named.
    expect(onSetting).toMatchObject({
      provision: settingRef,
      provider: null,
      issuerAuthority: councilRef(w.publisher.id),
      history: [{ byAuthorityId: w.publisher.id, byAuthority: councilRef(w.publisher.id) }],
    });
    expect(onProvider).toMatchObject({ provision: null, provider: providerRef });

    for (const [who, layer] of [
      [w.publisher, 'detail'],
      [w.placing, 'detail'],
      [w.member, 'summary'],
    ] as const) {
      const seen = await get(h, who, onSetting.id);
      expect(seen.layer).toBe(layer);
      expect(seen).toMatchObject({
        provisionId: provision.id,
        provision: settingRef,
        providerId: null,
        provider: null,
        issuerAuthorityId: w.publisher.id,
        issuerAuthority: councilRef(w.publisher.id),
      });
      const listed = await h.caller(who.officer).restrictions.list({ provisionId: provision.id });
      const item = listed.items.find((v) => v.layer !== 'signal' && v.id === onProvider.id);
      expect(item).toMatchObject({ provider: providerRef, issuerAuthority: councilRef(w.publisher.id) });
    }
  });

  test('a signal names the setting (URN and name) or the provider, and carries nothing more of the record', async ({
    h,
    w,
  }) => {
    const { provision, provider, urn } = await namedWorld(h, w);
    const onSetting = input({ provisionId: provision.id }, 'informal-embargo');
    const onProvider = input({ providerId: provider.id }, 'action-plan', { restricted: true });
    const a = await create(h, w.publisher.officer, onSetting);
    const b = await create(h, w.publisher.officer, onProvider);

    const views: RestrictionView[] = [
      await get(h, w.member, a.id),
      await get(h, w.placing, b.id),
      ...(await h.caller(w.lead.officer).restrictions.list({ provisionId: provision.id })).items,
    ];
    const signals = views.filter((v) => v.layer === 'signal');
    expect(signals.length).toBeGreaterThanOrEqual(3);
    for (const s of signals) {
      // What a signal carried before (layer, where, whom to contact, the neutral words) and the names.
      // …and the opaque id of each record it stands for.
      expect(Object.keys(s).sort()).toEqual(RESTRICTION_SIGNAL_KEYS);
      if (s.provisionId) {
        expect(s.provision).toEqual({ id: provision.id, urn, name: 'Invented Harbour House' });
        expect(s.provider).toBeNull();
      } else {
        expect(s.provision).toBeNull();
        expect(s.provider).toEqual({ id: provider.id, name: provider.name });
      }
      // No id, kind, issuer, reason or text of the record (the contact is the issuer's QA inbox, as before).
      const json = JSON.stringify({ ...s, contact: '', message: '' });
      expect(s.contact).toBe(w.publisher.qaInbox);
      for (const secret of [
        a.id,
        b.id,
        'informal-embargo',
        'action-plan',
        w.publisher.id,
        `Council ${w.publisher.id}`,
        ...secretsOf(onSetting),
        ...secretsOf(onProvider),
      ])
        expect(json).not.toContain(secret);
    }
  });

  test('one lookup names a whole page: 60 restrictions at 3 settings, each named', async ({ h, w }) => {
    const other = await makeMember(h, 'other');
    const settings = [
      await h.caller(h.hubAdmin).provisions.get({ id: w.provision.id }),
      await h.makeProvision(),
      await h.makeProvision(),
    ];
    for (let i = 0; i < 60; i++)
      await create(
        h,
        (i % 2 ? w.publisher : other).officer,
        input({ provisionId: settings[i % 3]!.id }, 'action-plan'),
      );
    const page = await h.caller(w.member.officer).restrictions.list({ limit: 200 });
    const byId = new Map(settings.map((s) => [s.id, s.name]));
    const mine = page.items.filter(
      (v) => v.layer === 'summary' && v.provisionId !== null && byId.has(v.provisionId),
    );
    expect(mine.length).toBeGreaterThanOrEqual(60);
    for (const v of mine)
      if (v.layer === 'summary') {
        expect(v.provision?.name).toBe(byId.get(v.provisionId!));
        expect(v.issuerAuthority?.name).toBe(`Council ${v.issuerAuthorityId}`);
      }
  });
});
