import { describe, expect, it } from 'vitest';
import { EDGE_DETAIL_NODES, edgesInView, nearestNode } from './topology-canvas.tsx';
import type { TopologyGraph } from './to-flow-graph.ts';

type FlowNode = TopologyGraph['nodes'][number];
const node = (id: string, x: number, y: number) =>
  ({
    id,
    position: { x, y },
    width: 200,
    height: 100,
    type: 'endpoint',
    data: {},
  }) as unknown as FlowNode;

describe('a huge graph draws the edges of what is in view', () => {
  const nodes = [
    node('a', 0, 0),
    node('b', 300, 0),
    node('far', 5000, 5000),
    node('far2', 6000, 5000),
  ];
  const edges = [
    { id: 'a->b', source: 'a', target: 'b' },
    { id: 'b->far', source: 'b', target: 'far' },
    { id: 'far->far2', source: 'far', target: 'far2' },
  ];

  it('keeps edges with an end in view and drops those wholly outside', () => {
    const result = edgesInView(nodes, edges, { x: 0, y: 0, zoom: 1 }, { width: 800, height: 600 });
    expect(result.edges.map((e) => e.id)).toEqual(['a->b', 'b->far']);
    expect(result.nodesInView).toBe(2);
    // The far end of a drawn edge comes along; a node only far edges touch does not.
    expect(result.nodes.map((n) => n.id)).toEqual(['a', 'b', 'far']);
  });

  it('draws no edges when more nodes than the limit are in view (coarser level of detail)', () => {
    const many = Array.from({ length: EDGE_DETAIL_NODES + 1 }, (_, i) => node(`n${i}`, i, 0));
    const result = edgesInView(
      many,
      [{ source: 'n0', target: 'n1' }],
      { x: 0, y: 0, zoom: 1 },
      {
        width: 800,
        height: 600,
      },
    );
    expect(result.edges).toEqual([]);
    expect(result.nodesInView).toBe(EDGE_DETAIL_NODES + 1);
    expect(result.nodes).toHaveLength(EDGE_DETAIL_NODES + 1);
  });
});

describe('arrow keys move to the nearest node that way', () => {
  const nodes = [
    node('gw', 0, 200),
    node('top', 400, 0),
    node('mid', 400, 220),
    node('low', 400, 600),
  ];
  it.each([
    ['gw', 'ArrowRight', 'mid'],
    ['mid', 'ArrowUp', 'top'],
    ['mid', 'ArrowDown', 'low'],
    ['mid', 'ArrowLeft', 'gw'],
    ['gw', 'ArrowLeft', undefined],
  ] as const)('from %s %s goes to %s', (from, key, to) => {
    expect(nearestNode(nodes, from, key)).toBe(to);
  });
});
