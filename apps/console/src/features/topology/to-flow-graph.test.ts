import type { Topology } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import { bookinfo, edge, gateway, outside, service } from '../../test/topology-fixtures.ts';
import { EDGE_LABEL_LIMIT, listenerLabel, toFlowGraph } from './to-flow-graph.ts';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('toFlowGraph', () => {
  it('names every node for assistive technology, saying when a mode is inherited', () => {
    const graph = toFlowGraph(bookinfo());
    const labels = graph.nodes.map((n) => n.ariaLabel);
    expect(labels).toContain(
      'virtual service reviews, PERMISSIVE inherited from mesh; outside callers: plaintext allowed',
    );
    expect(labels).toContain('virtual service details, STRICT; outside callers: refused');
    expect(labels).toContain('ingress gateway edge-gw, listeners HTTP 8080 DISABLED');
    expect(labels).toContain('outside the mesh');
    expect(labels).toContain('external service api.partner.example.com');
  });

  it('never shows an inherited PERMISSIVE service as STRICT or DISABLED', () => {
    const graph = toFlowGraph(bookinfo());
    const reviews = graph.nodes.find((n) => n.id === 'vs-reviews');
    expect(reviews?.type).toBe('service');
    expect(reviews?.data).toMatchObject({ effectiveMode: 'PERMISSIVE', inherited: true });
  });

  it('labels each edge and its table row from the same data', () => {
    const graph = toFlowGraph(bookinfo(), { showOutsideCallers: true });
    expect(graph.edges).toHaveLength(graph.edgeRows.length);
    for (const flowEdge of graph.edges) {
      const row = graph.edgeRows.find((r) => r.id === flowEdge.id);
      expect(row).toBeDefined();
      expect(flowEdge.data?.state).toBe(row?.state);
      expect(flowEdge.data?.label).toBe(row?.label);
      expect(flowEdge.className).toBe(`state-edge state-edge--${row?.state}`);
    }
    const labels = graph.edgeRows.map((r) => r.label);
    expect(labels).toContain('edge productpage to details: mtls');
    expect(labels).toContain('edge outside to details: refused');
    expect(labels).toContain('edge outside to productpage: plaintext');
    expect(graph.edgeRows.find((r) => r.id === 'outside->vs-details')?.reason).toBe(
      'outside to vs-details is refused',
    );
  });

  it('builds fresh node and edge objects for a changed topology without touching the input', () => {
    const before: Topology = deepFreeze({
      meshId: 'm',
      nodes: [
        outside(),
        service('orders', { declared: null }),
        service('cart', { declared: null }),
      ],
      edges: [
        edge('outside', 'vs-orders', 'plaintext', ['exposure']),
        edge('vs-cart', 'vs-orders', 'mtls'),
      ],
    });
    const after: Topology = deepFreeze({
      meshId: 'm',
      nodes: [
        outside(),
        service('orders', { declared: 'STRICT' }),
        service('cart', { declared: null }),
      ],
      edges: [
        edge('outside', 'vs-orders', 'refused', ['exposure']),
        edge('vs-cart', 'vs-orders', 'mtls'),
      ],
    });
    const first = toFlowGraph(before, { showOutsideCallers: true });
    const second = toFlowGraph(after, { showOutsideCallers: true });
    const outsideEdge = (g: typeof first) => g.edges.find((e) => e.id === 'outside->vs-orders');
    expect(outsideEdge(first)?.data?.state).toBe('plaintext');
    expect(outsideEdge(second)?.data?.state).toBe('refused');
    expect(outsideEdge(second)).not.toBe(outsideEdge(first));
    expect(second.edges.find((e) => e.id === 'vs-cart->vs-orders')?.data?.state).toBe('mtls');
    expect(second.nodes.find((n) => n.id === 'vs-orders')?.ariaLabel).toBe(
      'virtual service orders, STRICT; outside callers: refused',
    );
    // Without the outside edges drawn, the node's outside line changes the same way.
    const exposure = (g: typeof first) =>
      g.nodes.find((n) => n.id === 'vs-orders')?.data as { exposure?: { state: string } };
    const hidden = [toFlowGraph(before), toFlowGraph(after)];
    expect(hidden.map((g) => exposure(g).exposure?.state)).toEqual(['plaintext', 'refused']);
    expect(hidden[1]?.nodes.find((n) => n.id === 'vs-orders')).not.toBe(
      hidden[0]?.nodes.find((n) => n.id === 'vs-orders'),
    );
  });

  it('keeps node data small: names, modes, deployment weights and the outside edge', () => {
    const graph = toFlowGraph(bookinfo());
    const reviews = graph.nodes.find((n) => n.id === 'vs-reviews');
    expect(reviews?.data).toEqual({
      name: 'reviews',
      effectiveMode: 'PERMISSIVE',
      inherited: true,
      deployments: [
        { id: 'vd-reviews-v1', name: 'reviews-v1', weightPercent: 50 },
        { id: 'vd-reviews-v2', name: 'reviews-v2', weightPercent: 25 },
        { id: 'vd-reviews-v3', name: 'reviews-v3', weightPercent: 25 },
      ],
      exposure: { edgeId: 'outside->vs-reviews', state: 'plaintext' },
    });
  });

  it('drops canvas labels on very large graphs but keeps every edge in the table', () => {
    const names = Array.from({ length: 14 }, (_, i) => `s${i}`);
    const topology: Topology = {
      meshId: 'm',
      nodes: names.map((n) => service(n, { declared: null })),
      edges: names.flatMap((a) =>
        names.filter((b) => b !== a).map((b) => edge(`vs-${a}`, `vs-${b}`, 'mtls')),
      ),
    };
    const graph = toFlowGraph(topology);
    expect(graph.edgeRows.length).toBeGreaterThan(EDGE_LABEL_LIMIT);
    expect(graph.edgeRows).toHaveLength(topology.edges.length);
    expect(graph.edges.every((e) => e.data?.showLabel === false)).toBe(true);
  });

  it('draws no outside → service edges by default but says on each service how outside callers fare (case B1)', () => {
    const graph = toFlowGraph(bookinfo());
    const drawn = graph.edges.map((e) => e.data?.label);
    expect(drawn).not.toContain('edge outside to productpage: plaintext');
    expect(drawn).not.toContain('edge outside to details: refused');
    // The gateway's exposure is still drawn: it is the way in.
    expect(drawn).toContain('edge outside to edge-gw: plaintext');
    expect(graph.outsideCallerEdgeCount).toBe(4);

    // The table and the side panel still list every edge; the node reads the same row.
    for (const node of graph.nodes.filter((n) => n.type === 'service')) {
      const exposure = (node.data as { exposure?: { edgeId: string; state: string } }).exposure;
      const row = graph.edgeRows.find((r) => r.id === exposure?.edgeId);
      expect(row?.source).toBe('outside');
      expect(row?.target).toBe(node.id);
      expect(exposure?.state).toBe(row?.state);
    }
    expect(graph.edgeRows.map((r) => r.label)).toContain('edge outside to details: refused');

    const all = toFlowGraph(bookinfo(), { showOutsideCallers: true });
    expect(all.edges.map((e) => e.data?.label)).toContain('edge outside to details: refused');
  });

  it('leaves the outside node out when nothing drawn starts there', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [outside(), service('a', { declared: null }), service('b', { declared: null })],
      edges: [edge('outside', 'vs-a', 'plaintext', ['exposure']), edge('vs-a', 'vs-b', 'mtls')],
    };
    expect(toFlowGraph(topology).nodes.map((n) => n.id)).toEqual(['vs-a', 'vs-b']);
    expect(toFlowGraph(topology, { showOutsideCallers: true }).nodes.map((n) => n.id)).toContain(
      'outside',
    );
  });

  it('gives every node the size the layout placed it with, and lanes to edges that span columns', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [
        gateway('gw'),
        service('a', { declared: null }),
        service('b', { declared: null }),
        service('c', { declared: null }),
      ],
      edges: [
        edge('gw-gw', 'vs-a', 'mtls', ['route']),
        edge('vs-a', 'vs-b', 'mtls'),
        edge('vs-b', 'vs-c', 'mtls'),
        edge('gw-gw', 'vs-c', 'denied', ['route']),
      ],
    };
    const graph = toFlowGraph(topology);
    for (const node of graph.nodes) {
      expect(node.width).toBeGreaterThan(0);
      expect(node.height).toBeGreaterThan(0);
    }
    const denied = graph.edges.find((e) => e.id === 'gw-gw->vs-c');
    expect(denied?.data?.route?.points).toHaveLength(4);
    expect(graph.edges.find((e) => e.id === 'vs-a->vs-b')?.data?.route).toBeUndefined();
  });

  it('words a gateway listener as port on host', () => {
    expect(listenerLabel({ protocol: 'HTTP', port: 9080, host: 'bookinfoHost' })).toBe(
      'HTTP :9080 on bookinfoHost',
    );
  });
});
