import type { Topology } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import { bookinfo, edge, gateway, outside, service } from '../../test/topology-fixtures.ts';
import { layoutTopology, type PlacedNode } from './layout.ts';

function columns(topology: Topology, options = {}) {
  const placed = layoutTopology(topology, options);
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
    const placed = [...layoutTopology(topology, { maxRowsPerColumn: 10 }).values()];
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
    const placed = layoutTopology(topology);
    expect(placed.get('vs-zeta')?.row).toBe(0);
    expect(placed.get('vs-alpha')?.row).toBe(1);
  });
});
