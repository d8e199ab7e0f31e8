import { EDGE_STATES, MTLS_MODES, type Topology } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { topologyQueries } from '../api/topology-queries.ts';
import { EdgeTable } from '../components/edge-table.tsx';
import { TopologyExport } from '../components/topology-export.tsx';
import { TopologyLegend } from '../components/topology-legend.tsx';
import { TopologySidePanel } from '../components/topology-side-panel.tsx';
import {
  filterFromSearch,
  filterTopology,
  findNodes,
  isFiltered,
  type TopologyFilter,
} from '../filter-topology.ts';
import {
  layoutInWorker,
  readCachedLayout,
  writeCachedLayout,
  type CachedLayout,
} from '../layout-client.ts';
import type { TopologySelection } from '../selection.ts';
import { TopologyCanvas, type CentreRequest } from '../topology-canvas.tsx';
import {
  computeLayout,
  layoutKey,
  toFlowGraph,
  type FlowGraphOptions,
  type TopologyGraph,
} from '../to-flow-graph.ts';
import '../topology.css';

/** Off the main thread where there are workers; in place where not (unit tests). */
function placeGraph(topology: Topology, options: FlowGraphOptions): Promise<CachedLayout> {
  if (typeof Worker === 'undefined') {
    return Promise.resolve({
      key: layoutKey(topology, options),
      layout: computeLayout(topology, options),
    });
  }
  return layoutInWorker(topology, { showOutsideCallers: options.showOutsideCallers ?? false });
}

function filterScope(filter: TopologyFilter): string {
  return `${filter.focus ?? ''}|${filter.modes.join(',')}|${filter.states.join(',')}`;
}

/**
 * The mesh page's topology tab. Lazy-loaded: React Flow and the layout stay out of the main
 * bundle. The layout runs in a worker and is cached by mesh (memory and sessionStorage) under a
 * key of the drawn nodes and edges: a live refresh that only changes states redraws at once with
 * every node where it was; a structural change waits for the worker. Filters live in the URL.
 */
export function TopologyPage() {
  const meshId = useParams().meshId ?? '';
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFromSearch(params), [params]);
  const query = useQuery(topologyQueries.detail(meshId));
  const [selection, setSelection] = useState<TopologySelection>(null);
  const [showOutsideCallers, setShowOutsideCallers] = useState(false);
  const [centre, setCentre] = useState<CentreRequest>();
  const [findText, setFindText] = useState('');
  const [findMessage, setFindMessage] = useState('');

  const topology = useMemo(
    () => (query.data ? filterTopology(query.data, filter) : undefined),
    [query.data, filter],
  );
  const options = useMemo(() => ({ showOutsideCallers }), [showOutsideCallers]);
  const scope = `${meshId}:${showOutsideCallers ? 'outside' : 'mesh'}:${filterScope(filter)}`;
  const key = useMemo(
    () => (topology ? layoutKey(topology, options) : undefined),
    [topology, options],
  );
  const [placed, setPlaced] = useState<CachedLayout>();
  const current = useMemo(() => {
    if (key === undefined) return undefined;
    if (placed?.key === key) return placed;
    const cached = readCachedLayout(scope);
    return cached?.key === key ? cached : undefined;
  }, [key, placed, scope]);

  useEffect(() => {
    if (!topology || current) return;
    let live = true;
    void placeGraph(topology, options).then((result) => {
      if (!live) return;
      writeCachedLayout(scope, result);
      setPlaced(result);
    });
    return () => {
      live = false;
    };
  }, [topology, current, options, scope]);

  // One derivation feeds the canvas, the side panel and the edge table (case B1).
  const fresh = useMemo(
    () =>
      topology && current
        ? toFlowGraph(topology, { ...options, placed: current.layout })
        : undefined,
    [topology, current, options],
  );
  // While the worker lays out a changed structure, the previous graph stays on screen.
  const last = useRef<TopologyGraph>(undefined);
  if (fresh) last.current = fresh;
  const graph = fresh ?? last.current;
  const nodeSet = useMemo(
    () =>
      graph
        ? graph.nodes
            .map((n) => n.id)
            .sort()
            .join('|')
        : '',
    [graph],
  );

  if (query.isPending) return <LoadingState label="Loading topology…" />;
  if (query.isError) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  const drawable = query.data.nodes.some(
    (n) => n.kind === 'virtualService' || n.kind === 'ingressGateway',
  );
  if (!drawable) {
    return (
      <EmptyState title="Nothing to draw yet">This mesh has no services or gateways.</EmptyState>
    );
  }
  if (!graph) return <LoadingState label="Laying out the graph…" />;

  const setList = (name: 'mode' | 'state', values: string[]) => {
    const next = new URLSearchParams(params);
    next.delete(name);
    for (const v of values) next.append(name, v);
    setParams(next, { replace: true });
  };
  const toggle = (name: 'mode' | 'state', value: string, on: boolean) => {
    const list = params.getAll(name).filter((v) => v !== value);
    setList(name, on ? [...list, value] : list);
  };
  const setFocus = (id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('focus', id);
    else next.delete('focus');
    setParams(next);
  };
  const onFind = (event: FormEvent) => {
    event.preventDefault();
    const match = topology ? findNodes(topology, findText)[0] : undefined;
    if (!match) {
      setFindMessage(findText.trim() ? `No node named like “${findText.trim()}” is shown.` : '');
      return;
    }
    setFindMessage('');
    setSelection({ kind: 'node', id: match.id });
    setCentre((c) => ({ id: match.id, seq: (c?.seq ?? 0) + 1 }));
  };
  const selectedNode = selection?.kind === 'node' ? graph.nodesById.get(selection.id) : undefined;
  const focusName = filter.focus ? query.data.nodes.find((n) => n.id === filter.focus)?.name : '';

  return (
    <section className="tab-panel topology" aria-label="Topology">
      <div className="topology-toolbar">
        <form className="topology-find" role="search" onSubmit={onFind}>
          <label>
            Find a node
            <input
              type="search"
              value={findText}
              onChange={(event) => setFindText(event.target.value)}
            />
          </label>
          <button type="submit" className="button button--small">
            Find
          </button>
          <span role="status" className="muted">
            {findMessage}
          </span>
        </form>
        <fieldset className="topology-filter">
          <legend>Service mode</legend>
          {MTLS_MODES.map((mode) => (
            <label key={mode}>
              <input
                type="checkbox"
                checked={filter.modes.includes(mode)}
                onChange={(event) => toggle('mode', mode, event.target.checked)}
              />
              {mode}
            </label>
          ))}
        </fieldset>
        <fieldset className="topology-filter">
          <legend>Edge state</legend>
          {EDGE_STATES.map((state) => (
            <label key={state}>
              <input
                type="checkbox"
                checked={filter.states.includes(state)}
                onChange={(event) => toggle('state', state, event.target.checked)}
              />
              {state}
            </label>
          ))}
        </fieldset>
        <label>
          <input
            type="checkbox"
            checked={showOutsideCallers}
            onChange={(event) => setShowOutsideCallers(event.target.checked)}
            disabled={graph.outsideCallerEdgeCount === 0}
          />
          Show outside callers
        </label>
        {selectedNode && selectedNode.id !== filter.focus ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => setFocus(selectedNode.id)}
          >
            Focus on {selectedNode.name}
          </button>
        ) : null}
        {isFiltered(filter) ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => setParams(new URLSearchParams())}
          >
            Show the whole mesh
          </button>
        ) : null}
        <Link to={`/meshes/${encodeURIComponent(meshId)}/reachability`}>Can A talk to B?</Link>
        <TopologyExport graph={graph} meshId={meshId} />
      </div>
      <p className="muted topology-hint">
        {filter.focus ? `Showing ${focusName ?? 'one node'} and its neighbours. ` : ''}
        {showOutsideCallers
          ? 'Edges from outside the mesh to every service are drawn.'
          : 'Each service node says how callers outside the mesh fare (“outside: …”).'}{' '}
        Select a node, an edge label or a table row for details; Tab moves to the graph’s nodes,
        arrow keys to the nearest node that way, Enter opens its details.
      </p>
      {/* The panel opens over the graph: resizing the canvas would undo the fitted view. */}
      <div className="topology-layout">
        <ErrorBoundary title="The graph failed to draw; the connection table below still works">
          <TopologyCanvas
            key={`${meshId}:${showOutsideCallers ? 'outside' : 'mesh'}:${nodeSet}`}
            graph={graph}
            selection={selection}
            onSelect={setSelection}
            centre={centre}
            label="Topology graph"
          />
        </ErrorBoundary>
        <TopologySidePanel
          graph={graph}
          meshId={meshId}
          selection={selection}
          onSelect={setSelection}
          onFocus={setFocus}
          onClose={() => setSelection(null)}
        />
      </div>
      <TopologyLegend />
      <EdgeTable
        rows={graph.edgeRows}
        selectedId={selection?.kind === 'edge' ? selection.id : undefined}
        onShow={(id) => setSelection({ kind: 'edge', id })}
      />
    </section>
  );
}
