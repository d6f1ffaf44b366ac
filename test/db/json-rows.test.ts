// Rows read back from to_jsonb(row) (the placement check's statement) equal the rows drizzle reads:
// the check's own tables, and a table of every column kind a reader accepts, on the same database.
import { eq, sql, type InferSelectModel } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  interval,
  json,
  jsonb,
  numeric,
  pgTable,
  real,
  text,
  time,
  timestamp,
  uuid,
  type PgTable,
} from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jsonRowReader, openTestDatabase, rowsOf, tables, type Database, type Db } from '@ccx/server/testing';

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

/** The row as drizzle reads it, and the same row through to_jsonb and the reader. */
const bothWays = async <T extends PgTable>(tx: Db, table: T, where: ReturnType<typeof eq>) => {
  const any: PgTable = table;
  const [read] = (await tx.select().from(any).where(where)) as InferSelectModel<T>[];
  const [viaJson] = rowsOf<{ j: Record<string, unknown> }>(
    await tx.execute(sql`select to_jsonb(${table}) as j from ${table} where ${where}`),
  );
  return { read, fromJson: jsonRowReader(table)(viaJson!.j) };
};

describe('the placement check’s tables', () => {
  test('an outcome, a restriction and their versions read the same through to_jsonb', async () => {
    const t = tables;
    const now = new Date('2026-06-15T10:00:00.123Z');
    await db
      .insert(t.authorities)
      .values({ id: 'json-rows', name: 'Council', region: 'london', qaInbox: 'qa@x' });
    const [provider] = await db.insert(t.providers).values({ name: 'Provider' }).returning();
    const [provision] = await db
      .insert(t.provisions)
      .values({
        providerId: provider!.id,
        name: 'Setting',
        type: 'childrens-home',
        hostAuthorityId: 'json-rows',
        ofstedGradeDate: '2025-11-20',
      })
      .returning();
    const [outcome] = await db
      .insert(t.outcomes)
      .values({
        provisionId: provision!.id,
        authorityId: 'json-rows',
        status: 'published',
        activityType: 'full-qa-visit',
        activityDate: '2026-05-20',
        overallRating: 3,
        sectionJudgements: [{ section: 'care', rating: 2, note: 'ünïcode “quotes”' }],
        summary: 'summary',
        actionItems: [{ id: 'a1', text: 'do it', dueOn: '2026-07-01', status: 'open' }],
        publishedAt: now,
      })
      .returning();
    await db.insert(t.outcomeVersions).values({
      outcomeId: outcome!.id,
      version: 1,
      change: 'published',
      snapshot: { overallRating: 3, nested: { list: [1, 'two', null] } },
      byAuthorityId: 'json-rows',
      at: now,
    });
    const [restriction] = await db
      .insert(t.restrictions)
      .values({
        providerId: provider!.id,
        kind: 'causing-concern-level',
        concernLevel: 2,
        issuerAuthorityId: 'json-rows',
        reasons: [{ category: 'quality', text: 'why' }],
        effectiveFrom: '2026-06-01',
        reviewOn: '2026-07-01',
      })
      .returning();
    await db.insert(t.restrictionVersions).values({
      restrictionId: restriction!.id,
      version: 1,
      change: 'created',
      note: null,
      snapshot: {},
      byAuthorityId: 'json-rows',
    });

    for (const [table, where] of [
      [t.provisions, eq(t.provisions.id, provision!.id)],
      [t.providers, eq(t.providers.id, provider!.id)],
      [t.outcomes, eq(t.outcomes.id, outcome!.id)],
      [t.outcomeVersions, eq(t.outcomeVersions.outcomeId, outcome!.id)],
      [t.restrictions, eq(t.restrictions.id, restriction!.id)],
      [t.restrictionVersions, eq(t.restrictionVersions.restrictionId, restriction!.id)],
    ] as const) {
      const { read, fromJson } = await bothWays(db, table, where);
      expect(read).toBeDefined();
      expect(fromJson).toStrictEqual(read);
    }
  });
});

// Every column kind the reader accepts, with awkward values: microseconds, a time zone that is not
// UTC, a jsonb string that looks like a number, arrays, and a row of nulls. Not a null inside an
// array: drizzle's own read of one is wrong ("NULL" in a text array on postgres.js, an invalid Date
// in a timestamp array on PGlite) where to_jsonb's is right, so the two cannot be compared there.
const probe = pgTable('json_rows_probe', {
  id: integer('id').primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }),
  local: timestamp('local', { mode: 'date' }),
  day: date('day', { mode: 'string' }),
  dayDate: date('day_date', { mode: 'date' }),
  n: integer('n'),
  big: bigint('big', { mode: 'number' }),
  flag: boolean('flag'),
  doc: jsonb('doc'),
  text: json('text_doc'),
  words: text('words').array(),
  numbers: integer('numbers').array(),
  ats: timestamp('ats', { withTimezone: true, mode: 'date' }).array(),
  ref: uuid('ref'),
  ratio: doublePrecision('ratio'),
  small: real('small'),
  span: interval('span'),
  clock: time('clock'),
});

describe('every column kind', () => {
  test('reads the same through to_jsonb as through the driver', async () => {
    await db.transaction(async (tx) => {
      // One connection: the temporary table and the session's time zone are this transaction's.
      await tx.execute(sql`set local time zone 'Europe/London'`);
      await tx.execute(sql`create temporary table json_rows_probe (id integer primary key, at timestamptz,
        local timestamp, day date, day_date date, n integer, big bigint, flag boolean, doc jsonb, text_doc json,
        words text[], numbers integer[], ats timestamptz[], ref uuid, ratio double precision, small real,
        span interval, clock time) on commit drop`);
      await tx.execute(sql`insert into json_rows_probe values
        (1, '2026-06-15 10:00:00.123456+00', '2026-03-29 01:30:00.5', '2026-06-15', '2024-02-29', -7,
          9007199254740993, true, '"123"', '{"b": 1, "a": [1.50, "x"]}', '{a,"b c",""}', '{1,-2,3}',
          '{"2026-01-01 00:00:00+00","2026-06-15 10:00:00.5+01"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0.1, 0.1,
          '1 day 02:00:00', '23:59:59.999'),
        (2, null, null, null, null, null, null, null, 'null', null, null, null, null, null, null, null, null, null)`);
      for (const id of [1, 2]) {
        const { read, fromJson } = await bothWays(tx, probe, eq(probe.id, id));
        expect(read).toBeDefined();
        expect(fromJson).toStrictEqual(read);
      }
    });
  });

  test('refuses, when made, a column whose JSON form says less than the driver’s text', () => {
    const money = pgTable('money', { amount: numeric('amount') });
    const counters = pgTable('counters', { n: bigint('n', { mode: 'bigint' }).array() });
    expect(() => jsonRowReader(money)).toThrow(/amount \(numeric\) does not survive to_jsonb/);
    expect(() => jsonRowReader(counters)).toThrow(/does not survive to_jsonb/);
  });

  test('refuses a row that lacks one of the table’s columns', () => {
    expect(() => jsonRowReader(probe)({ id: 1 })).toThrow(/the row has no at/);
  });
});
