import { useQuery, type QueryObserverResult } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import { useUpdateVirtualService } from '../api/virtual-service-mutations.ts';
import { virtualServiceQueries } from '../api/virtual-service-queries.ts';
import type { MeshChoice, VirtualServiceDetail } from '../api/virtual-services.api.ts';
import { VirtualServiceForm } from '../components/virtual-service-form.tsx';
import {
  toVirtualServiceUpdate,
  type VirtualServiceFormValues,
} from '../components/virtual-service-form-schema.ts';

function toFormValues(vs: VirtualServiceDetail): VirtualServiceFormValues {
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

  // Once open, the form stays: a failed background refetch must not throw away the user's edits.
  if (query.data) {
    // Keyed by id: another service gets a fresh form instead of the previous one's values.
    return <EditForm key={query.data.id} opened={query.data} reload={() => query.refetch()} />;
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <LoadingState label="Loading virtual service…" />;
}

function EditForm({
  opened,
  reload,
}: {
  opened: VirtualServiceDetail;
  reload: () => Promise<QueryObserverResult<VirtualServiceDetail>>;
}) {
  const navigate = useNavigate();
  // The version the user is editing. A background refetch of the query must not swap it (and its
  // etag) under their edits: the save would then overwrite a change they never saw. Only Reload
  // moves the form to a newer version.
  const [vs, setVs] = useState(opened);
  const [isReloading, setIsReloading] = useState(false);
  const [reloadError, setReloadError] = useState<unknown>(null);
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

  const onReload = async () => {
    setIsReloading(true);
    const latest = await reload();
    setIsReloading(false);
    if (latest.isSuccess) {
      setReloadError(null);
      update.reset();
      setVs(latest.data);
    } else {
      setReloadError(latest.error);
    }
  };

  return (
    <>
      <PageHeader title={`Edit ${vs.name}`} eyebrow="Virtual services" />
      {reloadError ? (
        <Alert title="Could not reload the virtual service">{errorMessage(reloadError)}</Alert>
      ) : null}
      <VirtualServiceForm
        // A new version remounts the form: every field starts again from the latest values.
        key={vs.etag ?? vs.timeUpdated ?? vs.id}
        variant="edit"
        meshes={meshes}
        defaultValues={defaults}
        current={current}
        isPending={update.isPending}
        serverError={update.error}
        onReload={() => void onReload()}
        isReloading={isReloading}
        cancelTo={detailPath}
        onSubmit={(values, dirtyFields) => {
          const body = toVirtualServiceUpdate(values, dirtyFields);
          if (Object.keys(body).length === 0) {
            void navigate(detailPath);
            return;
          }
          update.mutate({ body, etag: vs.etag }, { onSuccess: () => void navigate(detailPath) });
        }}
      />
    </>
  );
}
