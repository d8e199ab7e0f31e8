import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { toast } from '../components/ui/toaster.tsx';
import { errorMessage, isApiError } from '../lib/api-error.ts';
import { meshQueries } from '../features/meshes/api/mesh-queries.ts';
import { topologyQueries } from '../features/topology/api/topology-queries.ts';

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // Pages show their own error state on a failed first load; a toast is only for a failed
      // background refetch over data already on screen (STYLE "Error shape").
      onError: (error, query) => {
        if (query.state.data !== undefined) toast(`Could not refresh: ${errorMessage(error)}`);
      },
    }),
    mutationCache: new MutationCache({
      // Features invalidate their own keys; any write can also change mesh counts and the graph,
      // and only the app knows both features.
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: meshQueries.all() }),
          queryClient.invalidateQueries({ queryKey: topologyQueries.all() }),
        ]),
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not get better by asking again.
        retry: (failureCount, error) =>
          failureCount < 2 && !(isApiError(error) && error.status < 500),
      },
    },
  });
  return queryClient;
}
