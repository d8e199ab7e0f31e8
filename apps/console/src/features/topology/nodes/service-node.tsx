import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import { EdgeStateBadge } from '../components/edge-state-badge.tsx';
import { useSelectTopology } from '../selection.ts';
import { exposureText, type ServiceFlowNode } from '../to-flow-graph.ts';

export const ServiceNode = memo(function ServiceNode({
  data,
  selected,
}: NodeProps<ServiceFlowNode>) {
  const select = useSelectTopology();
  const { exposure } = data;
  return (
    <div className={`topo-node topo-node--service${selected ? ' is-selected' : ''}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="topo-node__kind">virtual service</div>
      <div className="topo-node__name truncate" title={data.name}>
        {data.name}
      </div>
      <MtlsBadge mode={data.effectiveMode} inherited={data.inherited} short />
      {exposure ? (
        // The outside → service edge, shown here instead of as a line across the graph; it opens
        // the same edge row as the table does (case B1).
        <button
          type="button"
          className="topo-node__exposure nodrag nopan"
          // The visible text comes first in the name (axe label-content-name-mismatch).
          aria-label={`outside: ${exposureText(exposure.state)} (callers to ${data.name})`}
          onClick={(event) => {
            event.stopPropagation();
            select({ kind: 'edge', id: exposure.edgeId });
          }}
        >
          <span className="muted">outside:</span> <EdgeStateBadge state={exposure.state} />
          {exposure.state === 'plaintext' || exposure.state === 'tls' ? (
            <span className="muted"> allowed</span>
          ) : null}
        </button>
      ) : null}
      <ul className="topo-node__list">
        {data.deployments.length === 0 ? (
          <li className="muted">no deployments</li>
        ) : (
          data.deployments.map((d) => (
            <li key={d.id}>
              <span className="truncate">{d.name}</span>
              <span className="topo-node__weight">
                {d.weightPercent !== undefined ? `${d.weightPercent}%` : '—'}
              </span>
            </li>
          ))
        )}
      </ul>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
