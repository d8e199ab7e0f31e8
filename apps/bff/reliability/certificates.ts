/** Certificate figures read from the database, for the renewal and clock scenarios. */
import { call, createMesh, inspect, virtualServiceBody, waitActive, type Bff } from './lib.ts';

export const DAY_MS = 86_400_000;

export interface LeafFigures {
  leaves: number;
  /** certificate id → versions issued. */
  versions: Map<string, number>;
  failed: number;
  duplicateSerials: number;
  /** Versions issued after `sinceRowid` whose notBefore is after the given instant. */
  validFromFuture: number;
  /** The newest version's rowid (to look only at versions issued later). */
  lastRowid: number;
  /** Versions whose notBefore is after the clock when they were issued. */
  notBeforeAfterIssue: number;
}

export function leafFigures(dbPath: string, clockNow: Date, sinceRowid = 0): LeafFigures {
  return inspect(dbPath, (db) => {
    const rows = db
      .prepare(
        `SELECT c.id, c.status, COUNT(v.version) AS versions FROM certificates c
         LEFT JOIN certificate_versions v ON v.certificate_id = c.id
         WHERE c.status != 'RETIRED' GROUP BY c.id`,
      )
      .all() as { id: string; status: string; versions: number }[];
    const count = (sql: string, ...params: unknown[]) =>
      db
        .prepare(sql)
        .pluck()
        .get(...params) as number;
    return {
      leaves: rows.length,
      versions: new Map(rows.map((r) => [r.id, r.versions])),
      failed: rows.filter((r) => r.status === 'FAILED').length,
      duplicateSerials: count(
        `SELECT COUNT(*) FROM (SELECT serial_number FROM certificate_versions
           GROUP BY serial_number HAVING COUNT(*) > 1)`,
      ),
      validFromFuture: count(
        `SELECT COUNT(*) FROM certificate_versions WHERE not_before > ? AND rowid > ?`,
        clockNow.toISOString(),
        sinceRowid,
      ),
      lastRowid: count(`SELECT COALESCE(MAX(rowid), 0) FROM certificate_versions`),
      notBeforeAfterIssue: count(
        `SELECT COUNT(*) FROM certificate_versions WHERE not_before > issued_at`,
      ),
    };
  });
}

/** A mesh and `n` virtual services, all ACTIVE (each with its first leaf certificate). */
export async function meshWithServices(bff: Bff, n: number, prefix = 'svc'): Promise<string[]> {
  const meshId = await createMesh(bff);
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const res = await call('POST', `${bff.oci}/virtualServices`, {
      body: virtualServiceBody(meshId, `${prefix}-${i}`),
    });
    if (res.status !== 200) throw new Error(`virtual service create answered ${res.status}`);
    ids.push(String((res.body as { id: string }).id));
  }
  for (const id of ids) await waitActive(bff, 'virtualServices', id);
  return ids;
}
