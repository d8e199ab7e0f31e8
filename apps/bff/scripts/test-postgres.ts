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
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

function libpqLoads(): boolean {
  try {
    createRequire(import.meta.url)('libpq');
    return true;
  } catch {
    return false;
  }
}

if (!libpqLoads()) {
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
} finally {
  stop();
}
process.exit(failed ? 1 : 0);
