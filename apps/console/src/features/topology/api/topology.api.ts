import type { Topology } from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';

export async function getTopology(meshId: string, signal?: AbortSignal): Promise<Topology> {
  const topology = await request<Topology>(`/api/meshes/${encodeURIComponent(meshId)}/topology`, {
    signal,
  });
  // The graph benchmark measures from here to the first frame drawn (topology-canvas.tsx).
  performance.mark('meshdeck:topology-data');
  return topology;
}
