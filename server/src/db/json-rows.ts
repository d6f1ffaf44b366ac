// Rows read as JSON (`to_jsonb(row)` inside a statement that aggregates them per parent row) turned
// back into the exact rows drizzle reads, from the table's own column metadata: each column's database
// name to its property, and its own mapFromDriverValue (timestamps to Date, and so on).
import { getTableColumns, is, type Column, type InferSelectModel } from 'drizzle-orm';
import {
  PgArray,
  PgBigInt64,
  PgNumeric,
  PgNumericBigInt,
  PgTimestampString,
  type PgTable,
} from 'drizzle-orm/pg-core';

/** A row as `to_jsonb` gives it: database column names to JSON values. */
export type JsonRow = Record<string, unknown>;

const survivesJson = (column: Column): boolean =>
  is(column, PgArray)
    ? survivesJson(column.baseColumn)
    : !(
        is(column, PgNumeric) ||
        is(column, PgNumericBigInt) ||
        is(column, PgBigInt64) ||
        is(column, PgTimestampString)
      );

/**
 * The reader of one table's rows in JSON. A column whose JSON form says less than the driver's text
 * (numeric loses its scale, bigint as a bigint its precision, a string-mode timestamp its format) is
 * refused here, when the reader is made, rather than read back subtly different.
 */
export const jsonRowReader = <T extends PgTable>(table: T): ((json: JsonRow) => InferSelectModel<T>) => {
  const columns = Object.entries(getTableColumns(table) as Record<string, Column>).map(([key, column]) => {
    if (!survivesJson(column))
      throw new Error(`jsonRowReader: ${column.name} (${column.getSQLType()}) does not survive to_jsonb`);
    return { key, name: column.name, column };
  });
  return (json) => {
    const row: Record<string, unknown> = {};
    for (const { key, name, column } of columns) {
      const value = json[name];
      // A missing key is a statement that did not select the table's row (or an unapplied migration).
      if (value === undefined) throw new Error(`jsonRowReader: the row has no ${name}`);
      row[key] = value === null ? null : column.mapFromDriverValue(value);
    }
    return row as InferSelectModel<T>;
  };
};
