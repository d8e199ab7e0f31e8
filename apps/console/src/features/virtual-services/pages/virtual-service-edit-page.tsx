import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import type { VirtualServiceDetailView } from '../../../lib/api-views.ts';
import { useUpdateVirtualService } from '../api/virtual-service-mutations.ts';
import { virtualServiceQueries } from '../api/virtual-service-queries.ts';
import type { MeshChoice } from '../api/virtual-services.api.ts';
import { VirtualServiceForm } from '../components/virtual-service-form.tsx';
import {
  toVirtualServiceUpdate,
  type VirtualServiceFormValues,
} from '../components/virtual-service-form-schema.ts';

function toFormValues(vs: VirtualServiceDetailView): VirtualServiceFormValues {
  return {
    meshId: vs.meshId,
    name: vs.name,
    description: vs.description ?? '',
    hosts: (vs.hosts ?? []).map((value) => ({ value })),
    defaultRoutingPolicy: vs.defaultRoutingPolicy?.type ?? 'UNIFORM',
    mode: vs.mtlsView.declared ?? 'INHERIT',
    maximumValidity: vs.mtls?.maximumValidity !== undefined ? String(vs.mtls.maximumValidity) : '',
  };
}

export function VirtualServiceEditPage() {
  const id = useParams().id ?? '';
  const query = useQuery(virtualServiceQueries.detail(id));

  if (query.isPending) return <LoadingState label="Loading virtual service…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Keyed by id: another service gets a fresh form instead of the previous one's values.
  return <EditForm key={`${query.data.id}`} vs={query.data} />;
}

function EditForm({ vs }: { vs: VirtualServiceDetailView }) {
  const navigate = useNavigate();
  const update = useUpdateVirtualService(vs.id);
  const meshChoices = useQuery(virtualServiceQueries.meshChoices());
  const meshName = meshChoices.data?.find((m) => m.id === vs.meshId)?.displayName;

  const defaults = useMemo(() => toFormValues(vs), [vs]);
  const meshes = useMemo<MeshChoice[]>(
    () => [
      {
        id: vs.meshId,
        displayName: meshName ?? vs.meshId,
        compartmentId: vs.compartmentId,
        minimum: vs.meshMinimum,
      },
    ],
    [vs.meshId, vs.compartmentId, vs.meshMinimum, meshName],
  );
  const current = useMemo(
    () => ({ declared: vs.mtlsView.declared, lastChangedAt: vs.mtlsView.lastChangedAt }),
    [vs.mtlsView.declared, vs.mtlsView.lastChangedAt],
  );
  const detailPath = `/virtual-services/${encodeURIComponent(vs.id)}`;

  return (
    <>
      <PageHeader title={`Edit ${vs.name}`} eyebrow="Virtual services" />
      <VirtualServiceForm
        variant="edit"
        meshes={meshes}
        defaultValues={defaults}
        current={current}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={detailPath}
        onSubmit={(values) =>
          update.mutate(toVirtualServiceUpdate(values, defaults), {
            onSuccess: () => void navigate(detailPath),
          })
        }
      />
    </>
  );
}
