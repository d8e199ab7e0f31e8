import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { routeTableQueries, useCreateRouteTable } from '../api/route-table-queries.ts';
import { RouteTableForm } from '../components/route-table-form.tsx';
import {
  emptyRouteTableFormValues,
  toRouteTableCreate,
} from '../components/route-table-form-schema.ts';

/** `/meshes/:meshId/route-tables/new?virtualServiceId=` */
export function RouteTableNewPage() {
  const meshId = useParams().meshId ?? '';
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const choices = useQuery(routeTableQueries.choices(meshId));
  const create = useCreateRouteTable();
  if (choices.isPending) return <LoadingState />;
  if (choices.isError) {
    return <ErrorState error={choices.error} onRetry={() => void choices.refetch()} />;
  }
  const { services, deployments } = choices.data;
  return (
    <>
      <PageHeader eyebrow="Virtual service route table" title="New route table" />
      <RouteTableForm
        variant="create"
        services={services}
        deployments={deployments}
        defaultValues={emptyRouteTableFormValues(search.get('virtualServiceId') ?? '')}
        isPending={create.isPending}
        serverError={create.error}
        cancelTo={`/meshes/${encodeURIComponent(meshId)}/route-tables`}
        onSubmit={(values) => {
          const service = services.find((s) => s.id === values.virtualServiceId);
          create.mutate(toRouteTableCreate(values, service?.compartmentId ?? ''), {
            onSuccess: (rt) =>
              void navigate(`/virtual-service-route-tables/${encodeURIComponent(rt.id)}`),
          });
        }}
      />
    </>
  );
}
