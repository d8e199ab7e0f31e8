import type { EdgeOrigin, EdgeState, Topology, TopologyEdge, TopologyNode } from '@meshdeck/domain';

export function outside(): TopologyNode {
  return { id: 'outside', kind: 'outside', name: 'Outside the mesh' };
}

export function gateway(name: string, tlsMode: 'DISABLED' | 'TLS' = 'DISABLED'): TopologyNode {
  return {
    id: `gw-${name}`,
    kind: 'ingressGateway',
    name,
    listeners: [{ host: 'shop', protocol: 'HTTP', port: 8080, tlsMode }],
  };
}

export function service(
  name: string,
  mode: {
    declared: 'DISABLED' | 'PERMISSIVE' | 'STRICT' | null;
    minimum?: 'PERMISSIVE' | 'STRICT';
  },
  deployments: { name: string; weightPercent?: number }[] = [],
): TopologyNode {
  const effective = mode.declared ?? mode.minimum ?? 'PERMISSIVE';
  return {
    id: `vs-${name}`,
    kind: 'virtualService',
    name,
    declaredMode: mode.declared,
    effectiveMode: effective,
    inherited: mode.declared === null,
    hosts: [name],
    deployments: deployments.map((d) => ({ id: `vd-${d.name}`, ...d })),
  };
}

export function external(name: string): TopologyNode {
  return {
    id: `external:${name}`,
    kind: 'external',
    name,
    hostnames: [name],
    ipAddresses: [],
    ports: [443],
    protocol: 'HTTPS',
  };
}

export function edge(
  source: string,
  target: string,
  state: EdgeState,
  origins: EdgeOrigin[] = ['policy'],
): TopologyEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    state,
    reason: `${source} to ${target} is ${state}`,
    matchedRules: [],
    origins,
  };
}

/** Bookinfo-like: gateway → productpage → reviews → ratings, productpage → details, egress. */
export function bookinfo(): Topology {
  return {
    meshId: 'mesh-bookinfo',
    nodes: [
      outside(),
      gateway('edge-gw'),
      service('productpage', { declared: null }, [{ name: 'productpage-v1', weightPercent: 100 }]),
      service('details', { declared: 'STRICT' }),
      service('reviews', { declared: null }, [
        { name: 'reviews-v1', weightPercent: 50 },
        { name: 'reviews-v2', weightPercent: 25 },
        { name: 'reviews-v3', weightPercent: 25 },
      ]),
      service('ratings', { declared: null }),
      external('api.partner.example.com'),
    ],
    edges: [
      edge('outside', 'gw-edge-gw', 'plaintext', ['exposure']),
      edge('outside', 'vs-productpage', 'plaintext', ['exposure']),
      edge('outside', 'vs-details', 'refused', ['exposure']),
      edge('outside', 'vs-reviews', 'plaintext', ['exposure']),
      edge('outside', 'vs-ratings', 'plaintext', ['exposure']),
      edge('gw-edge-gw', 'vs-productpage', 'mtls', ['route', 'policy']),
      edge('vs-productpage', 'vs-details', 'mtls'),
      edge('vs-productpage', 'vs-reviews', 'mtls'),
      edge('vs-reviews', 'vs-ratings', 'mtls'),
      edge('vs-ratings', 'external:api.partner.example.com', 'tls'),
    ],
  };
}
