import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { meshQueries, useCreateMesh } from '../api/mesh-queries.ts';
import { MeshForm } from '../components/mesh-form.tsx';
import {
  emptyMeshFormValues,
  NEW_AUTHORITY,
  toMeshCreate,
} from '../components/mesh-form-schema.ts';

/** `/meshes/new` */
export function MeshNewPage() {
  const navigate = useNavigate();
  const authorities = useQuery(meshQueries.authorities());
  const meshes = useQuery(meshQueries.list());
  const create = useCreateMesh();
  if (authorities.isPending || meshes.isPending) return <LoadingState />;
  if (authorities.isError) {
    return <ErrorState error={authorities.error} onRetry={() => void authorities.refetch()} />;
  }
  const compartment = meshes.data?.[0]?.compartmentId ?? authorities.data[0]?.compartmentId ?? '';
  return (
    <>
      <PageHeader eyebrow="Mesh" title="New mesh" />
      <MeshForm
        variant="create"
        authorities={authorities.data}
        defaultValues={emptyMeshFormValues(compartment)}
        isPending={create.isPending}
        serverError={create.error}
        cancelTo="/meshes"
        onSubmit={(values) => {
          create.mutate(
            {
              body: toMeshCreate(values),
              ...(values.certificateAuthorityId === NEW_AUTHORITY
                ? { newAuthorityName: `${values.displayName}-ca` }
                : {}),
            },
            {
              onSuccess: (detail) =>
                void navigate(`/meshes/${encodeURIComponent(detail.mesh.id)}/services`),
            },
          );
        }}
      />
    </>
  );
}
