import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL server for the PostgreSQL suites, the multi-replica test and the
 * benchmarks: `initdb` into a temporary folder, `pg_ctl start` on a free loopback port, trust
 * authentication for the local user `postgres`, removed again by `stop()`. It needs the server
 * binaries (Debian: `apt-get install postgresql`); `findPostgresBin()` says whether they are here.
 */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  dataDir: string;
  /** Another database on the same server (created when missing). */
  database(name: string): string;
  stop(): void;
}

/** The folder holding `initdb` and `pg_ctl` (newest installed version), or undefined. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env.MESHDECK_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgresCluster(
  options: { maxConnections?: number } = {},
): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries not found (Debian: apt-get install postgresql; or set MESHDECK_PG_BIN)',
    );
  }
  const user = asServerUser();
  const dataDir = mkdtempSync(join(tmpdir(), 'meshdeck-pg-'));
  if (user.uid !== undefined) chownSync(dataDir, user.uid, user.gid!);
  const run = (command: string, args: string[]) =>
    execFileSync(join(bin, command), args, { ...user, stdio: 'pipe', encoding: 'utf8' });
  run('initdb', ['-D', join(dataDir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    join(dataDir, 'data'),
    '-l',
    join(dataDir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 300}`,
    'start',
  ]);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const created = new Set<string>(['postgres']);
  let stopped = false;
  return {
    url: `${base}/postgres`,
    port,
    dataDir,
    database(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name: ${name}`);
      if (!created.has(name)) {
        execFileSync(
          join(bin, 'createdb'),
          ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name],
          {
            stdio: 'pipe',
          },
        );
        created.add(name);
      }
      return `${base}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', join(dataDir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
