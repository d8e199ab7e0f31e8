import type { ConsoleResourceKind, ResourceView } from '@meshdeck/domain';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createResource,
  getResource,
  listResources,
  updateResource,
  type ResourceListQuery,
} from './resources-api.ts';

/**
 * The list/detail query keys and fetchers of one resource kind, generic to specific:
 * `[keyRoot]`, `[keyRoot, 'list', query]`, `[keyRoot, 'detail', id]`.
 * `T` is the resource as listed; a detail is its `ResourceView<T>` and etag.
 */
export function resourceQueries<T>(kind: ConsoleResourceKind, keyRoot: string) {
  const all = () => [keyRoot] as const;
  return {
    all,
    list: (query: ResourceListQuery) =>
      queryOptions({
        queryKey: [...all(), 'list', query] as const,
        queryFn: ({ signal }) => listResources<T>(kind, query, signal),
      }),
    detail: (id: string) =>
      queryOptions({
        queryKey: [...all(), 'detail', id] as const,
        queryFn: ({ signal }) => getResource<ResourceView<T>>(kind, id, signal),
      }),
  };
}

/** Creates a resource of `kind`; every write changes other views too, so all queries are invalidated. */
export function useCreateResource<Body, View>(kind: ConsoleResourceKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => createResource<View>(kind, body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

/** Changes only the fields in `body` of resource `id` (412 when `etag` is stale); invalidates all queries. */
export function useUpdateResource<Body, View>(kind: ConsoleResourceKind, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: Body; etag: string | undefined }) =>
      updateResource<View>(kind, id, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
