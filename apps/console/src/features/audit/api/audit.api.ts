import type { AuditEventView } from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../../../lib/api-client.ts';

export interface AuditFilters {
  actor?: string;
  kind?: string;
  action?: string;
  meshId?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export const auditQueries = {
  all: () => ['audit'] as const,
  list: (filters: AuditFilters) =>
    queryOptions({
      queryKey: [...auditQueries.all(), filters] as const,
      queryFn: ({ signal }) =>
        request<{ items: AuditEventView[] }>('/api/audit', {
          query: { ...filters },
          signal,
        }),
    }),
};
