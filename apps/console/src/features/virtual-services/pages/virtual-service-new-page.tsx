import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { useCreateVirtualService } from '../api/virtual-service-mutations.ts';
import { virtualServiceQueries } from '../api/virtual-service-queries.ts';
import { VirtualServiceForm } from '../components/virtual-service-form.tsx';
import {
  emptyVirtualServiceFormValues,
  toVirtualServiceCreate,
} from '../components/virtual-service-form-schema.ts';

export function VirtualServiceNewPage() {
  const meshId = useParams().meshId ?? '';
  const navigate = useNavigate();
  const meshes = useQuery(virtualServiceQueries.meshChoices());
  const create = useCreateVirtualService();
  const cancelTo = meshId ? `/meshes/${encodeURIComponent(meshId)}/services` : '/meshes';

  return (
    <>
      <PageHeader title="New virtual service" eyebrow="Virtual services" />
      {meshes.isPending ? (
        <LoadingState label="Loading meshes…" />
      ) : meshes.isError ? (
        <ErrorState error={meshes.error} onRetry={() => void meshes.refetch()} />
      ) : (
        <VirtualServiceForm
          variant="create"
          meshes={meshes.data}
          defaultValues={emptyVirtualServiceFormValues(
            meshes.data.some((m) => m.id === meshId) ? meshId : '',
          )}
          isPending={create.isPending}
          serverError={create.error}
          cancelTo={cancelTo}
          onSubmit={(values) => {
            const mesh = meshes.data.find((m) => m.id === values.meshId);
            if (!mesh) return;
            create.mutate(toVirtualServiceCreate(values, mesh), {
              onSuccess: (created) =>
                void navigate(`/virtual-services/${encodeURIComponent(created.id)}`),
            });
          }}
        />
      )}
    </>
  );
}
