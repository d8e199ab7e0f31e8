import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MeshResourceTab } from '../../../components/ui/mesh-resource-tab.tsx';
import { accessPolicyQueries } from '../api/access-policy-queries.ts';
import { targetText } from '../components/target-text.ts';

/** The mesh page's "Access policies" tab: filter, sort and pages in the URL. */
export function MeshAccessPoliciesPage() {
  const meshId = useParams().meshId ?? '';
  const mesh = useQuery(accessPolicyQueries.mesh(meshId));
  const names = new Map<string, string>([
    ...(mesh.data?.virtualServices ?? []).map((v) => [v.id, v.name] as const),
    ...(mesh.data?.ingressGateways ?? []).map((g) => [g.id, g.name] as const),
  ]);
  return (
    <MeshResourceTab
      listQuery={(params) => accessPolicyQueries.list({ meshId, ...params })}
      newLink={{
        to: `/meshes/${encodeURIComponent(meshId)}/policies/new`,
        label: 'New access policy',
        placement: 'toolbar',
      }}
      caption="Access policies"
      rowKey={(p) => p.id}
      emptyTitle="No access policies: all traffic inside the mesh is denied"
      columns={[
        {
          key: 'name',
          header: 'Name',
          sortKey: 'name',
          cell: (p) => <Link to={`/access-policies/${encodeURIComponent(p.id)}`}>{p.name}</Link>,
        },
        {
          key: 'rules',
          header: 'Allows',
          cell: (p) =>
            p.rules.length === 0 ? (
              <span className="muted">no rules</span>
            ) : (
              <ul className="plain-list">
                {p.rules.map((r, i) => (
                  <li key={i}>
                    {targetText(r.source, names)} → {targetText(r.destination, names)}
                  </li>
                ))}
              </ul>
            ),
        },
        {
          key: 'state',
          header: 'State',
          sortKey: 'lifecycleState',
          cell: (p) => <LifecycleBadge state={p.lifecycleState} />,
        },
        { key: 'created', header: 'Created', sortKey: 'timeCreated', cell: (p) => p.timeCreated },
      ]}
    />
  );
}
