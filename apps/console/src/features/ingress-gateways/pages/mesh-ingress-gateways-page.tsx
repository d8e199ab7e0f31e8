import type { IngressGateway } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
} from '../../../components/ui/resource-list.tsx';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { ingressGatewayQueries } from '../api/ingress-gateway-queries.ts';

/** The mesh page's "Gateways" tab: filter, sort and pages in the URL. */
export function MeshIngressGatewaysPage() {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useListParams();
  const list = useQuery(ingressGatewayQueries.list({ meshId, ...params, limit: LIST_PAGE_SIZE }));
  return (
    <section className="tab-panel">
      <WriteOnly>
        <div className="toolbar">
          <Link
            className="button button--primary"
            to={`/meshes/${encodeURIComponent(meshId)}/gateways/new`}
          >
            New ingress gateway
          </Link>
        </div>
      </WriteOnly>
      <ResourceList<IngressGateway>
        caption="Ingress gateways"
        params={params}
        setParams={setParams}
        rows={list.data?.items}
        total={list.data?.total}
        rowKey={(g) => g.id}
        isPending={list.isPending}
        error={list.error}
        onRetry={() => void list.refetch()}
        emptyTitle="No ingress gateways: nothing reaches the mesh from outside through a gateway"
        columns={[
          {
            key: 'name',
            header: 'Name',
            sortKey: 'name',
            cell: (g) => <Link to={`/ingress-gateways/${encodeURIComponent(g.id)}`}>{g.name}</Link>,
          },
          {
            key: 'listeners',
            header: 'Listeners',
            cell: (g) => (
              <ul className="plain-list">
                {g.hosts.flatMap((h) =>
                  h.listeners.map((l, i) => (
                    <li key={`${h.name}-${i}`} className="mono">
                      {h.name} {l.protocol} :{l.port} {l.tls?.mode ?? 'no TLS'}
                    </li>
                  )),
                )}
              </ul>
            ),
          },
          {
            key: 'state',
            header: 'State',
            sortKey: 'lifecycleState',
            cell: (g) => <LifecycleBadge state={g.lifecycleState} />,
          },
          { key: 'created', header: 'Created', sortKey: 'timeCreated', cell: (g) => g.timeCreated },
        ]}
      />
    </section>
  );
}
