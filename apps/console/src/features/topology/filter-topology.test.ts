import { describe, expect, it } from 'vitest';
import { bookinfo } from '../../test/topology-fixtures.ts';
import { filterFromSearch, filterTopology, findNodes } from './filter-topology.ts';
import { layoutKey, toFlowGraph } from './to-flow-graph.ts';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('filtering the topology', () => {
  it('reads focus, modes and states from the query string and drops unknown values', () => {
    expect(
      filterFromSearch(
        new URLSearchParams(
          'focus=vs-reviews&mode=STRICT&mode=LOUD&state=denied&state=mtls&state=x',
        ),
      ),
    ).toEqual({ focus: 'vs-reviews', modes: ['STRICT'], states: ['denied', 'mtls'] });
  });

  it('focuses on one service and its neighbours, both directions', () => {
    const t = filterTopology(bookinfo(), { focus: 'vs-reviews', modes: [], states: [] });
    expect(ids(t.nodes)).toEqual(['outside', 'vs-productpage', 'vs-ratings', 'vs-reviews']);
    expect(ids(t.edges)).toEqual([
      'outside->vs-reviews',
      'vs-productpage->vs-reviews',
      'vs-reviews->vs-ratings',
    ]);
  });

  it('keeps services in the chosen modes and the gateways, with the edges between them', () => {
    const t = filterTopology(bookinfo(), { modes: ['STRICT'], states: [] });
    expect(ids(t.nodes)).toEqual([
      'external:api.partner.example.com',
      'gw-edge-gw',
      'outside',
      'vs-details',
    ]);
    expect(ids(t.edges)).toEqual(['outside->gw-edge-gw', 'outside->vs-details']);
  });

  it('keeps edges in the chosen states and only the nodes they touch (and gateways)', () => {
    const t = filterTopology(bookinfo(), { modes: [], states: ['refused', 'tls'] });
    expect(ids(t.edges)).toEqual([
      'outside->vs-details',
      'vs-ratings->external:api.partner.example.com',
    ]);
    expect(ids(t.nodes)).toEqual([
      'external:api.partner.example.com',
      'gw-edge-gw',
      'outside',
      'vs-details',
      'vs-ratings',
    ]);
  });

  it('finds nodes by name, exact match first', () => {
    expect(findNodes(bookinfo(), 'E').map((n) => n.name)).toEqual([
      'edge-gw',
      'api.partner.example.com',
      'details',
      'Outside the mesh',
      'productpage',
      'reviews',
    ]);
    expect(findNodes(bookinfo(), 'ratings').map((n) => n.name)).toEqual(['ratings']);
    expect(findNodes(bookinfo(), '  ')).toEqual([]);
  });
});

describe('the layout key (positions cached across refreshes)', () => {
  it('stays the same when only edge states change, and changes when an edge appears', () => {
    const before = bookinfo();
    const after = bookinfo();
    after.edges = after.edges.map((e) =>
      e.id === 'vs-productpage->vs-details' ? { ...e, state: 'denied' } : e,
    );
    expect(layoutKey(after)).toBe(layoutKey(before));
    const grown = bookinfo();
    grown.edges = [
      ...grown.edges,
      {
        ...grown.edges[6]!,
        id: 'vs-details->vs-ratings',
        source: 'vs-details',
        target: 'vs-ratings',
      },
    ];
    expect(layoutKey(grown)).not.toBe(layoutKey(before));
  });

  it('draws with given positions and the new states (case B2: fresh edge objects)', () => {
    const first = toFlowGraph(bookinfo());
    const changed = bookinfo();
    changed.edges = changed.edges.map((e) =>
      e.id === 'vs-productpage->vs-details' ? { ...e, state: 'denied' } : e,
    );
    const placed = {
      nodes: new Map(
        first.nodes.map((n) => [
          n.id,
          { ...n.position, width: n.width ?? 0, height: n.height ?? 0, column: 0, row: 0 },
        ]),
      ),
      routes: new Map(),
    };
    const second = toFlowGraph(changed, { placed });
    expect(second.nodes.map((n) => n.position)).toEqual(first.nodes.map((n) => n.position));
    const edge = second.edges.find((e) => e.id === 'vs-productpage->vs-details');
    expect(edge?.data?.state).toBe('denied');
    expect(edge).not.toBe(first.edges.find((e) => e.id === 'vs-productpage->vs-details'));
  });
});
