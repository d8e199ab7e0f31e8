import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { topologyQueries } from '../api/topology-queries.ts';
import { EdgeTable } from '../components/edge-table.tsx';
import { TopologyLegend } from '../components/topology-legend.tsx';
import { TopologySidePanel } from '../components/topology-side-panel.tsx';
import type { TopologySelection } from '../selection.ts';
import { TopologyCanvas } from '../topology-canvas.tsx';
import { toFlowGraph } from '../to-flow-graph.ts';
import '../topology.css';

/** The mesh page's topology tab. Lazy-loaded: React Flow stays out of the main bundle. */
export function TopologyPage() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(topologyQueries.detail(meshId));
  const [selection, setSelection] = useState<TopologySelection>(null);
  const [showOutsideCallers, setShowOutsideCallers] = useState(false);

  // One derivation feeds the canvas, the side panel and the edge table (case B1).
  const graph = useMemo(
    () => (query.data ? toFlowGraph(query.data, { showOutsideCallers }) : undefined),
    [query.data, showOutsideCallers],
  );
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
  if (query.isError || !graph) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  const drawable = [...graph.nodesById.values()].some(
    (n) => n.kind === 'virtualService' || n.kind === 'ingressGateway',
  );
  if (!drawable) {
    return (
      <EmptyState title="Nothing to draw yet">This mesh has no services or gateways.</EmptyState>
    );
  }

  return (
    <section className="tab-panel topology" aria-label="Topology">
      <div className="topology-toolbar">
        <label>
          <input
            type="checkbox"
            checked={showOutsideCallers}
            onChange={(event) => setShowOutsideCallers(event.target.checked)}
            disabled={graph.outsideCallerEdgeCount === 0}
          />
          Show outside callers
        </label>
        <span className="muted">
          {showOutsideCallers
            ? 'Edges from outside the mesh to every service are drawn.'
            : 'Each service node says how callers outside the mesh fare (“outside: …”).'}{' '}
          Select a node, an edge label or a table row for details.
        </span>
      </div>
      {/* The panel opens over the graph: resizing the canvas would undo the fitted view. */}
      <div className="topology-layout">
        <ErrorBoundary title="The graph failed to draw; the connection table below still works">
          <TopologyCanvas
            key={`${meshId}:${showOutsideCallers ? 'outside' : 'mesh'}:${nodeSet}`}
            graph={graph}
            selection={selection}
            onSelect={setSelection}
            label="Topology graph"
          />
        </ErrorBoundary>
        <TopologySidePanel
          graph={graph}
          selection={selection}
          onSelect={setSelection}
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
