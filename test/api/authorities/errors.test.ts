// Member authorities, refusals of a client's mistake: unknown ids (NOT_FOUND), duplicate ids or GSS codes
// and stale versions (CONFLICT), invalid input (BAD_REQUEST) — each changing nothing.
import { describe, expect } from 'vitest';
import { expectTRPCError, type Harness, test } from '../../support/harness.js';

const admin = (h: Harness) => h.caller(h.hubAdmin);

describe('authorities.create / get / list', () => {
  test('answers NOT_FOUND for an unknown authority', async ({ h }) => {
    const err = await expectTRPCError(admin(h).authorities.get({ id: 'atlantis' }), 'NOT_FOUND');
    expect(err.message).toContain('atlantis');
  });

  test('refuses a duplicate id with CONFLICT naming it', async ({ h }) => {
    const a = await h.makeAuthority();
    const err = await expectTRPCError(
      admin(h).authorities.create({ id: a.id, name: 'Impostor', region: 'london', qaInbox: 'x@example.org' }),
      'CONFLICT',
    );
    expect(err.message).toContain(a.id);
    expect(await admin(h).authorities.get({ id: a.id })).toEqual(a);
  });

  test('refuses a duplicate GSS code with CONFLICT naming the code, on create and on update', async ({
    h,
  }) => {
    await h.makeAuthority({ gssCode: 'E08000021' });
    const err = await expectTRPCError(h.makeAuthority({ gssCode: 'E08000021' }), 'CONFLICT');
    expect(err.message).toContain('GSS code E08000021');

    const other = await h.makeAuthority({ gssCode: 'E08000022' });
    const err2 = await expectTRPCError(
      admin(h).authorities.update({ id: other.id, version: 1, gssCode: 'E08000021' }),
      'CONFLICT',
    );
    expect(err2.message).toContain('GSS code E08000021');
    expect(await admin(h).authorities.get({ id: other.id })).toEqual(other);
  });

  test('refuses invalid input with BAD_REQUEST', async ({ h }) => {
    const base = { name: 'Bad', region: 'london' as const, qaInbox: 'qa@bad.example.org' };
    await expectTRPCError(admin(h).authorities.create({ ...base, id: 'Not A Slug' }), 'BAD_REQUEST');
    await expectTRPCError(
      admin(h).authorities.create({ ...base, id: 'bad-gss', gssCode: 'W06000001' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(
      admin(h).authorities.create({ ...base, id: 'bad-inbox', qaInbox: 'nobody' }),
      'BAD_REQUEST',
    );
    await expectTRPCError(admin(h).authorities.get({ id: 'bad-gss' }), 'NOT_FOUND');
  });
});

describe('authorities.update', () => {
  test('refuses a stale version with CONFLICT naming the current version, and changes nothing', async ({
    h,
  }) => {
    const a = await h.makeAuthority();
    const v2 = await admin(h).authorities.update({ id: a.id, version: 1, name: 'Second Name' });
    const err = await expectTRPCError(
      admin(h).authorities.update({ id: a.id, version: 1, name: 'Lost Write', status: 'left' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(/current version is 2\b/);
    expect(await admin(h).authorities.get({ id: a.id })).toEqual(v2);
  });

  test('answers NOT_FOUND for an unknown authority', async ({ h }) => {
    await expectTRPCError(
      admin(h).authorities.update({ id: 'atlantis', version: 1, name: 'x' }),
      'NOT_FOUND',
    );
  });
});
