import { Link } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { MeshSummary } from '../../../lib/api-views.ts';
import { ModeCounts } from './mode-counts.tsx';

export function MeshTable({ meshes }: { meshes: MeshSummary[] }) {
  return (
    <DataTable
      caption="Meshes"
      hideCaption
      rows={meshes}
      rowKey={(m) => m.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          cell: (m) => (
            <Link to={`/meshes/${encodeURIComponent(m.id)}/services`}>{m.displayName}</Link>
          ),
        },
        {
          key: 'compartment',
          header: 'Compartment',
          cell: (m) => (
            <span className="mono truncate" title={m.compartmentId}>
              {m.compartmentId}
            </span>
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
          key: 'policies',
          header: 'Policies',
          className: 'num',
          cell: (m) => m.counts.accessPolicies,
        },
        {
          key: 'modes',
          header: 'Service modes',
          cell: (m) => <ModeCounts counts={m.modeCounts} />,
        },
        { key: 'state', header: 'State', cell: (m) => <LifecycleBadge state={m.lifecycleState} /> },
        {
          key: 'topology',
          header: <span className="visually-hidden">Topology</span>,
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
  );
}
