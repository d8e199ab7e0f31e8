import type {
  EdgeOrigin,
  EdgeState,
  ListenerTlsMode,
  MatchedRule,
  MtlsMode,
  Topology,
  TopologyNode,
} from '@meshdeck/domain';
import type { Edge, Node } from '@xyflow/react';
import { Position } from '@xyflow/react';
import {
  estimateNodeSize,
  layoutTopology,
  type EdgeRoute,
  type LayoutOptions,
  type TopologyLayout,
} from './layout.ts';

export type ServiceNodeData = {
  name: string;
  effectiveMode: MtlsMode;
  inherited: boolean;
  deployments: { id: string; name: string; weightPercent?: number }[];
  /** How callers outside the mesh fare: the state of the outside → service edge (case B1). */
  exposure?: { edgeId: string; state: EdgeState };
};
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

export type GatewayNodeData = {
  name: string;
  listeners: { label: string; tlsMode: ListenerTlsMode }[];
};
export type GatewayFlowNode = Node<GatewayNodeData, 'gateway'>;

export type EndpointNodeData = { name: string; endpoint: 'outside' | 'external'; detail: string };
export type EndpointFlowNode = Node<EndpointNodeData, 'endpoint'>;

export type TopologyFlowNode = ServiceFlowNode | GatewayFlowNode | EndpointFlowNode;

export type StateEdgeData = {
  state: EdgeState;
  /** The label's accessible text: "edge cart to orders: mtls". */
  label: string;
  showLabel: boolean;
  /** Lanes through the columns the edge passes (layout.ts); absent for neighbouring columns. */
  route?: EdgeRoute;
};
export type StateFlowEdge = Edge<StateEdgeData, 'state'>;

/** One edge as every surface shows it: canvas label, edge table and side panel (case B1). */
export interface EdgeRow {
  id: string;
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
  state: EdgeState;
  reason: string;
  origins: EdgeOrigin[];
  matchedRules: MatchedRule[];
  label: string;
}

export interface TopologyGraph {
  /** What the canvas draws. */
  nodes: TopologyFlowNode[];
  edges: StateFlowEdge[];
  /** Every edge, drawn or not: the edge table and side panel list them all. */
  edgeRows: EdgeRow[];
  nodesById: Map<string, TopologyNode>;
  /** Outside → service edges: shown on the service nodes, drawn only on request. */
  outsideCallerEdgeCount: number;
}

export interface FlowGraphOptions {
  /** Draw the outside → service edges too (off: each service node says how outside calls fare). */
  showOutsideCallers?: boolean;
  layout?: Partial<LayoutOptions>;
  /** Positions computed elsewhere (the layout worker, or the cache); else laid out here. */
  placed?: TopologyLayout;
}

/** Above this many edges the canvas drops edge labels; the edge table still lists every edge. */
export const EDGE_LABEL_LIMIT = 150;

/** How an edge end is named in labels: the outside node is just "outside". */
export function endpointName(node: TopologyNode | undefined, fallbackId: string): string {
  if (!node) return fallbackId;
  return node.kind === 'outside' ? 'outside' : node.name;
}

/** "HTTP :9080 on bookinfoHost"; the listener's TLS mode is shown next to it. */
export function listenerLabel(l: { protocol: string; port: number; host: string }): string {
  return `${l.protocol} :${l.port} on ${l.host}`;
}

/** How outside callers fare with a service, from its outside edge: "plaintext allowed", "refused". */
export function exposureText(state: EdgeState): string {
  return state === 'plaintext' || state === 'tls' || state === 'mtls' ? `${state} allowed` : state;
}

/**
 * The edges from the outside world to a virtual service. Every service has one, so drawn they
 * all start at the outside node and cross the gateway column (hiding behind its nodes); the
 * canvas shows them on the service nodes instead unless asked to draw them.
 */
function isOutsideCallerEdge(
  edge: { source: string; target: string },
  byId: Map<string, TopologyNode>,
): boolean {
  return (
    byId.get(edge.source)?.kind === 'outside' && byId.get(edge.target)?.kind === 'virtualService'
  );
}

/**
 * The node's accessible name, e.g. "virtual service orders, PERMISSIVE inherited from mesh;
 * outside callers: plaintext allowed".
 */
export function nodeAriaLabel(node: TopologyNode, exposure?: EdgeState): string {
  switch (node.kind) {
    case 'virtualService':
      return `virtual service ${node.name}, ${node.effectiveMode}${
        node.inherited ? ' inherited from mesh' : ''
      }${exposure ? `; outside callers: ${exposureText(exposure)}` : ''}`;
    case 'ingressGateway':
      return `ingress gateway ${node.name}, listeners ${
        node.listeners.length > 0
          ? node.listeners.map((l) => `${l.protocol} ${l.port} ${l.tlsMode}`).join('; ')
          : 'none'
      }`;
    case 'outside':
      return 'outside the mesh';
    case 'external':
      return `external service ${node.name}`;
  }
}

/** The edge label's accessible text, e.g. "edge cart to orders: mtls". */
export function edgeLabel(sourceName: string, targetName: string, state: EdgeState): string {
  return `edge ${sourceName} to ${targetName}: ${state}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows of the edge table, sorted by source then target name. */
export function toEdgeRows(topology: Topology): EdgeRow[] {
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  return topology.edges
    .map((edge) => {
      const sourceName = endpointName(byId.get(edge.source), edge.source);
      const targetName = endpointName(byId.get(edge.target), edge.target);
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        sourceName,
        targetName,
        state: edge.state,
        reason: edge.reason,
        origins: [...edge.origins],
        matchedRules: edge.matchedRules.map((r) => ({ ...r })),
        label: edgeLabel(sourceName, targetName, edge.state),
      };
    })
    .sort(
      (a, b) =>
        compareText(a.sourceName, b.sourceName) ||
        compareText(a.targetName, b.targetName) ||
        compareText(a.id, b.id),
    );
}

function toFlowNode(
  node: TopologyNode,
  place: { x: number; y: number; width: number; height: number },
  exposure: ServiceNodeData['exposure'],
): TopologyFlowNode {
  const common = {
    id: node.id,
    position: { x: place.x, y: place.y },
    // Fixed sizes, the ones the layout used: edge ends and lanes meet the nodes as drawn, and
    // fitView knows the bounds before the nodes are measured (case B6).
    width: place.width,
    height: place.height,
    ariaLabel: nodeAriaLabel(node, exposure?.state),
    sourcePosition: Position.Right,
    targetPosition: Position.Left,
    draggable: false,
    connectable: false,
  };
  switch (node.kind) {
    case 'virtualService':
      return {
        ...common,
        type: 'service',
        data: {
          name: node.name,
          effectiveMode: node.effectiveMode,
          inherited: node.inherited,
          deployments: node.deployments.map((d) => ({ ...d })),
          ...(exposure ? { exposure: { ...exposure } } : {}),
        },
      };
    case 'ingressGateway':
      return {
        ...common,
        type: 'gateway',
        data: {
          name: node.name,
          listeners: node.listeners.map((l) => ({ label: listenerLabel(l), tlsMode: l.tlsMode })),
        },
      };
    case 'outside':
      return {
        ...common,
        type: 'endpoint',
        data: { name: node.name, endpoint: 'outside', detail: 'callers not in any mesh' },
      };
    case 'external':
      return {
        ...common,
        type: 'endpoint',
        data: {
          name: node.name,
          endpoint: 'external',
          detail: node.protocol ? `${node.protocol} egress` : 'egress',
        },
      };
  }
}

interface DrawnParts {
  nodesById: Map<string, TopologyNode>;
  edgeRows: EdgeRow[];
  exposures: Map<string, NonNullable<ServiceNodeData['exposure']>>;
  drawnRows: EdgeRow[];
  drawnNodes: TopologyNode[];
}

function drawnParts(topology: Topology, showOutsideCallers: boolean): DrawnParts {
  const nodesById = new Map(topology.nodes.map((n) => [n.id, n]));
  const edgeRows = toEdgeRows(topology);
  const exposures = new Map<string, NonNullable<ServiceNodeData['exposure']>>();
  for (const row of edgeRows) {
    if (isOutsideCallerEdge(row, nodesById)) {
      exposures.set(row.target, { edgeId: row.id, state: row.state });
    }
  }
  const drawnRows = showOutsideCallers
    ? edgeRows
    : edgeRows.filter((row) => !isOutsideCallerEdge(row, nodesById));
  // The outside node with nothing drawn from it would only take a column.
  const touched = new Set<string>();
  for (const r of drawnRows) {
    touched.add(r.source);
    touched.add(r.target);
  }
  const drawnNodes = topology.nodes.filter((n) => n.kind !== 'outside' || touched.has(n.id));
  return { nodesById, edgeRows, exposures, drawnRows, drawnNodes };
}

/**
 * What the layout depends on: the drawn nodes with their sizes and the drawn edges (not their
 * states). Equal keys mean the cached positions fit, so a live refresh that only changes states
 * redraws at once and nothing moves.
 */
export function layoutKey(topology: Topology, options: FlowGraphOptions = {}): string {
  const { drawnNodes, drawnRows, exposures } = drawnParts(
    topology,
    options.showOutsideCallers ?? false,
  );
  const nodes = drawnNodes
    .map((n) => {
      const size = estimateNodeSize(n, { exposed: exposures.has(n.id) });
      return `${n.id}:${size.width}x${size.height}`;
    })
    .sort();
  const edges = drawnRows.map((r) => r.id).sort();
  return `${nodes.join(',')}|${edges.join(',')}`;
}

/** The layout alone: what the worker computes off the main thread (layout.worker.ts). */
export function computeLayout(topology: Topology, options: FlowGraphOptions = {}): TopologyLayout {
  const { drawnNodes, drawnRows, exposures } = drawnParts(
    topology,
    options.showOutsideCallers ?? false,
  );
  const drawnIds = new Set(drawnRows.map((r) => r.id));
  return layoutTopology(
    { ...topology, nodes: drawnNodes, edges: topology.edges.filter((e) => drawnIds.has(e.id)) },
    {
      size: (n) => estimateNodeSize(n, { exposed: exposures.has(n.id) }),
      ...(options.layout ?? {}),
    },
  );
}

/**
 * Topology → React Flow nodes and edges, plus the edge rows the table and side panel show. Every
 * call builds new objects (never mutates the previous graph), so React Flow redraws changed edges
 * and markers (case B2), and all surfaces read the same rows (case B1): a service node's outside
 * line comes from the same row as the outside edge in the table.
 */
export function toFlowGraph(topology: Topology, options: FlowGraphOptions = {}): TopologyGraph {
  const { showOutsideCallers = false } = options;
  const { nodesById, edgeRows, exposures, drawnRows, drawnNodes } = drawnParts(
    topology,
    showOutsideCallers,
  );
  const { nodes: positions, routes } = options.placed ?? computeLayout(topology, options);
  const showLabel = drawnRows.length <= EDGE_LABEL_LIMIT;
  const nodes = drawnNodes.map((node) => {
    const size = estimateNodeSize(node, { exposed: exposures.has(node.id) });
    const p = positions.get(node.id) ?? { x: 0, y: 0, ...size };
    return toFlowNode(node, p, exposures.get(node.id));
  });
  const edges: StateFlowEdge[] = drawnRows.map((row) => {
    const route = routes.get(row.id);
    return {
      id: row.id,
      source: row.source,
      target: row.target,
      type: 'state',
      ariaLabel: `${row.sourceName} → ${row.targetName}, ${row.state}`,
      className: `state-edge state-edge--${row.state}`,
      data: {
        state: row.state,
        label: row.label,
        showLabel,
        // A fresh object from this call's layout: never one the previous graph holds (B2).
        ...(route ? { route } : {}),
      },
    };
  });
  return {
    nodes,
    edges,
    edgeRows,
    nodesById,
    outsideCallerEdgeCount: exposures.size,
  };
}
