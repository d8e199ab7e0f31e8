import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { authConfigFromEnv } from './auth/auth-env.ts';
import { systemClock } from './clock.ts';
import { isPostgresUrl, openDb, type Db } from './db/open-db.ts';
import { redactUrl } from './db/postgres.ts';
import { seedDemo } from './demo/seed-demo.ts';
import {
  admissionOptionsFromEnv,
  createAdmission,
  type AdmissionOptions,
} from './http/overload.ts';
import { bootJobs } from './jobs/boot.ts';
import { createJsonLogger } from './logger.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const logger = createJsonLogger();

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const dbPath = process.env.MESHDECK_DB ?? `${repoRoot}data/meshdeck.db`;
const demo = process.env.MESHDECK_DEMO !== '0';
// The built console; MESHDECK_CONSOLE_DIR serves another build (e.g. one per working copy).
const consoleDir = process.env.MESHDECK_CONSOLE_DIR ?? `${repoRoot}apps/console/dist`;
const ociAuth = process.env.MESHDECK_OCI_AUTH ?? 'signature';
if (ociAuth !== 'signature' && ociAuth !== 'none') {
  logger.error('MESHDECK_OCI_AUTH must be signature or none', { value: ociAuth });
  process.exit(1);
}
const retentionText = process.env.MESHDECK_DELETED_RETENTION_SECONDS;
const retentionSeconds = retentionText === undefined ? undefined : Number(retentionText);
if (
  retentionSeconds !== undefined &&
  !(Number.isInteger(retentionSeconds) && retentionSeconds > 0)
) {
  logger.error('MESHDECK_DELETED_RETENTION_SECONDS must be a whole number of seconds', {
    value: retentionText,
  });
  process.exit(1);
}

let db: Db;
try {
  db = openDb(dbPath);
} catch (error) {
  // PostgreSQL unreachable, a wrong password, a database that does not exist: say so in one line.
  logger.error('could not open the store', {
    db: isPostgresUrl(dbPath) || /:\/\/|=/.test(dbPath) ? redactUrl(dbPath) : dbPath,
    reason: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
}
let jobs: ReturnType<typeof bootJobs>;
try {
  jobs = bootJobs({ db, dbPath, demo, logger, env: process.env });
} catch (error) {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
if (demo && db.dialect === 'postgres') {
  logger.warn(
    'demo mode on PostgreSQL: the demo clock is read at start, so replicas do not share its moves; set MESHDECK_DEMO=0 for replicas',
  );
}
if (demo) {
  const seeded = seedDemo(db, jobs.clock);
  if (seeded) logger.info('seeded the demo mesh', { meshId: seeded.meshId });
}
jobs.backfill();

const app = createApp({
  db,
  clock: jobs.clock,
  wallClock: systemClock,
  logger,
  runner: jobs.runner,
  config: {
    ociAuth,
    demo,
    secretKey: jobs.secretKey,
    ...(retentionSeconds !== undefined
      ? { resourceLifecycle: { deletedRetentionMs: retentionSeconds * 1000 } }
      : {}),
    ...(existsSync(consoleDir) ? { consoleDir } : {}),
    ...(process.env.MESHDECK_PROXY_IMAGE ? { proxyImage: process.env.MESHDECK_PROXY_IMAGE } : {}),
    ...authConfigFromEnv(process.env),
  },
});

let admissionOptions: AdmissionOptions;
try {
  admissionOptions = admissionOptionsFromEnv(process.env);
} catch (error) {
  logger.error((error as Error).message);
  process.exit(1);
}
const admission = createAdmission(admissionOptions);
let stopping = false;
const handle = admission.wrap(app);
// While stopping, every answer closes its connection, so keep-alive clients move on at once.
const server = createServer((req, res) => {
  if (stopping) res.setHeader('connection', 'close');
  handle(req, res);
});
server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  logger.info(`Meshdeck listening on http://${shownHost}:${address.port}`, {
    db: db.name,
    engine: db.dialect,
    console: existsSync(consoleDir),
  });
});
jobs.runner.start(jobs.pollMs);

// A failure outside a request (there should be none) is logged; the server keeps serving.
process.on('unhandledRejection', (reason) =>
  logger.error('unhandled rejection', { error: reason }),
);

/**
 * Graceful stop (SIGTERM, SIGINT): stop accepting connections, let the requests in flight finish
 * (at most `MESHDECK_STOP_TIMEOUT_MS`, default 10 s), let the job runs in flight settle (their
 * leases and steps are committed rows, so nothing is half done), checkpoint the WAL into the
 * database file, close it, exit 0.
 */
const stopTimeoutMs = Number(process.env.MESHDECK_STOP_TIMEOUT_MS ?? 10_000);
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(
    () => server.closeAllConnections(),
    Number.isFinite(stopTimeoutMs) && stopTimeoutMs > 0 ? stopTimeoutMs : 10_000,
  );
  force.unref();
  void drained
    .then(() => jobs.runner.stop())
    .then(() => {
      admission.close();
      try {
        if (db.dialect === 'sqlite') db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (error) {
        logger.warn('could not checkpoint the WAL at stop; it is replayed at the next start', {
          error,
        });
      }
      db.close();
      logger.info('stopped', { signal });
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger.error('stop failed', { error });
      process.exit(1);
    });
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
