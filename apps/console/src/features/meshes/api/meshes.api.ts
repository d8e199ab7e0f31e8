import { request } from '../../../lib/api-client.ts';
import type { MeshDetail, MeshSummary } from '@meshdeck/domain';

export async function listMeshes(signal?: AbortSignal): Promise<MeshSummary[]> {
  const body = await request<{ items: MeshSummary[] }>('/api/meshes', { signal });
  return body.items;
}

export function getMesh(meshId: string, signal?: AbortSignal): Promise<MeshDetail> {
  return request<MeshDetail>(`/api/meshes/${encodeURIComponent(meshId)}`, { signal });
}
