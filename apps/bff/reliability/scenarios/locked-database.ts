/**
 * Another process holds the database's write lock for 2 s, then 8 s: a write during the short
 * lock waits and succeeds (busy_timeout 5 s); during the long one it is 503 with Retry-After,
 * never 500; reads keep working; the write then succeeds on retry.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  createMesh,
  field,
  integrityCheck,
  sleep,
  tempDir,
  virtualServiceBody,
  type Scenario,
} from '../lib.ts';

export const lockedDatabase: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('locked');
  const dbPath = join(dir, 'meshdeck.db');
  const setup = new Bff({ port: ctx.port(), dbPath });
  await setup.start();
  const meshId = await createMesh(setup);
  await setup.stop();
  // Then the job runner polls rarely: a claim waiting out the lock would block the event loop
  // first, and the write measured below would only wait the rest of the lock.
  const bff = new Bff({ port: ctx.port(), dbPath, env: { MESHDECK_JOB_POLL_MS: '60000' } });
  await bff.start();
  const other = new Database(dbPath);
  other.pragma('busy_timeout = 10000');

  const holdLock = async (ms: number, during: () => Promise<void>) => {
    other.exec('BEGIN IMMEDIATE');
    const release = sleep(ms).then(() => other.exec('ROLLBACK'));
    try {
      await during();
    } finally {
      await release;
    }
  };

  const figures: Record<string, unknown> = {};
  await sleep(1000); // the runner's first poll is over; nothing else writes
  // 8 s: the write gives up after the busy timeout with 503 + Retry-After.
  const token = randomBytes(12).toString('hex');
  const body = virtualServiceBody(meshId, 'long-lock');
  await holdLock(8000, async () => {
    await sleep(50);
    const write = await call('POST', `${bff.oci}/virtualServices`, {
      body,
      headers: { 'opc-retry-token': token },
    });
    const retryAfter = write.headers.get('retry-after');
    figures.longLock = {
      write: write.status,
      code: field(write.body, 'code'),
      retryAfter,
      writeMs: Math.round(write.ms),
    };
    check(write.status === 503, `write during an 8 s lock answered ${write.status}, not 503`);
    check(retryAfter !== null && Number(retryAfter) > 0, 'the 503 has no Retry-After');
    check(
      field(write.body, 'code') === 'ServiceUnavailable' &&
        !/sqlite|\.db|\/tmp|at /i.test(String(field(write.body, 'message'))),
      `the 503 body is not a plain JSON error: ${JSON.stringify(write.body)}`,
    );
    const read = await call('GET', `${bff.oci}/virtualServices?compartmentId=${COMPARTMENT}`);
    check(read.status === 200, `read during an 8 s lock answered ${read.status}`);
  });
  // 2 s: the write waits for the lock and succeeds.
  await holdLock(2000, async () => {
    const read = await call('GET', `${bff.oci}/meshes/${meshId}`);
    const write = await call('POST', `${bff.oci}/virtualServices`, {
      body: virtualServiceBody(meshId, 'short-lock'),
    });
    figures.shortLock = { read: read.status, write: write.status, writeMs: Math.round(write.ms) };
    check(read.status === 200, `read during a 2 s lock answered ${read.status}`);
    check(write.status === 200, `write during a 2 s lock answered ${write.status}`);
  });
  const retried = await call('POST', `${bff.oci}/virtualServices`, {
    body,
    headers: { 'opc-retry-token': token },
  });
  figures.afterRelease = retried.status;
  check(retried.status === 200, `the retried write after the lock answered ${retried.status}`);
  other.close();
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  check(integrity === 'ok' && stopCode === 0, `integrity ${integrity}, stop ${stopCode}`);
  figures.integrityCheck = integrity;
  return { pass: failures.length === 0, failures, figures };
};
