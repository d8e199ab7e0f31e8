import type {
  AccessPolicy,
  DeploymentListener,
  IngressGateway,
  IngressGatewayRouteTable,
  VirtualDeployment,
  VirtualServiceRouteTable,
} from '@meshdeck/domain';
import { Link } from 'react-router';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { LifecycleBadge } from '../../../components/ui/lifecycle-badge.tsx';
import { describeTarget } from './mesh-resources.ts';

function listenersText(d: VirtualDeployment): string {
  const listeners: DeploymentListener[] = d.listeners ?? [];
  return listeners.map((l) => `${l.protocol} :${l.port}`).join(', ') || '—';
}

export function DeploymentTable({
  deployments,
  names,
}: {
  deployments: VirtualDeployment[];
  names: Map<string, string>;
}) {
  return (
    <DataTable<VirtualDeployment>
      caption="Virtual deployments"
      rows={[...deployments].sort((a, b) => a.name.localeCompare(b.name))}
      rowKey={(d) => d.id}
      columns={[
        { key: 'name', header: 'Name', cell: (d) => d.name },
        {
          key: 'vs',
          header: 'Virtual service',
          cell: (d) => names.get(d.virtualServiceId) ?? d.virtualServiceId,
        },
        {
          key: 'discovery',
          header: 'Discovery',
          cell: (d) =>
            d.serviceDiscovery?.type === 'DNS' ? (
              <span className="mono">{d.serviceDiscovery.hostname}</span>
            ) : (
              (d.serviceDiscovery?.type ?? '—')
            ),
        },
        {
          key: 'listeners',
          header: 'Listeners',
          cell: (d) => listenersText(d),
        },
        {
          key: 'logging',
          header: 'Access log',
          cell: (d) => (d.accessLogging?.isEnabled ? 'on' : 'off'),
        },
        { key: 'state', header: 'State', cell: (d) => <LifecycleBadge state={d.lifecycleState} /> },
      ]}
    />
  );
}

export function GatewayTable({ gateways }: { gateways: IngressGateway[] }) {
  return (
    <DataTable<IngressGateway>
      caption="Ingress gateways"
      rows={[...gateways].sort((a, b) => a.name.localeCompare(b.name))}
      rowKey={(g) => g.id}
      columns={[
        { key: 'name', header: 'Name', cell: (g) => g.name },
        {
          key: 'listeners',
          header: 'Listeners',
          cell: (g) => (
            <ul className="plain-list">
              {g.hosts.flatMap((h) =>
                h.listeners.map((l, i) => (
                  <li key={`${h.name}-${i}`}>
                    <span className="mono">
                      {l.protocol} :{l.port} on {h.name}
                      {h.hostnames?.length ? ` (${h.hostnames.join(', ')})` : ''}
                    </span>{' '}
                    · listener TLS mode:{' '}
                    <span
                      className={`tls-mode tls-mode--${(l.tls?.mode ?? 'DISABLED').toLowerCase()}`}
                    >
                      {l.tls?.mode ?? 'DISABLED'}
                    </span>
                  </li>
                )),
              )}
            </ul>
          ),
        },
        {
          key: 'validity',
          header: 'Max validity',
          cell: (g) =>
            g.mtls?.maximumValidity !== undefined ? `${g.mtls.maximumValidity} d` : '45 d',
        },
        { key: 'state', header: 'State', cell: (g) => <LifecycleBadge state={g.lifecycleState} /> },
      ]}
    />
  );
}

type AnyRouteTable =
  | { kind: 'Virtual service'; owner: string; table: VirtualServiceRouteTable }
  | { kind: 'Ingress gateway'; owner: string; table: IngressGatewayRouteTable };

export function RouteTableTable({
  virtualServiceRouteTables,
  ingressGatewayRouteTables,
  names,
}: {
  virtualServiceRouteTables: VirtualServiceRouteTable[];
  ingressGatewayRouteTables: IngressGatewayRouteTable[];
  names: Map<string, string>;
}) {
  const rows: AnyRouteTable[] = [
    ...ingressGatewayRouteTables.map((table) => ({
      kind: 'Ingress gateway' as const,
      owner: names.get(table.ingressGatewayId) ?? table.ingressGatewayId,
      table,
    })),
    ...virtualServiceRouteTables.map((table) => ({
      kind: 'Virtual service' as const,
      owner: names.get(table.virtualServiceId) ?? table.virtualServiceId,
      table,
    })),
  ].sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.owner.localeCompare(b.owner) ||
      (a.table.priority ?? 0) - (b.table.priority ?? 0) ||
      a.table.name.localeCompare(b.table.name),
  );
  return (
    <DataTable<AnyRouteTable>
      caption="Route tables"
      rows={rows}
      rowKey={(r) => r.table.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          cell: (r) => (
            <Link
              to={`/${r.kind === 'Ingress gateway' ? 'ingress-gateway' : 'virtual-service'}-route-tables/${encodeURIComponent(r.table.id)}`}
            >
              {r.table.name}
            </Link>
          ),
        },
        { key: 'kind', header: 'For', cell: (r) => `${r.kind} ${r.owner}` },
        {
          key: 'priority',
          header: 'Priority',
          className: 'num',
          cell: (r) => r.table.priority ?? '—',
        },
        {
          key: 'rules',
          header: 'Rules',
          cell: (r) => (
            <ul className="plain-list mono">
              {r.kind === 'Virtual service'
                ? r.table.routeRules.map((rule, i) => (
                    <li key={i}>
                      {rule.type}
                      {rule.type === 'HTTP' && rule.path ? ` ${rule.path}` : ''} →{' '}
                      {rule.destinations
                        .map(
                          (d) =>
                            `${names.get(d.virtualDeploymentId) ?? d.virtualDeploymentId} (${d.weight})`,
                        )
                        .join(', ')}
                    </li>
                  ))
                : r.table.routeRules.map((rule, i) => (
                    <li key={i}>
                      {rule.type}
                      {rule.type === 'HTTP' && rule.path ? ` ${rule.path}` : ''} →{' '}
                      {rule.destinations
                        .map((d) => names.get(d.virtualServiceId) ?? d.virtualServiceId)
                        .join(', ')}
                    </li>
                  ))}
            </ul>
          ),
        },
        {
          key: 'state',
          header: 'State',
          cell: (r) => <LifecycleBadge state={r.table.lifecycleState} />,
        },
      ]}
    />
  );
}

export function AccessPolicyTable({
  policies,
  names,
}: {
  policies: AccessPolicy[];
  names: Map<string, string>;
}) {
  return (
    <DataTable<AccessPolicy>
      caption="Access policies"
      rows={[...policies].sort((a, b) => a.name.localeCompare(b.name))}
      rowKey={(p) => p.id}
      columns={[
        { key: 'name', header: 'Name', cell: (p) => p.name },
        {
          key: 'rules',
          header: 'Rules (ALLOW)',
          cell: (p) =>
            p.rules.length === 0 ? (
              <span className="muted">no rules</span>
            ) : (
              <ol className="plain-list">
                {p.rules.map((rule, i) => (
                  <li key={i}>
                    {describeTarget(rule.source, names)} → {describeTarget(rule.destination, names)}
                  </li>
                ))}
              </ol>
            ),
        },
        { key: 'state', header: 'State', cell: (p) => <LifecycleBadge state={p.lifecycleState} /> },
      ]}
    />
  );
}
