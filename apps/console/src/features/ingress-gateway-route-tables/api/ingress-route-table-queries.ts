import type {
  IngressGateway,
  IngressGatewayRouteTable,
  IngressGatewayRouteTableCreate,
  IngressGatewayRouteTableUpdate,
  ResourceView,
  VirtualServiceView,
} from '@meshdeck/domain';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createResource,
  getResource,
  listResources,
  updateResource,
} from '../../../lib/resources-api.ts';

export type IngressRouteTableView = ResourceView<IngressGatewayRouteTable>;

/** What the form needs: the gateway (its hosts, mesh, compartment) and the mesh's services. */
export interface RouteTableContext {
  gateway: ResourceView<IngressGateway>;
  services: { id: string; name: string }[];
}

async function loadContext(gatewayId: string, signal?: AbortSignal): Promise<RouteTableContext> {
  const { view: gateway } = await getResource<ResourceView<IngressGateway>>(
    'IngressGateway',
    gatewayId,
    signal,
  );
  const services = await listResources<VirtualServiceView>(
    'VirtualService',
    { meshId: gateway.meshId, limit: 200 },
    signal,
  );
  return { gateway, services: services.items.map((s) => ({ id: s.id, name: s.name })) };
}

/** The only place ingress gateway route table query keys are written. */
export const ingressRouteTableQueries = {
  all: () => ['ingress-gateway-route-tables'] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...ingressRouteTableQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) =>
        getResource<IngressRouteTableView>('IngressGatewayRouteTable', id, signal),
    }),
  context: (gatewayId: string) =>
    queryOptions({
      queryKey: [...ingressRouteTableQueries.all(), 'context', gatewayId] as const,
      queryFn: ({ signal }) => loadContext(gatewayId, signal),
    }),
};

export function useCreateIngressRouteTable() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: IngressGatewayRouteTableCreate) =>
      createResource<IngressRouteTableView>('IngressGatewayRouteTable', body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useUpdateIngressRouteTable(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      body,
      etag,
    }: {
      body: IngressGatewayRouteTableUpdate;
      etag: string | undefined;
    }) => updateResource<IngressRouteTableView>('IngressGatewayRouteTable', id, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
