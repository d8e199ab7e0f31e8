import { queryOptions } from '@tanstack/react-query';
import { getMeshServices, getVirtualService, listMeshChoices } from './virtual-services.api.ts';

/** The only place virtual-service query keys are written, generic to specific (STYLE step 6). */
export const virtualServiceQueries = {
  all: () => ['virtual-services'] as const,
  lists: () => [...virtualServiceQueries.all(), 'list'] as const,
  list: (filters: { meshId: string }) =>
    queryOptions({
      queryKey: [...virtualServiceQueries.lists(), filters] as const,
      queryFn: ({ signal }) => getMeshServices(filters.meshId, signal),
    }),
  details: () => [...virtualServiceQueries.all(), 'detail'] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...virtualServiceQueries.details(), id] as const,
      queryFn: ({ signal }) => getVirtualService(id, signal),
    }),
  meshChoices: () =>
    queryOptions({
      queryKey: [...virtualServiceQueries.all(), 'mesh-choices'] as const,
      queryFn: ({ signal }) => listMeshChoices(signal),
    }),
};
