import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;
export type Statement = Database.Statement;

export interface OpenDbOptions {
  /** How long a statement waits for another connection's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * SQLite's `synchronous` setting. FULL (the default) syncs the WAL on every commit, so an
   * acknowledged write survives a power cut as well as a killed process; NORMAL only survives the
   * latter. docs/decisions/008-durability.md says why FULL and what it costs.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/** The busy timeout of the server's connection: a lock held 2 s is waited out, 8 s is a 503. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** SQLite result codes that mean "the store cannot serve now", not "this request is wrong". */
const UNAVAILABLE_SQLITE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM)/;

/** The SQLite code of `error` when it says the store cannot serve now (busy, full, I/O), else undefined. */
export function storeUnavailableCode(error: unknown): string | undefined {
  const code =
    typeof error === 'object' && error !== null
      ? (error as Record<string, unknown>).code
      : undefined;
  return typeof code === 'string' && UNAVAILABLE_SQLITE.test(code) ? code : undefined;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Opens (creating when needed) the SQLite database at `path` (`:memory:` allowed): WAL,
 * synchronous=FULL, foreign keys on, a busy timeout, and every pending migration applied.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path !== ':memory:' && !path.startsWith('file:'))
    mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
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

/** Applies every `NNNN-*.sql` file of `migrations/` not yet recorded, each in its own transaction. */
export function migrate(db: Db): void {
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
    const sql = readFileSync(`${MIGRATIONS_DIR}${file}`, 'utf8');
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
