import type {
  ResourceView,
  VirtualDeployment,
  VirtualDeploymentCreate,
  VirtualDeploymentUpdate,
  VirtualServiceView,
} from '@meshdeck/domain';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createResource,
  getResource,
  listResources,
  updateResource,
  type ResourceListQuery,
} from '../../../lib/resources-api.ts';

export type VirtualDeploymentView = ResourceView<VirtualDeployment>;

/** The only place virtual deployment query keys are written, generic to specific. */
export const virtualDeploymentQueries = {
  all: () => ['virtual-deployments'] as const,
  list: (query: ResourceListQuery) =>
    queryOptions({
      queryKey: [...virtualDeploymentQueries.all(), 'list', query] as const,
      queryFn: ({ signal }) => listResources<VirtualDeployment>('VirtualDeployment', query, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...virtualDeploymentQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getResource<VirtualDeploymentView>('VirtualDeployment', id, signal),
    }),
  /** The services of a mesh, for the parent select. */
  services: (meshId: string) =>
    queryOptions({
      queryKey: [...virtualDeploymentQueries.all(), 'services', meshId] as const,
      queryFn: ({ signal }) =>
        listResources<VirtualServiceView>('VirtualService', { meshId, limit: 200 }, signal),
    }),
};

export function useCreateVirtualDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VirtualDeploymentCreate) =>
      createResource<VirtualDeploymentView>('VirtualDeployment', body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useUpdateVirtualDeployment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: VirtualDeploymentUpdate; etag: string | undefined }) =>
      updateResource<VirtualDeploymentView>('VirtualDeployment', id, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
