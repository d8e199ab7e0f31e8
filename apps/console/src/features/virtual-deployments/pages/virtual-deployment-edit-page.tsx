import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import {
  useUpdateVirtualDeployment,
  virtualDeploymentQueries,
} from '../api/virtual-deployment-queries.ts';
import { VirtualDeploymentForm } from '../components/virtual-deployment-form.tsx';
import {
  toVirtualDeploymentUpdate,
  virtualDeploymentFormValues,
} from '../components/virtual-deployment-form-schema.ts';

/** `/virtual-deployments/:id/edit`: sends only changed fields, with the etag read (if-match). */
export function VirtualDeploymentEditPage() {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const query = useQuery(virtualDeploymentQueries.detail(id));
  const meshId = query.data?.view.meshId ?? '';
  const services = useQuery({
    ...virtualDeploymentQueries.services(meshId),
    enabled: meshId !== '',
  });
  const update = useUpdateVirtualDeployment(id);
  if (query.isPending || (meshId !== '' && services.isPending)) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view, etag } = query.data;
  const detailPath = `/virtual-deployments/${encodeURIComponent(id)}`;
  return (
    <>
      <PageHeader eyebrow="Edit virtual deployment" title={view.name} />
      <VirtualDeploymentForm
        key={etag}
        variant="edit"
        id={id}
        services={services.data?.items ?? []}
        defaultValues={virtualDeploymentFormValues(view)}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={detailPath}
        onReload={() => {
          update.reset();
          void query.refetch();
        }}
        onSubmit={(values, dirty) => {
          update.mutate(
            { body: toVirtualDeploymentUpdate(values, dirty), etag },
            { onSuccess: () => void navigate(detailPath) },
          );
        }}
      />
    </>
  );
}
