import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { meshQueries, useUpdateMesh } from '../api/mesh-queries.ts';
import { MeshForm } from '../components/mesh-form.tsx';
import { meshFormValues, toMeshUpdate } from '../components/mesh-form-schema.ts';

/** `/meshes/:meshId/edit`: name and description, with if-match. */
export function MeshEditPage() {
  const meshId = useParams().meshId ?? '';
  const navigate = useNavigate();
  const query = useQuery(meshQueries.detail(meshId));
  const authorities = useQuery(meshQueries.authorities());
  const update = useUpdateMesh(meshId);
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { mesh, etag } = query.data;
  const base = `/meshes/${encodeURIComponent(meshId)}`;
  return (
    <>
      <PageHeader eyebrow="Edit mesh" title={mesh.displayName} />
      <MeshForm
        key={etag}
        variant="edit"
        id={meshId}
        authorities={authorities.data ?? []}
        defaultValues={meshFormValues(mesh)}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={`${base}/services`}
        mtlsTo={`${base}/mtls`}
        onReload={() => {
          update.reset();
          void query.refetch();
        }}
        onSubmit={(values, dirty) => {
          update.mutate(
            { body: toMeshUpdate(values, dirty), etag },
            { onSuccess: () => void navigate(`${base}/services`) },
          );
        }}
      />
    </>
  );
}
