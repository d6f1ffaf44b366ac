// The tables of the synthetic England in load order (references first), each a stream of rows built
// on demand from the planned world, and the rows as the database takes them.
import { createHash } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { tables as schema } from '@ccx/server/testing';
import { auditHeadRows, auditRows } from './audit.js';
import { planWorld, type GenerateOptions, type World } from './plan.js';
import {
  allocationRows,
  authorityRows,
  clientRows,
  concernRows,
  concernVersionRows,
  eventRows,
  jobMarkRows,
  outcomeRows,
  outcomeVersionRows,
  placementRows,
  providerRows,
  provisionRows,
  restrictionRows,
  restrictionVersionRows,
} from './rows.js';

export type TableSpec = {
  name: string;
  table: PgTable;
  rows: (world: World) => Iterable<object>;
};

export const TABLES: readonly TableSpec[] = [
  { name: 'authorities', table: schema.authorities, rows: authorityRows },
  { name: 'clients', table: schema.clients, rows: clientRows },
  { name: 'providers', table: schema.providers, rows: providerRows },
  { name: 'provisions', table: schema.provisions, rows: provisionRows },
  { name: 'placements', table: schema.placements, rows: placementRows },
  { name: 'allocations', table: schema.allocations, rows: allocationRows },
  { name: 'outcomes', table: schema.outcomes, rows: outcomeRows },
  { name: 'outcome_versions', table: schema.outcomeVersions, rows: outcomeVersionRows },
  { name: 'restrictions', table: schema.restrictions, rows: restrictionRows },
  { name: 'restriction_versions', table: schema.restrictionVersions, rows: restrictionVersionRows },
  { name: 'concerns', table: schema.concerns, rows: concernRows },
  { name: 'concern_versions', table: schema.concernVersions, rows: concernVersionRows },
  { name: 'events', table: schema.events, rows: eventRows },
  { name: 'job_marks', table: schema.jobMarks, rows: jobMarkRows },
  { name: 'audit_log', table: schema.auditLog, rows: auditRows },
  { name: 'audit_heads', table: schema.auditHeads, rows: auditHeadRows },
];

export type Column = { key: string; name: string };

/** The columns the generator fills: all of them, but the outbox's transaction id (the database's to give). */
export const columnsOf = (table: PgTable): Column[] =>
  Object.entries(getTableColumns(table))
    .filter(([, c]) => c.name !== 'txid')
    .map(([key, c]) => ({ key, name: c.name }));

/** A drizzle row as the database takes it from JSON: column names, timestamps as ISO strings. */
export const toDbRow = (columns: readonly Column[], row: object): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const values = row as Record<string, unknown>;
  for (const { key, name } of columns) {
    const v = values[key];
    out[name] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
};

/** Every table's rows as the database takes them, table by table, without a database. */
export function* generateTables(
  options: GenerateOptions,
  only?: readonly string[],
): Generator<{ table: string; rows: Iterable<Record<string, unknown>> }> {
  const world = planWorld(options);
  for (const spec of TABLES) {
    if (only && !only.includes(spec.name)) continue;
    const columns = columnsOf(spec.table);
    yield {
      table: spec.name,
      rows: (function* () {
        for (const row of spec.rows(world)) yield toDbRow(columns, row);
      })(),
    };
  }
}

/** A digest of everything generated (ids and content), with the row count of each table. */
export const digestGenerated = (
  options: GenerateOptions,
  only?: readonly string[],
): { digest: string; counts: Record<string, number> } => {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const { table, rows } of generateTables(options, only)) {
    hash.update(`${table}\n`);
    let n = 0;
    for (const row of rows) {
      hash.update(JSON.stringify(row));
      hash.update('\n');
      n++;
    }
    counts[table] = n;
  }
  return { digest: hash.digest('hex'), counts };
};
