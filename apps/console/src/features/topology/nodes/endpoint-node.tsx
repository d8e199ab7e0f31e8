import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EndpointFlowNode } from '../to-flow-graph.ts';

/** The outside world (callers in no mesh) and external services that policies name. */
export const EndpointNode = memo(function EndpointNode({
  data,
  selected,
}: NodeProps<EndpointFlowNode>) {
  return (
    <div className={`topo-node topo-node--${data.endpoint}${selected ? ' is-selected' : ''}`}>
      {data.endpoint === 'external' ? (
        <Handle type="target" position={Position.Left} isConnectable={false} />
      ) : null}
      <div className="topo-node__kind">
        {data.endpoint === 'outside' ? 'outside the mesh' : 'external service'}
      </div>
      <div className="topo-node__name truncate" title={data.name}>
        {data.name}
      </div>
      <div className="topo-node__detail muted">{data.detail}</div>
      {data.endpoint === 'outside' ? (
        <Handle type="source" position={Position.Right} isConnectable={false} />
      ) : null}
    </div>
  );
});
