import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MeshResourceTab } from '../../../components/ui/mesh-resource-tab.tsx';
import { ingressGatewayQueries } from '../api/ingress-gateway-queries.ts';

/** The mesh page's "Gateways" tab: filter, sort and pages in the URL. */
export function MeshIngressGatewaysPage() {
  const meshId = useParams().meshId ?? '';
  return (
    <MeshResourceTab
      listQuery={(params) => ingressGatewayQueries.list({ meshId, ...params })}
      newLink={{
        to: `/meshes/${encodeURIComponent(meshId)}/gateways/new`,
        label: 'New ingress gateway',
        placement: 'toolbar',
      }}
      caption="Ingress gateways"
      rowKey={(g) => g.id}
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
  );
}
