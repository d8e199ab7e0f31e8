/**
 * Clock jumps (+1 day, −1 hour, +5 min, −5 min) through the test-only MESHDECK_CLOCK_OFFSET_FILE:
 * no renewal happens that was not due (no storm), no certificate is valid from the future, and a
 * final jump past the renewal time renews every leaf exactly once (none skipped).
 */
import { join } from 'node:path';
import { DAY_MS, leafFigures, meshWithServices } from '../certificates.ts';
import {
  Bff,
  call,
  checker,
  field,
  integrityCheck,
  sleep,
  tempDir,
  virtualServiceBody,
  waitActive,
  waitFor,
  writeOffset,
  type Scenario,
} from '../lib.ts';

const HOUR_MS = 3_600_000;
const MIN_MS = 60_000;

export const clockJumps: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('clock');
  const dbPath = join(dir, 'meshdeck.db');
  const offsetFile = join(dir, 'clock-offset');
  writeOffset(offsetFile, 0);
  const bff = new Bff({
    port: ctx.port(),
    dbPath,
    env: { MESHDECK_CLOCK_OFFSET_FILE: offsetFile },
  });
  await bff.start();
  const services = 6;
  const ids = await meshWithServices(bff, services, 'clock');
  const meshId = String(
    field((await call('GET', `${bff.oci}/virtualServices/${ids[0]}`)).body, 'meshId'),
  );
  let offset = 0;
  const jumps: Record<string, unknown>[] = [];
  for (const [label, delta] of [
    ['+1 day', DAY_MS],
    ['-1 hour', -HOUR_MS],
    ['+5 min', 5 * MIN_MS],
    ['-5 min', -5 * MIN_MS],
  ] as const) {
    const before = leafFigures(dbPath, new Date(Date.now() + offset));
    offset += delta;
    writeOffset(offsetFile, offset);
    await sleep(1500); // several job polls
    // A certificate issued under the jumped clock.
    const name = `after-jump-${jumps.length}`;
    const res = await call('POST', `${bff.oci}/virtualServices`, {
      body: virtualServiceBody(meshId, name),
    });
    check(res.status === 200, `create after ${label} answered ${res.status}`);
    if (res.status === 200) await waitActive(bff, 'virtualServices', String(field(res.body, 'id')));
    // Versions issued under the jumped clock must not start after it (older ones may, after a
    // jump back further than the 5-minute backdating: that is the jump, not the issuer).
    const after = leafFigures(dbPath, new Date(Date.now() + offset), before.lastRowid);
    let renewed = 0;
    for (const [id, v] of before.versions) renewed += (after.versions.get(id) ?? 0) - v;
    jumps.push({ jump: label, renewals: renewed, validFromFuture: after.validFromFuture });
    check(renewed === 0, `${label}: ${renewed} renewals that were not due (storm)`);
    check(
      after.validFromFuture === 0,
      `${label}: ${after.validFromFuture} certificates valid from the future`,
    );
    check(
      after.notBeforeAfterIssue === 0,
      `${label}: certificates with notBefore after their issue`,
    );
  }
  // Past every renewal time: each leaf renewed exactly once, none skipped.
  const start = leafFigures(dbPath, new Date(Date.now() + offset));
  offset += 31 * DAY_MS;
  writeOffset(offsetFile, offset);
  await waitFor(
    'every leaf renewed after the jump',
    () => {
      const f = leafFigures(dbPath, new Date(Date.now() + offset));
      return [...start.versions].every(([id, v]) => (f.versions.get(id) ?? 0) > v)
        ? true
        : undefined;
    },
    60_000,
    500,
  ).catch(() => undefined);
  await sleep(1500);
  const end = leafFigures(dbPath, new Date(Date.now() + offset), start.lastRowid);
  let skipped = 0;
  let twice = 0;
  for (const [id, v] of start.versions) {
    const delta = (end.versions.get(id) ?? 0) - v;
    if (delta < 1) skipped += 1;
    if (delta > 1) twice += 1;
  }
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  check(skipped === 0, `${skipped} renewals skipped after +31 days`);
  check(twice === 0, `${twice} leaves renewed more than once after +31 days (storm)`);
  check(end.validFromFuture === 0, `${end.validFromFuture} certificates valid from the future`);
  check(end.duplicateSerials === 0, `${end.duplicateSerials} serials issued twice`);
  check(integrity === 'ok', `integrity_check: ${integrity}`);
  check(stopCode === 0, `the BFF exited with ${stopCode} on SIGTERM`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      clock: 'MESHDECK_CLOCK_OFFSET_FILE (test only)',
      jumps,
      leavesAtFinalJump: start.leaves,
      skippedRenewals: skipped,
      duplicateExecutions: twice + end.duplicateSerials,
      integrityCheck: integrity,
    },
  };
};
