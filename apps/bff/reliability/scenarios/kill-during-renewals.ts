/**
 * kill -9 while certificate renewals run: the clock jumps past every leaf's renewal time, the
 * process is killed at random instants, and after the restarts each leaf has exactly one new
 * version — no renewal skipped, none applied twice, every serial unique.
 */
import { join } from 'node:path';
import { DAY_MS, leafFigures, meshWithServices } from '../certificates.ts';
import {
  Bff,
  checker,
  inspect,
  integrityCheck,
  jobsResumed,
  sleep,
  tempDir,
  waitFor,
  writeOffset,
  type Scenario,
} from '../lib.ts';

export const killDuringRenewals: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('renew');
  const dbPath = join(dir, 'meshdeck.db');
  const offsetFile = join(dir, 'clock-offset');
  writeOffset(offsetFile, 0);
  const bff = new Bff({
    port: ctx.port(),
    dbPath,
    env: { MESHDECK_CLOCK_OFFSET_FILE: offsetFile },
  });
  await bff.start();
  const services = ctx.full ? 40 : 12;
  await meshWithServices(bff, services);
  const before = leafFigures(dbPath, new Date());
  check(before.leaves === services, `expected ${services} leaves, found ${before.leaves}`);

  // 31 days on: every 45-day leaf (renewed at 30 days) is due at once.
  const offset = 31 * DAY_MS;
  writeOffset(offsetFile, offset);
  const targetKills = ctx.full ? 6 : 2;
  let kills = 0;
  while (kills < targetKills) {
    // The first kill lands while the renewals run (the clock file is read every 100 ms, the
    // runner polls every 200 ms); later ones at random in the restarted process.
    await sleep((kills === 0 ? 250 : 150) + Math.floor(Math.random() * 400));
    await bff.kill9();
    kills += 1;
    await bff.start();
  }
  const renewed = await waitFor(
    'every leaf renewed',
    () => {
      const f = leafFigures(dbPath, new Date(Date.now() + offset));
      return [...f.versions.values()].every((v) => v >= 2) ? f : undefined;
    },
    90_000,
    500,
  ).catch(() => leafFigures(dbPath, new Date(Date.now() + offset)));
  // A little longer: a storm would show as third versions.
  await sleep(1500);
  const after = leafFigures(dbPath, new Date(Date.now() + offset));
  const wrongCounts = [...after.versions.values()].filter((v) => v !== 2).length;
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  const resumed = inspect(dbPath, jobsResumed);
  void renewed;

  check(
    wrongCounts === 0,
    `${wrongCounts} leaves do not have exactly 2 versions (one renewal each)`,
  );
  check(after.duplicateSerials === 0, `${after.duplicateSerials} serials issued twice`);
  check(after.failed === 0, `${after.failed} certificates FAILED`);
  check(integrity === 'ok', `integrity_check: ${integrity}`);
  check(stopCode === 0, `the BFF exited with ${stopCode} on SIGTERM`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      kills,
      leaves: after.leaves,
      renewals: [...after.versions.values()].reduce((a, v) => a + v - 1, 0),
      lostWrites: wrongCounts,
      duplicateExecutions:
        after.duplicateSerials + [...after.versions.values()].filter((v) => v > 2).length,
      jobsResumed: resumed,
      integrityCheck: integrity,
    },
  };
};
