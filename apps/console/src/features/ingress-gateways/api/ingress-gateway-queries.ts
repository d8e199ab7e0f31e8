import type {
  IngressGateway,
  IngressGatewayCreate,
  IngressGatewayRouteTable,
  IngressGatewayUpdate,
  MeshSummary,
  ResourceView,
} from '@meshdeck/domain';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createResource,
  getResource,
  listResources,
  updateResource,
  type ResourceListQuery,
} from '../../../lib/resources-api.ts';

export type IngressGatewayView = ResourceView<IngressGateway>;

/** The only place ingress gateway query keys are written, generic to specific. */
export const ingressGatewayQueries = {
  all: () => ['ingress-gateways'] as const,
  list: (query: ResourceListQuery) =>
    queryOptions({
      queryKey: [...ingressGatewayQueries.all(), 'list', query] as const,
      queryFn: ({ signal }) => listResources<IngressGateway>('IngressGateway', query, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...ingressGatewayQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getResource<IngressGatewayView>('IngressGateway', id, signal),
    }),
  /** The gateway's route tables, listed on its page. */
  routeTables: (ingressGatewayId: string) =>
    queryOptions({
      queryKey: [...ingressGatewayQueries.all(), 'route-tables', ingressGatewayId] as const,
      queryFn: ({ signal }) =>
        listResources<IngressGatewayRouteTable>(
          'IngressGatewayRouteTable',
          { ingressGatewayId, limit: 200 },
          signal,
        ),
    }),
  /** The mesh a new gateway goes in (its name and compartment). */
  mesh: (meshId: string) =>
    queryOptions({
      queryKey: [...ingressGatewayQueries.all(), 'mesh', meshId] as const,
      queryFn: async ({ signal }) =>
        (await getResource<{ summary: MeshSummary }>('Mesh', meshId, signal)).view.summary,
    }),
};

export function useCreateIngressGateway() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: IngressGatewayCreate) =>
      createResource<IngressGatewayView>('IngressGateway', body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useUpdateIngressGateway(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: IngressGatewayUpdate; etag: string | undefined }) =>
      updateResource<IngressGatewayView>('IngressGateway', id, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
