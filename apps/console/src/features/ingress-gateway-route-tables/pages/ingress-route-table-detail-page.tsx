import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { RelatedResources, ResourceFindings } from '../../../components/ui/resource-facts.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import { ingressRouteTableQueries } from '../api/ingress-route-table-queries.ts';

/** `/ingress-gateway-route-tables/:id`: rules, findings, related resources, work requests. */
export function IngressRouteTableDetailPage({
  workRequestsPanel,
}: {
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery(ingressRouteTableQueries.detail(id));
  if (query.isPending) return <LoadingState label="Loading route table…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view: table, etag } = query.data;
  const names = new Map(table.related.map((r) => [r.id, r.name]));
  const gatewayPath = `/ingress-gateways/${encodeURIComponent(table.ingressGatewayId)}`;
  const gatewayName = names.get(table.ingressGatewayId) ?? 'Ingress gateway';
  const rows = table.routeRules.flatMap((rule, i) =>
    rule.destinations.map((d, j) => ({ rule, i, d, j })),
  );
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={gatewayPath}>{gatewayName}</Link> / Gateway route table
          </>
        }
        title={table.name}
        actions={
          table.lifecycleState !== 'DELETED' ? (
            <WriteOnly>
              <Link
                className="button"
                to={`/ingress-gateway-route-tables/${encodeURIComponent(table.id)}/edit`}
              >
                Edit
              </Link>
              <DeleteResourceButton
                kind="IngressGatewayRouteTable"
                id={table.id}
                name={table.name}
                etag={etag}
                onDeleted={async () => {
                  await navigate(gatewayPath);
                  queryClient.removeQueries({
                    queryKey: ingressRouteTableQueries.detail(table.id).queryKey,
                  });
                  await queryClient.invalidateQueries();
                }}
              />
            </WriteOnly>
          ) : null
        }
      >
        <LifecycleBadge state={table.lifecycleState} />
      </PageHeader>
      <section className="panel" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Route rules</h2>
        <p className="muted">Priority {table.priority ?? 'not set'}.</p>
        <DataTable
          caption={`Route rules of ${table.name}`}
          hideCaption
          rows={rows}
          rowKey={(r) => `${r.i}-${r.j}`}
          columns={[
            { key: 'n', header: 'Rule', cell: (r) => (r.j === 0 ? r.i + 1 : '') },
            { key: 'type', header: 'Protocol', cell: (r) => r.rule.type },
            {
              key: 'host',
              header: 'Host',
              cell: (r) =>
                r.rule.ingressGatewayHost
                  ? `${r.rule.ingressGatewayHost.name}${r.rule.ingressGatewayHost.port ? `:${r.rule.ingressGatewayHost.port}` : ''}`
                  : 'every host',
            },
            {
              key: 'path',
              header: 'Path',
              cell: (r) =>
                r.rule.type === 'HTTP' ? (
                  <span className="mono">
                    {r.rule.path ?? '—'} {r.rule.pathType ?? ''}
                    {r.rule.isPathRewriteEnabled ? ' (path rewrite)' : ''}
                    {r.rule.isHostRewriteEnabled ? ' (host rewrite)' : ''}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              key: 'dest',
              header: 'Destination',
              cell: (r) => (
                <Link to={`/virtual-services/${encodeURIComponent(r.d.virtualServiceId)}`}>
                  {names.get(r.d.virtualServiceId) ?? r.d.virtualServiceId}
                </Link>
              ),
            },
            { key: 'weight', header: 'Weight', cell: (r) => r.d.weight ?? '—' },
            { key: 'port', header: 'Port', cell: (r) => r.d.port ?? '—' },
          ]}
        />
      </section>
      <div className="detail-grid">
        <section className="panel" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <dl className="facts">
            <dt>Description</dt>
            <dd>{table.description || <span className="muted">—</span>}</dd>
            <dt>OCID</dt>
            <dd className="mono">{table.id}</dd>
            <dt>Created</dt>
            <dd>{table.timeCreated}</dd>
          </dl>
        </section>
        <RelatedResources related={table.related} />
      </div>
      <ResourceFindings findings={table.findings} />
      {workRequestsPanel ? (
        <ErrorBoundary title="The work requests failed to show">
          {workRequestsPanel(table.id)}
        </ErrorBoundary>
      ) : null}
      <OciCallPreview {...ociCallFor('IngressGatewayRouteTable', 'delete', { id: table.id })} />
    </>
  );
}
