import type { Topology, TopologyEdge, TopologyNode } from '@meshdeck/domain';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends Size {
  /** Top-left corner, as React Flow positions nodes. */
  x: number;
  y: number;
  /** Column after empty columns are dropped and tall columns split. */
  column: number;
  row: number;
}

/**
 * The way of an edge that spans columns: through a lane of its own in every column in between,
 * so it never runs behind a node there. `points` go from source to target (two per lane: where
 * the lane starts and ends); the label sits in the middle lane.
 */
export interface EdgeRoute {
  points: Point[];
  label: Point;
  /**
   * A bracket round the side of a column (an edge between two nodes of one column): it starts and
   * ends at these points on the nodes' sides instead of the handles, and turns at right angles.
   */
  bracket?: { from: Point; to: Point };
}

export interface TopologyLayout {
  nodes: Map<string, PlacedNode>;
  /** Only for edges that pass a column; the others go straight from node to node. */
  routes: Map<string, EdgeRoute>;
}

export interface LayoutOptions {
  columnGap: number;
  rowGap: number;
  /**
   * A column with more nodes wraps into neighbouring sub-columns, so fitView stays readable. Such
   * large graphs skip lanes and crossing reduction (case B5: they must stay fast).
   */
  maxRowsPerColumn: number;
  /** Height of the lane a passing edge takes in a column, and the gap next to it. */
  laneHeight: number;
  laneGap: number;
  /** Distance of the innermost bracket from its column, and between nested brackets. */
  bracketOffset: number;
  bracketStep: number;
  /** Above this many lanes the graph is laid out without them, like a wrapped one. */
  maxLanes: number;
  size: (node: TopologyNode) => Size;
}

export const NODE_WIDTH = 200;

/**
 * Fixed sizes that the node components are given (React Flow `width`/`height`), so edge ends and
 * lanes computed here meet the nodes as drawn. `exposed`: a service with a line saying how callers
 * outside the mesh fare.
 */
export function estimateNodeSize(node: TopologyNode, { exposed = false } = {}): Size {
  switch (node.kind) {
    case 'virtualService':
      return {
        width: NODE_WIDTH,
        height: 84 + 20 * Math.max(1, node.deployments.length) + (exposed ? 22 : 0),
      };
    case 'ingressGateway':
      return { width: NODE_WIDTH, height: 64 + 20 * Math.max(1, node.listeners.length) };
    case 'outside':
    case 'external':
      return { width: NODE_WIDTH, height: 66 };
  }
}

const DEFAULTS: LayoutOptions = {
  columnGap: 88,
  rowGap: 40,
  maxRowsPerColumn: 10,
  laneHeight: 24,
  laneGap: 14,
  bracketOffset: 40,
  bracketStep: 16,
  maxLanes: 400,
  size: (node) => estimateNodeSize(node),
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

/** A column entry: a node, or the lane of an edge passing through the column. */
interface Slot {
  id: string;
  node?: TopologyNode;
  height: number;
}

function laneId(edgeId: string, column: number): string {
  return `${edgeId}\u0000${column}`;
}

/** Crossings between two neighbouring columns, from the positions of each segment's ends. */
function crossingsBetween(segments: [number, number][]): number {
  let count = 0;
  for (let i = 0; i < segments.length; i += 1) {
    const [a1, b1] = segments[i] as [number, number];
    for (let j = i + 1; j < segments.length; j += 1) {
      const [a2, b2] = segments[j] as [number, number];
      if ((a1 - a2) * (b1 - b2) < 0) count += 1;
    }
  }
  return count;
}

/**
 * Least-squares placement of ordered slots: centres as close to `desired` as possible while each
 * keeps `gaps[i]` from the one before (pool adjacent violators on the gap-shifted values). Keeps
 * the order, never overlaps.
 */
function placeInOrder(desired: number[], gaps: number[]): number[] {
  const offsets: number[] = [];
  let sum = 0;
  desired.forEach((_, i) => {
    if (i > 0) sum += gaps[i - 1] as number;
    offsets.push(sum);
  });
  const blocks: { mean: number; count: number }[] = [];
  desired.forEach((d, i) => {
    blocks.push({ mean: d - (offsets[i] as number), count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as { mean: number; count: number };
      const before = blocks[blocks.length - 2] as { mean: number; count: number };
      if (before.mean <= last.mean) break;
      blocks.splice(blocks.length - 2, 2, {
        mean: (before.mean * before.count + last.mean * last.count) / (before.count + last.count),
        count: before.count + last.count,
      });
    }
  });
  const out: number[] = [];
  for (const block of blocks) {
    for (let k = 0; k < block.count; k += 1) out.push(block.mean + (offsets[out.length] as number));
  }
  return out;
}

/** Logical column of every node: outside 0, gateways 1, services by rank, external last. */
function logicalColumns(nodes: TopologyNode[], edges: TopologyEdge[]): Map<string, number> {
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
  return logical;
}

/**
 * A layered (Sugiyama-style) layout built from the mesh's own structure: column 0 the outside
 * world, then ingress gateways in a column of their own, then virtual services by rank (longest
 * path from a gateway), then external services. An edge that spans columns gets a lane in each
 * column it passes, so it runs between nodes, never behind one. Within a column, nodes and lanes
 * are ordered to reduce crossings (barycentre of their neighbours, swept both ways, the order
 * with the fewest crossings kept), then pulled towards their neighbours' height so edges run as
 * straight as the order allows. Pure and deterministic: the same topology gives the same
 * positions whatever order its arrays come in.
 */
export function layoutTopology(
  topology: Topology,
  options: Partial<LayoutOptions> = {},
): TopologyLayout {
  const opts = { ...DEFAULTS, ...options };
  const nodes = [...topology.nodes].sort(compareNodes);
  const edges = [...topology.edges].sort((a, b) => compareText(a.id, b.id));
  const logical = logicalColumns(nodes, edges);

  const dense = new Map<number, number>();
  [...new Set(logical.values())].sort((a, b) => a - b).forEach((c, i) => dense.set(c, i));
  const columnOf = new Map<string, number>();
  for (const [id, c] of logical) columnOf.set(id, dense.get(c) as number);
  const columnCount = dense.size;

  const tall = [...dense.values()].some(
    (c) => nodes.filter((n) => columnOf.get(n.id) === c).length > opts.maxRowsPerColumn,
  );
  const spans = edges.filter((e) => {
    const a = columnOf.get(e.source);
    const b = columnOf.get(e.target);
    return a !== undefined && b !== undefined && a !== b;
  });
  const laneCount = spans.reduce(
    (n, e) =>
      n + Math.abs((columnOf.get(e.source) as number) - (columnOf.get(e.target) as number)) - 1,
    0,
  );
  if (tall || laneCount > opts.maxLanes) {
    return { nodes: wrappedLayout(nodes, edges, logical, opts), routes: new Map() };
  }

  // Columns of slots, and the segments between neighbouring columns (left slot, right slot).
  const columns: Slot[][] = Array.from({ length: columnCount }, () => []);
  for (const node of nodes) {
    columns[columnOf.get(node.id) as number]?.push({
      id: node.id,
      node,
      height: opts.size(node).height,
    });
  }
  const segments: [string, string][][] = Array.from({ length: columnCount }, () => []);
  const lanesOf = new Map<string, { id: string; column: number }[]>();
  for (const edge of spans) {
    const a = columnOf.get(edge.source) as number;
    const b = columnOf.get(edge.target) as number;
    const step = a < b ? 1 : -1;
    const chain = [edge.source];
    const lanes: { id: string; column: number }[] = [];
    for (let c = a + step; c !== b; c += step) {
      const id = laneId(edge.id, c);
      columns[c]?.push({ id, height: opts.laneHeight });
      lanes.push({ id, column: c });
      chain.push(id);
    }
    chain.push(edge.target);
    if (lanes.length > 0) lanesOf.set(edge.id, lanes);
    for (let i = 0; i + 1 < chain.length; i += 1) {
      const from = chain[i] as string;
      const to = chain[i + 1] as string;
      const left = Math.min(a + step * i, a + step * (i + 1));
      segments[left]?.push(step === 1 ? [from, to] : [to, from]);
    }
  }

  const left = new Map<string, string[]>();
  const right = new Map<string, string[]>();
  for (const list of segments) {
    for (const [l, r] of list) {
      right.set(l, [...(right.get(l) ?? []), r]);
      left.set(r, [...(left.get(r) ?? []), l]);
    }
  }

  // First order: column 0 by name, then each column by where its left neighbours sit.
  let order: string[][] = columns.map((slots) => slots.map((s) => s.id));
  const position = new Map<string, number>();
  const index = (ids: string[]) => ids.forEach((id, i) => position.set(id, i));
  const reorder = (ids: string[], towards: Map<string, string[]>): string[] => {
    const key = new Map<string, number>();
    ids.forEach((id, i) => {
      const ns = (towards.get(id) ?? []).map((n) => position.get(n) as number);
      key.set(id, ns.length > 0 ? ns.reduce((s, p) => s + p, 0) / ns.length : i);
    });
    return ids
      .map((id, i) => ({ id, i }))
      .sort((x, y) => (key.get(x.id) as number) - (key.get(y.id) as number) || x.i - y.i)
      .map((x) => x.id);
  };
  index(order[0] ?? []);
  for (let c = 1; c < columnCount; c += 1) {
    const ids = order[c] as string[];
    const key = new Map<string, number>();
    for (const id of ids) {
      const ns = (left.get(id) ?? []).map((n) => position.get(n) as number);
      key.set(id, ns.length > 0 ? ns.reduce((s, p) => s + p, 0) / ns.length : Infinity);
    }
    order[c] = [...ids].sort((x, y) => {
      const kx = key.get(x) as number;
      const ky = key.get(y) as number;
      return kx === ky ? 0 : kx < ky ? -1 : 1;
    });
    index(order[c] as string[]);
  }

  const crossings = (o: string[][]): number => {
    const at = new Map<string, number>();
    for (const ids of o) ids.forEach((id, i) => at.set(id, i));
    return segments.reduce(
      (n, list) =>
        n + crossingsBetween(list.map(([l, r]) => [at.get(l) as number, at.get(r) as number])),
      0,
    );
  };
  let best = order.map((ids) => [...ids]);
  let fewest = crossings(best);
  for (let sweep = 0; sweep < 8 && fewest > 0; sweep += 1) {
    if (sweep % 2 === 0) {
      for (let c = 1; c < columnCount; c += 1) {
        order[c] = reorder(order[c] as string[], left);
        index(order[c] as string[]);
      }
    } else {
      for (let c = columnCount - 2; c >= 0; c -= 1) {
        order[c] = reorder(order[c] as string[], right);
        index(order[c] as string[]);
      }
    }
    const count = crossings(order);
    if (count < fewest) {
      fewest = count;
      best = order.map((ids) => [...ids]);
    }
  }
  order = best;

  // Heights: stacked around one centre line, then pulled towards the neighbours' centres.
  const slotById = new Map<string, Slot>();
  for (const slots of columns) for (const slot of slots) slotById.set(slot.id, slot);
  const gapsOf = (ids: string[]) =>
    ids.slice(1).map((id, i) => {
      const a = slotById.get(ids[i] as string) as Slot;
      const b = slotById.get(id) as Slot;
      const gap = a.node && b.node ? opts.rowGap : opts.laneGap;
      return a.height / 2 + b.height / 2 + gap;
    });
  const centre = new Map<string, number>();
  for (const ids of order) {
    const gaps = gapsOf(ids);
    const total = gaps.reduce((s, g) => s + g, 0);
    let y = -total / 2;
    ids.forEach((id, i) => {
      if (i > 0) y += gaps[i - 1] as number;
      centre.set(id, y);
    });
  }
  for (let pass = 0; pass < 8; pass += 1) {
    const sequence = pass % 2 === 0 ? order : [...order].reverse();
    for (const ids of sequence) {
      const desired = ids.map((id) => {
        const ns = [...(left.get(id) ?? []), ...(right.get(id) ?? [])];
        return ns.length > 0
          ? ns.reduce((s, n) => s + (centre.get(n) as number), 0) / ns.length
          : (centre.get(id) as number);
      });
      placeInOrder(desired, gapsOf(ids)).forEach((y, i) => centre.set(ids[i] as string, y));
    }
  }

  // Edges between two nodes of one column (services that call each other share a rank) go round
  // the column's side, downwards on the right and upwards on the left, so a pair calling each
  // other is two brackets on opposite sides. A bracket takes a track further out than every
  // bracket it encloses or touches, so no two lie on one another.
  const brackets: Bracket[] = [];
  for (const edge of edges) {
    const c = columnOf.get(edge.source);
    if (edge.source === edge.target || c === undefined || columnOf.get(edge.target) !== c) continue;
    const from = centre.get(edge.source) as number;
    const to = centre.get(edge.target) as number;
    brackets.push({
      edge,
      column: c,
      side: from < to ? 'right' : 'left',
      top: Math.min(from, to),
      bottom: Math.max(from, to),
      track: 0,
    });
  }
  brackets.sort(
    (a, b) =>
      a.bottom - a.top - (b.bottom - b.top) || a.top - b.top || compareText(a.edge.id, b.edge.id),
  );
  const outerTrack = new Map<string, number>();
  brackets.forEach((bracket, i) => {
    const near = brackets
      .slice(0, i)
      .filter(
        (o) =>
          o.column === bracket.column &&
          o.side === bracket.side &&
          o.top <= bracket.bottom &&
          o.bottom >= bracket.top,
      );
    let track = Math.max(
      0,
      ...near
        .filter((o) => o.top >= bracket.top && o.bottom <= bracket.bottom)
        .map((o) => o.track + 1),
    );
    while (near.some((o) => o.track === track)) track += 1;
    bracket.track = track;
    const key = `${bracket.column}:${bracket.side}`;
    outerTrack.set(key, Math.max(outerTrack.get(key) ?? 0, track));
  });
  const margin = (c: number, side: 'left' | 'right') => {
    const track = outerTrack.get(`${c}:${side}`);
    // Room for the outermost bracket and half a label beyond it.
    return track === undefined ? 0 : opts.bracketOffset + track * opts.bracketStep + 36;
  };

  const placed = new Map<string, PlacedNode>();
  const columnX: number[] = [];
  const columnWidth: number[] = [];
  let x = 0;
  order.forEach((ids, c) => {
    const widths = ids.flatMap((id) => {
      const node = slotById.get(id)?.node;
      return node ? [opts.size(node).width] : [];
    });
    const width = widths.length > 0 ? Math.max(...widths) : NODE_WIDTH;
    x += margin(c, 'left');
    columnX[c] = x;
    columnWidth[c] = width;
    let row = 0;
    for (const id of ids) {
      const slot = slotById.get(id) as Slot;
      if (!slot.node) continue;
      const size = opts.size(slot.node);
      placed.set(id, {
        x: x + (width - size.width) / 2,
        y: (centre.get(id) as number) - size.height / 2,
        width: size.width,
        height: size.height,
        column: c,
        row,
      });
      row += 1;
    }
    x += width + margin(c, 'right') + opts.columnGap;
  });

  const routes = new Map<string, EdgeRoute>();
  for (const edge of spans) {
    const lanes = lanesOf.get(edge.id);
    if (!lanes) continue;
    // Lanes are listed from the source's column to the target's; a lane is crossed leftwards when
    // the edge runs right to left (never the case for the mesh's own flow, but kept correct).
    const ltr = (columnOf.get(edge.source) as number) < (columnOf.get(edge.target) as number);
    const points = lanes.flatMap(({ id, column }) => {
      const y = centre.get(id) as number;
      const x0 = columnX[column] as number;
      const x1 = x0 + (columnWidth[column] as number);
      return ltr
        ? [
            { x: x0, y },
            { x: x1, y },
          ]
        : [
            { x: x1, y },
            { x: x0, y },
          ];
    });
    const middle = lanes[Math.floor((lanes.length - 1) / 2)] as { id: string; column: number };
    routes.set(edge.id, {
      points,
      label: {
        x: (columnX[middle.column] as number) + (columnWidth[middle.column] as number) / 2,
        y: centre.get(middle.id) as number,
      },
    });
  }
  // Bracket labels sit on the bracket's vertical run; where two would cover each other (brackets
  // over the same rows), the later one moves along its own run.
  const taken: { x: number; y: number; w: number }[] = [];
  const labelHeight = 22;
  for (const bracket of [...brackets].sort((a, b) => a.track - b.track)) {
    const source = placed.get(bracket.edge.source) as PlacedNode;
    const target = placed.get(bracket.edge.target) as PlacedNode;
    const right = bracket.side === 'right';
    const offset = opts.bracketOffset + bracket.track * opts.bracketStep;
    const columnLeft = columnX[bracket.column] as number;
    const bx = right
      ? columnLeft + (columnWidth[bracket.column] as number) + offset
      : columnLeft - offset;
    const from = {
      x: right ? source.x + source.width : source.x,
      y: source.y + source.height / 2,
    };
    const to = { x: right ? target.x + target.width : target.x, y: target.y + target.height / 2 };
    const w = labelWidth(bracket.edge.state);
    const middle = (from.y + to.y) / 2;
    const room = (bracket.bottom - bracket.top) / 2 - labelHeight;
    let y = middle;
    for (let k = 1; k <= 8; k += 1) {
      const clash = taken.some(
        (t) => Math.abs(t.x - bx) < (t.w + w) / 2 && Math.abs(t.y - y) < labelHeight,
      );
      if (!clash) break;
      const shift = Math.ceil(k / 2) * labelHeight * (k % 2 === 1 ? 1 : -1);
      if (Math.abs(shift) > room) break;
      y = middle + shift;
    }
    taken.push({ x: bx, y, w });
    routes.set(bracket.edge.id, {
      points: [
        { x: bx, y: from.y },
        { x: bx, y: to.y },
      ],
      label: { x: bx, y },
      bracket: { from, to },
    });
  }
  return { nodes: placed, routes };
}

/** About the width of an edge label (lock icon and the state word), for keeping labels apart. */
function labelWidth(state: string): number {
  return 28 + 6.5 * state.length;
}

interface Bracket {
  edge: TopologyEdge;
  column: number;
  side: 'left' | 'right';
  top: number;
  bottom: number;
  track: number;
}

/**
 * The layout of large graphs (a column over `maxRowsPerColumn`, or too many lanes): columns wrap
 * into sub-columns, rows are spread evenly around one centre line and ordered by the mean row of
 * the nodes that send them traffic, then by name. No lanes: cheap enough for hundreds of nodes.
 */
function wrappedLayout(
  nodes: TopologyNode[],
  edges: TopologyEdge[],
  logical: Map<string, number>,
  opts: LayoutOptions,
): Map<string, PlacedNode> {
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
