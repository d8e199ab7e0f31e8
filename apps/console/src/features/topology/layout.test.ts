import type { Topology } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import { bookinfo, edge, gateway, outside, service } from '../../test/topology-fixtures.ts';
import { layoutTopology, type PlacedNode } from './layout.ts';

function columns(topology: Topology, options = {}) {
  const placed = layoutTopology(topology, options).nodes;
  const byName = new Map(topology.nodes.map((n) => [n.name, placed.get(n.id) as PlacedNode]));
  return (name: string) => byName.get(name)?.column;
}

function overlaps(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 9301 + 49297) % 233280;
    const j = Math.floor((s / 233280) * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('layoutTopology', () => {
  it('puts the outside node first, then gateways, services by depth, then external services', () => {
    const column = columns(bookinfo());
    expect(column('Outside the mesh')).toBe(0);
    expect(column('edge-gw')).toBe(1);
    expect(column('productpage')).toBe(2);
    expect(column('details')).toBe(3);
    expect(column('reviews')).toBe(3);
    expect(column('ratings')).toBe(4);
    expect(column('api.partner.example.com')).toBe(5);
  });

  it('ranks a service by its longest path from a gateway, not its shortest', () => {
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
        edge('gw-gw', 'vs-c', 'mtls', ['route']),
        edge('vs-a', 'vs-b', 'mtls'),
        edge('vs-b', 'vs-c', 'mtls'),
      ],
    };
    const column = columns(topology);
    expect([column('gw'), column('a'), column('b'), column('c')]).toEqual([0, 1, 2, 3]);
  });

  it('ignores denied and refused edges when ranking but follows gateway routes even when denied', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [
        outside(),
        gateway('gw'),
        service('a', { declared: null }),
        service('b', { declared: null }),
      ],
      edges: [
        edge('outside', 'vs-a', 'refused', ['exposure']),
        edge('gw-gw', 'vs-a', 'denied', ['route']),
        edge('vs-a', 'vs-b', 'denied', ['policy']),
      ],
    };
    const column = columns(topology);
    expect(column('a')).toBe(2);
    expect(column('b')).toBe(2);
  });

  it('keeps services that call each other in a cycle in one rank', () => {
    const names = ['cart', 'orders', 'inventory'];
    const topology: Topology = {
      meshId: 'm',
      nodes: [gateway('gw'), ...names.map((n) => service(n, { declared: null }))],
      edges: [
        edge('gw-gw', 'vs-cart', 'mtls', ['route']),
        ...names.flatMap((a) =>
          names.filter((b) => b !== a).map((b) => edge(`vs-${a}`, `vs-${b}`, 'mtls')),
        ),
      ],
    };
    const column = columns(topology);
    expect(new Set(names.map(column))).toEqual(new Set([1]));
  });

  it('starts services that no gateway reaches in the first service column and leaves no empty column', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [outside(), service('a', { declared: null }), service('b', { declared: null })],
      edges: [edge('outside', 'vs-a', 'plaintext', ['exposure']), edge('vs-a', 'vs-b', 'mtls')],
    };
    const column = columns(topology);
    expect([column('Outside the mesh'), column('a'), column('b')]).toEqual([0, 1, 2]);
  });

  it('never overlaps two nodes and spreads each column evenly, even for an all-to-all mesh of 40', () => {
    const names = Array.from({ length: 40 }, (_, i) => `vs${String(i).padStart(2, '0')}`);
    const topology: Topology = {
      meshId: 'm',
      nodes: [
        outside(),
        gateway('gw'),
        ...names.map((n, i) =>
          service(
            n,
            { declared: null },
            i % 3 === 0 ? [{ name: `${n}-v1` }, { name: `${n}-v2` }] : [],
          ),
        ),
      ],
      edges: [
        edge('gw-gw', 'vs-vs00', 'mtls', ['route']),
        ...names.flatMap((a) =>
          names.filter((b) => b !== a).map((b) => edge(`vs-${a}`, `vs-${b}`, 'mtls')),
        ),
      ],
    };
    const placed = [...layoutTopology(topology, { maxRowsPerColumn: 10 }).nodes.values()];
    expect(placed).toHaveLength(42);
    for (let i = 0; i < placed.length; i += 1) {
      for (let j = i + 1; j < placed.length; j += 1) {
        expect(overlaps(placed[i] as PlacedNode, placed[j] as PlacedNode)).toBe(false);
      }
    }
    const byColumn = new Map<number, PlacedNode[]>();
    for (const p of placed) byColumn.set(p.column, [...(byColumn.get(p.column) ?? []), p]);
    for (const members of byColumn.values()) {
      expect(members.length).toBeLessThanOrEqual(10);
      const centres = members.map((m) => m.y + m.height / 2).sort((a, b) => a - b);
      const gaps = centres.slice(1).map((c, i) => c - (centres[i] as number));
      for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0] as number, 6);
      const mid = ((centres[0] as number) + (centres[centres.length - 1] as number)) / 2;
      expect(mid).toBeCloseTo(0, 6);
    }
  });

  it('gives the same positions whatever order the nodes and edges arrive in', () => {
    const topology = bookinfo();
    const expected = layoutTopology(topology);
    for (const seed of [1, 7, 42]) {
      const again = layoutTopology({
        ...topology,
        nodes: shuffled(topology.nodes, seed),
        edges: shuffled(topology.edges, seed + 1),
      });
      expect(again).toEqual(expected);
    }
  });

  it('orders a column by where its callers sit, then by name', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [
        gateway('a-gw'),
        gateway('b-gw'),
        service('zeta', { declared: null }),
        service('alpha', { declared: null }),
      ],
      edges: [
        edge('gw-a-gw', 'vs-zeta', 'mtls', ['route']),
        edge('gw-b-gw', 'vs-alpha', 'mtls', ['route']),
      ],
    };
    const placed = layoutTopology(topology).nodes;
    expect(placed.get('vs-zeta')?.row).toBe(0);
    expect(placed.get('vs-alpha')?.row).toBe(1);
  });
});

/** The demo shop: a denied gateway route to payments spans four columns of services. */
function shop(): Topology {
  return {
    meshId: 'shop',
    nodes: [
      outside(),
      gateway('shop-gw'),
      ...['storefront', 'cart', 'catalog', 'recommendations', 'orders', 'payments'].map((n) =>
        service(n, { declared: null }, [{ name: `${n}-v1` }]),
      ),
    ],
    edges: [
      edge('outside', 'gw-shop-gw', 'plaintext', ['exposure']),
      edge('gw-shop-gw', 'vs-storefront', 'mtls', ['route', 'policy']),
      edge('gw-shop-gw', 'vs-orders', 'mtls', ['route', 'policy']),
      edge('gw-shop-gw', 'vs-payments', 'denied', ['route']),
      edge('vs-storefront', 'vs-cart', 'mtls'),
      edge('vs-storefront', 'vs-catalog', 'mtls'),
      edge('vs-storefront', 'vs-recommendations', 'mtls'),
      edge('vs-cart', 'vs-orders', 'mtls'),
      edge('vs-orders', 'vs-payments', 'mtls'),
    ],
  };
}

function crossingCount(topology: Topology, placed: Map<string, PlacedNode>): number {
  const centre = (id: string) => {
    const p = placed.get(id) as PlacedNode;
    return p.y + p.height / 2;
  };
  const between = topology.edges.filter(
    (e) =>
      Math.abs((placed.get(e.source)?.column ?? 0) - (placed.get(e.target)?.column ?? 0)) === 1,
  );
  let count = 0;
  for (let i = 0; i < between.length; i += 1) {
    for (let j = i + 1; j < between.length; j += 1) {
      const a = between[i] as Topology['edges'][number];
      const b = between[j] as Topology['edges'][number];
      if (placed.get(a.source)?.column !== placed.get(b.source)?.column) continue;
      const d = (centre(a.source) - centre(b.source)) * (centre(a.target) - centre(b.target));
      if (d < 0) count += 1;
    }
  }
  return count;
}

describe('layoutTopology edge routing', () => {
  it('runs an edge that spans columns through lanes no node covers, so it never hides behind one', () => {
    const topology = shop();
    const { nodes, routes } = layoutTopology(topology);
    const denied = routes.get('gw-shop-gw->vs-payments');
    expect(denied).toBeDefined();
    // One lane (two points) in each of the three service columns between the gateway and payments.
    expect(denied?.points).toHaveLength(6);
    for (const route of routes.values()) {
      for (let i = 0; i + 1 < route.points.length; i += 2) {
        const start = route.points[i] as { x: number; y: number };
        const end = route.points[i + 1] as { x: number; y: number };
        expect(start.y).toBe(end.y);
        for (const node of nodes.values()) {
          const sameColumn = node.x < end.x && start.x < node.x + node.width;
          if (sameColumn) {
            expect(start.y < node.y - 8 || start.y > node.y + node.height + 8).toBe(true);
          }
        }
      }
      // The label sits on the route, in one of its lanes.
      expect(route.points.some((p) => p.y === route.label.y)).toBe(true);
    }
    // Edges between neighbouring columns need no lanes.
    expect(routes.has('vs-storefront->vs-cart')).toBe(false);
  });

  it('orders each column by its neighbours so that edges do not cross when they need not', () => {
    const topology: Topology = {
      meshId: 'm',
      nodes: [gateway('gw'), ...['a', 'b', 'y', 'z'].map((n) => service(n, { declared: null }))],
      edges: [
        edge('gw-gw', 'vs-a', 'mtls', ['route']),
        edge('gw-gw', 'vs-b', 'mtls', ['route']),
        // By name y would sit above z and the two edges would cross.
        edge('vs-a', 'vs-z', 'mtls'),
        edge('vs-b', 'vs-y', 'mtls'),
      ],
    };
    const { nodes } = layoutTopology(topology);
    expect(crossingCount(topology, nodes)).toBe(0);
    expect(nodes.get('vs-z')?.row).toBe(0);
  });

  it('keeps gateways in a column of their own, with space between the rows of every column', () => {
    const topology = shop();
    const { nodes } = layoutTopology(topology);
    const gatewayColumn = nodes.get('gw-shop-gw')?.column;
    for (const [id, p] of nodes) {
      if (id !== 'gw-shop-gw') expect(p.column).not.toBe(gatewayColumn);
    }
    const placed = [...nodes.values()];
    for (const a of placed) {
      for (const b of placed) {
        if (a === b || a.column !== b.column) continue;
        expect(a.y + a.height + 16 <= b.y || b.y + b.height + 16 <= a.y).toBe(true);
      }
    }
  });

  it('takes services that call each other round the side of their column, each call on a track of its own', () => {
    const names = ['cart', 'orders', 'inventory'];
    const topology: Topology = {
      meshId: 'm',
      nodes: [gateway('gw'), ...names.map((n) => service(n, { declared: null }))],
      edges: [
        edge('gw-gw', 'vs-cart', 'mtls', ['route']),
        ...names.flatMap((a) =>
          names.filter((b) => b !== a).map((b) => edge(`vs-${a}`, `vs-${b}`, 'mtls')),
        ),
      ],
    };
    const { nodes, routes } = layoutTopology(topology);
    const column = nodes.get('vs-cart') as PlacedNode;
    const brackets = names.flatMap((a) =>
      names.filter((b) => b !== a).map((b) => routes.get(`vs-${a}->vs-${b}`)),
    );
    expect(brackets.every((r) => r?.bracket !== undefined)).toBe(true);
    const xs = new Set<number>();
    for (const route of brackets) {
      const x = route?.points[0]?.x as number;
      const down = (route?.bracket?.from.y as number) < (route?.bracket?.to.y as number);
      // Downwards on the right of the column, upwards on the left: a pair is never one line.
      expect(down ? x > column.x + column.width : x < column.x).toBe(true);
      xs.add(x);
    }
    expect(xs.size).toBe(brackets.length);
  });

  it('lays out large graphs without lanes, by wrapping tall columns', () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const topology: Topology = {
      meshId: 'm',
      nodes: [gateway('gw'), ...names.map((n) => service(n, { declared: null }))],
      edges: names.map((n) => edge('gw-gw', `vs-${n}`, 'mtls', ['route'])),
    };
    const { nodes, routes } = layoutTopology(topology, { maxRowsPerColumn: 10 });
    expect(routes.size).toBe(0);
    expect(new Set([...nodes.values()].map((p) => p.column)).size).toBe(3);
  });
});
