import {
  EDGE_STATES,
  MTLS_MODES,
  type EdgeState,
  type MtlsMode,
  type Topology,
} from '@meshdeck/domain';

/** What the toolbar narrows the graph to; every field lives in the URL (deep links). */
export interface TopologyFilter {
  /** Show only this node and its neighbours (one hop, either direction). */
  focus?: string;
  /** Virtual services in these effective modes (empty: all). */
  modes: MtlsMode[];
  /** Edges in these states (empty: all); nodes left without an edge are hidden then. */
  states: EdgeState[];
}

/** Reads the filter from the page's query string: `focus`, `mode` and `state` (repeatable). */
export function filterFromSearch(params: URLSearchParams): TopologyFilter {
  const focus = params.get('focus') ?? undefined;
  return {
    ...(focus ? { focus } : {}),
    modes: params.getAll('mode').filter((m): m is MtlsMode => MTLS_MODES.includes(m as MtlsMode)),
    states: params
      .getAll('state')
      .filter((s): s is EdgeState => EDGE_STATES.includes(s as EdgeState)),
  };
}

export function isFiltered(filter: TopologyFilter): boolean {
  return Boolean(filter.focus) || filter.modes.length > 0 || filter.states.length > 0;
}

/**
 * The part of the topology the filter keeps. Gateways, external services and the outside world
 * stay through a mode filter (they have no mesh mode); edges keep only between kept nodes. The
 * result is a topology like any other, so the canvas, the side panel and the table show it alike.
 */
export function filterTopology(topology: Topology, filter: TopologyFilter): Topology {
  if (!isFiltered(filter)) return topology;
  let nodes = topology.nodes;
  if (filter.modes.length > 0) {
    nodes = nodes.filter(
      (n) => n.kind !== 'virtualService' || filter.modes.includes(n.effectiveMode),
    );
  }
  let ids = new Set(nodes.map((n) => n.id));
  let edges = topology.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  if (filter.states.length > 0) {
    edges = edges.filter((e) => filter.states.includes(e.state));
  }
  if (filter.focus && ids.has(filter.focus)) {
    const focus = filter.focus;
    edges = edges.filter((e) => e.source === focus || e.target === focus);
    const near = new Set([focus, ...edges.flatMap((e) => [e.source, e.target])]);
    nodes = nodes.filter((n) => near.has(n.id));
  } else if (filter.states.length > 0) {
    const touched = new Set(edges.flatMap((e) => [e.source, e.target]));
    nodes = nodes.filter((n) => touched.has(n.id) || n.kind === 'ingressGateway');
  }
  ids = new Set(nodes.map((n) => n.id));
  return { ...topology, nodes, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/** Nodes whose name contains the text (case ignored), best match first: exact, prefix, rest. */
export function findNodes(topology: Topology, text: string): Topology['nodes'] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const rank = (name: string) => (name === q ? 0 : name.startsWith(q) ? 1 : 2);
  return topology.nodes
    .filter((n) => n.name.toLowerCase().includes(q))
    .sort(
      (a, b) =>
        rank(a.name.toLowerCase()) - rank(b.name.toLowerCase()) || a.name.localeCompare(b.name),
    );
}
