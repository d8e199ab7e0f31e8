import type {
  CertificateAuthorityView,
  MeshCreate,
  MeshDetail,
  MeshSummary,
  MeshUpdate,
  ResourcePage,
} from '@meshdeck/domain';
import { request, requestWithResponse } from '../../../lib/api-client.ts';
import type { ResourceListQuery } from '../../../lib/resources-api.ts';

export async function listMeshes(signal?: AbortSignal): Promise<MeshSummary[]> {
  const body = await request<{ items: MeshSummary[] }>('/api/meshes', {
    query: { limit: 200 },
    signal,
  });
  return body.items;
}

/** One page of meshes (`?q=&sort=&order=&page=&limit=`). */
export function listMeshPage(
  query: ResourceListQuery,
  signal?: AbortSignal,
): Promise<ResourcePage<MeshSummary>> {
  return request<ResourcePage<MeshSummary>>('/api/meshes', { query: { ...query }, signal });
}

/** The mesh view and its `etag` (sent back as `if-match` by an edit or a delete). */
export type MeshDetailWithEtag = MeshDetail & { etag: string | undefined };

export async function getMesh(meshId: string, signal?: AbortSignal): Promise<MeshDetailWithEtag> {
  const res = await requestWithResponse<MeshDetail>(`/api/meshes/${encodeURIComponent(meshId)}`, {
    signal,
  });
  return { ...res.data, etag: res.headers.get('etag') ?? undefined };
}

export function createMesh(body: MeshCreate): Promise<MeshDetail> {
  return request<MeshDetail>('/api/meshes', { method: 'POST', json: body });
}

export function updateMesh(
  meshId: string,
  body: MeshUpdate,
  etag: string | undefined,
): Promise<MeshSummary> {
  return request<MeshSummary>(`/api/meshes/${encodeURIComponent(meshId)}`, {
    method: 'PUT',
    json: body,
    ifMatch: etag,
  });
}

export async function listCertificateAuthorities(
  signal?: AbortSignal,
): Promise<CertificateAuthorityView[]> {
  const body = await request<{ items: CertificateAuthorityView[] }>(
    '/api/certificate-authorities',
    { signal },
  );
  return body.items;
}

export function createCertificateAuthority(body: {
  compartmentId: string;
  name: string;
}): Promise<CertificateAuthorityView> {
  return request<CertificateAuthorityView>('/api/certificate-authorities', {
    method: 'POST',
    json: body,
  });
}
