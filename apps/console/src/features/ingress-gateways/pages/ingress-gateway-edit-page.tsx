import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import {
  ingressGatewayQueries,
  useUpdateIngressGateway,
  type IngressGatewayView,
} from '../api/ingress-gateway-queries.ts';
import { IngressGatewayForm } from '../components/ingress-gateway-form.tsx';
import {
  toIngressGatewayFormValues,
  toIngressGatewayUpdate,
} from '../components/ingress-gateway-form-schema.ts';

type Read = { view: IngressGatewayView; etag: string | undefined };

export function IngressGatewayEditPage() {
  const id = useParams().id ?? '';
  const query = useQuery(ingressGatewayQueries.detail(id));
  if (query.data) {
    return (
      <EditForm
        key={query.data.view.id}
        opened={query.data}
        reload={async () => (await query.refetch()).data}
      />
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <LoadingState label="Loading ingress gateway…" />;
}

function EditForm({ opened, reload }: { opened: Read; reload: () => Promise<Read | undefined> }) {
  const navigate = useNavigate();
  // The version being edited; only Reload moves to a newer one (its etag goes with the save).
  const [read, setRead] = useState(opened);
  const gw = read.view;
  const update = useUpdateIngressGateway(gw.id);
  const defaults = useMemo(() => toIngressGatewayFormValues(gw), [gw]);
  const detailPath = `/ingress-gateways/${encodeURIComponent(gw.id)}`;
  const meshName = gw.related.find((r) => r.kind === 'Mesh')?.name ?? gw.meshId;
  return (
    <>
      <PageHeader title={`Edit ${gw.name}`} eyebrow="Ingress gateways" />
      <IngressGatewayForm
        key={read.etag ?? gw.id}
        variant="edit"
        mesh={{ meshId: gw.meshId, meshName, compartmentId: gw.compartmentId }}
        gatewayId={gw.id}
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
          const body = toIngressGatewayUpdate(values, defaults);
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
