/**
 * The PostgreSQL server the benchmarks measure the store on, beside SQLite (issue #11): the
 * server at `MESHDECK_BENCH_POSTGRES` (a `postgres://` URL) when set, else a throwaway cluster of
 * its own on a free loopback port (src/testing/postgres-cluster.ts), removed again by `stop()`.
 *
 * Every measurement gets a fresh, empty schema (`fresh`): its URL names the schema as the
 * connection's search path, so the same string works for `openDb` in the bench's process and as
 * `MESHDECK_DB` of a server it spawns. The schema is dropped again by `drop()`.
 */
import { randomBytes } from 'node:crypto';
import { libpqAvailable, PostgresDb, withConnectionOptions } from '../src/db/postgres.ts';
import { findPostgresBin, startPostgresCluster } from '../src/testing/postgres-cluster.ts';

/** What the PostgreSQL rows say when the server binaries are not on this machine. */
export const POSTGRES_NOT_INSTALLED =
  'not run: PostgreSQL not installed (apt-get install postgresql)';
/** What they say when the libpq binding (an optional dependency) did not build. */
export const LIBPQ_NOT_BUILT =
  'not run: the libpq binding is not built (apt-get install libpq-dev, then npm rebuild libpq)';

export interface BenchPostgres {
  /** Where the server is, for the table: e.g. "PostgreSQL 15.18, a throwaway cluster on loopback". */
  description: string;
  /** A fresh, empty schema; `settings` are server settings for its connections (`-c name=value`). */
  fresh(label: string, settings?: Record<string, string>): { url: string; drop(): void };
  stop(): void;
}

/** The server to measure on, or why the PostgreSQL rows are not run. */
export async function openBenchPostgres(): Promise<BenchPostgres | { notRun: string }> {
  if (!libpqAvailable()) return { notRun: LIBPQ_NOT_BUILT };
  const given = process.env.MESHDECK_BENCH_POSTGRES || undefined;
  if (!given && !findPostgresBin()) return { notRun: POSTGRES_NOT_INSTALLED };
  const cluster = given ? undefined : await startPostgresCluster();
  const serverUrl = given ?? cluster!.url;
  let admin: PostgresDb;
  try {
    admin = new PostgresDb(serverUrl);
  } catch (error) {
    cluster?.stop();
    throw error;
  }
  const version = admin.prepare('SHOW server_version').pluck().get() as string;
  const where = cluster ? 'a throwaway cluster on loopback' : 'MESHDECK_BENCH_POSTGRES';
  const schemas = new Set<string>();
  const dropSchema = (schema: string) => {
    if (!schemas.delete(schema) || !admin.open) return;
    admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  };
  return {
    description: `PostgreSQL ${version.split(' ')[0]} (${where})`,
    fresh(label, settings = {}) {
      const schema = `bench_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
      admin.exec(`CREATE SCHEMA ${schema}`);
      schemas.add(schema);
      const options = [`-c search_path=${schema}`];
      for (const [name, value] of Object.entries(settings)) options.push(`-c ${name}=${value}`);
      return { url: withConnectionOptions(serverUrl, options), drop: () => dropSchema(schema) };
    },
    stop() {
      try {
        for (const schema of [...schemas]) dropSchema(schema);
        admin.close();
      } finally {
        cluster?.stop();
      }
    },
  };
}
