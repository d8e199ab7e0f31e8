import type { ReachabilityQuery, ReachabilityTrace } from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { request } from '../../../lib/api-client.ts';

export function getReachability(
  meshId: string,
  question: ReachabilityQuery,
  signal?: AbortSignal,
): Promise<ReachabilityTrace> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(question)) if (v) q.set(k, v);
  return request<ReachabilityTrace>(
    `/api/meshes/${encodeURIComponent(meshId)}/reachability?${q.toString()}`,
    { signal },
  );
}

export const reachabilityQueries = {
  all: () => ['reachability'] as const,
  trace: (meshId: string, question: ReachabilityQuery) =>
    queryOptions({
      queryKey: [...reachabilityQueries.all(), meshId, question] as const,
      queryFn: ({ signal }) => getReachability(meshId, question, signal),
      retry: false,
    }),
};
