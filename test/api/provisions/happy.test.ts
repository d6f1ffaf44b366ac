// The directory, what works: providers and provisions are created, got and updated with the current
// version (incrementing it, clearing optional fields), and providers are searched by name and number.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import type { Principal } from '@ccx/server';
import { expectTRPCError, test } from '../../support/harness.js';
import { ids } from './fixtures.js';

/**
 * An officer of the host authority the test settings stand in (h.makeProvision's default): the least
 * role that may keep their facts. Another member's officer proposes a correction (integrity.test.ts).
 */
let officer: Principal;
let memberId: string;
test.beforeAll(async ({ h }) => {
  memberId = (await h.makeAuthority()).id;
  officer = (await h.makeClient(h.hostAuthorityId, 'officer')).principal;
});

describe('provisions', () => {
  test('creates and gets a provision', async ({ h }) => {
    const p = await h.makeProvision({ name: 'Oak Lodge', urn: 'SC123456' });
    const got = await h.caller(h.hubAdmin).provisions.get({ id: p.id });
    expect(got).toMatchObject({
      name: 'Oak Lodge',
      urn: 'SC123456',
      version: 1,
      ofstedGrade: 'not-yet-inspected',
    });
  });

  test('lets the hub-admin create a provision with every field, and returns what it stored', async ({
    h,
  }) => {
    const provider = await h.makeProvider();
    const created = await h.caller(h.hubAdmin).provisions.create({
      providerId: provider.id,
      name: '  Birch House  ',
      urn: 'sc100200',
      type: 'residential-special-school',
      hostAuthorityId: memberId,
      registrationStatus: 'applied',
      ofstedGrade: 'good',
      ofstedGradeDate: '2025-03-14',
      postcode: 'me4 4tr',
    });
    expect(created).toMatchObject({
      providerId: provider.id,
      name: 'Birch House',
      urn: 'SC100200',
      type: 'residential-special-school',
      hostAuthorityId: memberId,
      registrationStatus: 'applied',
      ofstedGrade: 'good',
      ofstedGradeDate: '2025-03-14',
      postcode: 'ME4 4TR',
      version: 1,
    });
    expect(created.createdAt).toBe(created.updatedAt);
    const viewer = (await h.makeClient(memberId, 'viewer')).principal;
    expect(await h.caller(viewer).provisions.get({ id: created.id })).toEqual(created);
  });

  test('updates with the current version, incrementing it, and can clear optional fields', async ({ h }) => {
    const p = await h.makeProvision({ urn: 'SC300100', postcode: 'ME4 4TR' });
    const updated = await h.caller(officer).provisions.update({
      id: p.id,
      version: 1,
      name: 'Renamed Lodge',
      ofstedGrade: 'outstanding',
      ofstedGradeDate: '2026-01-05',
    });
    expect(updated).toMatchObject({
      id: p.id,
      name: 'Renamed Lodge',
      ofstedGrade: 'outstanding',
      ofstedGradeDate: '2026-01-05',
      urn: 'SC300100',
      postcode: 'ME4 4TR',
      version: 2,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(p.updatedAt));
    expect(updated.createdAt).toBe(p.createdAt);

    const cleared = await h.caller(officer).provisions.update({
      id: p.id,
      version: 2,
      urn: null,
      postcode: null,
    });
    expect(cleared).toMatchObject({ urn: null, postcode: null, name: 'Renamed Lodge', version: 3 });
    expect(await h.caller(officer).provisions.get({ id: p.id })).toEqual(cleared);
  });
});

describe('providers', () => {
  test('creates and gets a provider, normalising its company number', async ({ h }) => {
    const created = await h
      .caller(officer)
      .providers.create({ name: '  Harbour Care Ltd ', companyNumber: 'sc654321' });
    expect(created).toMatchObject({ name: 'Harbour Care Ltd', companyNumber: 'SC654321', version: 1 });
    expect(await h.caller(officer).providers.get({ id: created.id })).toEqual(created);
    await expectTRPCError(h.caller(officer).providers.get({ id: randomUUID() }), 'NOT_FOUND');
  });

  test('searches by name fragment case-insensitively, and by company number', async ({ h }) => {
    const a = await h.makeProvider({ name: 'Riverside Zebra Care', companyNumber: '04444444' });
    const b = await h.makeProvider({ name: 'ZEBRA crossings Ltd', companyNumber: 'NI123456' });
    await h.makeProvider({ name: 'Unrelated Ltd' });
    const search = async (input: { q?: string; companyNumber?: string }) =>
      ids((await h.caller(officer).providers.search(input)).items);

    expect(await search({ q: 'zebra' })).toEqual(ids([a, b]));
    expect(await search({ q: 'ZeBrA cRoSs' })).toEqual(ids([b]));
    expect(await search({ companyNumber: '04444444' })).toEqual(ids([a]));
    expect(await search({ companyNumber: 'ni123456' })).toEqual(ids([b]));
    expect(await search({ q: 'riverside', companyNumber: 'NI123456' })).toEqual([]);
    expect(await search({ q: 'zebra%' })).toEqual([]);
    expect(await search({ q: 'zebra_' })).toEqual([]);
  });
});
