import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import {
  ingressRouteTableQueries,
  useUpdateIngressRouteTable,
  type IngressRouteTableView,
  type RouteTableContext,
} from '../api/ingress-route-table-queries.ts';
import { IngressRouteTableForm } from '../components/ingress-route-table-form.tsx';
import {
  toIngressRouteTableFormValues,
  toIngressRouteTableUpdate,
} from '../components/ingress-route-table-form-schema.ts';

type Read = { view: IngressRouteTableView; etag: string | undefined };

export function IngressRouteTableEditPage() {
  const id = useParams().id ?? '';
  const query = useQuery(ingressRouteTableQueries.detail(id));
  const gatewayId = query.data?.view.ingressGatewayId ?? '';
  const context = useQuery({
    ...ingressRouteTableQueries.context(gatewayId),
    enabled: gatewayId !== '',
  });
  if (query.data && context.data) {
    return (
      <EditForm
        key={query.data.view.id}
        opened={query.data}
        context={context.data}
        reload={async () => (await query.refetch()).data}
      />
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (context.isError) {
    return <ErrorState error={context.error} onRetry={() => void context.refetch()} />;
  }
  return <LoadingState label="Loading route table…" />;
}

function EditForm({
  opened,
  context,
  reload,
}: {
  opened: Read;
  context: RouteTableContext;
  reload: () => Promise<Read | undefined>;
}) {
  const navigate = useNavigate();
  const [read, setRead] = useState(opened);
  const table = read.view;
  const update = useUpdateIngressRouteTable(table.id);
  const defaults = useMemo(() => toIngressRouteTableFormValues(table), [table]);
  const detailPath = `/ingress-gateway-route-tables/${encodeURIComponent(table.id)}`;
  return (
    <>
      <PageHeader title={`Edit ${table.name}`} eyebrow="Ingress gateway route tables" />
      <IngressRouteTableForm
        key={read.etag ?? table.id}
        variant="edit"
        gateway={context.gateway}
        services={context.services}
        routeTableId={table.id}
        defaultValues={defaults}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={detailPath}
        onReload={() =>
          void reload().then((latest) => {
            if (!latest) return;
            update.reset();
            setRead(latest);
          })
        }
        onSubmit={(values) => {
          const body = toIngressRouteTableUpdate(values, defaults);
          if (Object.keys(body).length === 0) {
            void navigate(detailPath);
            return;
          }
          update.mutate({ body, etag: read.etag }, { onSuccess: () => void navigate(detailPath) });
        }}
      />
    </>
  );
}
