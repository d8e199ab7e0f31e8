import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MeshResourceTab } from '../../../components/ui/mesh-resource-tab.tsx';
import { virtualDeploymentQueries } from '../api/virtual-deployment-queries.ts';
import { listenersOf } from '../components/virtual-deployment-form-schema.ts';

/** The mesh's Deployments tab: `/meshes/:meshId/deployments?q=&sort=&order=&page=`. */
export function VirtualDeploymentListPage() {
  const meshId = useParams().meshId ?? '';
  const services = useQuery(virtualDeploymentQueries.services(meshId));
  const serviceName = (id: string) => services.data?.items.find((s) => s.id === id)?.name ?? id;
  return (
    <MeshResourceTab
      listQuery={(params) => virtualDeploymentQueries.list({ meshId, ...params })}
      newLink={{
        to: `/meshes/${encodeURIComponent(meshId)}/deployments/new`,
        label: 'New virtual deployment',
        placement: 'paragraph',
      }}
      caption="Virtual deployments"
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
  );
}
