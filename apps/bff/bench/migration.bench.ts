/**
 * P9: a staged mTLS migration of 1 000 virtual services, mesh minimum DISABLED → PERMISSIVE →
 * STRICT, measured as the control-plane work of each stage. The migration service runs as in the
 * BFF (its job on the job runner, every change through the resource write services, on a SQLite
 * file); the clock is a manual one, moved past the propagation delay between the stages, so the
 * wait itself is not measured.
 *
 *   node --import tsx apps/bff/bench/migration.bench.ts [--services=1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../src/backend.ts';
import { createManualClock } from '../src/clock.ts';
import { openDb } from '../src/db/open-db.ts';
import { createJobRunner } from '../src/jobs/job-runner.ts';
import { silentLogger } from '../src/logger.ts';
import { createMigrationService } from '../src/migrations/migrations.service.ts';
import type { BenchRow } from './bench-row.ts';

export interface MigrationBenchResult {
  services: number;
  planMs: number;
  /** Start (plan + first stage queued) and the runner applying each stage, in ms. */
  stageMs: number[];
  stages: number;
  status: string;
}

export async function runMigrationBench(
  options: { services?: number } = {},
): Promise<MigrationBenchResult> {
  const services = options.services ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-migration-bench-'));
  const db = openDb(join(dir, 'bench.db'));
  try {
    const clock = createManualClock('2025-03-01T00:00:00.000Z');
    const backend = createBackend(db, clock);
    const mesh = backend.services.Mesh.create({
      compartmentId: 'ocid1.compartment.oc1..bench',
      displayName: 'bench-mesh',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..bench' }],
      mtls: { minimum: 'DISABLED' },
    }).record;
    db.transaction(() => {
      for (let i = 0; i < services; i += 1) {
        backend.services.VirtualService.create({
          compartmentId: 'ocid1.compartment.oc1..bench',
          meshId: mesh.id,
          name: `svc-${i}`,
          hosts: [`svc-${i}.bench.svc`],
          // Every tenth declares its own mode; the rest inherit the mesh minimum.
          ...(i % 10 === 0 ? { mtls: { mode: 'DISABLED' } } : {}),
        });
      }
    })();
    // Certificates are P8's subject; only the migration's own work is measured here.
    db.prepare('DELETE FROM jobs').run();
    clock.advance(60_000);

    const runner = createJobRunner({ db, clock, logger: silentLogger, owner: 'bench' });
    const migrations = createMigrationService({ db, clock, backend });
    migrations.registerJob(runner);
    const target = {
      kind: 'mesh',
      meshId: mesh.id,
      minimum: 'STRICT',
      raiseBlockingServices: true,
    };

    let start = performance.now();
    const plan = migrations.plan({ target });
    const planMs = performance.now() - start;

    const stageMs: number[] = [];
    start = performance.now();
    const started = migrations.start({ target });
    await runner.runDue();
    stageMs.push(performance.now() - start);
    for (let i = 1; i < plan.stages.length; i += 1) {
      clock.advance(plan.minimumDurationSeconds * 1000);
      start = performance.now();
      await runner.runDue();
      stageMs.push(performance.now() - start);
    }
    const done = migrations.get(started.id);
    return {
      services,
      planMs: Math.round(planMs),
      stageMs: stageMs.map((ms) => Math.round(ms)),
      stages: plan.stages.length,
      status: done.status,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function migrationRows(r: MigrationBenchResult): BenchRow[] {
  const worst = Math.max(...r.stageMs);
  return [
    {
      id: 'P9',
      what: `staged migration of ${r.services.toLocaleString('en')} virtual services (a tenth declaring DISABLED), mesh DISABLED → PERMISSIVE → STRICT, ${r.stages} stages, propagation wait excluded`,
      measured: `plan ${r.planMs} ms; stages ${r.stageMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}; ${r.status}`,
      goal: '≤ 10 s of control-plane work per stage',
      met: r.status === 'SUCCEEDED' && worst <= 10_000,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv.find((a) => a.startsWith('--services='));
  const result = await runMigrationBench(arg ? { services: Number(arg.slice(11)) } : {});
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
