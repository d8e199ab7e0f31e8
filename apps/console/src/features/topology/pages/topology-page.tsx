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

/** The mesh page's topology tab. Lazy-loaded: React Flow stays out of the main bundle. */
export function TopologyPage() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(topologyQueries.detail(meshId));
  const [selection, setSelection] = useState<TopologySelection>(null);

  // One derivation feeds the canvas, the side panel and the edge table (case B1).
  const graph = useMemo(() => (query.data ? toFlowGraph(query.data) : undefined), [query.data]);
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
  if (graph.nodes.length <= 1) {
    return (
      <EmptyState title="Nothing to draw yet">This mesh has no services or gateways.</EmptyState>
    );
  }

  return (
    <section className="tab-panel topology" aria-label="Topology">
      {/* The panel keeps its place when empty: resizing the canvas would undo the fitted view. */}
      <div className="topology-layout">
        <ErrorBoundary title="The graph failed to draw; the connection table below still works">
          <TopologyCanvas
            key={`${meshId}:${nodeSet}`}
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
