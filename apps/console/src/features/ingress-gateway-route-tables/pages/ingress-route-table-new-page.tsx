import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import {
  ingressRouteTableQueries,
  useCreateIngressRouteTable,
} from '../api/ingress-route-table-queries.ts';
import { IngressRouteTableForm } from '../components/ingress-route-table-form.tsx';
import {
  emptyIngressRouteTableFormValues,
  toIngressRouteTableCreate,
} from '../components/ingress-route-table-form-schema.ts';

/** `/ingress-gateways/:gatewayId/route-tables/new`. */
export function IngressRouteTableNewPage() {
  const gatewayId = useParams().gatewayId ?? '';
  const navigate = useNavigate();
  const context = useQuery(ingressRouteTableQueries.context(gatewayId));
  const create = useCreateIngressRouteTable();
  const cancelTo = `/ingress-gateways/${encodeURIComponent(gatewayId)}`;
  return (
    <>
      <PageHeader title="New gateway route table" eyebrow="Ingress gateway route tables" />
      {context.isPending ? (
        <LoadingState label="Loading gateway…" />
      ) : context.isError ? (
        <ErrorState error={context.error} onRetry={() => void context.refetch()} />
      ) : (
        <IngressRouteTableForm
          variant="create"
          gateway={context.data.gateway}
          services={context.data.services}
          defaultValues={emptyIngressRouteTableFormValues(
            context.data.gateway.hosts[0]?.name ?? '',
          )}
          isPending={create.isPending}
          serverError={create.error}
          cancelTo={cancelTo}
          onSubmit={(values) =>
            create.mutate(toIngressRouteTableCreate(values, context.data.gateway), {
              onSuccess: (created) =>
                void navigate(`/ingress-gateway-route-tables/${encodeURIComponent(created.id)}`),
            })
          }
        />
      )}
    </>
  );
}
