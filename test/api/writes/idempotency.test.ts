// Safe writes: an idempotency key makes a create, publish, amend, log or lift safe to retry. The same
// key with the same input answers the first result and never makes a second record (nor a second audit
// entry); the same key with another input is a conflict; keys belong to an authority, not to the hub.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { OutcomeView, RestrictionCreate, RestrictionView } from '@ccx/schema';
import {
  expectTRPCError,
  outcomeInput,
  publishOutcome,
  queryRows,
  test,
  type Harness,
  type World,
} from '../../support/harness.js';

test.override({ clockAt: '2026-06-15T10:00:00Z' });

const newKey = () => `key-${randomUUID()}`;

const count = async (h: Harness, query: SQL): Promise<number> => {
  const [row] = await queryRows<{ n: number | string }>(h.db, query);
  return Number(row?.n ?? -1);
};

const auditCount = (h: Harness, action: string, recordId: string) =>
  count(
    h,
    sql`select count(*)::int as n from audit_log where action = ${action} and ${recordId} = any(record_ids)`,
  );

const outcomeRows = (h: Harness, summary: string) =>
  count(h, sql`select count(*)::int as n from outcomes where summary = ${summary}`);

const versionRows = (h: Harness, outcomeId: string, change: string) =>
  count(
    h,
    sql`select count(*)::int as n from outcome_versions where outcome_id = ${outcomeId} and change = ${change}`,
  );

const keyRows = (h: Harness, authorityId: string, key: string) =>
  count(
    h,
    sql`select count(*)::int as n from idempotency_keys where authority_id = ${authorityId} and key = ${key}`,
  );

const idOf = (view: OutcomeView | RestrictionView): string => {
  if (!('id' in view)) throw new Error(`expected a record with an id, got a ${view.layer}`);
  return view.id;
};

const versionOf = (view: OutcomeView | RestrictionView): number => {
  if (view.layer !== 'detail') throw new Error(`expected detail, got ${view.layer}`);
  return view.version;
};

/** The message of an idempotency conflict (as opposed to a version or state conflict). */
const KEY_CONFLICT = /idempotency key .* was already used for a different request/;

describe('outcomes.create', () => {
  test('same key and input: the first result again, one row, one audit entry', async ({ h, w }) => {
    const key = newKey();
    const input = { ...outcomeInput(w.provision.id), idempotencyKey: key };
    const first = await h.caller(w.lead.officer).outcomes.create(input);
    const again = await h.caller(w.lead.officer).outcomes.create(input);
    expect(again).toEqual(first);
    // Another client of the same authority retrying with the key gets the same answer.
    const colleague = (await h.makeClient(w.lead.id, 'officer', 'colleague')).principal;
    expect(await h.caller(colleague).outcomes.create(input)).toEqual(first);

    expect(await outcomeRows(h, input.summary)).toBe(1);
    expect(await auditCount(h, 'outcome.create', idOf(first))).toBe(1);
    expect(await keyRows(h, w.lead.id, key)).toBe(1);
  });

  test('a retry after the record changed still answers the first result, and creates nothing', async ({
    h,
    w,
  }) => {
    const input = { ...outcomeInput(w.provision.id), idempotencyKey: newKey() };
    const first = await h.caller(w.lead.officer).outcomes.create(input);
    await h.caller(w.lead.officer).outcomes.publish({ id: idOf(first), version: 1 });
    const again = await h.caller(w.lead.officer).outcomes.create(input);
    expect(again).toEqual(first);
    expect(again).toMatchObject({ status: 'draft', version: 1 });
    expect(await outcomeRows(h, input.summary)).toBe(1);
  });

  test('same key, different input: a conflict, and nothing more is created', async ({ h, w }) => {
    const key = newKey();
    const input = { ...outcomeInput(w.provision.id), idempotencyKey: key };
    await h.caller(w.lead.officer).outcomes.create(input);
    const err = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create({ ...input, overallRating: 5 }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    const other = outcomeInput(w.provision.id);
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create({ ...other, idempotencyKey: key }),
      'CONFLICT',
    );
    expect(await outcomeRows(h, input.summary)).toBe(1);
    expect(await outcomeRows(h, other.summary)).toBe(0);
  });

  test('a key used for one procedure is a conflict on another', async ({ h, w }) => {
    const key = newKey();
    await h.caller(w.lead.officer).outcomes.create({ ...outcomeInput(w.provision.id), idempotencyKey: key });
    const summary = `concern ${randomUUID()}`;
    const err = await expectTRPCError(
      h.caller(w.lead.officer).concerns.log({
        provisionId: w.provision.id,
        category: 'quality',
        level: 'minor',
        occurredOn: '2026-06-01',
        summary,
        idempotencyKey: key,
      }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    expect(await count(h, sql`select count(*)::int as n from concerns where summary = ${summary}`)).toBe(0);
  });

  test('keys are per authority: another authority uses the same key independently', async ({ h, w }) => {
    const key = newKey();
    const input = outcomeInput(w.provision.id);
    const mine = await h.caller(w.lead.officer).outcomes.create({ ...input, idempotencyKey: key });
    const theirs = await h.caller(w.placing.officer).outcomes.create({ ...input, idempotencyKey: key });
    expect(idOf(theirs)).not.toBe(idOf(mine));
    expect(theirs).toMatchObject({ publisherAuthorityId: w.placing.id });
    expect(await outcomeRows(h, input.summary)).toBe(2);
    // Each authority's retry answers its own record.
    expect(idOf(await h.caller(w.placing.officer).outcomes.create({ ...input, idempotencyKey: key }))).toBe(
      idOf(theirs),
    );
    expect(idOf(await h.caller(w.lead.officer).outcomes.create({ ...input, idempotencyKey: key }))).toBe(
      idOf(mine),
    );
    // A third authority may even use the key for a different input: it has never used it itself.
    const third = await h
      .caller(w.host.officer)
      .outcomes.create({ ...input, overallRating: 1, idempotencyKey: key });
    expect(third).toMatchObject({ publisherAuthorityId: w.host.id, overallRating: 1 });
    expect(await outcomeRows(h, input.summary)).toBe(3);
  });

  test('five concurrent retries with one key: all answer the same record, and there is one row', async ({
    h,
    w,
  }) => {
    const input = { ...outcomeInput(w.provision.id), idempotencyKey: newKey() };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.lead.officer).outcomes.create(input)),
    );
    const ids = new Set(results.map(idOf));
    expect(ids.size).toBe(1);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await outcomeRows(h, input.summary)).toBe(1);
    expect(await auditCount(h, 'outcome.create', [...ids][0]!)).toBe(1);
  });

  test('a first attempt that failed does not keep the key', async ({ h, w }) => {
    const key = newKey();
    const input = outcomeInput(w.provision.id);
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.create({ ...input, activityDate: '2026-06-20', idempotencyKey: key }),
      'BAD_REQUEST',
    );
    expect(await keyRows(h, w.lead.id, key)).toBe(0);
    const created = await h.caller(w.lead.officer).outcomes.create({ ...input, idempotencyKey: key });
    expect(await h.caller(w.lead.officer).outcomes.create({ ...input, idempotencyKey: key })).toEqual(
      created,
    );
    expect(await outcomeRows(h, input.summary)).toBe(1);
  });
});

describe('outcomes.publish', () => {
  test('same key and input: the first result again, one version and one audit entry', async ({ h, w }) => {
    const draft = await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id));
    const id = idOf(draft);
    const input = { id, version: 1, idempotencyKey: newKey() };
    const first = await h.caller(w.lead.officer).outcomes.publish(input);
    expect(first).toMatchObject({ status: 'published', version: 2 });
    expect(await h.caller(w.lead.officer).outcomes.publish(input)).toEqual(first);
    expect(await versionRows(h, id, 'published')).toBe(1);
    expect(await auditCount(h, 'outcome.publish', id)).toBe(1);
    // Without the key, publishing again is refused: it is the key that makes the retry safe.
    await expectTRPCError(h.caller(w.lead.officer).outcomes.publish({ id, version: 1 }), 'CONFLICT');
  });

  test('same key, different input: a conflict that leaves the other draft unpublished', async ({ h, w }) => {
    const key = newKey();
    const a = idOf(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const b = idOf(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    await h.caller(w.lead.officer).outcomes.publish({ id: a, version: 1, idempotencyKey: key });
    const err = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.publish({ id: b, version: 1, idempotencyKey: key }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    expect(await h.caller(w.lead.officer).outcomes.get({ id: b })).toMatchObject({ status: 'draft' });
    expect(await versionRows(h, b, 'published')).toBe(0);
  });

  test('five concurrent retries with one key all succeed; five with different keys, exactly one', async ({
    h,
    w,
  }) => {
    const id = idOf(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const input = { id, version: 1, idempotencyKey: newKey() };
    const same = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.lead.officer).outcomes.publish(input)),
    );
    for (const r of same) expect(r).toEqual(same[0]);
    expect(await versionRows(h, id, 'published')).toBe(1);
    expect(await auditCount(h, 'outcome.publish', id)).toBe(1);

    const other = idOf(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const distinct = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        h.caller(w.lead.officer).outcomes.publish({ id: other, version: 1, idempotencyKey: newKey() }),
      ),
    );
    expect(distinct.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of distinct.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(TRPCError);
      expect((r.reason as TRPCError).code).toBe('CONFLICT');
    }
    expect(await versionRows(h, other, 'published')).toBe(1);
  });
});

describe('outcomes.amend', () => {
  test('same key and input: the first result again, one new version and one audit entry', async ({
    h,
    w,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const input = {
      id: o.id,
      version: o.version,
      reason: 'rating corrected',
      changes: {
        overallRating: 5,
        addActionItems: [{ description: 'added once', concernLevel: 'high' as const }],
      },
      idempotencyKey: newKey(),
    };
    const first = await h.caller(w.lead.officer).outcomes.amend(input);
    expect(first).toMatchObject({ status: 'amended', version: o.version + 1 });
    // The retry names a version that is now stale, but the key answers it as the first time.
    expect(await h.caller(w.lead.officer).outcomes.amend(input)).toEqual(first);
    const current = await h.caller(w.lead.officer).outcomes.get({ id: o.id });
    expect(versionOf(current)).toBe(o.version + 1);
    expect(current.layer === 'detail' && current.actionItems.map((a) => a.description)).toEqual([
      o.actionItems[0]!.description,
      'added once',
    ]);
    expect(await versionRows(h, o.id, 'amended')).toBe(1);
    expect(await auditCount(h, 'outcome.amend', o.id)).toBe(1);
  });

  test('same key, different input: a conflict, and nothing changes', async ({ h, w }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const key = newKey();
    const input = {
      id: o.id,
      version: o.version,
      reason: 'first reason',
      changes: { overallRating: 4 },
      idempotencyKey: key,
    };
    await h.caller(w.lead.officer).outcomes.amend(input);
    const err = await expectTRPCError(
      h
        .caller(w.lead.officer)
        .outcomes.amend({ ...input, version: o.version + 1, changes: { overallRating: 1 } }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.amend({ ...input, reason: 'another reason' }),
      'CONFLICT',
    );
    expect(await h.caller(w.lead.officer).outcomes.get({ id: o.id })).toMatchObject({
      version: o.version + 1,
      overallRating: 4,
    });
    expect(await versionRows(h, o.id, 'amended')).toBe(1);
  });

  test('five concurrent retries with one key: all answer the same version, one amendment kept', async ({
    h,
    w,
  }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const input = {
      id: o.id,
      version: o.version,
      reason: 'concurrent retry',
      changes: { overallRating: 1 },
      idempotencyKey: newKey(),
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.lead.officer).outcomes.amend(input)),
    );
    for (const r of results) expect(r).toEqual(results[0]);
    expect(versionOf(results[0]!)).toBe(o.version + 1);
    expect(await versionRows(h, o.id, 'amended')).toBe(1);
    expect(await auditCount(h, 'outcome.amend', o.id)).toBe(1);
  });
});

describe('outcomes.withdraw and outcomes.updateActionItem', () => {
  test('are safe to retry with a key too: one version and one audit entry each', async ({ h, w }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const item = {
      outcomeId: o.id,
      version: o.version,
      itemId: o.actionItems[0]!.id,
      status: 'met' as const,
      idempotencyKey: newKey(),
    };
    const met = await h.caller(w.lead.officer).outcomes.updateActionItem(item);
    expect(await h.caller(w.lead.officer).outcomes.updateActionItem(item)).toEqual(met);
    expect(met.layer === 'detail' && met.actionItems[0]!.history).toHaveLength(1);
    expect(await versionRows(h, o.id, 'action-item')).toBe(1);
    expect(await auditCount(h, 'outcome.action-item', o.id)).toBe(1);

    const withdraw = {
      id: o.id,
      version: versionOf(met),
      reason: 'duplicate record',
      idempotencyKey: newKey(),
    };
    const first = await h.caller(w.lead.officer).outcomes.withdraw(withdraw);
    expect(first).toMatchObject({ status: 'withdrawn', withdrawnReason: 'duplicate record' });
    expect(await h.caller(w.lead.officer).outcomes.withdraw(withdraw)).toEqual(first);
    expect(await versionRows(h, o.id, 'withdrawn')).toBe(1);
    expect(await auditCount(h, 'outcome.withdraw', o.id)).toBe(1);
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.withdraw({ ...withdraw, reason: 'another reason' }),
      'CONFLICT',
    );
  });
});

describe('concerns.log', () => {
  const concernInput = (w: World) => ({
    provisionId: w.provision.id,
    category: 'safeguarding' as const,
    level: 'level-2' as const,
    occurredOn: '2026-06-10',
    summary: `missing-from-care episode ${randomUUID()}`,
    idempotencyKey: newKey(),
  });
  const concernRows = (h: Harness, summary: string) =>
    count(h, sql`select count(*)::int as n from concerns where summary = ${summary}`);

  test('same key and input: the first result again, one row, one audit entry', async ({ h, w }) => {
    const input = concernInput(w);
    const first = await h.caller(w.placing.officer).concerns.log(input);
    expect(await h.caller(w.placing.officer).concerns.log(input)).toEqual(first);
    expect(await concernRows(h, input.summary)).toBe(1);
    expect(first.layer === 'detail' && (await auditCount(h, 'concern.log', first.id))).toBe(1);
  });

  test('same key, different input: a conflict', async ({ h, w }) => {
    const input = concernInput(w);
    await h.caller(w.placing.officer).concerns.log(input);
    const err = await expectTRPCError(
      // The level the concern was logged at, changed: the same key now names a different request.
      h.caller(w.placing.officer).concerns.log({ ...input, level: 'level-1' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    expect(await concernRows(h, input.summary)).toBe(1);
  });

  test('keys are per authority', async ({ h, w }) => {
    const input = concernInput(w);
    const a = await h.caller(w.placing.officer).concerns.log(input);
    const b = await h.caller(w.member.officer).concerns.log(input);
    expect(a.layer === 'detail' && b.layer === 'detail' && a.id !== b.id).toBe(true);
    expect(b).toMatchObject({ loggedByAuthorityId: w.member.id });
    expect(await concernRows(h, input.summary)).toBe(2);
  });

  test('five concurrent retries with one key: one concern', async ({ h, w }) => {
    const input = concernInput(w);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.placing.officer).concerns.log(input)),
    );
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await concernRows(h, input.summary)).toBe(1);
    const list = await h.caller(w.placing.officer).concerns.list({ provisionId: w.provision.id });
    expect(list.items.filter((c) => c.layer === 'detail' && c.summary === input.summary)).toHaveLength(1);
  });
});

describe('restrictions.create and restrictions.lift', () => {
  const restrictionInput = (w: World) =>
    ({
      provisionId: w.provision.id,
      kind: 'action-plan',
      reasons: [{ category: 'quality', text: 'staffing below the agreed ratio' }],
      summary: `action plan ${randomUUID()}`,
      idempotencyKey: newKey(),
    }) satisfies RestrictionCreate;
  const restrictionRows = (h: Harness, summary: string) =>
    count(h, sql`select count(*)::int as n from restrictions where summary = ${summary}`);

  test('create: same key and input answers the first result, one row, one version, one audit entry', async ({
    h,
    w,
  }) => {
    const input = restrictionInput(w);
    const first = await h.caller(w.host.officer).restrictions.create(input);
    expect(await h.caller(w.host.officer).restrictions.create(input)).toEqual(first);
    expect(await restrictionRows(h, input.summary)).toBe(1);
    expect(
      await count(
        h,
        sql`select count(*)::int as n from restriction_versions where restriction_id = ${idOf(first)}`,
      ),
    ).toBe(1);
    expect(await auditCount(h, 'restriction.create', idOf(first))).toBe(1);
  });

  test('create: same key, different input is a conflict; another authority may use the key', async ({
    h,
    w,
  }) => {
    const input = restrictionInput(w);
    await h.caller(w.host.officer).restrictions.create(input);
    const err = await expectTRPCError(
      h.caller(w.host.officer).restrictions.create({ ...input, kind: 'letter-of-concern' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    const theirs = await h.caller(w.lead.officer).restrictions.create(input);
    expect(theirs).toMatchObject({ issuerAuthorityId: w.lead.id });
    expect(await restrictionRows(h, input.summary)).toBe(2);
  });

  test('create: five concurrent retries with one key make one restriction', async ({ h, w }) => {
    const input = restrictionInput(w);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.host.officer).restrictions.create(input)),
    );
    expect(new Set(results.map(idOf)).size).toBe(1);
    expect(await restrictionRows(h, input.summary)).toBe(1);
    expect(await auditCount(h, 'restriction.create', idOf(results[0]!))).toBe(1);
  });

  test('lift: same key and input answers the first result; a different input is a conflict', async ({
    h,
    w,
  }) => {
    const created = await h.caller(w.host.officer).restrictions.create(restrictionInput(w));
    const id = idOf(created);
    const lift = {
      id,
      version: versionOf(created),
      reason: 'the action plan was completed',
      idempotencyKey: newKey(),
    };
    const first = await h.caller(w.host.officer).restrictions.lift(lift);
    expect(first).toMatchObject({ status: 'lifted', liftedOn: '2026-06-15' });
    expect(await h.caller(w.host.officer).restrictions.lift(lift)).toEqual(first);
    expect(await auditCount(h, 'restriction.lift', id)).toBe(1);
    const err = await expectTRPCError(
      h.caller(w.host.officer).restrictions.lift({ ...lift, reason: 'another reason entirely' }),
      'CONFLICT',
    );
    expect(err.message).toMatch(KEY_CONFLICT);
    // Without the key, lifting again is refused: the restriction is already lifted.
    const again = await expectTRPCError(
      h.caller(w.host.officer).restrictions.lift({ id, version: lift.version, reason: 'lift it again' }),
      'CONFLICT',
    );
    expect(again.message).toMatch(/lifted/);
    expect(await auditCount(h, 'restriction.lift', id)).toBe(1);
  });

  test('lift: five concurrent retries with one key all answer the first lift', async ({ h, w }) => {
    const created = await h.caller(w.host.officer).restrictions.create(restrictionInput(w));
    const lift = {
      id: idOf(created),
      version: versionOf(created),
      reason: 'resolved',
      idempotencyKey: newKey(),
    };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.caller(w.host.officer).restrictions.lift(lift)),
    );
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await auditCount(h, 'restriction.lift', lift.id)).toBe(1);
  });
});

describe('bad keys', () => {
  const BAD = [
    'short',
    'abc1234',
    'has spaces in it',
    'slash/in/the/key',
    'ünicode-key-1',
    'x'.repeat(101),
    '',
  ];

  test('are refused with BAD_REQUEST on every safe write, before anything happens', async ({ h, w }) => {
    const o = await publishOutcome(h, w.lead.officer, w.provision.id);
    const draft = idOf(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const r = await h.caller(w.host.officer).restrictions.create({
      provisionId: w.provision.id,
      kind: 'action-plan',
      reasons: [{ category: 'quality', text: 'bad keys test' }],
    });
    for (const idempotencyKey of BAD) {
      const calls: Promise<unknown>[] = [
        h.caller(w.lead.officer).outcomes.create({ ...outcomeInput(w.provision.id), idempotencyKey }),
        h.caller(w.lead.officer).outcomes.publish({ id: draft, version: 1, idempotencyKey }),
        h.caller(w.lead.officer).outcomes.amend({
          id: o.id,
          version: o.version,
          reason: 'bad key',
          changes: { overallRating: 1 },
          idempotencyKey,
        }),
        h
          .caller(w.lead.officer)
          .outcomes.withdraw({ id: o.id, version: o.version, reason: 'bad key', idempotencyKey }),
        h.caller(w.lead.officer).concerns.log({
          provisionId: w.provision.id,
          category: 'quality',
          level: 'minor',
          occurredOn: '2026-06-01',
          summary: 'bad key',
          idempotencyKey,
        }),
        h.caller(w.host.officer).restrictions.create({
          provisionId: w.provision.id,
          kind: 'action-plan',
          reasons: [{ category: 'quality', text: 'bad key' }],
          idempotencyKey,
        }),
        h.caller(w.host.officer).restrictions.lift({
          id: idOf(r),
          version: versionOf(r),
          reason: 'bad key',
          idempotencyKey,
        }),
      ];
      for (const call of calls) {
        const err = await expectTRPCError(call, 'BAD_REQUEST');
        expect(err.message).toMatch(/idempotencyKey/);
      }
    }
    expect(await h.caller(w.lead.officer).outcomes.get({ id: o.id })).toMatchObject({
      version: o.version,
      status: 'published',
    });
    expect(await h.caller(w.lead.officer).outcomes.get({ id: draft })).toMatchObject({ status: 'draft' });
    expect(await h.caller(w.host.officer).restrictions.get({ id: idOf(r) })).toMatchObject({
      status: 'active',
    });
  });

  test('accept 8 to 100 letters, digits and . _ : -', async ({ h, w }) => {
    for (const idempotencyKey of ['abcd1234', 'a.b_c:d-e', `k${'0'.repeat(99)}`, randomUUID()]) {
      const input = { ...outcomeInput(w.provision.id), idempotencyKey };
      const first = await h.caller(w.member.officer).outcomes.create(input);
      expect(await h.caller(w.member.officer).outcomes.create(input)).toEqual(first);
      expect(await outcomeRows(h, input.summary)).toBe(1);
    }
  });
});
