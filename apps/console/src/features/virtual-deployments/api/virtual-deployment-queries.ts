import type {
  ResourceView,
  VirtualDeployment,
  VirtualDeploymentCreate,
  VirtualDeploymentUpdate,
  VirtualServiceView,
} from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { listResources } from '../../../lib/resources-api.ts';
import {
  resourceQueries,
  useCreateResource,
  useUpdateResource,
} from '../../../lib/resource-queries.ts';

export type VirtualDeploymentView = ResourceView<VirtualDeployment>;

const base = resourceQueries<VirtualDeployment>('VirtualDeployment', 'virtual-deployments');

/** The only place virtual deployment query keys are written, generic to specific. */
export const virtualDeploymentQueries = {
  ...base,
  /** The services of a mesh, for the parent select. */
  services: (meshId: string) =>
    queryOptions({
      queryKey: [...base.all(), 'services', meshId] as const,
      queryFn: ({ signal }) =>
        listResources<VirtualServiceView>('VirtualService', { meshId, limit: 200 }, signal),
    }),
};

export const useCreateVirtualDeployment = () =>
  useCreateResource<VirtualDeploymentCreate, VirtualDeploymentView>('VirtualDeployment');

export const useUpdateVirtualDeployment = (id: string) =>
  useUpdateResource<VirtualDeploymentUpdate, VirtualDeploymentView>('VirtualDeployment', id);
