import type {
  ResourceView,
  VirtualDeployment,
  VirtualServiceRouteTable,
  VirtualServiceRouteTableCreate,
  VirtualServiceRouteTableUpdate,
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

export type RouteTableView = ResourceView<VirtualServiceRouteTable>;

/** The only place virtual service route table query keys are written. */
export const routeTableQueries = {
  all: () => ['virtual-service-route-tables'] as const,
  list: (query: ResourceListQuery) =>
    queryOptions({
      queryKey: [...routeTableQueries.all(), 'list', query] as const,
      queryFn: ({ signal }) =>
        listResources<VirtualServiceRouteTable>('VirtualServiceRouteTable', query, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...routeTableQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getResource<RouteTableView>('VirtualServiceRouteTable', id, signal),
    }),
  /** Services and deployments of a mesh, for the selects. */
  choices: (meshId: string) =>
    queryOptions({
      queryKey: [...routeTableQueries.all(), 'choices', meshId] as const,
      queryFn: async ({ signal }) => {
        const [services, deployments] = await Promise.all([
          listResources<VirtualServiceView>('VirtualService', { meshId, limit: 200 }, signal),
          listResources<VirtualDeployment>('VirtualDeployment', { meshId, limit: 200 }, signal),
        ]);
        return { services: services.items, deployments: deployments.items };
      },
    }),
};

export function useCreateRouteTable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VirtualServiceRouteTableCreate) =>
      createResource<RouteTableView>('VirtualServiceRouteTable', body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useUpdateRouteTable(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      body,
      etag,
    }: {
      body: VirtualServiceRouteTableUpdate;
      etag: string | undefined;
    }) => updateResource<RouteTableView>('VirtualServiceRouteTable', id, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
