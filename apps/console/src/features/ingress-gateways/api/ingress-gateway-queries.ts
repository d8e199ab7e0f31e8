import type {
  IngressGateway,
  IngressGatewayCreate,
  IngressGatewayRouteTable,
  IngressGatewayUpdate,
  MeshSummary,
  ResourceView,
} from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { getResource, listResources } from '../../../lib/resources-api.ts';
import {
  resourceQueries,
  useCreateResource,
  useUpdateResource,
} from '../../../lib/resource-queries.ts';

export type IngressGatewayView = ResourceView<IngressGateway>;

const base = resourceQueries<IngressGateway>('IngressGateway', 'ingress-gateways');

/** The only place ingress gateway query keys are written, generic to specific. */
export const ingressGatewayQueries = {
  ...base,
  /** The gateway's route tables, listed on its page. */
  routeTables: (ingressGatewayId: string) =>
    queryOptions({
      queryKey: [...base.all(), 'route-tables', ingressGatewayId] as const,
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
      queryKey: [...base.all(), 'mesh', meshId] as const,
      queryFn: async ({ signal }) =>
        (await getResource<{ summary: MeshSummary }>('Mesh', meshId, signal)).view.summary,
    }),
};

export const useCreateIngressGateway = () =>
  useCreateResource<IngressGatewayCreate, IngressGatewayView>('IngressGateway');

export const useUpdateIngressGateway = (id: string) =>
  useUpdateResource<IngressGatewayUpdate, IngressGatewayView>('IngressGateway', id);
