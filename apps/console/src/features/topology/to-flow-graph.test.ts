import type { Topology } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import { bookinfo, edge, service } from '../../test/topology-fixtures.ts';
import { EDGE_LABEL_LIMIT, toFlowGraph } from './to-flow-graph.ts';

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
    expect(labels).toContain('virtual service reviews, PERMISSIVE inherited from mesh');
    expect(labels).toContain('virtual service details, STRICT');
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
    const graph = toFlowGraph(bookinfo());
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
      nodes: [service('orders', { declared: null }), service('cart', { declared: null })],
      edges: [
        edge('outside', 'vs-orders', 'plaintext', ['exposure']),
        edge('vs-cart', 'vs-orders', 'mtls'),
      ],
    });
    const after: Topology = deepFreeze({
      meshId: 'm',
      nodes: [service('orders', { declared: 'STRICT' }), service('cart', { declared: null })],
      edges: [
        edge('outside', 'vs-orders', 'refused', ['exposure']),
        edge('vs-cart', 'vs-orders', 'mtls'),
      ],
    });
    const first = toFlowGraph(before);
    const second = toFlowGraph(after);
    const outsideEdge = (g: typeof first) => g.edges.find((e) => e.id === 'outside->vs-orders');
    expect(outsideEdge(first)?.data?.state).toBe('plaintext');
    expect(outsideEdge(second)?.data?.state).toBe('refused');
    expect(outsideEdge(second)).not.toBe(outsideEdge(first));
    expect(second.edges.find((e) => e.id === 'vs-cart->vs-orders')?.data?.state).toBe('mtls');
    expect(second.nodes.find((n) => n.id === 'vs-orders')?.ariaLabel).toBe(
      'virtual service orders, STRICT',
    );
  });

  it('keeps node data small: names, modes and deployment weights only', () => {
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
});
