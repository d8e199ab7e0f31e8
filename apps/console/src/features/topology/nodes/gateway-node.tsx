import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { GatewayFlowNode } from '../to-flow-graph.ts';

export const GatewayNode = memo(function GatewayNode({
  data,
  selected,
}: NodeProps<GatewayFlowNode>) {
  return (
    <div className={`topo-node topo-node--gateway${selected ? ' is-selected' : ''}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="topo-node__kind">ingress gateway</div>
      <div className="topo-node__name truncate" title={data.name}>
        {data.name}
      </div>
      <ul className="topo-node__list">
        {data.listeners.length === 0 ? (
          <li className="muted">no listeners</li>
        ) : (
          data.listeners.map((l, i) => (
            <li key={i}>
              <span className="truncate" title={l.label}>
                {l.label}
              </span>
              <span className={`tls-mode tls-mode--${l.tlsMode.toLowerCase()}`}>{l.tlsMode}</span>
            </li>
          ))
        )}
      </ul>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
