// Statements for hot paths, built once per database and run with placeholder values. drizzle builds
// a query's SQL text on every call (a check's statements cost about 0.2 ms each to build) and
// PostgreSQL plans an unnamed statement on every call; a prepared statement does neither again.
// A prepared statement runs on the database itself (on PostgreSQL, a pool whose connections plan
// each statement once), never inside a caller's transaction.
import { preparedDatabaseOf, type Db } from './index.js';

export const perDatabase = <T>(build: (db: Db) => T): ((db: Db) => T) => {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statements = built.get(db);
    if (statements === undefined) {
      statements = build(preparedDatabaseOf(db));
      built.set(db, statements);
    }
    return statements;
  };
};
