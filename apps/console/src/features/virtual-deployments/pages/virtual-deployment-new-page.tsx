import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import {
  useCreateVirtualDeployment,
  virtualDeploymentQueries,
} from '../api/virtual-deployment-queries.ts';
import { VirtualDeploymentForm } from '../components/virtual-deployment-form.tsx';
import {
  emptyVirtualDeploymentFormValues,
  toVirtualDeploymentCreate,
} from '../components/virtual-deployment-form-schema.ts';

/** `/meshes/:meshId/deployments/new?virtualServiceId=` */
export function VirtualDeploymentNewPage() {
  const meshId = useParams().meshId ?? '';
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const services = useQuery(virtualDeploymentQueries.services(meshId));
  const create = useCreateVirtualDeployment();
  const back = `/meshes/${encodeURIComponent(meshId)}/deployments`;
  if (services.isPending) return <LoadingState />;
  if (services.isError) {
    return <ErrorState error={services.error} onRetry={() => void services.refetch()} />;
  }
  const list = services.data.items;
  return (
    <>
      <PageHeader eyebrow="Virtual deployment" title="New virtual deployment" />
      <VirtualDeploymentForm
        variant="create"
        services={list}
        defaultValues={emptyVirtualDeploymentFormValues(search.get('virtualServiceId') ?? '')}
        isPending={create.isPending}
        serverError={create.error}
        cancelTo={back}
        onSubmit={(values) => {
          const service = list.find((s) => s.id === values.virtualServiceId);
          create.mutate(toVirtualDeploymentCreate(values, service?.compartmentId ?? ''), {
            onSuccess: (vd) => void navigate(`/virtual-deployments/${encodeURIComponent(vd.id)}`),
          });
        }}
      />
    </>
  );
}
