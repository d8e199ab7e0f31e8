import { prepare, type Db } from '../db/open-db.ts';
import { InvalidParameterError } from '../errors.ts';

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
  compartmentId: string;
  workRequestId?: string;
  resourceId?: string;
  operationStatus?: OperationStatus;
  sortOrder: 'ASC' | 'DESC';
  limit: number;
  page?: string;
}

export interface WorkRequestRepository {
  insert(workRequest: WorkRequest): void;
  get(id: string): WorkRequest | undefined;
  list(query: WorkRequestListQuery): { items: WorkRequest[]; nextPage?: string };
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
    get(id) {
      const row = prepare(db, 'SELECT * FROM work_requests WHERE id = ?').get(id) as
        Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    list(query) {
      const where = ['compartment_id = @compartmentId'];
      const params: Record<string, string | number> = { compartmentId: query.compartmentId };
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
          `EXISTS (SELECT 1 FROM json_each(resources) WHERE json_extract(value, '$.identifier') = @resourceId)`,
        );
        params.resourceId = query.resourceId;
      }
      const op = query.sortOrder === 'ASC' ? '>' : '<';
      if (query.page !== undefined) {
        const [time, id] = decodePage(query.page);
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
        nextPage: Buffer.from(JSON.stringify([last.timeAccepted, last.id])).toString('base64url'),
      };
    },
  };
}

function decodePage(token: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterError('page', 'not a page token of this list');
}
