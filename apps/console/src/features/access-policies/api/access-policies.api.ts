import type { AccessPolicy, MeshDetail, ResourceView } from '@meshdeck/domain';
import { request, requestWithResponse } from '../../../lib/api-client.ts';

/** A read of one access policy and the version it was read at (`etag`, sent back as if-match). */
export type AccessPolicyDetail = ResourceView<AccessPolicy> & { etag: string | undefined };

/** What the policy form and list need from the mesh: its policies and the targets to name. */
export interface PolicyMesh {
  meshId: string;
  meshName: string;
  compartmentId: string;
  accessPolicies: AccessPolicy[];
  virtualServices: { id: string; name: string }[];
  ingressGateways: { id: string; name: string }[];
}

const path = (id: string) => `/api/access-policies/${encodeURIComponent(id)}`;

export async function getPolicyMesh(meshId: string, signal?: AbortSignal): Promise<PolicyMesh> {
  const detail = await request<MeshDetail>(`/api/meshes/${encodeURIComponent(meshId)}`, {
    signal,
  });
  return {
    meshId: detail.mesh.id,
    meshName: detail.mesh.displayName,
    compartmentId: detail.mesh.compartmentId,
    accessPolicies: detail.accessPolicies,
    virtualServices: detail.virtualServices.map((v) => ({ id: v.id, name: v.name })),
    ingressGateways: detail.ingressGateways.map((g) => ({ id: g.id, name: g.name })),
  };
}

export async function getAccessPolicy(
  id: string,
  signal?: AbortSignal,
): Promise<AccessPolicyDetail> {
  const { data, headers } = await requestWithResponse<ResourceView<AccessPolicy>>(path(id), {
    signal,
  });
  return { ...data, etag: headers.get('etag') ?? undefined };
}
