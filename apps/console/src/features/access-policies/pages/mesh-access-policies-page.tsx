import type { AccessPolicy } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import {
  LIST_PAGE_SIZE,
  ResourceList,
  useListParams,
} from '../../../components/ui/resource-list.tsx';
import { accessPolicyQueries } from '../api/access-policy-queries.ts';
import { WriteOnly } from '../../../components/ui/write-only.tsx';
import { targetText } from '../components/target-text.ts';

/** The mesh page's "Access policies" tab: filter, sort and pages in the URL. */
export function MeshAccessPoliciesPage() {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useListParams();
  const list = useQuery(accessPolicyQueries.list({ meshId, ...params, limit: LIST_PAGE_SIZE }));
  const mesh = useQuery(accessPolicyQueries.mesh(meshId));
  const names = new Map<string, string>([
    ...(mesh.data?.virtualServices ?? []).map((v) => [v.id, v.name] as const),
    ...(mesh.data?.ingressGateways ?? []).map((g) => [g.id, g.name] as const),
  ]);
  return (
    <section className="tab-panel">
      <WriteOnly>
        <div className="toolbar">
          <Link
            className="button button--primary"
            to={`/meshes/${encodeURIComponent(meshId)}/policies/new`}
          >
            New access policy
          </Link>
        </div>
      </WriteOnly>
      <ResourceList<AccessPolicy>
        caption="Access policies"
        params={params}
        setParams={setParams}
        rows={list.data?.items}
        total={list.data?.total}
        rowKey={(p) => p.id}
        isPending={list.isPending}
        error={list.error}
        onRetry={() => void list.refetch()}
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
    </section>
  );
}
