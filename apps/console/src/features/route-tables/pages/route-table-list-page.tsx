import type { VirtualServiceRouteTable } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
} from '../../../components/ui/resource-list.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { routeTableQueries } from '../api/route-table-queries.ts';

/**
 * The mesh's Route tables tab: virtual service route tables
 * (`/meshes/:meshId/route-tables?q=&sort=&order=&page=`), then `ingressSection` (the ingress
 * gateway route tables, composed in app/router.tsx).
 */
export function RouteTableListPage({ ingressSection }: { ingressSection?: ReactNode }) {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useListParams();
  const query = useQuery(routeTableQueries.list({ meshId, ...params, limit: LIST_PAGE_SIZE }));
  const choices = useQuery(routeTableQueries.choices(meshId));
  const serviceName = (id: string) => choices.data?.services.find((s) => s.id === id)?.name ?? id;
  const deploymentName = (id: string) =>
    choices.data?.deployments.find((d) => d.id === id)?.name ?? id;
  return (
    <section className="tab-panel">
      <h2>Virtual service route tables</h2>
      <WriteOnly>
        <p>
          <Link
            className="button button--primary"
            to={`/meshes/${encodeURIComponent(meshId)}/route-tables/new`}
          >
            New route table
          </Link>
        </p>
      </WriteOnly>
      <ResourceList<VirtualServiceRouteTable>
        caption="Virtual service route tables"
        params={params}
        setParams={setParams}
        rows={query.data?.items}
        total={query.data?.total}
        isPending={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
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
      />
      {ingressSection}
    </section>
  );
}
