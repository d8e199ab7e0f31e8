import { request } from '../../../lib/api-client.ts';

export interface WorkRequestEntry {
  code?: string;
  message: string;
  timestamp: string;
}

/** A work request as `GET /api/work-requests` answers it: the OCI shape plus its log and errors. */
export interface ResourceWorkRequest {
  id: string;
  operationType: string;
  status: string;
  percentComplete: number;
  timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
  logs: WorkRequestEntry[];
  errors: WorkRequestEntry[];
}

export function getResourceWorkRequests(
  resourceId: string,
  signal?: AbortSignal,
): Promise<{ items: ResourceWorkRequest[] }> {
  return request('/api/work-requests', { query: { resourceId }, signal });
}
