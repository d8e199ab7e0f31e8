import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { routeTableQueries, useUpdateRouteTable } from '../api/route-table-queries.ts';
import { RouteTableForm } from '../components/route-table-form.tsx';
import { routeTableFormValues, toRouteTableUpdate } from '../components/route-table-form-schema.ts';

/** `/virtual-service-route-tables/:id/edit`: only changed fields, with if-match. */
export function RouteTableEditPage() {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const query = useQuery(routeTableQueries.detail(id));
  const meshId = query.data?.view.meshId ?? '';
  const choices = useQuery({ ...routeTableQueries.choices(meshId), enabled: meshId !== '' });
  const update = useUpdateRouteTable(id);
  if (query.isPending || (meshId !== '' && choices.isPending)) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view, etag } = query.data;
  const detailPath = `/virtual-service-route-tables/${encodeURIComponent(id)}`;
  return (
    <>
      <PageHeader eyebrow="Edit route table" title={view.name} />
      <RouteTableForm
        key={etag}
        variant="edit"
        id={id}
        services={choices.data?.services ?? []}
        deployments={choices.data?.deployments ?? []}
        defaultValues={routeTableFormValues(view)}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={detailPath}
        onReload={() => {
          update.reset();
          void query.refetch();
        }}
        onSubmit={(values, dirty) => {
          update.mutate(
            { body: toRouteTableUpdate(values, dirty), etag },
            { onSuccess: () => void navigate(detailPath) },
          );
        }}
      />
    </>
  );
}
