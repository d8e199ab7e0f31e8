import type {
  ResourceView,
  VirtualDeployment,
  VirtualServiceRouteTable,
  VirtualServiceRouteTableCreate,
  VirtualServiceRouteTableUpdate,
  VirtualServiceView,
} from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { listResources } from '../../../lib/resources-api.ts';
import {
  resourceQueries,
  useCreateResource,
  useUpdateResource,
} from '../../../lib/resource-queries.ts';

export type RouteTableView = ResourceView<VirtualServiceRouteTable>;

const base = resourceQueries<VirtualServiceRouteTable>(
  'VirtualServiceRouteTable',
  'virtual-service-route-tables',
);

/** The only place virtual service route table query keys are written. */
export const routeTableQueries = {
  ...base,
  /** Services and deployments of a mesh, for the selects. */
  choices: (meshId: string) =>
    queryOptions({
      queryKey: [...base.all(), 'choices', meshId] as const,
      queryFn: async ({ signal }) => {
        const [services, deployments] = await Promise.all([
          listResources<VirtualServiceView>('VirtualService', { meshId, limit: 200 }, signal),
          listResources<VirtualDeployment>('VirtualDeployment', { meshId, limit: 200 }, signal),
        ]);
        return { services: services.items, deployments: deployments.items };
      },
    }),
};

export const useCreateRouteTable = () =>
  useCreateResource<VirtualServiceRouteTableCreate, RouteTableView>('VirtualServiceRouteTable');

export const useUpdateRouteTable = (id: string) =>
  useUpdateResource<VirtualServiceRouteTableUpdate, RouteTableView>('VirtualServiceRouteTable', id);
