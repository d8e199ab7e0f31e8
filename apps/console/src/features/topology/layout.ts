import type { Topology, TopologyEdge, TopologyNode } from '@meshdeck/domain';

export interface Size {
  width: number;
  height: number;
}

export interface PlacedNode extends Size {
  /** Top-left corner, as React Flow positions nodes. */
  x: number;
  y: number;
  /** Column after empty columns are dropped and tall columns split. */
  column: number;
  row: number;
}

export interface LayoutOptions {
  columnGap: number;
  rowGap: number;
  /** A column with more nodes wraps into neighbouring sub-columns, so fitView stays readable. */
  maxRowsPerColumn: number;
  size: (node: TopologyNode) => Size;
}

export const NODE_WIDTH = 232;

/** Generous fixed sizes: the node components are laid out to stay within them. */
export function estimateNodeSize(node: TopologyNode): Size {
  switch (node.kind) {
    case 'virtualService':
      return { width: NODE_WIDTH, height: 72 + 20 * Math.max(1, node.deployments.length) };
    case 'ingressGateway':
      return { width: NODE_WIDTH, height: 56 + 20 * Math.max(1, node.listeners.length) };
    case 'outside':
    case 'external':
      return { width: NODE_WIDTH, height: 60 };
  }
}

const DEFAULTS: LayoutOptions = {
  columnGap: 140,
  rowGap: 32,
  maxRowsPerColumn: 10,
  size: estimateNodeSize,
};

/**
 * Edges that carry traffic forward and so decide a service's rank: allowed ones, and gateway
 * routes even when a policy denies them (the route still says where traffic is meant to go).
 */
export function isFlowEdge(edge: TopologyEdge): boolean {
  return edge.origins.includes('route') || (edge.state !== 'denied' && edge.state !== 'refused');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNodes(a: TopologyNode, b: TopologyNode): number {
  return compareText(a.name, b.name) || compareText(a.id, b.id);
}

/** Strongly connected components (Tarjan), iterative, visiting ids in the order given. */
function stronglyConnected(ids: string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; child: number }[] = [{ id: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; child: number };
      const children = next.get(frame.id) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child] as string;
        frame.child += 1;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter);
          counter += 1;
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(child) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * Ranks each virtual service by its longest path from an ingress gateway along flow edges
 * (gateway → service = 1). Services that call each other in a cycle (an "all to all" policy)
 * share one rank, so a cycle never stretches the graph; services no gateway reaches start at 1.
 */
function rankServices(services: TopologyNode[], edges: TopologyEdge[]): Map<string, number> {
  const serviceIds = new Set(services.map((s) => s.id));
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!isFlowEdge(edge) || edge.source === edge.target) continue;
    if (serviceIds.has(edge.source) && serviceIds.has(edge.target)) {
      const list = next.get(edge.source) ?? [];
      list.push(edge.target);
      next.set(edge.source, list);
    }
  }
  for (const list of next.values()) list.sort(compareText);

  const ordered = services.map((s) => s.id);
  const components = stronglyConnected(ordered, next);
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => {
    for (const m of members) componentOf.set(m, i);
  });

  // Tarjan emits components in reverse topological order: walk them backwards.
  const level = components.map(() => 1);
  for (let i = components.length - 1; i >= 0; i -= 1) {
    for (const member of components[i] as string[]) {
      for (const target of next.get(member) ?? []) {
        const j = componentOf.get(target) as number;
        if (j !== i) level[j] = Math.max(level[j] as number, (level[i] as number) + 1);
      }
    }
  }

  const ranks = new Map<string, number>();
  for (const id of ordered) ranks.set(id, level[componentOf.get(id) as number] as number);
  return ranks;
}

/**
 * A layered layout built from the mesh's own structure: column 0 the outside world, then
 * ingress gateways, then virtual services by rank (longest path from a gateway), then external
 * services. Rows are spread evenly around one centre line; within a column nodes are ordered by
 * the mean row of the nodes that send them traffic, then by name. Pure and deterministic: the
 * same topology gives the same positions whatever order its arrays come in.
 */
export function layoutTopology(
  topology: Topology,
  options: Partial<LayoutOptions> = {},
): Map<string, PlacedNode> {
  const opts = { ...DEFAULTS, ...options };
  const nodes = [...topology.nodes].sort(compareNodes);
  const edges = [...topology.edges].sort((a, b) => compareText(a.id, b.id));
  const services = nodes.filter((n) => n.kind === 'virtualService');
  const ranks = rankServices(services, edges);

  const logical = new Map<string, number>();
  let lastServiceColumn = 1;
  for (const node of nodes) {
    if (node.kind === 'outside') logical.set(node.id, 0);
    else if (node.kind === 'ingressGateway') logical.set(node.id, 1);
    else if (node.kind === 'virtualService') {
      const column = 1 + (ranks.get(node.id) ?? 1);
      logical.set(node.id, column);
      lastServiceColumn = Math.max(lastServiceColumn, column);
    }
  }
  for (const node of nodes) {
    if (node.kind === 'external') logical.set(node.id, lastServiceColumn + 1);
  }

  const columns = new Map<number, TopologyNode[]>();
  for (const node of nodes) {
    const c = logical.get(node.id) as number;
    columns.set(c, [...(columns.get(c) ?? []), node]);
  }

  const incoming = new Map<string, string[]>();
  for (const edge of edges) {
    if (!isFlowEdge(edge) || edge.source === edge.target) continue;
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
  }

  const placed = new Map<string, PlacedNode>();
  let physical = 0;
  let x = 0;
  for (const c of [...columns.keys()].sort((a, b) => a - b)) {
    const members = columns.get(c) as TopologyNode[];
    const barycenter = new Map<string, number>();
    for (const node of members) {
      const ys = (incoming.get(node.id) ?? [])
        .map((source) => placed.get(source))
        .filter((p): p is PlacedNode => p !== undefined && p.column < physical)
        .map((p) => p.y + p.height / 2);
      barycenter.set(
        node.id,
        ys.length > 0 ? ys.reduce((s, y) => s + y, 0) / ys.length : Number.POSITIVE_INFINITY,
      );
    }
    const sorted = [...members].sort(
      (a, b) =>
        (barycenter.get(a.id) as number) - (barycenter.get(b.id) as number) || compareNodes(a, b),
    );

    for (let start = 0; start < sorted.length; start += opts.maxRowsPerColumn) {
      const chunk = sorted.slice(start, start + opts.maxRowsPerColumn);
      const sizes = chunk.map((n) => opts.size(n));
      const width = Math.max(...sizes.map((s) => s.width));
      const pitch = Math.max(...sizes.map((s) => s.height)) + opts.rowGap;
      chunk.forEach((node, row) => {
        const size = sizes[row] as Size;
        const centreY = (row - (chunk.length - 1) / 2) * pitch;
        placed.set(node.id, {
          x: x + (width - size.width) / 2,
          y: centreY - size.height / 2,
          width: size.width,
          height: size.height,
          column: physical,
          row,
        });
      });
      physical += 1;
      x += width + opts.columnGap;
    }
  }
  return placed;
}
