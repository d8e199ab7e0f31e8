import type { Finding, FindingCode } from '@meshdeck/domain';
import { prepare, type Db } from '../db/open-db.ts';

export type StoredFinding = Finding & { resourceId: string };

/** Findings kept with a resource: warnings found on write, flags set at import. */
export interface FindingsRepository {
  /** Replaces the resource's findings whose code is in `codes` with `findings`. */
  replace(resourceId: string, codes: readonly FindingCode[], findings: readonly Finding[]): void;
  add(resourceId: string, findings: readonly Finding[]): void;
  listFor(resourceIds: readonly string[]): StoredFinding[];
}

export function createFindingsRepository(db: Db): FindingsRepository {
  const add = (resourceId: string, findings: readonly Finding[]) => {
    const insert = prepare(
      db,
      'INSERT INTO findings (resource_id, code, severity, message, path) VALUES (?, ?, ?, ?, ?)',
    );
    for (const f of findings) insert.run(resourceId, f.code, f.severity, f.message, f.path);
  };
  return {
    replace(resourceId, codes, findings) {
      prepare(
        db,
        'DELETE FROM findings WHERE resource_id = ? AND code IN (SELECT value FROM json_each(?))',
      ).run(resourceId, JSON.stringify(codes));
      add(resourceId, findings);
    },
    add,
    listFor(resourceIds) {
      if (resourceIds.length === 0) return [];
      const rows = prepare(
        db,
        `SELECT resource_id, code, severity, message, path FROM findings
         WHERE resource_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ).all(JSON.stringify(resourceIds)) as Record<string, string>[];
      return rows.map((r) => ({
        resourceId: r.resource_id as string,
        code: r.code as FindingCode,
        severity: r.severity as Finding['severity'],
        message: r.message as string,
        path: r.path as string,
      }));
    },
  };
}
