import {
  Background,
  Controls,
  Panel,
  ReactFlow,
  useReactFlow,
  type EdgeTypes,
  type NodeTypes,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { EDGE_STATES } from '@meshdeck/domain';
import { StateEdge } from './edges/state-edge.tsx';
import { EndpointNode } from './nodes/endpoint-node.tsx';
import { GatewayNode } from './nodes/gateway-node.tsx';
import { ServiceNode } from './nodes/service-node.tsx';
import { SelectTopologyContext, type TopologySelection } from './selection.ts';
import type { TopologyGraph } from './to-flow-graph.ts';

// Module scope: a new object per render would make React Flow remount every node.
const nodeTypes = {
  service: ServiceNode,
  gateway: GatewayNode,
  endpoint: EndpointNode,
} satisfies NodeTypes;
const edgeTypes = { state: StateEdge } satisfies EdgeTypes;

/**
 * The first view. A small graph is shown no smaller than half size, where node text is still
 * readable (below that a newcomer sees 5 px text); if it is wider than the canvas at that zoom the
 * sides are a pan away. A large graph is fitted as a whole (case B6) and explored by zooming.
 */
export const SMALL_GRAPH_NODES = 24;
const FIT_SMALL = { padding: 0.06, minZoom: 0.5, maxZoom: 1 };
const FIT_LARGE = { padding: 0.06, minZoom: 0.05, maxZoom: 1 };

/**
 * Above this many nodes the first view is not fitted: the whole graph at once is thousands of
 * unreadable dots that React Flow must all draw (6.6 s for 1 000 services, case B5). It opens at
 * a readable zoom on the graph's start (outside and gateways, top left) and draws only what is
 * visible; find, focus, filters and the fit button reach the rest.
 */
export const HUGE_GRAPH_NODES = 300;
const START_ZOOM = 0.6;
/** Above this many nodes in view, a huge graph draws its nodes only (a coarser level of detail). */
export const EDGE_DETAIL_NODES = 400;

/**
 * What a huge graph hands React Flow: the nodes in view (plus a margin), the edges with an end
 * among them and those edges' far ends, judged when a pan or zoom ends. React Flow's own culling
 * still takes in every node and keeps every edge whose box crosses the view, which in a wrapped
 * 1 000-service layout is most of them (2 s of work on first paint).
 */
export function edgesInView<
  N extends TopologyGraph['nodes'][number],
  E extends { source: string; target: string },
>(
  nodes: N[],
  edges: E[],
  view: Viewport,
  size: { width: number; height: number },
): { nodes: N[]; edges: E[]; nodesInView: number } {
  const margin = 150 / view.zoom;
  const x0 = -view.x / view.zoom - margin;
  const y0 = -view.y / view.zoom - margin;
  const x1 = x0 + size.width / view.zoom + 2 * margin;
  const y1 = y0 + size.height / view.zoom + 2 * margin;
  const inside = new Set<string>();
  for (const n of nodes) {
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    if (
      n.position.x + w >= x0 &&
      n.position.x <= x1 &&
      n.position.y + h >= y0 &&
      n.position.y <= y1
    ) {
      inside.add(n.id);
    }
  }
  if (inside.size > EDGE_DETAIL_NODES) {
    return { nodes: nodes.filter((n) => inside.has(n.id)), edges: [], nodesInView: inside.size };
  }
  const drawn = edges.filter((e) => inside.has(e.source) || inside.has(e.target));
  // React Flow draws an edge only when it knows both ends: add the far ends of drawn edges.
  const keep = new Set(inside);
  for (const e of drawn) {
    keep.add(e.source);
    keep.add(e.target);
  }
  return { nodes: nodes.filter((n) => keep.has(n.id)), edges: drawn, nodesInView: inside.size };
}

function startViewport(graph: TopologyGraph) {
  let minX = Infinity;
  let minY = Infinity;
  for (const n of graph.nodes) {
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
  }
  return {
    x: 24 - (Number.isFinite(minX) ? minX : 0) * START_ZOOM,
    y: 24 - (Number.isFinite(minY) ? minY : 0) * START_ZOOM,
    zoom: START_ZOOM,
  };
}

/** End markers per state: arrows for traffic that flows, a cross where it is refused or denied. */
function EdgeMarkers() {
  return (
    <svg className="edge-markers" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {EDGE_STATES.map((state) =>
          state === 'refused' || state === 'denied' ? (
            <marker
              key={state}
              id={`md-marker-${state}`}
              viewBox="0 0 12 12"
              refX="11"
              refY="6"
              markerWidth="12"
              markerHeight="12"
              orient="auto-start-reverse"
              markerUnits="userSpaceOnUse"
            >
              <path className={`edge-marker edge-marker--${state}`} d="M3 1l8 10M11 1l-8 10" />
            </marker>
          ) : (
            <marker
              key={state}
              id={`md-marker-${state}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="10"
              markerHeight="10"
              orient="auto-start-reverse"
              markerUnits="userSpaceOnUse"
            >
              <path className={`edge-marker edge-marker--${state}`} d="M0 0L10 5L0 10z" />
            </marker>
          ),
        )}
      </defs>
    </svg>
  );
}

/** Centre the view on a node (find); `seq` makes a repeated request for one node count. */
export interface CentreRequest {
  id: string;
  seq: number;
}

export interface TopologyCanvasProps {
  graph: TopologyGraph;
  selection: TopologySelection;
  onSelect: (selection: TopologySelection) => void;
  centre?: CentreRequest | undefined;
  label: string;
}

/**
 * Marks for the graph benchmark: the first frame after React Flow has drawn nodes into this
 * canvas (React Flow's onInit can wait for every node to be measured, which with only visible
 * elements drawn may not happen until a later update).
 */
function markWhenDrawn(container: HTMLElement | null) {
  let frames = 0;
  const check = () => {
    frames += 1;
    if (container?.querySelector('.react-flow__node') || frames > 600) {
      requestAnimationFrame(() => performance.mark('meshdeck:topology-rendered'));
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
}

/** Inside React Flow: centres the view on the node a find asked for, at a readable zoom. */
function CentreOn({
  graph,
  centre,
  onMoved,
}: {
  graph: TopologyGraph;
  centre: CentreRequest | undefined;
  /** A huge graph hands React Flow only what is in view: tell it the view moved. */
  onMoved: (viewport: Viewport) => void;
}) {
  const flow = useReactFlow();
  useEffect(() => {
    if (!centre) return;
    const node = graph.nodes.find((n) => n.id === centre.id);
    if (!node) return;
    void flow.setCenter(
      node.position.x + (node.width ?? 0) / 2,
      node.position.y + (node.height ?? 0) / 2,
      { zoom: Math.max(flow.getZoom(), 0.8), duration: 0 },
    );
    onMoved(flow.getViewport());
    // Once the move has drawn the node, focus it (a few frames at most).
    let frames = 0;
    const focus = () => {
      const element = document.querySelector<HTMLElement>(
        `.react-flow__node[data-id="${CSS.escape(centre.id)}"]`,
      );
      if (element) element.focus();
      else if ((frames += 1) < 30) requestAnimationFrame(focus);
    };
    requestAnimationFrame(focus);
  }, [centre, graph, flow, onMoved]);
  return null;
}

type Direction = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/** The nearest node from `from` in a direction (centres compared; the other axis weighs double). */
export function nearestNode(
  nodes: TopologyGraph['nodes'],
  fromId: string,
  direction: Direction,
): string | undefined {
  const centreOf = (n: TopologyGraph['nodes'][number]) => ({
    x: n.position.x + (n.width ?? 0) / 2,
    y: n.position.y + (n.height ?? 0) / 2,
  });
  const from = nodes.find((n) => n.id === fromId);
  if (!from) return undefined;
  const a = centreOf(from);
  let best: { id: string; score: number } | undefined;
  for (const n of nodes) {
    if (n.id === fromId) continue;
    const b = centreOf(n);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const along =
      direction === 'ArrowRight'
        ? dx
        : direction === 'ArrowLeft'
          ? -dx
          : direction === 'ArrowDown'
            ? dy
            : -dy;
    const across =
      direction === 'ArrowRight' || direction === 'ArrowLeft' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 1) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { id: n.id, score };
  }
  return best?.id;
}

/**
 * The graph. Positions come from the pure layout before the first render, and `fitView` fits
 * once React Flow has measured the nodes, so all of them are in view on first paint (case B6);
 * graphs over HUGE_GRAPH_NODES open on their start instead.
 * The parent remounts it (key) when the set of nodes changes, which refits.
 */
export function TopologyCanvas({ graph, selection, onSelect, centre, label }: TopologyCanvasProps) {
  const nodes = useMemo(
    () =>
      selection?.kind === 'node'
        ? graph.nodes.map((n) => (n.id === selection.id ? { ...n, selected: true } : n))
        : graph.nodes,
    [graph.nodes, selection],
  );
  const edges = useMemo(
    () =>
      selection?.kind === 'edge'
        ? graph.edges.map((e) => (e.id === selection.id ? { ...e, selected: true } : e))
        : graph.edges,
    [graph.edges, selection],
  );
  const large = graph.nodes.length > 200;
  const huge = graph.nodes.length > HUGE_GRAPH_NODES;
  const defaultViewport = useMemo(() => (huge ? startViewport(graph) : undefined), [huge, graph]);
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Viewport | undefined>(defaultViewport);
  const onMoved = useCallback((viewport: Viewport) => setView(viewport), []);
  useEffect(() => {
    performance.mark('meshdeck:canvas-mounted');
    markWhenDrawn(container.current);
  }, []);
  const detail = useMemo(() => {
    if (!huge || !view) return { nodes, edges, nodesInView: 0 };
    const size = {
      width: container.current?.clientWidth || 1400,
      height: container.current?.clientHeight || 900,
    };
    return edgesInView(nodes, edges, view, size);
  }, [huge, view, nodes, edges]);
  const [keyCentre, setCentreTo] = useState<CentreRequest>();
  const fitViewOptions = graph.nodes.length <= SMALL_GRAPH_NODES ? FIT_SMALL : FIT_LARGE;

  // React Flow's own Enter/Space on a focused node or edge selects it internally without calling
  // onNodeClick/onEdgeClick; open the side panel for keyboard users too.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (
      event.key === 'ArrowLeft' ||
      event.key === 'ArrowRight' ||
      event.key === 'ArrowUp' ||
      event.key === 'ArrowDown'
    ) {
      const from = target.closest<HTMLElement>('.react-flow__node')?.dataset['id'];
      const to = from ? nearestNode(graph.nodes, from, event.key) : undefined;
      if (!to) return;
      event.preventDefault();
      event.stopPropagation();
      const element = document.querySelector<HTMLElement>(
        `.react-flow__node[data-id="${CSS.escape(to)}"]`,
      );
      if (element) element.focus();
      else setCentreTo({ id: to, seq: Date.now() });
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    // A button inside a node (its outside line) selects what it names itself.
    if (target.closest('button')) return;
    const node = target.closest<HTMLElement>('.react-flow__node');
    const edge = target.closest<HTMLElement>('.react-flow__edge');
    const id = (node ?? edge)?.dataset['id'];
    if (id) onSelect({ kind: node ? 'node' : 'edge', id });
  };

  return (
    <SelectTopologyContext.Provider value={onSelect}>
      <div
        ref={container}
        className="topology-canvas"
        role="region"
        aria-label={label}
        onKeyDown={onKeyDown}
      >
        <EdgeMarkers />
        <ReactFlow
          nodes={detail.nodes}
          edges={detail.edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView={!huge}
          fitViewOptions={fitViewOptions}
          {...(defaultViewport ? { defaultViewport } : {})}
          minZoom={0.05}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesReconnectable={false}
          elementsSelectable
          onlyRenderVisibleElements={large}
          colorMode="system"
          onNodeClick={(_, node) => onSelect({ kind: 'node', id: node.id })}
          onEdgeClick={(_, edge) => onSelect({ kind: 'edge', id: edge.id })}
          onPaneClick={() => onSelect(null)}
          {...(huge ? { onMoveEnd: (_: unknown, viewport: Viewport) => onMoved(viewport) } : {})}
        >
          <CentreOn graph={graph} centre={centre} onMoved={onMoved} />
          <CentreOn graph={graph} centre={keyCentre} onMoved={onMoved} />
          <Background gap={24} size={1} />
          {huge && detail.nodesInView > EDGE_DETAIL_NODES ? (
            <Panel position="top-center" className="topology-detail-note">
              {detail.nodesInView} nodes in view: zoom in to see their edges (the table lists them).
            </Panel>
          ) : null}
          {/* The fit button shows everything, however small. */}
          <Controls showInteractive={false} fitViewOptions={FIT_LARGE} />
        </ReactFlow>
      </div>
    </SelectTopologyContext.Provider>
  );
}
