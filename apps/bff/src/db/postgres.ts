import { createRequire } from 'node:module';
import type { Db, Statement, RunResult, Transaction } from './db-types.ts';

/**
 * The store on PostgreSQL (docs/decisions/011-postgresql.md): the same synchronous `Db` the
 * SQLite store offers, over one libpq connection used synchronously (node-postgres's native
 * binding, `libpq`). Every write transaction takes one transaction-scoped advisory lock, so writes
 * from all replicas are serialized exactly as SQLite serializes them in one process; reads never
 * wait for it.
 */

/** The libpq binding's surface used here (the package ships no types). */
interface PQ {
  connectSync(conninfo: string): void;
  finish(): void;
  errorMessage(): string;
  exec(sql: string): void;
  execParams(sql: string, params: (string | null)[]): void;
  prepare(name: string, sql: string, nParams: number): void;
  execPrepared(name: string, params: (string | null)[]): void;
  resultStatus(): string;
  resultErrorMessage(): string;
  resultErrorFields(): Record<string, string | undefined> | undefined;
  ntuples(): number;
  nfields(): number;
  fname(col: number): string;
  ftype(col: number): number;
  getvalue(row: number, col: number): string;
  getisnull(row: number, col: number): boolean;
  cmdTuples(): string;
  clear(): void;
  transactionStatus(): number;
}

const require = createRequire(import.meta.url);

function loadLibpq(): new () => PQ {
  try {
    return require('libpq') as new () => PQ;
  } catch {
    throw new Error(
      'PostgreSQL support needs the libpq binding, which did not build on this machine: install ' +
        "PostgreSQL's client headers (Debian: apt-get install libpq-dev), then run `npm rebuild libpq`",
    );
  }
}

/** Whether the libpq binding (an optional dependency, built at install) loads on this machine. */
export function libpqAvailable(): boolean {
  try {
    loadLibpq();
    return true;
  } catch {
    return false;
  }
}

/**
 * `url` with server settings for its connections (`-c search_path=s`, …) in libpq's `options`
 * parameter, percent-encoded: libpq reads %20, not '+', as a space, so no URLSearchParams here.
 */
export function withConnectionOptions(url: string, settings: string[]): string {
  if (settings.length === 0) return url;
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(settings.join(' '))}`;
}

/** The key of the advisory lock every write transaction holds (any fixed 64-bit number). */
export const WRITER_LOCK_KEY = 7_106_931_001;
/** The key of the session advisory lock held while migrations run, so replicas migrate one at a time. */
export const MIGRATION_LOCK_KEY = 7_106_931_002;

/** SQLSTATE classes that mean "the database cannot serve now", not "this request is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|55P03|40001|40P01|58)/;

/** A database error: `code` is `PG_<SQLSTATE>` (or `PG_CONNECTION` when the connection is gone). */
export class PostgresError extends Error {
  readonly code: string;
  readonly sqlState: string | undefined;
  constructor(message: string, sqlState: string | undefined) {
    super(message);
    this.name = 'PostgresError';
    this.sqlState = sqlState;
    this.code = sqlState ? `PG_${sqlState}` : 'PG_CONNECTION';
  }
  get unavailable(): boolean {
    return this.sqlState === undefined || UNAVAILABLE_SQLSTATE.test(this.sqlState);
  }
}

/**
 * libpq's `finish()` closes a libuv poll handle that lives inside the binding's native object; libuv
 * touches that handle again in the event loop's close phase. If the garbage collector frees the
 * object before then, libuv reads freed memory and aborts the process (seen in the benchmarks).
 * So a finished connection stays referenced here for a second — many loop turns — before it may
 * be collected.
 */
const retired = new Set<PQ>();

function retire(pq: PQ, finish: boolean): void {
  if (finish) {
    try {
      pq.finish();
    } catch {
      // already finished
    }
  }
  retired.add(pq);
  setTimeout(() => retired.delete(pq), 1000).unref();
}

/** Result type OIDs read back as numbers (SQLite gives numbers for the same columns). */
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOL_OID = 16;
/** PQtransactionStatus when the connection is bad. */
const PQTRANS_UNKNOWN = 4;

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export interface PostgresOptions {
  /** Use (creating when needed) this schema instead of the connection's default search path. */
  schema?: string;
  /** Drop `schema` and everything in it on close (tests: a fresh database per test). */
  dropSchemaOnClose?: boolean;
}

/** What fills one `$n`: a named parameter (`@name`) or the n-th `?`. */
export type Binding = { name: string } | { position: number };

/**
 * SQL written for SQLite, as PostgreSQL takes it: `?` and `@name` placeholders become `$n`, and
 * `json_each(x)` (a JSON array of values) becomes `jsonb_array_elements_text`. String literals
 * and quoted identifiers are copied untouched. Returns the text and the order of named parameters.
 */
export function translateSql(sql: string): { text: string; bindings: Binding[] } {
  let out = '';
  const bindings: Binding[] = [];
  const namedIndex = new Map<string, number>();
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '?') {
      bindings.push({ position: positional });
      positional += 1;
      out += `$${bindings.length}`;
      i += 1;
      continue;
    }
    if ((c === '@' || c === ':') && /[A-Za-z_]/.test(sql[i + 1] ?? '') && sql[i - 1] !== ':') {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      const name = match[0];
      let index = namedIndex.get(name);
      if (index === undefined) {
        bindings.push({ name });
        index = bindings.length;
        namedIndex.set(name, index);
      }
      out += `$${index}`;
      i += 1 + name.length;
      continue;
    }
    out += c;
    i += 1;
  }
  out = out.replace(
    /json_each\((\$\d+|[A-Za-z_][A-Za-z0-9_.]*)\)/g,
    'jsonb_array_elements_text(CAST($1 AS jsonb)) AS json_each(value)',
  );
  return { text: out, bindings };
}

/**
 * DDL written for SQLite, as PostgreSQL takes it: an `INTEGER PRIMARY KEY` (SQLite's rowid alias)
 * becomes an identity column, other INTEGER columns BIGINT, REAL DOUBLE PRECISION.
 * `json_valid` exists on PostgreSQL as a function the migrations create first.
 */
export function translateDdl(sql: string): string {
  return sql
    .replace(/\bINTEGER PRIMARY KEY\b/g, 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION');
}

/** Functions the SQLite dialect has built in, defined once per database. */
export const POSTGRES_PRELUDE = `
CREATE OR REPLACE FUNCTION json_valid(value text) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM value::jsonb;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
`;

function toParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  throw new TypeError(`cannot bind a value of type ${typeof value} to a PostgreSQL parameter`);
}

class PostgresStatement implements Statement {
  private plucked = false;
  constructor(
    private readonly db: PostgresDb,
    private readonly name: string,
    private readonly text: string,
    private readonly bindings: Binding[],
  ) {}

  pluck(toggle = true): this {
    this.plucked = toggle;
    return this;
  }

  private params(args: unknown[]): (string | null)[] {
    const named = this.bindings.some((b) => 'name' in b);
    const bag = (named ? (args[0] ?? {}) : {}) as Record<string, unknown>;
    let positional = named ? args.slice(1) : args;
    if (positional.length === 1 && Array.isArray(positional[0])) {
      positional = positional[0] as unknown[];
    }
    const expected = this.bindings.filter((b) => 'position' in b).length;
    if (positional.length !== expected) {
      throw new RangeError(`expected ${expected} parameters, got ${positional.length}`);
    }
    return this.bindings.map((b) => {
      if ('name' in b) {
        if (!(b.name in bag)) throw new RangeError(`missing named parameter: ${b.name}`);
        return toParam(bag[b.name]);
      }
      return toParam(positional[b.position]);
    });
  }

  private execute(args: unknown[]): PQ {
    return this.db.execute(this.name, this.text, this.params(args));
  }

  private rows(pq: PQ, limit: number): unknown[] {
    const n = Math.min(pq.ntuples(), limit);
    const fields = pq.nfields();
    const names: string[] = [];
    const types: number[] = [];
    for (let c = 0; c < fields; c++) {
      names.push(pq.fname(c));
      types.push(pq.ftype(c));
    }
    const read = (r: number, c: number): unknown => {
      if (pq.getisnull(r, c)) return null;
      const raw = pq.getvalue(r, c);
      const type = types[c]!;
      if (NUMERIC_OIDS.has(type)) return Number(raw);
      if (type === BOOL_OID) return raw === 't' ? 1 : 0;
      return raw;
    };
    const out: unknown[] = [];
    for (let r = 0; r < n; r++) {
      if (this.plucked) {
        out.push(read(r, 0));
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let c = 0; c < fields; c++) row[names[c]!] = read(r, c);
      out.push(row);
    }
    return out;
  }

  get(...args: unknown[]): unknown {
    const pq = this.execute(args);
    try {
      return this.rows(pq, 1)[0];
    } finally {
      pq.clear();
    }
  }

  all(...args: unknown[]): unknown[] {
    const pq = this.execute(args);
    try {
      return this.rows(pq, Number.POSITIVE_INFINITY);
    } finally {
      pq.clear();
    }
  }

  run(...args: unknown[]): RunResult {
    const pq = this.execute(args);
    try {
      return { changes: Number(pq.cmdTuples() || 0), lastInsertRowid: 0 };
    } finally {
      pq.clear();
    }
  }
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly name: string;
  /** The schema this connection works in (`options.schema`), if one was named. */
  readonly schemaName: string | undefined;
  open = true;
  private pq: PQ;
  private readonly Libpq: new () => PQ;
  private readonly conninfo: string;
  /** Each SQL text's server-side statement name, its PostgreSQL text and its bindings. */
  private readonly statements = new Map<
    string,
    { name: string; text: string; bindings: Binding[] }
  >();
  private prepared = new Set<string>();
  private depth = 0;
  private nextStatement = 0;
  private readonly options: PostgresOptions;

  constructor(url: string, options: PostgresOptions = {}) {
    this.Libpq = loadLibpq();
    this.conninfo = url;
    this.options = options;
    this.name = redactUrl(url);
    this.schemaName = options.schema;
    this.pq = this.connect();
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  private connect(): PQ {
    const pq = new this.Libpq();
    try {
      pq.connectSync(this.conninfo);
    } catch (error) {
      retire(pq, false); // the binding finished it
      throw new PostgresError(
        `could not connect to PostgreSQL: ${firstLine((error as Error).message)}`,
        undefined,
      );
    }
    this.pq = pq;
    this.prepared = new Set();
    this.simple('SET client_min_messages = warning');
    if (this.options.schema) {
      const schema = quoteIdent(this.options.schema);
      this.simple(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      this.simple(`SET search_path TO ${schema}`);
    }
    return pq;
  }

  private check(pq: PQ): void {
    const status = pq.resultStatus();
    if (status === 'PGRES_COMMAND_OK' || status === 'PGRES_TUPLES_OK') return;
    const fields = pq.resultErrorFields();
    const message =
      fields?.messagePrimary ?? firstLine(pq.resultErrorMessage() || pq.errorMessage());
    pq.clear();
    // PQTRANS_UNKNOWN: the connection is gone (server restarted, backend terminated, network).
    const lost = pq.transactionStatus() === PQTRANS_UNKNOWN;
    const error = new PostgresError(message, lost ? undefined : fields?.sqlState);
    if (lost) {
      // The next statement gets a fresh connection; a transaction in flight is lost with it, and
      // rolled back by the server.
      retire(this.pq, true);
      this.reconnectPending = true;
    }
    throw error;
  }

  private reconnectPending = false;

  private live(): PQ {
    if (!this.open) throw new TypeError('The database connection is not open');
    if (this.reconnectPending) {
      // Pending until a connection is made: while the server is still away every call fails
      // here, never on the finished connection.
      this.connect();
      this.reconnectPending = false;
    }
    return this.pq;
  }

  /** Runs `sql` (several statements allowed) with no parameters. */
  simple(sql: string): void {
    const pq = this.pq;
    pq.exec(sql);
    this.check(pq);
    pq.clear();
  }

  execute(name: string, text: string, params: (string | null)[]): PQ {
    const pq = this.live();
    if (!this.prepared.has(name)) {
      pq.prepare(name, text, params.length);
      this.check(pq);
      pq.clear();
      this.prepared.add(name);
    }
    pq.execPrepared(name, params);
    this.check(pq);
    return pq;
  }

  prepare(sql: string): Statement {
    let entry = this.statements.get(sql);
    if (!entry) {
      const { text, bindings } = translateSql(sql);
      entry = { name: `s${(this.nextStatement += 1)}`, text, bindings };
      this.statements.set(sql, entry);
    }
    return new PostgresStatement(this, entry.name, entry.text, entry.bindings);
  }

  exec(sql: string): this {
    this.live();
    this.simple(sql);
    return this;
  }

  pragma(): unknown {
    throw new TypeError('pragma is a SQLite statement; this store is PostgreSQL');
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F> {
    const run = (...args: Parameters<F>): ReturnType<F> => {
      this.live();
      if (this.depth === 0) {
        this.simple('BEGIN');
        this.depth = 1;
        try {
          this.simple(`SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})`);
          const result = fn(...args) as ReturnType<F>;
          this.simple('COMMIT');
          this.depth = 0;
          return result;
        } catch (error) {
          this.depth = 0;
          if (!this.reconnectPending) {
            try {
              this.simple('ROLLBACK');
            } catch {
              // the connection is gone; the server rolled back
            }
          }
          throw error;
        }
      }
      const savepoint = `sp${this.depth}`;
      this.simple(`SAVEPOINT ${savepoint}`);
      this.depth += 1;
      try {
        const result = fn(...args) as ReturnType<F>;
        this.depth -= 1;
        this.simple(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        this.depth -= 1;
        if (!this.reconnectPending) {
          this.simple(`ROLLBACK TO SAVEPOINT ${savepoint}`);
          this.simple(`RELEASE SAVEPOINT ${savepoint}`);
        }
        throw error;
      }
    };
    return Object.assign(run, { deferred: run, immediate: run, exclusive: run }) as Transaction<F>;
  }

  close(): this {
    if (!this.open) return this;
    if (this.reconnectPending) {
      try {
        if (this.options.dropSchemaOnClose) this.live();
      } catch {
        // the server is unreachable: nothing to close
      }
      if (this.reconnectPending) {
        this.open = false;
        return this;
      }
    }
    if (this.options.dropSchemaOnClose && this.options.schema) {
      try {
        this.depth = 0;
        this.simple(`DROP SCHEMA IF EXISTS ${quoteIdent(this.options.schema)} CASCADE`);
      } catch {
        // closing anyway
      }
    }
    retire(this.pq, true);
    this.open = false;
    return this;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function firstLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/^ERROR:\s*/, '')
    .trim();
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/^(password|passfile|sslpassword)$/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}
