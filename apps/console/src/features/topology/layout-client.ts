import type { Topology } from '@meshdeck/domain';
import type { EdgeRoute, PlacedNode, TopologyLayout } from './layout.ts';
import type { FlowGraphOptions } from './to-flow-graph.ts';

export interface LayoutRequest {
  id: number;
  topology: Topology;
  options: Pick<FlowGraphOptions, 'showOutsideCallers'>;
}

export interface LayoutResponse {
  id: number;
  key: string;
  nodes: [string, PlacedNode][];
  routes: [string, EdgeRoute][];
  /** How long the layout took in the worker. */
  ms: number;
}

export interface CachedLayout {
  key: string;
  layout: TopologyLayout;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (reply: LayoutResponse) => void>();

/** Layout durations in the worker, newest last; the graph benchmark reads them. */
export const layoutTimings: number[] = [];

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      layoutTimings.push(event.data.ms);
      // The graph benchmark reads how long the worker took from this mark's detail.
      performance.mark('meshdeck:layout-done', {
        detail: { ms: event.data.ms, nodes: event.data.nodes.length },
      });
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

/** Lays the graph out in the worker. */
export function layoutInWorker(
  topology: Topology,
  options: LayoutRequest['options'],
): Promise<CachedLayout> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, (reply) =>
      resolve({
        key: reply.key,
        layout: { nodes: new Map(reply.nodes), routes: new Map(reply.routes) },
      }),
    );
    layoutWorker().postMessage({ id, topology, options } satisfies LayoutRequest);
  });
}

const memory = new Map<string, CachedLayout>();
const storageKey = (scope: string) => `meshdeck:layout:${scope}`;

/**
 * Positions by mesh (and whether outside callers are drawn), in memory and in sessionStorage, so
 * a refresh or a reload puts every node where it was when nothing structural changed.
 */
export function readCachedLayout(scope: string): CachedLayout | undefined {
  const hit = memory.get(scope);
  if (hit) return hit;
  try {
    const text = sessionStorage.getItem(storageKey(scope));
    if (!text) return undefined;
    const stored = JSON.parse(text) as Omit<LayoutResponse, 'id' | 'ms'>;
    const cached = {
      key: stored.key,
      layout: { nodes: new Map(stored.nodes), routes: new Map(stored.routes) },
    };
    memory.set(scope, cached);
    return cached;
  } catch {
    return undefined;
  }
}

export function writeCachedLayout(scope: string, cached: CachedLayout): void {
  memory.set(scope, cached);
  try {
    sessionStorage.setItem(
      storageKey(scope),
      JSON.stringify({
        key: cached.key,
        nodes: [...cached.layout.nodes],
        routes: [...cached.layout.routes],
      }),
    );
  } catch {
    // A full sessionStorage only costs the reload its cache; memory still holds it.
  }
}
