import { queryOptions } from '@tanstack/react-query';
import { getTopology } from './topology.api.ts';

/** Changes made elsewhere (another tab, the OCI API) show up within one interval (case B2). */
export const TOPOLOGY_REFRESH_MS = 5000;

export const topologyQueries = {
  all: () => ['topology'] as const,
  detail: (meshId: string) =>
    queryOptions({
      queryKey: [...topologyQueries.all(), meshId] as const,
      queryFn: ({ signal }) => getTopology(meshId, signal),
      refetchInterval: TOPOLOGY_REFRESH_MS,
    }),
};
