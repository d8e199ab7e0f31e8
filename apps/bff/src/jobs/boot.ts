import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createBackend } from '../backend.ts';
import { createCertificateHooks } from '../certificates/certificate-hooks.ts';
import { checkSecretKeyForStore, loadSecretKey } from '../certificates/keyring.ts';
import { createOffsetClock, systemClock, type Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import type { Logger } from '../logger.ts';
import { loadDemoClockOffset, saveDemoClockOffset } from './demo-clock.ts';
import { createJobRunner, type JobRunner } from './job-runner.ts';
import { createOffsetFileClock } from './offset-file-clock.ts';

export interface JobsBoot {
  /** The demo clock (offset kept in the database) in demo mode, else system time. */
  clock: Clock;
  secretKey: Buffer;
  runner: JobRunner;
  /** How often the runner polls (`MESHDECK_JOB_POLL_MS`, default 1 s). */
  pollMs: number;
  /** Gives certificates to resources stored before certificates existed. */
  backfill(): void;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * What server.ts needs for jobs and certificates: the clock, the key that encrypts private keys
 * (`MESHDECK_SECRET_KEY`, else `MESHDECK_SECRET_KEY_FILE`, else `meshdeck.key` next to the
 * database — generated on first start, and said so), and the runner.
 */
export function bootJobs(options: {
  db: Db;
  dbPath: string;
  demo: boolean;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}): JobsBoot {
  const { db, logger, env } = options;
  const offsetFile = env.MESHDECK_CLOCK_OFFSET_FILE;
  if (offsetFile) {
    logger.warn('TEST ONLY: the clock adds the offset in MESHDECK_CLOCK_OFFSET_FILE', {
      file: offsetFile,
    });
  }
  const base = offsetFile ? createOffsetFileClock(systemClock, offsetFile) : systemClock;
  const clock: Clock = options.demo
    ? createOffsetClock({
        base,
        offsetMs: loadDemoClockOffset(db),
        onAdvance: (offsetMs) => saveDemoClockOffset(db, offsetMs),
      })
    : base;

  if (db.dialect === 'postgres') {
    // A key made here would differ on every replica: one could not read the CA keys another wrote.
    if (!env.MESHDECK_SECRET_KEY?.trim() && !env.MESHDECK_SECRET_KEY_FILE?.trim()) {
      throw new Error(
        'with PostgreSQL every replica needs the same secret key for private keys at rest: set ' +
          'MESHDECK_SECRET_KEY (32 bytes, base64) or MESHDECK_SECRET_KEY_FILE on each replica',
      );
    }
    if (
      !env.MESHDECK_SECRET_KEY?.trim() &&
      env.MESHDECK_SECRET_KEY_FILE &&
      !existsSync(env.MESHDECK_SECRET_KEY_FILE)
    ) {
      throw new Error(
        `MESHDECK_SECRET_KEY_FILE ${env.MESHDECK_SECRET_KEY_FILE} does not exist: with PostgreSQL ` +
          'every replica must read the same existing key (none is made here)',
      );
    }
  }
  const inMemory =
    db.dialect === 'postgres' ||
    options.dbPath === ':memory:' ||
    options.dbPath.startsWith('file:');
  const keyFile =
    env.MESHDECK_SECRET_KEY_FILE ??
    (inMemory ? undefined : join(dirname(options.dbPath), 'meshdeck.key'));
  const { key, source } = loadSecretKey({
    envValue: env.MESHDECK_SECRET_KEY,
    ...(keyFile ? { keyFile } : {}),
  });
  if (source === 'generated') {
    logger.warn('generated a new secret key for private keys at rest; keep it with the database', {
      keyFile,
      hint: 'set MESHDECK_SECRET_KEY (32 bytes, base64) to provide your own',
    });
  } else if (source === 'ephemeral') {
    logger.warn('private keys are encrypted with a key that lives only as long as this process', {
      hint: 'set MESHDECK_SECRET_KEY (32 bytes, base64) to keep them across restarts',
    });
  }

  // Only a key that lives on can be checked against the store (an in-memory store starts empty).
  if (source !== 'ephemeral') checkSecretKeyForStore(db, key, systemClock.now());

  const runner = createJobRunner({
    db,
    clock,
    logger,
    leaseMs: positiveInt(env.MESHDECK_JOB_LEASE_MS, 30_000),
  });

  return {
    clock,
    secretKey: key,
    runner,
    pollMs: positiveInt(env.MESHDECK_JOB_POLL_MS, 1_000),
    backfill() {
      const backend = createBackend(db, clock);
      const hooks = createCertificateHooks({
        certificates: backend.certificates,
        jobs: backend.jobs,
        clock,
      });
      const added = inTransaction(db, () => hooks.backfill(backend.stores));
      if (added.authorities > 0 || added.certificates > 0) {
        logger.info('queued certificates for resources stored before them', added);
      }
    },
  };
}
