import type { TopologyNode } from '@meshdeck/domain';
import { Link } from 'react-router';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { TopologySelection } from '../selection.ts';
import { listenerLabel, type EdgeRow, type TopologyGraph } from '../to-flow-graph.ts';
import { EdgeStateBadge } from './edge-state-badge.tsx';
import { originsText } from './edge-table.tsx';

/**
 * What the clicked node or edge is, read from the same graph data as the canvas (case B1). It
 * opens over the right of the graph, so the graph never shrinks and its fitted view stays.
 */
export function TopologySidePanel({
  graph,
  meshId,
  selection,
  onClose,
  onSelect,
  onFocus,
}: {
  graph: TopologyGraph;
  meshId: string;
  selection: TopologySelection;
  onClose: () => void;
  onSelect: (selection: TopologySelection) => void;
  /** Show only this node's neighbourhood. */
  onFocus?: (id: string) => void;
}) {
  const edge =
    selection?.kind === 'edge' ? graph.edgeRows.find((r) => r.id === selection.id) : undefined;
  const node = selection?.kind === 'node' ? graph.nodesById.get(selection.id) : undefined;
  // Nothing selected: no panel, the graph keeps the whole width (the toolbar says what to click).
  if (!selection) return null;
  return (
    <aside className="side-panel" aria-label="Selection details">
      <div className="side-panel__head">
        <h2>
          {edge
            ? `${edge.sourceName} → ${edge.targetName}`
            : node
              ? node.name
              : 'No longer in the mesh'}
        </h2>
        <button
          type="button"
          className="button button--ghost"
          aria-label="Close details"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {edge ? (
        <EdgeDetails
          edge={edge}
          meshId={meshId}
          traceable={graph.nodesById.get(edge.target)?.kind === 'virtualService'}
        />
      ) : null}
      {node ? (
        <NodeDetails
          node={node}
          graph={graph}
          meshId={meshId}
          onSelect={onSelect}
          {...(onFocus ? { onFocus } : {})}
        />
      ) : null}
    </aside>
  );
}

/** The "can A talk to B?" deep link for an edge between two nodes of the mesh. */
export function reachabilityLink(meshId: string, source: string, target: string): string {
  const q = new URLSearchParams({ from: source, to: target });
  return `/meshes/${encodeURIComponent(meshId)}/reachability?${q.toString()}`;
}

/** The access policy's page, with its rules and (for operators) Edit (put together by the router). */
export function policyLink(policyId: string): string {
  return `/access-policies/${encodeURIComponent(policyId)}`;
}

function EdgeDetails({
  edge,
  meshId,
  traceable,
}: {
  edge: EdgeRow;
  meshId: string;
  /** A virtual-service destination: the reachability view can explain it. */
  traceable: boolean;
}) {
  return (
    <dl className="facts">
      <dt>State</dt>
      <dd>
        <EdgeStateBadge state={edge.state} />
      </dd>
      <dt>Why</dt>
      <dd>{edge.reason}</dd>
      <dt>Allowed by</dt>
      <dd>
        {edge.matchedRules.length === 0 ? (
          <span className="muted">no access policy rule</span>
        ) : (
          <ul className="plain-list">
            {edge.matchedRules.map((r) => (
              <li key={`${r.policyId}-${r.ruleIndex}`}>
                {r.policyName} rule {r.ruleIndex + 1} ·{' '}
                <Link
                  to={policyLink(r.policyId)}
                  aria-label={`Open ${r.policyName} (rule ${r.ruleIndex + 1})`}
                >
                  open
                </Link>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Drawn for</dt>
      <dd>{originsText(edge.origins)}</dd>
      {traceable ? (
        <>
          <dt>Trace</dt>
          <dd>
            <Link to={reachabilityLink(meshId, edge.source, edge.target)}>
              Explain {edge.sourceName} → {edge.targetName} step by step
            </Link>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function NodeDetails({
  node,
  graph,
  meshId,
  onSelect,
  onFocus,
}: {
  node: TopologyNode;
  graph: TopologyGraph;
  meshId: string;
  onSelect: (selection: TopologySelection) => void;
  onFocus?: (id: string) => void;
}) {
  const touching = graph.edgeRows.filter((r) => r.source === node.id || r.target === node.id);
  return (
    <>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>
          {node.kind === 'virtualService'
            ? 'virtual service'
            : node.kind === 'ingressGateway'
              ? 'ingress gateway'
              : node.kind === 'outside'
                ? 'callers outside the mesh'
                : 'external service'}
        </dd>
        {node.kind === 'virtualService' ? (
          <>
            <dt>mTLS</dt>
            <dd>
              <MtlsBadge mode={node.effectiveMode} inherited={node.inherited} />
            </dd>
            <dt>Declared</dt>
            <dd>{node.declaredMode ?? 'unset (inherits the mesh minimum)'}</dd>
            <dt>Hosts</dt>
            <dd className="mono">{node.hosts.join(', ') || '—'}</dd>
            <dt>Deployments</dt>
            <dd>
              {node.deployments.length === 0 ? (
                <span className="muted">none</span>
              ) : (
                <ul className="plain-list">
                  {node.deployments.map((d) => (
                    <li key={d.id}>
                      {d.name}
                      {d.weightPercent !== undefined ? ` — ${d.weightPercent}%` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        ) : null}
        {node.kind === 'ingressGateway' ? (
          <>
            <dt>Listeners</dt>
            <dd>
              <ul className="plain-list">
                {node.listeners.map((l, i) => (
                  <li key={i}>
                    {listenerLabel(l)} · listener TLS mode: {l.tlsMode}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {node.kind === 'external' ? (
          <>
            <dt>Destination</dt>
            <dd className="mono">
              {[...node.hostnames, ...node.ipAddresses].join(', ') || 'any'}
              {node.ports.length > 0 ? ` ports ${node.ports.join(', ')}` : ''}
              {node.protocol ? ` (${node.protocol})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {node.kind === 'virtualService' ? (
        <p>
          <Link to={`/virtual-services/${encodeURIComponent(node.id)}`}>Open {node.name}</Link>
          {' · '}
          <Link to={reachabilityLink(meshId, 'outside', node.id)}>
            Can outside callers reach it?
          </Link>
        </p>
      ) : null}
      {onFocus ? (
        <p>
          <button type="button" className="button button--small" onClick={() => onFocus(node.id)}>
            Show only {node.name} and its neighbours
          </button>
        </p>
      ) : null}
      <h3>Connections ({touching.length})</h3>
      <ul className="plain-list connection-list">
        {touching.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className="link-button"
              onClick={() => onSelect({ kind: 'edge', id: r.id })}
            >
              {r.sourceName} → {r.targetName}
            </button>{' '}
            <EdgeStateBadge state={r.state} />
          </li>
        ))}
      </ul>
    </>
  );
}
