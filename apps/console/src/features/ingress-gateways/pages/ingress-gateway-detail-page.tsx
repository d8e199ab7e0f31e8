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
import { ingressGatewayQueries } from '../api/ingress-gateway-queries.ts';

/**
 * `/ingress-gateways/:id`: hosts and listeners, route tables, findings, related resources, the
 * certificate and work requests (both panels composed in app/router.tsx).
 */
export function IngressGatewayDetailPage({
  certificatePanel,
  workRequestsPanel,
}: {
  certificatePanel?: (certificateId: string) => ReactNode;
  workRequestsPanel?: (resourceId: string) => ReactNode;
}) {
  const id = useParams().id ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery(ingressGatewayQueries.detail(id));
  const routeTables = useQuery(ingressGatewayQueries.routeTables(id));
  if (query.isPending) return <LoadingState label="Loading ingress gateway…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { view: gw, etag } = query.data;
  const meshPath = `/meshes/${encodeURIComponent(gw.meshId)}`;
  const meshName = gw.related.find((r) => r.kind === 'Mesh')?.name ?? 'Mesh';
  const listeners = gw.hosts.flatMap((h) => h.listeners.map((l, i) => ({ host: h, l, i })));
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link to={`${meshPath}/gateways`}>{meshName}</Link> / Ingress gateway
          </>
        }
        title={gw.name}
        actions={
          gw.lifecycleState !== 'DELETED' ? (
            <WriteOnly>
              <Link className="button" to={`/ingress-gateways/${encodeURIComponent(gw.id)}/edit`}>
                Edit
              </Link>
              <DeleteResourceButton
                kind="IngressGateway"
                id={gw.id}
                name={gw.name}
                etag={etag}
                onDeleted={async () => {
                  await navigate(`${meshPath}/gateways`);
                  queryClient.removeQueries({
                    queryKey: ingressGatewayQueries.detail(gw.id).queryKey,
                  });
                  await queryClient.invalidateQueries();
                }}
              />
            </WriteOnly>
          ) : null
        }
      >
        <LifecycleBadge state={gw.lifecycleState} />
      </PageHeader>

      <section className="panel" aria-labelledby="listeners-heading">
        <h2 id="listeners-heading">Hosts and listeners</h2>
        <DataTable
          caption={`Listeners of ${gw.name}`}
          hideCaption
          rows={listeners}
          rowKey={(r) => `${r.host.name}-${r.i}`}
          columns={[
            { key: 'host', header: 'Host', cell: (r) => r.host.name },
            {
              key: 'hostnames',
              header: 'Hostnames',
              cell: (r) => r.host.hostnames?.join(', ') || <span className="muted">any</span>,
            },
            { key: 'listener', header: 'Listener', cell: (r) => `${r.l.protocol} :${r.l.port}` },
            { key: 'tls', header: 'TLS mode', cell: (r) => r.l.tls?.mode ?? 'no TLS' },
            {
              key: 'cert',
              header: 'Server certificate',
              cell: (r) => {
                const c = r.l.tls?.serverCertificate;
                if (!c) return <span className="muted">—</span>;
                return (
                  <span className="mono">
                    {c.type === 'OCI_CERTIFICATES' ? c.certificateId : `secret ${c.secretName}`}
                  </span>
                );
              },
            },
            {
              key: 'client',
              header: 'Client validation',
              cell: (r) => {
                const v = r.l.tls?.clientValidation;
                const ca = v?.trustedCaBundle;
                if (!v) return <span className="muted">—</span>;
                return (
                  <span className="mono">
                    {ca
                      ? ca.type === 'OCI_CERTIFICATES'
                        ? ca.caBundleId
                        : `secret ${ca.secretName}`
                      : 'no CA bundle'}
                    {v.subjectAlternateNames?.length
                      ? `; SAN ${v.subjectAlternateNames.join(', ')}`
                      : ''}
                  </span>
                );
              },
            },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="route-tables-heading">
        <h2 id="route-tables-heading">Route tables</h2>
        <WriteOnly>
          <p>
            <Link
              className="button button--small"
              to={`/ingress-gateways/${encodeURIComponent(gw.id)}/route-tables/new`}
            >
              New gateway route table
            </Link>
          </p>
        </WriteOnly>
        {routeTables.isPending ? (
          <LoadingState label="Loading route tables…" />
        ) : routeTables.isError ? (
          <ErrorState
            title="Could not load the route tables"
            error={routeTables.error}
            onRetry={() => void routeTables.refetch()}
          />
        ) : routeTables.data.items.length === 0 ? (
          <p className="muted">No route tables: the gateway routes nothing yet.</p>
        ) : (
          <ul className="plain-list">
            {routeTables.data.items.map((t) => (
              <li key={t.id}>
                <Link to={`/ingress-gateway-route-tables/${encodeURIComponent(t.id)}`}>
                  {t.name}
                </Link>{' '}
                <span className="muted">
                  priority {t.priority ?? '—'}, {t.routeRules.length} rule
                  {t.routeRules.length === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="detail-grid">
        <section className="panel" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <dl className="facts">
            <dt>Description</dt>
            <dd>{gw.description || <span className="muted">—</span>}</dd>
            <dt>Access logging</dt>
            <dd>{gw.accessLogging?.isEnabled ? 'on' : 'off'}</dd>
            <dt>Maximum certificate validity</dt>
            <dd>{gw.mtls?.maximumValidity ?? 45} days</dd>
            <dt>OCID</dt>
            <dd className="mono">{gw.id}</dd>
            <dt>Created</dt>
            <dd>{gw.timeCreated}</dd>
          </dl>
        </section>
        <RelatedResources related={gw.related} />
      </div>
      <ResourceFindings findings={gw.findings} />

      {certificatePanel && gw.mtls?.certificateId ? (
        <ErrorBoundary title="The certificate failed to show">
          {certificatePanel(gw.mtls.certificateId)}
        </ErrorBoundary>
      ) : null}
      {workRequestsPanel ? (
        <ErrorBoundary title="The work requests failed to show">
          {workRequestsPanel(gw.id)}
        </ErrorBoundary>
      ) : null}
      <OciCallPreview {...ociCallFor('IngressGateway', 'delete', { id: gw.id })} />
    </>
  );
}
