import type { MeshSummary } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
} from '../../../components/ui/resource-list.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { meshQueries } from '../api/mesh-queries.ts';
import { ModeCounts } from '../components/mode-counts.tsx';

/** `/meshes?q=&sort=&order=&page=` */
export function MeshListPage() {
  const [params, setParams] = useListParams();
  const query = useQuery(meshQueries.page({ ...params, limit: LIST_PAGE_SIZE }));
  return (
    <>
      <PageHeader
        title="Meshes"
        actions={
          <>
            <WriteOnly>
              <Link className="button button--primary" to="/meshes/new">
                New mesh
              </Link>
              <Link className="button" to="/import">
                Import configuration
              </Link>
            </WriteOnly>
          </>
        }
      />
      <ResourceList<MeshSummary>
        caption="Meshes"
        params={params}
        setParams={setParams}
        rows={query.data?.items}
        total={query.data?.total}
        isPending={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        rowKey={(m) => m.id}
        emptyTitle="No meshes yet"
        empty={
          <WriteOnly>
            <Link to="/meshes/new">Create a mesh</Link> or <Link to="/import">import</Link> an OCI
            Service Operator YAML or OCI JSON export.
          </WriteOnly>
        }
        columns={[
          {
            key: 'name',
            header: 'Name',
            sortKey: 'name',
            cell: (m) => (
              <Link to={`/meshes/${encodeURIComponent(m.id)}/services`}>{m.displayName}</Link>
            ),
          },
          { key: 'minimum', header: 'mTLS minimum', cell: (m) => <MtlsBadge mode={m.minimum} /> },
          {
            key: 'services',
            header: 'Services',
            className: 'num',
            cell: (m) => m.counts.virtualServices,
          },
          {
            key: 'deployments',
            header: 'Deployments',
            className: 'num',
            cell: (m) => m.counts.virtualDeployments,
          },
          {
            key: 'gateways',
            header: 'Gateways',
            className: 'num',
            cell: (m) => m.counts.ingressGateways,
          },
          {
            key: 'modes',
            header: 'Service modes',
            cell: (m) => <ModeCounts counts={m.modeCounts} />,
          },
          {
            key: 'state',
            header: 'State',
            sortKey: 'lifecycleState',
            cell: (m) => <LifecycleBadge state={m.lifecycleState} />,
          },
          {
            key: 'created',
            header: 'Created',
            sortKey: 'timeCreated',
            cell: (m) => <time dateTime={m.timeCreated}>{m.timeCreated.slice(0, 10)}</time>,
          },
          {
            key: 'topology',
            header: 'Topology',
            cell: (m) => (
              <Link
                to={`/meshes/${encodeURIComponent(m.id)}/topology`}
                aria-label={`Topology of ${m.displayName}`}
              >
                Topology
              </Link>
            ),
          },
        ]}
      />
    </>
  );
}
