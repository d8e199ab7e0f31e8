/**
 * P12: recovery after `kill -9` with a million rows in the database.
 *
 *   node --import tsx apps/bff/bench/recovery.bench.ts [--rows=1000000] [--port=9450]
 *
 * A SQLite file is seeded with one mesh and 2 000 virtual services through the store code (their
 * certificate jobs queued), plus job-run history written directly up to `rows` rows in all. The
 * real server (server.ts) starts on it, issues certificates, and is killed with SIGKILL while it
 * does. Then it is started again, and measured from the spawn: until it answers a request
 * (serving), and until a job runs again (jobs resumed, from job_runs). Runs the server killed
 * left RUNNING come back after their lease (`MESHDECK_JOB_LEASE_MS`, 5 s here); the time until
 * every certificate is issued is shown too.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../src/backend.ts';
import { systemClock } from '../src/clock.ts';
import { openDb } from '../src/db/open-db.ts';
import type { BenchRow } from './bench-row.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const COMPARTMENT = 'ocid1.compartment.oc1..bench';
const SERVICES = 2_000;

export interface RecoveryBenchResult {
  rows: number;
  seedMs: number;
  /** The same server started on an empty database, in the same run: until it answers. */
  emptyServingMs: number;
  runsAtKill: number;
  servingMs: number;
  jobsResumedMs: number;
  allIssuedMs: number;
  dbSizeMb: number;
}

function seed(dbPath: string, rows: number): void {
  const db = openDb(dbPath);
  try {
    const { services } = createBackend(db, systemClock);
    const mesh = services.Mesh.create({
      compartmentId: COMPARTMENT,
      displayName: 'bench-mesh',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..recovery' }],
    }).record;
    db.transaction(() => {
      for (let i = 0; i < SERVICES; i += 1) {
        services.VirtualService.create({
          compartmentId: COMPARTMENT,
          meshId: mesh.id,
          name: `svc-${i}`,
          hosts: [`svc-${i}.bench.svc`],
        });
      }
    })();
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const have =
      count('SELECT COUNT(*) FROM jobs') +
      count('SELECT COUNT(*) FROM job_runs') +
      count('SELECT COUNT(*) FROM virtual_services') +
      count('SELECT COUNT(*) FROM certificates');
    // History: finished runs of the queued jobs, as a long-lived BFF accumulates them.
    const jobs = db.prepare('SELECT id, type, subject_id FROM jobs').all() as {
      id: string;
      type: string;
      subject_id: string | null;
    }[];
    const insert = db.prepare(
      `INSERT INTO job_runs (job_id, job_type, subject_id, attempt, runner, started_at,
         finished_at, outcome, note)
       VALUES (?, ?, ?, 1, 'history', ?, ?, 'RESCHEDULED', 'renewed: version 1')`,
    );
    const history = Math.max(0, rows - have);
    db.pragma('synchronous = OFF'); // seeding only; the server opens it as always
    const batch = 50_000;
    for (let done = 0; done < history; done += batch) {
      db.transaction(() => {
        for (let i = done; i < Math.min(history, done + batch); i += 1) {
          const job = jobs[i % jobs.length] as (typeof jobs)[number];
          const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
          insert.run(job.id, job.type, job.subject_id, at, at);
        }
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/bff/src/server.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function runRecoveryBench(
  options: { rows?: number; port?: number } = {},
): Promise<RecoveryBenchResult> {
  const rows = options.rows ?? 1_000_000;
  const port = options.port ?? 9450;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-recovery-bench-'));
  const children: ChildProcess[] = [];
  const url = `http://127.0.0.1:${port}/20220615/meshes?compartmentId=${COMPARTMENT}`;
  const serving = async () => {
    try {
      const res = await fetch(url);
      return res.status === 200 ? true : undefined;
    } catch {
      return undefined;
    }
  };
  try {
    const dbPath = join(dir, 'meshdeck.db');
    const emptyEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MESHDECK_DB: join(dir, 'empty.db'),
      MESHDECK_DEMO: '0',
      MESHDECK_OCI_AUTH: 'none',
      MESHDECK_SECRET_KEY: randomBytes(32).toString('base64'),
      MESHDECK_CONSOLE_DIR: join(dir, 'no-console'),
    };
    const emptyDb = openDb(emptyEnv.MESHDECK_DB);
    emptyDb.close();
    const emptyStart = performance.now();
    const empty = start(emptyEnv);
    children.push(empty.child);
    await until('the server on an empty database', () => serving());
    const emptyServingMs = Math.round(performance.now() - emptyStart);
    empty.child.kill('SIGTERM');
    await empty.exited;

    const seedStart = performance.now();
    seed(dbPath, rows);
    const seedMs = Math.round(performance.now() - seedStart);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MESHDECK_DB: dbPath,
      MESHDECK_DEMO: '0',
      MESHDECK_OCI_AUTH: 'none',
      MESHDECK_SECRET_KEY: randomBytes(32).toString('base64'),
      MESHDECK_JOB_POLL_MS: '100',
      MESHDECK_JOB_LEASE_MS: '5000',
      MESHDECK_CONSOLE_DIR: join(dir, 'no-console'),
    };
    const reader = new Database(dbPath, { readonly: true });
    const runs = () =>
      reader
        .prepare("SELECT COUNT(*) FROM job_runs WHERE runner != 'history'")
        .pluck()
        .get() as number;
    const issued = () =>
      reader
        .prepare('SELECT COUNT(*) FROM certificates WHERE current_version IS NOT NULL')
        .pluck()
        .get() as number;

    const first = start(env);
    children.push(first.child);
    await until('the first server to issue', () => (issued() > 50 ? true : undefined));
    first.child.kill('SIGKILL');
    await first.exited;
    const runsAtKill = runs();

    const spawnedAt = performance.now();
    const second = start(env);
    children.push(second.child);
    let servingMs: number | undefined;
    let jobsResumedMs: number | undefined;
    await until('serving and jobs resumed', async () => {
      if (jobsResumedMs === undefined && runs() > runsAtKill)
        jobsResumedMs = performance.now() - spawnedAt;
      if (servingMs === undefined && (await serving())) servingMs = performance.now() - spawnedAt;
      return servingMs !== undefined && jobsResumedMs !== undefined ? true : undefined;
    });
    await until('every certificate', () => (issued() === SERVICES ? true : undefined), 300_000);
    const allIssuedMs = performance.now() - spawnedAt;
    const dbSizeMb =
      Math.round(
        ((reader.pragma('page_count', { simple: true }) as number) *
          (reader.pragma('page_size', { simple: true }) as number)) /
          1024 /
          102.4,
      ) / 10;
    reader.close();
    second.child.kill('SIGTERM');
    await second.exited;
    return {
      rows,
      seedMs,
      emptyServingMs,
      runsAtKill,
      servingMs: Math.round(servingMs as number),
      jobsResumedMs: Math.round(jobsResumedMs as number),
      allIssuedMs: Math.round(allIssuedMs),
      dbSizeMb,
    };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function recoveryRows(r: RecoveryBenchResult): BenchRow[] {
  return [
    {
      id: 'P12',
      what: `recovery after kill -9 mid-issuance, ${r.rows.toLocaleString('en')} rows (${r.dbSizeMb} MB), real server.ts`,
      measured: `serving after ${(r.servingMs / 1000).toFixed(2)} s (the same server on an empty database: ${(r.emptyServingMs / 1000).toFixed(2)} s); jobs resumed after ${(r.jobsResumedMs / 1000).toFixed(2)} s; all ${SERVICES} certificates issued after ${(r.allIssuedMs / 1000).toFixed(1)} s (killed runs return after their 5 s lease)`,
      goal: 'serving ≤ 2 s; jobs resumed ≤ 5 s',
      met: r.servingMs <= 2_000 && r.jobsResumedMs <= 5_000,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const result = await runRecoveryBench({
    ...(arg('rows') ? { rows: Number(arg('rows')) } : {}),
    ...(arg('port') ? { port: Number(arg('port')) } : {}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
