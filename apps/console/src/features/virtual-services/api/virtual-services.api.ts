import type { MtlsMode, VirtualServiceCreate, VirtualServiceUpdate } from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';
import type {
  MeshDetail,
  MeshSummary,
  VirtualServiceDetailView,
  VirtualServiceView,
} from '../../../lib/api-views.ts';

/** What the form needs to know about a mesh to offer it and judge a mode against it. */
export interface MeshChoice {
  id: string;
  displayName: string;
  compartmentId: string;
  minimum: MtlsMode;
}

export async function listMeshChoices(signal?: AbortSignal): Promise<MeshChoice[]> {
  const body = await request<{ items: MeshSummary[] }>('/api/meshes', { signal });
  return body.items.map((m) => ({
    id: m.id,
    displayName: m.displayName,
    compartmentId: m.compartmentId,
    minimum: m.minimum,
  }));
}

/** A mesh's virtual services and what hangs off them, from the mesh view. */
export type MeshServices = Pick<
  MeshDetail,
  'virtualServices' | 'virtualDeployments' | 'virtualServiceRouteTables' | 'findings'
> & { meshId: string; meshName: string; minimum: MtlsMode };

export async function getMeshServices(meshId: string, signal?: AbortSignal): Promise<MeshServices> {
  const detail = await request<MeshDetail>(`/api/meshes/${encodeURIComponent(meshId)}`, {
    signal,
  });
  return {
    meshId: detail.mesh.id,
    meshName: detail.mesh.displayName,
    minimum: detail.summary.minimum,
    virtualServices: detail.virtualServices,
    virtualDeployments: detail.virtualDeployments,
    virtualServiceRouteTables: detail.virtualServiceRouteTables,
    findings: detail.findings,
  };
}

export function getVirtualService(
  id: string,
  signal?: AbortSignal,
): Promise<VirtualServiceDetailView> {
  return request<VirtualServiceDetailView>(`/api/virtual-services/${encodeURIComponent(id)}`, {
    signal,
  });
}

export function createVirtualService(body: VirtualServiceCreate): Promise<VirtualServiceView> {
  return request<VirtualServiceView>('/api/virtual-services', { method: 'POST', json: body });
}

export function updateVirtualService(
  id: string,
  body: VirtualServiceUpdate,
): Promise<VirtualServiceView> {
  return request<VirtualServiceView>(`/api/virtual-services/${encodeURIComponent(id)}`, {
    method: 'PUT',
    json: body,
  });
}

export function deleteVirtualService(id: string): Promise<void> {
  return request<void>(`/api/virtual-services/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
