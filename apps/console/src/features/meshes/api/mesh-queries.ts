import { queryOptions } from '@tanstack/react-query';
import { getMesh, listMeshes } from './meshes.api.ts';

/** The only place mesh query keys are written, generic to specific. */
export const meshQueries = {
  all: () => ['meshes'] as const,
  list: () =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => listMeshes(signal),
    }),
  detail: (meshId: string) =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'detail', meshId] as const,
      queryFn: ({ signal }) => getMesh(meshId, signal),
    }),
};
