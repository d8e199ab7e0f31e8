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
import { layoutTopology, type LayoutOptions } from './layout.ts';

export type ServiceNodeData = {
  name: string;
  effectiveMode: MtlsMode;
  inherited: boolean;
  deployments: { id: string; name: string; weightPercent?: number }[];
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
  nodes: TopologyFlowNode[];
  edges: StateFlowEdge[];
  edgeRows: EdgeRow[];
  nodesById: Map<string, TopologyNode>;
}

/** Above this many edges the canvas drops edge labels; the edge table still lists every edge. */
export const EDGE_LABEL_LIMIT = 150;

/** How an edge end is named in labels: the outside node is just "outside". */
export function endpointName(node: TopologyNode | undefined, fallbackId: string): string {
  if (!node) return fallbackId;
  return node.kind === 'outside' ? 'outside' : node.name;
}

export function listenerLabel(l: { protocol: string; port: number; host: string }): string {
  return `${l.protocol} :${l.port} (${l.host})`;
}

/** The node's accessible name, e.g. "virtual service orders, PERMISSIVE inherited from mesh". */
export function nodeAriaLabel(node: TopologyNode): string {
  switch (node.kind) {
    case 'virtualService':
      return `virtual service ${node.name}, ${node.effectiveMode}${
        node.inherited ? ' inherited from mesh' : ''
      }`;
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

function toFlowNode(node: TopologyNode, x: number, y: number): TopologyFlowNode {
  const common = {
    id: node.id,
    position: { x, y },
    ariaLabel: nodeAriaLabel(node),
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

/**
 * Topology → React Flow nodes and edges, plus the edge rows the table and side panel show. Every
 * call builds new objects (never mutates the previous graph), so React Flow redraws changed edges
 * and markers (case B2), and all surfaces read the same rows (case B1).
 */
export function toFlowGraph(
  topology: Topology,
  layoutOptions: Partial<LayoutOptions> = {},
): TopologyGraph {
  const positions = layoutTopology(topology, layoutOptions);
  const edgeRows = toEdgeRows(topology);
  const showLabel = edgeRows.length <= EDGE_LABEL_LIMIT;
  const nodes = topology.nodes.map((node) => {
    const p = positions.get(node.id);
    return toFlowNode(node, p?.x ?? 0, p?.y ?? 0);
  });
  const edges: StateFlowEdge[] = edgeRows.map((row) => ({
    id: row.id,
    source: row.source,
    target: row.target,
    type: 'state',
    ariaLabel: `${row.sourceName} → ${row.targetName}, ${row.state}`,
    className: `state-edge state-edge--${row.state}`,
    data: { state: row.state, label: row.label, showLabel },
  }));
  return { nodes, edges, edgeRows, nodesById: new Map(topology.nodes.map((n) => [n.id, n])) };
}
