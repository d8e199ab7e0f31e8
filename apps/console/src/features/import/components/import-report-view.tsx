import { Link } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import type { ImportOutcome, ImportReport } from '../api/import.api.ts';

const KIND_ORDER = [
  'Mesh',
  'VirtualService',
  'VirtualDeployment',
  'VirtualServiceRouteTable',
  'IngressGateway',
  'IngressGatewayRouteTable',
  'AccessPolicy',
];

const KIND_TAB: Record<string, string> = {
  VirtualDeployment: 'deployments',
  VirtualServiceRouteTable: 'route-tables',
  IngressGateway: 'gateways',
  IngressGatewayRouteTable: 'route-tables',
  AccessPolicy: 'policies',
};

function byKind<T extends { kind: string }>(items: T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

function where(documentIndex: number | undefined): string {
  return documentIndex !== undefined ? ` (document ${documentIndex + 1})` : '';
}

function CreatedList({ report }: { report: ImportReport }) {
  const meshes = report.created.filter((c) => c.kind === 'Mesh');
  const onlyMesh = meshes.length === 1 ? meshes[0] : undefined;
  const linkFor = (kind: string, id: string): string | undefined => {
    if (kind === 'Mesh') return `/meshes/${encodeURIComponent(id)}/services`;
    if (kind === 'VirtualService') return `/virtual-services/${encodeURIComponent(id)}`;
    const tab = KIND_TAB[kind];
    return onlyMesh && tab ? `/meshes/${encodeURIComponent(onlyMesh.id)}/${tab}` : undefined;
  };
  return (
    <section className="report-section" aria-labelledby="import-created">
      <h3 id="import-created">Created ({report.created.length})</h3>
      {byKind(report.created).map(([kind, items]) => (
        <div key={kind} className="report-group">
          <h4>
            {kind} ({items.length})
          </h4>
          <ul className="plain-list">
            {items.map((item) => {
              const to = linkFor(kind, item.id);
              return <li key={item.id}>{to ? <Link to={to}>{item.name}</Link> : item.name}</li>;
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}

export function ImportReportView({ result }: { result: ImportOutcome }) {
  const { report } = result;
  const meshes = report.created.filter((c) => c.kind === 'Mesh');
  return (
    <section className="panel import-report" aria-labelledby="import-report-heading">
      <h2 id="import-report-heading">Import report</h2>
      {result.outcome === 'rejected' ? (
        <Alert title="Nothing was imported">
          <p>{result.message}</p>
          <p>Fix the rejected items below and import the whole file again.</p>
        </Alert>
      ) : (
        <Alert tone="success" title="Import complete">
          <p>
            {report.created.length} created, {report.skipped.length} skipped,{' '}
            {report.flagged.length} flagged
            {report.format ? ` (${report.format})` : ''}
            {report.compartmentId ? (
              <>
                {' '}
                into <span className="mono">{report.compartmentId}</span>
              </>
            ) : null}
            .
          </p>
          {meshes.map((m) => (
            <p key={m.id}>
              <Link
                className="button button--primary"
                to={`/meshes/${encodeURIComponent(m.id)}/topology`}
              >
                Open topology of {m.name}
              </Link>
            </p>
          ))}
        </Alert>
      )}

      {report.rejected.length > 0 ? (
        <section className="report-section" aria-labelledby="import-rejected">
          <h3 id="import-rejected">Rejected ({report.rejected.length})</h3>
          <ul className="plain-list report-items">
            {report.rejected.map((item, i) => (
              <li key={`${item.kind}-${item.name}-${i}`}>
                <strong>
                  {item.kind} {item.name}
                </strong>
                {where(item.documentIndex)}
                <ul>
                  {item.reasons.map((r, j) => (
                    <li key={j}>{r}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {result.outcome === 'imported' ? <CreatedList report={report} /> : null}

      {report.skipped.length > 0 ? (
        <section className="report-section" aria-labelledby="import-skipped">
          <h3 id="import-skipped">Skipped ({report.skipped.length})</h3>
          <ul className="plain-list report-items">
            {report.skipped.map((item, i) => (
              <li key={`${item.kind}-${item.name}-${i}`}>
                <strong>
                  {item.kind} {item.name}
                </strong>
                {where(item.documentIndex)}: {item.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {report.flagged.length > 0 ? (
        <section className="report-section" aria-labelledby="import-flagged">
          <h3 id="import-flagged">Flagged ({report.flagged.length})</h3>
          <ul className="plain-list report-items">
            {report.flagged.map((item, i) => (
              <li key={`${item.kind}-${item.name}-${i}`}>
                <strong>
                  {item.kind} {item.name}
                </strong>{' '}
                <code>{item.code}</code> {item.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
