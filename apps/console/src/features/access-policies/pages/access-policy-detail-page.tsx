import { useQuery } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { RelatedResources, ResourceFindings } from '../../../components/ui/resource-facts.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import type { AccessPolicyDetail } from '../api/access-policies.api.ts';
import { accessPolicyQueries } from '../api/access-policy-queries.ts';
import { targetText } from '../components/target-text.ts';

/** `workRequestsPanel` shows the policy's work requests (composed in app/router.tsx). */
export function AccessPolicyDetailPage({
  workRequestsPanel,
}: {
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const query = useQuery(accessPolicyQueries.detail(id));
  if (query.isPending) return <LoadingState label="Loading access policy…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <Detail policy={query.data} workRequestsPanel={workRequestsPanel} />;
}

function Detail({
  policy,
  workRequestsPanel,
}: {
  policy: AccessPolicyDetail;
  workRequestsPanel: ((resourceId: string) => ReactNode) | undefined;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const names = new Map(policy.related.map((r) => [r.id, r.name]));
  const meshPath = `/meshes/${encodeURIComponent(policy.meshId)}`;
  const meshName = policy.related.find((r) => r.kind === 'Mesh')?.name ?? 'Mesh';

  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={`${meshPath}/policies`}>{meshName}</Link> / Access policy
          </>
        }
        title={policy.name}
        actions={
          <WriteOnly>
            <Link className="button" to={`/access-policies/${encodeURIComponent(policy.id)}/edit`}>
              Edit
            </Link>
            <DeleteResourceButton
              kind="AccessPolicy"
              id={policy.id}
              name={policy.name}
              etag={policy.etag}
              onDeleted={async () => {
                await navigate(`${meshPath}/policies`);
                // The deleted policy's own queries would only answer 404 now.
                queryClient.removeQueries({
                  queryKey: accessPolicyQueries.detail(policy.id).queryKey,
                });
                await queryClient.invalidateQueries();
              }}
            />
          </WriteOnly>
        }
      >
        <LifecycleBadge state={policy.lifecycleState} />
      </PageHeader>

      {policy.rules.length === 0 ? (
        <Alert tone="warning" title="No rules">
          This policy allows nothing.
        </Alert>
      ) : null}

      <section className="panel" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        <DataTable
          caption={`Rules of ${policy.name}`}
          hideCaption
          rows={policy.rules.map((rule, index) => ({ rule, index }))}
          rowKey={(r) => String(r.index)}
          columns={[
            { key: 'n', header: '#', cell: (r) => r.index + 1 },
            { key: 'action', header: 'Action', cell: (r) => r.rule.action },
            { key: 'source', header: 'Source', cell: (r) => targetText(r.rule.source, names) },
            {
              key: 'destination',
              header: 'Destination',
              cell: (r) => targetText(r.rule.destination, names),
            },
          ]}
        />
      </section>

      <div className="detail-grid">
        <section className="panel" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <dl className="facts">
            <dt>Description</dt>
            <dd>{policy.description || <span className="muted">—</span>}</dd>
            <dt>OCID</dt>
            <dd className="mono">{policy.id}</dd>
            <dt>Compartment</dt>
            <dd className="mono">{policy.compartmentId}</dd>
            <dt>Created</dt>
            <dd>{policy.timeCreated}</dd>
          </dl>
        </section>
        <RelatedResources related={policy.related} />
      </div>

      <ResourceFindings findings={policy.findings} />

      {workRequestsPanel ? (
        <ErrorBoundary title="The work requests failed to show">
          {workRequestsPanel(policy.id)}
        </ErrorBoundary>
      ) : null}

      <OciCallPreview {...ociCallFor('AccessPolicy', 'delete', { id: policy.id })} />
    </>
  );
}
