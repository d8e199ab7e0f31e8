/**
 * `node --import tsx apps/bff/reliability/durability-cost.ts`: what synchronous=FULL costs
 * against NORMAL on this machine's disk (docs/decisions/008-durability.md). Times small write
 * transactions like the BFF's (three rows: a resource, a work request, a retry token) through
 * openDb.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inTransaction, openDb } from '../src/db/open-db.ts';

const COMMITS = Number(process.argv[2] ?? 2000);

function measure(synchronous: 'FULL' | 'NORMAL'): { perSecond: number; p50Us: number } {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-sync-'));
  const db = openDb(join(dir, 'meshdeck.db'), { synchronous });
  db.exec('CREATE TABLE cost (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)');
  const insert = db.prepare('INSERT INTO cost (a, b, c) VALUES (?, ?, ?)');
  const payload = 'x'.repeat(400);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < COMMITS; i += 1) {
    const t0 = performance.now();
    inTransaction(db, () => {
      insert.run(payload, payload, payload);
      insert.run(payload, payload, payload);
      insert.run(payload, payload, payload);
    });
    times.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((x, y) => x - y);
  return {
    perSecond: Math.round(COMMITS / seconds),
    p50Us: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 1000),
  };
}

const rows: Record<string, unknown>[] = [];
for (let round = 0; round < 3; round += 1) {
  for (const mode of ['NORMAL', 'FULL'] as const) rows.push({ round, mode, ...measure(mode) });
}
console.table(rows);
