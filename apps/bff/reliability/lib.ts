/**
 * What every reliability scenario needs: a real BFF process (server.ts) on a file database, a
 * small HTTP client for the OCI face, and read-only looks into the database.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const COMPARTMENT = 'ocid1.compartment.oc1..reliability';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `meshdeck-rel-${name}-`));
}

export interface BffOptions {
  port: number;
  dbPath: string;
  env?: Record<string, string>;
}

/** Every BFF process a scenario started, so the runner can end them whatever happened. */
const started = new Set<Bff>();

/** kill -9 to every BFF still running (after each scenario). */
export async function killAll(): Promise<void> {
  for (const bff of started) await bff.kill9();
  started.clear();
}

/** One BFF process; `start` again starts a new one on the same database and port. */
export class Bff {
  child: ChildProcess | undefined;
  exited: Promise<number | null> = Promise.resolve(null);
  /** Every line the processes wrote, for the report when something fails. */
  readonly log: string[] = [];
  starts = 0;
  /** One key per database, so every process on it can open the private keys. */
  readonly secretKey: string;

  constructor(readonly options: BffOptions) {
    this.secretKey = createHash('sha256').update(options.dbPath).digest('base64');
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get oci(): string {
    return `${this.baseUrl}/20220615`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/bff/src/server.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(this.options.port),
        MESHDECK_DB: this.options.dbPath,
        MESHDECK_DEMO: '0',
        MESHDECK_OCI_AUTH: 'none',
        MESHDECK_SECRET_KEY: this.secretKey,
        MESHDECK_JOB_POLL_MS: '200',
        MESHDECK_JOB_LEASE_MS: '3000',
        MESHDECK_CONSOLE_DIR: join(tmpdir(), 'meshdeck-rel-no-console'),
        // All harness traffic comes from one address: the per-client limit would answer 429
        // for the rest of its minute; the global admission control is what is measured.
        MESHDECK_API_RATE_PER_MINUTE: '100000000',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    started.add(this);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.log.push(line);
      if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
    };
    child.stderr?.on('data', onLine);
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error('the BFF did not start in 60 s')), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        onLine(chunk);
        buffer += chunk.toString('utf8');
        if (buffer.includes('Meshdeck listening on')) {
          clearTimeout(timer);
          buffer = '';
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the BFF exited with ${code} before listening`));
      });
    });
  }

  /** kill -9: no handler runs, nothing is flushed. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timeout = sleep(20_000).then(() => 'timeout' as const);
    const result = await Promise.race([this.exited, timeout]);
    if (result === 'timeout') {
      child.kill('SIGKILL');
      await this.exited;
      return null;
    }
    return result;
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
  ms: number;
}

/** 429 answers the harness's own clients got and retried, as a well-behaved client does. */
export const shed = { count: 0 };

/**
 * One request; a connection failure (the BFF is down) is thrown. A 429 is retried after its
 * Retry-After (as the OCI SDK does) unless `keep429` is set.
 */
export async function call(
  method: string,
  url: string,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
    keep429?: boolean;
  } = {},
): Promise<HttpResult> {
  for (let attempt = 0; ; attempt += 1) {
    const result = await callOnce(method, url, options);
    if (result.status !== 429 || options.keep429 || attempt >= 50) return result;
    shed.count += 1;
    await sleep(Math.min(1000, Number(result.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function callOnce(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<HttpResult> {
  const started = performance.now();
  const res = await fetch(url, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text, which a scenario reports
  }
  return { status: res.status, headers: res.headers, body, ms: performance.now() - started };
}

/** Retries `fn` while the BFF is down (connection refused / reset), up to `timeoutMs`. */
export async function whileDown<T>(fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(100);
    }
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await fn();
    } catch {
      value = undefined;
    }
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[key]
    : undefined;
}

/** Creates a mesh through the OCI face and waits until it is ACTIVE; its id. */
export async function createMesh(bff: Bff, name = 'reliability-mesh'): Promise<string> {
  const res = await call('POST', `${bff.oci}/meshes`, {
    body: {
      compartmentId: COMPARTMENT,
      displayName: name,
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..reliability' }],
      mtls: { minimum: 'PERMISSIVE' },
    },
  });
  if (res.status !== 200) throw new Error(`mesh create answered ${res.status}`);
  const id = String(field(res.body, 'id'));
  await waitActive(bff, 'meshes', id);
  return id;
}

/** Waits until a resource is ACTIVE (through restarts); throws on FAILED. */
export async function waitActive(
  bff: Bff,
  collection: string,
  id: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  return waitFor(
    `${id} ACTIVE`,
    async () => {
      const res = await call('GET', `${bff.oci}/${collection}/${id}`);
      const state = field(res.body, 'lifecycleState');
      if (state === 'FAILED')
        throw new Error(`${id} FAILED: ${field(res.body, 'lifecycleDetails')}`);
      return state === 'ACTIVE' ? (res.body as Record<string, unknown>) : undefined;
    },
    timeoutMs,
  );
}

export function virtualServiceBody(meshId: string, name: string, description = 'v0') {
  return { compartmentId: COMPARTMENT, meshId, name, description, hosts: [`${name}.local`] };
}

/** A read-only look at the database (WAL lets it read while the BFF writes). */
export function inspect<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

export function integrityCheck(dbPath: string): string {
  return inspect(dbPath, (db) => String(db.pragma('integrity_check', { simple: true })));
}

/** Certificate serials issued more than once (must be none). */
export function duplicateSerials(db: Database.Database): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT serial_number FROM certificate_versions
         GROUP BY serial_number HAVING COUNT(*) > 1)`,
    )
    .pluck()
    .get() as number;
}

/** Jobs that one process began and another finished (a run ABANDONED by a kill). */
export function jobsResumed(db: Database.Database): number {
  return db
    .prepare(`SELECT COUNT(DISTINCT job_id) FROM job_runs WHERE outcome = 'ABANDONED'`)
    .pluck()
    .get() as number;
}

export function writeOffset(file: string, offsetMs: number): void {
  writeFileSync(file, String(offsetMs));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface ScenarioResult {
  name: string;
  pass: boolean;
  /** What was checked and what failed, in plain words. */
  failures: string[];
  seconds: number;
  figures: Record<string, unknown>;
}

export interface ScenarioContext {
  full: boolean;
  /** A free port of the harness's range (9500–9599). */
  port(): number;
}

export type Scenario = (ctx: ScenarioContext) => Promise<Omit<ScenarioResult, 'name' | 'seconds'>>;

/** Collects failed checks: `check(cond, text)`. */
export function checker(): { failures: string[]; check(ok: boolean, text: string): void } {
  const failures: string[] = [];
  return {
    failures,
    check(ok, text) {
      if (!ok) failures.push(text);
    },
  };
}
