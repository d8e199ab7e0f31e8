import { Link } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { MeshSummary } from '@meshdeck/domain';
import { ocidTail } from '../../../lib/ocid.ts';
import { ModeCounts } from './mode-counts.tsx';
import { OcidText } from './ocid-text.tsx';

export function MeshTable({ meshes }: { meshes: MeshSummary[] }) {
  // Display names need not be unique (an import run twice): such rows also show their id's end.
  const namesakes = (mesh: MeshSummary) =>
    meshes.filter((m) => m.displayName === mesh.displayName).length;
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
            <>
              <Link to={`/meshes/${encodeURIComponent(m.id)}/services`}>{m.displayName}</Link>
              {namesakes(m) > 1 ? (
                <span className="muted mono" title={m.id}>
                  {' '}
                  id {ocidTail(m.id, 6)}
                </span>
              ) : null}
            </>
          ),
        },
        {
          key: 'compartment',
          header: 'Compartment',
          cell: (m) => <OcidText ocid={m.compartmentId} what="compartment OCID" />,
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
