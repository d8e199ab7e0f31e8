/**
 * Disk full: the database lives on a 4 MiB tmpfs, a filler file takes the rest. Writes answer a
 * JSON 503 with Retry-After (never 500), reads keep working, jobs pause instead of failing, and
 * once the filler is removed the same write succeeds by itself and its resource becomes ACTIVE.
 * Needs root for `mount -t tmpfs` (CI runs as root); without it the scenario says it did not run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  createMesh,
  field,
  inspect,
  integrityCheck,
  sleep,
  tempDir,
  virtualServiceBody,
  waitActive,
  type Scenario,
} from '../lib.ts';

function fill(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  let bytes = 0;
  try {
    for (;;) bytes += writeSync(fd, chunk);
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export const diskFull: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('full');
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    return {
      pass: true,
      failures: [],
      figures: { method: 'not run: mounting a tmpfs needs root (CI runs as root)' },
    };
  }
  const dbPath = join(mnt, 'meshdeck.db');
  const bff = new Bff({ port: ctx.port(), dbPath });
  try {
    await bff.start();
    const meshId = await createMesh(bff);
    const filler = join(mnt, 'filler');
    const filled = fill(filler);

    const statuses = new Map<number, number>();
    let full: Awaited<ReturnType<typeof call>> | undefined;
    const token = randomBytes(12).toString('hex');
    let body = virtualServiceBody(meshId, 'full-0');
    const acceptedWhileFilling: string[] = [];
    for (let i = 0; i < 300 && !full; i += 1) {
      const res = await call('POST', `${bff.oci}/virtualServices`, {
        body,
        headers: { 'opc-retry-token': `${token}-${i}` },
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) {
        acceptedWhileFilling.push(String(field(res.body, 'id')));
        body = virtualServiceBody(meshId, `full-${i + 1}`);
      } else if (res.status === 503) full = res;
      else break;
    }
    check(
      full !== undefined,
      `no write was refused on a full disk: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    const bad = [...statuses.keys()].filter((s) => s !== 200 && s !== 503);
    check(bad.length === 0, `answers other than 200/503 on a full disk: ${bad.join(', ')}`);
    if (full) {
      check(Number(full.headers.get('retry-after')) > 0, 'the disk-full 503 has no Retry-After');
      check(
        field(full.body, 'code') === 'ServiceUnavailable' &&
          /disk is full/.test(String(field(full.body, 'message'))) &&
          !/sqlite|\/tmp|meshdeck\.db/i.test(String(field(full.body, 'message'))),
        `the disk-full answer is not a plain JSON error: ${JSON.stringify(full.body)}`,
      );
    }
    const read = await call('GET', `${bff.oci}/virtualServices?compartmentId=${COMPARTMENT}`);
    const readMesh = await call('GET', `${bff.oci}/meshes/${meshId}`);
    check(
      read.status === 200 && readMesh.status === 200,
      `reads on a full disk: ${read.status}, ${readMesh.status}`,
    );
    await sleep(3000); // jobs try, pause, try again
    const failedWhileFull = inspect(
      dbPath,
      (db) =>
        db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'FAILED'`).pluck().get() as number,
    );
    check(failedWhileFull === 0, `${failedWhileFull} jobs FAILED while the disk was full`);

    // Free the space: the refused write succeeds on retry without anyone restarting anything.
    rmSync(filler);
    const freedAt = Date.now();
    let recovered: Awaited<ReturnType<typeof call>> | undefined;
    while (Date.now() - freedAt < 30_000) {
      const res = await call('POST', `${bff.oci}/virtualServices`, { body });
      if (res.status === 200) {
        recovered = res;
        break;
      }
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 200);
    }
    const recoverySeconds = Math.round((Date.now() - freedAt) / 100) / 10;
    check(recovered !== undefined, 'writes did not resume within 30 s of freeing space');
    let active = 0;
    for (const id of [
      ...acceptedWhileFilling,
      ...(recovered ? [String(field(recovered.body, 'id'))] : []),
    ]) {
      const ok = await waitActive(bff, 'virtualServices', id, 30_000).then(
        () => true,
        () => false,
      );
      if (ok) active += 1;
    }
    const expectedActive = acceptedWhileFilling.length + (recovered ? 1 : 0);
    check(
      active === expectedActive,
      `${expectedActive - active} accepted writes never became ACTIVE`,
    );
    const failedAfter = inspect(
      dbPath,
      (db) =>
        db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'FAILED'`).pluck().get() as number,
    );
    check(failedAfter === 0, `${failedAfter} jobs FAILED after the disk was freed`);
    const stopCode = await bff.stop();
    const integrity = integrityCheck(dbPath);
    check(integrity === 'ok' && stopCode === 0, `integrity ${integrity}, stop ${stopCode}`);
    return {
      pass: failures.length === 0,
      failures,
      figures: {
        method: 'tmpfs of 4 MiB (mount -t tmpfs) filled by a file',
        fillerBytes: filled,
        answersWhileFull: Object.fromEntries(statuses),
        jobsFailed: failedAfter,
        recoverySeconds,
        integrityCheck: integrity,
      },
    };
  } finally {
    await bff.stop().catch(() => null);
    try {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    } catch {
      // left mounted: the report still stands; the temp folder says where
    }
  }
};
