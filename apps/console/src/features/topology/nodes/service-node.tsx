import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { ServiceFlowNode } from '../to-flow-graph.ts';

export const ServiceNode = memo(function ServiceNode({
  data,
  selected,
}: NodeProps<ServiceFlowNode>) {
  return (
    <div className={`topo-node topo-node--service${selected ? ' is-selected' : ''}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="topo-node__kind">virtual service</div>
      <div className="topo-node__name">{data.name}</div>
      <MtlsBadge mode={data.effectiveMode} inherited={data.inherited} short />
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
