import type { DeploymentListener, VirtualDeployment } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import type { VirtualServiceDetailView } from '@meshdeck/domain';
import { virtualServiceQueries } from '../api/virtual-service-queries.ts';
import type { MeshServices, VirtualServiceDetail } from '../api/virtual-services.api.ts';
import { FindingsPanel } from '../components/findings-panel.tsx';

/**
 * `certificatePanel` shows the service's certificate and `workRequestsPanel` its work requests
 * (both composed in app/router.tsx).
 */
export function VirtualServiceDetailPage({
  certificatePanel,
  workRequestsPanel,
}: {
  certificatePanel?: (certificateId: string) => ReactNode;
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const query = useQuery(virtualServiceQueries.detail(id));
  if (query.isPending) return <LoadingState label="Loading virtual service…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Detail
      vs={query.data}
      certificatePanel={certificatePanel}
      workRequestsPanel={workRequestsPanel}
    />
  );
}

function Detail({
  vs,
  certificatePanel,
  workRequestsPanel,
}: {
  vs: VirtualServiceDetail;
  certificatePanel?: ((certificateId: string) => ReactNode) | undefined;
  workRequestsPanel?: ((resourceId: string) => ReactNode) | undefined;
}) {
  const navigate = useNavigate();
  const related = useQuery(virtualServiceQueries.list({ meshId: vs.meshId }));
  const meshPath = `/meshes/${encodeURIComponent(vs.meshId)}`;
  const { mtlsView } = vs;

  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={`${meshPath}/services`}>{related.data?.meshName ?? 'Mesh'}</Link> / Virtual
            service
          </>
        }
        title={vs.name}
        actions={
          <WriteOnly>
            <Link className="button" to={`/virtual-services/${encodeURIComponent(vs.id)}/edit`}>
              Edit
            </Link>
            <DeleteResourceButton
              kind="VirtualService"
              id={vs.id}
              name={vs.name}
              etag={vs.etag}
              onDeleted={() => navigate(`${meshPath}/services`)}
            />
          </WriteOnly>
        }
      >
        <MtlsBadge mode={mtlsView.effective} inherited={mtlsView.inherited} />
      </PageHeader>

      <div className="detail-grid">
        <section className="panel" aria-labelledby="mtls-heading">
          <h2 id="mtls-heading">mTLS</h2>
          <dl className="facts">
            <dt>Declared</dt>
            <dd>
              {mtlsView.declared ?? (
                <span>
                  unset <span className="muted">(inherits the mesh minimum)</span>
                </span>
              )}
            </dd>
            <dt>Effective</dt>
            <dd>
              <MtlsBadge mode={mtlsView.effective} inherited={mtlsView.inherited} />
            </dd>
            <dt>Mesh minimum</dt>
            <dd>
              <MtlsBadge mode={vs.meshMinimum} />
            </dd>
            <dt>Last mode change</dt>
            <dd>{mtlsView.lastChangedAt ?? <span className="muted">never</span>}</dd>
            <dt>Maximum validity</dt>
            <dd>
              {vs.mtls?.maximumValidity !== undefined ? (
                `${vs.mtls.maximumValidity} days`
              ) : (
                <span className="muted">default (45 days)</span>
              )}
            </dd>
            <dt>Certificate</dt>
            <dd className="mono">{vs.mtls?.certificateId ?? '—'}</dd>
          </dl>
        </section>

        <section className="panel" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <LifecycleBadge state={vs.lifecycleState} />
            </dd>
            <dt>Hosts</dt>
            <dd>
              {vs.hosts && vs.hosts.length > 0 ? (
                <ul className="plain-list mono">
                  {vs.hosts.map((h) => (
                    <li key={h}>{h}</li>
                  ))}
                </ul>
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
            <dt>Default routing</dt>
            <dd>{vs.defaultRoutingPolicy?.type ?? '—'}</dd>
            <dt>Description</dt>
            <dd>{vs.description || <span className="muted">—</span>}</dd>
            <dt>OCID</dt>
            <dd className="mono">{vs.id}</dd>
            <dt>Created</dt>
            <dd>{vs.timeCreated}</dd>
          </dl>
        </section>
      </div>

      {certificatePanel && vs.mtls?.certificateId ? (
        <ErrorBoundary title="The certificate failed to show">
          {certificatePanel(vs.mtls.certificateId)}
        </ErrorBoundary>
      ) : null}

      {workRequestsPanel ? (
        <ErrorBoundary title="The work requests failed to show">
          {workRequestsPanel(vs.id)}
        </ErrorBoundary>
      ) : null}

      <ErrorBoundary title="Deployments and findings failed to show">
        {related.isPending ? (
          <LoadingState label="Loading deployments…" />
        ) : related.isError ? (
          <ErrorState
            title="Could not load deployments and findings"
            error={related.error}
            onRetry={() => void related.refetch()}
          />
        ) : (
          <Related vs={vs} related={related.data} />
        )}
      </ErrorBoundary>
    </>
  );
}

function listenersText(d: VirtualDeployment): string {
  const listeners: DeploymentListener[] = d.listeners ?? [];
  return listeners.map((l) => `${l.protocol} :${l.port}`).join(', ') || '—';
}

function weightsOf(vsId: string, related: MeshServices): Map<string, number> {
  const table = related.virtualServiceRouteTables
    .filter((t) => t.virtualServiceId === vsId)
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || a.name.localeCompare(b.name))[0];
  const out = new Map<string, number>();
  for (const d of table?.routeRules[0]?.destinations ?? []) {
    out.set(d.virtualDeploymentId, (out.get(d.virtualDeploymentId) ?? 0) + d.weight);
  }
  return out;
}

function Related({ vs, related }: { vs: VirtualServiceDetailView; related: MeshServices }) {
  const deployments = related.virtualDeployments
    .filter((d) => d.virtualServiceId === vs.id)
    .sort((a, b) => a.name.localeCompare(b.name));
  const weights = weightsOf(vs.id, related);
  const total = [...weights.values()].reduce((s, w) => s + w, 0);
  const findings = related.findings.filter((f) => f.resourceId === vs.id);
  return (
    <>
      <section className="panel" aria-labelledby="deployments-heading">
        <h2 id="deployments-heading">Deployments</h2>
        {deployments.length === 0 ? (
          <p className="muted">No virtual deployments.</p>
        ) : (
          <DataTable<VirtualDeployment>
            caption={`Deployments of ${vs.name}`}
            hideCaption
            rows={deployments}
            rowKey={(d) => d.id}
            columns={[
              { key: 'name', header: 'Name', cell: (d) => d.name },
              {
                key: 'weight',
                header: 'Traffic',
                cell: (d) => {
                  const w = weights.get(d.id);
                  return w !== undefined && total > 0
                    ? `${Math.round((w / total) * 1000) / 10}% (weight ${w})`
                    : '—';
                },
              },
              {
                key: 'discovery',
                header: 'Discovery',
                cell: (d) =>
                  d.serviceDiscovery?.type === 'DNS' ? (
                    <span className="mono">{d.serviceDiscovery.hostname}</span>
                  ) : (
                    (d.serviceDiscovery?.type ?? '—')
                  ),
              },
              {
                key: 'listeners',
                header: 'Listeners',
                cell: (d) => listenersText(d),
              },
              {
                key: 'state',
                header: 'State',
                cell: (d) => <LifecycleBadge state={d.lifecycleState} />,
              },
            ]}
          />
        )}
      </section>
      <FindingsPanel findings={findings} />
    </>
  );
}
