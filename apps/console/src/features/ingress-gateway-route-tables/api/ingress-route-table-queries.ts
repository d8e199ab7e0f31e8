import type {
  IngressGateway,
  IngressGatewayRouteTable,
  IngressGatewayRouteTableCreate,
  IngressGatewayRouteTableUpdate,
  ResourceView,
  VirtualServiceView,
} from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { getResource, listResources } from '../../../lib/resources-api.ts';
import {
  resourceQueries,
  useCreateResource,
  useUpdateResource,
} from '../../../lib/resource-queries.ts';

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

const base = resourceQueries<IngressGatewayRouteTable>(
  'IngressGatewayRouteTable',
  'ingress-gateway-route-tables',
);

/** The only place ingress gateway route table query keys are written. */
export const ingressRouteTableQueries = {
  all: base.all,
  detail: base.detail,
  context: (gatewayId: string) =>
    queryOptions({
      queryKey: [...base.all(), 'context', gatewayId] as const,
      queryFn: ({ signal }) => loadContext(gatewayId, signal),
    }),
};

export const useCreateIngressRouteTable = () =>
  useCreateResource<IngressGatewayRouteTableCreate, IngressRouteTableView>(
    'IngressGatewayRouteTable',
  );

export const useUpdateIngressRouteTable = (id: string) =>
  useUpdateResource<IngressGatewayRouteTableUpdate, IngressRouteTableView>(
    'IngressGatewayRouteTable',
    id,
  );
