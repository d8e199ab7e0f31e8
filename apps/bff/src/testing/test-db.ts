import { randomBytes } from 'node:crypto';
import { openDb, type Db, type OpenDbOptions } from '../db/open-db.ts';
import { withConnectionOptions } from '../db/postgres.ts';

/**
 * The engine the BFF suites run on: SQLite in memory by default; PostgreSQL when
 * `MESHDECK_TEST_POSTGRES` holds a server URL (`npm run test:postgres` sets it, see the README).
 */
export const TEST_POSTGRES_URL = process.env.MESHDECK_TEST_POSTGRES || undefined;
export const testEngine: 'sqlite' | 'postgres' = TEST_POSTGRES_URL ? 'postgres' : 'sqlite';

const opened = new Set<Db>();

/**
 * A fresh, empty, migrated store for one test: a SQLite `:memory:` database, or on PostgreSQL a
 * schema of its own (dropped when the test file ends, see `closeTestDbs`).
 */
export function openTestDb(options: OpenDbOptions = {}): Db {
  if (!TEST_POSTGRES_URL) return openDb(':memory:', options);
  const schema = `t_${process.pid}_${randomBytes(5).toString('hex')}`;
  const db = openDb(TEST_POSTGRES_URL, {
    ...options,
    postgres: { schema, dropSchemaOnClose: true },
  });
  opened.add(db);
  return db;
}

/**
 * A fresh store a test can open again (`openTestDbAgain`, `testDbTarget`): on SQLite the file at
 * `path`; on PostgreSQL a schema of its own, as `openTestDb`.
 */
export function openTestDbAt(path: string, options: OpenDbOptions = {}): Db {
  return TEST_POSTGRES_URL ? openTestDb(options) : openDb(path, options);
}

/**
 * What another process passes to `openDb` to reach the same store as `db`: the SQLite file
 * `path`, or the PostgreSQL URL with `db`'s schema as the connection's search path.
 */
export function testDbTarget(db: Db, path: string): string {
  if (!TEST_POSTGRES_URL || db.dialect !== 'postgres') return path;
  const schema = (db as unknown as { schemaName?: string }).schemaName;
  return withConnectionOptions(TEST_POSTGRES_URL, schema ? [`-c search_path=${schema}`] : []);
}

/**
 * A second connection to the same store as `db` (two processes or replicas on one database): on
 * SQLite, `path` names the file; on PostgreSQL the schema `db` uses.
 */
export function openTestDbAgain(db: Db, path: string, options: OpenDbOptions = {}): Db {
  if (!TEST_POSTGRES_URL || db.dialect !== 'postgres') return openDb(path, options);
  const schema = (db as unknown as { schemaName?: string }).schemaName;
  const again = openDb(TEST_POSTGRES_URL, { ...options, postgres: { schema } });
  opened.add(again);
  return again;
}

/** The names of the store's tables, sorted (on either engine). */
export function tableNames(db: Db): string[] {
  const sql =
    db.dialect === 'postgres'
      ? `SELECT table_name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
  return db.prepare(sql).pluck().all() as string[];
}

/** Closes (and on PostgreSQL drops the schema of) every store `openTestDb` opened. */
export function closeTestDbs(): void {
  for (const db of opened) {
    try {
      db.close();
    } catch {
      // already closed by the test
    }
  }
  opened.clear();
}
