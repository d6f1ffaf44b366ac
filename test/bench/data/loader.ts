// Loads the synthetic England into an open hub database (PostgreSQL or PGlite) by one bulk path:
// batches of rows as one JSON parameter, expanded by jsonb_populate_recordset into the table's own
// row type, one transaction per table. The next batch is built while the database stores the last.
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { Database, Db } from '@ccx/server/testing';
import { tables as schema } from '@ccx/server/testing';
import { TABLES, columnsOf, toDbRow } from './generate.js';
import { planWorld, type GenerateOptions, type World } from './plan.js';

export class TargetNotEmptyError extends Error {
  override name = 'TargetNotEmptyError';
}

export type LoadProgress =
  | { phase: 'plan'; seconds: number }
  | { phase: 'table'; table: string; rows: number; seconds: number; done: boolean }
  | { phase: 'analyze'; seconds: number };

export type LoadReport = {
  world: World;
  counts: Record<string, number>;
  /** Seconds per table (building and storing its rows), plus `plan` and `analyze`. */
  timings: Record<string, number>;
  totalSeconds: number;
};

export type LoadOptions = {
  onProgress?: (p: LoadProgress) => void;
  /** Largest batch, in rows and in bytes of JSON. */
  batchRows?: number;
  batchBytes?: number;
};

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];

/** Tables a migration fills with the hub's own rows (its signal key), not data: never counted as data. */
const HUB_OWN = new Set(['hub_secrets']);

const schemaTables = (): string[] =>
  Object.values(schema)
    .filter((t) => is(t, PgTable))
    .map((t) => getTableName(t as PgTable))
    .filter((t) => !HUB_OWN.has(t));

/** Tables of the hub's schema that hold rows. */
export const nonEmptyTables = async (db: Db): Promise<string[]> => {
  const tables = schemaTables();
  const probe = sql.join(
    tables.map((t) => sql`select ${t}::text as name where exists (select 1 from ${sql.identifier(t)})`),
    sql` union all `,
  );
  return rowsOf<{ name: string }>(await db.execute(probe)).map((r) => r.name);
};

const seconds = (since: number): number => Math.round((performance.now() - since) / 10) / 100;

/**
 * Generates the world for `options` and stores it in `database`, which must hold no rows of the
 * hub's tables (migrations applied). Returns the planned world, row counts and timings.
 */
export const loadSyntheticEngland = async (
  database: Database,
  options: GenerateOptions,
  load: LoadOptions = {},
): Promise<LoadReport> => {
  const { db } = database;
  const started = performance.now();
  const busy = await nonEmptyTables(db);
  if (busy.length > 0)
    throw new TargetNotEmptyError(`the target database already holds data (in ${busy.join(', ')})`);

  const report = (p: LoadProgress) => load.onProgress?.(p);
  const maxRows = load.batchRows ?? 2000;
  const maxBytes = load.batchBytes ?? 1024 * 1024;
  const timings: Record<string, number> = {};
  const counts: Record<string, number> = {};

  const planStarted = performance.now();
  const world = planWorld(options);
  const planned = seconds(planStarted);
  timings.plan = planned;
  report({ phase: 'plan', seconds: planned });

  for (const spec of TABLES) {
    const tableStarted = performance.now();
    const columns = columnsOf(spec.table);
    const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
    const table = sql.identifier(spec.name);
    let n = 0;
    let lastReport = performance.now();
    await db.transaction(async (tx) => {
      const inFlight: { last: Promise<unknown> | null } = { last: null };
      const flush = async (parts: string[]) => {
        // Drizzle's query runs when awaited: start it now, and keep its failure for the await below.
        const statement = Promise.resolve(
          tx.execute(
            sql`insert into ${table} (${names}) select ${names} from jsonb_populate_recordset(null::${table}, ${`[${parts.join(',')}]`}::jsonb)`,
          ),
        );
        statement.catch(() => undefined);
        if (inFlight.last) await inFlight.last;
        inFlight.last = statement;
        // Let the statement go out before the next batch is built.
        await yieldToIo();
      };
      let parts: string[] = [];
      let bytes = 0;
      for (const row of spec.rows(world)) {
        const json = JSON.stringify(toDbRow(columns, row));
        parts.push(json);
        bytes += json.length;
        n++;
        if (parts.length >= maxRows || bytes >= maxBytes) {
          await flush(parts);
          parts = [];
          bytes = 0;
          if (performance.now() - lastReport > 3000) {
            lastReport = performance.now();
            report({
              phase: 'table',
              table: spec.name,
              rows: n,
              seconds: seconds(tableStarted),
              done: false,
            });
          }
        }
      }
      if (parts.length > 0) await flush(parts);
      if (inFlight.last) await inFlight.last;
    });
    const took = seconds(tableStarted);
    counts[spec.name] = n;
    timings[spec.name] = took;
    report({ phase: 'table', table: spec.name, rows: n, seconds: took, done: true });
  }

  // Ids given here, not by the sequences: the next ones the hub takes must follow them.
  for (const t of ['events', 'audit_log']) {
    await db.execute(
      sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce((select max(id) from ${sql.identifier(t)}), 1), (select count(*) > 0 from ${sql.identifier(t)}))`,
    );
  }
  const analyzeStarted = performance.now();
  await db.execute(sql`analyze`);
  const analyzed = seconds(analyzeStarted);
  timings.analyze = analyzed;
  report({ phase: 'analyze', seconds: analyzed });
  return { world, counts, timings, totalSeconds: seconds(started) };
};
