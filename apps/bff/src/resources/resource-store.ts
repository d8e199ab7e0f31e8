import type { LifecycleState } from '@meshdeck/domain';
import { prepare, type Db } from '../db/open-db.ts';
import { decodePageToken, encodePageToken, isCursorId, isInstant } from '../http/page-token.ts';

export const RESOURCE_KINDS = [
  'Mesh',
  'VirtualService',
  'VirtualDeployment',
  'VirtualServiceRouteTable',
  'IngressGateway',
  'IngressGatewayRouteTable',
  'AccessPolicy',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Fields every stored resource has: the OCI read fields plus the store's own `etag`/`timeDeleted`. */
export interface BaseRecord {
  id: string;
  compartmentId: string;
  lifecycleState: LifecycleState;
  lifecycleDetails?: string;
  timeCreated: string;
  timeUpdated?: string;
  freeformTags?: Record<string, string>;
  definedTags?: Record<string, Record<string, unknown>>;
  systemTags?: Record<string, Record<string, unknown>>;
  /** Opaque version; changes on every mutation. Never part of the OCI body (sent as a header). */
  etag: string;
  /** When the resource was deleted; DELETED rows stay readable. */
  timeDeleted?: string;
}

export type SqlValue = string | number | bigint | null;
type Row = Record<string, unknown>;

/**
 * How one resource kind is kept: its table, the record field stored in the `name` column, its
 * parent column, and any fields with columns of their own. Everything else goes to `spec` JSON.
 */
export interface StoreDescriptor<R extends BaseRecord> {
  kind: ResourceKind;
  table: string;
  nameField: 'name' | 'displayName';
  parent?: { kind: ResourceKind; column: string; field: string };
  columns?: {
    /** Record fields kept out of `spec`. */
    fields: readonly string[];
    /** The table's extra column names, as toRow returns them. */
    names: readonly string[];
    toRow(record: R): Record<string, SqlValue>;
    fromRow(row: Row): Partial<R>;
  };
}

export type SortBy = 'id' | 'timeCreated' | 'name';
export type SortOrder = 'ASC' | 'DESC';

export interface ListQuery {
  compartmentId: string;
  name?: string;
  id?: string;
  /** Without it DELETED rows are left out (spec §8.8). */
  lifecycleState?: LifecycleState;
  parentId?: string;
  sortBy: SortBy;
  sortOrder: SortOrder;
  limit: number;
  /** Opaque token from a previous page's `nextPage`. */
  page?: string;
}

export interface ListPage<R> {
  items: R[];
  nextPage?: string;
}

export interface ResourceStore<R extends BaseRecord> {
  readonly descriptor: StoreDescriptor<R>;
  get(id: string): R | undefined;
  list(query: ListQuery): ListPage<R>;
  /** Live (not DELETED) rows, optionally only those under the given parents. */
  listLive(filter?: { parentIds?: readonly string[] }): R[];
  findLiveByName(parentId: string | undefined, name: string): R | undefined;
  /** Every row, DELETED ones included. */
  countAll(): number;
  insert(record: R): void;
  replace(record: R): void;
  /** Removes rows DELETED at or before `cutoff` (retention over); returns how many. */
  purgeDeleted(cutoff: string): number;
}

const SORT_COLUMNS: Record<SortBy, string> = {
  id: 'id',
  timeCreated: 'time_created',
  name: 'name',
};

/**
 * A resource list's page token names its table and sort, and carries the last row's sort value
 * and id (http/page-token.ts); a token of another kind or sort, or with a bad value, is refused.
 */
function pageListKey(table: string, sortBy: SortBy, sortOrder: SortOrder): string {
  return `${table}|${sortBy}|${sortOrder}`;
}

function decodeCursor(
  token: string,
  table: string,
  sortBy: SortBy,
  sortOrder: SortOrder,
): { v: string; i: string } {
  const valueCheck =
    sortBy === 'timeCreated' ? isInstant : sortBy === 'id' ? isCursorId : () => true;
  const [v, i] = decodePageToken(token, pageListKey(table, sortBy, sortOrder), [
    valueCheck,
    isCursorId,
  ]) as [string, string];
  return { v, i };
}

/**
 * The one store for all seven resource kinds (docs/decisions/001-resource-store.md): rows in,
 * domain records (camelCase) out. Knows nothing of HTTP or rules; returns undefined when a row is
 * missing.
 */
export function createResourceStore<R extends BaseRecord>(
  db: Db,
  descriptor: StoreDescriptor<R>,
): ResourceStore<R> {
  const { table, nameField, parent, columns } = descriptor;
  const ownFields = new Set<string>([
    'id',
    'compartmentId',
    nameField,
    'lifecycleState',
    'lifecycleDetails',
    'etag',
    'timeCreated',
    'timeUpdated',
    'timeDeleted',
    ...(parent ? [parent.field] : []),
    ...(columns?.fields ?? []),
  ]);
  const extraColumns = columns?.names ?? [];
  const allColumns = [
    'id',
    'compartment_id',
    ...(parent ? [parent.column] : []),
    'name',
    'lifecycle_state',
    'lifecycle_details',
    'etag',
    'time_created',
    'time_updated',
    'time_deleted',
    'spec',
    ...extraColumns,
  ];
  const insertSql = `INSERT INTO ${table} (${allColumns.join(', ')}) VALUES (${allColumns
    .map((c) => `@${c}`)
    .join(', ')})`;
  const updateSql = `UPDATE ${table} SET ${allColumns
    .filter((c) => c !== 'id')
    .map((c) => `${c} = @${c}`)
    .join(', ')} WHERE id = @id`;

  function toRow(record: R): Record<string, SqlValue> {
    const fields = record as unknown as Record<string, unknown>;
    const spec: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (!ownFields.has(key) && value !== undefined) spec[key] = value;
    }
    return {
      id: record.id,
      compartment_id: record.compartmentId,
      ...(parent ? { [parent.column]: fields[parent.field] as string } : {}),
      name: fields[nameField] as string,
      lifecycle_state: record.lifecycleState,
      lifecycle_details: record.lifecycleDetails ?? null,
      etag: record.etag,
      time_created: record.timeCreated,
      time_updated: record.timeUpdated ?? null,
      time_deleted: record.timeDeleted ?? null,
      spec: JSON.stringify(spec),
      ...(columns ? columns.toRow(record) : {}),
    };
  }

  function fromRow(row: Row): R {
    const spec = JSON.parse(row.spec as string) as Record<string, unknown>;
    const record: Record<string, unknown> = {
      id: row.id,
      compartmentId: row.compartment_id,
      ...(parent ? { [parent.field]: row[parent.column] } : {}),
      [nameField]: row.name,
      ...spec,
      lifecycleState: row.lifecycle_state,
      timeCreated: row.time_created,
      etag: row.etag,
    };
    if (row.lifecycle_details != null) record.lifecycleDetails = row.lifecycle_details;
    if (row.time_updated != null) record.timeUpdated = row.time_updated;
    if (row.time_deleted != null) record.timeDeleted = row.time_deleted;
    if (columns) Object.assign(record, columns.fromRow(row));
    return record as unknown as R;
  }

  return {
    descriptor,
    get(id) {
      const row = prepare(db, `SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    list(query) {
      const where: string[] = ['compartment_id = @compartmentId'];
      const params: Record<string, SqlValue> = { compartmentId: query.compartmentId };
      if (query.lifecycleState) {
        where.push('lifecycle_state = @lifecycleState');
        params.lifecycleState = query.lifecycleState;
      } else {
        where.push(`lifecycle_state != 'DELETED'`);
      }
      if (query.name !== undefined) {
        where.push('name = @name');
        params.name = query.name;
      }
      if (query.id !== undefined) {
        where.push('id = @id');
        params.id = query.id;
      }
      if (query.parentId !== undefined && parent) {
        where.push(`${parent.column} = @parentId`);
        params.parentId = query.parentId;
      }
      const column = SORT_COLUMNS[query.sortBy];
      const op = query.sortOrder === 'ASC' ? '>' : '<';
      if (query.page !== undefined) {
        const cursor = decodeCursor(query.page, table, query.sortBy, query.sortOrder);
        params.cursorValue = cursor.v;
        params.cursorId = cursor.i;
        where.push(
          column === 'id'
            ? `id ${op} @cursorId`
            : `(${column} ${op} @cursorValue OR (${column} = @cursorValue AND id ${op} @cursorId))`,
        );
      }
      const order =
        column === 'id'
          ? `id ${query.sortOrder}`
          : `${column} ${query.sortOrder}, id ${query.sortOrder}`;
      const sql = `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit`;
      const rows = prepare(db, sql).all({ ...params, limit: query.limit + 1 }) as Row[];
      const items = rows.slice(0, query.limit).map(fromRow);
      if (rows.length <= query.limit) return { items };
      const last = rows[query.limit - 1] as Row;
      return {
        items,
        nextPage: encodePageToken(pageListKey(table, query.sortBy, query.sortOrder), [
          String(last[column]),
          String(last.id),
        ]),
      };
    },
    listLive(filter = {}) {
      if (filter.parentIds && parent) {
        if (filter.parentIds.length === 0) return [];
        const sql = `SELECT * FROM ${table} WHERE lifecycle_state != 'DELETED' AND ${parent.column} IN (SELECT value FROM json_each(?)) ORDER BY name, id`;
        return (prepare(db, sql).all(JSON.stringify(filter.parentIds)) as Row[]).map(fromRow);
      }
      const sql = `SELECT * FROM ${table} WHERE lifecycle_state != 'DELETED' ORDER BY name, id`;
      return (prepare(db, sql).all() as Row[]).map(fromRow);
    },
    findLiveByName(parentId, name) {
      const row = (
        parent
          ? prepare(
              db,
              `SELECT * FROM ${table} WHERE ${parent.column} = ? AND name = ? AND lifecycle_state != 'DELETED'`,
            ).get(parentId, name)
          : prepare(
              db,
              `SELECT * FROM ${table} WHERE name = ? AND lifecycle_state != 'DELETED'`,
            ).get(name)
      ) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    countAll() {
      return prepare(db, `SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    },
    insert(record) {
      prepare(db, insertSql).run(toRow(record));
    },
    replace(record) {
      prepare(db, updateSql).run(toRow(record));
    },
    purgeDeleted(cutoff) {
      return prepare(
        db,
        `DELETE FROM ${table} WHERE lifecycle_state = 'DELETED' AND time_deleted <= ?`,
      ).run(cutoff).changes;
    },
  };
}
