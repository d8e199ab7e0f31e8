import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import type { AccessPolicyDetail, PolicyMesh } from '../api/access-policies.api.ts';
import { useUpdateAccessPolicy } from '../api/access-policy-mutations.ts';
import { accessPolicyQueries } from '../api/access-policy-queries.ts';
import { AccessPolicyForm } from '../components/access-policy-form.tsx';
import {
  toAccessPolicyFormValues,
  toAccessPolicyUpdate,
} from '../components/access-policy-form-schema.ts';

export function AccessPolicyEditPage() {
  const id = useParams().id ?? '';
  const query = useQuery(accessPolicyQueries.detail(id));
  const meshId = query.data?.meshId ?? '';
  const mesh = useQuery({ ...accessPolicyQueries.mesh(meshId), enabled: meshId !== '' });
  if (query.data && mesh.data) {
    return (
      <EditForm
        key={query.data.id}
        opened={query.data}
        mesh={mesh.data}
        reload={async () => (await query.refetch()).data}
      />
    );
  }
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (mesh.isError) return <ErrorState error={mesh.error} onRetry={() => void mesh.refetch()} />;
  return <LoadingState label="Loading access policy…" />;
}

function EditForm({
  opened,
  mesh,
  reload,
}: {
  opened: AccessPolicyDetail;
  mesh: PolicyMesh;
  reload: () => Promise<AccessPolicyDetail | undefined>;
}) {
  const navigate = useNavigate();
  // The version being edited; only Reload moves to a newer one (its etag goes with the save).
  const [policy, setPolicy] = useState(opened);
  const update = useUpdateAccessPolicy(policy.id);
  const defaults = useMemo(() => toAccessPolicyFormValues(policy), [policy]);
  const detailPath = `/access-policies/${encodeURIComponent(policy.id)}`;
  return (
    <>
      <PageHeader title={`Edit ${policy.name}`} eyebrow="Access policies" />
      <AccessPolicyForm
        key={policy.etag ?? policy.id}
        variant="edit"
        mesh={mesh}
        policyId={policy.id}
        defaultValues={defaults}
        isPending={update.isPending}
        serverError={update.error}
        cancelTo={detailPath}
        onReload={() =>
          void reload().then((latest) => {
            if (!latest) return;
            update.reset();
            setPolicy(latest);
          })
        }
        onSubmit={(values) => {
          const body = toAccessPolicyUpdate(values, defaults);
          if (Object.keys(body).length === 0) {
            void navigate(detailPath);
            return;
          }
          update.mutate(
            { body, etag: policy.etag },
            { onSuccess: () => void navigate(detailPath) },
          );
        }}
      />
    </>
  );
}
