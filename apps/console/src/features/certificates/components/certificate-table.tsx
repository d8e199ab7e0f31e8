import { Link } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import type { CertificateView } from '@meshdeck/domain';
import { CertificateStatusBadge } from './certificate-status.tsx';
import { Instant } from './instant.tsx';

/** A mesh's certificates by next renewal: the inventory is also the timeline of renewals. */
export function CertificateTable({ certificates }: { certificates: CertificateView[] }) {
  return (
    <DataTable<CertificateView>
      caption="Certificates by next renewal"
      rows={certificates}
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'renewAt',
          header: 'Next renewal',
          cell: (c) => <Instant iso={c.renewAt} />,
        },
        {
          key: 'resource',
          header: 'For',
          cell: (c) =>
            c.resource.kind === 'VirtualService' ? (
              <Link to={`/virtual-services/${encodeURIComponent(c.resource.id)}`}>
                {c.resource.name}
              </Link>
            ) : (
              <>
                {c.resource.name} <span className="muted">(ingress gateway)</span>
              </>
            ),
        },
        {
          key: 'state',
          header: 'State',
          cell: (c) => <CertificateStatusBadge status={c.status} />,
        },
        {
          key: 'version',
          header: 'Version',
          cell: (c) => (c.currentVersion === null ? '—' : c.currentVersion),
        },
        {
          key: 'used',
          header: 'Versions used',
          cell: (c) => `${c.versionCount} of ${c.versionLimit}`,
        },
        { key: 'notBefore', header: 'Not before', cell: (c) => <Instant iso={c.notBefore} /> },
        { key: 'notAfter', header: 'Not after', cell: (c) => <Instant iso={c.notAfter} /> },
        {
          key: 'alerts',
          header: 'Alerts',
          cell: (c) =>
            c.alerts.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <ul className="plain-list">
                {c.alerts.map((a) => (
                  <li key={a.code} className={`finding finding--${a.severity}`}>
                    {a.message}
                  </li>
                ))}
              </ul>
            ),
        },
      ]}
    />
  );
}
