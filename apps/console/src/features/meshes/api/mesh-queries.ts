import type { MeshCreate, MeshUpdate } from '@meshdeck/domain';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ResourceListQuery } from '../../../lib/resources-api.ts';
import {
  createCertificateAuthority,
  createMesh,
  getMesh,
  listCertificateAuthorities,
  listMeshes,
  listMeshPage,
  updateMesh,
} from './meshes.api.ts';

/** The only place mesh query keys are written, generic to specific. */
export const meshQueries = {
  all: () => ['meshes'] as const,
  list: () =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => listMeshes(signal),
    }),
  page: (query: ResourceListQuery) =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'page', query] as const,
      queryFn: ({ signal }) => listMeshPage(query, signal),
    }),
  detail: (meshId: string) =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'detail', meshId] as const,
      queryFn: ({ signal }) => getMesh(meshId, signal),
    }),
  authorities: () =>
    queryOptions({
      queryKey: [...meshQueries.all(), 'authorities'] as const,
      queryFn: ({ signal }) => listCertificateAuthorities(signal),
    }),
};

/** A new CA first when asked (`newAuthorityName`), then the mesh naming it. */
export function useCreateMesh() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      body,
      newAuthorityName,
    }: {
      body: MeshCreate;
      newAuthorityName?: string;
    }) => {
      if (newAuthorityName === undefined) return createMesh(body);
      const ca = await createCertificateAuthority({
        compartmentId: body.compartmentId,
        name: newAuthorityName,
      });
      return createMesh({ ...body, certificateAuthorities: [{ id: ca.id }] });
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useUpdateMesh(meshId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: MeshUpdate; etag: string | undefined }) =>
      updateMesh(meshId, body, etag),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
