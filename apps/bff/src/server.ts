import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { openDb } from './db/open-db.ts';
import { seedDemo } from './demo/seed-demo.ts';
import { createJsonLogger } from './logger.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const logger = createJsonLogger();

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const dbPath = process.env.MESHDECK_DB ?? `${repoRoot}data/meshdeck.db`;
const demo = process.env.MESHDECK_DEMO !== '0';
const consoleDir = `${repoRoot}apps/console/dist`;

const db = openDb(dbPath);
if (demo) {
  const seeded = seedDemo(db, systemClock);
  if (seeded) logger.info('seeded the demo mesh', { meshId: seeded.meshId });
}

const app = createApp({
  db,
  clock: systemClock,
  logger,
  config: {
    ...(existsSync(consoleDir) ? { consoleDir } : {}),
    ...(process.env.MESHDECK_PROXY_IMAGE ? { proxyImage: process.env.MESHDECK_PROXY_IMAGE } : {}),
  },
});

const server = app.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  logger.info(`Meshdeck listening on http://${shownHost}:${address.port}`, {
    db: dbPath,
    console: existsSync(consoleDir),
  });
});

// A failure outside a request (there should be none) is logged; the server keeps serving.
process.on('unhandledRejection', (reason) =>
  logger.error('unhandled rejection', { error: reason }),
);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
  }, 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
