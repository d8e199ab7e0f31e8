import { createHash } from 'node:crypto';
import { prepare, type Db } from '../db/open-db.ts';
import { decodePageToken, encodePageToken, isCursorId, isInstant } from '../http/page-token.ts';

export const OPERATION_STATUSES = [
  'ACCEPTED',
  'IN_PROGRESS',
  'WAITING',
  'NEEDS_ATTENTION',
  'FAILED',
  'SUCCEEDED',
  'CANCELING',
  'CANCELED',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** Statuses after which nothing changes; `timeFinished` is set on each (spec §8.7). */
export const TERMINAL_STATUSES: readonly OperationStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

export type ActionType = 'CREATED' | 'UPDATED' | 'DELETED' | 'IN_PROGRESS' | 'RELATED' | 'FAILED';

export interface WorkRequestResource {
  entityType: string;
  actionType: ActionType;
  identifier: string;
  entityUri?: string;
}

/** WorkRequest as the OCI API returns it (spec §3.8). */
export interface WorkRequest {
  id: string;
  operationType: string;
  status: OperationStatus;
  compartmentId: string;
  resources: WorkRequestResource[];
  percentComplete: number;
  timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
}

export interface WorkRequestListQuery {
  /** Required on the OCI face; the console lists a resource's work requests across compartments. */
  compartmentId?: string;
  workRequestId?: string;
  resourceId?: string;
  operationStatus?: OperationStatus;
  sortOrder: 'ASC' | 'DESC';
  limit: number;
  page?: string;
}

/** WorkRequestError (`code` set) or WorkRequestLogEntry, spec §3.8. */
export interface WorkRequestEntry {
  code?: string;
  message: string;
  timestamp: string;
}

export type WorkRequestEntryKind = 'LOG' | 'ERROR';

export interface WorkRequestEntryQuery {
  sortOrder: 'ASC' | 'DESC';
  limit: number;
  page?: string;
}

export type WorkRequestPatch = Partial<
  Pick<WorkRequest, 'status' | 'percentComplete' | 'timeStarted' | 'timeFinished' | 'resources'>
>;

export interface WorkRequestRepository {
  insert(workRequest: WorkRequest): void;
  get(id: string): WorkRequest | undefined;
  list(query: WorkRequestListQuery): { items: WorkRequest[]; nextPage?: string };
  /** Applies a change and returns the work request as it now is. */
  update(id: string, patch: WorkRequestPatch): WorkRequest;
  log(id: string, message: string, timestamp: string): void;
  error(id: string, code: string, message: string, timestamp: string): void;
  entries(
    id: string,
    kind: WorkRequestEntryKind,
    query: WorkRequestEntryQuery,
  ): { items: WorkRequestEntry[]; nextPage?: string };
}

/** The work request's version for `etag`/`if-match`: it changes whenever anything in it does. */
export function workRequestEtag(workRequest: WorkRequest): string {
  return createHash('sha256').update(JSON.stringify(workRequest)).digest('hex').slice(0, 32);
}

type Row = Record<string, unknown>;

function fromRow(row: Row): WorkRequest {
  return {
    id: row.id as string,
    operationType: row.operation_type as string,
    status: row.status as OperationStatus,
    compartmentId: row.compartment_id as string,
    resources: JSON.parse(row.resources as string) as WorkRequestResource[],
    percentComplete: row.percent_complete as number,
    timeAccepted: row.time_accepted as string,
    ...(row.time_started != null ? { timeStarted: row.time_started as string } : {}),
    ...(row.time_finished != null ? { timeFinished: row.time_finished as string } : {}),
  };
}

export function createWorkRequestRepository(db: Db): WorkRequestRepository {
  const get = (id: string): WorkRequest | undefined => {
    const row = prepare(db, 'SELECT * FROM work_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  };
  return {
    insert(wr) {
      prepare(
        db,
        `INSERT INTO work_requests (id, compartment_id, operation_type, status, percent_complete,
           time_accepted, time_started, time_finished, resources)
         VALUES (@id, @compartmentId, @operationType, @status, @percentComplete,
           @timeAccepted, @timeStarted, @timeFinished, @resources)`,
      ).run({
        id: wr.id,
        compartmentId: wr.compartmentId,
        operationType: wr.operationType,
        status: wr.status,
        percentComplete: wr.percentComplete,
        timeAccepted: wr.timeAccepted,
        timeStarted: wr.timeStarted ?? null,
        timeFinished: wr.timeFinished ?? null,
        resources: JSON.stringify(wr.resources),
      });
    },
    get,
    update(id, patch) {
      const current = get(id);
      if (!current) throw new Error(`work request ${id} not found`);
      const next: WorkRequest = { ...current, ...patch };
      prepare(
        db,
        `UPDATE work_requests SET status = @status, percent_complete = @percentComplete,
           time_started = @timeStarted, time_finished = @timeFinished, resources = @resources
         WHERE id = @id`,
      ).run({
        id,
        status: next.status,
        percentComplete: next.percentComplete,
        timeStarted: next.timeStarted ?? null,
        timeFinished: next.timeFinished ?? null,
        resources: JSON.stringify(next.resources),
      });
      return next;
    },
    log(id, message, timestamp) {
      prepare(
        db,
        `INSERT INTO work_request_entries (work_request_id, kind, message, timestamp)
         VALUES (?, 'LOG', ?, ?)`,
      ).run(id, message, timestamp);
    },
    error(id, code, message, timestamp) {
      prepare(
        db,
        `INSERT INTO work_request_entries (work_request_id, kind, code, message, timestamp)
         VALUES (?, 'ERROR', ?, ?, ?)`,
      ).run(id, code, message, timestamp);
    },
    entries(id, kind, query) {
      const op = query.sortOrder === 'ASC' ? '>' : '<';
      const params: Record<string, string | number> = { id, kind, limit: query.limit + 1 };
      let after = '';
      if (query.page !== undefined) {
        const [time, seq] = decodePageToken(query.page, entriesListKey(id, kind), [
          isInstant,
          (part) => /^\d{1,15}$/.test(part),
        ]) as [string, string];
        after = `AND (timestamp ${op} @time OR (timestamp = @time AND id ${op} @seq))`;
        params.time = time;
        params.seq = Number(seq);
      }
      const rows = prepare(
        db,
        `SELECT * FROM work_request_entries WHERE work_request_id = @id AND kind = @kind ${after}
         ORDER BY timestamp ${query.sortOrder}, id ${query.sortOrder} LIMIT @limit`,
      ).all(params) as Row[];
      const page = rows.slice(0, query.limit);
      const items = page.map((row) => ({
        ...(row.code != null ? { code: row.code as string } : {}),
        message: row.message as string,
        timestamp: row.timestamp as string,
      }));
      const last = page[page.length - 1];
      if (rows.length <= query.limit || !last) return { items };
      return {
        items,
        nextPage: encodePageToken(entriesListKey(id, kind), [
          String(last.timestamp),
          String(last.id),
        ]),
      };
    },
    list(query) {
      const where = ['1 = 1'];
      const params: Record<string, string | number> = {};
      if (query.compartmentId !== undefined) {
        where.push('compartment_id = @compartmentId');
        params.compartmentId = query.compartmentId;
      }
      if (query.workRequestId !== undefined) {
        where.push('id = @workRequestId');
        params.workRequestId = query.workRequestId;
      }
      if (query.operationStatus !== undefined) {
        where.push('status = @status');
        params.status = query.operationStatus;
      }
      if (query.resourceId !== undefined) {
        where.push(
          db.dialect === 'postgres'
            ? `EXISTS (SELECT 1 FROM jsonb_array_elements(CAST(resources AS jsonb)) AS r(value)
                 WHERE r.value ->> 'identifier' = @resourceId)`
            : `EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.identifier') = @resourceId)`,
        );
        params.resourceId = query.resourceId;
      }
      const op = query.sortOrder === 'ASC' ? '>' : '<';
      if (query.page !== undefined) {
        const [time, id] = decodePageToken(query.page, WORK_REQUESTS_LIST, [
          isInstant,
          isCursorId,
        ]) as [string, string];
        where.push(`(time_accepted ${op} @time OR (time_accepted = @time AND id ${op} @id))`);
        params.time = time;
        params.id = id;
      }
      const rows = prepare(
        db,
        `SELECT * FROM work_requests WHERE ${where.join(' AND ')}
         ORDER BY time_accepted ${query.sortOrder}, id ${query.sortOrder} LIMIT @limit`,
      ).all({ ...params, limit: query.limit + 1 }) as Row[];
      const items = rows.slice(0, query.limit).map(fromRow);
      const last = items[items.length - 1];
      if (rows.length <= query.limit || !last) return { items };
      return {
        items,
        nextPage: encodePageToken(WORK_REQUESTS_LIST, [last.timeAccepted, last.id]),
      };
    },
  };
}

/** Page tokens name their list (http/page-token.ts): work requests, or one's logs or errors. */
const WORK_REQUESTS_LIST = 'workRequests';

function entriesListKey(workRequestId: string, kind: string): string {
  return `workRequests|${workRequestId}|${kind}`;
}
