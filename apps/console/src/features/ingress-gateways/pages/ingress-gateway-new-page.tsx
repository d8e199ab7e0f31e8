import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { ingressGatewayQueries, useCreateIngressGateway } from '../api/ingress-gateway-queries.ts';
import { IngressGatewayForm } from '../components/ingress-gateway-form.tsx';
import {
  emptyIngressGatewayFormValues,
  toIngressGatewayCreate,
} from '../components/ingress-gateway-form-schema.ts';

export function IngressGatewayNewPage() {
  const meshId = useParams().meshId ?? '';
  const navigate = useNavigate();
  const mesh = useQuery(ingressGatewayQueries.mesh(meshId));
  const create = useCreateIngressGateway();
  const target = mesh.data
    ? { meshId, meshName: mesh.data.displayName, compartmentId: mesh.data.compartmentId }
    : undefined;
  return (
    <>
      <PageHeader title="New ingress gateway" eyebrow="Ingress gateways" />
      {mesh.isError ? (
        <ErrorState error={mesh.error} onRetry={() => void mesh.refetch()} />
      ) : !target ? (
        <LoadingState label="Loading mesh…" />
      ) : (
        <IngressGatewayForm
          variant="create"
          mesh={target}
          defaultValues={emptyIngressGatewayFormValues()}
          isPending={create.isPending}
          serverError={create.error}
          cancelTo={`/meshes/${encodeURIComponent(meshId)}/gateways`}
          onSubmit={(values) =>
            create.mutate(toIngressGatewayCreate(values, target), {
              onSuccess: (created) =>
                void navigate(`/ingress-gateways/${encodeURIComponent(created.id)}`),
            })
          }
        />
      )}
    </>
  );
}
