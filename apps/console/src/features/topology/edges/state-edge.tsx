import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { EdgeStateBadge } from '../components/edge-state-badge.tsx';
import { useSelectTopology } from '../selection.ts';
import { bracketPath, routedPath } from './edge-path.ts';
import type { StateFlowEdge } from '../to-flow-graph.ts';

/**
 * An edge drawn by its state: line style and end marker differ per state (solid, dashed,
 * dotted, crossed), and the label says the state in words, so colour is never the only cue.
 * An edge that passes columns follows its lanes from the layout, between the nodes there; one
 * between two nodes of a column goes round the column's side.
 */
export const StateEdge = memo(function StateEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
}: EdgeProps<StateFlowEdge>) {
  const select = useSelectTopology();
  const route = data?.route;
  const [path, labelX, labelY] = route
    ? [
        route.bracket
          ? bracketPath(route.bracket.from, route.points, route.bracket.to)
          : routedPath({ x: sourceX, y: sourceY }, route.points, { x: targetX, y: targetY }),
        route.label.x,
        route.label.y,
      ]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const state = data?.state ?? 'denied';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`edge-path edge-path--${state}${selected ? ' is-selected' : ''}`}
        markerEnd={`url(#md-marker-${state})`}
      />
      {data?.showLabel ? (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-label nodrag nopan${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            aria-label={data.label}
            aria-pressed={Boolean(selected)}
            onClick={() => select({ kind: 'edge', id })}
          >
            <EdgeStateBadge state={state} />
          </button>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});
