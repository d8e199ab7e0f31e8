import type { AccessPolicyTarget } from '../access-policy/access-policy.schema.ts';
import type { ListenerTlsMode } from '../ingress-gateway/ingress-gateway.schema.ts';
import { effectiveMode, type MtlsMode } from '../mtls/mtls.ts';
import {
  createEdgeIndex,
  evaluateEdge,
  listenerEdgeState,
  type EdgeDestination,
  type EdgeSource,
  type EdgeState,
  type MatchedRule,
} from '../policy/edge-state.ts';
import type { MeshSnapshot } from './snapshot.ts';

export const OUTSIDE_NODE_ID = 'outside';

export interface DeploymentShare {
  id: string;
  name: string;
  /** Share of traffic in percent from the highest-priority route table, when one routes to it. */
  weightPercent?: number;
}

export interface ListenerSummary {
  host: string;
  protocol: string;
  port: number;
  tlsMode: ListenerTlsMode;
}

export type TopologyNode =
  | { id: string; kind: 'outside'; name: string }
  | {
      id: string;
      kind: 'ingressGateway';
      name: string;
      listeners: ListenerSummary[];
    }
  | {
      id: string;
      kind: 'virtualService';
      name: string;
      declaredMode: MtlsMode | null;
      effectiveMode: MtlsMode;
      inherited: boolean;
      hosts: string[];
      deployments: DeploymentShare[];
    }
  | {
      id: string;
      kind: 'external';
      name: string;
      hostnames: string[];
      ipAddresses: string[];
      ports: number[];
      protocol?: string;
    };

/** Why an edge is drawn: a gateway route, an access-policy rule, or exposure to outside callers. */
export type EdgeOrigin = 'route' | 'policy' | 'exposure';

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  state: EdgeState;
  reason: string;
  matchedRules: MatchedRule[];
  origins: EdgeOrigin[];
}

export interface Topology {
  meshId: string;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

type ExternalTarget = Extract<AccessPolicyTarget, { type: 'EXTERNAL_SERVICE' }>;

function externalKey(t: ExternalTarget): string {
  return [
    t.protocol ?? '',
    [...(t.hostnames ?? [])].sort().join(','),
    [...(t.ipAddresses ?? [])].sort().join(','),
    [...(t.ports ?? [])].sort((a, b) => a - b).join(','),
  ].join('|');
}

function externalName(t: ExternalTarget): string {
  const where = [...(t.hostnames ?? []), ...(t.ipAddresses ?? [])].join(', ') || 'any';
  const ports = t.ports && t.ports.length > 0 ? `:${t.ports.join(',')}` : '';
  return `${where}${ports}`;
}

/** A representative request for an external node, so evaluateEdge can judge its edge. */
function externalProbe(t: ExternalTarget): EdgeDestination {
  const port = t.ports?.[0];
  const hostname = t.hostnames?.[0];
  const base = { kind: 'external' as const, ...(port !== undefined ? { port } : {}) };
  const protocol = t.protocol ? { protocol: t.protocol } : {};
  if (hostname !== undefined) {
    return {
      ...base,
      ...protocol,
      hostname: hostname === '*' ? 'any.host' : hostname.replace(/^\*\./, 'any.'),
    };
  }
  const cidr = t.ipAddresses?.[0];
  return { ...base, ...protocol, ...(cidr ? { ipAddress: cidr.split('/')[0] } : {}) };
}

function deploymentShares(snapshot: MeshSnapshot, vsId: string): DeploymentShare[] {
  const deployments = snapshot.virtualDeployments
    .filter((d) => d.virtualServiceId === vsId)
    .sort((a, b) => a.name.localeCompare(b.name));
  const table = [...snapshot.virtualServiceRouteTables]
    .filter((t) => t.virtualServiceId === vsId)
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || a.name.localeCompare(b.name))[0];
  const weights = new Map<string, number>();
  let total = 0;
  for (const dest of table?.routeRules[0]?.destinations ?? []) {
    weights.set(
      dest.virtualDeploymentId,
      (weights.get(dest.virtualDeploymentId) ?? 0) + dest.weight,
    );
    total += dest.weight;
  }
  return deployments.map((d) => {
    const w = weights.get(d.id);
    return w !== undefined && total > 0
      ? { id: d.id, name: d.name, weightPercent: Math.round((w / total) * 1000) / 10 }
      : { id: d.id, name: d.name };
  });
}

/**
 * Derives the mesh's graph: nodes for the outside world, gateways, virtual services and the
 * external services that policies name; edges from outside callers to gateways and services,
 * from gateway routes and access-policy rules. Every edge's state comes from evaluateEdge.
 */
export function deriveTopology(snapshot: MeshSnapshot): Topology {
  const minimum = snapshot.mesh.mtls.minimum;
  const nodes: TopologyNode[] = [
    { id: OUTSIDE_NODE_ID, kind: 'outside', name: 'Outside the mesh' },
  ];
  const edges = new Map<string, TopologyEdge>();
  const index = createEdgeIndex(snapshot);
  const vsIds = snapshot.virtualServices.map((v) => v.id);
  const vsIdSet = new Set(vsIds);

  for (const gw of [...snapshot.ingressGateways].sort((a, b) => a.name.localeCompare(b.name))) {
    const listeners: ListenerSummary[] = gw.hosts.flatMap((h) =>
      h.listeners.map((l) => ({
        host: h.name,
        protocol: l.protocol,
        port: l.port,
        tlsMode: l.tls?.mode ?? 'DISABLED',
      })),
    );
    nodes.push({ id: gw.id, kind: 'ingressGateway', name: gw.name, listeners });
    const weakest = listeners.map((l) => listenerEdgeState(l.tlsMode));
    const state: EdgeState = weakest.includes('plaintext')
      ? 'plaintext'
      : weakest.includes('tls')
        ? 'tls'
        : 'mtls';
    edges.set(`${OUTSIDE_NODE_ID}->${gw.id}`, {
      id: `${OUTSIDE_NODE_ID}->${gw.id}`,
      source: OUTSIDE_NODE_ID,
      target: gw.id,
      state,
      reason: `${gw.name} listens with ${listeners
        .map((l) => `${l.protocol} :${l.port} ${l.tlsMode}`)
        .join(', ')}; the mesh minimum does not govern gateway listeners`,
      matchedRules: [],
      origins: ['exposure'],
    });
  }

  for (const vs of [...snapshot.virtualServices].sort((a, b) => a.name.localeCompare(b.name))) {
    const mode = effectiveMode(vs.declaredMode, minimum);
    nodes.push({
      id: vs.id,
      kind: 'virtualService',
      name: vs.name,
      declaredMode: vs.declaredMode,
      effectiveMode: mode,
      inherited: vs.declaredMode === null,
      hosts: vs.hosts ?? [],
      deployments: deploymentShares(snapshot, vs.id),
    });
  }

  const add = (
    source: EdgeSource,
    sourceId: string,
    dest: EdgeDestination,
    targetId: string,
    origin: EdgeOrigin,
  ) => {
    if (sourceId === targetId) return;
    const id = `${sourceId}->${targetId}`;
    const existing = edges.get(id);
    if (existing) {
      if (!existing.origins.includes(origin)) existing.origins.push(origin);
      return;
    }
    const verdict = evaluateEdge(snapshot, source, dest, index);
    edges.set(id, {
      id,
      source: sourceId,
      target: targetId,
      state: verdict.state,
      reason: verdict.reason,
      matchedRules: verdict.matchedRules,
      origins: [origin],
    });
  };

  for (const vs of snapshot.virtualServices) {
    add(
      { kind: 'outside' },
      OUTSIDE_NODE_ID,
      { kind: 'virtualService', id: vs.id },
      vs.id,
      'exposure',
    );
  }

  const gatewayIds = new Set(snapshot.ingressGateways.map((g) => g.id));
  for (const table of snapshot.ingressGatewayRouteTables) {
    if (!gatewayIds.has(table.ingressGatewayId)) continue;
    for (const rule of table.routeRules) {
      for (const dest of rule.destinations) {
        if (!vsIdSet.has(dest.virtualServiceId)) continue;
        add(
          { kind: 'ingressGateway', id: table.ingressGatewayId },
          table.ingressGatewayId,
          { kind: 'virtualService', id: dest.virtualServiceId },
          dest.virtualServiceId,
          'route',
        );
      }
    }
  }

  const externalNodes = new Map<string, TopologyNode>();
  const sourcesOf = (t: AccessPolicyTarget): { source: EdgeSource; id: string }[] => {
    switch (t.type) {
      case 'ALL_VIRTUAL_SERVICES':
        return vsIds.map((id) => ({ source: { kind: 'virtualService', id }, id }));
      case 'VIRTUAL_SERVICE':
        return vsIdSet.has(t.virtualServiceId)
          ? [{ source: { kind: 'virtualService', id: t.virtualServiceId }, id: t.virtualServiceId }]
          : [];
      case 'INGRESS_GATEWAY':
        return gatewayIds.has(t.ingressGatewayId)
          ? [{ source: { kind: 'ingressGateway', id: t.ingressGatewayId }, id: t.ingressGatewayId }]
          : [];
      case 'EXTERNAL_SERVICE':
        return [];
    }
  };
  const destinationsOf = (t: AccessPolicyTarget): { dest: EdgeDestination; id: string }[] => {
    switch (t.type) {
      case 'ALL_VIRTUAL_SERVICES':
        return vsIds.map((id) => ({ dest: { kind: 'virtualService', id }, id }));
      case 'VIRTUAL_SERVICE':
        return vsIdSet.has(t.virtualServiceId)
          ? [{ dest: { kind: 'virtualService', id: t.virtualServiceId }, id: t.virtualServiceId }]
          : [];
      case 'INGRESS_GATEWAY':
        return [];
      case 'EXTERNAL_SERVICE': {
        const key = `external:${externalKey(t)}`;
        if (!externalNodes.has(key)) {
          externalNodes.set(key, {
            id: key,
            kind: 'external',
            name: externalName(t),
            hostnames: t.hostnames ?? [],
            ipAddresses: t.ipAddresses ?? [],
            ports: t.ports ?? [],
            ...(t.protocol ? { protocol: t.protocol } : {}),
          });
        }
        return [{ dest: externalProbe(t), id: key }];
      }
    }
  };

  for (const policy of snapshot.accessPolicies) {
    for (const rule of policy.rules) {
      const sources = sourcesOf(rule.source);
      const dests = destinationsOf(rule.destination);
      for (const s of sources) {
        for (const d of dests) add(s.source, s.id, d.dest, d.id, 'policy');
      }
    }
  }

  nodes.push(...[...externalNodes.values()].sort((a, b) => a.name.localeCompare(b.name)));
  return { meshId: snapshot.mesh.id, nodes, edges: [...edges.values()] };
}
