import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { useCreateAccessPolicy } from '../api/access-policy-mutations.ts';
import { accessPolicyQueries } from '../api/access-policy-queries.ts';
import { AccessPolicyForm } from '../components/access-policy-form.tsx';
import {
  emptyAccessPolicyFormValues,
  toAccessPolicyCreate,
} from '../components/access-policy-form-schema.ts';

export function AccessPolicyNewPage() {
  const meshId = useParams().meshId ?? '';
  const navigate = useNavigate();
  const mesh = useQuery(accessPolicyQueries.mesh(meshId));
  const create = useCreateAccessPolicy();
  const cancelTo = `/meshes/${encodeURIComponent(meshId)}/policies`;
  return (
    <>
      <PageHeader title="New access policy" eyebrow="Access policies" />
      {mesh.isPending ? (
        <LoadingState label="Loading mesh…" />
      ) : mesh.isError ? (
        <ErrorState error={mesh.error} onRetry={() => void mesh.refetch()} />
      ) : (
        <AccessPolicyForm
          variant="create"
          mesh={mesh.data}
          defaultValues={emptyAccessPolicyFormValues()}
          isPending={create.isPending}
          serverError={create.error}
          cancelTo={cancelTo}
          onSubmit={(values) =>
            create.mutate(toAccessPolicyCreate(values, mesh.data), {
              onSuccess: (created) =>
                void navigate(`/access-policies/${encodeURIComponent(created.id)}`),
            })
          }
        />
      )}
    </>
  );
}
