import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { RelatedResources, ResourceFindings } from '../../../components/ui/resource-facts.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { routeTableQueries } from '../api/route-table-queries.ts';

/** `/virtual-service-route-tables/:id`: rules, findings, related resources, work requests. */
export function RouteTableDetailPage({
  workRequestsPanel,
}: {
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const query = useQuery(routeTableQueries.detail(id));
  if (query.isPending) return <LoadingState label="Loading route table…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view: rt, etag } = query.data;
  const meshPath = `/meshes/${encodeURIComponent(rt.meshId)}`;
  const names = new Map(rt.related.map((r) => [r.id, r.name]));
  const parent = rt.related.find((r) => r.relation === 'parent');
  const rows = rt.routeRules.flatMap((rule, r) =>
    rule.destinations.map((d, i) => ({ key: `${r}-${i}`, rule, r, d })),
  );
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={`${meshPath}/route-tables`}>Route tables</Link> / Virtual service route table
          </>
        }
        title={rt.name}
        actions={
          rt.lifecycleState !== 'DELETED' ? (
            <WriteOnly>
              <Link
                className="button"
                to={`/virtual-service-route-tables/${encodeURIComponent(rt.id)}/edit`}
              >
                Edit
              </Link>
              <DeleteResourceButton
                kind="VirtualServiceRouteTable"
                id={rt.id}
                name={rt.name}
                etag={etag}
                onDeleted={() => navigate(`${meshPath}/route-tables`)}
              />
            </WriteOnly>
          ) : null
        }
      >
        <LifecycleBadge state={rt.lifecycleState} />
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
                rt.virtualServiceId
              )}
            </dd>
            <dt>Priority</dt>
            <dd>{rt.priority ?? <span className="muted">none</span>}</dd>
            <dt>Description</dt>
            <dd>{rt.description || <span className="muted">none</span>}</dd>
            <dt>Id</dt>
            <dd className="mono">{rt.id}</dd>
          </dl>
        </section>
        <ResourceFindings findings={rt.findings} />
        <RelatedResources related={rt.related} />
      </div>
      <section className="panel" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Route rules</h2>
        <DataTable
          caption="Route rules and weighted destinations"
          hideCaption
          rows={rows}
          rowKey={(row) => row.key}
          columns={[
            { key: 'rule', header: 'Rule', cell: (row) => row.r + 1 },
            { key: 'type', header: 'Type', cell: (row) => row.rule.type },
            {
              key: 'path',
              header: 'Path prefix',
              cell: (row) => (row.rule.type === 'HTTP' ? (row.rule.path ?? '—') : '—'),
            },
            {
              key: 'deployment',
              header: 'Deployment',
              cell: (row) => (
                <Link to={`/virtual-deployments/${encodeURIComponent(row.d.virtualDeploymentId)}`}>
                  {names.get(row.d.virtualDeploymentId) ?? row.d.virtualDeploymentId}
                </Link>
              ),
            },
            { key: 'weight', header: 'Weight', cell: (row) => row.d.weight },
            { key: 'port', header: 'Port', cell: (row) => row.d.port ?? '—' },
          ]}
        />
      </section>
      {workRequestsPanel ? workRequestsPanel(rt.id) : null}
    </>
  );
}
