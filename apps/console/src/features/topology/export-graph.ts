import type { EdgeState } from '@meshdeck/domain';
import type { TopologyGraph } from './to-flow-graph.ts';

/** Line styles per state, the same cues as the canvas: never colour alone. */
const STROKE: Record<EdgeState, { colour: string; dash: string }> = {
  mtls: { colour: '#1a7f37', dash: '' },
  tls: { colour: '#0969da', dash: '10 4' },
  plaintext: { colour: '#bc4c00', dash: '4 3' },
  refused: { colour: '#a40e26', dash: '1 4' },
  denied: { colour: '#6e7781', dash: '8 3 2 3' },
};

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The graph as JSON: the nodes and edges the canvas and the table show, with every reason. */
export function graphToJson(graph: TopologyGraph, meshId: string): string {
  return JSON.stringify(
    {
      meshId,
      nodes: graph.nodes.map((n) => ({
        ...graph.nodesById.get(n.id),
        position: n.position,
      })),
      edges: graph.edgeRows.map((r) => ({
        id: r.id,
        source: r.source,
        target: r.target,
        state: r.state,
        reason: r.reason,
        origins: r.origins,
        matchedRules: r.matchedRules,
      })),
    },
    null,
    2,
  );
}

/**
 * The drawn graph as a standalone SVG, built from the layout's positions rather than copied from
 * the DOM: it needs no inline styles or fonts, so the strict content security policy cannot
 * break it. Edges are straight lines with their state in words at the middle.
 */
export function graphToSvg(graph: TopologyGraph): string {
  const pad = 24;
  let maxX = 0;
  let maxY = 0;
  const centre = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const n of graph.nodes) {
    const w = n.width ?? 200;
    const h = n.height ?? 60;
    centre.set(n.id, { x: n.position.x, y: n.position.y, w, h });
    maxX = Math.max(maxX, n.position.x + w);
    maxY = Math.max(maxY, n.position.y + h);
  }
  const parts: string[] = [];
  for (const e of graph.edges) {
    const a = centre.get(e.source);
    const b = centre.get(e.target);
    const state = e.data?.state ?? 'denied';
    if (!a || !b) continue;
    const x1 = a.x + a.w + pad;
    const y1 = a.y + a.h / 2 + pad;
    const x2 = b.x + pad;
    const y2 = b.y + b.h / 2 + pad;
    const { colour, dash } = STROKE[state];
    parts.push(
      `<g><title>${escapeXml(e.data?.label ?? e.id)}</title><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="2"${
        dash ? ` stroke-dasharray="${dash}"` : ''
      } marker-end="url(#end-${state})"/><text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" font-size="11" text-anchor="middle" fill="${colour}">${state}</text></g>`,
    );
  }
  for (const n of graph.nodes) {
    const p = centre.get(n.id);
    const node = graph.nodesById.get(n.id);
    if (!p || !node) continue;
    const detail =
      node.kind === 'virtualService'
        ? `${node.effectiveMode}${node.inherited ? ' (inherited)' : ''}`
        : node.kind === 'ingressGateway'
          ? 'ingress gateway'
          : node.kind === 'external'
            ? 'external service'
            : 'outside the mesh';
    parts.push(
      `<g><rect x="${p.x + pad}" y="${p.y + pad}" width="${p.w}" height="${p.h}" rx="6" fill="#ffffff" stroke="#57606a"/><text x="${
        p.x + pad + 8
      }" y="${p.y + pad + 20}" font-size="14" font-weight="600" fill="#1f2328">${escapeXml(
        node.name,
      )}</text><text x="${p.x + pad + 8}" y="${p.y + pad + 38}" font-size="11" fill="#57606a">${escapeXml(detail)}</text></g>`,
    );
  }
  const markers = (Object.keys(STROKE) as EdgeState[])
    .map(
      (s) =>
        `<marker id="end-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="${
          s === 'refused' || s === 'denied' ? 'M1 1L9 9M9 1L1 9' : 'M0 0L10 5L0 10z'
        }" stroke="${STROKE[s].colour}" fill="${STROKE[s].colour}"/></marker>`,
    )
    .join('');
  const width = Math.ceil(maxX + 2 * pad);
  const height = Math.ceil(maxY + 2 * pad);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif"><defs>${markers}</defs><rect width="100%" height="100%" fill="#ffffff"/>${parts.join(
    '',
  )}</svg>`;
}
