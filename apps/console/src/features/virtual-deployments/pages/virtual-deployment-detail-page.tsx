import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { RelatedResources, ResourceFindings } from '../../../components/ui/resource-facts.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { virtualDeploymentQueries } from '../api/virtual-deployment-queries.ts';
import { listenersOf } from '../components/virtual-deployment-form-schema.ts';

/** `/virtual-deployments/:id`: facts, findings, related resources and work requests. */
export function VirtualDeploymentDetailPage({
  workRequestsPanel,
}: {
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const query = useQuery(virtualDeploymentQueries.detail(id));
  if (query.isPending) return <LoadingState label="Loading virtual deployment…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view: vd, etag } = query.data;
  const meshPath = `/meshes/${encodeURIComponent(vd.meshId)}`;
  const parent = vd.related.find((r) => r.relation === 'parent');
  const live = vd.lifecycleState !== 'DELETED';
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={`${meshPath}/deployments`}>Deployments</Link> / Virtual deployment
          </>
        }
        title={vd.name}
        actions={
          live ? (
            <WriteOnly>
              <Link
                className="button"
                to={`/virtual-deployments/${encodeURIComponent(vd.id)}/edit`}
              >
                Edit
              </Link>
              <DeleteResourceButton
                kind="VirtualDeployment"
                id={vd.id}
                name={vd.name}
                etag={etag}
                onDeleted={() => navigate(`${meshPath}/deployments`)}
              />
            </WriteOnly>
          ) : null
        }
      >
        <LifecycleBadge state={vd.lifecycleState} />
      </PageHeader>
      <div className="detail-grid">
        <section className="panel" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <dl className="facts">
            <dt>Virtual service</dt>
            <dd>
              {parent ? (
                <Link to={`/virtual-services/${encodeURIComponent(parent.id)}`}>{parent.name}</Link>
              ) : (
                vd.virtualServiceId
              )}
            </dd>
            <dt>Description</dt>
            <dd>{vd.description || <span className="muted">none</span>}</dd>
            <dt>Service discovery</dt>
            <dd>
              {vd.serviceDiscovery?.type === 'DNS'
                ? `DNS ${vd.serviceDiscovery.hostname}`
                : 'DISABLED'}
            </dd>
            <dt>Listeners</dt>
            <dd>
              {listenersOf(vd).length === 0 ? (
                <span className="muted">none</span>
              ) : (
                <ul className="related-list">
                  {listenersOf(vd).map((l, i) => (
                    <li key={i}>
                      {l.protocol} port {l.port}
                      {l.requestTimeoutInMs !== undefined
                        ? `, request timeout ${l.requestTimeoutInMs} ms`
                        : ''}
                      {l.idleTimeoutInMs !== undefined
                        ? `, idle timeout ${l.idleTimeoutInMs} ms`
                        : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Access logging</dt>
            <dd>{vd.accessLogging?.isEnabled ? 'on' : 'off'}</dd>
            <dt>Id</dt>
            <dd className="mono">{vd.id}</dd>
          </dl>
        </section>
        <ResourceFindings findings={vd.findings} />
        <RelatedResources related={vd.related} />
      </div>
      {workRequestsPanel ? workRequestsPanel(vd.id) : null}
    </>
  );
}
