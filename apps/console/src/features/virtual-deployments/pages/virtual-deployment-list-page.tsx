import type { VirtualDeployment } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
} from '../../../components/ui/resource-list.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { virtualDeploymentQueries } from '../api/virtual-deployment-queries.ts';
import { listenersOf } from '../components/virtual-deployment-form-schema.ts';

/** The mesh's Deployments tab: `/meshes/:meshId/deployments?q=&sort=&order=&page=`. */
export function VirtualDeploymentListPage() {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useListParams();
  const query = useQuery(
    virtualDeploymentQueries.list({ meshId, ...params, limit: LIST_PAGE_SIZE }),
  );
  const services = useQuery(virtualDeploymentQueries.services(meshId));
  const serviceName = (id: string) => services.data?.items.find((s) => s.id === id)?.name ?? id;
  return (
    <section className="tab-panel">
      <WriteOnly>
        <p>
          <Link
            className="button button--primary"
            to={`/meshes/${encodeURIComponent(meshId)}/deployments/new`}
          >
            New virtual deployment
          </Link>
        </p>
      </WriteOnly>
      <ResourceList<VirtualDeployment>
        caption="Virtual deployments"
        params={params}
        setParams={setParams}
        rows={query.data?.items}
        total={query.data?.total}
        isPending={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        rowKey={(d) => d.id}
        emptyTitle="No virtual deployments"
        columns={[
          {
            key: 'name',
            header: 'Name',
            sortKey: 'name',
            cell: (d) => (
              <Link to={`/virtual-deployments/${encodeURIComponent(d.id)}`}>{d.name}</Link>
            ),
          },
          {
            key: 'service',
            header: 'Virtual service',
            cell: (d) => serviceName(d.virtualServiceId),
          },
          {
            key: 'discovery',
            header: 'Discovery',
            cell: (d) =>
              d.serviceDiscovery?.type === 'DNS' ? d.serviceDiscovery.hostname : 'DISABLED',
          },
          {
            key: 'listeners',
            header: 'Listeners',
            cell: (d) =>
              listenersOf(d)
                .map((l) => `${l.protocol}:${l.port}`)
                .join(', ') || '—',
          },
          {
            key: 'state',
            header: 'State',
            sortKey: 'lifecycleState',
            cell: (d) => <LifecycleBadge state={d.lifecycleState} />,
          },
          {
            key: 'created',
            header: 'Created',
            sortKey: 'timeCreated',
            cell: (d) => <time dateTime={d.timeCreated}>{d.timeCreated.slice(0, 10)}</time>,
          },
        ]}
      />
    </section>
  );
}
