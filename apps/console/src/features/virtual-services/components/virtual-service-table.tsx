import { Link } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { VirtualServiceView } from '@meshdeck/domain';
import { useCan } from '../../../lib/session.ts';

export function VirtualServiceTable({
  services,
  caption,
}: {
  services: VirtualServiceView[];
  caption: string;
}) {
  const rows = [...services].sort((a, b) => a.name.localeCompare(b.name));
  // Viewers get no Edit column: they cannot save (the BFF refuses it either way).
  const canWrite = useCan('write');
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(vs) => vs.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          cell: (vs) => (
            <Link to={`/virtual-services/${encodeURIComponent(vs.id)}`}>{vs.name}</Link>
          ),
        },
        {
          key: 'mtls',
          header: 'mTLS (effective)',
          cell: (vs) => (
            <MtlsBadge mode={vs.mtlsView.effective} inherited={vs.mtlsView.inherited} />
          ),
        },
        {
          key: 'declared',
          header: 'Declared',
          cell: (vs) => vs.mtlsView.declared ?? <span className="muted">unset</span>,
        },
        {
          key: 'hosts',
          header: 'Hosts',
          cell: (vs) =>
            vs.hosts && vs.hosts.length > 0 ? (
              <span className="mono">{vs.hosts.join(', ')}</span>
            ) : (
              <span className="muted">none</span>
            ),
        },
        {
          key: 'routing',
          header: 'Routing',
          cell: (vs) => vs.defaultRoutingPolicy?.type ?? '—',
        },
        {
          key: 'state',
          header: 'State',
          cell: (vs) => <LifecycleBadge state={vs.lifecycleState} />,
        },
        ...(canWrite
          ? [
              {
                key: 'actions',
                header: <span className="visually-hidden">Actions</span>,
                cell: (vs: VirtualServiceView) => (
                  <Link
                    to={`/virtual-services/${encodeURIComponent(vs.id)}/edit`}
                    aria-label={`Edit ${vs.name}`}
                  >
                    Edit
                  </Link>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
