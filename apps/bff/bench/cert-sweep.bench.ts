/**
 * The renewal sweep over many due certificates, measured (issue #4, docs/benchmarks.md).
 *
 *   node --import tsx apps/bff/bench/cert-sweep.bench.ts [--count=100000] [--db=file|memory]
 *
 * Seeding writes the rows directly (one CA, `count` ACTIVE certificates whose version 1 is due,
 * and their PENDING `certificate` jobs); version 1 of every certificate shares one real PEM and
 * sealed key, because the sweep never reads them. The sweep itself is the real thing: the job
 * runner claims the jobs with leases, the certificate handler decides with the domain rule, makes
 * a new P-256 key, signs a real X.509 leaf with the CA, seals the key and stores the version, and
 * every run is recorded in job_runs. Prints one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../src/backend.ts';
import { createCertificateService } from '../src/certificates/certificate-service.ts';
import { createKeyring } from '../src/certificates/keyring.ts';
import { createManualClock } from '../src/clock.ts';
import { openDb, type Db } from '../src/db/open-db.ts';
import { createJobRunner } from '../src/jobs/job-runner.ts';
import { silentLogger } from '../src/logger.ts';

export interface CertSweepResult {
  benchmark: 'cert-sweep';
  certificates: number;
  renewed: number;
  database: 'file' | 'memory';
  seedMs: number;
  sweepMs: number;
  certificatesPerSecond: number;
  msPerCertificate: number;
  rssBeforeSweepMb: number;
  peakRssMb: number;
  heapUsedAfterSweepMb: number;
  batchSize: number;
  concurrency: number;
  node: string;
}

const DAY = 24 * 60 * 60 * 1000;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function seed(db: Db, count: number, caId: string, template: { pem: string; key: string }) {
  const issued = '2025-03-01T00:00:00.000Z';
  const due = '2025-03-31T00:00:00.000Z';
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
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
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
}

export async function runCertSweepBench(
  options: {
    count?: number;
    database?: 'file' | 'memory';
    batchSize?: number;
    concurrency?: number;
  } = {},
): Promise<CertSweepResult> {
  const count = options.count ?? 100_000;
  const database = options.database ?? 'file';
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  const dir = database === 'file' ? mkdtempSync(join(tmpdir(), 'meshdeck-bench-')) : undefined;
  const db = openDb(dir ? join(dir, 'bench.db') : ':memory:');
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
    seed(db, count, ca.id, template);
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
    clock.set(new Date(Date.parse('2025-03-01T00:00:00.000Z') + 30 * DAY));

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const start = performance.now();
    const summary = await runner.runDue();
    const sweepMs = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const renewed = db
      .prepare('SELECT COUNT(*) FROM certificate_versions WHERE version = 2')
      .pluck()
      .get() as number;
    if (renewed !== count || summary.rescheduled !== count) {
      throw new Error(`the sweep renewed ${renewed} of ${count} (${JSON.stringify(summary)})`);
    }
    return {
      benchmark: 'cert-sweep',
      certificates: count,
      renewed,
      database,
      seedMs: Math.round(seedMs),
      sweepMs: Math.round(sweepMs),
      certificatesPerSecond: Math.round((count / sweepMs) * 1000),
      msPerCertificate: Math.round((sweepMs / count) * 1000) / 1000,
      rssBeforeSweepMb: mb(rssBefore),
      peakRssMb: mb(peak),
      heapUsedAfterSweepMb: mb(process.memoryUsage().heapUsed),
      batchSize,
      concurrency,
      node: process.version,
    };
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const database = arg('db') === 'memory' ? 'memory' : 'file';
  const result = await runCertSweepBench({
    count: Number(arg('count') ?? 100_000),
    database,
    ...(arg('batch') ? { batchSize: Number(arg('batch')) } : {}),
    ...(arg('concurrency') ? { concurrency: Number(arg('concurrency')) } : {}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
