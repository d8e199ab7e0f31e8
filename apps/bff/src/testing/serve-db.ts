/**
 * A second BFF process on an existing store, for tests that need two processes on one
 * database: `node --import tsx serve-db.ts FILE|URL` (a SQLite file or a PostgreSQL URL) prints its port on stdout and serves until
 * SIGTERM. Unsigned OCI calls, real clock, jobs not run.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import { openDb } from '../db/open-db.ts';
import { silentLogger } from '../logger.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: serve-db.ts FILE');
const db = openDb(dbPath);
const app = createApp({
  db,
  clock: systemClock,
  logger: silentLogger,
  config: { ociAuth: 'none' },
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
