/**
 * The renewal sweep over many due certificates, measured (issue #4, docs/benchmarks.md).
 *
 *   node --import tsx apps/bff/bench/cert-sweep.bench.ts [--count=100000]
 *     [--db=file|memory|postgres://…]
 *     [--due=1|0.333] [--threads=N] [--api-load] [--synchronous=FULL|NORMAL]
 *
 * Seeding writes the rows directly (one CA, `count` ACTIVE certificates whose version 1 is due,
 * and their PENDING `certificate` jobs); version 1 of every certificate shares one real PEM and
 * sealed key, because the sweep never reads them. The sweep itself is the real thing: the job
 * runner claims the jobs with leases, the certificate handler decides with the domain rule, makes
 * a new P-256 key, signs a real X.509 leaf with the CA, seals the key and stores the version, and
 * every run is recorded in job_runs. Prints one JSON object. With a `postgres://` URL (an empty
 * schema) the same runs on PostgreSQL; `synchronous` is then SQLite's only and not used.
 *
 * `due` < 1 seeds the same number of certificates with only that share due (the rest renew in
 * 20 days). The leaf issuer runs `threads` workers (MESHDECK_CERT_THREADS, default the cores).
 * The event-loop delay is sampled during the sweep (perf_hooks); `apiLoad` serves the BFF from the
 * same process and has a child process request it at a fixed rate, idle first and then during the
 * sweep, so the API's p99 shows what the sweep costs it.
 */
import { fork } from 'node:child_process';
import { createECDH, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.ts';
import { createBackend } from '../src/backend.ts';
import { createCertificateService } from '../src/certificates/certificate-service.ts';
import { createKeyring } from '../src/certificates/keyring.ts';
import { certThreadsFrom, createLeafIssuer } from '../src/certificates/leaf-issuer.ts';
import { createManualClock } from '../src/clock.ts';
import { isPostgresUrl, openDb, type Db } from '../src/db/open-db.ts';
import { createJobRunner } from '../src/jobs/job-runner.ts';
import { silentLogger } from '../src/logger.ts';

export interface LoadFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface CertSweepResult {
  benchmark: 'cert-sweep';
  certificates: number;
  /** How many were due (and renewed). */
  due: number;
  renewed: number;
  threads: number;
  database: 'file' | 'memory' | 'postgres';
  /** SQLite's setting (not used on PostgreSQL). */
  synchronous: 'FULL' | 'NORMAL';
  seedMs: number;
  sweepMs: number;
  certificatesPerSecond: number;
  msPerCertificate: number;
  rssBeforeSweepMb: number;
  peakRssMb: number;
  heapUsedAfterSweepMb: number;
  batchSize: number;
  concurrency: number;
  /** Event-loop delay during the sweep (perf_hooks.monitorEventLoopDelay, 10 ms resolution). */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** API requests at a fixed rate from another process: idle, then during the sweep. */
  apiIdle?: LoadFigures;
  apiDuringSweep?: LoadFigures;
  node: string;
}

const DAY = 24 * 60 * 60 * 1000;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function seed(
  db: Db,
  count: number,
  dueCount: number,
  caId: string,
  template: { pem: string; key: string },
) {
  const issued = '2025-03-01T00:00:00.000Z';
  const dueAt = '2025-03-31T00:00:00.000Z';
  const laterAt = '2025-04-10T00:00:00.000Z';
  const notAfter = '2025-04-15T00:00:00.000Z';
  const cert = db.prepare(
    `INSERT INTO certificates (id, mesh_id, ca_id, resource_kind, resource_id, common_name,
       dns_names, maximum_validity, status, current_version, renew_at, not_after, created_at,
       updated_at)
     VALUES (?, 'ocid1.servicemesh.oc1..bench', ?, 'VirtualService', ?, ?, ?, 45, 'ACTIVE', 1, ?, ?, ?, ?)`,
  );
  const version = db.prepare(
    `INSERT INTO certificate_versions (certificate_id, version, due_at, serial_number, issued_at,
       not_before, not_after, renew_at, capped_by_ca, certificate_pem, private_key, created_at)
     VALUES (?, 1, '', ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const job = db.prepare(
    `INSERT INTO jobs (id, type, payload, subject_id, dedupe_key, status, run_at, attempts,
       created_at, updated_at)
     VALUES (?, 'certificate', ?, ?, ?, 'PENDING', ?, 0, ?, ?)`,
  );
  let seeded = 0;
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      // Every third (or every one) is due; the others renew after the sweep's clock.
      const due = i % Math.max(1, Math.round(count / dueCount)) === 0 ? dueAt : laterAt;
      if (due === dueAt) seeded += 1;
      const id = `ocid1.certificate.oc1.bench.${i.toString(36).padStart(8, '0')}`;
      const name = `svc-${i}`;
      cert.run(
        id,
        caId,
        `ocid1.meshvirtualservice.oc1.bench.${i}`,
        name,
        JSON.stringify([`${name}.bench.svc`]),
        due,
        notAfter,
        issued,
        issued,
      );
      version.run(
        id,
        i.toString(16).padStart(32, '0'),
        issued,
        '2025-02-28T23:55:00.000Z',
        notAfter,
        due,
        template.pem,
        template.key,
        issued,
      );
      job.run(
        `job-bench-${i}`,
        JSON.stringify({ certificateId: id }),
        id,
        `certificate:${id}`,
        due,
        issued,
        issued,
      );
    }
  })();
  return seeded;
}

/** The raw cost of a leaf's cryptography: P-256 key generation plus one ECDSA signature. */
export function rawSignKeygenRate(iterations = 2000): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tbs = Buffer.alloc(400, 7);
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    createECDH('prime256v1').generateKeys();
    sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  }
  return Math.round((iterations / (performance.now() - start)) * 1000);
}

/** A child process requesting `url` at `rate` per second until told to stop; its figures. */
function startLoad(url: string, rate: number) {
  const child = fork(fileURLToPath(new URL('./load-client.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const result = new Promise<LoadFigures>((resolve, reject) => {
    child.once('message', (message) => resolve(message as LoadFigures));
    child.once('exit', (code) => reject(new Error(`the load client exited with ${code}`)));
  });
  const ready = new Promise<void>((resolve) => child.once('spawn', () => resolve()));
  child.send({ url, rate });
  return {
    ready,
    stop: async (): Promise<LoadFigures> => {
      child.send('stop');
      return result;
    },
  };
}

export async function runCertSweepBench(
  options: {
    count?: number;
    /** A SQLite file or `:memory:`, or a `postgres://` URL (an empty schema) in `postgresUrl`. */
    database?: 'file' | 'memory' | 'postgres';
    postgresUrl?: string;
    batchSize?: number;
    concurrency?: number;
    /** Share of the certificates that are due (1: all; 1/3: a third). */
    dueFraction?: number;
    threads?: number;
    /** Requests per second to the API alongside (0: none). */
    apiRate?: number;
    /** How long the idle API baseline runs. */
    idleMs?: number;
    /** SQLite's synchronous setting; FULL is what the BFF runs with (decision 008). */
    synchronous?: 'FULL' | 'NORMAL';
  } = {},
): Promise<CertSweepResult> {
  const count = options.count ?? 100_000;
  const database = options.database ?? (options.postgresUrl ? 'postgres' : 'file');
  if (database === 'postgres' && !options.postgresUrl)
    throw new Error('database postgres needs postgresUrl');
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  const dueFraction = options.dueFraction ?? 1;
  const threads = options.threads ?? certThreadsFrom(process.env.MESHDECK_CERT_THREADS);
  const apiRate = options.apiRate ?? 0;
  const dir = database === 'file' ? mkdtempSync(join(tmpdir(), 'meshdeck-bench-')) : undefined;
  const synchronous = options.synchronous ?? 'FULL';
  const target =
    database === 'postgres'
      ? (options.postgresUrl as string)
      : dir
        ? join(dir, 'bench.db')
        : ':memory:';
  const db = openDb(target, { synchronous });
  const leafIssuer = createLeafIssuer({ threads });
  let server: Server | undefined;
  try {
    const clock = createManualClock('2025-03-01T00:00:00.000Z');
    const backend = createBackend(db, clock);
    const keyring = createKeyring(Buffer.alloc(32, 3));
    const service = createCertificateService({
      db,
      clock,
      repository: backend.certificates,
      jobs: backend.jobs,
      keyring,
      leafIssuer,
    });
    const ca = await service.createAuthority({
      compartmentId: 'ocid1.compartment.oc1..bench',
      name: 'bench CA',
      validityDays: 3650,
      maximumLeafValidity: 90,
    });
    // One real leaf, issued the normal way, lends its PEM and sealed key to every version 1.
    const template = await (async () => {
      db.prepare(
        `INSERT INTO certificates (id, mesh_id, ca_id, resource_kind, resource_id, common_name,
           dns_names, maximum_validity, status, created_at, updated_at)
         VALUES ('template', 'm', ?, 'VirtualService', 'r', 'template', '[]', 45, 'PENDING', ?, ?)`,
      ).run(ca.id, '2025-03-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z');
      await service.processCertificate('template');
      const row = db
        .prepare(
          'SELECT certificate_pem, private_key FROM certificate_versions WHERE certificate_id = ?',
        )
        .get('template') as { certificate_pem: string; private_key: string };
      db.prepare("DELETE FROM certificate_versions WHERE certificate_id = 'template'").run();
      db.prepare("DELETE FROM certificates WHERE id = 'template'").run();
      return { pem: row.certificate_pem, key: row.private_key };
    })();

    const seedStart = performance.now();
    const dueCount = seed(db, count, Math.max(1, Math.round(count * dueFraction)), ca.id, template);
    const seedMs = performance.now() - seedStart;

    const runner = createJobRunner({
      db,
      clock,
      logger: silentLogger,
      batchSize,
      concurrency,
      owner: 'bench',
    });
    service.registerJobs(runner);

    // The API alongside: the same process (its event loop is what the sweep could starve), a
    // mesh read through the OCI face at a fixed rate from another process.
    let apiUrl: string | undefined;
    if (apiRate > 0) {
      const mesh = backend.services.Mesh.create({
        compartmentId: 'ocid1.compartment.oc1..bench',
        displayName: 'bench-mesh',
        certificateAuthorities: [{ id: ca.id }],
      }).record;
      await runner.runDue(); // the mesh's own jobs, before the clock reaches the renewals
      const app = createApp({
        db,
        clock,
        logger: silentLogger,
        runner,
        config: {
          ociAuth: 'none',
          demo: false,
          secretKey: Buffer.alloc(32, 3),
          // The per-client limit is a policy, not a capacity: out of the way of the measurement.
          rateLimits: { api: { limit: 100_000_000, windowSeconds: 60 } },
        },
      });
      server = createServer(app);
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/20220615/meshes/${mesh.id}`;
    }
    let apiIdle: LoadFigures | undefined;
    if (apiUrl) {
      const idle = startLoad(apiUrl, apiRate);
      await idle.ready;
      await new Promise((resolve) => setTimeout(resolve, options.idleMs ?? 5_000));
      apiIdle = await idle.stop();
    }

    clock.set(new Date(Date.parse('2025-03-01T00:00:00.000Z') + 30 * DAY));

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const during = apiUrl ? startLoad(apiUrl, apiRate) : undefined;
    await during?.ready;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const start = performance.now();
    const summary = await runner.runDue();
    const sweepMs = performance.now() - start;
    delay.disable();
    const apiDuringSweep = await during?.stop();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const renewed = db
      .prepare('SELECT COUNT(*) FROM certificate_versions WHERE version = 2')
      .pluck()
      .get() as number;
    if (renewed !== dueCount || summary.rescheduled < dueCount) {
      throw new Error(`the sweep renewed ${renewed} of ${dueCount} (${JSON.stringify(summary)})`);
    }
    return {
      benchmark: 'cert-sweep',
      certificates: count,
      due: dueCount,
      renewed,
      threads,
      database,
      synchronous,
      seedMs: Math.round(seedMs),
      sweepMs: Math.round(sweepMs),
      certificatesPerSecond: Math.round((dueCount / sweepMs) * 1000),
      msPerCertificate: Math.round((sweepMs / dueCount) * 1000) / 1000,
      rssBeforeSweepMb: mb(rssBefore),
      peakRssMb: mb(peak),
      heapUsedAfterSweepMb: mb(process.memoryUsage().heapUsed),
      batchSize,
      concurrency,
      eventLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
      eventLoopDelayMaxMs: Math.round(delay.max / 1e5) / 10,
      ...(apiIdle ? { apiIdle } : {}),
      ...(apiDuringSweep ? { apiDuringSweep } : {}),
      node: process.version,
    };
  } finally {
    if (server) await new Promise((resolve) => server?.close(resolve));
    await leafIssuer.close();
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (db.dialect === 'postgres') {
      // libpq's finish() uv_close()s a poll handle inside its native object; a garbage collection
      // before the event loop's close phase aborted this process twice (uv__finish_close). The
      // store now keeps finished connections referenced (retire in db/postgres.ts); the bench
      // still lets the loop pass its close phase before seeding the next run synchronously.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dbArg = arg('db');
  const postgres = dbArg && isPostgresUrl(dbArg) ? dbArg : undefined;
  const result = await runCertSweepBench({
    count: Number(arg('count') ?? 100_000),
    ...(postgres
      ? { database: 'postgres' as const, postgresUrl: postgres }
      : { database: dbArg === 'memory' ? ('memory' as const) : ('file' as const) }),
    dueFraction: Number(arg('due') ?? 1),
    ...(arg('synchronous') === 'NORMAL' ? { synchronous: 'NORMAL' as const } : {}),
    ...(arg('threads') ? { threads: Number(arg('threads')) } : {}),
    apiRate: process.argv.includes('--api-load') ? 200 : 0,
    ...(arg('batch') ? { batchSize: Number(arg('batch')) } : {}),
    ...(arg('concurrency') ? { concurrency: Number(arg('concurrency')) } : {}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
