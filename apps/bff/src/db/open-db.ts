import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Statement } from './db-types.ts';
import {
  isPostgresUrl,
  MIGRATION_LOCK_KEY,
  POSTGRES_PRELUDE,
  PostgresDb,
  PostgresError,
  translateDdl,
  type PostgresOptions,
} from './postgres.ts';

export type { Db, Statement } from './db-types.ts';
export { isPostgresUrl } from './postgres.ts';

export interface OpenDbOptions {
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * SQLite's `synchronous` setting. FULL (the default) syncs the WAL on every commit, so an
   * acknowledged write survives a power cut as well as a killed process; NORMAL only survives the
   * latter. docs/decisions/008-durability.md says why FULL and what it costs.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** PostgreSQL only: the schema to use (created when missing), and whether close drops it. */
  postgres?: PostgresOptions;
}

/** The busy timeout of the server's connection: a lock held 2 s is waited out, 8 s is a 503. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** SQLite result codes that mean "the store cannot serve now", not "this request is wrong". */
const UNAVAILABLE_SQLITE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM)/;

/**
 * The code of `error` when it says the store cannot serve now (SQLite busy, full, I/O;
 * PostgreSQL connection lost, out of space, shutting down, lock timeout), else undefined.
 */
export function storeUnavailableCode(error: unknown): string | undefined {
  if (error instanceof PostgresError) return error.unavailable ? error.code : undefined;
  const code =
    typeof error === 'object' && error !== null
      ? (error as Record<string, unknown>).code
      : undefined;
  return typeof code === 'string' && UNAVAILABLE_SQLITE.test(code) ? code : undefined;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Refuses a store setting that is neither a PostgreSQL URL nor a plain file path: a mistyped
 * scheme (`postgress://`, `mysql://`) or a libpq key/value string would otherwise become a SQLite
 * file named after it — a private database per replica, with the password in its name.
 */
export function checkStoreTarget(target: string): void {
  if (isPostgresUrl(target)) return;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1];
  if (scheme !== undefined) {
    throw new Error(
      `the store must be a postgres:// (or postgresql://) URL or a SQLite file path, not a ${scheme}:// URL`,
    );
  }
  if (/(^|\s)(host|hostaddr|dbname|user|password|port|sslmode)\s*=/i.test(target)) {
    throw new Error(
      'the store must be a postgres:// URL (postgres://user:password@host:5432/db), not a key=value connection string',
    );
  }
}

/** Whether `error` is a unique-constraint violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof PostgresError) return error.sqlState === '23505';
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * Opens the store at `target` with every pending migration applied: a `postgres://` URL opens
 * PostgreSQL (docs/decisions/011-postgresql.md); anything else is a SQLite file (created when
 * needed; `:memory:` allowed), with WAL, synchronous=FULL, foreign keys on and a busy timeout.
 */
export function openDb(target: string, options: OpenDbOptions = {}): Db {
  checkStoreTarget(target);
  if (isPostgresUrl(target)) {
    const db = new PostgresDb(target, options.postgres);
    try {
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }
  const path = target;
  if (path !== ':memory:' && !path.startsWith('file:'))
    mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  Object.defineProperty(sqlite, 'dialect', { value: 'sqlite', enumerable: false });
  const db = sqlite as unknown as Db;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(
      `busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`,
    );
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Applies every `NNNN-*.sql` file of `migrations/` not yet recorded, each in its own transaction.
 * On PostgreSQL the DDL is translated (`translateDdl`) and a session advisory lock makes replicas
 * that start at once migrate one after the other: the second finds the work done.
 */
export function migrate(db: Db): void {
  if (db.dialect === 'postgres') {
    db.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      db.transaction(() => db.exec(POSTGRES_PRELUDE))();
      applyMigrations(db);
    } finally {
      db.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
    return;
  }
  applyMigrations(db);
}

function applyMigrations(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as string[],
  );
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort();
  for (const file of files) {
    if (applied.has(file)) continue;
    const source = readFileSync(`${MIGRATIONS_DIR}${file}`, 'utf8');
    const sql = db.dialect === 'postgres' ? translateDdl(source) : source;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        file,
        new Date().toISOString(),
      );
    })();
  }
}

const statementCache = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per connection. */
export function prepare(db: Db, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** Runs `fn` in a write transaction (a savepoint when already inside one). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
