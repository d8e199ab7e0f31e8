import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MeshResourceTab } from '../../../components/ui/mesh-resource-tab.tsx';
import { routeTableQueries } from '../api/route-table-queries.ts';

/**
 * The mesh's Route tables tab: virtual service route tables
 * (`/meshes/:meshId/route-tables?q=&sort=&order=&page=`), then `ingressSection` (the ingress
 * gateway route tables, composed in app/router.tsx).
 */
export function RouteTableListPage({ ingressSection }: { ingressSection?: ReactNode }) {
  const meshId = useParams().meshId ?? '';
  const choices = useQuery(routeTableQueries.choices(meshId));
  const serviceName = (id: string) => choices.data?.services.find((s) => s.id === id)?.name ?? id;
  const deploymentName = (id: string) =>
    choices.data?.deployments.find((d) => d.id === id)?.name ?? id;
  return (
    <MeshResourceTab
      heading="Virtual service route tables"
      listQuery={(params) => routeTableQueries.list({ meshId, ...params })}
      newLink={{
        to: `/meshes/${encodeURIComponent(meshId)}/route-tables/new`,
        label: 'New route table',
        placement: 'paragraph',
      }}
      caption="Virtual service route tables"
      rowKey={(t) => t.id}
      emptyTitle="No virtual service route tables"
      columns={[
        {
          key: 'name',
          header: 'Name',
          sortKey: 'name',
          cell: (t) => (
            <Link to={`/virtual-service-route-tables/${encodeURIComponent(t.id)}`}>{t.name}</Link>
          ),
        },
        {
          key: 'service',
          header: 'Virtual service',
          cell: (t) => serviceName(t.virtualServiceId),
        },
        {
          key: 'priority',
          header: 'Priority',
          cell: (t) => (t.priority !== undefined ? t.priority : '—'),
        },
        {
          key: 'rules',
          header: 'Rules',
          cell: (t) =>
            t.routeRules
              .map(
                (r) =>
                  `${r.type}${r.type === 'HTTP' && r.path ? ` ${r.path}` : ''} → ${r.destinations
                    .map((d) => `${deploymentName(d.virtualDeploymentId)} ${d.weight}`)
                    .join(', ')}`,
              )
              .join('; '),
        },
        {
          key: 'state',
          header: 'State',
          sortKey: 'lifecycleState',
          cell: (t) => <LifecycleBadge state={t.lifecycleState} />,
        },
      ]}
    >
      {ingressSection}
    </MeshResourceTab>
  );
}
