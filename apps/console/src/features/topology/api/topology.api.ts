import type { Topology } from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';

export function getTopology(meshId: string, signal?: AbortSignal): Promise<Topology> {
  return request<Topology>(`/api/meshes/${encodeURIComponent(meshId)}/topology`, { signal });
}
