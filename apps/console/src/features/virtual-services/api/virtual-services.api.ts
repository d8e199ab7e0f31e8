import type { MtlsMode, VirtualServiceCreate, VirtualServiceUpdate } from '@meshdeck/domain';
import { request, requestWithResponse } from '../../../lib/api-client.ts';
import type {
  MeshDetail,
  MeshSummary,
  VirtualServiceDetailView,
  VirtualServiceView,
} from '@meshdeck/domain';

/** What the form needs to know about a mesh to offer it and judge a mode against it. */
export interface MeshChoice {
  id: string;
  displayName: string;
  compartmentId: string;
  minimum: MtlsMode;
  /** Tells meshes with the same name apart in the picker. */
  timeCreated?: string;
}

export async function listMeshChoices(signal?: AbortSignal): Promise<MeshChoice[]> {
  const body = await request<{ items: MeshSummary[] }>('/api/meshes', { signal });
  return body.items.map((m) => ({
    id: m.id,
    displayName: m.displayName,
    compartmentId: m.compartmentId,
    minimum: m.minimum,
    timeCreated: m.timeCreated,
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

/**
 * A read of one virtual service with the version it was read at: `etag` is the answer's `etag`
 * header, sent back as `if-match` so a save or delete cannot overwrite someone else's change.
 */
export type VirtualServiceDetail = VirtualServiceDetailView & { etag: string | undefined };

export async function getVirtualService(
  id: string,
  signal?: AbortSignal,
): Promise<VirtualServiceDetail> {
  const { data, headers } = await requestWithResponse<VirtualServiceDetailView>(
    `/api/virtual-services/${encodeURIComponent(id)}`,
    { signal },
  );
  return { ...data, etag: headers.get('etag') ?? undefined };
}

export function createVirtualService(body: VirtualServiceCreate): Promise<VirtualServiceView> {
  return request<VirtualServiceView>('/api/virtual-services', { method: 'POST', json: body });
}

/** Only the fields in `body` change (`VirtualServiceUpdate`); 412 when `etag` is stale. */
export function updateVirtualService(
  id: string,
  body: VirtualServiceUpdate,
  etag: string | undefined,
): Promise<VirtualServiceView> {
  return request<VirtualServiceView>(`/api/virtual-services/${encodeURIComponent(id)}`, {
    method: 'PUT',
    json: body,
    ifMatch: etag,
  });
}
