/**
 * The store's database handle, whichever engine is behind it: better-sqlite3's API, the part of
 * it Meshdeck uses, so the SQLite store passes its own connection and the PostgreSQL store
 * (postgres.ts) offers the same calls. `dialect` tells the few queries that differ.
 */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): RunResult;
  /** Rows come back as their first column's value (toggles, as in better-sqlite3). */
  pluck(toggle?: boolean): this;
}

export type Transaction<F extends (...args: never[]) => unknown> = ((
  ...args: Parameters<F>
) => ReturnType<F>) & {
  deferred(...args: Parameters<F>): ReturnType<F>;
  immediate(...args: Parameters<F>): ReturnType<F>;
  exclusive(...args: Parameters<F>): ReturnType<F>;
};

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: Dialect;
  readonly inTransaction: boolean;
  readonly open: boolean;
  readonly name: string;
  prepare(sql: string): Statement;
  exec(sql: string): this;
  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
  /** SQLite only: throws on PostgreSQL. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): this;
}
