/**
 * `npm run test:postgres` (part of `npm test`): the BFF's store, API and job suites again, on
 * PostgreSQL, then the multi-replica test (three BFF processes on one database, one killed
 * mid-sweep).
 *
 * The server: `MESHDECK_TEST_POSTGRES=postgres://user@host:port/db` when set (each test works in a
 * schema of its own there and drops it); else a throwaway server made from the PostgreSQL binaries
 * of this machine (Debian: `apt-get install postgresql libpq-dev`). With neither, the suites do not
 * run, and this says so loudly — and fails under CI (`CI` set), where they must run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runMultiReplica } from '../reliability/multi-replica.ts';
import { libpqAvailable } from '../src/db/postgres.ts';
import { findPostgresBin, startPostgresCluster } from '../src/testing/postgres-cluster.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function notRun(reason: string): never {
  const lines = [
    '',
    '================================================================================',
    ` PostgreSQL suites DID NOT RUN: ${reason}`,
    ' To run them: install PostgreSQL (Debian: apt-get install postgresql libpq-dev,',
    ' then npm rebuild libpq) or point MESHDECK_TEST_POSTGRES at a server you own',
    ' (postgres://user@host:port/db; tests make and drop schemas of their own there),',
    ' then run: npm run test:postgres',
    '================================================================================',
    '',
  ];
  process.stderr.write(lines.join('\n'));
  process.exit(process.env.CI ? 1 : 0);
}

if (!libpqAvailable()) {
  notRun('the libpq binding is not built (PostgreSQL client headers were missing at npm install)');
}

let url = process.env.MESHDECK_TEST_POSTGRES;
let stop = (): void => {};
if (!url) {
  if (!findPostgresBin()) notRun('no PostgreSQL server binaries on this machine');
  const cluster = await startPostgresCluster();
  process.stderr.write(`test:postgres: throwaway PostgreSQL server at ${cluster.url}\n`);
  url = cluster.url;
  stop = () => cluster.stop();
}
const env = { ...process.env, MESHDECK_TEST_POSTGRES: url };

let failed = false;
try {
  const suites = spawnSync('npx', ['vitest', 'run', '--project', 'bff'], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  });
  if (suites.status !== 0) failed = true;
  process.stderr.write('test:postgres: three replicas on one database, one killed mid-sweep\n');
  const report = await runMultiReplica({ url, log: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(
    `test:postgres: multi-replica ${report.pass ? 'passed' : 'FAILED'}: ${report.acknowledgedWrites} acknowledged writes, ${report.lostWrites} lost; ${report.dueCertificates} due renewals, ${report.renewedOnce} renewed once, ${report.duplicateRenewals} duplicated, ${report.missedRenewals} missed\n`,
  );
  for (const failure of report.failures) process.stderr.write(`  - ${failure}\n`);
  if (!report.pass) failed = true;
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
