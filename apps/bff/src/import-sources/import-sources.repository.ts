import { prepare, type Db } from '../db/open-db.ts';
import type { ResourceKind } from '../resources/resource-store.ts';

/** Where an import took a resource from: the operator document that created it. */
export interface ImportSource {
  resourceId: string;
  kind: ResourceKind;
  /** `metadata.namespace`; '' when the document had none. */
  namespace: string;
  /** `metadata.name`, the name other documents use in `ref.name`. */
  sourceName: string;
  importedAt: string;
}

/** The `import_sources` table (migration 0002): provenance of imported resources. */
export interface ImportSourcesRepository {
  /** Records where a resource came from; call in the transaction that creates it. */
  record(source: ImportSource): void;
  /** Every resource of `kind` created from a document with this metadata.name (live or not). */
  findByName(kind: ResourceKind, sourceName: string): ImportSource[];
  /** The sources of these resources, by resource id (resources without one are left out). */
  forResources(resourceIds: readonly string[]): Map<string, ImportSource>;
}

type Row = Record<string, string>;

function fromRow(row: Row): ImportSource {
  return {
    resourceId: row.resource_id as string,
    kind: row.kind as ResourceKind,
    namespace: row.namespace as string,
    sourceName: row.source_name as string,
    importedAt: row.imported_at as string,
  };
}

export function createImportSourcesRepository(db: Db): ImportSourcesRepository {
  return {
    record(source) {
      prepare(
        db,
        `INSERT INTO import_sources (resource_id, kind, namespace, source_name, imported_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(source.resourceId, source.kind, source.namespace, source.sourceName, source.importedAt);
    },
    findByName(kind, sourceName) {
      const rows = prepare(
        db,
        `SELECT * FROM import_sources WHERE kind = ? AND source_name = ? ORDER BY imported_at, resource_id`,
      ).all(kind, sourceName) as Row[];
      return rows.map(fromRow);
    },
    forResources(resourceIds) {
      if (resourceIds.length === 0) return new Map();
      const rows = prepare(
        db,
        'SELECT * FROM import_sources WHERE resource_id IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(resourceIds)) as Row[];
      return new Map(rows.map((r) => [r.resource_id as string, fromRow(r)]));
    },
  };
}
