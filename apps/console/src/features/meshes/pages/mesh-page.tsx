import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { DeleteResourceButton } from '../../../components/ui/delete-resource-button.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import { TabNav } from '../../../components/ui/tab-nav.tsx';
import { meshQueries } from '../api/mesh-queries.ts';
import { ModeCounts } from '../components/mode-counts.tsx';

/**
 * A mesh's header and tabs; the tab content comes from the router (each tab is a deep link).
 * `actions` go in the header (app/router.tsx puts other features' controls there, e.g. Export).
 */
export function MeshPage({ actions }: { actions?: ReactNode } = {}) {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(meshQueries.detail(meshId));
  const navigate = useNavigate();

  if (query.isPending) return <LoadingState label="Loading mesh…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;

  const { mesh, summary, findings, etag } = query.data;
  const meshFindings = findings.filter((f) => f.resourceId === mesh.id && f.severity !== 'info');
  const base = `/meshes/${encodeURIComponent(meshId)}`;
  return (
    <>
      <PageHeader
        eyebrow="Mesh"
        title={mesh.displayName}
        actions={
          <>
            {actions}
            <WriteOnly>
              <Link className="button" to={`${base}/edit`}>
                Edit
              </Link>
              <DeleteResourceButton
                kind="Mesh"
                id={mesh.id}
                name={mesh.displayName}
                etag={etag}
                onDeleted={() => navigate('/meshes')}
              />
            </WriteOnly>
          </>
        }
      >
        <dl className="facts-inline">
          <div>
            <dt>mTLS minimum</dt>
            <dd>
              <MtlsBadge mode={summary.minimum} />{' '}
              <Link to={`${base}/mtls`} className="button button--small button--ghost">
                Change or migrate
              </Link>
            </dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>
              <ModeCounts counts={summary.modeCounts} />
            </dd>
          </div>
          <div>
            <dt>Compartment</dt>
            <dd className="mono truncate" title={mesh.compartmentId}>
              {mesh.compartmentId}
            </dd>
          </div>
          <div>
            <dt>Certificate authority</dt>
            <dd className="mono truncate" title={summary.certificateAuthority.id}>
              {summary.certificateAuthority.id}
              {summary.certificateAuthority.external ? ' (external)' : ''}
            </dd>
          </div>
          <div>
            <dt>CA expires</dt>
            <dd>
              {summary.certificates?.authority.notAfter ? (
                <time dateTime={summary.certificates.authority.notAfter}>
                  {summary.certificates.authority.notAfter.slice(0, 10)}
                </time>
              ) : (
                <span className="muted">
                  {summary.certificates?.authority.status === 'EXTERNAL' ? 'external' : 'pending'}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>
              <LifecycleBadge state={mesh.lifecycleState} />
            </dd>
          </div>
        </dl>
      </PageHeader>
      {summary.certificates?.authority.warning ? (
        <Alert
          tone={summary.certificates.authority.expired ? 'error' : 'warning'}
          title="Certificate authority"
        >
          {summary.certificates.authority.warning}
        </Alert>
      ) : null}
      {summary.certificates && summary.certificates.counts.failed > 0 ? (
        <Alert title="Certificates">
          {summary.certificates.counts.failed} certificate
          {summary.certificates.counts.failed === 1 ? '' : 's'} failed: see the Certificates tab.
        </Alert>
      ) : null}
      {meshFindings.map((f, i) => (
        <Alert key={`${f.code}-${i}`} tone={f.severity === 'error' ? 'error' : 'warning'}>
          <code>{f.code}</code> {f.message}
        </Alert>
      ))}
      <TabNav
        label={`${mesh.displayName} sections`}
        tabs={[
          {
            to: `${base}/services`,
            label: 'Virtual services',
            count: summary.counts.virtualServices,
          },
          {
            to: `${base}/deployments`,
            label: 'Deployments',
            count: summary.counts.virtualDeployments,
          },
          { to: `${base}/gateways`, label: 'Gateways', count: summary.counts.ingressGateways },
          {
            to: `${base}/route-tables`,
            label: 'Route tables',
            count:
              summary.counts.virtualServiceRouteTables + summary.counts.ingressGatewayRouteTables,
          },
          {
            to: `${base}/policies`,
            label: 'Access policies',
            count: summary.counts.accessPolicies,
          },
          { to: `${base}/topology`, label: 'Topology' },
          { to: `${base}/mtls`, label: 'mTLS & migrations' },
          {
            to: `${base}/certificates`,
            label: 'Certificates',
            count: summary.certificates?.counts.total,
          },
          { to: `${base}/work-requests`, label: 'Work requests' },
        ]}
      />
      <Outlet />
    </>
  );
}
