// The versioned-record kit as outcomes and restrictions share it: an amendment that changes nothing is
// refused and leaves no version, no event and no audit entry behind; a stale version is a 409 naming
// the current one; only the publisher changes a record; every version is kept.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { expectTRPCError, publishOutcome, queryRows, test } from '../../support/harness.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

const counts = async (db: Parameters<typeof queryRows>[0], recordId: string) => {
  const [row] = await queryRows<{ versions: number; events: number; audits: number }>(
    db,
    sql`select
      (select count(*)::int from outcome_versions where outcome_id::text = ${recordId})
        + (select count(*)::int from restriction_versions where restriction_id::text = ${recordId}) as versions,
      (select count(*)::int from events where record_id::text = ${recordId}) as events,
      (select count(*)::int from audit_log where ${recordId} = any(record_ids)) as audits`,
  );
  return row!;
};

test('an outcome amendment that changes nothing is refused and records nothing', async ({ h, w }) => {
  const o = await publishOutcome(h, w.lead.officer, w.provision.id, { overallRating: 2 });
  const before = await counts(h.db, o.id);
  const err = await expectTRPCError(
    h.caller(w.lead.officer).outcomes.amend({
      id: o.id,
      version: o.version,
      reason: 'no real change',
      changes: { overallRating: 2, summary: o.input.summary, addActionItems: [] },
    }),
    'BAD_REQUEST',
  );
  expect(err.message).toMatch(/nothing to change: overallRating, summary already hold the value sent/);
  expect(await counts(h.db, o.id)).toEqual(before);
  const after = await h.caller(w.lead.officer).outcomes.get({ id: o.id });
  expect(after).toMatchObject({ layer: 'detail', version: o.version, status: 'published' });
});

test('an outcome amendment that changes one field of several is a new version', async ({ h, w }) => {
  const o = await publishOutcome(h, w.lead.officer, w.provision.id, { overallRating: 2 });
  const amended = await h.caller(w.lead.officer).outcomes.amend({
    id: o.id,
    version: o.version,
    reason: 'rating reviewed',
    changes: { overallRating: 3, summary: o.input.summary },
  });
  expect(amended).toMatchObject({
    layer: 'detail',
    version: o.version + 1,
    status: 'amended',
    overallRating: 3,
  });
  if (amended.layer !== 'detail') throw new Error('detail expected');
  expect(amended.history.map((v) => v.change)).toEqual(['published', 'amended']);
});

test('a restriction update that changes nothing is refused and records nothing', async ({ h, w }) => {
  const r = await h.caller(w.lead.officer).restrictions.create({
    provisionId: w.provision.id,
    kind: 'action-plan',
    reasons: [{ category: 'quality', text: 'staffing' }],
    summary: 'Action plan agreed',
    details: 'Weekly reviews.',
  });
  if (r.layer !== 'detail') throw new Error('detail expected');
  const before = await counts(h.db, r.id);
  const err = await expectTRPCError(
    h
      .caller(w.lead.officer)
      .restrictions.update({ id: r.id, version: r.version, summary: 'Action plan agreed' }),
    'BAD_REQUEST',
  );
  expect(err.message).toMatch(/nothing to change: summary already holds the value sent/);
  expect(await counts(h.db, r.id)).toEqual(before);
});

test('a stale version is a conflict naming the current version, for both kinds', async ({ h, w }) => {
  const o = await publishOutcome(h, w.lead.officer, w.provision.id);
  await h.caller(w.lead.officer).outcomes.amend({
    id: o.id,
    version: o.version,
    reason: 'first change',
    changes: { overallRating: 4 },
  });
  const stale = await expectTRPCError(
    h.caller(w.lead.officer).outcomes.withdraw({ id: o.id, version: o.version, reason: 'stale' }),
    'CONFLICT',
  );
  expect(stale.message).toBe(
    `outcome ${o.id} has changed: you sent version ${o.version}, the current version is ${o.version + 1}; reload and retry`,
  );
  const r = await h.caller(w.lead.officer).restrictions.create({
    provisionId: w.provision.id,
    kind: 'action-plan',
    reasons: [{ category: 'quality', text: 'staffing' }],
    summary: 'Plan',
    details: '',
  });
  if (r.layer !== 'detail') throw new Error('detail expected');
  const conflict = await expectTRPCError(
    h.caller(w.lead.officer).restrictions.lift({ id: r.id, version: r.version + 1, reason: 'done' }),
    'CONFLICT',
  );
  expect(conflict.message).toMatch(
    new RegExp(
      `restriction ${r.id} has changed: you sent version ${r.version + 1}, the current version is ${r.version}`,
    ),
  );
});

test('only the publisher changes a record; another authority is told why', async ({ h, w }) => {
  const o = await publishOutcome(h, w.lead.officer, w.provision.id);
  const err = await expectTRPCError(
    h
      .caller(w.placing.officer)
      .outcomes.amend({ id: o.id, version: o.version, reason: 'not mine', changes: { overallRating: 5 } }),
    'FORBIDDEN',
  );
  expect(err.message).toBe('only the authority that published an outcome can amend it');
});
