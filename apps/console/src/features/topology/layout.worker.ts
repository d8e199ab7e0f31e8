/// <reference lib="webworker" />
import type { Topology } from '@meshdeck/domain';
import { computeLayout, layoutKey, type FlowGraphOptions } from './to-flow-graph.ts';
import type { LayoutRequest, LayoutResponse } from './layout-client.ts';

/**
 * The layout off the main thread. Each run is timed with `performance.measure`
 * (`meshdeck:layout`), which the graph benchmark reads from the reply.
 */
self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, topology, options } = event.data;
  const started = performance.now();
  const layout = computeLayout(topology as Topology, options as FlowGraphOptions);
  const ms = performance.now() - started;
  performance.measure('meshdeck:layout', { start: started, duration: ms });
  const reply: LayoutResponse = {
    id,
    key: layoutKey(topology, options),
    nodes: [...layout.nodes],
    routes: [...layout.routes],
    ms,
  };
  self.postMessage(reply);
};
